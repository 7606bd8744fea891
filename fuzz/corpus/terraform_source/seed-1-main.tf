variable "db_name" {
  default = "ddm"
}

module "db" {
  source   = "../ddm-child"
  name     = var.db_name
  node_num = 2
}

module "network" {
  source  = "terraform-huaweicloud-modules/vpc/huaweicloud"
  version = "1.0.0"
}
