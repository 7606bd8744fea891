node_count     = 0
admin_password = "pw4qz"
