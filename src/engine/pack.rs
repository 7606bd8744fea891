//! The rule-pack data model, as written in `rules/*.json`. Packs are embedded at compile time and
//! read once; [`super::Engine::compile`] turns them into checks.
//!
//! Each struct is declared once with `pack_struct!`, which also writes its reader from a
//! `serde_json::Value` ([`Pack::from_value`]) through a few shared functions, rather than through
//! derived deserializers (a derive instantiates a whole deserializer per type). The readers are
//! strict: unknown members, missing members and wrong types are errors that name the member. A
//! rule's check is kept as its JSON object ([`CheckDef`]): each check kind reads its own typed
//! parameters.

use serde::Serialize;
use serde_json::{Map, Value};

/// Declares a pack struct and its reader at once, each member written once: its key (the
/// member's name, or `as "key"`), its type and, with `= default`, that an absent or `null` member
/// reads as the type's default (the documentation members, which build.rs leaves out of the
/// browser package's packs, are such members). A member of an `Option` type may be absent or
/// `null`; every other member must be there. Unknown members are errors, and every error names
/// the member (`named "rule" by id`: and the struct's `id` too).
macro_rules! pack_struct {
    (
        $(#[$attr:meta])*
        pub struct $name:ident $(named $what:literal by $id:ident)? {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident $(as $key:literal)? : $ty:ty $(= $default:ident)?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[$field_attr])* pub $field: $ty, )*
        }

        impl $name {
            /// Read from its JSON value (see `pack_struct!`). Not every struct is read alone
            /// outside the tests; the one reader is `Read::read`.
            #[allow(dead_code)]
            pub fn from_value(v: &Value) -> Result<Self, String> {
                <Self as Read>::read(v)
            }
        }

        impl Read for $name {
            fn read(v: &Value) -> Result<Self, String> {
                let m = object(
                    v,
                    concat!("struct ", stringify!($name)),
                    &[$(key!($field $($key)?)),*],
                )?;
                let read = || -> Result<Self, String> {
                    Ok($name {
                        $( $field: read_member!(m, key!($field $($key)?) $(, $default)?), )*
                    })
                };
                read()$(.map_err(|e| named(e, $what, m, stringify!($id))))?
            }
        }
    };
}

/// A member's key: its name, or the key given with `as`.
macro_rules! key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}

macro_rules! read_member {
    ($m:expr, $key:expr) => {
        member($m, $key)?
    };
    ($m:expr, $key:expr, default) => {
        member::<Option<_>>($m, $key)?.unwrap_or_default()
    };
}

/// A unit enum read from its variants' names.
macro_rules! read_variants {
    ($ty:ty { $($name:literal => $variant:expr),* $(,)? }) => {
        impl Read for $ty {
            fn read(v: &Value) -> Result<Self, String> {
                Ok([$($variant),*][variant(v, &[$($name),*])?])
            }
        }
    };
}

pack_struct! {
    /// Text in both languages the project speaks.
    #[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
    pub struct Text {
        pub en: String,
        pub zh: String,
    }
}

impl Text {
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.en,
            crate::Lang::Zh => &self.zh,
        }
    }
}

pack_struct! {
    /// Where a rule's constraint is written in the reference pages.
    #[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
    pub struct Source {
        /// The reference page(s) by title, product, language and edition date (several joined by
        /// `; `), or the project's own reading of them (`docs/reading-the-pages.md`) for rules
        /// beyond the pages' tables. Never a file outside the repository.
        pub page: String,
        pub table: String,
        pub parameter: String,
    }
}

pack_struct! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Pack {
        pub api: String,
        pub title: String = default,
        pub sources: Vec<String> = default,
        pub tables: Map<String, Value> = default,
        /// Codes and their wording, sorted by code.
        pub vocabulary: Vec<(String, Text)> = default,
        pub fields: Vec<FieldDef> = default,
        pub rules: Vec<RuleDef>,
        /// Like every `= default` member, empty when absent: build.rs leaves the documentation
        /// members out without the `docs` feature (tests/registry.rs requires them in the files).
        pub unchecked: Vec<Unchecked> = default,
        /// How an API pack's bodies are told (build.rs generates the detection from it).
        pub detect: Option<Detect>,
    }
}

pack_struct! {
    /// An API pack's detection key: a body whose top level has `member` is for this API, the
    /// packs tried by ascending `order`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Detect {
        pub member: String,
        pub order: u64,
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    /// A String documented to hold `"true"` or `"false"`.
    BoolString,
    Object,
    Array,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String | FieldType::BoolString => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }
}

