//! The vocabulary of checks. Each primitive is compiled once from a rule's `check` object and then
//! applied to a typed value; a failing check returns the parameters its message needs.

use super::charset::CharSet;
#[cfg(not(feature = "compact"))]
use super::charset::ClassTable;
use super::doc::Doc;
use super::pack::CheckDef;
use super::path::{Path, SlotTable, Slots};
use super::{same, with_room, Param, Params};
use serde_json::Value;
use std::borrow::Cow;

/// A value after the type coercion of docs/reading-the-pages.md#types.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'d> {
    Str(Cow<'d, str>),
    Int(i64),
    Bool(bool),
    /// An object or array (the node itself carries the content).
    Composite,
}

impl Val<'_> {
    // Inlined natively (a call per check otherwise); in the browser package, one copy.
    #[cfg_attr(not(feature = "compact"), inline(always))]
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Val::Str(s) => Cow::Borrowed(s.as_ref()),
            Val::Int(i) => Cow::Owned(i.to_string()),
            Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Val::Composite => Cow::Borrowed(""),
        }
    }

    /// [`Val::text`] natively without allocating: an integer is written into `buf`.
    #[cfg(not(feature = "compact"))]
    #[inline(always)]
    pub fn text_in<'a>(&'a self, buf: &'a mut [u8; 20]) -> &'a str {
        match self {
            Val::Str(s) => s,
            Val::Int(i) => int_text(*i, buf),
            Val::Bool(b) => {
                if *b {
                    "true"
                } else {
                    "false"
                }
            }
            Val::Composite => "",
        }
    }
}

impl Val<'_> {
    /// The value's text for a comparison: natively without allocating ([`Val::text_in`]); the
    /// browser package allocates for an integer, as [`Val::text`] does (one less writer).
    #[cfg_attr(not(feature = "compact"), inline(always))]
    pub fn text_buf<'a>(&'a self, buf: &'a mut [u8; 20]) -> Cow<'a, str> {
        #[cfg(not(feature = "compact"))]
        return Cow::Borrowed(self.text_in(buf));
        #[cfg(feature = "compact")]
        {
            let _ = buf;
            self.text()
        }
    }
}

/// `i.to_string()` written into `buf` (20 bytes hold `i64::MIN`).
#[cfg(not(feature = "compact"))]
fn int_text(i: i64, buf: &mut [u8; 20]) -> &str {
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Chars,
    Bytes,
}

#[derive(Debug, Clone)]
pub enum Check {
    /// Fires when the member is absent, `null` or `""`.
    Required,
    /// Fires when the member is absent or `null` (an info about the default it takes).
    Defaulted,
    /// Fires when the member is given (not absent, not `null`).
    Present,
    Length {
        min: Option<usize>,
        max: Option<usize>,
        unit: Unit,
    },
    FirstChar {
        set: CharSet,
        terms: Vec<String>,
    },
    Charset {
        set: CharSet,
        terms: Vec<String>,
    },
    Classes {
        classes: Vec<(String, CharSet)>,
        min: usize,
        /// Natively, the classes read out per byte.
        #[cfg(not(feature = "compact"))]
        table: ClassTable,
    },
    Enum {
        values: Vec<String>,
    },
    LookupEnum {
        lookup: Lookup,
    },
    Range {
        min: Option<i64>,
        max: Option<i64>,
    },
    LookupRange {
        lookup: Lookup,
    },
    Forbidden {
        values: Vec<String>,
    },
    ContainsAny {
        chars: String,
    },
    Digits {
        len: usize,
    },
    List {
        separator: char,
        min: usize,
        max: Option<usize>,
    },
    BackupWindow {
        minutes: Vec<u32>,
    },
    DistinctFrom {
        other: Path,
        /// `other`'s number in the per-run slot cache.
        slot: usize,
    },
    NotBlank,
    MinItems {
        min: usize,
    },
    Exclusive {
        groups: Vec<Vec<String>>,
    },
    AnyOf {
        alternatives: Vec<Vec<Check>>,
    },
    InContext {
        key: String,
    },
    ContextMax {
        key: String,
        by: Option<String>,
    },
    ContextRange {
        key: String,
    },
    SpecEngine {
        field: Path,
        table: String,
        /// `field`'s number in the per-run slot cache.
        slot: usize,
        /// The table's engine names, in table order (filled by [`Check::link`]).
        engines: Vec<String>,
        /// Each name a spec code segment can use (an engine name or one of its `spec_names`) and
        /// the index in `engines` of the first engine it names.
        names: Vec<(String, usize)>,
        /// (engine, other engine) index pairs: the engine's flavors are listed under the other
        /// engine (its table entry's `spec_shared`), so a spec code naming it is normal.
        shared: Vec<(usize, usize)>,
    },
    #[cfg(feature = "pattern")]
    Pattern {
        source: String,
        regex: regex_lite::Regex,
    },
}

/// The parameters each check kind reads (besides `kind`); `None` for a kind that is not known
/// (reported by [`Check::compile`] itself).
fn parameters_of(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "required" | "defaulted" | "present" | "not_blank" => &[],
        "length" => &["min", "max", "unit"],
        "first_char" | "charset" => &["allowed"],
        "classes" => &["classes", "min"],
        "enum" | "forbidden" => &["values"],
        "lookup_enum" | "lookup_range" => &["lookup"],
        "range" => &["min", "max"],
        "contains_any" => &["chars"],
        "digits" => &["len"],
        "list" => &["separator", "min", "max"],
        "backup_window" => &["minutes"],
        "distinct_from" => &["other"],
        "min_items" => &["min"],
        "exclusive" => &["groups"],
        "any_of" => &["alternatives"],
        "in_context" | "context_range" => &["key"],
        "context_max" => &["key", "by"],
        "spec_engine" => &["field", "table"],
        "pattern" => &["pattern"],
        _ => return None,
    })
}

fn need<T>(v: Option<T>, what: &str, kind: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("check `{kind}` needs `{what}`"))
}

fn usize_of(v: Option<i64>, what: &str) -> Result<Option<usize>, String> {
    v.map(|n| usize::try_from(n).map_err(|_| format!("`{what}` must be 0 or more")))
        .transpose()
}

fn strings(values: Vec<Value>, kind: &str) -> Result<Vec<String>, String> {
    values
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            // Named by its kind: writing the value would bring serde_json's serializer into
            // the browser package for this one message.
            other => Err(format!(
                "check `{kind}`: a value is {}, not a string or number",
                match other {
                    Value::Null => "null",
                    Value::Bool(_) => "a boolean",
                    Value::Array(_) => "an array",
                    _ => "an object",
                }
            )),
        })
        .collect()
}

fn charset(terms: &[String], kind: &str) -> Result<CharSet, String> {
    CharSet::from_terms(terms).ok_or_else(|| {
        format!("check `{kind}`: character terms must be upper/lower/letters/digits or ASCII text")
    })
}

