variable "region_name" {
  type = string
}

variable "zone" {
  type    = string
  default = ""
}

variable "instance_name" {
  type = string
}

variable "instance_password" {
  type      = string
  sensitive = true
  default   = ""
}

variable "spec_code" {
  type    = string
  default = ""
}

variable "node_count" {
  type    = number
  default = 3
}

variable "disk_size" {
  type    = number
  default = 500
}

variable "backup_window" {
  type    = string
  default = "03:00-04:00"
}

variable "backup_days" {
  type    = number
  default = 7
}
