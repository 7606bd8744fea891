//! The two scales a rule pack names, apart from everything else so that build.rs, which reads the
//! packs with the crate's own pack model (`engine/pack.rs`), can include them: how serious a
//! finding is, and whether its fix keeps the body's meaning.

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