impl Check {
    pub fn compile(def: &CheckDef) -> Result<Check, String> {
        // By reference: an error part-way needs no cleanup of the definition's other members.
        let k = def.kind.as_str();
        // A parameter the kind does not read would be dropped silently: a config's `options`
        // that look applied but change nothing. Refused, naming the key and what the kind reads.
        if let Some(takes) = parameters_of(k) {
            if let Some(extra) = def.given().into_iter().find(|g| !takes.contains(g)) {
                let takes = if takes.is_empty() {
                    "none".to_string()
                } else {
                    takes
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                return Err(format!(
                    "option `{extra}` does not apply to a check of kind `{k}` (it reads: {takes})"
                ));
            }
        }
        Ok(match k {
            "required" => Check::Required,
            "defaulted" => Check::Defaulted,
            "present" => Check::Present,
            "length" => Check::Length {
                min: usize_of(def.min, "min")?,
                max: usize_of(def.max, "max")?,
                unit: match def.unit.as_deref() {
                    None | Some("chars") => Unit::Chars,
                    Some("bytes") => Unit::Bytes,
                    Some(u) => return Err(format!("unit `{u}` is not chars or bytes")),
                },
            },
            "first_char" => {
                let terms = need(def.allowed.clone(), "allowed", k)?;
                Check::FirstChar {
                    set: charset(&terms, k)?,
                    terms,
                }
            }
            "charset" => {
                let terms = need(def.allowed.clone(), "allowed", k)?;
                Check::Charset {
                    set: charset(&terms, k)?,
                    terms,
                }
            }
            "classes" => {
                let names = need(def.classes.clone(), "classes", k)?;
                let classes = names
                    .into_iter()
                    .map(|n| Ok((n.clone(), charset(std::slice::from_ref(&n), k)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                let min = usize_of(def.min, "min")?.unwrap_or(classes.len());
                Check::Classes {
                    #[cfg(not(feature = "compact"))]
                    table: ClassTable::new(classes.iter().map(|(_, set)| *set)),
                    classes,
                    min,
                }
            }
            "enum" => Check::Enum {
                values: strings(need(def.values.clone(), "values", k)?, k)?,
            },
            "lookup_enum" => Check::LookupEnum {
                lookup: Lookup::compile(need(def.lookup.as_ref(), "lookup", k)?)?,
            },
            "range" => Check::Range {
                min: def.min,
                max: def.max,
            },
            "lookup_range" => Check::LookupRange {
                lookup: Lookup::compile(need(def.lookup.as_ref(), "lookup", k)?)?,
            },
            "forbidden" => Check::Forbidden {
                values: strings(need(def.values.clone(), "values", k)?, k)?,
            },
            "contains_any" => Check::ContainsAny {
                chars: need(def.chars.clone(), "chars", k)?,
            },
            "digits" => Check::Digits {
                len: need(def.len, "len", k)?,
            },
            "list" => {
                let sep = def.separator.clone().unwrap_or_else(|| ",".into());
                let mut it = sep.chars();
                let (Some(separator), None) = (it.next(), it.next()) else {
                    return Err("`separator` must be one character".into());
                };
                Check::List {
                    separator,
                    min: usize_of(def.min, "min")?.unwrap_or(1),
                    max: usize_of(def.max, "max")?,
                }
            }
            "backup_window" => Check::BackupWindow {
                minutes: def.minutes.clone().unwrap_or_else(|| vec![0, 15, 30, 45]),
            },
            "distinct_from" => Check::DistinctFrom {
                other: Path::parse(need(def.other.as_ref(), "other", k)?)
                    .ok_or("`other` is not a JSON Pointer")?,
                slot: usize::MAX,
            },
            "not_blank" => Check::NotBlank,
            "min_items" => Check::MinItems {
                min: usize_of(def.min, "min")?.unwrap_or(1),
            },
            "exclusive" => Check::Exclusive {
                groups: need(def.groups.clone(), "groups", k)?,
            },
            "any_of" => Check::AnyOf {
                alternatives: need(def.alternatives.as_ref(), "alternatives", k)?
                    .iter()
                    .map(|alt| alt.iter().map(Check::compile).collect())
                    .collect::<Result<_, _>>()?,
            },
            "in_context" => Check::InContext {
                key: need(def.key.clone(), "key", k)?,
            },
            "context_max" => Check::ContextMax {
                key: need(def.key.clone(), "key", k)?,
                by: def.by.clone(),
            },
            "context_range" => Check::ContextRange {
                key: need(def.key.clone(), "key", k)?,
            },
            "spec_engine" => Check::SpecEngine {
                field: Path::parse(need(def.field.as_ref(), "field", k)?)
                    .ok_or("`field` is not a JSON Pointer")?,
                table: need(def.table.clone(), "table", k)?,
                slot: usize::MAX,
                engines: Vec::new(),
                names: Vec::new(),
                shared: Vec::new(),
            },
            #[cfg(not(feature = "pattern"))]
            "pattern" => {
                return Err(
                    "check `pattern` needs regular expressions, which this build of \
                            hcdb-lint leaves out (cargo feature `pattern`)"
                        .into(),
                )
            }
            #[cfg(feature = "pattern")]
            "pattern" => {
                let source = need(def.pattern.clone(), "pattern", k)?;
                // regex-lite matches in time linear in the input, whatever the pattern.
                let regex = regex_lite::Regex::new(&format!("^(?:{source})$"))
                    .map_err(|e| format!("`pattern` does not compile: {e}"))?;
                Check::Pattern { source, regex }
            }
            other => return Err(format!("unknown check kind `{other}`")),
        })
    }

    /// Give every field path this check reads its number in the per-run slot cache, and resolve
    /// what it reads from the engine's tables.
    pub fn link(&mut self, slots: &mut SlotTable, tables: &serde_json::Map<String, Value>) {
        match self {
            Check::DistinctFrom { other, slot } => *slot = slots.slot(other),
            Check::SpecEngine {
                field,
                slot,
                table,
                engines,
                names,
                shared,
            } => {
                *slot = slots.slot(field);
                let table = tables.get(table.as_str()).and_then(Value::as_object);
                let names_of = |e: &Value, key: &str| -> Vec<String> {
                    let list = e.get(key).and_then(Value::as_array).into_iter().flatten();
                    list.filter_map(Value::as_str).map(str::to_string).collect()
                };
                let all: Vec<&String> = table.into_iter().flat_map(|t| t.keys()).collect();
                for (i, e) in table.into_iter().flat_map(|t| t.values()).enumerate() {
                    for other in names_of(e, "spec_shared") {
                        if let Some(j) = all.iter().position(|n| **n == other) {
                            shared.push((i, j));
                        }
                    }
                }
                for (name, e) in table.into_iter().flatten() {
                    let i = engines.len();
                    engines.push(name.clone());
                    let also = e.get("spec_names").and_then(Value::as_array);
                    let also = also.into_iter().flatten().filter_map(Value::as_str);
                    for n in std::iter::once(name.as_str()).chain(also) {
                        // The first engine a name names keeps it.
                        if names.iter().all(|(x, _)| x != n) {
                            names.push((n.to_string(), i));
                        }
                    }
                }
            }
            Check::LookupEnum { lookup } | Check::LookupRange { lookup } => {
                lookup.link(slots, tables)
            }
            Check::AnyOf { alternatives } => {
                for c in alternatives.iter_mut().flatten() {
                    c.link(slots, tables);
                }
            }
            _ => {}
        }
    }

    /// Checks about presence rather than about a value.
    pub fn is_presence(&self) -> bool {
        matches!(self, Check::Required | Check::Defaulted | Check::Present)
    }
}

/// What a value check can see besides the value.
pub struct Env<'a, 'd, D: Doc> {
    pub root: &'d D,
    /// The run's cache of the fields that lookups and cross-field checks read.
    pub slots: &'a Slots<'d, D>,
    pub node: &'d D,
    pub parent: Option<&'d D>,
    pub tables: &'a serde_json::Map<String, Value>,
    pub context: &'a serde_json::Map<String, Value>,
    pub secret: bool,
}

/// Apply a value check. `Some(params)` when it fails.
pub fn apply<D: Doc>(check: &Check, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
    match check {
        Check::Required | Check::Defaulted | Check::Present => None,
        Check::Length { min, max, unit } => {
            let s = v.text();
            let n = match unit {
                Unit::Chars => s.chars().count(),
                Unit::Bytes => s.len(),
            };
            let short = min.is_some_and(|m| n < m);
            let long = max.is_some_and(|m| n > m);
            (short || long).then(|| {
                let mut p = with_room([
                    ("actual", Param::Int(n as i64)),
                    (
                        "unit",
                        Param::Term(match unit {
                            Unit::Chars => "chars",
                            Unit::Bytes => "bytes",
                        }),
                    ),
                ]);
                if let Some(m) = min {
                    p.push(("min", Param::Int(*m as i64)));
                }
                if let Some(m) = max {
                    p.push(("max", Param::Int(*m as i64)));
                }
                p
            })
        }
        Check::FirstChar { set, terms } => {
            let s = v.text();
            let first = s.chars().next()?;
            (!set.contains(first)).then(|| {
                let mut p = with_room([("allowed", Param::Terms(terms.clone()))]);
                if !env.secret {
                    p.push(("char", Param::Str(first.to_string())));
                }
                p
            })
        }
        Check::Charset { set, terms } => {
            let s = v.text();
            if s.bytes().all(|b| set.contains_byte(b)) {
                return None;
            }
            let (pos, bad) = s.chars().enumerate().find(|(_, c)| !set.contains(*c))?;
            let mut p = with_room([
                ("allowed", Param::Terms(terms.clone())),
                ("position", Param::Int(pos as i64 + 1)),
            ]);
            if !env.secret {
                p.push(("char", Param::Str(describe_char(bad))));
            }
            Some(p)
        }
        Check::Classes {
            classes,
            min,
            #[cfg(not(feature = "compact"))]
            table,
        } => {
            let s = v.text();
            #[cfg(not(feature = "compact"))]
            let seen = table.classes_in(s.as_bytes());
            #[cfg(feature = "compact")]
            let mut seen = 0u64;
            // By bytes: classes are ASCII sets (see `CharSet::contains_byte`).
            #[cfg(feature = "compact")]
            for &b in s.as_bytes() {
                for (i, (_, set)) in classes.iter().enumerate().take(64) {
                    if set.contains_byte(b) {
                        seen |= 1 << i;
                    }
                }
            }
            let have = seen.count_ones() as usize;
            (have < *min).then(|| {
                let missing = classes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| seen & (1 << i) == 0)
                    .map(|(_, (n, _))| n.clone())
                    .collect();
                vec![
                    ("missing", Param::Terms(missing)),
                    ("min", Param::Int(*min as i64)),
                    ("actual", Param::Int(have as i64)),
                ]
            })
        }
        Check::Enum { values } => {
            // The common case, an allowed value, without collecting the list.
            let mut buf = [0; 20];
            let t = v.text_buf(&mut buf);
            if values.iter().any(|a| same(a, &t)) {
                return None;
            }
            enum_check(values.iter().map(|s| Some(s.as_str())), v, env.secret)
        }
        Check::LookupEnum { lookup } => {
            let t = v.text();
            let mut any = false;
            let mut ok = false;
            lookup.for_each_in(env.tables, env.slots, &mut |leaf| {
                any = true;
                ok = ok || leaf.allows(&t);
            });
            if !any || ok {
                return None;
            }
            let mut allowed: Vec<Option<&str>> = Vec::new();
            lookup.for_each_in(env.tables, env.slots, &mut |leaf| match leaf.node() {
                Value::Array(a) => {
                    for x in a {
                        if !allowed.contains(&x.as_str()) {
                            allowed.push(x.as_str());
                        }
                    }
                }
                Value::Object(o) => {
                    for k in o.keys() {
                        if !allowed.contains(&Some(k.as_str())) {
                            allowed.push(Some(k.as_str()));
                        }
                    }
                }
                _ => {}
            });
            enum_check(allowed.into_iter(), v, env.secret)
        }
        Check::Range { min, max } => range_check(v, *min, *max),
        Check::LookupRange { lookup } => {
            let (mut lo, mut hi) = (i64::MAX, i64::MIN);
            let (mut any, mut unbounded) = (false, false);
            lookup.for_each_in(env.tables, env.slots, &mut |leaf| {
                let Some((a, b)) = leaf.bounds() else { return };
                any = true;
                lo = lo.min(a.unwrap_or(i64::MIN));
                match b {
                    Some(b) => hi = hi.max(b),
                    None => unbounded = true,
                }
            });
            if !any {
                return None;
            }
            let lo = (lo != i64::MIN).then_some(lo);
            let hi = (!unbounded && hi != i64::MIN).then_some(hi);
            range_check(v, lo, hi)
        }
        Check::Forbidden { values } => {
            let mut buf = [0; 20];
            let t = v.text_buf(&mut buf);
            values.iter().any(|f| same(f, &t)).then(|| {
                vec![
                    ("value", Param::Str(t.into_owned())),
                    ("forbidden", Param::List(values.clone())),
                ]
            })
        }
        Check::ContainsAny { chars } => {
            let t = v.text();
            // Compared char by char: `str::contains(char)` sets up a substring searcher for
            // characters outside ASCII (3 KB of the browser package).
            let c = t.chars().find(|c| chars.chars().any(|x| x == *c))?;
            let mut p = with_room([("chars", Param::Str(chars.clone()))]);
            if !env.secret {
                p.push(("char", Param::Str(describe_char(c))));
            }
            Some(p)
        }
        Check::Digits { len } => {
            let t = v.text();
            let ok = t.len() == *len && t.bytes().all(|b| b.is_ascii_digit());
            (!ok).then(|| {
                vec![
                    ("len", Param::Int(*len as i64)),
                    ("actual", Param::Int(t.chars().count() as i64)),
                ]
            })
        }
        Check::List {
            separator,
            min,
            max,
        } => list_check(&v.text(), *separator, *min, *max),
        Check::BackupWindow { minutes } => {
            // The message quotes the window (`{value}`): without it the message would be empty.
            let t = v.text();
            backup_window(&t, minutes).map(|mut p| {
                p.insert(0, ("value", Param::Str(t.into_owned())));
                p
            })
        }
        Check::DistinctFrom { other, slot } => {
            let o = env.slots.get(*slot, other)?;
            let ot = o.scalar_text()?;
            (ot == v.text()).then(|| vec![("other", Param::Str(other.text.clone()))])
        }
        // A text that starts with a visible ASCII char is not blank, without a trim.
        Check::NotBlank => {
            let mut buf = [0; 20];
            let t = v.text_buf(&mut buf);
            if t.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
                return None;
            }
            t.trim().is_empty().then(|| vec![("min", Param::Int(1))])
        }
        Check::MinItems { min } => {
            let n = match env.node.kind() {
                super::doc::Kind::Array => env.node.items().len(),
                super::doc::Kind::Object => env.node.member_count(),
                _ => return None,
            };
            (n < *min).then(|| {
                vec![
                    ("min", Param::Int(*min as i64)),
                    ("actual", Param::Int(n as i64)),
                ]
            })
        }
        Check::Exclusive { groups } => {
            let given: Vec<String> = groups
                .iter()
                .filter_map(|g| {
                    g.iter()
                        .find(|m| env.node.get(m).is_some_and(|x| !x.is_null()))
                        .cloned()
                })
                .collect();
            (given.len() > 1).then(|| vec![("members", Param::List(given))])
        }
        Check::AnyOf { alternatives } => {
            let passes = alternatives
                .iter()
                .any(|alt| alt.iter().all(|c| apply(c, v, env).is_none()));
            (!passes).then(Vec::new)
        }
        Check::InContext { key } => {
            let offered: Vec<&str> = env
                .context
                .get(key)?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let t = v.text();
            let unknown: Vec<String> = split(&t, ',')
                .filter(|item| !item.is_empty() && !offered.contains(item))
                .map(str::to_string)
                .collect();
            (!unknown.is_empty()).then(|| {
                vec![
                    ("unknown", Param::List(unknown)),
                    (
                        "offered",
                        Param::List(offered.iter().map(|s| s.to_string()).collect()),
                    ),
                ]
            })
        }
        Check::ContextMax { key, by } => {
            let limit = match (env.context.get(key)?, by) {
                (Value::Number(n), _) => n.as_i64()?,
                (Value::Object(map), Some(by)) => {
                    let sel = env.parent?.get(by)?.scalar_text()?;
                    map.get(sel.as_ref())?.as_i64()?
                }
                _ => return None,
            };
            range_check(v, None, Some(limit))
        }
        Check::ContextRange { key } => {
            let w = env.context.get(key)?;
            range_check(
                v,
                w.get("min").and_then(Value::as_i64),
                w.get("max").and_then(Value::as_i64),
            )
        }
        Check::SpecEngine {
            field,
            slot,
            engines,
            names,
            shared,
            ..
        } => {
            let engine = env.slots.get(*slot, field)?.as_str()?;
            let at = engines.iter().position(|e| same(e, engine))?;
            let t = v.text();
            let named = split(&t, '.')
                .find_map(|seg| names.iter().find(|(n, _)| same(n, seg)))
                .map(|(_, i)| *i)?;
            (named != at && !shared.contains(&(at, named))).then(|| {
                vec![
                    ("spec_engine", Param::Str(engines[named].clone())),
                    ("engine", Param::Str(engine.to_string())),
                ]
            })
        }
        #[cfg(feature = "pattern")]
        Check::Pattern { source, regex } => {
            (!regex.is_match(&v.text())).then(|| vec![("pattern", Param::Str(source.clone()))])
        }
    }
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".into(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => c.to_string(),
    }
}

fn enum_check<'v>(
    allowed: impl Iterator<Item = Option<&'v str>>,
    v: &Val<'_>,
    secret: bool,
) -> Option<Params> {
    let t = v.text();
    let allowed: Vec<Option<&str>> = allowed.collect();
    if allowed.iter().any(|a| *a == Some(t.as_ref())) {
        return None;
    }
    let suggestion = allowed
        .iter()
        .flatten()
        .find(|a| a.eq_ignore_ascii_case(&t))
        .map(|s| s.to_string());
    let mut p = with_room([(
        "allowed",
        Param::List(
            allowed
                .iter()
                .map(|a| a.unwrap_or("null").to_string())
                .collect(),
        ),
    )]);
    if !secret {
        p.push(("value", Param::Str(t.into_owned())));
    }
    if let Some(s) = suggestion {
        p.push(("suggestion", Param::Str(s)));
    }
    Some(p)
}

