//! A fast, span-aware, strict (RFC 8259) JSON parser.
//!
//! The linter parses request bodies with this module instead of
//! `serde_json::Value` because it needs byte spans for every value and key,
//! keeps duplicate keys (so they can be reported), and reports precise,
//! human-readable syntax errors.
//!
//! Design notes (performance):
//! * strings without escapes are borrowed from the input (`Cow::Borrowed`);
//! * numbers are only validated, their raw text is kept and converted lazily;
//! * the only allocations are one exactly-sized `Vec` per non-empty array or
//!   object (children are collected on a shared scratch stack first) and one
//!   `String` per string that contains escapes;
//! * string bodies are scanned eight bytes at a time (`scan`, the parser's one fast path);
//! * the parser is iterative: nesting depth never turns into native recursion,
//!   so hostile inputs (e.g. 100 000 `[`) fail fast with [`ParseErrorKind::TooDeep`].

use std::borrow::Cow;

mod dups;
mod error;
mod lines;
mod member_at;
mod parser;
mod scan;
pub(crate) use member_at::member_at;
mod write;

#[cfg(test)]
mod tests;

pub use dups::{find_duplicates, push_token, to_pointer, Segment};
pub use error::{ExtensionError, ParseError, ParseErrorKind};
pub use lines::LineIndex;
pub use write::write_string;

/// Default maximum nesting depth of arrays/objects.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// A half-open byte range `start..end` into the original input (a leading BOM
/// is included in the offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Creates a span.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True if the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// A parsed JSON value together with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<'a> {
    pub span: Span,
    pub kind: Kind<'a>,
}

/// The kind (and content) of a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Number(Number<'a>),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in document order; duplicate keys are kept.
    Object(Vec<Member<'a>>),
    /// A value a template fills in at render time (`${NODE_NUM}`, `"{{ .Values.password }}"`,
    /// `"ddm-${ENV}-01"`): given, but not known. Only a reader extending JSON
    /// ([`parse_extended`]) and the template pass make one; the text is what the report lists
    /// (the expressions).
    Unknown(Cow<'a, str>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: Cow<'a, str>,
    /// Span of the key including its quotes.
    pub key_span: Span,
    pub value: Value<'a>,
}

/// A JSON number, kept as its exact (already validated) source text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number<'a> {
    pub raw: &'a str,
}

impl Number<'_> {
    /// True if the literal has no fraction and no exponent.
    pub fn is_integer_literal(&self) -> bool {
        !self.raw.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// `Some` only if the literal is an integer (no `.`, no exponent) that fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer_literal() {
            self.raw.parse::<i64>().ok()
        } else {
            None
        }
    }

    /// `Some` only if the literal is a non-negative integer that fits in `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        if self.is_integer_literal() && !self.raw.starts_with('-') {
            self.raw.parse::<u64>().ok()
        } else {
            None
        }
    }

    /// The value as `f64` (correctly rounded; may be infinite, e.g. for `1e400`).
    pub fn as_f64(&self) -> f64 {
        self.raw.parse().unwrap_or(f64::NAN)
    }
}

/// Parser options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Maximum nesting of arrays/objects; the root container is depth 1.
    pub max_depth: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Parses `input` with default options.
#[cfg(test)]
pub fn parse(input: &str) -> Result<Value<'_>, ParseError> {
    parser::parse_document(input, DEFAULT_MAX_DEPTH)
}

/// Parses `input` with the given options.
pub fn parse_with<'a>(input: &'a str, opts: &ParseOptions) -> Result<Value<'a>, ParseError> {
    parser::parse_document(input, opts.max_depth)
}

/// Parses `input` and says whether some object in it may have a key twice (what
/// `find_duplicates(&value).is_empty()` denies; `false` means [`find_duplicates`] need not run),
/// found as each object closes while its members are at hand.
pub(crate) fn parse_noting_duplicates<'a>(
    input: &'a str,
    opts: &ParseOptions,
) -> Result<(Value<'a>, bool), ParseError> {
    parser::parse_document_noting(input, opts.max_depth)
}

/// A reader that extends JSON (the template reader) hooks the parser: the parser asks it only
/// where plain JSON fails, and knows nothing of what it reads. `rest` is the text from the
/// position in question to the end.
pub trait Extension: Sync {
    /// Whether the reader's own text opens at the start of `rest`.
    fn opens(&self, rest: &[u8]) -> bool;
    /// Where a value is expected and no JSON value starts: the length of a value the reader
    /// reads there (given, not known: a [`Kind::Unknown`]), an error of its own, or `None` for
    /// the parser's syntax error.
    fn value(&self, rest: &str) -> Result<Option<usize>, ExtensionError>;
    /// The error for the reader's text (it [`opens`](Extension::opens) there) standing where a
    /// key, `,` or closing bracket is expected.
    fn misplaced(&self, rest: &str) -> ExtensionError;
}

/// Parses `input` as [`parse_noting_duplicates`] does, with `ext` reading what plain JSON does
/// not. The plain parse is not slowed: the extension is asked only where plain JSON fails.
pub fn parse_extended<'a>(
    input: &'a str,
    opts: &ParseOptions,
    ext: &'static dyn Extension,
) -> Result<(Value<'a>, bool), ParseError> {
    parser::parse_document_extended(input, opts.max_depth, ext)
}

impl<'a> Value<'a> {
    /// For objects: the value of the LAST member named `key` (serde_json keeps
    /// the last duplicate too). `None` for non-objects or missing keys.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.member(key).map(|m| &m.value)
    }

    /// For objects: the LAST member named `key`.
    pub fn member(&self, key: &str) -> Option<&Member<'a>> {
        match &self.kind {
            Kind::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    /// Short JSON type name: `null`, `boolean`, `number`, `string`, `array`, `object`.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
            Kind::Unknown(_) => "unknown",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number<'a>> {
        match &self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value`. Numbers become `i64` if
    /// [`Number::as_i64`] succeeds (except `-0`, which becomes `-0.0` exactly as
    /// serde_json parses it), else `u64` if it fits, else a finite `f64`, else
    /// `Null`. Duplicate keys: the last one wins (as in serde_json).
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value as S;
        match &self.kind {
            Kind::Null => S::Null,
            Kind::Bool(b) => S::Bool(*b),
            Kind::Number(n) => number_to_serde(n),
            Kind::String(s) | Kind::Unknown(s) => S::String(s.to_string()),
            Kind::Array(items) => S::Array(items.iter().map(Value::to_serde).collect()),
            Kind::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.to_string(), m.value.to_serde());
                }
                S::Object(map)
            }
        }
    }
}

fn number_to_serde(n: &Number<'_>) -> serde_json::Value {
    use serde_json::Value as S;
    if let Some(i) = n.as_i64() {
        if i == 0 && n.raw.starts_with('-') {
            // serde_json parses `-0` as the float -0.0.
            return serde_json::Number::from_f64(-0.0).map_or(S::Null, S::Number);
        }
        return S::Number(i.into());
    }
    if let Some(u) = n.as_u64() {
        return S::Number(u.into());
    }
    serde_json::Number::from_f64(n.as_f64()).map_or(S::Null, S::Number)
}
