//! `present`: fires where the member is given (not absent, not `null`), e.g. a member the service
//! ignores or refuses under the rule's condition. The engine visits presence itself; the kind has
//! no parameters and checks no value.

use super::{CheckError, Env, Kind, Options, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone, Copy)]
pub struct Present;

impl Kind for Present {
    const READS: &'static [&'static str] = &[];
    const PRODUCES: &'static [&'static str] = &[];

    fn compile(_: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Present)
    }

    fn check<D: Doc>(&self, _: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        None
    }
}
