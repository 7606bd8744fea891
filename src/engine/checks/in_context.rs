//! `in_context`: every item of a comma-separated text is among the strings the caller's context
//! lists under `key` (e.g. the availability zones a region offers). Without that context entry,
//! it passes.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct InContext {
    pub key: String,
}

impl Kind for InContext {
    const READS: &'static [&'static str] = &["key"];
    const PRODUCES: &'static [&'static str] = &["unknown", "offered"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(InContext {
            key: o.need("key", o.string("key")?)?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let offered: Vec<&str> = env
            .context
            .get(&self.key)?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let t = v.text();
        let unknown: Vec<String> = t
            .split(',')
            .filter(|item| !item.is_empty() && !offered.contains(item))
            .map(str::to_string)
            .collect();
        (!unknown.is_empty()).then(|| {
            vec![
                ("unknown", Param::List(unknown)),
                (
                    "offered",
                    Param::List(offered.iter().map(|s| s.to_string()).collect()),
                ),
            ]
        })
    }
}
