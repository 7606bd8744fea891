//! Terraform: reading `.tf` modules into the request bodies the provider would send.

pub(crate) mod source;
