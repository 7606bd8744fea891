variable "region_name" {
  type = string
}

variable "redis_name" {
  type = string
}

variable "redis_password" {
  type      = string
  sensitive = true
}

variable "redis_nodes" {
  type    = number
  default = 3
}