fn range_check(v: &Val<'_>, min: Option<i64>, max: Option<i64>) -> Option<Params> {
    let n = match v {
        Val::Int(i) => *i,
        Val::Str(s) => s.parse::<i64>().ok()?,
        _ => return None,
    };
    let bad = min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m);
    bad.then(|| {
        let mut p = with_room([("actual", Param::Int(n))]);
        if let Some(m) = min {
            p.push(("min", Param::Int(m)));
        }
        if let Some(m) = max {
            p.push(("max", Param::Int(m)));
        }
        p
    })
}

/// The browser package's list check: the items from [`split`].
#[cfg(feature = "compact")]
fn list_check(t: &str, sep: char, min: usize, max: Option<usize>) -> Option<Params> {
    // One pass, the items kept on the stack (a heap list only past 8 items): a valid list costs
    // no allocation. Problems are reported in order: blank item, space, count, duplicate.
    let mut items = ListItems::default();
    for item in split(t, sep) {
        if item.is_empty() {
            return Some(vec![("problem", Param::Term("blank_item"))]);
        }
        items.add(item, true);
    }
    items.verdict(min, max)
}

/// A list check's items as they are read: the first 8 on the stack (a heap list only past 8), the
/// first item with whitespace and the first one given twice.
#[derive(Default)]
struct ListItems<'t> {
    first: [&'t str; 8],
    more: Vec<&'t str>,
    count: usize,
    spaced: Option<&'t str>,
    dup: Option<&'t str>,
}

