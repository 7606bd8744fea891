resource "huaweicloud_gaussdb_redis_instance" "good" {
  name              = "x"
  password          = "Secr3t!pass"
  availability_zone = "cn-north-4a"
  vpc_id            = "vpc-1"
  subnet_id         = "subnet-1"
  security_group_id = "sg-1"
  node_num          = 3
  volume_size       = 16
  flavor            = "geminidb.redis.large.4"
}
