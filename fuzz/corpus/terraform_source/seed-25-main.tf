variable "names" {
  default = {
    east = "mongo-east"
    west = "mongo-west"
  }
}

resource "huaweicloud_gaussdb_mongo_instance" "m" {
  for_each          = var.names
  name              = each.value
  password          = "Secr3t!pass"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  node_num          = 3
  volume_size       = 100
  flavor            = "geminidb.mongodb.xlarge.4"
}

resource "huaweicloud_gaussdb_redis_instance" "r" {
  name              = "r"
  password          = "Secr3t!pass"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  node_num          = 3
  volume_size       = 16
  flavor            = "geminidb.redis.large.4"
}

resource "huaweicloud_gaussdb_influx_instance" "i" {
  name              = "influx-${lower("ONE")}"
  password          = "Secr3t!pass"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  node_num          = 3
  volume_size       = 100
  flavor            = "geminidb.influxdb.large.4"

  backup_strategy {
    start_time = "01:00-02:00"
    keep_days  = 40
  }
}

resource "huaweicloud_gaussdb_cassandra_instance" "c" {
  name              = "cassandra-legacy"
  password          = "Secr3t!pass"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  node_num          = 3
  volume_size       = 100
  flavor            = "geminidb.cassandra.xlarge.4"
}
