//! Values as Terraform sees them while reading a module: known values, unknown ones (a
//! reference to a resource, a data source, a function not evaluated: the expression's text),
//! where each was written, and whether a sensitive variable reached it.

use crate::json::{self, Kind, Member, Number, Span};
use std::borrow::Cow;
use std::ops::Range;

/// Where a value was written: a file of the read (an index into its file table) and the byte
/// range of the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub file: usize,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Val>),
    /// Objects and maps, members in written order.
    Obj(Vec<(String, Val)>),
    /// Not known before apply: the expression's text.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Val {
    pub v: V,
    /// Where the value was written (`None`: given on the command line or in the environment).
    pub from: Option<Place>,
    /// A variable declared `sensitive = true` reached it.
    pub secret: bool,
}

impl Val {
    pub fn new(v: V, from: Option<Place>) -> Val {
        Val {
            v,
            from,
            secret: false,
        }
    }

    pub fn unknown(text: impl Into<String>, from: Option<Place>) -> Val {
        Val::new(V::Unknown(text.into()), from)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.v, V::Unknown(_))
    }

    /// Whether this value or one inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match &self.v {
            V::Unknown(_) => true,
            V::List(items) => items.iter().any(Val::has_unknown),
            V::Obj(members) => members.iter().any(|(_, v)| v.has_unknown()),
            _ => false,
        }
    }

    /// Whether a sensitive value is in it.
    pub fn has_secret(&self) -> bool {
        self.secret
            || match &self.v {
                V::List(items) => items.iter().any(Val::has_secret),
                V::Obj(members) => members.iter().any(|(_, v)| v.has_secret()),
                _ => false,
            }
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        match &self.v {
            V::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string Terraform converts a primitive to (`None`: not a primitive, or null).
    pub fn to_text(&self) -> Option<String> {
        match &self.v {
            V::Str(s) => Some(s.clone()),
            V::Num(n) => Some(number_text(*n)),
            V::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value as a JSON tree in the arena, the way a plan's `change.after` holds it. Every
    /// value's span is `place(self)`: the reader's own code for where it was written.
    pub fn to_json<'a>(
        &self,
        arena: &'a bumpalo::Bump,
        place: &dyn Fn(&Val) -> Span,
    ) -> json::Value<'a> {
        let kind = match &self.v {
            V::Null => Kind::Null,
            V::Bool(b) => Kind::Bool(*b),
            V::Num(n) => Kind::Number(Number {
                raw: arena.alloc_str(&number_text(*n)),
            }),
            V::Str(s) => Kind::String(Cow::Borrowed(arena.alloc_str(s))),
            V::Unknown(t) => Kind::Unknown(Cow::Borrowed(arena.alloc_str(t))),
            V::List(items) => Kind::Array(items.iter().map(|v| v.to_json(arena, place)).collect()),
            V::Obj(members) => Kind::Object(
                members
                    .iter()
                    .map(|(k, v)| {
                        let value = v.to_json(arena, place);
                        Member {
                            key: Cow::Borrowed(arena.alloc_str(k)),
                            key_span: value.span,
                            value,
                        }
                    })
                    .collect(),
            ),
        };
        json::Value {
            span: place(self),
            kind,
        }
    }
}

/// A number as Terraform prints it: integers without a fraction, others in the shortest form
/// that reads back the same.
pub(crate) fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else if n.is_finite() {
        format!("{n}")
    } else {
        // JSON has no infinity: Terraform would fail the plan; keep the text readable.
        "0".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_terraform_does() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-40.0), "-40");
        assert_eq!(number_text(0.5), "0.5");
    }

    #[test]
    fn json_tree_keeps_unknowns_and_numbers() {
        let arena = bumpalo::Bump::new();
        let v = Val::new(
            V::Obj(vec![
                ("n".into(), Val::new(V::Num(3.0), None)),
                ("p".into(), Val::unknown("random_password.p.result", None)),
            ]),
            None,
        );
        let j = v.to_json(&arena, &|_| Span::new(1, 2));
        assert_eq!(
            j.get("n").and_then(|n| n.as_number()).map(|n| n.raw),
            Some("3")
        );
        assert!(
            matches!(j.get("p").map(|p| &p.kind), Some(Kind::Unknown(t)) if t == "random_password.p.result")
        );
        assert_eq!(j.span, Span::new(1, 2));
    }
}
