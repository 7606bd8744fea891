//! `range`: an integer (or a string of one) within `min`..=`max`. Other values are not this
//! check's (a type rule reports them).

use super::verdicts::{range_check, RANGE_PARAMS};
use super::{CheckError, Env, Hints, Kind, Options, Params, Val};
use crate::doc::Doc;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Range {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Kind for Range {
    const READS: &'static [&'static str] = &["min", "max"];
    const PRODUCES: &'static [&'static str] = RANGE_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Range {
            min: o.int("min")?,
            max: o.int("max")?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        range_check(v, self.min, self.max)
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional {
            h.range = Some((self.min, self.max));
        }
    }
}
