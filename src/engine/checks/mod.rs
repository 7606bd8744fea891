//! The vocabulary of checks: one file per check kind, listed once in [`kinds!`] below.
//!
//! A kind's file holds its typed parameters (read from the rule's `check` object, a config's
//! `options` merged in, by [`Kind::compile`]: an unknown or ill-typed parameter is a
//! [`CheckError`] naming the key), how it checks a value ([`Kind::check`]: `Some(params)` when it
//! fails), the parameter names its findings can carry ([`Kind::PRODUCES`], which the message
//! templates may name), and what it tells form metadata and the JSON Schema export
//! ([`Kind::hint`]). The list generates [`Check`] (one variant per kind) and its dispatch, so a
//! check is applied by a `match`, not through a trait object.
//!
//! Shared pieces have files of their own: [`options`] (reading parameters, the error type),
//! [`value`] (the value a check reads), [`lookup`] (table lookups), [`verdicts`] (the findings
//! of allowed lists and bounds), [`hints`] (what metadata reads).

pub mod hints;
pub mod lookup;
pub mod options;
#[cfg(test)]
mod placeholders;
pub mod value;
pub mod verdicts;

pub use super::{Param, Params};
pub use hints::Hints;
pub use options::{CheckError, Options, Reason};
pub use value::Val;

use super::cond::SlotTable;
use super::path::Slots;
use crate::doc::Doc;
use options::CheckDef;
use serde_json::{Map, Value};

/// What a value check can see besides the value.
pub struct Env<'a, 'd, D: Doc> {
    /// The run's cache of the fields that lookups and cross-field checks read.
    pub slots: &'a Slots<'d, D>,
    pub node: &'d D,
    pub parent: Option<&'d D>,
    pub tables: &'a Map<String, Value>,
    pub context: &'a Map<String, Value>,
    /// The member is a secret (a password): a check leaves the value out of what it reports
    /// (the engine also drops every text parameter of a secret member's finding, whatever the
    /// kind says).
    pub secret: bool,
}

/// A check kind: its parameters as a type, and what it does with them.
pub trait Kind: Sized {
    /// The parameter keys the kind reads (besides `kind`); any other key is refused.
    const READS: &'static [&'static str];
    /// The parameter names a finding of this kind can carry: what its rules' message, help and
    /// fix templates may name (besides `{pointer}`). Read by the registry test of message
    /// placeholders (`placeholders.rs`).
    #[cfg_attr(not(test), allow(dead_code))]
    const PRODUCES: &'static [&'static str];

    /// The kind's parameters, read from its definition.
    fn compile(o: &Options<'_>) -> Result<Self, CheckError>;

    /// Check a value: `Some(params)` when it fails.
    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params>;

    /// Give every field path the check reads its number in the per-run slot cache, and resolve
    /// what it reads from the engine's tables.
    fn link(&mut self, _slots: &mut SlotTable, _tables: &Map<String, Value>) {}

    /// What the check tells form metadata about its member; `conditional`: the rule holds only
    /// under a condition.
    fn hint(&self, _conditional: bool, _tables: &Map<String, Value>, _h: &mut Hints) {}

    /// The kind's own repair of a failing value (a rule whose fix is `"edit": "check"`): the
    /// text to write instead of `value`, from the kind's own parsing and options; `None` where
    /// it cannot be told.
    fn fix(&self, _value: &str) -> Option<String> {
        None
    }
}

