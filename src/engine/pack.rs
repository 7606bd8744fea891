//! The rule-pack data model, as written in `rules/*.json`. Packs are embedded at compile time and
//! read once; [`super::Engine::compile`] turns them into checks.
//!
//! The types are read from a `serde_json::Value` by hand ([`Pack::from_value`]) rather than
//! through derived deserializers: a derive instantiates a whole deserializer per type, which was
//! most of the browser package's size. The readers are as strict as the derives were: unknown
//! members, missing members and wrong types are errors that name the member. A rule's check is
//! kept as its JSON object ([`CheckDef`]): each check kind reads its own typed parameters.

use serde::Serialize;
use serde_json::{Map, Value};

/// Text in both languages the project speaks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.en,
            crate::Lang::Zh => &self.zh,
        }
    }
}

/// Where a rule's constraint is written in the reference pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Source {
    /// The reference page(s) by title, product, language and edition date (several joined by
    /// `; `), or the project's own reading of them (`docs/reading-the-pages.md`) for rules beyond
    /// the pages' tables. Never a file outside the repository.
    pub page: String,
    pub table: String,
    pub parameter: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub api: String,
    pub title: String,
    pub sources: Vec<String>,
    pub tables: serde_json::Map<String, Value>,
    /// Codes and their wording, sorted by code.
    pub vocabulary: Vec<(String, Text)>,
    pub fields: Vec<FieldDef>,
    pub rules: Vec<RuleDef>,
    pub unchecked: Vec<Unchecked>,
    /// How an API pack's bodies are told (build.rs generates the detection from it).
    pub detect: Option<Detect>,
}

/// An API pack's detection key: a body whose top level has `member` is for this API, the
/// packs tried by ascending `order`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detect {
    pub member: String,
    pub order: u64,
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

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub pointer: String,
    pub ty: FieldType,
    pub required: bool,
    pub coerce: Coerce,
    pub secret: bool,
    pub label: Text,
    /// The documented default an absent member takes (an info, where `default_note` is given).
    pub default: Option<Value>,
    pub default_note: Option<Text>,
    /// Where `null` is a documented value and draws no diagnostic.
    pub null_ok: Option<CondDef>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDef {
    pub id: String,
    pub name: String,
    pub severity: crate::Severity,
    /// When this rule fires, the service ignores the member it reports (`period_num` under
    /// postPaid): that member's type and value rules stay silent, this rule's finding is the one.
    pub member_ignored: bool,
    /// Values the pages forbid but the live service is known to accept, each with its evidence:
    /// such a finding is a warning that states both, or the documented error under `strict`.
    pub observed: Vec<Observed>,
    pub targets: Vec<String>,
    pub when: Option<CondDef>,
    pub check: Value,
    /// The fix the rule offers, as data (see [`FixDef`]).
    pub fix: Option<FixDef>,
    pub summary: Text,
    pub message: Text,
    pub help: Text,
    pub why: Text,
    pub examples: Examples,
    pub source: Source,
}

/// How a rule's finding is fixed: which edit, whether it keeps the meaning, and its wording
/// (a template over the finding's parameters, plus `{replacement}`: the text written).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FixDef {
    pub edit: FixEdit,
    pub applicability: crate::Applicability,
    pub message: Text,
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

