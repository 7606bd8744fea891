region_name = "cn-north-4"
ddm_name    = "ddm-orders-01"
ddm_nodes   = 2
