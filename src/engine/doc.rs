//! One read-only view over the two trees the engine checks: `serde_json::Value` (values handed in
//! by Rust callers and the browser) and the span-carrying tree of [`crate::json`] (text input).
//! The engine is generic over [`Doc`], so both paths run the same compiled rules.

use crate::json;
use std::borrow::Cow;

/// The JSON type of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
    /// A value a template fills in (text read with templates only): given, not known. Presence
    /// rules see it; value rules, and rules whose condition reads it, stay silent.
    Unknown,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::Unknown => "unknown",
        }
    }
}

/// A JSON number as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    /// The number as a whole `i64`, if it is one (`3.0` and `1e2` are whole; `2.5`, `1e400` are not).
    pub fn whole(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Some(f as i64)
            }
            Num::Float(_) => None,
        }
    }

    pub fn to_text(self) -> String {
        match self {
            Num::Int(i) => i.to_string(),
            // One float writer in the crate: serde_json's (see json::float).
            Num::Float(f) => json::float::float_text(f),
        }
    }
}

/// Read-only access to a JSON tree.
pub trait Doc: Sized {
    type Members<'a>: Iterator<Item = (&'a str, &'a Self)>
    where
        Self: 'a;

    fn kind(&self) -> Kind;
    fn as_str(&self) -> Option<&str>;
    fn as_bool(&self) -> Option<bool>;
    fn as_num(&self) -> Option<Num>;
    /// Member of an object (the last one, where a key is duplicated).
    fn get(&self, key: &str) -> Option<&Self>;
    /// Items of an array; empty for anything else.
    fn items(&self) -> &[Self];
    /// Members of an object in document order; `None` for anything else.
    fn members(&self) -> Option<Self::Members<'_>>;
    /// Number of members of an object (0 for anything else).
    fn member_count(&self) -> usize;

    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// A value a template fills in ([`Kind::Unknown`]).
    fn is_unknown(&self) -> bool {
        self.kind() == Kind::Unknown
    }

    /// A text form of a scalar for messages (`None` for arrays and objects).
    fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match self.kind() {
            Kind::String => self.as_str().map(Cow::Borrowed),
            Kind::Number => self.as_num().map(|n| Cow::Owned(n.to_text())),
            Kind::Bool => self
                .as_bool()
                .map(|b| Cow::Borrowed(if b { "true" } else { "false" })),
            Kind::Null => Some(Cow::Borrowed("null")),
            _ => None,
        }
    }
}

type SerdeMembers<'a> = std::iter::Map<
    serde_json::map::Iter<'a>,
    fn((&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value),
>;

fn serde_member<'a>(m: (&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value) {
    (m.0.as_str(), m.1)
}

impl Doc for serde_json::Value {
    type Members<'a> = SerdeMembers<'a>;

    fn kind(&self) -> Kind {
        match self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::String,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }
    fn as_str(&self) -> Option<&str> {
        serde_json::Value::as_str(self)
    }
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }
    fn as_num(&self) -> Option<Num> {
        let serde_json::Value::Number(n) = self else {
            return None;
        };
        if let Some(i) = n.as_i64() {
            Some(Num::Int(i))
        } else if let Some(u) = n.as_u64() {
            Some(Num::Float(u as f64))
        } else {
            n.as_f64().map(Num::Float)
        }
    }
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            serde_json::Value::Object(m) => m.get(key),
            _ => None,
        }
    }
    fn items(&self) -> &[Self] {
        match self {
            serde_json::Value::Array(a) => a,
            _ => &[],
        }
    }
    fn members(&self) -> Option<Self::Members<'_>> {
        match self {
            serde_json::Value::Object(m) => Some(m.iter().map(serde_member as fn(_) -> _)),
            _ => None,
        }
    }
    fn member_count(&self) -> usize {
        match self {
            serde_json::Value::Object(m) => m.len(),
            _ => 0,
        }
    }
}

type SpannedMembers<'a, 'src> = std::iter::Map<
    std::slice::Iter<'a, json::Member<'src>>,
    fn(&'a json::Member<'src>) -> (&'a str, &'a json::Value<'src>),
>;

fn spanned_member<'a, 'src>(m: &'a json::Member<'src>) -> (&'a str, &'a json::Value<'src>) {
    (m.key.as_ref(), &m.value)
}

impl<'src> Doc for json::Value<'src> {
    type Members<'a>
        = SpannedMembers<'a, 'src>
    where
        Self: 'a;

    fn kind(&self) -> Kind {
        match &self.kind {
            json::Kind::Null => Kind::Null,
            json::Kind::Bool(_) => Kind::Bool,
            json::Kind::Number(_) => Kind::Number,
            json::Kind::String(_) => Kind::String,
            json::Kind::Array(_) => Kind::Array,
            json::Kind::Object(_) => Kind::Object,
            json::Kind::Unknown(_) => Kind::Unknown,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match &self.kind {
            json::Kind::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            json::Kind::Bool(b) => Some(*b),
            _ => None,
        }
    }
    #[inline]
    fn as_num(&self) -> Option<Num> {
        match &self.kind {
            json::Kind::Number(n) => Some(match n.as_i64() {
                Some(i) => Num::Int(i),
                None => Num::Float(n.as_f64()),
            }),
            _ => None,
        }
    }
    fn get(&self, key: &str) -> Option<&Self> {
        json::Value::get(self, key)
    }
    fn items(&self) -> &[Self] {
        match &self.kind {
            json::Kind::Array(a) => a,
            _ => &[],
        }
    }
    fn members(&self) -> Option<Self::Members<'_>> {
        match &self.kind {
            json::Kind::Object(m) => Some(m.iter().map(spanned_member as fn(_) -> _)),
            _ => None,
        }
    }
    fn member_count(&self) -> usize {
        match &self.kind {
            json::Kind::Object(m) => m.len(),
            _ => 0,
        }
    }
}