impl FixDef {
    pub fn from_value(v: &Value) -> Result<FixDef, String> {
        let m = object(v, "struct FixDef", &["edit", "applicability", "message"])?;
        Ok(FixDef {
            edit: required(m, "edit", |v| variant(v, &FixEdit::ALL))?,
            applicability: required(m, "applicability", |v| {
                variant(v, &crate::Applicability::ALL)
            })?,
            message: required(m, "message", Text::from_value)?,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Examples {
    pub invalid: Value,
    pub valid: Value,
}

/// An observed acceptance: where public evidence shows that the service accepts a value that the
/// rule's documented check rejects. The value is relaxed when `when` holds (or always) and it
/// passes `accepts`, a check in the same vocabulary as the rule's own.
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

impl Observed {
    pub fn from_value(v: &Value) -> Result<Observed, String> {
        let m = object(
            v,
            "struct Observed",
            &["when", "accepts", "documented", "accepted", "source"],
        )?;
        Ok(Observed {
            when: optional(m, "when", CondDef::from_value)?,
            accepts: member(m, "accepts")?.clone(),
            documented: required(m, "documented", Text::from_value)?,
            accepted: required(m, "accepted", Text::from_value)?,
            source: required(m, "source", |v| {
                let m = object(v, "struct Evidence", &["project", "file", "date"])?;
                Ok(Evidence {
                    project: required(m, "project", string)?,
                    file: required(m, "file", string)?,
                    date: required(m, "date", string)?,
                })
            })?,
        })
    }
}

/// A parameter of a seed table that no rule checks, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unchecked {
    pub parameter: String,
    pub reason: Text,
    pub source: Source,
}

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
    pub in_: Option<Vec<Value>>,
    /// The value is a key of this pack table.
    pub in_table: Option<String>,
    pub present: Option<bool>,
    pub contains: Option<String>,
    pub gt: Option<f64>,
}

/// A check's definition as written under `check` in a rule (a config's `options` merged in): the
/// JSON object each check kind reads its own typed parameters from
/// ([`super::check::Check::compile`]). Only its being an object with a `kind` is checked here.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckDef(pub Map<String, Value>);

// ------------------------------------------------------------------------------------------
// Reading the packs (and a config's check options) from JSON values
// ------------------------------------------------------------------------------------------

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

/// An object whose members are all among `keys` (what `deny_unknown_fields` did).
fn object<'v>(v: &'v Value, what: &str, keys: &[&str]) -> Result<&'v Map<String, Value>, String> {
    let m = v.as_object().ok_or_else(|| invalid(v, what))?;
    if let Some(k) = m.keys().find(|k| !keys.contains(&k.as_str())) {
        let expected: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        return Err(format!(
            "unknown field `{k}`, expected one of {}",
            expected.join(", ")
        ));
    }
    Ok(m)
}

/// A member that must be there.
fn member<'v>(m: &'v Map<String, Value>, key: &str) -> Result<&'v Value, String> {
    m.get(key).ok_or_else(|| format!("missing field `{key}`"))
}

/// A member that must be there, read.
fn required<'v, T>(
    m: &'v Map<String, Value>,
    key: &str,
    read: impl FnOnce(&'v Value) -> Result<T, String>,
) -> Result<T, String> {
    read(member(m, key)?).map_err(|e| format!("{key}: {e}"))
}

/// A member that may be absent or `null`, read.
fn optional<'v, T>(
    m: &'v Map<String, Value>,
    key: &str,
    read: impl FnOnce(&'v Value) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| format!("{key}: {e}")),
    }
}

fn uint(v: &Value) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| invalid(v, "a whole number of 0 or more"))
}

fn string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| invalid(v, "a string"))
}

fn boolean(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| invalid(v, "a boolean"))
}

fn list<'v, T>(
    v: &'v Value,
    read: impl Fn(&'v Value) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    v.as_array()
        .ok_or_else(|| invalid(v, "a sequence"))?
        .iter()
        .map(read)
        .collect()
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    list(v, string)
}

fn value(v: &Value) -> Result<Value, String> {
    Ok(v.clone())
}

fn map(v: &Value) -> Result<Map<String, Value>, String> {
    v.as_object().cloned().ok_or_else(|| invalid(v, "a map"))
}

