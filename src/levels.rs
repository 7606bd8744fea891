//! The scales and kinds a rule pack names, apart from everything else so that build.rs, which
//! reads the packs with the crate's own pack model (`engine/pack.rs`), can include them: how
//! serious a finding is, whether its fix keeps the body's meaning, a member's JSON type and the
//! language of messages. Nothing here uses another module of the crate.

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is (docs/reading-the-pages.md#severities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether applying a fix keeps the body's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning: the one spelling an enumerated value has, a scalar written as its
    /// documented type, a misspelt member name with one close match. `check --fix` applies it.
    Safe,
    /// May change the meaning: a member the service ignores removed, a value recomputed, one of
    /// several close names chosen. Applied only when asked (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// The names the rule packs use.
    pub const ALL: [(&'static str, Applicability); 2] = [
        ("safe", Applicability::Safe),
        ("unsafe", Applicability::Unsafe),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

impl std::fmt::Display for Applicability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member's type as a pack declares it.
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

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language code: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            other => Err(format!("unknown language `{other}`: expected en or zh")),
        }
    }
}
