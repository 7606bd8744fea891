//! `forbidden`: the value's text is none of `values` (strings, or numbers by their JSON text).

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::same;

#[derive(Debug, Clone)]
pub struct Forbidden {
    pub values: Vec<String>,
}

impl Kind for Forbidden {
    const READS: &'static [&'static str] = &["values"];
    const PRODUCES: &'static [&'static str] = &["value", "forbidden"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Forbidden {
            values: o.need("values", o.texts("values")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let mut buf = [0; 20];
        let t = v.text_buf(&mut buf);
        // The value is quoted: on a secret member, the engine drops it (and the list, which
        // names it) from the finding.
        self.values.iter().any(|f| same(f, &t)).then(|| {
            vec![
                ("value", Param::Str(t.into_owned())),
                ("forbidden", Param::List(self.values.clone())),
            ]
        })
    }
}
