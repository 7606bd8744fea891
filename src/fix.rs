//! Fixes: the edits a finding's rule offers, and applying them to the text.
//!
//! A rule pack declares what a rule's fix is ([`crate::engine::pack::FixDef`]: the edit, its
//! applicability and its wording); this module computes the edit from the finding and the parsed
//! text, as byte spans, so that everything else in the file (layout, key order, line endings, a
//! byte-order mark) is kept byte for byte. No fix is offered where it cannot be told: no single
//! suggestion, a secret member (a fix would write its value), a template expression, a body with
//! duplicate keys or that is not JSON.

use crate::engine::pack::{FieldDef, FixEdit};
use crate::engine::{Param, Params};
use crate::json::{self, Span};
use crate::report::Diagnostic;

pub use crate::edit::{Edit, Fix, Position};
pub use crate::levels::Applicability;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixOptions {
    /// Apply the unsafe fixes too.
    pub unsafe_fixes: bool,
}

impl FixOptions {
    pub fn allows(&self, a: Applicability) -> bool {
        a == Applicability::Safe || self.unsafe_fixes
    }
}

/// The text with one round of fixes applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// How many diagnostics' fixes were applied.
    pub applied: usize,
}

/// The outcome of fixing a text until nothing more changes ([`crate::Linter::fix`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    /// The fixed text (the input itself when nothing was fixed).
    pub text: String,
    /// How many findings were fixed, over all rounds.
    pub fixed: usize,
    /// The findings left in the fixed text.
    pub report: crate::Report,
}

impl Fixed {
    /// Whether the text changed.
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// Rounds of fix-then-check at most: a fix can bring out another finding with a fix (a member
/// renamed, then its value's case fixed), and overlapping fixes wait for the next round.
pub const MAX_ROUNDS: usize = 10;

/// Apply the fixes of `diagnostics` to `text` (the text they were made from), one round: the
/// fixes that `options` allows, taken in order of their first edit (then in the diagnostics'
/// order), each applied whole unless one of its edits overlaps an edit already taken; that one
/// waits for the next round ([`crate::Linter::fix`] repeats until nothing changes). Edits that
/// do not fit the text (out of range, not on a character boundary) are skipped, never a panic.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], options: FixOptions) -> Applied {
    apply(
        text,
        diagnostics.iter().filter_map(|d| d.fix.as_ref()),
        options,
    )
}

/// [`apply_fixes`] on the fixes themselves (no diagnostic is copied to choose them).
pub(crate) fn apply<'f>(
    text: &str,
    fixes: impl Iterator<Item = &'f Fix>,
    options: FixOptions,
) -> Applied {
    let mut fixes: Vec<(usize, &Fix)> = fixes
        .filter(|f| options.allows(f.applicability) && fits(text, f))
        .enumerate()
        .collect();
    // Edits in text order: overlapping ones are dropped below.
    fixes.sort_by(|(i, f), (j, g)| {
        let key = |k: usize, f: &Fix| (f.edits[0].start.offset, f.edits[0].end.offset, k);
        key(*i, f).cmp(&key(*j, g))
    });
    let mut taken: Vec<(usize, usize, &str)> = Vec::new();
    let mut applied = 0;
    for (_, fix) in fixes {
        let clash = fix.edits.iter().any(|e| {
            taken
                .iter()
                .any(|&(s, t, _)| overlap((e.start.offset, e.end.offset), (s, t)))
        });
        if clash {
            continue;
        }
        taken.extend(
            fix.edits
                .iter()
                .map(|e| (e.start.offset, e.end.offset, e.replacement.as_str())),
        );
        applied += 1;
    }
    taken.sort_by_key(|a| (a.0, a.1));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (s, t, r) in taken {
        out.push_str(&text[at..s]);
        out.push_str(r);
        at = t;
    }
    out.push_str(&text[at..]);
    Applied { text: out, applied }
}

/// Two half-open ranges share a byte, or are insertions at the same place.
fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    (a.0 < b.1 && b.0 < a.1) || a.0 == b.0
}

/// A fix whose edits lie inside the text, on character boundaries, in order, without overlap.
fn fits(text: &str, fix: &Fix) -> bool {
    let mut last_end = 0;
    !fix.edits.is_empty()
        && fix.edits.iter().enumerate().all(|(i, e)| {
            let (s, t) = (e.start.offset, e.end.offset);
            let ok = s <= t
                && t <= text.len()
                && text.is_char_boundary(s)
                && text.is_char_boundary(t)
                && (i == 0 || s >= last_end);
            last_end = t;
            ok
        })
}

/// An edit planned on the parsed text, before positions are computed.
#[derive(Debug)]
pub(crate) struct Planned {
    pub edits: Vec<(Span, String)>,
    /// The text written, for the fix's message (`{replacement}`).
    pub replacement: String,
    /// The fix chooses among several candidates: unsafe whatever the pack says.
    pub choice: bool,
}

