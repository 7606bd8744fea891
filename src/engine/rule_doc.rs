//! A rule as the packs declare it, with its documentation: what the engine compiles into
//! checks and what `Linter::rules` lists.

use super::pack::{CondDef, Examples, FixDef, Observed, Source, Text};
use serde::Serialize;
use serde_json::Value;

/// A rule's documentation and data, as the packs give it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    pub id: String,
    pub name: String,
    /// `None` for the linter rules common to every API.
    pub api: Option<crate::api::Api>,
    pub default_severity: crate::levels::Severity,
    /// When it fires, the member it reports is ignored by the service (its other rules are
    /// silent).
    pub member_ignored: bool,
    /// Values the pages forbid that the service is known to accept, with the evidence: a
    /// warning instead of this rule's error, unless the configuration is `strict`.
    pub observed: Vec<Observed>,
    pub summary: Text,
    pub message: Text,
    pub help: Text,
    pub why: Text,
    pub examples: Examples,
    pub source: Source,
    pub targets: Vec<String>,
    pub when: Option<CondDef>,
    pub check: Value,
    /// The fix the rule offers, as the pack declares it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixDef>,
}
