//! The findings several kinds share: a value outside an allowed list (`enum`, `lookup_enum`) and
//! a number outside bounds (`range`, `lookup_range`, `context_max`, `context_range`).

use super::Val;
use crate::engine::{with_room, Param, Params};

/// The parameters a finding of [`enum_check`] carries.
pub const ENUM_PARAMS: &[&str] = &["allowed", "value", "suggestion"];

/// The parameters a finding of [`range_check`] carries.
pub const RANGE_PARAMS: &[&str] = &["actual", "min", "max"];

/// `v` against the allowed values (`None`: JSON `null`, listed as `null`); a finding lists them,
/// quotes the value (not a secret's) and suggests the allowed value equal to it but for ASCII
/// case.
pub fn enum_check<'v>(
    allowed: impl Iterator<Item = Option<&'v str>>,
    v: &Val<'_>,
    secret: bool,
) -> Option<Params> {
    let t = v.text();
    let allowed: Vec<Option<&str>> = allowed.collect();
    if allowed.iter().any(|a| *a == Some(t.as_ref())) {
        return None;
    }
    let suggestion = allowed
        .iter()
        .flatten()
        .find(|a| a.eq_ignore_ascii_case(&t))
        .map(|s| s.to_string());
    let mut p = with_room([(
        "allowed",
        Param::List(
            allowed
                .iter()
                .map(|a| a.unwrap_or("null").to_string())
                .collect(),
        ),
    )]);
    if !secret {
        p.push(("value", Param::Str(t.into_owned())));
    }
    if let Some(s) = suggestion {
        p.push(("suggestion", Param::Str(s)));
    }
    Some(p)
}

/// An integer (or a string of one) against the bounds; other values are not this check's.
pub fn range_check(v: &Val<'_>, min: Option<i64>, max: Option<i64>) -> Option<Params> {
    let n = match v {
        Val::Int(i) => *i,
        Val::Str(s) => s.parse::<i64>().ok()?,
        _ => return None,
    };
    let bad = min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m);
    bad.then(|| {
        let mut p = with_room([("actual", Param::Int(n))]);
        if let Some(m) = min {
            p.push(("min", Param::Int(m)));
        }
        if let Some(m) = max {
            p.push(("max", Param::Int(m)));
        }
        p
    })
}
