//! The rule-pack data model, as written in `rules/*.json`, and its two forms:
//!
//! - **JSON**, the files people edit. build.rs reads them with [`Pack::from_value`], strictly:
//!   unknown members, missing members and wrong types are errors that name the member (and the
//!   rule or field it is in), and the build stops there.
//! - **A binary form** that build.rs writes from the pack it read ([`Pack::to_bin`]) and that
//!   every build of the crate embeds and reads ([`Pack::from_bin`]): the members in their
//!   declared order, without keys. The data was checked when it was written, so reading it has
//!   nothing to report but damage, and the module a browser loads carries no JSON reader for the
//!   packs.
//!
//! Each struct is declared once with `pack_struct!`, which writes both its JSON reader and its
//! binary encoder and decoder from the one member list; build.rs includes this file (and
//! `src/levels.rs`, the scales it names) rather than describing the packs a second time. A
//! rule's check is kept as its JSON object (`checks::options::CheckDef`): each check kind reads
//! its own typed parameters.

use serde::{de, Serialize};
use serde_json::{Map, Value};

/// Declares a pack struct, its JSON reader and its binary form at once, each member written once: its key (the
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

        impl Bin for $name {
            fn put(&self, out: &mut Vec<u8>) {
                $( self.$field.put(out); )*
            }

            fn take(r: &mut Bytes<'_>) -> Self {
                $name { $( $field: Bin::take(r), )* }
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

/// A unit enum read from its variants' names, and written in the binary form as its index
/// among them.
macro_rules! read_variants {
    ($ty:ty { $($name:literal => $variant:expr),* $(,)? }) => {
        impl Read for $ty {
            fn read(v: &Value) -> Result<Self, String> {
                Ok([$($variant),*][variant(v, &[$($name),*])?])
            }
        }

        impl Bin for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                put_variant(self, &[$($variant),*], out)
            }

            fn take(r: &mut Bytes<'_>) -> Self {
                take_variant(&[$($variant),*], r)
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

pub use crate::levels::FieldType;

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

read_variants!(crate::levels::Severity {
    "info" => crate::levels::Severity::Info,
    "warning" => crate::levels::Severity::Warning,
    "error" => crate::levels::Severity::Error,
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
        pub severity: crate::levels::Severity,
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
        pub applicability: crate::levels::Applicability,
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

impl Bin for FixEdit {
    fn put(&self, out: &mut Vec<u8>) {
        put_variant(self, &FixEdit::ALL.map(|(_, e)| e), out)
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        take_variant(&FixEdit::ALL.map(|(_, e)| e), r)
    }
}

impl Read for crate::levels::Applicability {
    fn read(v: &Value) -> Result<Self, String> {
        use crate::levels::Applicability as A;
        Ok(A::ALL[variant(v, &A::ALL.map(|(name, _)| name))?].1)
    }
}

impl Bin for crate::levels::Applicability {
    fn put(&self, out: &mut Vec<u8>) {
        put_variant(self, &Self::ALL.map(|(_, a)| a), out)
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        take_variant(&Self::ALL.map(|(_, a)| a), r)
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

/// A pack file's JSON text as a value, as serde_json reads it except that a member given twice
/// in one object is an error (serde_json would keep the last one, and a pack would lose a rule
/// or a wording silently). build.rs reads the files with it.
#[cfg_attr(not(test), allow(dead_code))]
pub fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text)
        .map(|Unique(v)| v)
        .map_err(|e| format!("not JSON: {e}"))
}

/// A JSON value read by [`parse_json`].
struct Unique(Value);

impl<'de> de::Deserialize<'de> for Unique {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> de::Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Unique(v) = map.next_value()?;
            if m.contains_key(&key) {
                return Err(de::Error::custom(format!("member `{key}` is given twice")));
            }
            m.insert(key, v);
        }
        Ok(Value::Object(m))
    }
}

// ------------------------------------------------------------------------------------------
// The binary form
// ------------------------------------------------------------------------------------------

impl Pack {
    /// The pack in its binary form (build.rs writes it; see the module comment).
    // The writing half is build.rs's and the tests': the crate only reads the form.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn to_bin(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.put(&mut out);
        out
    }

    /// A pack from its binary form: `None` if the bytes are not one whole pack (damaged, or
    /// written by another version of this file).
    pub fn from_bin(bytes: &[u8]) -> Option<Pack> {
        let mut r = Bytes {
            rest: bytes,
            damaged: false,
        };
        let pack = Pack::take(&mut r);
        (!r.damaged && r.rest.is_empty()).then_some(pack)
    }
}

/// A type a pack member is written as in the binary form: `take` reads what `put` wrote. Damage
/// (a byte missing or out of range) is noted in the reader and read as an empty value, and the
/// pack is refused at the end: one check for the whole pack rather than one for every member.
trait Bin {
    #[cfg_attr(not(test), allow(dead_code))]
    fn put(&self, out: &mut Vec<u8>);
    fn take(r: &mut Bytes<'_>) -> Self;
}

/// The binary form not yet read, and whether it was found damaged.
struct Bytes<'a> {
    rest: &'a [u8],
    damaged: bool,
}

impl<'a> Bytes<'a> {
    /// The next `n` bytes; none at all (and damage) if there are fewer.
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        if n > self.rest.len() {
            self.damage();
            return &[];
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        head
    }

    fn byte(&mut self) -> u8 {
        self.bytes(1).first().copied().unwrap_or(0)
    }

    /// Damage: nothing more is read (every length and tag after it reads as 0).
    fn damage(&mut self) {
        self.damaged = true;
        self.rest = &[];
    }
}

/// Counts and lengths, and whole numbers: LEB128, seven bits a byte, low bits first.
impl Bin for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        let mut n = *self;
        while n >= 0x80 {
            out.push(n as u8 | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = r.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
        }
        r.damage();
        0
    }
}

#[cfg_attr(not(test), allow(dead_code))]
fn put_len(n: usize, out: &mut Vec<u8>) {
    (n as u64).put(out)
}

/// A count of items: each takes at least a byte, so a count beyond the bytes left is damage.
fn take_len(r: &mut Bytes<'_>) -> usize {
    let n = u64::take(r);
    match usize::try_from(n) {
        Ok(n) if n <= r.rest.len() => n,
        _ => {
            r.damage();
            0
        }
    }
}

impl Bin for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self))
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        match r.byte() {
            0 => false,
            1 => true,
            _ => {
                r.damage();
                false
            }
        }
    }
}

