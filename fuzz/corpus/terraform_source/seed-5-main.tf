data "huaweicloud_availability_zones" "all" {}

locals {
  zones = join(",", try(slice(data.huaweicloud_availability_zones.all.names, 0, 3), []))
}

resource "huaweicloud_gaussdb_redis_instance" "cache" {
  name              = var.redis_name
  password          = var.redis_password
  availability_zone = local.zones
  vpc_id            = huaweicloud_vpc.net.id
  subnet_id         = huaweicloud_vpc_subnet.net.id
  security_group_id = huaweicloud_networking_secgroup.gdb.id
  node_num          = var.redis_nodes
  volume_size       = 16
  flavor            = "geminidb.redis.large.4"
  port              = 6379

  backup_strategy {
    start_time = "01:00-02:00"
    keep_days  = 7
  }
}
