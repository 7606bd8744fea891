resource "huaweicloud_ddm_instance" "broken" {
  name = "ddm-broken"
  admin_password = "Hidden!pass1" +
}
