//! `lookup_enum`: the value is one the table node reached by `lookup` allows (an array lists it,
//! an object has an entry for it or `*`). Where the lookup reaches nothing, it passes.

use super::lookup::Lookup;
use super::verdicts::{enum_check, ENUM_PARAMS};
use super::{CheckError, Env, Hints, Kind, Options, Params, Val};
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct LookupEnum {
    pub lookup: Lookup,
}

impl Kind for LookupEnum {
    const READS: &'static [&'static str] = &["lookup"];
    const PRODUCES: &'static [&'static str] = ENUM_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(LookupEnum {
            lookup: Lookup::compile(&o.need("lookup", o.strings("lookup")?)?)?,
        })
    }

    fn link(&mut self, slots: &mut SlotTable, tables: &Map<String, Value>) {
        self.lookup.link(slots, tables);
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let t = v.text();
        let mut any = false;
        let mut ok = false;
        self.lookup.for_each_in(env.tables, env.slots, &mut |leaf| {
            any = true;
            ok = ok || leaf.allows(&t);
        });
        if !any || ok {
            return None;
        }
        let mut allowed: Vec<Option<&str>> = Vec::new();
        self.lookup
            .for_each_in(env.tables, env.slots, &mut |leaf| match leaf.node() {
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

    /// The values allowed anywhere in the table (every entry the lookup can reach), and the
    /// fields that pick among them.
    fn hint(&self, _conditional: bool, tables: &Map<String, Value>, h: &mut Hints) {
        let empty = Value::Object(Map::new());
        let mut all: Vec<&str> = Vec::new();
        self.lookup
            .for_each(tables, &empty, &mut |leaf| match leaf.node() {
                Value::Array(a) => all.extend(a.iter().filter_map(Value::as_str)),
                Value::Object(o) => all.extend(o.keys().map(String::as_str).filter(|k| *k != "*")),
                _ => {}
            });
        let mut seen: Vec<String> = Vec::new();
        for v in all {
            if !seen.iter().any(|s| s == v) {
                seen.push(v.to_string());
            }
        }
        h.values = Some(seen);
        h.depends_on.extend(self.lookup.fields().map(String::from));
    }
}