/// The kinds. `presence` kinds are about a member's presence rather than its value (the engine
/// visits them apart) and have no parameters: their variants carry nothing. Each entry: the name
/// a pack writes, the variant, and the kind's module and type.
macro_rules! kinds {
    (
        presence { $( $pname:literal => $PVariant:ident($pmod:ident :: $PTy:ident), )* }
        value { $( $(#[$m:meta])* $name:literal => $Variant:ident($module:ident :: $Ty:ident), )* }
    ) => {
        $( pub mod $pmod; )*
        $( $(#[$m])* pub mod $module; )*

        /// A compiled check, one variant per kind.
        #[derive(Debug, Clone)]
        pub enum Check {
            $( $PVariant, )*
            $( $(#[$m])* $Variant($module::$Ty), )*
        }

        /// Every kind this build knows, in the order the list above gives them.
        const TABLE: &[KindEntry] = &[
            $( KindEntry {
                name: $pname,
                reads: <$pmod::$PTy as Kind>::READS,
                #[cfg(test)]
                produces: <$pmod::$PTy as Kind>::PRODUCES,
                compile: |o| <$pmod::$PTy as Kind>::compile(o).map(|_| Check::$PVariant),
            }, )*
            $( $(#[$m])* KindEntry {
                name: $name,
                reads: <$module::$Ty as Kind>::READS,
                #[cfg(test)]
                produces: <$module::$Ty as Kind>::PRODUCES,
                compile: |o| <$module::$Ty as Kind>::compile(o).map(Check::$Variant),
            }, )*
        ];

        impl Check {
            /// The kind's name, as a pack writes it.
            #[cfg(test)]
            pub fn kind(&self) -> &'static str {
                match self {
                    $( Check::$PVariant => $pname, )*
                    $( $(#[$m])* Check::$Variant(_) => $name, )*
                }
            }

            /// Give every field path this check reads its number in the per-run slot cache, and
            /// resolve what it reads from the engine's tables.
            pub fn link(&mut self, slots: &mut SlotTable, tables: &Map<String, Value>) {
                match self {
                    $( Check::$PVariant => {} )*
                    $( $(#[$m])* Check::$Variant(c) => c.link(slots, tables), )*
                }
            }

            /// The check's own repair of a failing value ([`Kind::fix`]).
            pub fn fix(&self, value: &str) -> Option<String> {
                match self {
                    $( Check::$PVariant => $pmod::$PTy.fix(value), )*
                    $( $(#[$m])* Check::$Variant(c) => c.fix(value), )*
                }
            }

            /// What this check tells form metadata about its member.
            pub fn hint(&self, conditional: bool, tables: &Map<String, Value>, h: &mut Hints) {
                match self {
                    $( Check::$PVariant => $pmod::$PTy.hint(conditional, tables, h), )*
                    $( $(#[$m])* Check::$Variant(c) => c.hint(conditional, tables, h), )*
                }
            }
        }

        /// Apply a value check. `Some(params)` when it fails.
        pub fn apply<D: Doc>(check: &Check, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
            match check {
                $( Check::$PVariant => $pmod::$PTy.check(v, env), )*
                $( $(#[$m])* Check::$Variant(c) => c.check(v, env), )*
            }
        }
    };
}

kinds! {
    presence {
        "required" => Required(required::Required),
        "defaulted" => Defaulted(defaulted::Defaulted),
        "present" => Present(present::Present),
    }
    value {
        "length" => Length(length::Length),
        "first_char" => FirstChar(first_char::FirstChar),
        "charset" => Charset(charset::Charset),
        "classes" => Classes(classes::Classes),
        "enum" => Enum(enumeration::Enum),
        "lookup_enum" => LookupEnum(lookup_enum::LookupEnum),
        "range" => Range(range::Range),
        "lookup_range" => LookupRange(lookup_range::LookupRange),
        "forbidden" => Forbidden(forbidden::Forbidden),
        "contains_any" => ContainsAny(contains_any::ContainsAny),
        "digits" => Digits(digits::Digits),
        "list" => List(list::List),
        "backup_window" => BackupWindow(backup_window::BackupWindow),
        "distinct_from" => DistinctFrom(distinct_from::DistinctFrom),
        "not_blank" => NotBlank(not_blank::NotBlank),
        "min_items" => MinItems(min_items::MinItems),
        "exclusive" => Exclusive(exclusive::Exclusive),
        "any_of" => AnyOf(any_of::AnyOf),
        "in_context" => InContext(in_context::InContext),
        "context_max" => ContextMax(context_max::ContextMax),
        "context_range" => ContextRange(context_range::ContextRange),
        "spec_engine" => SpecEngine(spec_engine::SpecEngine),
        #[cfg(feature = "pattern")]
        "pattern" => Pattern(pattern::Pattern),
    }
}

/// A kind as [`TABLE`] lists it: the name a pack writes, the parameter keys it reads, the
/// parameter names its findings can carry, and how its parameters compile into a [`Check`].
struct KindEntry {
    name: &'static str,
    reads: &'static [&'static str],
    #[cfg(test)]
    produces: &'static [&'static str],
    compile: fn(&Options<'_>) -> Result<Check, CheckError>,
}

/// The kind a pack names `name`, if this build knows it.
fn entry(name: &str) -> Option<&'static KindEntry> {
    TABLE.iter().find(|k| k.name == name)
}

impl Check {
    /// Compile a check definition: its kind, then the kind's own parameters (any key the kind
    /// does not read is refused first, the same way for every kind).
    pub fn compile(def: &CheckDef<'_>) -> Result<Check, CheckError> {
        let map = def.0;
        let name = map
            .get("kind")
            .and_then(Value::as_str)
            .ok_or_else(|| CheckError::new("kind", Reason::NoKind))?;
        let kind = entry(name).ok_or_else(|| unknown_kind(name))?;
        (kind.compile)(&Options::new(kind.name, map, kind.reads)?)
    }

    /// The parameter keys a kind reads; `None` for a kind this build does not know.
    #[cfg(test)]
    pub fn reads(kind: &str) -> Option<&'static [&'static str]> {
        entry(kind).map(|k| k.reads)
    }

    /// The parameter names a kind's findings can carry; `None` for a kind this build does not
    /// know. Read by the registry test of message placeholders.
    #[cfg(test)]
    pub fn produces(kind: &str) -> Option<&'static [&'static str]> {
        entry(kind).map(|k| k.produces)
    }
}

/// The error for a kind this build does not know: `pattern` is known but left out of a build
/// without regular expressions.
fn unknown_kind(kind: &str) -> CheckError {
    #[cfg(not(feature = "pattern"))]
    if kind == "pattern" {
        return CheckError::new(
            "kind",
            Reason::LeftOut {
                kind: "pattern",
                what: "regular expressions",
                feature: "pattern",
            },
        );
    }
    CheckError::new(
        "kind",
        Reason::UnknownKind {
            kind: kind.to_string(),
        },
    )
}

/// Where a parameter key comes in the kinds' order (each kind's keys in turn): 0 for a key no
/// kind reads.
fn param_rank(key: &str) -> usize {
    TABLE
        .iter()
        .flat_map(|k| k.reads)
        .position(|p| *p == key)
        .map_or(0, |i| i + 1)
}

impl Check {
    /// Compile the check written as `v` (a rule's `check` object, an observed acceptance's
    /// `accepts`, an alternative of `any_of`).
    pub fn from_json(v: &Value) -> Result<Check, CheckError> {
        Check::compile(&CheckDef::from_value(v)?)
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Compiling and applying a check alone, for the kinds' unit tests.
    use super::*;

    pub fn compile(v: Value) -> Result<Check, CheckError> {
        Check::from_json(&v)
    }

    /// `check` applied to `v` in an empty document, as a plain or a secret member.
    pub fn apply_alone(check: &Check, v: &Val<'_>) -> Option<Params> {
        let (doc, map) = (Value::Null, Map::new());
        let slots = Slots::new(&doc, 0);
        let env = Env {
            slots: &slots,
            node: &doc,
            parent: None,
            tables: &map,
            context: &map,
            secret: false,
        };
        apply(check, v, &env)
    }
}
