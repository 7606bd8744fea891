//! `contains_any`: the text contains none of the characters `chars`.

use super::value::describe_char;
use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::with_room;

#[derive(Debug, Clone)]
pub struct ContainsAny {
    pub chars: String,
}

impl Kind for ContainsAny {
    const READS: &'static [&'static str] = &["chars"];
    const PRODUCES: &'static [&'static str] = &["chars", "char"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(ContainsAny {
            chars: o.need("chars", o.string("chars")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let t = v.text();
        // Compared char by char: `str::contains(char)` sets up a substring searcher for
        // characters outside ASCII.
        let c = t.chars().find(|c| self.chars.chars().any(|x| x == *c))?;
        let mut p = with_room([("chars", Param::Str(self.chars.clone()))]);
        if !env.secret {
            p.push(("char", Param::Str(describe_char(c))));
        }
        Some(p)
    }
}
