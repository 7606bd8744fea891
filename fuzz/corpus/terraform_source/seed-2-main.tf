resource "huaweicloud_ddm_instance" "this" {
  name               = var.name
  flavor_id          = "ddm.c6.xlarge.2"
  node_num           = var.node_num
  engine_id          = "engine-1"
  availability_zones = ["cn-north-4a"]
  vpc_id             = "vpc-1"
  subnet_id          = "subnet-1"
  security_group_id  = "sg-1"
}
