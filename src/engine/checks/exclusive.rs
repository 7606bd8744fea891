//! `exclusive`: of the member groups `groups` (each a list of member names of the object the
//! rule targets), members of at most one are given (not absent, not `null`).

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone)]
pub struct Exclusive {
    pub groups: Vec<Vec<String>>,
}

impl Kind for Exclusive {
    const READS: &'static [&'static str] = &["groups"];
    const PRODUCES: &'static [&'static str] = &["members"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Exclusive {
            groups: o.need("groups", o.string_lists("groups")?)?,
        })
    }

    fn check<D: Doc>(&self, _: &Val<'_>, env: &Env<'_, '_, D>) -> Option<Params> {
        let given: Vec<String> = self
            .groups
            .iter()
            .filter_map(|g| {
                g.iter()
                    .find(|m| env.node.get(m).is_some_and(|x| !x.is_null()))
                    .cloned()
            })
            .collect();
        (given.len() > 1).then(|| vec![("members", Param::List(given))])
    }
}
