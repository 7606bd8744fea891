data "huaweicloud_availability_zones" "all" {}

data "huaweicloud_gaussdb_nosql_flavors" "cassandra" {
  engine = "cassandra"
}

resource "huaweicloud_vpc" "net" {
  name = "gdb-net"
  cidr = "192.168.0.0/16"
}

resource "huaweicloud_vpc_subnet" "net" {
  vpc_id     = huaweicloud_vpc.net.id
  name       = "gdb-subnet"
  cidr       = "192.168.0.0/24"
  gateway_ip = "192.168.0.1"
}

resource "huaweicloud_networking_secgroup" "gdb" {
  name = "gdb-sg"
}

resource "random_password" "gdb" {
  count            = var.instance_password == "" ? 1 : 0
  length           = 16
  special          = true
  override_special = "!@#%^*-_=+?"
}

resource "huaweicloud_geminidb_instance" "cassandra" {
  name              = var.instance_name
  mode              = "Cluster"
  availability_zone = var.zone == "" ? try(data.huaweicloud_availability_zones.all.names[0], null) : var.zone
  vpc_id            = huaweicloud_vpc.net.id
  subnet_id         = huaweicloud_vpc_subnet.net.id
  security_group_id = huaweicloud_networking_secgroup.gdb.id
  password          = var.instance_password != "" ? var.instance_password : try(random_password.gdb[0].result, null)

  datastore {
    type           = "cassandra"
    version        = "3.11"
    storage_engine = "rocksDB"
  }

  flavor {
    num       = var.node_count
    size      = var.disk_size
    storage   = "ULTRAHIGH"
    spec_code = var.spec_code != "" ? var.spec_code : try(data.huaweicloud_gaussdb_nosql_flavors.cassandra.flavors[0].name, null)
  }

  backup_strategy {
    start_time = var.backup_window
    keep_days  = var.backup_days
  }

  tags = {
    owner = "dba"
  }

  lifecycle {
    ignore_changes = [flavor.0.spec_code]
  }
}
