//! `charset`: every character of the text is in the set `allowed` (terms: `upper`, `lower`,
//! `letters`, `digits`, or ASCII characters literally).

use super::first_char::allowed_set;
use super::value::describe_char;
use super::{CheckError, Env, Hints, Kind, Options, Param, Params, Val};
use crate::engine::charset::CharSet;
use crate::doc::Doc;
use crate::engine::with_room;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Charset {
    pub set: CharSet,
    /// The terms as written, for the message.
    pub terms: Vec<String>,
}

impl Kind for Charset {
    const READS: &'static [&'static str] = &["allowed"];
    const PRODUCES: &'static [&'static str] = &["allowed", "position", "char"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let (set, terms) = allowed_set(o, "allowed")?;
        Ok(Charset { set, terms })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let s = v.text();
        // By bytes first: a set's test over the bytes is its test over the chars.
        if s.bytes().all(|b| self.set.contains_byte(b)) {
            return None;
        }
        let (pos, bad) = s.chars().enumerate().find(|(_, c)| !self.set.contains(*c))?;
        let mut p = with_room([
            ("allowed", Param::Terms(self.terms.clone())),
            ("position", Param::Int(pos as i64 + 1)),
        ]);
        if !env.secret {
            p.push(("char", Param::Str(describe_char(bad))));
        }
        Some(p)
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional {
            h.chars = Some(self.set);
        }
    }
}
