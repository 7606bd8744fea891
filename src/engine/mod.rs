//! The engine: rule packs compiled into checks, run over a [`crate::doc::Doc`].
//!
//! A run yields [`Finding`]s: a rule, a pointer and typed parameters, and nothing worded. The
//! [`crate::Linter`] turns findings into diagnostics in the chosen language, so every surface
//! (crate, CLI, wasm) says the same thing.
//!
//! This module holds what a compiled pack and a run's results are ([`Engine`], [`Rule`],
//! [`Field`], [`Finding`], [`Param`]); the rest is by concern: `schema` (the tree of declared
//! members and their lookup), `compile` (a pack into an [`Engine`]), `run` (the visit of a
//! document and the findings it makes), `coerce` (the type policy), `placeholders` (values copied
//! from the reference pages) and `suggest` ("did you mean").

pub mod charset;
pub mod check;
pub mod checks;
mod coerce;
mod compile;
pub use compile::RuleIndex;
pub mod cond;
pub mod pack;
pub mod path;
mod placeholders;
pub mod rule_doc;
mod run;
mod schema;
mod suggest;

use check::Check;
use cond::Cond;
use pack::{Coerce, FieldType};
use path::Path;
use serde_json::Value;

pub(crate) use placeholders::contains_str;
pub use placeholders::Placeholders;
#[cfg(feature = "terraform")]
pub(crate) use run::conceal_value;
pub(crate) use schema::same;
use schema::SchemaNode;
pub use suggest::suggest;

/// A typed message parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Int(i64),
    Str(String),
    List(Vec<String>),
    /// One code that the message layer words through the packs' vocabulary (the common case of
    /// [`Param::Terms`], without allocating).
    Term(&'static str),
    /// Codes that the message layer words through the packs' vocabulary (`upper`, `chars`, ...).
    Terms(Vec<String>),
}

pub type Params = Vec<(&'static str, Param)>;

/// A finding's parameters, with room for the optional ones that checks push after them: one
/// allocation per finding.
pub fn with_room<const N: usize>(first: [(&'static str, Param); N]) -> Params {
    let mut p = Vec::with_capacity(N + 2);
    p.extend(first);
    p
}

/// Which part of a member a diagnostic is about, for placing its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Value,
    Key,
    Missing,
}

/// A rule that fired: detection without wording.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: usize,
    pub pointer: String,
    pub params: Params,
    pub at: At,
}

/// The built-in linter rules the engine runs itself, by their global index.
#[derive(Debug, Clone, Default)]
pub struct Generic {
    pub missing_required: usize,
    pub wrong_type: usize,
    pub coerced_type: usize,
    pub null_value: usize,
    pub unknown_member: usize,
    pub placeholder: usize,
    pub plaintext_password: usize,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub path: Path,
    pub ty: FieldType,
    pub required: bool,
    pub coerce: Coerce,
    pub secret: bool,
    pub null_ok: Option<Cond>,
    /// Rules of kind `required` targeting this field (their condition decides whether a `null`
    /// here is "missing" rather than "treated as absent").
    pub required_by: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub global: usize,
    pub targets: Vec<(Path, Option<usize>)>,
    /// Index of the rule's condition in `Engine::conds` (identical conditions share one entry);
    /// `None`: the rule always applies.
    pub cond: Option<usize>,
    pub check: Check,
    /// The rule's observed acceptances (none under `strict`), in pack order: a failing value
    /// that one of them accepts is reported as observed, not as the documented error.
    pub observed: Vec<ObservedCheck>,
}

/// An observed acceptance, compiled: its condition's index into `Engine::conds` and the check
/// that the accepted values pass.
#[derive(Debug, Clone)]
pub struct ObservedCheck {
    pub cond: Option<usize>,
    pub accepts: Check,
}

/// One API's compiled pack.
#[derive(Debug, Clone)]
pub struct Engine {
    pub fields: Vec<Field>,
    schema: SchemaNode,
    pub rules: Vec<Rule>,
    pub tables: serde_json::Map<String, Value>,
    placeholders: Placeholders,
    /// Distinct rule conditions, evaluated at most once per run.
    pub conds: Vec<Cond>,
    /// Number of distinct field paths that conditions and lookups read (see [`Slots`]).
    slot_count: usize,
    /// Number of distinct field tests in conditions (see [`Slots::test`]).
    test_count: usize,
}

/// Severity lookups by global rule index (`None`: the rule is off).
pub type Levels = [Option<crate::Severity>];