read_variants!(FieldType {
    "string" => FieldType::String,
    "integer" => FieldType::Integer,
    "boolean" => FieldType::Boolean,
    "bool_string" => FieldType::BoolString,
    "object" => FieldType::Object,
    "array" => FieldType::Array,
});

/// How a scalar of a coercible but wrong JSON type is treated (docs/reading-the-pages.md#types).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Coerce {
    /// The page's tables and examples agree: a warning.
    #[default]
    Warn,
    /// The page's own examples use the other type: accepted silently.
    Silent,
}

read_variants!(Coerce {
    "warn" => Coerce::Warn,
    "silent" => Coerce::Silent,
});

read_variants!(crate::Severity {
    "info" => crate::Severity::Info,
    "warning" => crate::Severity::Warning,
    "error" => crate::Severity::Error,
});

pack_struct! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct FieldDef named "field" by pointer {
        pub pointer: String,
        pub ty as "type": FieldType,
        pub required: bool = default,
        pub coerce: Coerce = default,
        pub secret: bool = default,
        pub label: Text,
        /// The documented default an absent member takes (an info, where `default_note` is
        /// given).
        pub default: Option<Value>,
        pub default_note: Option<Text>,
        /// Where `null` is a documented value and draws no diagnostic.
        pub null_ok: Option<CondDef>,
        pub source: Source = default,
    }
}

pack_struct! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct RuleDef named "rule" by id {
        pub id: String,
        pub name: String,
        pub severity: crate::Severity,
        /// When this rule fires, the service ignores the member it reports (`period_num` under
        /// postPaid): that member's type and value rules stay silent, this rule's finding is the
        /// one.
        pub member_ignored: bool = default,
        /// Values the pages forbid but the live service is known to accept, each with its
        /// evidence: such a finding is a warning that states both, or the documented error under
        /// `strict`.
        pub observed: Vec<Observed> = default,
        pub targets: Vec<String>,
        pub when: Option<CondDef>,
        pub check: Value,
        /// The fix the rule offers, as data (see [`FixDef`]).
        pub fix: Option<FixDef>,
        pub summary: Text = default,
        pub message: Text,
        pub help: Text,
        pub why: Text = default,
        pub examples: Examples = default,
        pub source: Source = default,
    }
}

pack_struct! {
    /// How a rule's finding is fixed: which edit, whether it keeps the meaning, and its wording
    /// (a template over the finding's parameters, plus `{replacement}`: the text written).
    #[derive(Debug, Clone, Serialize, PartialEq, Eq)]
    pub struct FixDef {
        pub edit: FixEdit,
        pub applicability: crate::Applicability,
        pub message: Text,
    }
}

/// The edits a rule pack can name. Each one is computed from the finding and the text; none
/// is offered where it cannot be told (no single suggestion, a secret, a template value).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FixEdit {
    /// The value becomes the finding's `suggestion` (a JSON string).
    Suggestion,
    /// The member's key becomes the finding's `suggestion`.
    Rename,
    /// The scalar is written as the documented JSON type.
    DocumentedType,
    /// The member is removed, with its separator.
    Remove,
    /// The rule's check kind computes the value (e.g. a backup window's end from its start).
    Check,
}

impl FixEdit {
    pub const ALL: [(&'static str, FixEdit); 5] = [
        ("suggestion", FixEdit::Suggestion),
        ("rename", FixEdit::Rename),
        ("documented_type", FixEdit::DocumentedType),
        ("remove", FixEdit::Remove),
        ("check", FixEdit::Check),
    ];
}

impl Read for FixEdit {
    fn read(v: &Value) -> Result<Self, String> {
        Ok(FixEdit::ALL[variant(v, &FixEdit::ALL.map(|(name, _)| name))?].1)
    }
}

impl Read for crate::Applicability {
    fn read(v: &Value) -> Result<Self, String> {
        use crate::Applicability as A;
        Ok(A::ALL[variant(v, &A::ALL.map(|(name, _)| name))?].1)
    }
}

pack_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq, Default)]
    pub struct Examples {
        pub invalid: Value,
        pub valid: Value,
    }
}

pack_struct! {
    /// An observed acceptance: where public evidence shows that the service accepts a value that
    /// the rule's documented check rejects. The value is relaxed when `when` holds (or always)
    /// and it passes `accepts`, a check in the same vocabulary as the rule's own.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Observed {
        pub when: Option<CondDef>,
        pub accepts: Value,
        /// The documented limit, as a reader would state it (`3 to 12 nodes`).
        pub documented: Text,
        /// What the service has been seen to accept (`2 nodes for Redis Replication`).
        pub accepted: Text,
        pub source: Evidence,
    }
}

