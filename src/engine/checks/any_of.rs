//! `any_of`: the value passes every check of at least one of `alternatives` (each a list of
//! checks in the same vocabulary), e.g. one engine's password rule or the other's. A finding
//! carries no parameters: which alternative was meant is not known.

use super::{apply, Check, CheckError, Env, Kind, Options, Params, Reason, Val};
use crate::doc::Doc;
use crate::engine::cond::SlotTable;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct AnyOf {
    pub alternatives: Vec<Vec<Check>>,
}

impl Kind for AnyOf {
    const READS: &'static [&'static str] = &["alternatives"];
    const PRODUCES: &'static [&'static str] = &[];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let raw = o.need("alternatives", o.raw("alternatives"))?;
        let wrong = |v: &Value| {
            CheckError::new(
                "alternatives",
                Reason::WrongType {
                    key: "alternatives",
                    found: super::options::kind_of(v),
                    expected: "a sequence of sequences of checks",
                },
            )
        };
        let alts = raw.as_array().ok_or_else(|| wrong(raw))?;
        let alternatives = alts
            .iter()
            .enumerate()
            .map(|(a, alt)| {
                let checks = alt.as_array().ok_or_else(|| wrong(alt))?;
                checks
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        Check::from_json(c).map_err(|inner| {
                                CheckError::new(
                                    "alternatives",
                                    Reason::Inner {
                                        alternative: a,
                                        index: i,
                                        inner: Box::new(inner),
                                    },
                                )
                            })
                    })
                    .collect()
            })
            .collect::<Result<_, _>>()?;
        Ok(AnyOf { alternatives })
    }

    fn link(&mut self, slots: &mut SlotTable, tables: &Map<String, Value>) {
        for c in self.alternatives.iter_mut().flatten() {
            c.link(slots, tables);
        }
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let passes = self
            .alternatives
            .iter()
            .any(|alt| alt.iter().all(|c| apply(c, v, env).is_none()));
        (!passes).then(Vec::new)
    }
}
