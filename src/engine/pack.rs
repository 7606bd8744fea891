//! The rule-pack data model, as written in `rules/*.json`. Packs are embedded at compile time and
//! deserialized once; [`super::compile`] turns them into checks.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Text in both languages the project speaks.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Seed file name(s), or `SPEC.md` / `linter` for rules beyond the pages.
    pub seed: String,
    pub table: String,
    pub parameter: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub api: String,
    pub title: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub tables: serde_json::Map<String, Value>,
    #[serde(default)]
    pub vocabulary: std::collections::BTreeMap<String, Text>,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    pub rules: Vec<RuleDef>,
    #[serde(default)]
    pub unchecked: Vec<Unchecked>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
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

/// How a scalar of a coercible but wrong JSON type is treated (SPEC "Types").
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Coerce {
    /// The page's tables and examples agree: a warning.
    #[default]
    Warn,
    /// The page's own examples use the other type: accepted silently.
    Silent,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub pointer: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub coerce: Coerce,
    #[serde(default)]
    pub secret: bool,
    pub label: Text,
    /// The documented default an absent member takes (an info, where `default_note` is given).
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub default_note: Option<Text>,
    /// Where `null` is a documented value and draws no diagnostic.
    #[serde(default)]
    pub null_ok: Option<CondDef>,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub name: String,
    pub severity: crate::Severity,
    pub targets: Vec<String>,
    #[serde(default)]
    pub when: Option<CondDef>,
    pub check: Value,
    pub summary: Text,
    pub message: Text,
    pub help: Text,
    pub why: Text,
    pub examples: Examples,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub invalid: Value,
    pub valid: Value,
}

/// A parameter of a seed table that no rule checks, and why.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unchecked {
    pub parameter: String,
    pub reason: Text,
    pub source: Source,
}

/// A condition, written as data: `{"field": "/mode", "eq": "Cluster"}`, `{"all": [...]}`, ...
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CondDef {
    #[serde(default)]
    pub all: Option<Vec<CondDef>>,
    #[serde(default)]
    pub any: Option<Vec<CondDef>>,
    #[serde(default)]
    pub not: Option<Box<CondDef>>,
    /// The field whose (coerced) value is tested.
    #[serde(default)]
    pub field: Option<String>,
    /// A context key whose value is tested (SPEC decision 15).
    #[serde(default)]
    pub context: Option<String>,
    #[serde(default)]
    pub eq: Option<Value>,
    #[serde(default, rename = "in")]
    pub in_: Option<Vec<Value>>,
    /// The value is a key of this pack table.
    #[serde(default)]
    pub in_table: Option<String>,
    #[serde(default)]
    pub present: Option<bool>,
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub gt: Option<f64>,
}

/// The parameters of a check, as written under `check` in a rule (and in a config's `options`).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CheckDef {
    pub kind: String,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
    #[serde(default)]
    pub classes: Option<Vec<String>>,
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    #[serde(default)]
    pub lookup: Option<Vec<String>>,
    #[serde(default)]
    pub chars: Option<String>,
    #[serde(default)]
    pub len: Option<usize>,
    #[serde(default)]
    pub separator: Option<String>,
    #[serde(default)]
    pub minutes: Option<Vec<u32>>,
    #[serde(default)]
    pub other: Option<String>,
    #[serde(default)]
    pub groups: Option<Vec<Vec<String>>>,
    #[serde(default)]
    pub alternatives: Option<Vec<Vec<CheckDef>>>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub pattern: Option<String>,
}