/// A unit variant, by its name.
fn variant<T: Copy>(v: &Value, variants: &[(&str, T)]) -> Result<T, String> {
    let s = v.as_str().ok_or_else(|| invalid(v, "a string"))?;
    variants
        .iter()
        .find(|(name, _)| *name == s)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<String> = variants.iter().map(|(n, _)| format!("`{n}`")).collect();
            format!(
                "unknown variant `{s}`, expected one of {}",
                names.join(", ")
            )
        })
}

fn severity(v: &Value) -> Result<crate::Severity, String> {
    use crate::Severity::*;
    variant(v, &[("info", Info), ("warning", Warning), ("error", Error)])
}

fn field_type(v: &Value) -> Result<FieldType, String> {
    use FieldType::*;
    variant(
        v,
        &[
            ("string", String),
            ("integer", Integer),
            ("boolean", Boolean),
            ("bool_string", BoolString),
            ("object", Object),
            ("array", Array),
        ],
    )
}

impl Text {
    pub fn from_value(v: &Value) -> Result<Text, String> {
        let m = object(v, "struct Text", &["en", "zh"])?;
        Ok(Text {
            en: required(m, "en", string)?,
            zh: required(m, "zh", string)?,
        })
    }
}

impl Source {
    pub fn from_value(v: &Value) -> Result<Source, String> {
        let m = object(v, "struct Source", &["page", "table", "parameter"])?;
        Ok(Source {
            page: required(m, "page", string)?,
            table: required(m, "table", string)?,
            parameter: required(m, "parameter", string)?,
        })
    }
}

impl Pack {
    /// The documentation members (the title, field and rule sources, summaries, reasons,
    /// examples) read as empty when absent: build.rs leaves them out without the `docs` feature;
    /// tests/registry.rs requires them in the files.
    pub fn from_value(v: &Value) -> Result<Pack, String> {
        const KEYS: &[&str] = &[
            "api",
            "title",
            "sources",
            "tables",
            "vocabulary",
            "fields",
            "rules",
            "unchecked",
            "detect",
        ];
        let m = object(v, "struct Pack", KEYS)?;
        let vocabulary = optional(m, "vocabulary", |v| {
            // A map's members come in key order: the list is sorted.
            let mut out = Vec::new();
            for (k, t) in v.as_object().ok_or_else(|| invalid(v, "a map"))? {
                out.push((
                    k.clone(),
                    Text::from_value(t).map_err(|e| format!("{k}: {e}"))?,
                ));
            }
            Ok(out)
        })?;
        Ok(Pack {
            api: required(m, "api", string)?,
            title: optional(m, "title", string)?.unwrap_or_default(),
            sources: optional(m, "sources", strings)?.unwrap_or_default(),
            tables: optional(m, "tables", map)?.unwrap_or_default(),
            vocabulary: vocabulary.unwrap_or_default(),
            fields: optional(m, "fields", |v| list(v, FieldDef::from_value))?.unwrap_or_default(),
            rules: required(m, "rules", |v| list(v, RuleDef::from_value))?,
            unchecked: optional(m, "unchecked", |v| list(v, Unchecked::from_value))?
                .unwrap_or_default(),
            detect: optional(m, "detect", |v| {
                let m = object(v, "struct Detect", &["member", "order"])?;
                Ok(Detect {
                    member: required(m, "member", string)?,
                    order: required(m, "order", uint)?,
                })
            })?,
        })
    }
}

impl FieldDef {
    pub fn from_value(v: &Value) -> Result<FieldDef, String> {
        const KEYS: &[&str] = &[
            "pointer",
            "type",
            "required",
            "coerce",
            "secret",
            "label",
            "default",
            "default_note",
            "null_ok",
            "source",
        ];
        let m = object(v, "struct FieldDef", KEYS)?;
        let pointer = required(m, "pointer", string)?;
        let read = || -> Result<FieldDef, String> {
            Ok(FieldDef {
                pointer: pointer.clone(),
                ty: required(m, "type", field_type)?,
                required: optional(m, "required", boolean)?.unwrap_or_default(),
                coerce: optional(m, "coerce", |v| {
                    variant(v, &[("warn", Coerce::Warn), ("silent", Coerce::Silent)])
                })?
                .unwrap_or_default(),
                secret: optional(m, "secret", boolean)?.unwrap_or_default(),
                label: required(m, "label", Text::from_value)?,
                default: optional(m, "default", value)?,
                default_note: optional(m, "default_note", Text::from_value)?,
                null_ok: optional(m, "null_ok", CondDef::from_value)?,
                source: optional(m, "source", Source::from_value)?.unwrap_or_default(),
            })
        };
        read().map_err(|e| format!("field {pointer}: {e}"))
    }
}