/// What a fix is computed from.
pub(crate) struct Site<'t, 'v> {
    pub root: &'v json::Value<'t>,
    pub pointer: &'v str,
    pub params: &'v Params,
    /// The API's declared fields (for secrets and the names a member may be a typo of).
    pub fields: &'v [FieldDef],
    /// The rule's compiled check, which computes a [`FixEdit::Check`] fix itself.
    pub check: Option<&'v crate::engine::check::Check>,
}

/// The edits of a rule's fix for one finding, or `None` where no fix can be told.
pub(crate) fn plan(edit: FixEdit, site: &Site<'_, '_>) -> Option<Planned> {
    let toks = tokens(site.pointer)?;
    if toks.is_empty() {
        return None;
    }
    let (parent, index) = resolve(site.root, &toks)?;
    let member = match &parent.kind {
        json::Kind::Object(members) => Some(&members[index]),
        _ => None,
    };
    let node = match (&parent.kind, member) {
        (_, Some(m)) => &m.value,
        (json::Kind::Array(items), None) => &items[index],
        _ => return None,
    };
    // A secret's value is never written (nor echoed) by a fix; its name may be.
    if edit != FixEdit::Rename && is_secret(site.fields, &toks) {
        return None;
    }
    if has_template(node) {
        return None;
    }
    let one = |span: Span, text: String| {
        Some(Planned {
            edits: vec![(span, text.clone())],
            replacement: text,
            choice: false,
        })
    };
    match edit {
        FixEdit::Suggestion => {
            let current = node.as_str()?;
            let suggestion = param_str(site.params, "suggestion")?;
            // The one spelling that differs only in case, or none.
            let allowed = match site.params.iter().find(|(k, _)| *k == "allowed") {
                Some((_, Param::List(l))) => l.as_slice(),
                _ => &[],
            };
            let matches = allowed
                .iter()
                .filter(|a| a.eq_ignore_ascii_case(current))
                .count();
            if matches > 1 || !suggestion.eq_ignore_ascii_case(current) {
                return None;
            }
            one(node.span, json_string(suggestion))
        }
        FixEdit::Rename => {
            let m = member?;
            let suggestion = param_str(site.params, "suggestion")?;
            if parent.get(suggestion).is_some() || contains_template(&m.key) {
                return None;
            }
            let names = sibling_names(site.fields, &toks[..toks.len() - 1]);
            let others = names.iter().copied().filter(|n| *n != suggestion);
            // Several names as close as the suggestion: choosing one may change the meaning.
            let choice = crate::engine::suggest(&m.key, others).is_some_and(|o| {
                crate::engine::suggest(&m.key, [o, suggestion].into_iter()) == Some(o)
            });
            Some(Planned {
                edits: vec![(m.key_span, json_string(suggestion))],
                replacement: suggestion.to_string(),
                choice,
            })
        }
        FixEdit::DocumentedType => {
            let expected = match site.params.iter().find(|(k, _)| *k == "expected") {
                Some((_, Param::Term(t))) => *t,
                _ => return None,
            };
            let text = match (expected, &node.kind) {
                ("string", json::Kind::Number(_)) => {
                    json_string(&crate::doc::Doc::as_num(node)?.to_text())
                }
                ("string", json::Kind::Bool(b)) => json_string(if *b { "true" } else { "false" }),
                ("integer", json::Kind::String(s)) => {
                    let digits = s.strip_prefix('-').unwrap_or(s);
                    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    s.parse::<i64>().ok()?.to_string()
                }
                ("boolean", json::Kind::String(s)) if s == "true" || s == "false" => s.to_string(),
                _ => return None,
            };
            one(node.span, text)
        }
        FixEdit::Remove => {
            let json::Kind::Object(members) = &parent.kind else {
                return None;
            };
            let span = removal(parent, members, index);
            Some(Planned {
                edits: vec![(span, String::new())],
                replacement: String::new(),
                choice: false,
            })
        }
        FixEdit::Check => {
            let fixed = site.check?.fix(node.as_str()?)?;
            one(node.span, json_string(&fixed)).map(|p| Planned {
                replacement: fixed,
                ..p
            })
        }
    }
}

/// The pointer's tokens, unescaped; `None` for a string that is not a pointer.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .map(|t| {
            if t.contains('~') {
                crate::engine::path::unescape_token(t)
            } else {
                Some(t.to_string())
            }
        })
        .collect()
}

/// The container of the member a pointer names, and the member's index in it.
fn resolve<'v, 't>(
    root: &'v json::Value<'t>,
    toks: &[String],
) -> Option<(&'v json::Value<'t>, usize)> {
    let (last, path) = toks.split_last()?;
    let mut node = root;
    for t in path {
        node = child(node, t)?.1;
    }
    let (i, _) = child(node, last)?;
    Some((node, i))
}

