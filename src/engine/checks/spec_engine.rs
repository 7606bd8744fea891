//! `spec_engine`: a spec code (e.g. `geminidb.cassandra.xlarge.4`) names the engine the field
//! `field` gives, by the engine names (and their `spec_names`) of the table `table`. A code naming
//! no engine, or an engine whose flavors the table lists under the given one (`spec_shared`),
//! passes.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use crate::engine::path::Path;
use crate::engine::same;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct SpecEngine {
    pub field: Path,
    pub table: String,
    /// `field`'s number in the per-run slot cache.
    pub slot: usize,
    /// The table's engine names, in table order (filled by linking).
    pub engines: Vec<String>,
    /// Each name a spec code segment can use (an engine name or one of its `spec_names`) and
    /// the index in `engines` of the first engine it names.
    pub names: Vec<(String, usize)>,
    /// (engine, other engine) index pairs: the engine's flavors are listed under the other
    /// engine (its table entry's `spec_shared`), so a spec code naming it is normal.
    pub shared: Vec<(usize, usize)>,
}

impl Kind for SpecEngine {
    const READS: &'static [&'static str] = &["field", "table"];
    const PRODUCES: &'static [&'static str] = &["spec_engine", "engine"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(SpecEngine {
            field: o.need("field", o.pointer("field")?)?,
            table: o.need("table", o.string("table")?)?,
            slot: usize::MAX,
            engines: Vec::new(),
            names: Vec::new(),
            shared: Vec::new(),
        })
    }

    fn link(&mut self, slots: &mut SlotTable, tables: &Map<String, Value>) {
        self.slot = slots.slot(&self.field);
        let table = tables.get(self.table.as_str()).and_then(Value::as_object);
        let names_of = |e: &Value, key: &str| -> Vec<String> {
            let list = e.get(key).and_then(Value::as_array).into_iter().flatten();
            list.filter_map(Value::as_str).map(str::to_string).collect()
        };
        let all: Vec<&String> = table.into_iter().flat_map(|t| t.keys()).collect();
        for (i, e) in table.into_iter().flat_map(|t| t.values()).enumerate() {
            for other in names_of(e, "spec_shared") {
                if let Some(j) = all.iter().position(|n| **n == other) {
                    self.shared.push((i, j));
                }
            }
        }
        for (name, e) in table.into_iter().flatten() {
            let i = self.engines.len();
            self.engines.push(name.clone());
            let also = e.get("spec_names").and_then(Value::as_array);
            let also = also.into_iter().flatten().filter_map(Value::as_str);
            for n in std::iter::once(name.as_str()).chain(also) {
                // The first engine a name names keeps it.
                if self.names.iter().all(|(x, _)| x != n) {
                    self.names.push((n.to_string(), i));
                }
            }
        }
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let engine = env.slots.get(self.slot, &self.field)?.as_str()?;
        let at = self.engines.iter().position(|e| same(e, engine))?;
        let t = v.text();
        let named = t
            .split('.')
            .find_map(|seg| self.names.iter().find(|(n, _)| same(n, seg)))
            .map(|(_, i)| *i)?;
        (named != at && !self.shared.contains(&(at, named))).then(|| {
            vec![
                ("spec_engine", Param::Str(self.engines[named].clone())),
                ("engine", Param::Str(engine.to_string())),
            ]
        })
    }
}
