//! `required`: the member must be given: not absent, not `null`, not `""`. The engine visits
//! presence itself (it fires where the member is absent, `null` or empty), so the kind has no
//! parameters and checks no value.

use super::{CheckError, Env, Hints, Kind, Options, Params, Val};
use crate::doc::Doc;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy)]
pub struct Required;

impl Kind for Required {
    const READS: &'static [&'static str] = &[];
    const PRODUCES: &'static [&'static str] = &[];

    fn compile(_: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Required)
    }

    fn check<D: Doc>(&self, _: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        None
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if conditional {
            h.required_when = true;
        }
    }
}