fn child<'v, 't>(node: &'v json::Value<'t>, tok: &str) -> Option<(usize, &'v json::Value<'t>)> {
    match &node.kind {
        // The last of equal keys, as the engine reads them (a body with duplicates is never
        // fixed anyway).
        json::Kind::Object(members) => members
            .iter()
            .rposition(|m| m.key == tok)
            .map(|i| (i, &members[i].value)),
        json::Kind::Array(items) => {
            let i = tok.parse::<usize>().ok()?;
            items.get(i).map(|v| (i, v))
        }
        _ => None,
    }
}

/// The field pattern (`/flavor/*/num`) covers the concrete tokens.
fn covers(pattern: &str, toks: &[String]) -> bool {
    let Some(pats) = tokens(pattern) else {
        return false;
    };
    pats.len() == toks.len()
        && pats.iter().zip(toks).all(|(p, t)| {
            p == t || (p == "*" && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        })
}

fn is_secret(fields: &[FieldDef], toks: &[String]) -> bool {
    fields.iter().any(|f| f.secret && covers(&f.pointer, toks))
}

/// The member names the API declares in the object at `parent`.
fn sibling_names<'f>(fields: &'f [FieldDef], parent: &[String]) -> Vec<&'f str> {
    let mut names: Vec<&str> = Vec::new();
    for f in fields {
        let Some(pats) = tokens(&f.pointer) else {
            continue;
        };
        if pats.len() <= parent.len() || !covers_prefix(&pats[..parent.len()], parent) {
            continue;
        }
        // The name as the pointer spells it (escaped only for `~` and `/`, which no declared
        // name holds): found by its position in the pattern.
        let name = f
            .pointer
            .split('/')
            .nth(parent.len() + 1)
            .unwrap_or_default();
        if name != "*" && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn covers_prefix(pats: &[String], toks: &[String]) -> bool {
    pats.iter().zip(toks).all(|(p, t)| {
        p == t || (p == "*" && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn param_str<'p>(params: &'p Params, key: &str) -> Option<&'p str> {
    match params.iter().find(|(k, _)| *k == key) {
        Some((_, Param::Str(s))) => Some(s),
        _ => None,
    }
}

/// A template expression (`${X}`, `{{ x }}`, `$(X)`): an unknown value, never fixed.
fn contains_template(s: &str) -> bool {
    use crate::engine::contains_str;
    contains_str(s, "${") || contains_str(s, "{{") || contains_str(s, "$(")
}

fn has_template(node: &json::Value<'_>) -> bool {
    node.as_str().is_some_and(contains_template)
}

/// `s` as a JSON string literal, written as serde_json writes it.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json::write_string(&mut out, s);
    out
}

/// The span that removes member `i` with one separator, so that the rest stays as written: up
/// to the next member's key (its indentation goes, the removed one's stays for the next), or,
/// for the last member, from the end of the previous value (the comma before it goes), or, for
/// the only member, from just after `{` (whatever precedes `}` stays).
fn removal(object: &json::Value<'_>, members: &[json::Member<'_>], i: usize) -> Span {
    let m = &members[i];
    if let Some(next) = members.get(i + 1) {
        Span::new(m.key_span.start, next.key_span.start)
    } else if i > 0 {
        Span::new(members[i - 1].value.span.end, m.value.span.end)
    } else {
        Span::new(object.span.start + 1, m.value.span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
        assert_eq!(json_string("集群"), "\"集群\"");
    }

    fn pos(offset: usize) -> Position {
        Position {
            line: 1,
            column: offset + 1,
            offset,
        }
    }

    fn diag(edits: &[(usize, usize, &str)], applicability: Applicability) -> Diagnostic {
        let mut d = crate::check(crate::Api::DdmScaleOut, "{}").diagnostics[0].clone();
        d.fix = Some(Fix {
            applicability,
            message: String::new(),
            edits: edits
                .iter()
                .map(|&(s, t, r)| Edit {
                    start: pos(s),
                    end: pos(t),
                    replacement: r.into(),
                })
                .collect(),
        });
        d
    }

    #[test]
    fn overlapping_fixes_wait_and_bad_edits_are_skipped() {
        let text = "abcdefgh";
        let ds = [
            diag(&[(2, 4, "X")], Applicability::Safe),
            diag(&[(3, 5, "Y")], Applicability::Safe), // overlaps the first: waits
            diag(&[(6, 7, "Z")], Applicability::Unsafe),
            diag(&[(7, 99, "!")], Applicability::Safe), // out of range: skipped
            diag(&[(0, 0, "<")], Applicability::Safe),
        ];
        let safe = apply_fixes(text, &ds, FixOptions::default());
        assert_eq!(safe.text, "<abXefgh");
        assert_eq!(safe.applied, 2);
        let all = apply_fixes(text, &ds, FixOptions { unsafe_fixes: true });
        assert_eq!(all.text, "<abXefZh");
        assert_eq!(all.applied, 3);
        // Not on a character boundary: skipped.
        let cjk = apply_fixes(
            "集群",
            &[diag(&[(1, 3, "x")], Applicability::Safe)],
            FixOptions::default(),
        );
        assert_eq!((cjk.text.as_str(), cjk.applied), ("集群", 0));
    }
}
