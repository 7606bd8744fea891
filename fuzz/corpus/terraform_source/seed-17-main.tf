variable "zones" {
  default = ["cn-north-4a"]
}

resource "huaweicloud_ddm_instance" "orders" {
  count              = 1
  name               = "1orders"
  flavor_id          = "ddm.c6.xlarge.2"
  node_num           = 2
  engine_id          = "engine-1"
  availability_zones = var.zones
  vpc_id             = "vpc-1"
  subnet_id          = "subnet-1"
  security_group_id  = "sg-1"
  time_zone          = "UTC+8"
}
