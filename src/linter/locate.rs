//! Positions and order: where a pointer lands in the text, the order of diagnostics by pointer,
//! and setting a value at a pointer in the text tree.

use crate::engine::path::unescape_token;
use crate::engine::At;
use crate::json::{self, Span};
use crate::report::Diagnostic;

pub(super) fn root_span(root: &json::Value<'_>) -> Span {
    Span {
        start: root.span.start,
        end: root.span.start + 1,
    }
}

/// Where a pointer lands in the text: the value for scalars, the key for members that are
/// objects or arrays (one line, not the whole block), the nearest existing parent's key for
/// missing members.
pub(super) fn locate(root: &json::Value<'_>, pointer: &str, at: At) -> Span {
    // The tokens, unescaped only where they hold a `~` (no allocation for the usual pointer).
    // A pointer that is not one (never made by the engine) locates the root.
    let b = pointer.as_bytes();
    let valid = b.first() == Some(&b'/')
        && (0..b.len()).all(|i| b[i] != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')));
    let toks = pointer.get(1..).filter(|_| valid).map(|p| p.split('/'));
    let mut node = root;
    let mut key_span: Option<Span> = None;
    for raw in toks.into_iter().flatten() {
        let tok: std::borrow::Cow<'_, str> = if raw.contains('~') {
            unescape_token(raw).unwrap_or_default().into()
        } else {
            raw.into()
        };
        let next = match &node.kind {
            json::Kind::Object(_) => node.member(&tok).map(|m| (Some(m.key_span), &m.value)),
            json::Kind::Array(items) => tok
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|v| (None, v)),
            _ => None,
        };
        match next {
            Some((ks, v)) => {
                node = v;
                key_span = ks;
            }
            None => {
                return key_span.unwrap_or(Span {
                    start: node.span.start,
                    end: node.span.start + 1,
                });
            }
        }
    }
    let composite = matches!(node.kind, json::Kind::Object(_) | json::Kind::Array(_));
    match (at, key_span) {
        (At::Key, Some(k)) => k,
        (_, Some(k)) if composite => k,
        _ if composite => Span {
            start: node.span.start,
            end: node.span.start + 1,
        },
        _ => node.span,
    }
}

pub(super) fn sort_by_pointer(diags: &mut [Diagnostic]) {
    if diags.len() > 1 {
        sort_diagnostics(diags, |a, b| pointer_order(&a.pointer, &b.pointer));
    }
}

/// Diagnostics sorted (stably) in an order given as a function pointer: one instance of the
/// standard library's sort serves every order of diagnostics instead of one per closure.
pub(super) fn sort_diagnostics(
    diags: &mut [Diagnostic],
    order: fn(&Diagnostic, &Diagnostic) -> std::cmp::Ordering,
) {
    diags.sort_by(order);
}

