//! The tree of declared members a pack describes, and the lookup of a member by name: each
//! object node keeps its declared children with a 64-entry bucket table, so binding a given
//! member to its declaration is one table read and one comparison.

use super::path::{self, Path};

#[derive(Debug, Clone)]
pub(super) struct SchemaNode {
    pub(super) field: Option<usize>,
    pub(super) children: Vec<(String, SchemaNode)>,
    /// Child index + 1 by [`bucket`] of its name; 0: no child, [`CROWDED`]: several (scan).
    pub(super) buckets: [u8; 64],
    pub(super) items: Option<Box<SchemaNode>>,
    /// The rules whose target is this node and that look at a given member (`defaulted` rules
    /// only look at absent ones: see `presence`), with what the visit reads of them.
    pub(super) rules: Vec<NodeRule>,
    /// The slot of this node's path, when conditions or lookups read it (see [`super::path::Slots`]): the
    /// visit fills it, so that a later read costs no search.
    pub(super) slot: Option<usize>,
    /// The rules of `rules` that report this member absent or null (`required`, `defaulted`):
    /// an absent member that is not `required` and has none needs no visit.
    pub(super) presence: Vec<usize>,
    /// Its field's `required` (read here, where the visit decides whether to go in).
    pub(super) required: bool,
    /// The children that have a slot, as (child index, slot): their values are recorded as soon
    /// as the object's members are bound, before any child is visited, so that a sibling's
    /// condition or lookup (`/mode` read while `/datastore/version` is checked) needs no search.
    pub(super) slotted: Vec<(usize, usize)>,
    /// One of `rules` says, when its condition holds, that the service ignores this member.
    pub(super) ignorable: bool,
}

impl Default for SchemaNode {
    fn default() -> Self {
        SchemaNode {
            field: None,
            children: Vec::new(),
            buckets: [CROWDED; 64],
            items: None,
            rules: Vec::new(),
            slot: None,
            presence: Vec::new(),
            required: false,
            slotted: Vec::new(),
            ignorable: false,
        }
    }
}

impl SchemaNode {
    pub(super) fn node_mut(&mut self, path: &Path) -> &mut SchemaNode {
        let mut node = self;
        for seg in &path.segs {
            node = match seg {
                path::PathSeg::Any => node.items.get_or_insert_with(Default::default),
                path::PathSeg::Key(k) => {
                    let pos = match node.children.iter().position(|(n, _)| n == k) {
                        Some(p) => p,
                        None => {
                            node.children.push((k.clone(), SchemaNode::default()));
                            node.children.len() - 1
                        }
                    };
                    &mut node.children[pos].1
                }
            };
        }
        node
    }

    /// The node at a path without `*`, if the schema declares it.
    pub(super) fn declared_mut(&mut self, path: &Path) -> Option<&mut SchemaNode> {
        let mut node = self;
        for seg in &path.segs {
            let path::PathSeg::Key(k) = seg else {
                return None;
            };
            let i = node.children.iter().position(|(n, _)| n == k)?;
            node = &mut node.children[i].1;
        }
        Some(node)
    }

    #[inline]
    pub(super) fn find(&self, key: &str) -> Option<usize> {
        match self.buckets[bucket(key)] {
            0 => None,
            CROWDED => self.children.iter().position(|(n, _)| same(n, key)),
            i => {
                let i = usize::from(i) - 1;
                self.children
                    .get(i)
                    .filter(|(n, _)| same(n, key))
                    .map(|_| i)
            }
        }
    }

    pub(super) fn finish(&mut self) -> Result<(), String> {
        if self.children.len() > 64 {
            return Err("an object may declare at most 64 members".into());
        }
        self.buckets = [0; 64];
        self.slotted = self
            .children
            .iter()
            .enumerate()
            .filter_map(|(i, (_, c))| c.slot.map(|s| (i, s)))
            .collect();
        for (i, (n, _)) in self.children.iter().enumerate() {
            let b = &mut self.buckets[bucket(n)];
            // `i + 1 <= 64` fits, and stays below CROWDED.
            *b = if *b == 0 { (i + 1) as u8 } else { CROWDED };
        }
        for (_, c) in &mut self.children {
            c.finish()?;
        }
        if let Some(i) = &mut self.items {
            i.finish()?;
        }
        Ok(())
    }
}

/// String equality for the short names and values the engine compares (member names, enum
/// values, table keys).
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a == b
}

/// A rule as a schema node lists it: what the visit needs without reading the rule itself.
#[derive(Debug, Clone, Copy)]
pub(super) struct NodeRule {
    /// Index into `Engine::rules`.
    pub(super) rule: usize,
    /// The rule's global index (its severity).
    pub(super) global: usize,
    /// Its condition's index into `Engine::conds`.
    pub(super) cond: Option<usize>,
    pub(super) kind: NodeKind,
    /// When its condition holds, the service ignores the member (the rule's `member_ignored`).
    pub(super) ignores: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NodeKind {
    /// `required`: fires on `""` here (absence is `presence`'s).
    Required,
    /// `present`: fires when the member is given.
    Present,
    /// A check of the value.
    Value,
}

/// Marks a bucket shared by several declared names.
const CROWDED: u8 = u8::MAX;

/// A 6-bit bucket from a name's length and three of its bytes: declared names rarely share one,
/// so a member lookup is one table read and one comparison.
#[inline]
fn bucket(s: &str) -> usize {
    let b = s.as_bytes();
    let at = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
    (b.len().wrapping_mul(31)
        ^ at(0).wrapping_mul(7)
        ^ at(b.len() / 2).wrapping_mul(3)
        ^ at(b.len().wrapping_sub(1)).wrapping_mul(13))
        & 63
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_is_string_equality() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789-é日本";
        let mut equal = 0;
        for n in 0..base.len() {
            let Some(a) = base.get(..n) else { continue };
            let mut b = a.to_string().into_bytes();
            assert!(same(a, std::str::from_utf8(&b).unwrap()));
            equal += 1;
            // Every single-byte difference, at every position, is seen.
            for i in 0..b.len() {
                b[i] ^= 1;
                if let Ok(t) = std::str::from_utf8(&b) {
                    assert!(!same(a, t), "{a:?} vs {t:?}");
                }
                b[i] ^= 1;
            }
            // A shorter prefix differs in length only.
            if let Some(shorter) = n.checked_sub(1).and_then(|m| base.get(..m)) {
                assert!(!same(a, shorter));
            }
        }
        assert!(equal > 30);
    }
}
