use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub use crate::levels::Severity;

pub use crate::levels::Lang;

impl crate::engine::pack::Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A severity as a config sets it, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// One rule's setting: a level, or a level and options that override the pack's check
/// parameters (`{"severity": "warning", "options": {"max": 24}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(Level),
    Full {
        #[serde(default)]
        severity: Option<Level>,
        #[serde(default)]
        options: serde_json::Map<String, Value>,
    },
}

/// Everything a [`crate::Linter`] can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Language of messages and help.
    pub lang: Lang,
    /// Per-rule settings, keyed by rule id (`GDB120`) or name (`geminidb-node-count`).
    pub rules: BTreeMap<String, RuleSetting>,
    /// Per-API overrides deep-merged into the packs' tables (engines, modes, node counts...).
    pub tables: BTreeMap<String, serde_json::Map<String, Value>>,
    /// Facts the request cannot show (docs/reading-the-pages.md#decision-15).
    pub context: serde_json::Map<String, Value>,
    /// Larger inputs get a diagnostic instead of a parse.
    pub max_input_bytes: usize,
    /// Deeper nesting gets a diagnostic instead of a parse.
    pub max_depth: usize,
    /// Read bodies as templates (`None`: plain JSON, where `"${x}"` is an ordinary string):
    /// template expressions are unknown values, given variables are substituted.
    pub templates: Option<crate::Templates>,
    /// Report the documented contract only: values that the pages forbid but the service is
    /// known to accept (a rule's observed acceptances, each a warning that names its evidence)
    /// are the rule's error again. Nothing else changes.
    pub strict: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            lang: Lang::En,
            rules: BTreeMap::new(),
            tables: BTreeMap::new(),
            context: serde_json::Map::new(),
            max_input_bytes: 1 << 20,
            max_depth: 64,
            templates: None,
            strict: false,
        }
    }
}

/// A configuration the linter cannot use, or built-in packs it cannot be built from. Each variant
/// names the rule and the key at fault; its text reads as a path into the configuration
/// (`rules.GDB150.options: ...`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `rules.<key>`: no rule has this id or name.
    #[error("rules.{key}: no rule has this id or name")]
    UnknownRule { key: String },
    /// A rule's `options` do not compile with its check: `rule` as the configuration names it,
    /// `key` the option at fault when it is known.
    #[error("rules.{rule}.options{}: {reason}", dotted(key))]
    Option {
        rule: String,
        key: Option<String>,
        reason: String,
    },
    /// Options given to a rule built into the engine, which has no check parameters.
    #[error("rules.{rule}.options: this rule is built into the engine and takes no options")]
    NoOptions { rule: String },
    /// `tables.<api>`: not an API id.
    #[error("tables.{api}: {reason}")]
    TablesApi { api: String, reason: String },
    /// `tables.<api>.<table>`: the API's pack has no such table.
    #[error("tables.{api}.{table}: the pack has no such table")]
    UnknownTable { api: String, table: String },
    /// `context.<key>`: a key no pack reads, or a value of the wrong shape.
    #[error("context.{key}: {reason}")]
    Context { key: String, reason: String },
    /// A limit (`max_depth`, `max_input_bytes`) of 0.
    #[error("{key}: must be greater than 0")]
    Limit { key: String },
    /// An argument of a call (`pointer`, `value`, `body` of [`crate::Linter::check_field`]).
    #[error("{key}: {reason}")]
    Argument { key: String, reason: String },
    /// A built-in rule pack does not read or compile (a build defect).
    #[error("built-in rule pack {pack}: {message}")]
    Pack { pack: String, message: String },
    /// A rule the linter reports its own findings under is missing from the built-in packs (a
    /// build defect).
    #[error("built-in rule packs: no rule `{name}`, which the linter reports findings under")]
    MissingRule { name: String },
}

impl ConfigError {
    /// `rules.<rule>.options`: the rule's check, with the options merged in, does not compile.
    pub(crate) fn option(rule: &str, e: crate::engine::check::CheckError) -> ConfigError {
        use crate::engine::check::Reason;
        // The path names the key; a reason that names it again would read `min: min: ...`.
        let reason = match &e.reason {
            Reason::WrongType {
                found, expected, ..
            } => format!("invalid type: {found}, expected {expected}"),
            other => other.to_string(),
        };
        ConfigError::Option {
            rule: rule.to_string(),
            key: Some(e.key),
            reason,
        }
    }
}

/// `.key`, or nothing.
fn dotted(key: &Option<String>) -> String {
    key.as_ref().map(|k| format!(".{k}")).unwrap_or_default()
}
