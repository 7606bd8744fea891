//! `min_items`: an array (or object) has at least `min` items (members), 1 by default.

use super::{CheckError, Env, Hints, Kind, Options, Param, Params, Val};
use crate::doc::{Doc, Kind as NodeKind};
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct MinItems {
    pub min: usize,
}

impl Kind for MinItems {
    const READS: &'static [&'static str] = &["min"];
    const PRODUCES: &'static [&'static str] = &["min", "actual"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(MinItems {
            min: o.count("min")?.unwrap_or(1),
        })
    }

    fn check<D: Doc>(&self, _: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let n = match env.node.kind() {
            NodeKind::Array => env.node.items().len(),
            NodeKind::Object => env.node.member_count(),
            _ => return None,
        };
        (n < self.min).then(|| {
            vec![
                ("min", Param::Int(self.min as i64)),
                ("actual", Param::Int(n as i64)),
            ]
        })
    }

    fn hint(&self, conditional: bool, _tables: &Map<String, Value>, h: &mut Hints) {
        if !conditional && h.min_items.is_none() {
            h.min_items = Some(self.min);
        }
    }
}
