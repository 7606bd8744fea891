data "huaweicloud_availability_zones" "all" {
  count = length(var.zones) == 0 ? 1 : 0
}

data "huaweicloud_ddm_engines" "all" {
  count = var.ddm_engine == "" ? 1 : 0
}

data "huaweicloud_ddm_flavors" "all" {
  count     = var.ddm_flavor == "" ? 1 : 0
  engine_id = try(data.huaweicloud_ddm_engines.all[0].engines[0].id, null)
}

resource "huaweicloud_vpc" "net" {
  name = "ddm-net"
  cidr = "192.168.0.0/16"
}

resource "huaweicloud_vpc_subnet" "net" {
  vpc_id     = huaweicloud_vpc.net.id
  name       = "ddm-subnet"
  cidr       = "192.168.0.0/24"
  gateway_ip = "192.168.0.1"
}

resource "huaweicloud_networking_secgroup" "ddm" {
  name = "ddm-sg"
}

resource "random_password" "admin" {
  count   = var.ddm_password == "" ? 1 : 0
  length  = 16
  special = true
}

resource "huaweicloud_ddm_instance" "orders" {
  name               = var.ddm_name
  availability_zones = length(var.zones) == 0 ? try(slice(data.huaweicloud_availability_zones.all[0].names, 0, 1), []) : var.zones
  engine_id          = var.ddm_engine == "" ? try(data.huaweicloud_ddm_engines.all[0].engines[0].id, null) : var.ddm_engine
  flavor_id          = var.ddm_flavor == "" ? try(data.huaweicloud_ddm_flavors.all[0].flavors[0].id, null) : var.ddm_flavor
  vpc_id             = huaweicloud_vpc.net.id
  subnet_id          = huaweicloud_vpc_subnet.net.id
  security_group_id  = huaweicloud_networking_secgroup.ddm.id
  node_num           = var.ddm_nodes
  admin_user         = var.ddm_admin
  admin_password     = var.ddm_password != "" ? var.ddm_password : try(random_password.admin[0].result, null)
  charging_mode      = var.billing
  time_zone          = "UTC+08:00"
}
