//! `enum`: the value's text is one of `values` (strings, or numbers by their JSON text). A
//! finding lists them and suggests the one equal but for ASCII case.

use super::verdicts::{enum_check, ENUM_PARAMS};
use super::{CheckError, Env, Hints, Kind, Options, Params, Val};
use crate::doc::Doc;
use crate::engine::same;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Enum {
    pub values: Vec<String>,
}

impl Kind for Enum {
    const READS: &'static [&'static str] = &["values"];
    const PRODUCES: &'static [&'static str] = ENUM_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Enum {
            values: o.need("values", o.texts("values")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        // The common case, an allowed value, without collecting the list.
        let mut buf = [0; 20];
        let t = v.text_in(&mut buf);
        if self.values.iter().any(|a| same(a, t)) {
            return None;
        }
        enum_check(self.values.iter().map(|s| Some(s.as_str())), v, env.secret)
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional {
            h.values = Some(self.values.clone());
        }
    }
}
