//! Duplicate-key detection.

use std::fmt::Write as _;

use super::{Kind, Member, Span, Value};

/// One step of an RFC 6901 JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Appends one reference token to a pointer, escaped per RFC 6901 (`~` -> `~0`, `/` -> `~1`).
pub fn push_token(out: &mut String, key: &str) {
    if !key.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Renders segments as an RFC 6901 JSON Pointer (`""` for the root,
/// `~` -> `~0`, `/` -> `~1`).
pub fn to_pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Segment::Key(k) => push_token(&mut out, k),
            Segment::Index(i) => {
                let _ = write!(out, "{i}");
            }
        }
    }
    out
}

/// Objects up to this size are checked pairwise; larger ones sort their keys.
const SMALL_OBJECT: usize = 16;

/// Which members repeat the key of an earlier member of the object (every occurrence after
/// the first).
fn later_occurrences(members: &[Member<'_>]) -> Vec<bool> {
    let mut later = vec![false; members.len()];
    if members.len() <= SMALL_OBJECT {
        for (i, m) in members.iter().enumerate() {
            later[i] = members[..i].iter().any(|prev| prev.key == m.key);
        }
    } else {
        for w in by_key(members).windows(2) {
            if members[w[0]].key == members[w[1]].key {
                later[w[1]] = true;
            }
        }
    }
    later
}

/// Member indexes ordered by key, equal keys in member order (a stable sort).
fn by_key(members: &[Member<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| members[a].key.cmp(&members[b].key));
    order
}

/// Whether one object has a key twice: a 64-bit filter on (length, first and last byte) keeps
/// the full comparison for keys that share those.
pub(super) fn object_has_duplicates(members: &[Member<'_>]) -> bool {
    if members.len() > SMALL_OBJECT {
        return by_key(members)
            .windows(2)
            .any(|w| members[w[0]].key == members[w[1]].key);
    }
    let mut filter = 0u64;
    for (i, m) in members.iter().enumerate() {
        let k = m.key.as_bytes();
        let h = k.len()
            ^ usize::from(k.first().copied().unwrap_or(0)).wrapping_mul(7)
            ^ usize::from(k.last().copied().unwrap_or(0)).wrapping_mul(13);
        let bit = 1u64 << (h & 63);
        if filter & bit != 0 && key_before(members, i) {
            return true;
        }
        filter |= bit;
    }
    false
}

/// Whether member `i`'s key is also the key of an earlier member: the filter above says "maybe"
/// rarely, so this stays out of its loop (which then keeps its state in registers).
#[cold]
#[inline(never)]
fn key_before(members: &[Member<'_>], i: usize) -> bool {
    members[..i].iter().any(|prev| prev.key == members[i].key)
}

/// Whether any object in the tree has a duplicate key (iterative: one stack of containers to
/// visit, no paths).
fn any_duplicates(root: &Value<'_>) -> bool {
    let mut stack: Vec<&Value<'_>> = Vec::new();
    let mut node = root;
    loop {
        match &node.kind {
            Kind::Object(members) => {
                if object_has_duplicates(members) {
                    return true;
                }
                stack.extend(
                    members
                        .iter()
                        .map(|m| &m.value)
                        .filter(|v| matches!(v.kind, Kind::Object(_) | Kind::Array(_))),
                );
            }
            Kind::Array(items) => stack.extend(
                items
                    .iter()
                    .filter(|v| matches!(v.kind, Kind::Object(_) | Kind::Array(_))),
            ),
            _ => {}
        }
        match stack.pop() {
            Some(next) => node = next,
            None => return false,
        }
    }
}

/// Duplicate keys: every member whose key already appeared earlier in the SAME
/// object, in document order. Returns the path to the duplicated member (RFC
/// 6901 segments, ending with its key) and the later member's `key_span`.
///
/// Iterative: arbitrarily deep values do not recurse natively.
pub fn find_duplicates(root: &Value<'_>) -> Vec<(Vec<Segment>, Span)> {
    let mut out = Vec::new();
    if !any_duplicates(root) {
        // The common case: no path is built, nothing is allocated.
        return out;
    }
    // Each repeated key is reported as the walk reaches its member, so in document order.
    let later = |v: &Value<'_>| match &v.kind {
        Kind::Object(members) => later_occurrences(members),
        _ => Vec::new(),
    };
    let mut path: Vec<Segment> = Vec::new();
    // (container, index of the next child to visit, its members that repeat a key)
    let mut stack: Vec<(&Value<'_>, usize, Vec<bool>)> = Vec::new();
    if matches!(root.kind, Kind::Object(_) | Kind::Array(_)) {
        stack.push((root, 0, later(root)));
    }

    while let Some(top) = stack.last_mut() {
        let (container, idx) = (top.0, top.1);
        let next = match &container.kind {
            Kind::Array(items) => items.get(idx).map(|v| (None, v)),
            Kind::Object(members) => members.get(idx).map(|m| (Some(m), &m.value)),
            _ => None,
        };
        match next {
            Some((member, child)) => {
                top.1 += 1;
                if let Some(m) = member.filter(|_| top.2[idx]) {
                    let mut p = Vec::with_capacity(path.len() + 1);
                    p.extend_from_slice(&path);
                    p.push(Segment::Key(m.key.to_string()));
                    out.push((p, m.key_span));
                }
                if matches!(child.kind, Kind::Object(_) | Kind::Array(_)) {
                    path.push(match member {
                        Some(m) => Segment::Key(m.key.to_string()),
                        None => Segment::Index(idx),
                    });
                    stack.push((child, 0, later(child)));
                }
            }
            None => {
                stack.pop();
                path.pop();
            }
        }
    }
    out
}
