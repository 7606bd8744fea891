node_count     = 0
admin_password = "short"
