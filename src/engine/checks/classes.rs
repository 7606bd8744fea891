//! `classes`: the text has a character of at least `min` of the character classes `classes`
//! (each a term: `upper`, `lower`, `letters`, `digits`, or ASCII characters literally; `min`
//! defaults to all of them). Only the first 64 classes are counted.

use super::first_char::TERMS;
use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::engine::charset::CharSet;
use crate::engine::doc::Doc;

#[derive(Debug, Clone)]
pub struct Classes {
    /// Each class as written, with its set.
    pub classes: Vec<(String, CharSet)>,
    pub min: usize,
}

impl Classes {
    /// The classes with a member in `text`, as a bit set (bit `i` for class `i`). By bytes:
    /// classes are ASCII sets (see [`CharSet::contains_byte`]).
    pub fn seen(&self, text: &str) -> u64 {
        let mut seen = 0u64;
        for &b in text.as_bytes() {
            for (i, (_, set)) in self.classes.iter().enumerate().take(64) {
                if set.contains_byte(b) {
                    seen |= 1 << i;
                }
            }
        }
        seen
    }
}

impl Kind for Classes {
    const READS: &'static [&'static str] = &["classes", "min"];
    const PRODUCES: &'static [&'static str] = &["missing", "min", "actual"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let names = o.need("classes", o.strings("classes")?)?;
        let classes = names
            .into_iter()
            .map(|n| match CharSet::from_term(&n) {
                Some(set) => Ok((n, set)),
                None => Err(CheckError::invalid(
                    "classes",
                    format!("check `classes`: {TERMS}"),
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let min = o.count("min")?.unwrap_or(classes.len());
        Ok(Classes { classes, min })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let s = v.text();
        let seen = self.seen(&s);
        let have = seen.count_ones() as usize;
        (have < self.min).then(|| {
            let missing = self
                .classes
                .iter()
                .enumerate()
                .filter(|(i, _)| *i >= 64 || seen & (1 << i) == 0)
                .map(|(_, (n, _))| n.clone())
                .collect();
            vec![
                ("missing", Param::Terms(missing)),
                ("min", Param::Int(self.min as i64)),
                ("actual", Param::Int(have as i64)),
            ]
        })
    }
}