impl<'t> ListItems<'t> {
    /// One more (non-blank) item; `maybe_spaced`: it may hold whitespace (else it is not
    /// searched for any).
    #[inline(always)]
    fn add(&mut self, item: &'t str, maybe_spaced: bool) {
        if maybe_spaced && self.spaced.is_none() && has_whitespace(item) {
            self.spaced = Some(item);
        }
        if self.dup.is_none()
            && (self.first[..self.count.min(8)]
                .iter()
                .any(|e| same(e, item))
                || self.more.iter().any(|e| same(e, item)))
        {
            self.dup = Some(item);
        }
        match self.first.get_mut(self.count) {
            Some(slot) => *slot = item,
            None => self.more.push(item),
        }
        self.count += 1;
    }

    /// What the check reports once every item is read: a spaced item, the count, a duplicate.
    fn verdict(&self, min: usize, max: Option<usize>) -> Option<Params> {
        list_verdict(self.spaced, self.count, min, max, self.dup)
    }
}

/// What a list check reports once its items are read (no blank item): a spaced item, then the
/// count, then a duplicate.
fn list_verdict(
    spaced: Option<&str>,
    count: usize,
    min: usize,
    max: Option<usize>,
    dup: Option<&str>,
) -> Option<Params> {
    if let Some(i) = spaced {
        return Some(vec![
            ("problem", Param::Term("space_in_item")),
            ("item", Param::Str(i.to_string())),
        ]);
    }
    if count < min || max.is_some_and(|m| count > m) {
        let mut p = with_room([
            ("problem", Param::Term("count")),
            ("actual", Param::Int(count as i64)),
            ("min", Param::Int(min as i64)),
        ]);
        if let Some(m) = max {
            p.push(("max", Param::Int(m as i64)));
        }
        return Some(p);
    }
    dup.map(|a| {
        vec![
            ("problem", Param::Term("duplicate_item")),
            ("item", Param::Str(a.to_string())),
        ]
    })
}

/// The list check natively: one forward scan finds the separators, eight bytes at a time, and
/// notes per item whether it has a byte outside printable ASCII (every whitespace char does), so
/// only such items are searched for whitespace. The items are kept on the stack (a heap list only
/// past 8 items): a valid list costs no allocation. Problems are reported in order: blank item,
/// space, count, duplicate.
#[cfg(not(feature = "compact"))]
fn list_check(t: &str, sep: char, min: usize, max: Option<usize>) -> Option<Params> {
    let mut buf = [0u8; 4];
    let sep = sep.encode_utf8(&mut buf).as_bytes();
    let (first, len) = (sep[0], sep.len());
    let firsts = LOW_BYTES * u64::from(first);
    // What the bytes past the end read as: printable ASCII, not the separator.
    let pad = LOW_BYTES * u64::from(if first == b'a' { b'b' } else { b'a' });
    let b = t.as_bytes();
    let n = b.len();
    let mut items = ListItems::default();
    let (mut start, mut i) = (0usize, 0usize);
    loop {
        // To the next separator (a char's first byte never occurs inside another char, so a
        // hit is a char boundary) or the end.
        let mut odd = false;
        let end = loop {
            if i >= n {
                break None;
            }
            let (w, got) = word_at(b, i, pad);
            // Per byte, a high bit: equal to the separator's first byte; outside 0x21..=0x7f.
            // Only the lowest mark of each is certain (a borrow can mark the bytes above it),
            // which is all that is read.
            let x = w ^ firsts;
            let hits = x.wrapping_sub(LOW_BYTES) & !x & HIGH_BYTES;
            let outside = (w.wrapping_sub(LOW_BYTES * 0x21) | w) & HIGH_BYTES;
            if hits == 0 {
                odd |= outside != 0;
                i += got;
                continue;
            }
            let k = (hits.trailing_zeros() / 8) as usize;
            odd |= outside & ((1u64 << (8 * k)) - 1) != 0;
            let at = i + k;
            if len == 1 || b[at..].starts_with(sep) {
                break Some(at);
            }
            // The first byte of a longer separator, alone: not printable ASCII.
            odd = true;
            i = at + 1;
        };
        let item = &t[start..end.unwrap_or(b.len())];
        if item.is_empty() {
            return Some(vec![("problem", Param::Term("blank_item"))]);
        }
        items.add(item, odd);
        match end {
            Some(e) => {
                i = e + len;
                start = i;
            }
            None => break,
        }
    }
    items.verdict(min, max)
}

