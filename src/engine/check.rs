//! The check interface the engine calls: [`Check`], [`apply`], [`Env`], [`Val`], [`Lookup`],
//! [`Params`]. The kinds themselves live one per file under `checks/`; this module keeps their
//! names reachable where the engine has always found them.

pub use super::checks::{apply, Check, CheckError, Env, Hints, Reason, Val};
