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

impl Hints {
    /// What one rule's check states, widened by what its observed acceptances accept: the
    /// service takes a value either passes, so only what both state constrains the member
    /// (either side stating nothing leaves it unconstrained). An acceptance under a condition
    /// is widened by as if it always applied: the result is looser than the truth, never
    /// stricter, which is what a schema or a form may state.
    pub fn widen(&mut self, accepted: &Hints) {
        fn both<T: Copy>(a: Option<T>, b: Option<T>, f: impl Fn(T, T) -> Option<T>) -> Option<T> {
            a.zip(b).and_then(|(a, b)| f(a, b))
        }
        // A bound is kept only where both sides have one: the looser.
        fn looser<T: Ord>(a: Option<T>, b: Option<T>, lower: bool) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) if lower => Some(a.min(b)),
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            }
        }
        self.chars = both(self.chars, accepted.chars, |a, b| Some(a.union(b)));
        self.first_char = both(self.first_char, accepted.first_char, |a, b| {
            Some(a.union(b))
        });
        self.range = both(self.range, accepted.range, |(a0, a1), (b0, b1)| {
            Some((looser(a0, b0, true), looser(a1, b1, false)))
        });
        self.length = both(
            self.length,
            accepted.length,
            |(a0, a1, au), (b0, b1, bu)| {
                (au == bu).then(|| (looser(a0, b0, true), looser(a1, b1, false), au))
            },
        );
        self.min_items = both(self.min_items, accepted.min_items, |a, b| Some(a.min(b)));
        self.values = match (self.values.take(), &accepted.values) {
            (Some(mut values), Some(more)) => {
                for v in more {
                    if !values.contains(v) {
                        values.push(v.clone());
                    }
                }
                Some(values)
            }
            _ => None,
        };
        self.depends_on.extend(accepted.depends_on.iter().cloned());
    }

    /// One rule's hints added to the member's: what the rule states replaces what an earlier
    /// rule stated (the fewest items excepted: the first rule's stays).
    pub fn add(&mut self, rule: Hints) {
        self.required_when |= rule.required_when;
        self.length = rule.length.or(self.length);
        self.values = rule.values.or(self.values.take());
        self.depends_on.extend(rule.depends_on);
        self.range = rule.range.or(self.range);
        self.chars = rule.chars.or(self.chars);
        self.first_char = rule.first_char.or(self.first_char);
        self.min_items = self.min_items.or(rule.min_items);
    }
}
