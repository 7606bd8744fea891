//! What checks tell form metadata (`fields`) and the JSON Schema export about the member they
//! target: each kind fills in what it knows ([`super::Kind::hint`]); `src/meta.rs` turns the
//! result into its output.

use crate::engine::charset::CharSet;

/// The constraints on one member that its checks state, as data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    /// Required only under a condition.
    pub required_when: bool,
    /// Length bounds and their unit (`chars` or `bytes`).
    pub length: Option<(Option<usize>, Option<usize>, &'static str)>,
    /// The allowed values (the union over the table entries where they depend on other fields).
    pub values: Option<Vec<String>>,
    /// Fields whose values change what is allowed here.
    pub depends_on: Vec<String>,
    /// Integer bounds.
    pub range: Option<(Option<i64>, Option<i64>)>,
    /// The allowed characters.
    pub chars: Option<CharSet>,
    /// The allowed first characters.
    pub first_char: Option<CharSet>,
    /// The fewest items (or members) of a composite (the first unconditional rule's).
    pub min_items: Option<usize>,
}
