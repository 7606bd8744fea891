//! Table lookups: a rule's `lookup` (`["engines", "$/datastore/type", "modes", ...]`) compiled
//! once and resolved against the engine's tables into a tree ([`Lookup`]), and the table nodes it
//! reaches ([`Leaf`]): the allowed names and the bounds that `lookup_enum` and `lookup_range`
//! read, and that form metadata lists.

use super::options::CheckError;
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use crate::engine::path::{Path, Slots};
use crate::engine::same;
use serde_json::Value;

/// A table lookup such as `["engines", "$/datastore/type", "modes", "$/mode", "versions"]`,
/// compiled once. A `$pointer` step selects the entry named by that field's value; where the value
/// names no entry, the entry `*` is used if there is one, else every entry (the widest reading,
/// docs/reading-the-pages.md#engine-dependent).
///
/// Linking ([`Lookup::link`]) resolves the lookup against the engine's tables into a `Branch`
/// tree: a run reads no table by name, and picks an entry by comparing the field's text with the
/// entry names.
#[derive(Debug, Clone)]
pub struct Lookup {
    table: String,
    steps: Vec<Step>,
    tree: Branch,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    /// A field and its number in the per-run slot cache.
    Field(Path, usize),
}

/// A table node a lookup reaches, with the names it allows and its bounds read out once.
#[derive(Debug, Clone)]
pub struct Leaf {
    value: Value,
    /// The strings of an array, or the entry names of an object.
    names: Vec<String>,
    /// An object with the entry `*`: every name is allowed.
    wildcard: bool,
    bounds: Option<(Option<i64>, Option<i64>)>,
}

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

impl Leaf {
    /// The node.
    pub fn node(&self) -> &Value {
        &self.value
    }
    /// Whether the node allows `t`: an array lists it, an object has an entry for it or `*`.
    pub fn allows(&self, t: &str) -> bool {
        self.wildcard || self.names.iter().any(|n| same(n, t))
    }
    /// What a range lookup reads: a number is a minimum; an object gives `min` and `max`.
    pub fn bounds(&self) -> Option<(Option<i64>, Option<i64>)> {
        self.bounds
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

impl Lookup {
    /// A lookup as written (the table, then keys and `$pointer` steps); errors name `lookup`.
    pub fn compile(lookup: &[String]) -> Result<Lookup, CheckError> {
        let (table, rest) = lookup
            .split_first()
            .ok_or_else(|| CheckError::invalid("lookup", "`lookup` is empty"))?;
        let steps = rest
            .iter()
            .map(|s| match s.strip_prefix('$') {
                Some(ptr) => Path::parse(ptr)
                    .map(|p| Step::Field(p, usize::MAX))
                    .ok_or_else(|| {
                        CheckError::invalid("lookup", format!("`{s}` is not a JSON Pointer"))
                    }),
                None => Ok(Step::Key(s.clone())),
            })
            .collect::<Result<_, _>>()?;
        Ok(Lookup {
            table: table.clone(),
            steps,
            tree: Branch::Nothing,
        })
    }

    /// Number the fields this lookup reads and resolve it against the engine's tables.
    pub fn link(&mut self, slots: &mut SlotTable, tables: &serde_json::Map<String, Value>) {
        for step in &mut self.steps {
            if let Step::Field(path, slot) = step {
                *slot = slots.slot(path);
            }
        }
        self.tree = Branch::build(tables.get(&self.table), &self.steps);
    }

    /// The `$pointer` fields this lookup reads.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            Step::Field(p, _) => Some(p.text.as_str()),
            Step::Key(_) => None,
        })
    }

    /// Visit every table node the lookup reaches in `root`, without allocating. `tables` are the
    /// engine's (those the lookup was linked with; the lookup reads its own resolved tree).
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
        let _ = tables;
        self.tree.walk(slots, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
