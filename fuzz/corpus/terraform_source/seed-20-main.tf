variable "nodes" {
  type    = number
  default = 3
}

resource "random_password" "p" {
  length  = 16
  special = true
}

resource "huaweicloud_geminidb_instance" "cassandra" {
  count             = 2
  name              = "cassandra-${count.index}"
  mode              = "Cluster"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  password          = random_password.p.result

  datastore {
    type           = "cassandra"
    version        = "3.11"
    # the service spells it rocksDB
    storage_engine = "RocksDB"
  }

  flavor {
    num       = var.nodes
    size      = 500
    storage   = "ULTRAHIGH"
    spec_code = "geminidb.cassandra.xlarge.4"
  }

  backup_strategy {
    start_time = "03:00-05:00"
    keep_days  = 7
  }
}
