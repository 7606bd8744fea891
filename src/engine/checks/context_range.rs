//! `context_range`: an integer within the `min` and `max` of the caller's context entry `key`.
//! Without that entry, it passes.

use super::verdicts::{range_check, RANGE_PARAMS};
use super::{CheckError, Env, Kind, Options, Params, Val};
use crate::doc::Doc;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct ContextRange {
    pub key: String,
}

impl Kind for ContextRange {
    const READS: &'static [&'static str] = &["key"];
    const PRODUCES: &'static [&'static str] = RANGE_PARAMS;

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(ContextRange {
            key: o.need("key", o.string("key")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let w = env.context.get(&self.key)?;
        range_check(
            v,
            w.get("min").and_then(Value::as_i64),
            w.get("max").and_then(Value::as_i64),
        )
    }
}
