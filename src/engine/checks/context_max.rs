//! `context_max`: an integer at most the caller's context entry `key`: a number, or an object of
//! numbers picked by the text of the sibling member `by` (e.g. a quota per flavor). Without that
//! entry, it passes.

use super::verdicts::{range_check, RANGE_PARAMS};
use super::{CheckError, Env, Kind, Options, Params, Val};
use crate::doc::Doc;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct ContextMax {
    pub key: String,
    pub by: Option<String>,
}

impl Kind for ContextMax {
    const READS: &'static [&'static str] = &["key", "by"];
    const PRODUCES: &'static [&'static str] = RANGE_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(ContextMax {
            key: o.need("key", o.string("key")?)?,
            by: o.string("by")?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let limit = match (env.context.get(&self.key)?, &self.by) {
            (Value::Number(n), _) => n.as_i64()?,
            (Value::Object(map), Some(by)) => {
                let sel = env.parent?.get(by)?.scalar_text()?;
                map.get(sel.as_ref())?.as_i64()?
            }
            _ => return None,
        };
        range_check(v, None, Some(limit))
    }
}