pack_struct! {
    /// Where an observed acceptance was seen.
    #[derive(Debug, Clone, Serialize, PartialEq, Eq)]
    pub struct Evidence {
        /// The public project (a provider, an SDK, a documentation site).
        pub project: String,
        /// The file or page in it.
        pub file: String,
        /// When (a date or a span of passing runs).
        pub date: String,
    }
}

pack_struct! {
    /// A parameter of a seed table that no rule checks, and why.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Unchecked {
        pub parameter: String,
        pub reason: Text,
        pub source: Source,
    }
}

pack_struct! {
    /// A condition, written as data: `{"field": "/mode", "eq": "Cluster"}`, `{"all": [...]}`, ...
    #[derive(Debug, Clone, Serialize, Default, PartialEq)]
    pub struct CondDef {
        pub all: Option<Vec<CondDef>>,
        pub any: Option<Vec<CondDef>>,
        pub not: Option<Box<CondDef>>,
        /// The field whose (coerced) value is tested.
        pub field: Option<String>,
        /// A context key whose value is tested (docs/reading-the-pages.md#decision-15).
        pub context: Option<String>,
        pub eq: Option<Value>,
        #[serde(rename = "in")]
        pub in_ as "in": Option<Vec<Value>>,
        /// The value is a key of this pack table.
        pub in_table: Option<String>,
        pub present: Option<bool>,
        pub contains: Option<String>,
        pub gt: Option<f64>,
    }
}

/// A check's definition as written under `check` in a rule (a config's `options` merged in): the
/// JSON object each check kind reads its own typed parameters from
/// ([`super::check::Check::compile`]). Only its being an object with a `kind` is checked here.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckDef(pub Map<String, Value>);

// ------------------------------------------------------------------------------------------
// Reading the packs from JSON values
// ------------------------------------------------------------------------------------------

/// A type a pack member is read as. The generic functions over it are one line each; the
/// errors are written by the shared functions below.
trait Read: Sized {
    fn read(v: &Value) -> Result<Self, String>;

    /// What an absent member reads as, where it may be absent.
    fn absent() -> Option<Self> {
        None
    }
}

/// The member `key` of `m`, read.
fn member<T: Read>(m: &Map<String, Value>, key: &str) -> Result<T, String> {
    match m.get(key) {
        Some(v) => T::read(v).map_err(|e| at(key, e)),
        None => T::absent().ok_or_else(|| missing(key)),
    }
}

/// An error in the member `key`.
fn at(key: &str, e: String) -> String {
    format!("{key}: {e}")
}

fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

/// An error in a struct that has an id (a rule's, a field's pointer): named by it.
fn named(e: String, what: &str, m: &Map<String, Value>, id: &str) -> String {
    match m.get(id).and_then(Value::as_str) {
        Some(id) => format!("{what} {id}: {e}"),
        None => e,
    }
}

impl<T: Read> Read for Option<T> {
    /// Absent or `null`: none.
    fn read(v: &Value) -> Result<Self, String> {
        if v.is_null() {
            Ok(None)
        } else {
            T::read(v).map(Some)
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: Read> Read for Box<T> {
    fn read(v: &Value) -> Result<Self, String> {
        T::read(v).map(Box::new)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_array()
            .ok_or_else(|| invalid(v, "a sequence"))?
            .iter()
            .map(T::read)
            .collect()
    }
}

/// A map of texts by code (a map's members come in key order: the list is sorted).
impl Read for Vec<(String, Text)> {
    fn read(v: &Value) -> Result<Self, String> {
        let m = v.as_object().ok_or_else(|| invalid(v, "a map"))?;
        m.iter()
            .map(|(k, t)| Ok((k.clone(), Text::read(t).map_err(|e| at(k, e))?)))
            .collect()
    }
}

impl Read for String {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| invalid(v, "a string"))
    }
}

impl Read for bool {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| invalid(v, "a boolean"))
    }
}

impl Read for u64 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_u64()
            .ok_or_else(|| invalid(v, "a whole number of 0 or more"))
    }
}

impl Read for f64 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_f64().ok_or_else(|| invalid(v, "f64"))
    }
}

/// Any JSON value, `null` included.
impl Read for Value {
    fn read(v: &Value) -> Result<Self, String> {
        Ok(v.clone())
    }
}

impl Read for Map<String, Value> {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_object().cloned().ok_or_else(|| invalid(v, "a map"))
    }
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {}", quoted(s)),
        Value::Array(_) => "a sequence".into(),
        Value::Object(_) => "a map".into(),
    }
}

/// `s` in double quotes with quotes, backslashes and control characters escaped, as `{s:?}`
/// writes printable text (without the Unicode tables `Debug` carries into the browser package).
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn invalid(v: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", kind_of(v))
}

