variable "region_name" {
  description = "Where the resources are created"
  type        = string
}

variable "zones" {
  description = "AZs of the DDM nodes; empty picks the first one on offer"
  type        = list(string)
  default     = []
}

variable "ddm_name" {
  type = string
}

variable "ddm_engine" {
  type    = string
  default = ""
}

variable "ddm_flavor" {
  type    = string
  default = ""
}

variable "ddm_nodes" {
  type    = number
  default = 2
}

variable "ddm_admin" {
  type    = string
  default = "root"
}

variable "ddm_password" {
  type      = string
  sensitive = true
  default   = ""
}

variable "billing" {
  type    = string
  default = "postPaid"
}