impl Bin for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes())
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        f64::from_le_bytes(r.bytes(8).try_into().unwrap_or_default())
    }
}

impl Bin for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_len(self.len(), out);
        out.extend_from_slice(self.as_bytes());
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        let n = take_len(r);
        match std::str::from_utf8(r.bytes(n)) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                r.damage();
                String::new()
            }
        }
    }
}

impl<T: Bin> Bin for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        bool::take(r).then(|| T::take(r))
    }
}

impl<T: Bin> Bin for Box<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out)
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        Box::new(T::take(r))
    }
}

impl<T: Bin> Bin for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_len(self.len(), out);
        for v in self {
            v.put(out);
        }
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        (0..take_len(r)).map(|_| T::take(r)).collect()
    }
}

impl<A: Bin, B: Bin> Bin for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        (A::take(r), B::take(r))
    }
}

impl Bin for Map<String, Value> {
    fn put(&self, out: &mut Vec<u8>) {
        put_len(self.len(), out);
        for (k, v) in self {
            k.put(out);
            v.put(out);
        }
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        let mut m = Map::new();
        for _ in 0..take_len(r) {
            let k = String::take(r);
            m.insert(k, <Value as Bin>::take(r));
        }
        m
    }
}

/// Any JSON value (a check's parameters, a table, an example): a tag, then the value. Numbers
/// keep their kind (whole, negative whole, fractional), as JSON text read by serde_json does.
impl Bin for Value {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.push(0),
            Value::Bool(b) => out.push(1 + u8::from(*b)),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    out.push(3);
                    u.put(out);
                } else if let Some(i) = n.as_i64() {
                    out.push(4);
                    // Negative: its magnitude less one, which fits in a u64.
                    (!(i as u64)).put(out);
                } else {
                    out.push(5);
                    n.as_f64().unwrap_or(f64::NAN).put(out);
                }
            }
            Value::String(s) => {
                out.push(6);
                s.put(out);
            }
            Value::Array(items) => {
                out.push(7);
                items.put(out);
            }
            Value::Object(m) => {
                out.push(8);
                m.put(out);
            }
        }
    }

    fn take(r: &mut Bytes<'_>) -> Self {
        match r.byte() {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::from(u64::take(r)),
            4 => Value::from(!u64::take(r) as i64),
            5 => Value::from(f64::take(r)),
            6 => Value::String(String::take(r)),
            7 => Value::Array(Bin::take(r)),
            8 => Value::Object(Bin::take(r)),
            _ => {
                r.damage();
                Value::Null
            }
        }
    }
}

/// A unit variant as its index in `all`.
#[cfg_attr(not(test), allow(dead_code))]
fn put_variant<T: PartialEq>(v: &T, all: &[T], out: &mut Vec<u8>) {
    let i = all.iter().position(|x| x == v);
    out.push(i.and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX));
}

