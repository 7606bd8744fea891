//! `pattern` (cargo feature `pattern`): the whole text matches the regular expression `pattern`.
//! regex-lite matches in time linear in the input, whatever the pattern.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: regex_lite::Regex,
}

impl Kind for Pattern {
    const READS: &'static [&'static str] = &["pattern"];
    const PRODUCES: &'static [&'static str] = &["pattern"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let source = o.need("pattern", o.string("pattern")?)?;
        let regex = regex_lite::Regex::new(&format!("^(?:{source})$")).map_err(|e| {
            CheckError::invalid("pattern", format!("`pattern` does not compile: {e}"))
        })?;
        Ok(Pattern { source, regex })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let source = || vec![("pattern", Param::Str(self.source.clone()))];
        (!self.regex.is_match(&v.text())).then(source)
    }
}
