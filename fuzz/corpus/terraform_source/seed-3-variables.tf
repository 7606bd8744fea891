variable "name" {
  type = string
}

variable "node_num" {
  type = number
}
