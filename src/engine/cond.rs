//! `when` conditions: compiled once, evaluated against the document and the caller's context.

use super::pack::CondDef;
use super::path::{Path, Slots};
use crate::doc::Doc;
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// `slot`: the path's number in the engine's per-run cache ([`Slots`]).
    Field {
        path: Path,
        test: Test,
        slot: usize,
        /// The test's number in the per-run cache of field test results.
        memo: usize,
    },
    Context {
        key: String,
        test: Test,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Eq(Value),
    In(Vec<Value>),
    InTable(String),
    Present(bool),
    Contains(String),
    Gt(f64),
}

impl Cond {
    pub fn compile(def: &CondDef) -> Result<Cond, String> {
        if let Some(all) = &def.all {
            return Ok(Cond::All(
                all.iter().map(Cond::compile).collect::<Result<_, _>>()?,
            ));
        }
        if let Some(any) = &def.any {
            return Ok(Cond::Any(
                any.iter().map(Cond::compile).collect::<Result<_, _>>()?,
            ));
        }
        if let Some(not) = &def.not {
            return Ok(Cond::Not(Box::new(Cond::compile(not)?)));
        }
        let test = if let Some(v) = &def.eq {
            Test::Eq(v.clone())
        } else if let Some(v) = &def.in_ {
            Test::In(v.clone())
        } else if let Some(t) = &def.in_table {
            Test::InTable(t.clone())
        } else if let Some(p) = def.present {
            Test::Present(p)
        } else if let Some(c) = &def.contains {
            Test::Contains(c.clone())
        } else if let Some(g) = def.gt {
            Test::Gt(g)
        } else {
            return Err("condition has no test (eq, in, in_table, present, contains, gt)".into());
        };
        match (&def.field, &def.context) {
            (Some(f), None) => Ok(Cond::Field {
                path: Path::parse(f).ok_or_else(|| format!("`{f}` is not a JSON Pointer"))?,
                test,
                slot: usize::MAX,
                memo: usize::MAX,
            }),
            (None, Some(k)) => Ok(Cond::Context {
                key: k.clone(),
                test,
            }),
            _ => Err("condition needs exactly one of `field` or `context`".into()),
        }
    }

    /// Give every field this condition reads its slot number.
    pub fn assign_slots(&mut self, table: &mut SlotTable) {
        match self {
            Cond::All(cs) | Cond::Any(cs) => cs.iter_mut().for_each(|c| c.assign_slots(table)),
            Cond::Not(c) => c.assign_slots(table),
            Cond::Field {
                path,
                slot,
                memo,
                test,
            } => {
                *slot = table.slot(path);
                *memo = table.test(&path.text, test);
            }
            Cond::Context { .. } => {}
        }
    }

    /// Whether this condition reads the value of a field that is unknown (a template fills it
    /// in): the rule is then silent whatever the rest says. A presence test does not read the
    /// value (an unknown member is given).
    pub fn reads_unknown<D: Doc>(&self, slots: &Slots<'_, D>) -> bool {
        match self {
            Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| c.reads_unknown(slots)),
            Cond::Not(c) => c.reads_unknown(slots),
            Cond::Field {
                path, test, slot, ..
            } => {
                !matches!(test, Test::Present(_))
                    && slots.get(*slot, path).is_some_and(|n| n.is_unknown())
            }
            Cond::Context { .. } => false,
        }
    }

    /// Whether the condition holds, reading fields through a run's slot cache.
    pub fn eval_in<D: Doc>(
        &self,
        slots: &Slots<'_, D>,
        tables: &serde_json::Map<String, Value>,
        context: &serde_json::Map<String, Value>,
    ) -> bool {
        match self {
            Cond::All(cs) => cs.iter().all(|c| c.eval_in(slots, tables, context)),
            Cond::Any(cs) => cs.iter().any(|c| c.eval_in(slots, tables, context)),
            Cond::Not(c) => !c.eval_in(slots, tables, context),
            Cond::Field {
                path,
                test,
                slot,
                memo,
            } => slots.test(*memo, || {
                let node = slots.get(*slot, path).filter(|n| !n.is_null());
                match test {
                    Test::Present(p) => node.is_some() == *p,
                    _ => node.is_some_and(|n| test_doc(n, test, tables)),
                }
            }),
            Cond::Context { key, test } => {
                let v = context.get(key).filter(|v| !v.is_null());
                match test {
                    Test::Present(p) => v.is_some() == *p,
                    _ => v.is_some_and(|v| test_doc(v, test, tables)),
                }
            }
        }
    }
}

/// Compare a node with a test value: scalars by their text, so `"3"` and `3` compare alike
/// (the coercion policy applies to conditions too).
fn test_doc<D: Doc>(node: &D, test: &Test, tables: &serde_json::Map<String, Value>) -> bool {
    let text = node.scalar_text();
    let same = |v: &Value| match (v, &text) {
        (Value::String(s), Some(t)) => super::same(s, t),
        (Value::Number(n), Some(t)) => n.to_string() == *t,
        (Value::Bool(b), Some(t)) => (if *b { "true" } else { "false" }) == t,
        _ => false,
    };
    match test {
        Test::Eq(v) => same(v),
        Test::In(vs) => vs.iter().any(same),
        Test::InTable(name) => match (tables.get(name).and_then(Value::as_object), &text) {
            (Some(t), Some(k)) => k != "*" && t.contains_key(k.as_ref()),
            _ => false,
        },
        Test::Present(_) => true,
        Test::Contains(c) => text.is_some_and(|t| super::contains_str(&t, c)),
        Test::Gt(g) => node.as_num().is_some_and(|n| n.as_f64() > *g),
    }
}

/// Hands out, while an engine compiles, one slot number per distinct path that conditions and
/// lookups read and one per distinct field test of a condition (the numbers the run's
/// [`Slots`] caches by).
#[derive(Debug, Default)]
pub struct SlotTable {
    paths: Vec<Path>,
    tests: Vec<(String, Test)>,
}

impl SlotTable {
    /// One number per distinct condition field test (a path and a test on it).
    pub fn test(&mut self, path: &str, test: &Test) -> usize {
        match self.tests.iter().position(|(p, t)| p == path && t == test) {
            Some(i) => i,
            None => {
                self.tests.push((path.to_string(), test.clone()));
                self.tests.len() - 1
            }
        }
    }

    pub fn test_count(&self) -> usize {
        self.tests.len()
    }

    pub fn slot(&mut self, path: &Path) -> usize {
        match self.paths.iter().position(|p| p.text == path.text) {
            Some(i) => i,
            None => {
                self.paths.push(path.clone());
                self.paths.len() - 1
            }
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// The paths, by slot number.
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }
}