impl RuleDef {
    pub fn from_value(v: &Value) -> Result<RuleDef, String> {
        const KEYS: &[&str] = &[
            "id",
            "name",
            "severity",
            "member_ignored",
            "observed",
            "targets",
            "when",
            "check",
            "fix",
            "summary",
            "message",
            "help",
            "why",
            "examples",
            "source",
        ];
        let m = object(v, "struct RuleDef", KEYS)?;
        let id = required(m, "id", string)?;
        let read = || -> Result<RuleDef, String> {
            Ok(RuleDef {
                id: id.clone(),
                name: required(m, "name", string)?,
                severity: required(m, "severity", severity)?,
                member_ignored: optional(m, "member_ignored", boolean)?.unwrap_or_default(),
                observed: optional(m, "observed", |v| list(v, Observed::from_value))?
                    .unwrap_or_default(),
                targets: required(m, "targets", strings)?,
                when: optional(m, "when", CondDef::from_value)?,
                check: member(m, "check")?.clone(),
                fix: optional(m, "fix", FixDef::from_value)?,
                summary: optional(m, "summary", Text::from_value)?.unwrap_or_default(),
                message: required(m, "message", Text::from_value)?,
                help: required(m, "help", Text::from_value)?,
                why: optional(m, "why", Text::from_value)?.unwrap_or_default(),
                examples: optional(m, "examples", |v| {
                    let m = object(v, "struct Examples", &["invalid", "valid"])?;
                    Ok(Examples {
                        invalid: member(m, "invalid")?.clone(),
                        valid: member(m, "valid")?.clone(),
                    })
                })?
                .unwrap_or_default(),
                source: optional(m, "source", Source::from_value)?.unwrap_or_default(),
            })
        };
        read().map_err(|e| format!("rule {id}: {e}"))
    }
}

impl Unchecked {
    pub fn from_value(v: &Value) -> Result<Unchecked, String> {
        let m = object(v, "struct Unchecked", &["parameter", "reason", "source"])?;
        Ok(Unchecked {
            parameter: required(m, "parameter", string)?,
            reason: required(m, "reason", Text::from_value)?,
            source: required(m, "source", Source::from_value)?,
        })
    }
}

impl CondDef {
    pub fn from_value(v: &Value) -> Result<CondDef, String> {
        const KEYS: &[&str] = &[
            "all", "any", "not", "field", "context", "eq", "in", "in_table", "present", "contains",
            "gt",
        ];
        let m = object(v, "struct CondDef", KEYS)?;
        Ok(CondDef {
            all: optional(m, "all", |v| list(v, CondDef::from_value))?,
            any: optional(m, "any", |v| list(v, CondDef::from_value))?,
            not: optional(m, "not", |v| CondDef::from_value(v).map(Box::new))?,
            field: optional(m, "field", string)?,
            context: optional(m, "context", string)?,
            eq: optional(m, "eq", value)?,
            in_: optional(m, "in", |v| list(v, value))?,
            in_table: optional(m, "in_table", string)?,
            present: optional(m, "present", boolean)?,
            contains: optional(m, "contains", string)?,
            gt: optional(m, "gt", |v| v.as_f64().ok_or_else(|| invalid(v, "f64")))?,
        })
    }
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
    use super::quoted;

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