/// `0x01` in every byte of a word.
#[cfg(not(feature = "compact"))]
const LOW_BYTES: u64 = u64::MAX / 255;
/// `0x80` in every byte of a word.
#[cfg(not(feature = "compact"))]
const HIGH_BYTES: u64 = LOW_BYTES * 0x80;

/// The up to eight bytes of `b` from `i` (which is in `b`) as a little-endian word, the bytes
/// past the end taken from `pad`, and how many bytes there are.
#[cfg(not(feature = "compact"))]
#[inline(always)]
fn word_at(b: &[u8], i: usize, pad: u64) -> (u64, usize) {
    if let Some(c) = b[i..].first_chunk::<8>() {
        return (u64::from_le_bytes(*c), 8);
    }
    word_tail(b, i, pad)
}

/// [`word_at`] for the last, short word.
#[cfg(not(feature = "compact"))]
fn word_tail(b: &[u8], i: usize, pad: u64) -> (u64, usize) {
    let n = b.len();
    let rem = n - i;
    let w = match n.checked_sub(8) {
        // The last eight bytes, those before `i` shifted out.
        Some(last) => u64::from_le_bytes(b[last..].try_into().unwrap_or([0; 8])) >> (64 - 8 * rem),
        None => b[i..]
            .iter()
            .rev()
            .fold(0u64, |w, &x| (w << 8) | u64::from(x)),
    };
    let valid = u64::MAX >> (64 - 8 * rem);
    (w & valid | pad & !valid, rem)
}

