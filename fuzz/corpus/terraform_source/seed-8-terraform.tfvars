region_name    = "cn-north-4"
redis_name     = "gdb-redis-01"
redis_password = "redis2024pass"