fn take_variant<T: Copy>(all: &[T], r: &mut Bytes<'_>) -> T {
    let i = usize::from(r.byte());
    all.get(i).copied().unwrap_or_else(|| {
        r.damage();
        all[0]
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_json, quoted, Pack};
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

    /// A pack with every kind of member, JSON values of every kind among them.
    fn every_member() -> Pack {
        let text = r#"{"api": "a", "title": "T", "sources": ["s"],
            "tables": {"t": {"k": [null, true, false, 0, 18446744073709551615,
                -9223372036854775808, -1, 0.5, -0.0, 1e300, "", "中文 \" \\"], "o": {}}},
            "vocabulary": {"c": {"en": "e", "zh": "z"}},
            "fields": [{"pointer": "/p", "type": "bool_string", "required": true,
                "coerce": "silent", "secret": true, "label": {"en": "l", "zh": "l"},
                "default": {"x": [1]}, "default_note": {"en": "d", "zh": "d"},
                "null_ok": {"any": [{"field": "/a", "in": [1, "x"]}], "not": {"gt": 2.5}},
                "source": {"page": "p", "table": "t", "parameter": "x"}}],
            "rules": [{"id": "X1", "name": "x", "severity": "warning", "member_ignored": true,
                "observed": [{"accepts": {"kind": "range", "min": 2},
                    "documented": {"en": "d", "zh": "d"}, "accepted": {"en": "a", "zh": "a"},
                    "source": {"project": "p", "file": "f", "date": "2026"}}],
                "targets": ["/a", "/b"],
                "when": {"all": [{"context": "c", "eq": "v"}, {"present": false},
                    {"contains": "s", "in_table": "t"}]},
                "check": {"kind": "present"},
                "fix": {"edit": "documented_type", "applicability": "unsafe",
                    "message": {"en": "f", "zh": "f"}},
                "summary": {"en": "s", "zh": "s"}, "message": {"en": "m", "zh": "m"},
                "help": {"en": "h", "zh": "h"}, "why": {"en": "w", "zh": "w"},
                "examples": {"invalid": {"a": 1}, "valid": [1]},
                "source": {"page": "p", "table": "t", "parameter": "x"}}],
            "unchecked": [{"parameter": "u", "reason": {"en": "r", "zh": "r"},
                "source": {"page": "p", "table": "t", "parameter": "u"}}],
            "detect": {"member": "m", "order": 300}}"#;
        Pack::from_value(&parse_json(text).unwrap()).unwrap()
    }

    /// The binary form gives back the pack it was written from, numbers of every kind (the
    /// largest whole number, the most negative one, `-0.0`) and text of every kind included.
    #[test]
    fn the_binary_form_reads_back_what_was_written() {
        let pack = every_member();
        let bin = pack.to_bin();
        assert_eq!(Pack::from_bin(&bin), Some(pack.clone()));
        let k = &pack.tables["t"]["k"];
        let back = Pack::from_bin(&bin).unwrap();
        assert_eq!(back.tables["t"]["k"].to_string(), k.to_string());
        assert!(back.tables["t"]["k"][8]
            .as_f64()
            .unwrap()
            .is_sign_negative());
        // Different packs, different forms.
        let mut other = pack.clone();
        other.rules[0].targets.pop();
        assert_ne!(other.to_bin(), bin);
    }

    /// Every cut of the form, and every form with a byte too many or a byte out of range, is
    /// damage: `None`, never a panic or another pack.
    #[test]
    fn a_damaged_binary_form_reads_as_none() {
        let bin = every_member().to_bin();
        for cut in 0..bin.len() {
            assert_eq!(Pack::from_bin(&bin[..cut]), None, "cut at {cut}");
        }
        let mut longer = bin.clone();
        longer.push(0);
        assert_eq!(Pack::from_bin(&longer), None);
        // Any byte set to 0xff: a length too long, a tag or variant out of range, text that is
        // not UTF-8, or (in a string's bytes or a number) another value.
        for i in 0..bin.len() {
            let mut bad = bin.clone();
            bad[i] = 0xff;
            let _ = Pack::from_bin(&bad);
        }
        assert_eq!(Pack::from_bin(&[0xff; 11]), None);
    }

    /// A member given twice in one object of a pack file is an error naming it (serde_json
    /// alone would keep the last one).
    #[test]
    fn a_member_given_twice_in_a_pack_file_is_an_error() {
        let e = parse_json(r#"{"api": "a", "rules": [{"id": "X", "id": "Y"}]}"#).unwrap_err();
        assert!(e.contains("member `id` is given twice"), "{e}");
        let e = parse_json(r#"{"api": "a", "api": "a"}"#).unwrap_err();
        assert!(e.contains("member `api` is given twice"), "{e}");
        assert!(parse_json(r#"{"a": {"id": 1}, "b": {"id": 1}}"#).is_ok());
        assert!(parse_json("{").unwrap_err().starts_with("not JSON"));
    }
}
