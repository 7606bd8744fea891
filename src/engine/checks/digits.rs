//! `digits`: the text is exactly `len` ASCII digits (a timestamp, a code).

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone)]
pub struct Digits {
    pub len: usize,
}

impl Kind for Digits {
    const READS: &'static [&'static str] = &["len"];
    const PRODUCES: &'static [&'static str] = &["len", "actual"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Digits {
            len: o.need("len", o.count("len")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let t = v.text();
        let ok = t.len() == self.len && t.bytes().all(|b| b.is_ascii_digit());
        (!ok).then(|| {
            vec![
                ("len", Param::Int(self.len as i64)),
                ("actual", Param::Int(t.chars().count() as i64)),
            ]
        })
    }
}
