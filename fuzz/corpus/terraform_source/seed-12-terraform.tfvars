region_name   = "cn-north-4"
instance_name = "gdb-cassandra-01"
backup_days   = 14
