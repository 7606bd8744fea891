//! `length`: the text's length within `min`..=`max`, counted in characters or UTF-8 bytes
//! (`unit`: `chars`, the default, or `bytes`).

use super::{CheckError, Env, Hints, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::with_room;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Chars,
    Bytes,
}

impl Unit {
    /// The unit's name, as a pack writes it and a message words it (a vocabulary code).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Chars => "chars",
            Unit::Bytes => "bytes",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Length {
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub unit: Unit,
}

impl Kind for Length {
    const READS: &'static [&'static str] = &["min", "max", "unit"];
    const PRODUCES: &'static [&'static str] = &["actual", "unit", "min", "max"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Length {
            min: o.count("min")?,
            max: o.count("max")?,
            unit: match o.string("unit")?.as_deref() {
                None | Some("chars") => Unit::Chars,
                Some("bytes") => Unit::Bytes,
                Some(u) => {
                    return Err(CheckError::invalid(
                        "unit",
                        format!("unit `{u}` is not chars or bytes"),
                    ))
                }
            },
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let s = v.text();
        let n = match self.unit {
            Unit::Chars => s.chars().count(),
            Unit::Bytes => s.len(),
        };
        let short = self.min.is_some_and(|m| n < m);
        let long = self.max.is_some_and(|m| n > m);
        (short || long).then(|| {
            let mut p = with_room([
                ("actual", Param::Int(n as i64)),
                ("unit", Param::Term(self.unit.name())),
            ]);
            if let Some(m) = self.min {
                p.push(("min", Param::Int(m as i64)));
            }
            if let Some(m) = self.max {
                p.push(("max", Param::Int(m as i64)));
            }
            p
        })
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional {
            h.length = Some((self.min, self.max, self.unit.name()));
        }
    }
}
