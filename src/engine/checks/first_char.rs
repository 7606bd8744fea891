//! `first_char`: the text's first character is in the set `allowed` (terms: `upper`, `lower`,
//! `letters`, `digits`, or ASCII characters literally). An empty text passes.

use super::{CheckError, Env, Hints, Kind, Options, Param, Params, Val};
use crate::engine::charset::CharSet;
use crate::doc::Doc;
use crate::engine::with_room;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct FirstChar {
    pub set: CharSet,
    /// The terms as written, for the message.
    pub terms: Vec<String>,
}

/// What a character term must be.
pub const TERMS: &str = "character terms must be upper/lower/letters/digits or ASCII text";

/// The character set of the terms under `key`, refused where a term is not a class name or
/// ASCII text.
pub fn allowed_set(
    o: &Options<'_>,
    key: &'static str,
) -> Result<(CharSet, Vec<String>), CheckError> {
    let terms = o.need(key, o.strings(key)?)?;
    let set = CharSet::from_terms(&terms)
        .ok_or_else(|| CheckError::invalid(key, format!("check `{}`: {TERMS}", o.kind())))?;
    Ok((set, terms))
}

impl Kind for FirstChar {
    const READS: &'static [&'static str] = &["allowed"];
    const PRODUCES: &'static [&'static str] = &["allowed", "char"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let (set, terms) = allowed_set(o, "allowed")?;
        Ok(FirstChar { set, terms })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let s = v.text();
        let first = s.chars().next()?;
        (!self.set.contains(first)).then(|| {
            let mut p = with_room([("allowed", Param::Terms(self.terms.clone()))]);
            if !env.secret {
                p.push(("char", Param::Str(first.to_string())));
            }
            p
        })
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional {
            h.first_char = Some(self.set);
        }
    }
}
