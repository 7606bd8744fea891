variable "env" {
  type    = string
  default = "dev"
}

variable "node_count" {
  type    = number
  default = 2
}

variable "admin_password" {
  type      = string
  sensitive = true
}

variable "engine_id" {
  type    = string
  default = ""
}
