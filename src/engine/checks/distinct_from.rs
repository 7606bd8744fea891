//! `distinct_from`: the value's text differs from that of the field `other` (a JSON Pointer from
//! the body's root), e.g. a password that repeats the user name.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use crate::engine::path::Path;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct DistinctFrom {
    pub other: Path,
    /// `other`'s number in the per-run slot cache.
    pub slot: usize,
}

impl Kind for DistinctFrom {
    const READS: &'static [&'static str] = &["other"];
    const PRODUCES: &'static [&'static str] = &["other"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(DistinctFrom {
            other: o.need("other", o.pointer("other")?)?,
            slot: usize::MAX,
        })
    }

    fn link(&mut self, slots: &mut SlotTable, _tables: &Map<String, Value>) {
        self.slot = slots.slot(&self.other);
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let o = env.slots.get(self.slot, &self.other)?;
        let ot = o.scalar_text()?;
        (ot == v.text()).then(|| vec![("other", Param::Str(self.other.text.clone()))])
    }
}