/// `t.split(sep)` by a byte scan: the standard splitter's searcher costs more than the short
/// lists it splits here (zones, spec code segments).
#[cfg(not(feature = "compact"))]
fn split(t: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut buf = [0u8; 4];
    let sep = sep.encode_utf8(&mut buf).as_bytes();
    let (first, len) = (sep[0], sep.len());
    let mut rest = Some(t);
    std::iter::from_fn(move || {
        let r = rest?;
        let b = r.as_bytes();
        // A char's first byte never occurs inside another char: a hit is a char boundary.
        let hit = b
            .iter()
            .enumerate()
            .find(|&(i, &x)| x == first && (len == 1 || b[i..].starts_with(&buf[..len])));
        match hit {
            Some((i, _)) => {
                rest = Some(&r[i + len..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// [`split`] in the browser package: the standard splitter, which it has anyway.
#[cfg(feature = "compact")]
fn split(t: &str, sep: char) -> impl Iterator<Item = &str> {
    t.split(sep)
}

/// [`has_whitespace`] in the browser package.
#[cfg(feature = "compact")]
fn has_whitespace(s: &str) -> bool {
    s.chars().any(char::is_whitespace)
}

/// `s.chars().any(char::is_whitespace)`, deciding ASCII text byte by byte.
#[cfg(not(feature = "compact"))]
fn has_whitespace(s: &str) -> bool {
    let mut ascii = true;
    for &b in s.as_bytes() {
        match b {
            b'\t'..=b'\r' | b' ' => return true,
            0x80.. => ascii = false,
            _ => {}
        }
    }
    !ascii && s.chars().any(char::is_whitespace)
}

/// `hh:mm-HH:MM` with `HH = (hh + 1) mod 24`, `mm = MM`, minutes from the allowed set.
fn backup_window(t: &str, minutes: &[u32]) -> Option<Params> {
    let fail = |problem: &'static str| Some(vec![("problem", Param::Term(problem))]);
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    if b.len() != 11 || b[2] != b':' || b[5] != b'-' || b[8] != b':' {
        return fail("window_format");
    }
    let (Some(h1), Some(m1), Some(h2), Some(m2)) = (two(0), two(3), two(6), two(9)) else {
        return fail("window_format");
    };
    if h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 {
        return fail("window_format");
    }
    if h2 != (h1 + 1) % 24 {
        return fail("window_hours");
    }
    if m1 != m2 {
        return fail("window_minutes_differ");
    }
    if !minutes.contains(&m1) {
        return Some(vec![
            ("problem", Param::Term("window_minutes")),
            (
                "allowed",
                Param::List(minutes.iter().map(|m| format!("{m:02}")).collect()),
            ),
        ]);
    }
    None
}

/// A table lookup such as `["engines", "$/datastore/type", "modes", "$/mode", "versions"]`,
/// compiled once. A `$pointer` step selects the entry named by that field's value; where the value
/// names no entry, the entry `*` is used if there is one, else every entry (the widest reading,
/// docs/reading-the-pages.md#engine-dependent).
///
/// Natively, [`Check::link`] resolves the lookup against the engine's tables into a `Branch`
/// tree: a run reads no table by name, and picks an entry by comparing the field's text with the
/// entry names. The browser package walks the tables on each use instead (less code).
#[derive(Debug, Clone)]
pub struct Lookup {
    table: String,
    steps: Vec<Step>,
    #[cfg(not(feature = "compact"))]
    tree: Branch,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    /// A field and its number in the per-run slot cache.
    Field(Path, usize),
}

/// What a lookup check reads from a table node it reaches.
pub trait TableNode {
    /// The node.
    fn node(&self) -> &Value;
    /// Whether the node allows `t`: an array lists it, an object has an entry for it or `*`.
    fn allows(&self, t: &str) -> bool;
    /// What a range lookup reads: a number is a minimum; an object gives `min` and `max`.
    fn bounds(&self) -> Option<(Option<i64>, Option<i64>)>;
}

/// A table node a lookup reaches, with the names it allows and its bounds read out once.
#[cfg(not(feature = "compact"))]
#[derive(Debug, Clone)]
pub struct Leaf {
    value: Value,
    /// The strings of an array, or the entry names of an object.
    names: Vec<String>,
    /// An object with the entry `*`: every name is allowed.
    wildcard: bool,
    bounds: Option<(Option<i64>, Option<i64>)>,
}

/// The browser package reads table nodes as they are.
#[cfg(feature = "compact")]
pub type Leaf = Value;

#[cfg(not(feature = "compact"))]
impl Leaf {
    fn new(value: &Value) -> Leaf {
        let names = match value {
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            Value::Object(o) => o.keys().cloned().collect(),
            _ => Vec::new(),
        };
        Leaf {
            bounds: bounds_of(value),
            wildcard: value.as_object().is_some_and(|o| o.contains_key("*")),
            value: value.clone(),
            names,
        }
    }
}

#[cfg(not(feature = "compact"))]
impl TableNode for Leaf {
    fn node(&self) -> &Value {
        &self.value
    }
    fn allows(&self, t: &str) -> bool {
        self.wildcard || self.names.iter().any(|n| same(n, t))
    }
    fn bounds(&self) -> Option<(Option<i64>, Option<i64>)> {
        self.bounds
    }
}

#[cfg(feature = "compact")]
impl TableNode for Value {
    fn node(&self) -> &Value {
        self
    }
    fn allows(&self, t: &str) -> bool {
        match self {
            Value::Array(a) => a.iter().any(|x| x.as_str() == Some(t)),
            Value::Object(o) => o.contains_key("*") || o.contains_key(t),
            _ => false,
        }
    }
    fn bounds(&self) -> Option<(Option<i64>, Option<i64>)> {
        bounds_of(self)
    }
}

fn bounds_of(value: &Value) -> Option<(Option<i64>, Option<i64>)> {
    let bound = |k: &str| value.get(k).and_then(Value::as_i64);
    match value {
        Value::Number(n) => Some((n.as_i64(), None)),
        Value::Object(_) => Some((bound("min"), bound("max"))),
        _ => None,
    }
}

/// A lookup resolved against the tables: where it leads for each value of the fields it reads.
#[cfg(not(feature = "compact"))]
#[derive(Debug, Clone)]
enum Branch {
    /// The lookup reaches nothing (a table or key that is not there).
    Nothing,
    /// The lookup reaches this table node.
    Leaf(Leaf),
    /// A `$pointer` step: the entry named by the field's value, else `*`, else every entry.
    Pick {
        slot: usize,
        path: Path,
        entries: Vec<(String, Branch)>,
        /// The index in `entries` of the entry `*`.
        star: Option<usize>,
    },
}

#[cfg(not(feature = "compact"))]
impl Branch {
    fn build(node: Option<&Value>, steps: &[Step]) -> Branch {
        let Some(node) = node else {
            return Branch::Nothing;
        };
        match steps.split_first() {
            None => Branch::Leaf(Leaf::new(node)),
            Some((Step::Key(k), rest)) => Branch::build(node.get(k), rest),
            Some((Step::Field(path, slot), rest)) => match node.as_object() {
                None => Branch::Nothing,
                Some(obj) => Branch::Pick {
                    slot: *slot,
                    path: path.clone(),
                    star: obj.keys().position(|k| k == "*"),
                    entries: obj
                        .iter()
                        .map(|(k, v)| (k.clone(), Branch::build(Some(v), rest)))
                        .collect(),
                },
            },
        }
    }

    fn walk<'t, D: Doc>(&'t self, slots: &Slots<'_, D>, f: &mut dyn FnMut(&'t Leaf)) {
        // Down the entries the fields pick, in a loop: a call per level only where a field picks
        // no entry and every entry is walked.
        let mut branch = self;
        loop {
            match branch {
                Branch::Nothing => return,
                Branch::Leaf(v) => return f(v),
                Branch::Pick {
                    slot,
                    path,
                    entries,
                    star,
                } => {
                    let sel = slots.get(*slot, path).and_then(|n| n.scalar_text());
                    let hit = sel
                        .as_deref()
                        .and_then(|s| entries.iter().find(|(k, _)| same(k, s)))
                        .or_else(|| star.map(|i| &entries[i]));
                    match hit {
                        Some((_, b)) => branch = b,
                        None => return entries.iter().for_each(|(_, b)| b.walk(slots, f)),
                    }
                }
            }
        }
    }
}

/// The browser package's lookup: the tables walked on each use.
#[cfg(feature = "compact")]
fn walk_lookup<'t, D: Doc>(
    node: &'t Value,
    steps: &[Step],
    slots: &Slots<'_, D>,
    f: &mut dyn FnMut(&'t Leaf),
) {
    let Some((step, rest)) = steps.split_first() else {
        f(node);
        return;
    };
    match step {
        Step::Key(k) => {
            if let Some(next) = node.get(k) {
                walk_lookup(next, rest, slots, f);
            }
        }
        Step::Field(path, slot) => {
            let Some(obj) = node.as_object() else { return };
            let sel = slots.get(*slot, path).and_then(|n| n.scalar_text());
            match sel
                .as_deref()
                .and_then(|s| obj.get(s))
                .or_else(|| obj.get("*"))
            {
                Some(hit) => walk_lookup(hit, rest, slots, f),
                None => obj.values().for_each(|v| walk_lookup(v, rest, slots, f)),
            }
        }
    }
}

impl Lookup {
    pub fn compile(lookup: &[String]) -> Result<Lookup, String> {
        let (table, rest) = lookup.split_first().ok_or("`lookup` is empty")?;
        let steps = rest
            .iter()
            .map(|s| match s.strip_prefix('$') {
                Some(ptr) => Path::parse(ptr)
                    .map(|p| Step::Field(p, usize::MAX))
                    .ok_or_else(|| format!("`{s}` is not a JSON Pointer")),
                None => Ok(Step::Key(s.clone())),
            })
            .collect::<Result<_, _>>()?;
        Ok(Lookup {
            table: table.clone(),
            steps,
            #[cfg(not(feature = "compact"))]
            tree: Branch::Nothing,
        })
    }

    /// Number the fields this lookup reads and (natively) resolve it against the engine's tables.
    fn link(&mut self, slots: &mut SlotTable, tables: &serde_json::Map<String, Value>) {
        for step in &mut self.steps {
            if let Step::Field(path, slot) = step {
                *slot = slots.slot(path);
            }
        }
        #[cfg(not(feature = "compact"))]
        {
            self.tree = Branch::build(tables.get(&self.table), &self.steps);
        }
        #[cfg(feature = "compact")]
        let _ = tables;
    }

    /// The `$pointer` fields this lookup reads.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            Step::Field(p, _) => Some(p.text.as_str()),
            Step::Key(_) => None,
        })
    }

    /// Visit every table node the lookup reaches in `root`, without allocating. `tables` are the
    /// engine's (those the lookup was linked with).
    pub fn for_each<'t, D: Doc>(
        &'t self,
        tables: &'t serde_json::Map<String, Value>,
        root: &D,
        f: &mut dyn FnMut(&'t Leaf),
    ) {
        self.for_each_in(tables, &Slots::new(root, 0), f);
    }

    /// [`Lookup::for_each`] reading the `$pointer` fields through a run's slot cache.
    pub fn for_each_in<'t, D: Doc>(
        &'t self,
        tables: &'t serde_json::Map<String, Value>,
        slots: &Slots<'_, D>,
        f: &mut dyn FnMut(&'t Leaf),
    ) {
        #[cfg(not(feature = "compact"))]
        {
            let _ = tables;
            self.tree.walk(slots, f);
        }
        #[cfg(feature = "compact")]
        if let Some(start) = tables.get(&self.table) {
            walk_lookup(start, &self.steps, slots, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_window_wraps_midnight() {
        assert!(backup_window("23:00-00:00", &[0, 15, 30, 45]).is_none());
        assert!(backup_window("08:15-09:15", &[0, 15, 30, 45]).is_none());
        assert!(backup_window("08:15-10:15", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("08:15-09:30", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("08:10-09:10", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("8:00-9:00", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("24:00-01:00", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("０8:00-09:00", &[0]).is_some());
    }

    #[test]
    fn split_and_whitespace_agree_with_the_standard_library() {
        let texts = [
            "",
            ",",
            ",,",
            "a",
            "a,b",
            "a,,b,",
            ",a",
            "az1, az2",
            "a\u{3000}b",
            "é,è",
            "a·b·c",
            "a\u{b}b",
            "x\u{85}y",
            "tab\tz",
            "日本,語",
            "a··b",
        ];
        let mut spaces = 0;
        for t in texts {
            for sep in [',', '.', '·', '日', ' '] {
                let ours: Vec<&str> = split(t, sep).collect();
                let std: Vec<&str> = t.split(sep).collect();
                assert_eq!(ours, std, "{t:?} split by {sep:?}");
            }
            let ws = t.chars().any(char::is_whitespace);
            assert_eq!(has_whitespace(t), ws, "{t:?}");
            spaces += usize::from(ws);
        }
        assert!(spaces >= 4, "the cases must include whitespace: {spaces}");
    }

    /// The list check as the reading page states it, with the standard library: the oracle for
    /// [`list_check`].
    fn list_reference(t: &str, sep: char, min: usize, max: Option<usize>) -> Option<Params> {
        let items: Vec<&str> = t.split(sep).collect();
        if items.iter().any(|i| i.is_empty()) {
            return Some(vec![("problem", Param::Term("blank_item"))]);
        }
        if let Some(i) = items.iter().find(|i| i.chars().any(char::is_whitespace)) {
            return Some(vec![
                ("problem", Param::Term("space_in_item")),
                ("item", Param::Str(i.to_string())),
            ]);
        }
        let n = items.len();
        if n < min || max.is_some_and(|m| n > m) {
            let mut p = vec![
                ("problem", Param::Term("count")),
                ("actual", Param::Int(n as i64)),
                ("min", Param::Int(min as i64)),
            ];
            if let Some(m) = max {
                p.push(("max", Param::Int(m as i64)));
            }
            return Some(p);
        }
        let dup = (0..n).find(|&k| items[..k].contains(&items[k]))?;
        Some(vec![
            ("problem", Param::Term("duplicate_item")),
            ("item", Param::Str(items[dup].to_string())),
        ])
    }

    /// A small deterministic generator (no dependency, the same cases on every run).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// Pieces lists are made of: names, separators of every width, ASCII and Unicode whitespace,
    /// controls that are not whitespace, and bytes around the printable-ASCII edges.
    const LIST_PIECES: [&str; 22] = [
        "a",
        "b",
        "az1",
        "cn-north-4a",
        "é",
        "日",
        "本",
        ",",
        "\0",
        "·",
        "a-longer-item-name",
        "\u{3000}",
        " ",
        "\t",
        "\u{b}",
        "\r",
        "\u{85}",
        "\u{a0}",
        "\u{1}",
        "\u{7f}",
        "!",
        "~",
    ];
    const LIST_SEPS: [char; 9] = [',', '·', ' ', '日', '\u{3000}', '\t', '.', '~', '\0'];

    fn compare_lists(t: &str, seen: &mut std::collections::BTreeMap<String, usize>) {
        for sep in LIST_SEPS {
            for (min, max) in [(1, None), (1, Some(3)), (2, Some(8)), (0, Some(12))] {
                let ours = list_check(t, sep, min, max);
                let reference = list_reference(t, sep, min, max);
                assert_eq!(ours, reference, "{t:?} by {sep:?}, {min}..{max:?}");
                let kind = match &reference {
                    None => "pass".to_string(),
                    Some(p) => format!("{:?}", p[0].1),
                };
                *seen.entry(kind).or_default() += 1;
            }
        }
    }

    #[test]
    fn list_check_agrees_with_the_reference() {
        let mut seen = std::collections::BTreeMap::new();
        // Every list of up to three pieces.
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let last: Vec<String> = texts.clone();
            for t in &last {
                for p in LIST_PIECES {
                    texts.push(format!("{t}{p}"));
                }
            }
        }
        texts.sort();
        texts.dedup();
        for t in &texts {
            compare_lists(t, &mut seen);
        }
        // Longer lists, past the 8 items kept on the stack, with repeats among them.
        let mut rng = Lcg(7);
        let names = [
            "a",
            "b",
            "c",
            "az1",
            "az2",
            "é1",
            "日本",
            "x y",
            "q\u{3000}",
            "z",
        ];
        for _ in 0..4000 {
            let sep = [",", "·", "日", " "][rng.below(4)];
            let n = 1 + rng.below(14);
            let mut items: Vec<String> = (0..n)
                .map(|k| match rng.below(10) {
                    0 => names[rng.below(names.len())].to_string(),
                    1 if k > 0 => String::new(),
                    _ => format!("i{k}"),
                })
                .collect();
            if rng.below(3) == 0 {
                let (a, b) = (rng.below(n), rng.below(n));
                items[a] = items[b].clone();
            }
            compare_lists(&items.join(sep), &mut seen);
        }
        // Longer texts of any pieces: every byte kind at every offset in a word.
        for _ in 0..3000 {
            let n = rng.below(40);
            let t: String = (0..n)
                .map(|_| LIST_PIECES[rng.below(LIST_PIECES.len())])
                .collect();
            compare_lists(&t, &mut seen);
        }
        for kind in [
            "pass",
            "Term(\"blank_item\")",
            "Term(\"space_in_item\")",
            "Term(\"count\")",
            "Term(\"duplicate_item\")",
        ] {
            assert!(
                seen.get(kind).copied().unwrap_or(0) > 200,
                "{kind}: {seen:?}"
            );
        }
    }

    /// The classes of a `classes` check with a member in `text`, class by class and byte by
    /// byte: the oracle for the per-byte table.
    #[cfg(not(feature = "compact"))]
    fn classes_reference(classes: &[(String, CharSet)], text: &str) -> u64 {
        let mut seen = 0u64;
        for (i, (_, set)) in classes.iter().enumerate().take(64) {
            if text.chars().any(|c| set.contains(c)) {
                seen |= 1 << i;
            }
        }
        seen
    }

    #[cfg(not(feature = "compact"))]
    #[test]
    fn class_table_agrees_with_the_sets() {
        let lists: Vec<Vec<String>> = vec![
            vec![
                "upper".into(),
                "lower".into(),
                "digits".into(),
                "~!@#%^*-_=+?".into(),
            ],
            vec!["letters".into(), "upper".into(), "digits".into()],
            vec!["$%&()".into(), "digits".into()],
            // Past the 64 classes that are counted.
            (0..70u8)
                .map(|i| char::from(b'!' + i).to_string())
                .collect(),
        ];
        let mut rng = Lcg(11);
        let pieces = [
            "G", "e", "9", "#", "=", "$", "é", "日", "\u{7f}", "\0", " ", "a1B2", "\u{80}",
        ];
        let mut texts: Vec<String> = (0..=127u8).map(|b| char::from(b).to_string()).collect();
        texts.push(String::new());
        for _ in 0..3000 {
            let n = rng.below(20);
            texts.push((0..n).map(|_| pieces[rng.below(pieces.len())]).collect());
        }
        let mut hits = 0;
        for names in lists {
            let def = CheckDef {
                kind: "classes".into(),
                classes: Some(names),
                ..CheckDef::default()
            };
            let Ok(Check::Classes { classes, table, .. }) = Check::compile(&def) else {
                panic!("not a classes check");
            };
            for t in &texts {
                let seen = table.classes_in(t.as_bytes());
                assert_eq!(seen, classes_reference(&classes, t), "{t:?}");
                hits += seen.count_ones();
            }
        }
        assert!(hits > 10_000, "{hits}");
    }

    /// Where a lookup leads, read from the tables on each use (as the browser package does): the
    /// oracle for the lookup tree. Names a field's value does not pick lead to `*`, else to every
    /// entry.
    fn lookup_reference(node: &Value, steps: &[&str], root: &Value, out: &mut Vec<Value>) {
        let Some((step, rest)) = steps.split_first() else {
            out.push(node.clone());
            return;
        };
        match step.strip_prefix('$') {
            None => {
                if let Some(next) = node.get(step) {
                    lookup_reference(next, rest, root, out);
                }
            }
            Some(ptr) => {
                let Some(obj) = node.as_object() else { return };
                let sel = Path::parse(ptr)
                    .and_then(|p| p.get(root))
                    .and_then(|n| n.scalar_text());
                match sel
                    .as_deref()
                    .and_then(|s| obj.get(s))
                    .or_else(|| obj.get("*"))
                {
                    Some(hit) => lookup_reference(hit, rest, root, out),
                    None => obj
                        .values()
                        .for_each(|v| lookup_reference(v, rest, root, out)),
                }
            }
        }
    }

    #[test]
    fn lookups_reach_what_the_tables_say() {
        let tables = serde_json::json!({
            "engines": {
                "cassandra": {
                    "modes": {
                        "Cluster": {"versions": ["3.11"], "num": {"min": 3, "max": 12}},
                        "*": {"versions": ["x"], "num": 2}
                    },
                    "size": 100
                },
                "mongodb": {
                    "modes": {"ReplicaSet": {"versions": ["4.0", "4.2"]}, "Single": {"num": 1}},
                    "size": {"min": 5, "max": 9}
                },
                "5": {"modes": {"Cluster": {"versions": ["five"]}}, "size": 5},
                "*": {"modes": {"Cluster": {"versions": ["9"]}}}
            },
            "plain": {"a": {"x": 1}, "b": {"x": 2}, "true": {"x": 3}, "c": "flat"}
        });
        let Value::Object(tables) = tables else {
            unreachable!()
        };
        let lookups: [&[&str]; 8] = [
            &["engines", "$/datastore/type", "modes"],
            &["engines", "$/datastore/type", "modes", "$/mode", "versions"],
            &["engines", "$/datastore/type", "modes", "$/mode", "num"],
            &["engines", "$/datastore/type", "size"],
            &["plain", "$/k", "x"],
            &["plain", "$/k"],
            &["missing", "$/k"],
            &["plain", "nokey"],
        ];
        let types = [
            serde_json::json!("cassandra"),
            serde_json::json!("mongodb"),
            serde_json::json!("redis"),
            serde_json::json!(5),
            serde_json::json!(null),
            serde_json::json!({"o": 1}),
        ];
        let mut reached = 0;
        for steps in lookups {
            let strings: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
            let mut lookup = Lookup::compile(&strings).unwrap();
            lookup.link(&mut SlotTable::default(), &tables);
            for ty in types.iter().map(Some).chain([None]) {
                for mode in [
                    Some("Cluster"),
                    Some("Single"),
                    Some("ReplicaSet"),
                    Some("x"),
                    None,
                ] {
                    for k in [Some("a"), Some("c"), Some("zz"), None] {
                        let mut doc = serde_json::json!({"datastore": {}, "k": true});
                        if let Some(ty) = ty {
                            doc["datastore"]["type"] = ty.clone();
                        }
                        if let Some(mode) = mode {
                            doc["mode"] = mode.into();
                        }
                        if let Some(k) = k {
                            doc["k"] = k.into();
                        }
                        let mut want = Vec::new();
                        if let Some(start) = tables.get(steps[0]) {
                            lookup_reference(start, &steps[1..], &doc, &mut want);
                        }
                        let mut got = Vec::new();
                        lookup.for_each(&tables, &doc, &mut |leaf| got.push(leaf.node().clone()));
                        assert_eq!(got, want, "{steps:?} in {doc}");
                        // Through a run's slot cache, read twice.
                        let slots = Slots::new(&doc, 8);
                        for _ in 0..2 {
                            let mut got = Vec::new();
                            lookup.for_each_in(&tables, &slots, &mut |leaf| {
                                got.push(leaf.node().clone())
                            });
                            assert_eq!(got, want, "{steps:?} in {doc}");
                        }
                        reached += want.len();
                    }
                }
            }
        }
        assert!(reached > 300, "{reached}");
    }

    /// `check` applied to `v` in an empty document.
    fn apply_alone(check: &Check, v: &Val<'_>) -> Option<Params> {
        let (doc, map) = (Value::Null, serde_json::Map::new());
        let slots = Slots::new(&doc, 0);
        let env = Env {
            root: &doc,
            slots: &slots,
            node: &doc,
            parent: None,
            tables: &map,
            context: &map,
            secret: false,
        };
        apply(check, v, &env)
    }

    #[test]
    fn integers_and_blanks_read_as_their_text() {
        let mut ints = vec![
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let mut rng = Lcg(3);
        for _ in 0..2000 {
            let digits = rng.below(19) as u32;
            let n = (rng.0 >> 1) as i64 % 10i64.pow(digits).max(1);
            ints.push(if rng.below(2) == 0 { n } else { -n });
        }
        let values: Vec<Value> = [
            "8",
            "-3",
            "0",
            "1",
            "x",
            "9223372036854775807",
            "-9223372036854775808",
        ]
        .iter()
        .map(|s| Value::String(s.to_string()))
        .chain([Value::from(12), Value::from(-7)])
        .collect();
        let def = |kind: &str| CheckDef {
            kind: kind.into(),
            values: Some(values.clone()),
            ..CheckDef::default()
        };
        let (forbidden, allowed) = (
            Check::compile(&def("forbidden")).unwrap(),
            Check::compile(&def("enum")).unwrap(),
        );
        let mut hits = 0;
        for i in ints {
            let text = i.to_string();
            #[cfg(not(feature = "compact"))]
            {
                let v = Val::Int(i);
                assert_eq!(v.text_in(&mut [0; 20]), text);
            }
            let listed = values.iter().any(|x| match x {
                Value::String(s) => *s == text,
                x => x.as_i64() == Some(i),
            });
            hits += usize::from(listed);
            let got = apply_alone(&forbidden, &Val::Int(i));
            assert_eq!(got.is_some(), listed, "{i}");
            assert_eq!(got, apply_alone(&forbidden, &Val::Str(text.clone().into())));
            let got = apply_alone(&allowed, &Val::Int(i));
            assert_eq!(got.is_none(), listed, "{i}");
        }
        assert!(hits >= 6, "{hits}");
        for b in [true, false] {
            assert_eq!(apply_alone(&forbidden, &Val::Bool(b)), None);
        }
        let blank = Check::NotBlank;
        for t in [
            "",
            " ",
            "a",
            " a",
            "\t",
            "\u{3000}",
            "\u{3000}x",
            "\u{85}",
            "\u{a0}",
            "é",
            "\u{7f}",
            "\u{1}",
            "~",
            "!",
            " \n\r\u{b}\u{c}",
            "日",
            "\u{2028}\u{2029}",
            "\0",
        ] {
            let got = apply_alone(&blank, &Val::Str(t.into()));
            assert_eq!(got.is_some(), t.trim().is_empty(), "{t:?}");
        }
        assert_eq!(apply_alone(&blank, &Val::Int(0)), None);
        assert!(apply_alone(&blank, &Val::Composite).is_some());
    }

    #[test]
    fn lists_reject_blanks_spaces_duplicates_and_counts() {
        assert!(list_check("az1,az2,az3", ',', 1, Some(3)).is_none());
        assert!(list_check("az1,,az3", ',', 1, Some(3)).is_some());
        assert!(list_check("az1, az2", ',', 1, Some(3)).is_some());
        assert!(list_check("az1,az1", ',', 1, Some(3)).is_some());
        assert!(list_check("a,b,c,d", ',', 1, Some(3)).is_some());
        assert!(list_check("", ',', 1, Some(3)).is_some());
    }
}
