//! The linter: a compiled set of rules ([`Linter`]) and its accessors. What it does is split by
//! concern: `compile` turns a configuration into a linter, `entry` holds the ways to check a
//! body (text, bytes, values, verdicts), `field` the check of one field as a form edits it,
//! `wording` turns findings into diagnostics, `locate` places them in the text and orders them,
//! and `fix` plans and applies fixes.

mod builtin;
mod compile;
mod entry;
mod field;
mod fix;
mod locate;
#[cfg(feature = "terraform")]
mod read;
#[cfg(feature = "terraform")]
mod read_fix;
#[cfg(feature = "terraform")]
pub(crate) use read::{value_at, ReaderRule};
mod wording;

use crate::config::{Config, Lang, Severity};
use crate::engine::{Engine, Generic};
use crate::packs::{packs, RuleDoc};
use crate::template::Vars;
use crate::Api;
use builtin::Special;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use wording::Template;

/// A compiled set of rules: build once with [`Linter::new`], then check many bodies.
#[derive(Debug, Clone)]
pub struct Linter {
    lang: Lang,
    /// The documented contract only (`Config::strict`).
    strict: bool,
    engines: Vec<Engine>,
    docs: &'static [RuleDoc],
    levels: Vec<Option<Severity>>,
    /// `levels` with every rule that is not an error turned off: what [`Linter::is_valid`] runs.
    error_levels: Vec<Option<Severity>>,
    generic: Generic,
    special: Special,
    /// Codes and their wording in this linter's language, sorted by code (API packs' entries
    /// over the common pack's).
    vocabulary: Arc<Vec<(&'static str, &'static str)>>,
    /// Per rule, in this linter's language: the message and help templates, compiled.
    templates: Arc<Vec<[Template; 2]>>,
    /// The message and help of an observed acceptance (the common pack's vocabulary entries
    /// `observed_message` and `observed_help`), compiled.
    observed_templates: Arc<[Template; 2]>,
    context: serde_json::Map<String, Value>,
    max_input_bytes: usize,
    max_depth: usize,
    /// Bodies are read as templates, with these variables (`None`: plain JSON).
    vars: Option<Arc<Vars>>,
}

impl Default for Linter {
    fn default() -> Linter {
        Linter::default_ref().clone()
    }
}

impl Linter {
    /// The linter with the default configuration, compiled once per process.
    pub fn default_ref() -> &'static Linter {
        static DEFAULT: OnceLock<Linter> = OnceLock::new();
        DEFAULT.get_or_init(|| match Linter::new(Config::default()) {
            Ok(l) => l,
            // The built-in packs are tested to compile; reaching this is a build defect.
            Err(e) => panic!("built-in rule packs do not compile: {e}"),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether it holds to the documented contract only (`Config::strict`).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Every rule, common ones first, then by API.
    pub fn rules(&self) -> &'static [RuleDoc] {
        self.docs
    }

    /// A rule by id or name.
    pub fn rule(&self, key: &str) -> Option<&'static RuleDoc> {
        let docs: &'static [RuleDoc] = self.docs;
        docs.iter().find(|d| d.id == key || d.name == key)
    }

    /// The severity a rule has in this configuration (`None`: off).
    pub fn severity_of(&self, key: &str) -> Option<Severity> {
        let i = self
            .docs
            .iter()
            .position(|d| d.id == key || d.name == key)?;
        self.levels[i]
    }

    pub(crate) fn engine(&self, api: Api) -> &Engine {
        &self.engines[api.index()]
    }

    /// Per-field metadata for forms.
    pub fn fields(&self, api: Api) -> Vec<crate::FieldMeta> {
        crate::meta::fields(self, api)
    }

    /// A JSON Schema (draft 2020-12) of what JSON Schema can say about an API.
    pub fn json_schema(&self, api: Api) -> Value {
        crate::meta::json_schema(self, api)
    }

    /// An API's tables (engines, modes, versions, node counts, labels...) as this linter checks
    /// them: the rule pack's, with the config's `tables` merged in. Editors read them for
    /// engine-aware hints and completion.
    pub fn tables(&self, api: Api) -> &serde_json::Map<String, Value> {
        &self.engine(api).tables
    }

    /// The parameters of each seed table that no rule checks, with the reason.
    pub fn unchecked(&self, api: Api) -> &'static [crate::engine::pack::Unchecked] {
        match packs() {
            Ok(p) => &p.apis[api.index()].unchecked,
            Err(_) => &[],
        }
    }

    /// The nesting limit of the documents this linter reads.
    #[cfg(feature = "terraform")]
    pub(crate) fn max_depth(&self) -> usize {
        self.max_depth
    }

    pub(crate) fn levels(&self) -> &[Option<Severity>] {
        &self.levels
    }
}

// A linter is shared across threads (the CLI, servers): keep it Send + Sync.
const _: fn() = || {
    fn is<T: Send + Sync>() {}
    is::<Linter>();
};
