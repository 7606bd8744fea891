terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.80.2"
    }
  }
}

provider "huaweicloud" {
  region = var.region_name
}
