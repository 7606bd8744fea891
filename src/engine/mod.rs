//! The engine: rule packs compiled into checks, run over a [`doc::Doc`].
//!
//! A run yields [`Finding`]s: a rule, a pointer and typed parameters, and nothing worded. The
//! [`crate::Linter`] turns findings into diagnostics in the chosen language, so every surface
//! (crate, CLI, wasm) says the same thing.

pub mod charset;
pub mod check;
pub mod cond;
pub mod doc;
pub mod pack;
pub mod packbin;
pub mod path;

use check::{Check, Env, Val};
use cond::Cond;
use doc::{Doc, Kind};
use pack::{Coerce, FieldType, Pack};
use path::{pointer, Path, Seg, SlotTable, Slots};
use serde_json::Value;
use std::borrow::Cow;

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

/// Drop from a secret member's finding every parameter that could carry its value: text
/// (`Str`, `List`: a check may quote the value or a part of it) and a number equal to the value.
/// What stays is vocabulary (`Term`, `Terms`) and counts and limits. This is the one place a
/// check's parameters pass on their way from a secret member, so no check kind, built-in or
/// written in a pack or a config, has to remember the secret itself.
fn conceal(params: &mut Params, value: Option<&Val<'_>>) {
    let own = value.and_then(|v| match v {
        Val::Int(i) => Some(*i),
        Val::Str(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    });
    params.retain(|(_, p)| match p {
        Param::Str(_) | Param::List(_) => false,
        Param::Int(i) => Some(*i) != own,
        Param::Term(_) | Param::Terms(_) => true,
    });
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
struct SchemaNode {
    field: Option<usize>,
    children: Vec<(String, SchemaNode)>,
    /// Child index + 1 by [`bucket`] of its name; 0: no child, [`CROWDED`]: several (scan).
    buckets: [u8; 64],
    items: Option<Box<SchemaNode>>,
    /// The rules whose target is this node and that look at a given member (`defaulted` rules
    /// only look at absent ones: see `presence`), with what the visit reads of them.
    rules: Vec<NodeRule>,
    /// The slot of this node's path, when conditions or lookups read it (see [`Slots`]): the
    /// visit fills it, so that a later read costs no search.
    slot: Option<usize>,
    /// The rules of `rules` that report this member absent or null (`required`, `defaulted`):
    /// an absent member that is not `required` and has none needs no visit.
    presence: Vec<usize>,
    /// Its field's `required` (read here, where the visit decides whether to go in).
    required: bool,
    /// The children that have a slot, as (child index, slot): their values are recorded as soon
    /// as the object's members are bound, before any child is visited, so that a sibling's
    /// condition or lookup (`/mode` read while `/datastore/version` is checked) needs no search.
    slotted: Vec<(usize, usize)>,
    /// One of `rules` says, when its condition holds, that the service ignores this member.
    ignorable: bool,
}

impl Default for SchemaNode {
    fn default() -> Self {
        SchemaNode {
            field: None,
            children: Vec::new(),
            buckets: [CROWDED; 64],
            items: None,
            rules: Vec::new(),
            slot: None,
            presence: Vec::new(),
            required: false,
            slotted: Vec::new(),
            ignorable: false,
        }
    }
}

impl SchemaNode {
    fn node_mut(&mut self, path: &Path) -> &mut SchemaNode {
        let mut node = self;
        for seg in &path.segs {
            node = match seg {
                path::PathSeg::Any => node.items.get_or_insert_with(Default::default),
                path::PathSeg::Key(k) => {
                    let pos = match node.children.iter().position(|(n, _)| n == k) {
                        Some(p) => p,
                        None => {
                            node.children.push((k.clone(), SchemaNode::default()));
                            node.children.len() - 1
                        }
                    };
                    &mut node.children[pos].1
                }
            };
        }
        node
    }

    /// The node at a path without `*`, if the schema declares it.
    fn declared_mut(&mut self, path: &Path) -> Option<&mut SchemaNode> {
        let mut node = self;
        for seg in &path.segs {
            let path::PathSeg::Key(k) = seg else {
                return None;
            };
            let i = node.children.iter().position(|(n, _)| n == k)?;
            node = &mut node.children[i].1;
        }
        Some(node)
    }

    #[inline]
    fn find(&self, key: &str) -> Option<usize> {
        match self.buckets[bucket(key)] {
            0 => None,
            CROWDED => self.children.iter().position(|(n, _)| same(n, key)),
            i => {
                let i = usize::from(i) - 1;
                self.children
                    .get(i)
                    .filter(|(n, _)| same(n, key))
                    .map(|_| i)
            }
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        if self.children.len() > 64 {
            return Err("an object may declare at most 64 members".into());
        }
        self.buckets = [0; 64];
        self.slotted = self
            .children
            .iter()
            .enumerate()
            .filter_map(|(i, (_, c))| c.slot.map(|s| (i, s)))
            .collect();
        for (i, (n, _)) in self.children.iter().enumerate() {
            let b = &mut self.buckets[bucket(n)];
            // `i + 1 <= 64` fits, and stays below CROWDED.
            *b = if *b == 0 { (i + 1) as u8 } else { CROWDED };
        }
        for (_, c) in &mut self.children {
            c.finish()?;
        }
        if let Some(i) = &mut self.items {
            i.finish()?;
        }
        Ok(())
    }
}

/// String equality for the short names and values the engine compares (member names, enum
/// values, table keys).
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a == b
}

/// A rule as a schema node lists it: what the visit needs without reading the rule itself.
#[derive(Debug, Clone, Copy)]
struct NodeRule {
    /// Index into `Engine::rules`.
    rule: usize,
    /// The rule's global index (its severity).
    global: usize,
    /// Its condition's index into `Engine::conds`.
    cond: Option<usize>,
    kind: NodeKind,
    /// When its condition holds, the service ignores the member (the rule's `member_ignored`).
    ignores: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    /// `required`: fires on `""` here (absence is `presence`'s).
    Required,
    /// `present`: fires when the member is given.
    Present,
    /// A check of the value.
    Value,
}

/// Marks a bucket shared by several declared names.
const CROWDED: u8 = u8::MAX;

/// A 6-bit bucket from a name's length and three of its bytes: declared names rarely share one,
/// so a member lookup is one table read and one comparison.
#[inline]
fn bucket(s: &str) -> usize {
    let b = s.as_bytes();
    let at = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
    (b.len().wrapping_mul(31)
        ^ at(0).wrapping_mul(7)
        ^ at(b.len() / 2).wrapping_mul(3)
        ^ at(b.len().wrapping_sub(1)).wrapping_mul(13))
        & 63
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub global: usize,
    pub targets: Vec<(Path, Option<usize>)>,
    pub when: Option<Cond>,
    /// Index of `when` in `Engine::conds` (identical conditions share one slot).
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
    conds: Vec<Cond>,
    /// Number of distinct field paths that conditions and lookups read (see [`Slots`]).
    slot_count: usize,
    /// Number of distinct field tests in conditions (see [`Slots::test`]).
    test_count: usize,
}

/// Values that look copied from the reference pages (common pack table `placeholders`).
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    repeated: Vec<char>,
    repeated_min: usize,
    equals: Vec<String>,
    contains: Vec<String>,
    /// The bytes of the `contains` needles (a 256-bit set) and the shortest needle's length.
    contains_bytes: [u64; 4],
    contains_min: usize,
    braced: bool,
    /// The first bytes of the values `repeated`, `equals` and `braced` can match (a 256-bit
    /// set): most values are told apart by their first byte.
    starts: [u64; 4],
}

fn add_byte(set: &mut [u64; 4], b: u8) {
    set[usize::from(b >> 6)] |= 1 << (b & 63);
}

fn has_byte(set: &[u64; 4], b: u8) -> bool {
    set[usize::from(b >> 6)] & (1 << (b & 63)) != 0
}

impl Placeholders {
    pub fn from_table(t: Option<&Value>) -> Placeholders {
        let Some(t) = t else {
            return Placeholders::default();
        };
        let strs = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let contains = strs("contains");
        let mut set = [0u64; 4];
        for b in contains.iter().flat_map(|c| c.bytes()) {
            add_byte(&mut set, b);
        }
        let repeated: Vec<char> = t
            .get("repeated")
            .and_then(Value::as_str)
            .unwrap_or("")
            .chars()
            .collect();
        let equals = strs("equals");
        let braced = t.get("braced").and_then(Value::as_bool).unwrap_or(false);
        let mut starts = [0u64; 4];
        let mut utf8 = [0u8; 4];
        for c in &repeated {
            add_byte(&mut starts, c.encode_utf8(&mut utf8).as_bytes()[0]);
        }
        for b in equals.iter().filter_map(|e| e.bytes().next()) {
            add_byte(&mut starts, b);
        }
        if braced {
            add_byte(&mut starts, b'{');
        }
        Placeholders {
            contains_min: contains.iter().map(String::len).min().unwrap_or(0),
            contains_bytes: set,
            repeated,
            repeated_min: t.get("repeated_min").and_then(Value::as_u64).unwrap_or(3) as usize,
            equals,
            contains,
            braced,
            starts,
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        // A non-empty value whose first byte starts no `repeated`, `equals` or `braced` match
        // can only be a `contains` match (the common case: one table read, a few probes).
        if s.as_bytes()
            .first()
            .is_some_and(|&b| !has_byte(&self.starts, b))
        {
            return self.contains_needle(s.as_bytes());
        }
        let mut chars = s.chars();
        if let Some(first) = chars.next() {
            if self.repeated.contains(&first)
                && s.chars().count() >= self.repeated_min
                && chars.all(|c| c == first)
            {
                return true;
            }
        }
        self.equals.iter().any(|e| e == s)
            || self.contains_needle(s.as_bytes())
            || (self.braced
                && s.len() > 2
                && s.starts_with('{')
                && s.ends_with('}')
                && !s[1..s.len() - 1].contains(['{', '}']))
    }
}

impl Placeholders {
    /// Whether one of the `contains` needles occurs in `hay`.
    #[inline]
    fn contains_needle(&self, hay: &[u8]) -> bool {
        self.may_contain(hay)
            && self
                .contains
                .iter()
                .any(|c| contains_bytes(hay, c.as_bytes()))
    }

    /// A quick pre-test for the `contains` needles: any occurrence of a needle at least
    /// `contains_min` bytes long covers one of the bytes at `contains_min - 1`, `2 * contains_min
    /// - 1`, ...; when none of those bytes occurs in a needle, no needle occurs in `hay`.
    #[inline]
    fn may_contain(&self, hay: &[u8]) -> bool {
        let step = self.contains_min;
        if step == 0 {
            return !self.contains.is_empty();
        }
        let mut i = step - 1;
        while let Some(&b) = hay.get(i) {
            if has_byte(&self.contains_bytes, b) {
                return true;
            }
            i += step;
        }
        false
    }
}

/// `hay.contains(needle)` without the standard library's substring searcher (the Two-Way
/// searcher is 3 KB of the browser package, for needles that are a few bytes long).
pub(crate) fn contains_str(hay: &str, needle: &str) -> bool {
    needle.is_empty() || contains_bytes(hay.as_bytes(), needle.as_bytes())
}

/// Whether `needle` occurs in `hay`: candidates by the needle's first byte, then a slice
/// comparison (the needles are short; no searcher is set up per call).
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return false;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    let mut from = 0;
    while from <= last_start {
        match hay[from..=last_start].iter().position(|&b| b == first) {
            Some(i) => {
                if hay[from + i..].starts_with(needle) {
                    return true;
                }
                from += i + 1;
            }
            None => return false,
        }
    }
    false
}

/// The result of applying the type policy (docs/reading-the-pages.md#types) to a member.
enum Typed<'d> {
    Exact(Val<'d>),
    Coerced(Val<'d>),
    Wrong(&'static str),
}

/// True if `s` reads as a float (`f64::from_str`'s grammar).
fn is_float_text(s: &str) -> bool {
    crate::json::float::parse_f64(s).is_some()
}

fn coerce<'d, D: Doc>(ty: FieldType, node: &'d D) -> Typed<'d> {
    match (ty, node.kind()) {
        (FieldType::String | FieldType::BoolString, Kind::String) => {
            Typed::Exact(Val::Str(Cow::Borrowed(node.as_str().unwrap_or(""))))
        }
        (FieldType::String, Kind::Number) => match node.as_num() {
            Some(n) => Typed::Coerced(Val::Str(Cow::Owned(n.to_text()))),
            None => Typed::Wrong("type"),
        },
        (FieldType::BoolString, Kind::Bool) => {
            Typed::Coerced(Val::Str(Cow::Borrowed(if node.as_bool() == Some(true) {
                "true"
            } else {
                "false"
            })))
        }
        (FieldType::Integer, Kind::Number) => match node.as_num().and_then(|n| n.whole()) {
            Some(i) => Typed::Exact(Val::Int(i)),
            None => Typed::Wrong("not_whole"),
        },
        (FieldType::Integer, Kind::String) => {
            let s = node.as_str().unwrap_or("");
            let digits = s.strip_prefix('-').unwrap_or(s);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                match s.parse::<i64>() {
                    Ok(i) => Typed::Coerced(Val::Int(i)),
                    Err(_) => Typed::Wrong("not_whole"),
                }
            } else if is_float_text(s) {
                Typed::Wrong("not_whole")
            } else {
                Typed::Wrong("type")
            }
        }
        (FieldType::Boolean, Kind::Bool) => Typed::Exact(Val::Bool(node.as_bool() == Some(true))),
        (FieldType::Boolean, Kind::String) => match node.as_str() {
            Some("true") => Typed::Coerced(Val::Bool(true)),
            Some("false") => Typed::Coerced(Val::Bool(false)),
            _ => Typed::Wrong("type"),
        },
        (FieldType::Object, Kind::Object) | (FieldType::Array, Kind::Array) => {
            Typed::Exact(Val::Composite)
        }
        _ => Typed::Wrong("type"),
    }
}

