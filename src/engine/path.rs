//! Target paths (JSON Pointers with `*` for "every array item") and RFC 6901 pointers built only
//! when a finding needs one.

use crate::doc::Doc;
use std::cell::Cell;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    Key(String),
    Any,
}

/// A compiled target such as `/flavor/*/num`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    pub segs: Vec<PathSeg>,
    pub text: String,
}

/// Unescape one RFC 6901 reference token. `None` for a malformed escape.
pub fn unescape_token(tok: &str) -> Option<String> {
    if !tok.contains('~') {
        return Some(tok.to_string());
    }
    let mut out = String::with_capacity(tok.len());
    let mut chars = tok.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Split an RFC 6901 pointer into unescaped tokens. `""` is the root.
pub fn parse_pointer(ptr: &str) -> Option<Vec<String>> {
    if ptr.is_empty() {
        return Some(Vec::new());
    }
    let rest = ptr.strip_prefix('/')?;
    rest.split('/').map(unescape_token).collect()
}

impl Path {
    pub fn parse(text: &str) -> Option<Path> {
        let toks = parse_pointer(text)?;
        let segs = toks
            .into_iter()
            .map(|t| {
                if t == "*" {
                    PathSeg::Any
                } else {
                    PathSeg::Key(t)
                }
            })
            .collect();
        Some(Path {
            segs,
            text: text.to_string(),
        })
    }

    /// Whether a concrete pointer (as tokens) is matched by this path.
    pub fn matches(&self, toks: &[&str]) -> bool {
        self.segs.len() == toks.len()
            && self.segs.iter().zip(toks).all(|(s, t)| match s {
                PathSeg::Any => t.parse::<usize>().is_ok(),
                PathSeg::Key(k) => k == t,
            })
    }

    /// The value at a path without wildcards (the first array item where a `*` stands).
    pub fn get<'d, D: Doc>(&self, root: &'d D) -> Option<&'d D> {
        let mut node = root;
        for seg in &self.segs {
            node = match seg {
                PathSeg::Key(k) => node.get(k)?,
                PathSeg::Any => node.items().first()?,
            };
        }
        Some(node)
    }
}

/// The values at the fixed paths (no `*` needed) that conditions and table lookups read, resolved
/// at most once per run: `slot` numbers are given out by [`super::cond::SlotTable`] when an engine compiles.
///
/// The first `INLINE` slots and the first `INLINE_TESTS` tests live in the struct itself (bit
/// sets say which are known), so a run of the built-in packs allocates nothing here; numbers past
/// those go to vectors that are empty otherwise.
pub struct Slots<'d, D: Doc> {
    root: &'d D,
    /// Bit `i`: slot `i < INLINE` is resolved, its value in `values[i]`.
    known: Cell<u64>,
    values: [Cell<Option<&'d D>>; INLINE],
    /// Slots from `INLINE` on. `None`: not resolved yet; `Some(None)`: the path names nothing.
    more: Vec<Cell<Option<Option<&'d D>>>>,
    /// Results of the field tests of conditions (numbered by [`super::cond::SlotTable::test`]), bit `i` for
    /// test `i < INLINE_TESTS`: evaluated, and true. One test is shared by many conditions
    /// (`datastore/type` is in the engines table), so each is evaluated at most once per run.
    tested: Cell<u64>,
    held: Cell<u64>,
    /// Tests from `INLINE_TESTS` on: 0 not yet evaluated, 1 false, 2 true.
    more_tests: Vec<Cell<u8>>,
    /// The number of tests (a test number past it is evaluated each time).
    tests: usize,
}

/// Slots kept in the struct itself, and tests kept in its bit sets (at most 64).
const INLINE: usize = 16;
const INLINE_TESTS: usize = 64;

impl<'d, D: Doc> Slots<'d, D> {
    pub fn new(root: &'d D, count: usize) -> Self {
        Self::with_tests(root, count, 0)
    }

    pub fn with_tests(root: &'d D, count: usize, tests: usize) -> Self {
        Slots {
            root,
            known: Cell::new(0),
            values: [const { Cell::new(None) }; INLINE],
            more: overflow(count.saturating_sub(INLINE), None),
            tested: Cell::new(0),
            held: Cell::new(0),
            more_tests: overflow(tests.saturating_sub(INLINE_TESTS), 0),
            tests,
        }
    }

    /// The result of field test `test`, computed by `eval` the first time.
    #[inline(always)]
    pub fn test(&self, test: usize, eval: impl FnOnce() -> bool) -> bool {
        if test >= self.tests {
            return eval();
        }
        if test < INLINE_TESTS {
            let bit = 1u64 << test;
            if self.tested.get() & bit != 0 {
                return self.held.get() & bit != 0;
            }
            let v = eval();
            self.tested.set(self.tested.get() | bit);
            if v {
                self.held.set(self.held.get() | bit);
            }
            return v;
        }
        let cell = &self.more_tests[test - INLINE_TESTS];
        match cell.get() {
            1 => false,
            2 => true,
            _ => {
                let v = eval();
                cell.set(if v { 2 } else { 1 });
                v
            }
        }
    }

    /// Record what the path of `slot` names (the visit met it): later reads need no search.
    pub fn set(&self, slot: usize, value: Option<&'d D>) {
        if let Some(cell) = self.values.get(slot) {
            cell.set(value);
            self.known.set(self.known.get() | 1 << slot);
        } else if let Some(cell) = self.more.get(slot - INLINE) {
            cell.set(Some(value));
        }
    }

    /// The value at `path` (whose slot is `slot`), from the cache when already resolved.
    #[inline(always)]
    pub fn get(&self, slot: usize, path: &Path) -> Option<&'d D> {
        if let Some(cell) = self.values.get(slot) {
            if self.known.get() & 1 << slot != 0 {
                return cell.get();
            }
            let v = path.get(self.root);
            self.set(slot, v);
            return v;
        }
        match self.more.get(slot - INLINE) {
            Some(cell) => match cell.get() {
                Some(v) => v,
                None => {
                    let v = path.get(self.root);
                    cell.set(Some(v));
                    v
                }
            },
            None => path.get(self.root),
        }
    }
}

/// `n` cells holding `v`: for the slots and tests past the inline ones, none in the built-in
/// packs' runs (an empty `Vec` is then made without going through `vec!`'s fill).
fn overflow<T: Copy>(n: usize, v: T) -> Vec<Cell<T>> {
    if n == 0 {
        return Vec::new();
    }
    vec![Cell::new(v); n]
}

/// One step of a concrete location inside a document, borrowed from the document or the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Append one segment to a pointer: `/` and the escaped key, or `/` and the index.
pub fn push_seg(out: &mut String, seg: &Seg<'_>) {
    out.push('/');
    match seg {
        Seg::Key(k) => crate::json::push_token(out, k),
        Seg::Index(i) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{i}");
        }
    }
}