/// `one of `a`, `b``: the keys or names a value may take, for an error.
fn one_of(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("one of {}", names.join(", "))
}

/// An object whose members are all among `keys` (what `deny_unknown_fields` did).
fn object<'v>(v: &'v Value, what: &str, keys: &[&str]) -> Result<&'v Map<String, Value>, String> {
    let m = v.as_object().ok_or_else(|| invalid(v, what))?;
    if let Some(k) = m.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(format!("unknown field `{k}`, expected {}", one_of(keys)));
    }
    Ok(m)
}

/// The index of a unit variant in `names`, by its name.
fn variant(v: &Value, names: &[&str]) -> Result<usize, String> {
    let s = v.as_str().ok_or_else(|| invalid(v, "a string"))?;
    names
        .iter()
        .position(|name| *name == s)
        .ok_or_else(|| format!("unknown variant `{s}`, expected {}", one_of(names)))
}

impl CheckDef {
    /// A rule's `check` object (with a config's `options` merged in).
    pub fn from_value(v: &Value) -> Result<CheckDef, super::check::CheckError> {
        use super::check::{CheckError, Reason};
        let m = v.as_object().ok_or_else(|| {
            CheckError::new(
                "kind",
                Reason::NotAnObject {
                    found: super::checks::options::kind_of(v),
                },
            )
        })?;
        if !m.get("kind").is_some_and(Value::is_string) {
            return Err(CheckError::new("kind", Reason::NoKind));
        }
        Ok(CheckDef(m.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::{quoted, Pack};
    use serde_json::json;

    fn error(pack: serde_json::Value) -> String {
        Pack::from_value(&pack).unwrap_err()
    }

    /// A bad pack's error names the member (and the rule or field it is in).
    #[test]
    fn pack_errors_name_the_member() {
        let rule = json!({"id": "X1", "name": "x", "severity": "error", "targets": ["/a"],
            "check": {"kind": "present"}, "message": {"en": "m", "zh": "m"},
            "help": {"en": "h", "zh": "h"}});
        let ok = Pack::from_value(&json!({"api": "a", "rules": [rule.clone()]})).unwrap();
        assert_eq!(ok.rules[0].id, "X1");
        assert!(ok.title.is_empty() && ok.fields.is_empty() && ok.detect.is_none());
        assert_eq!(ok.rules[0].summary, super::Text::default());
        assert_eq!(error(json!({"rules": []})), "missing field `api`");
        assert_eq!(
            error(json!({"api": "a", "rules": [], "extra": 1})),
            "unknown field `extra`, expected one of `api`, `title`, `sources`, `tables`, \
             `vocabulary`, `fields`, `rules`, `unchecked`, `detect`"
        );
        let mut bad = rule.clone();
        bad["severity"] = json!("fatal");
        assert_eq!(
            error(json!({"api": "a", "rules": [bad]})),
            "rules: rule X1: severity: unknown variant `fatal`, expected one of `info`, \
             `warning`, `error`"
        );
        let mut bad = rule.clone();
        bad["when"] = json!({"not": {"gt": "3"}});
        assert_eq!(
            error(json!({"api": "a", "rules": [bad]})),
            "rules: rule X1: when: not: gt: invalid type: string \"3\", expected f64"
        );
        let mut bad = rule;
        bad.as_object_mut().unwrap().remove("help");
        assert_eq!(
            error(json!({"api": "a", "rules": [bad]})),
            "rules: rule X1: missing field `help`"
        );
        assert_eq!(
            error(json!({"api": "a", "rules": [],
                "fields": [{"pointer": "/p", "type": "string", "label": {"en": "l"}}]})),
            "fields: field /p: label: missing field `zh`"
        );
        assert_eq!(
            error(json!({"api": "a", "rules": [], "vocabulary": {"c": {"en": 1, "zh": ""}}})),
            "vocabulary: c: en: invalid type: number 1, expected a string"
        );
        assert_eq!(
            error(json!({"api": "a", "rules": [], "detect": {"member": "m", "order": -1}})),
            "detect: order: invalid type: number -1, expected a whole number of 0 or more"
        );
        // `null` reads as absent where a member may be absent.
        let p = Pack::from_value(&json!({"api": "a", "rules": [], "title": null, "detect": null}));
        assert!(p.unwrap().title.is_empty());
    }

    #[test]
    fn quoted_is_debug_for_text_and_control_characters() {
        for s in [
            "",
            "plain",
            "say \"hi\"",
            "back\\slash",
            "tab\tnew\nline\r",
            "nul\0 bell\u{7} del\u{7f} c1\u{85}",
            "it's",
            "中文 ünï 😀",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }
}
