//! The type policy (docs/reading-the-pages.md#types): a member's value as the check sees it,
//! exactly typed, coerced (`"3"` for an integer, with a warning) or of the wrong type.

use super::check::Val;
use super::pack::FieldType;
use crate::doc::{Doc, Kind};
use std::borrow::Cow;

/// The result of applying the type policy (docs/reading-the-pages.md#types) to a member.
pub(super) enum Typed<'d> {
    Exact(Val<'d>),
    Coerced(Val<'d>),
    Wrong(&'static str),
}

#[inline(always)]
pub(super) fn coerce<'d, D: Doc>(ty: FieldType, node: &'d D) -> Typed<'d> {
    match (ty, node.kind()) {
        (FieldType::String | FieldType::BoolString, Kind::String) => {
            Typed::Exact(Val::Str(Cow::Borrowed(node.as_str().unwrap_or(""))))
        }
        (FieldType::String, Kind::Number) => match node.as_num() {
            Some(n) => Typed::Coerced(Val::Str(Cow::Owned(n.to_text()))),
            None => Typed::Wrong("type"),
        },
        (FieldType::BoolString, Kind::Bool) => {
            Typed::Coerced(Val::Str(Cow::Borrowed(if node.as_bool() == Some(true) {
                "true"
            } else {
                "false"
            })))
        }
        (FieldType::Integer, Kind::Number) => match node.as_num().and_then(|n| n.whole()) {
            Some(i) => Typed::Exact(Val::Int(i)),
            None => Typed::Wrong("not_whole"),
        },
        (FieldType::Integer, Kind::String) => {
            let s = node.as_str().unwrap_or("");
            let digits = s.strip_prefix('-').unwrap_or(s);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                match s.parse::<i64>() {
                    Ok(i) => Typed::Coerced(Val::Int(i)),
                    Err(_) => Typed::Wrong("not_whole"),
                }
            } else if s.parse::<f64>().is_ok() {
                Typed::Wrong("not_whole")
            } else {
                Typed::Wrong("type")
            }
        }
        (FieldType::Boolean, Kind::Bool) => Typed::Exact(Val::Bool(node.as_bool() == Some(true))),
        (FieldType::Boolean, Kind::String) => match node.as_str() {
            Some("true") => Typed::Coerced(Val::Bool(true)),
            Some("false") => Typed::Coerced(Val::Bool(false)),
            _ => Typed::Wrong("type"),
        },
        (FieldType::Object, Kind::Object) | (FieldType::Array, Kind::Array) => {
            Typed::Exact(Val::Composite)
        }
        _ => Typed::Wrong("type"),
    }
}
