//! `lookup_range`: an integer within the bounds of the table nodes reached by `lookup` (a number
//! is a minimum; an object gives `min` and `max`); several nodes give the widest bounds. Where
//! the lookup reaches no bounds, it passes.

use super::lookup::Lookup;
use super::verdicts::{range_check, RANGE_PARAMS};
use super::{CheckError, Env, Kind, Options, Params, Val};
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct LookupRange {
    pub lookup: Lookup,
}

impl Kind for LookupRange {
    const READS: &'static [&'static str] = &["lookup"];
    const PRODUCES: &'static [&'static str] = RANGE_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(LookupRange {
            lookup: Lookup::compile(&o.need("lookup", o.strings("lookup")?)?)?,
        })
    }

    fn link(&mut self, slots: &mut SlotTable, tables: &Map<String, Value>) {
        self.lookup.link(slots, tables);
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        let (mut any, mut unbounded) = (false, false);
        self.lookup.for_each_in(env.tables, env.slots, &mut |leaf| {
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
}