/// Edit distance for "did you mean", bounded so a long unknown key costs little.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 3 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest declared name to an unknown key, if one is close enough to be a typo.
pub fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let u = norm(unknown);
    let limit = if unknown.chars().count() <= 4 { 1 } else { 2 };
    known
        .map(|k| {
            (
                if norm(k) == u {
                    0
                } else {
                    distance(&u, &norm(k))
                },
                k,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Severity lookups by global rule index (`None`: the rule is off).
pub type Levels = [Option<crate::Severity>];

struct Run<'a, 'd, D: Doc> {
    engine: &'a Engine,
    root: &'d D,
    context: &'a serde_json::Map<String, Value>,
    levels: &'a Levels,
    generic: &'a Generic,
    out: &'a mut Vec<Finding>,
    /// Stop at the first finding ([`crate::Linter::is_valid`] asks only whether there is one).
    first_only: bool,
    /// A finding was made and `first_only` is set: the visit goes no further.
    done: bool,
    /// Whether placeholders are looked for in plain and in secret values (read once per run: not
    /// for `is_valid`, whose rules are the errors).
    placeholders_plain: bool,
    placeholders_secret: bool,
    /// The fields that conditions and lookups read, resolved once per run; its memo of test
    /// results also holds the rule conditions' (after the field tests).
    slots: Slots<'d, D>,
    /// The document may hold unknown values (read as a template: [`Engine::run_template`]).
    unknowns: bool,
}

impl<'a, 'd, D: Doc> Run<'a, 'd, D> {
    fn new(
        engine: &'a Engine,
        root: &'d D,
        context: &'a serde_json::Map<String, Value>,
        levels: &'a Levels,
        generic: &'a Generic,
        first_only: bool,
        out: &'a mut Vec<Finding>,
    ) -> Self {
        let on = |rule: usize| levels.get(rule).copied().flatten().is_some();
        Run {
            engine,
            root,
            context,
            levels,
            generic,
            out,
            first_only,
            done: false,
            placeholders_plain: on(generic.placeholder),
            placeholders_secret: on(generic.placeholder) || on(generic.plaintext_password),
            slots: Slots::with_tests(
                root,
                engine.slot_count,
                engine.test_count + engine.conds.len(),
            ),
            unknowns: false,
        }
    }

    fn on(&self, rule: usize) -> bool {
        self.levels.get(rule).copied().flatten().is_some()
    }

    fn emit(&mut self, rule: usize, segs: &[Seg<'_>], params: Params, at: At) {
        if self.on(rule) {
            self.out.push(Finding {
                rule,
                pointer: pointer(segs),
                params,
                at,
            });
            self.done = self.first_only;
        }
    }

    /// Whether a rule applies: on, and its condition (evaluated once per run) holds.
    #[inline]
    fn applies(&self, rule: &Rule) -> bool {
        self.on(rule.global) && self.holds(rule)
    }

    /// Whether a rule's condition (evaluated once per run) holds, whether or not the rule is on.
    fn holds(&self, rule: &Rule) -> bool {
        self.cond_holds(rule.cond)
    }

    /// [`Run::applies`] for a rule as a schema node lists it.
    #[inline]
    fn node_rule_applies(&self, r: &NodeRule) -> bool {
        self.on(r.global) && self.cond_holds(r.cond)
    }

    /// Whether condition `cond` (an index into `Engine::conds`; `None`: no condition) holds,
    /// evaluated at most once per run.
    fn cond_holds(&self, cond: Option<usize>) -> bool {
        let Some(c) = cond else { return true };
        let engine = self.engine;
        self.slots.test(engine.test_count + c, || {
            let cond = &engine.conds[c];
            !(self.unknowns && cond.reads_unknown(&self.slots))
                && cond.eval_in(&self.slots, &engine.tables, self.context)
        })
    }

    /// The first of a rule's observed acceptances whose condition holds and whose check the
    /// value passes, by its index in the rule's list.
    fn observed<'e>(&self, rule: &Rule, val: &Val<'_>, env: &Env<'e, 'd, D>) -> Option<usize> {
        rule.observed
            .iter()
            .position(|o| self.cond_holds(o.cond) && check::apply(&o.accepts, val, env).is_none())
    }

    /// Whether the service ignores this given member (a `member_ignored` rule's condition holds,
    /// whether or not that rule is on): then that rule's finding is the only one about it, and
    /// its type, value and placeholder checks stay silent.
    fn ignored(&mut self, schema: &SchemaNode, stack: &[Seg<'_>]) -> bool {
        if !schema
            .rules
            .iter()
            .any(|r| r.ignores && self.cond_holds(r.cond))
        {
            return false;
        }
        for r in &schema.rules {
            if r.ignores && self.node_rule_applies(r) {
                self.emit(r.global, stack, Vec::new(), At::Key);
                if self.done {
                    break;
                }
            }
        }
        true
    }

    fn required_rule_holds(&self, field: &Field) -> bool {
        let engine = self.engine;
        field
            .required_by
            .iter()
            // A null where a required-when rule's condition holds is "missing" (that rule's
            // finding), not "absent" (HC007), even when that rule is turned off: the verdict on
            // one rule must not depend on another rule's severity.
            .any(|&r| self.holds(&engine.rules[r]))
    }

    fn object(&mut self, node: &'d D, schema: &'a SchemaNode, stack: &mut Vec<Seg<'a>>)
    where
        'd: 'a,
    {
        // Members are bound to the declared names first (`finish` keeps at most 64); of
        // duplicated keys the last one counts (as serde_json keeps it).
        let mut bound: [Option<&'d D>; 64] = [None; 64];
        // Undeclared names already reported: a duplicated one is one finding, as in a value.
        let mut unknown: Vec<&str> = Vec::new();
        if let Some(members) = node.members() {
            // In document order, a later duplicate replacing an earlier one: the last counts.
            for (k, v) in members {
                match schema.find(k) {
                    Some(ci) => bound[ci] = Some(v),
                    None if self.on(self.generic.unknown_member) => {
                        if unknown.contains(&k) {
                            continue;
                        }
                        unknown.push(k);
                        self.unknown_member(k, schema, stack);
                    }
                    None => {}
                }
            }
        }
        for &(ci, s) in &schema.slotted {
            self.slots.set(s, bound[ci]);
        }
        // Then visited in the order the pack declares them (`finish` keeps at most 64), which
        // puts the fields conditions read (engine, mode, charge mode) before most readers.
        for ((key, child), &v) in schema.children.iter().zip(&bound) {
            if self.done {
                return;
            }
            if v.is_none() && !child.required && child.presence.is_empty() {
                continue;
            }
            stack.push(Seg::Key(key));
            self.member(v, Some(node), child, stack);
            stack.pop();
        }
    }

    /// The finding on an undeclared member `k` of an object whose declared members are
    /// `schema`'s, with the declared name it may be a typo of.
    fn unknown_member(&mut self, k: &'d str, schema: &SchemaNode, stack: &mut Vec<Seg<'a>>)
    where
        'd: 'a,
    {
        let mut params = with_room([("member", Param::Str(k.to_string()))]);
        let names = schema.children.iter().map(|(n, _)| n.as_str());
        if let Some(s) = suggest(k, names) {
            params.push(("suggestion", Param::Str(s.to_string())));
        }
        stack.push(Seg::Key(k));
        self.emit(self.generic.unknown_member, stack, params, At::Key);
        stack.pop();
    }

    /// [`Engine::run_member`]'s walk. `node` is the root, an object.
    fn down_to(&mut self, root: &'d D, toks: &[&str], stack: &mut Vec<Seg<'a>>)
    where
        'd: 'a,
    {
        let engine = self.engine;
        let (mut node, mut schema, mut ty) = (root, &engine.schema, FieldType::Object);
        for (i, &tok) in toks.iter().enumerate() {
            let last = i + 1 == toks.len();
            // Where the whole-body visit goes next from `node`, and what it reaches.
            let (seg, child_schema, child) = match ty {
                FieldType::Object => {
                    let Some(ci) = schema.find(tok) else {
                        // An undeclared member is reported as `object` reports it (once, also
                        // when duplicated); nothing under it is visited.
                        if last && self.on(self.generic.unknown_member) {
                            let mut members = node.members().into_iter().flatten();
                            if let Some((k, _)) = members.find(|(k, _)| *k == tok) {
                                self.unknown_member(k, schema, stack);
                            }
                        }
                        return;
                    };
                    let (key, child_schema) = &schema.children[ci];
                    (Seg::Key(key), child_schema, node.get(tok))
                }
                FieldType::Array => {
                    let Some(items) = &schema.items else { return };
                    // Only the index as the visit writes it (`1`, not `01`) names the item.
                    match tok.parse::<usize>() {
                        Ok(n) if n.to_string() == tok => {
                            (Seg::Index(n), &**items, node.items().get(n))
                        }
                        _ => return,
                    }
                }
                _ => return,
            };
            stack.push(seg);
            if last {
                self.member(child, Some(node), child_schema, stack);
                return;
            }
            // Past a member, the visit goes on only into a declared, well-typed container
            // (as `member` decides).
            let Some(child) = child else { return };
            let Some(fi) = child_schema.field else { return };
            let field = &engine.fields[fi];
            if child.is_null() || matches!(coerce(field.ty, child), Typed::Wrong(_)) {
                return;
            }
            (node, schema, ty) = (child, child_schema, field.ty);
        }
    }

    /// Presence rules (`required`, `defaulted`) for a member that is absent or null.
    fn absent_rules(&mut self, schema: &SchemaNode, stack: &[Seg<'_>], at: At) {
        let engine = self.engine;
        for &r in &schema.presence {
            let rule = &engine.rules[r];
            if self.applies(rule) {
                self.emit(rule.global, stack, Vec::new(), at);
            }
        }
    }

    fn member(
        &mut self,
        node: Option<&'d D>,
        parent: Option<&'d D>,
        schema: &'a SchemaNode,
        stack: &mut Vec<Seg<'a>>,
    ) where
        'd: 'a,
    {
        let Some(fi) = schema.field else { return };
        let engine = self.engine;
        let field = &engine.fields[fi];
        let g = self.generic;
        let Some(node) = node else {
            if field.required {
                let p = vec![("state", Param::Term("absent"))];
                self.emit(g.missing_required, stack, p, At::Missing);
            }
            self.absent_rules(schema, stack, At::Missing);
            return;
        };
        if self.unknowns && node.is_unknown() {
            self.unknown_rules(schema, stack);
            return;
        }
        if node.is_null() {
            // An array item cannot be absent: the service receives the null.
            if matches!(stack.last(), Some(Seg::Index(_))) {
                let p = vec![
                    ("expected", Param::Term(field.ty.name())),
                    ("actual", Param::Term("null")),
                    ("reason", Param::Term("type")),
                ];
                self.emit(g.wrong_type, stack, p, At::Value);
                return;
            }
            if field.required {
                let p = vec![("state", Param::Term("null"))];
                self.emit(g.missing_required, stack, p, At::Value);
            } else if field
                .null_ok
                .as_ref()
                .is_some_and(|c| c.eval_in(&self.slots, &engine.tables, self.context))
                || self.required_rule_holds(field)
            {
            } else {
                self.emit(g.null_value, stack, Vec::new(), At::Value);
            }
            self.absent_rules(schema, stack, At::Value);
            return;
        }
        if schema.ignorable && self.ignored(schema, stack) {
            return;
        }
        let typed = match coerce(field.ty, node) {
            Typed::Exact(v) => Some(v),
            Typed::Coerced(v) => {
                if field.coerce == Coerce::Warn {
                    let p = vec![
                        ("expected", Param::Term(field.ty.name())),
                        ("actual", Param::Term(node.kind().name())),
                    ];
                    self.emit(g.coerced_type, stack, p, At::Value);
                }
                Some(v)
            }
            Typed::Wrong(reason) => {
                let p = vec![
                    ("expected", Param::Term(field.ty.name())),
                    ("actual", Param::Term(node.kind().name())),
                    ("reason", Param::Term(reason)),
                ];
                self.emit(g.wrong_type, stack, p, At::Value);
                None
            }
        };
        let empty = matches!(&typed, Some(Val::Str(s)) if s.is_empty());
        if empty && field.required {
            let p = vec![("state", Param::Term("empty"))];
            self.emit(g.missing_required, stack, p, At::Value);
        } else if let Some(Val::Str(s)) = &typed {
            // Looked for only where a finding can come of it (not for `is_valid`'s errors).
            let asked = if field.secret {
                self.placeholders_secret
            } else {
                self.placeholders_plain
            };
            if asked && engine.placeholders.matches(s) {
                let mut p = Vec::new();
                if !field.secret {
                    p.push(("value", Param::Str(s.to_string())));
                }
                self.emit(g.placeholder, stack, p, At::Value);
            } else if field.secret && !s.is_empty() {
                self.emit(g.plaintext_password, stack, Vec::new(), At::Value);
            }
        }
        if !schema.rules.is_empty() {
            self.value_rules(schema, field, node, parent, typed.as_ref(), empty, stack);
        }
        if typed.is_none() || (empty && field.required) {
            return;
        }
        match field.ty {
            FieldType::Object => self.object(node, schema, stack),
            FieldType::Array => {
                if let Some(items) = &schema.items {
                    for (i, item) in node.items().iter().enumerate() {
                        if self.done {
                            return;
                        }
                        stack.push(Seg::Index(i));
                        self.member(Some(item), Some(node), items, stack);
                        stack.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// The rules attached to a member whose value a template fills in: given, so the rules
    /// about its presence apply; its value is not known, so no value rule does (nor the type,
    /// placeholder and plain-text password checks), and nothing under it is visited.
    fn unknown_rules(&mut self, schema: &SchemaNode, stack: &[Seg<'_>]) {
        for r in &schema.rules {
            if r.kind == NodeKind::Present && self.node_rule_applies(r) {
                self.out.push(Finding {
                    rule: r.global,
                    pointer: pointer(stack),
                    params: Vec::new(),
                    at: At::Key,
                });
                if self.first_only {
                    self.done = true;
                    return;
                }
            }
        }
    }

    /// The rules attached to a member that is given (not null).
    #[allow(clippy::too_many_arguments)]
    fn value_rules(
        &mut self,
        schema: &SchemaNode,
        field: &Field,
        node: &'d D,
        parent: Option<&'d D>,
        typed: Option<&Val<'d>>,
        empty: bool,
        stack: &[Seg<'_>],
    ) {
        let engine = self.engine;
        let checked = typed.filter(|_| !(empty && field.required));
        // What a check sees besides the value is the same for every rule here: built once.
        let env = Env {
            root: self.root,
            slots: &self.slots,
            node,
            parent,
            tables: &engine.tables,
            context: self.context,
            secret: field.secret,
        };
        for r in &schema.rules {
            let hit = match r.kind {
                NodeKind::Required => {
                    (empty && self.node_rule_applies(r)).then(|| (Vec::new(), At::Value))
                }
                NodeKind::Present => self.node_rule_applies(r).then(|| (Vec::new(), At::Key)),
                NodeKind::Value => match checked {
                    Some(val) if self.node_rule_applies(r) => {
                        let rule = &engine.rules[r.rule];
                        match check::apply(&rule.check, val, &env) {
                            Some(mut p) if !rule.observed.is_empty() => {
                                match self.observed(rule, val, &env) {
                                    // At most a warning: not what a verdict looks for.
                                    Some(_) if self.first_only => None,
                                    Some(i) => {
                                        p.push(("observed", Param::Int(i as i64)));
                                        Some((p, At::Value))
                                    }
                                    None => Some((p, At::Value)),
                                }
                            }
                            p => p.map(|p| (p, At::Value)),
                        }
                    }
                    _ => None,
                },
            };
            if let Some((mut params, at)) = hit {
                if field.secret {
                    conceal(&mut params, checked);
                }
                // Straight to the list (the rule is on: `node_rule_applies`), leaving `env`'s
                // borrow of the slots alone.
                self.out.push(Finding {
                    rule: r.global,
                    pointer: pointer(stack),
                    params,
                    at,
                });
                if self.first_only {
                    self.done = true;
                    return;
                }
            }
        }
    }
}

/// Where the rules of a pack are and what else compiling needs.
pub struct RuleIndex<'a> {
    pub ids: &'a crate::packs::RuleIds,
}

impl Engine {
    /// Compile one API pack. `overrides` maps a rule's global index to check options that replace
    /// the pack's (a config's `options`).
    /// Under `strict`, the rules' observed acceptances are left out: every value the pages
    /// forbid is the documented error.
    pub fn compile(
        pack: &Pack,
        index: &RuleIndex<'_>,
        overrides: &[Option<serde_json::Map<String, Value>>],
        tables: serde_json::Map<String, Value>,
        placeholders: Placeholders,
        strict: bool,
    ) -> Result<Engine, String> {
        let mut fields = Vec::with_capacity(pack.fields.len());
        let mut schema = SchemaNode::default();
        let mut slots = SlotTable::default();
        for (i, f) in pack.fields.iter().enumerate() {
            let path = Path::parse(&f.pointer)
                .ok_or_else(|| format!("field `{}` is not a JSON Pointer", f.pointer))?;
            let mut null_ok = f.null_ok.as_ref().map(Cond::compile).transpose()?;
            if let Some(c) = &mut null_ok {
                c.assign_slots(&mut slots);
            }
            let node = schema.node_mut(&path);
            node.field = Some(i);
            node.required = f.required;
            fields.push(Field {
                path,
                ty: f.ty,
                required: f.required,
                coerce: f.coerce,
                secret: f.secret,
                null_ok,
                required_by: Vec::new(),
            });
        }
        let mut rules = Vec::with_capacity(pack.rules.len());
        let mut conds: Vec<Cond> = Vec::new();
        // The condition as written, per entry of `conds`: equal conditions share one entry.
        let mut cond_defs: Vec<&pack::CondDef> = Vec::new();
        for r in &pack.rules {
            let global = index
                .ids
                .get(&r.id)
                .ok_or_else(|| format!("rule {} is not indexed", r.id))?;
            let mut check_value = r.check.clone();
            let opts = overrides.get(global).and_then(Option::as_ref);
            if let (Some(opts), Value::Object(obj)) = (opts, &mut check_value) {
                // Options that name another kind replace the check: the pack's parameters
                // belong to its own kind and would not apply.
                if opts.get("kind").is_some_and(|k| obj.get("kind") != Some(k)) {
                    obj.clear();
                }
                for (k, v) in opts {
                    obj.insert(k.clone(), v.clone());
                }
            }
            let def = pack::CheckDef::from_value(&check_value)
                .map_err(|e| format!("rule {}: {e}", r.id))?;
            let mut check = Check::compile(&def).map_err(|e| format!("rule {}: {e}", r.id))?;
            check.link(&mut slots, &tables);
            let mut when = r
                .when
                .as_ref()
                .map(Cond::compile)
                .transpose()
                .map_err(|e| format!("rule {}: {e}", r.id))?;
            if let Some(c) = &mut when {
                c.assign_slots(&mut slots);
            }
            let cond = match &r.when {
                None => None,
                Some(def) => Some(match cond_defs.iter().position(|d| *d == def) {
                    Some(i) => i,
                    None => {
                        cond_defs.push(def);
                        conds.push(when.clone().ok_or("condition did not compile")?);
                        conds.len() - 1
                    }
                }),
            };
            let mut observed = Vec::new();
            for (i, o) in r.observed.iter().enumerate().filter(|_| !strict) {
                let fail = |e: String| format!("rule {}: observed[{i}]: {e}", r.id);
                let def = pack::CheckDef::from_value(&o.accepts).map_err(fail)?;
                let mut accepts = Check::compile(&def).map_err(fail)?;
                accepts.link(&mut slots, &tables);
                let cond = match &o.when {
                    None => None,
                    Some(def) => Some(match cond_defs.iter().position(|d| *d == def) {
                        Some(i) => i,
                        None => {
                            let mut c = Cond::compile(def).map_err(fail)?;
                            c.assign_slots(&mut slots);
                            cond_defs.push(def);
                            conds.push(c);
                            conds.len() - 1
                        }
                    }),
                };
                observed.push(ObservedCheck { cond, accepts });
            }
            let mut targets = Vec::new();
            for t in &r.targets {
                let path =
                    Path::parse(t).ok_or_else(|| format!("rule {}: bad target `{t}`", r.id))?;
                let field = fields
                    .iter()
                    .position(|f: &Field| f.path.text == *t)
                    .ok_or_else(|| {
                        format!("rule {}: target `{t}` is not a declared field", r.id)
                    })?;
                let node = schema.node_mut(&path);
                let kind = match check {
                    Check::Defaulted => None,
                    Check::Required => Some(NodeKind::Required),
                    Check::Present => Some(NodeKind::Present),
                    _ => Some(NodeKind::Value),
                };
                if let Some(kind) = kind {
                    node.rules.push(NodeRule {
                        rule: rules.len(),
                        global,
                        cond,
                        kind,
                        ignores: r.member_ignored,
                    });
                    node.ignorable |= r.member_ignored;
                }
                if matches!(check, Check::Required | Check::Defaulted) {
                    node.presence.push(rules.len());
                }
                targets.push((path, Some(field)));
            }
            if matches!(check, Check::Required) {
                for (_, f) in &targets {
                    if let Some(f) = f {
                        fields[*f].required_by.push(rules.len());
                    }
                }
            }
            rules.push(Rule {
                global,
                targets,
                when,
                cond,
                check,
                observed,
            });
        }
        for (i, path) in slots.paths().iter().enumerate() {
            if let Some(node) = schema.declared_mut(path) {
                node.slot = Some(i);
            }
        }
        schema.finish()?;
        Ok(Engine {
            fields,
            schema,
            rules,
            tables,
            placeholders,
            conds,
            slot_count: slots.len(),
            test_count: slots.test_count(),
        })
    }

    /// Run every rule over a document that is a JSON object. With `first_only`, the visit stops
    /// at the first finding (a verdict, not a report).
    pub fn run<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        self.visit(root, context, levels, generic, first_only, out, false);
    }

    /// [`Engine::run`] over a document read as a template: its unknown values
    /// ([`doc::Kind::Unknown`]) count as given, and stay unjudged, as do the rules whose
    /// condition reads one.
    pub fn run_template<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        self.visit(root, context, levels, generic, first_only, out, true);
    }

    #[allow(clippy::too_many_arguments)]
    fn visit<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
        unknowns: bool,
    ) {
        let mut stack = Vec::with_capacity(8);
        // Room for a few findings: growing the list one by one costs more than the checks (a
        // verdict, `first_only`, keeps at most one).
        if !first_only {
            out.reserve(8);
        }
        let mut run = Run::new(self, root, context, levels, generic, first_only, out);
        run.unknowns = unknowns;
        run.object(root, &self.schema, &mut stack);
    }

    /// The findings of [`Engine::run`] at or under one member (`toks`, the unescaped tokens of its
    /// pointer): the visit goes down the path exactly as far as the whole-body visit would, then
    /// visits that member as the whole-body visit does. Findings elsewhere (those of rules whose
    /// condition reads the member) are not produced; a caller that wants them runs the whole body.
    #[allow(clippy::too_many_arguments)]
    pub fn run_member<D: Doc>(
        &self,
        root: &D,
        toks: &[&str],
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        out: &mut Vec<Finding>,
    ) {
        let mut stack = Vec::with_capacity(toks.len() + 4);
        Run::new(self, root, context, levels, generic, false, out).down_to(root, toks, &mut stack);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_string_equality() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789-é日本";
        let mut equal = 0;
        for n in 0..base.len() {
            let Some(a) = base.get(..n) else { continue };
            let mut b = a.to_string().into_bytes();
            assert!(same(a, std::str::from_utf8(&b).unwrap()));
            equal += 1;
            // Every single-byte difference, at every position, is seen.
            for i in 0..b.len() {
                b[i] ^= 1;
                if let Ok(t) = std::str::from_utf8(&b) {
                    assert!(!same(a, t), "{a:?} vs {t:?}");
                }
                b[i] ^= 1;
            }
            // A shorter prefix differs in length only.
            if let Some(shorter) = n.checked_sub(1).and_then(|m| base.get(..m)) {
                assert!(!same(a, shorter));
            }
        }
        assert!(equal > 30);
    }

    #[test]
    fn placeholders_first_byte_filter_keeps_every_match() {
        let table = serde_json::json!({
            "repeated": "*x＊", "repeated_min": 3, "equals": ["aaa", "", "{x}"],
            "contains": ["xxxxxxxx", "TODO"], "braced": true
        });
        let p = Placeholders::from_table(Some(&table));
        // The same tests without the first-byte filter.
        let slow = |s: &str| {
            let first = s.chars().next();
            first.is_some_and(|f| {
                p.repeated.contains(&f)
                    && s.chars().count() >= p.repeated_min
                    && s.chars().all(|c| c == f)
            }) || p.equals.iter().any(|e| e == s)
                || p.contains.iter().any(|c| s.contains(c.as_str()))
                || (p.braced
                    && s.len() > 2
                    && s.starts_with('{')
                    && s.ends_with('}')
                    && !s[1..s.len() - 1].contains(['{', '}']))
        };
        let cases = [
            "",
            "a",
            "aaa",
            "aaaa",
            "***",
            "**",
            "xxx",
            "＊＊＊",
            "＊＊",
            "{project_id}",
            "{a}{b}",
            "{}",
            "{x}",
            "orders-01",
            "axxxxxxxxb",
            "my TODO list",
            "TOD",
            "ñaaa",
            "bbb",
        ];
        let mut hits = 0;
        for s in cases {
            assert_eq!(p.matches(s), slow(s), "{s:?}");
            hits += usize::from(slow(s));
        }
        assert!(hits >= 8, "the cases must exercise matches: {hits}");
    }
}