/// Pointers token by token: array indexes numerically and before member names; a pointer sorts
/// before the pointers under it. Compared in place, without building keys.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    /// The next `/`-separated token (the first is the empty one before the leading `/`).
    fn next<'s>(rest: &mut Option<&'s [u8]>) -> Option<&'s [u8]> {
        let r = (*rest)?;
        match r.iter().position(|&c| c == b'/') {
            Some(i) => {
                *rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                *rest = None;
                Some(r)
            }
        }
    }
    /// A token as an index, if it reads as one (as `usize::from_str` reads it).
    fn index(t: &[u8]) -> Option<usize> {
        match t.first() {
            Some(b'0'..=b'9' | b'+') => std::str::from_utf8(t).ok()?.parse().ok(),
            _ => None,
        }
    }
    if a == b {
        return Ordering::Equal;
    }
    // Tokens before the first differing byte are equal: start at the token holding it.
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let same = ab
        .iter()
        .zip(bb)
        .position(|(x, y)| x != y)
        .unwrap_or(ab.len().min(bb.len()));
    let start = ab[..same]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    let numeric = |p: &[u8]| matches!(p.get(start), Some(b'0'..=b'9' | b'+'));
    if start > 0 && !numeric(ab) && !numeric(bb) {
        // Two member names: the differing byte decides, the end of a token sorting first.
        let at = |p: &[u8]| p.get(same).filter(|&&c| c != b'/').copied();
        return match (at(ab), at(bb)) {
            // One token ends where the other goes on to more tokens.
            (None, None) => ab.len().cmp(&bb.len()),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        };
    }
    let (mut x, mut y) = (Some(&ab[start..]), Some(&bb[start..]));
    loop {
        match (next(&mut x), next(&mut y)) {
            (Some(s), Some(t)) => {
                if s == t {
                    continue;
                }
                let order = match (index(s), index(t)) {
                    (Some(m), Some(n)) => m.cmp(&n),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => s.cmp(t),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// Set `value` at the pointer `toks` in the text tree: objects are filled in on the way (`null`
/// at the end of an array grown past its end); the member set is the last one of its name (the
/// one the engine reads); what is added has no span.
pub(super) fn set_in_tree<'t>(
    doc: &mut json::Value<'t>,
    toks: &[String],
    value: json::Value<'t>,
) -> Result<(), String> {
    fn empty(kind: json::Kind<'_>) -> json::Value<'_> {
        json::Value {
            span: Span::default(),
            kind,
        }
    }
    fn child<'n, 't>(
        node: &'n mut json::Value<'t>,
        tok: &str,
        last: bool,
    ) -> Result<&'n mut json::Value<'t>, String> {
        // Filled in where the pointer goes past the end: objects on the way, `null` at the end.
        let fill = || {
            if last {
                empty(json::Kind::Null)
            } else {
                empty(json::Kind::Object(Vec::new()))
            }
        };
        match &mut node.kind {
            json::Kind::Object(members) => {
                let i = match members.iter().rposition(|m| m.key == tok) {
                    Some(i) => i,
                    None => {
                        members.push(json::Member {
                            key: tok.to_string().into(),
                            key_span: Span::default(),
                            value: fill(),
                        });
                        members.len() - 1
                    }
                };
                Ok(&mut members[i].value)
            }
            json::Kind::Array(items) => {
                let i: usize = tok
                    .parse()
                    .map_err(|_| format!("`{tok}` is not an array index"))?;
                if i >= items.len() {
                    items.resize(i + 1, fill());
                }
                Ok(&mut items[i])
            }
            _ if last => Err(format!("cannot set `{tok}` inside a scalar")),
            _ => Err(format!("cannot descend into a scalar at `{tok}`")),
        }
    }
    let Some((last, init)) = toks.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut node = doc;
    for tok in init {
        node = child(node, tok, false)?;
    }
    *child(node, last, true)? = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointer_order_is_token_order() {
        // The order as first written: split, parse every token.
        fn reference(a: &str, b: &str) -> std::cmp::Ordering {
            fn key(t: &str) -> (u8, usize, &str) {
                match t.parse::<usize>() {
                    Ok(n) => (0, n, ""),
                    Err(_) => (1, 0, t),
                }
            }
            let (mut x, mut y) = (a.split('/'), b.split('/'));
            loop {
                match (x.next(), y.next()) {
                    (Some(s), Some(t)) => match key(s).cmp(&key(t)) {
                        std::cmp::Ordering::Equal => {}
                        other => return other,
                    },
                    (None, None) => return std::cmp::Ordering::Equal,
                    (None, Some(_)) => return std::cmp::Ordering::Less,
                    (Some(_), None) => return std::cmp::Ordering::Greater,
                }
            }
        }
        let tokens = [
            "",
            "a",
            "b",
            "ab",
            "a-b",
            "a.c",
            "-",
            "0",
            "1",
            "01",
            "+1",
            "10",
            "2",
            "é",
            "a~1b",
            "99999999999999999999999",
        ];
        let mut pointers = vec![String::new()];
        for t in tokens {
            pointers.push(format!("/{t}"));
            for u in tokens {
                pointers.push(format!("/{t}/{u}"));
                pointers.push(format!("/{t}/{u}/x"));
            }
        }
        let mut unequal = 0;
        for a in &pointers {
            for b in &pointers {
                assert_eq!(super::pointer_order(a, b), reference(a, b), "{a} vs {b}");
                unequal += usize::from(a != b && reference(a, b).is_eq());
            }
        }
        // `01` and `1` are the same index: the cases reach the tie between different texts.
        assert!(unequal > 0);
    }
}
