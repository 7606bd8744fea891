//! `defaulted`: an info where the member is absent or `null`, about the documented default it then
//! takes. The engine visits presence itself; the kind has no parameters and checks no value.

use super::{CheckError, Env, Kind, Options, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone, Copy)]
pub struct Defaulted;

impl Kind for Defaulted {
    const READS: &'static [&'static str] = &[];
    const PRODUCES: &'static [&'static str] = &[];

    fn compile(_: &Options<'_>) -> Result<Self, CheckError> {
        Ok(Defaulted)
    }

    fn check<D: Doc>(&self, _: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        None
    }
}
