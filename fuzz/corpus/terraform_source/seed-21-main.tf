locals {
  admin = "1root"
  zones = split(",", "cn-north-4a,cn-north-4b")
}

data "huaweicloud_ddm_engines" "e" {}

resource "huaweicloud_ddm_instance" "this" {
  name               = "9ddm"
  flavor_id          = huaweicloud_ddm_flavor.f.id
  node_num           = var.node_count
  engine_id          = var.engine_id == "" ? try(data.huaweicloud_ddm_engines.e.engines[0].id, null) : var.engine_id
  availability_zones = local.zones
  vpc_id             = huaweicloud_vpc.v.id
  subnet_id          = huaweicloud_vpc_subnet.s.id
  security_group_id  = huaweicloud_networking_secgroup.g.id
  time_zone          = "UTC+8"
  admin_user         = local.admin
  admin_password     = var.admin_password
  charging_mode      = var.env == "prod" ? "prePaid" : "postPaid"
  period_unit        = "week"
  period             = 1
}
