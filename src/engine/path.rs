//! Target paths (JSON Pointers with `*` for "every array item") and RFC 6901 pointers built only
//! when a finding needs one.

use super::doc::Doc;

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
/// at most once per run: `slot` numbers are given out by [`SlotTable`] when an engine compiles.
pub struct Slots<'d, D: Doc> {
    root: &'d D,
    /// `None`: not resolved yet; `Some(None)`: the path names nothing.
    cache: Vec<std::cell::Cell<Option<Option<&'d D>>>>,
    /// Results of the field tests of conditions (numbered by [`SlotTable::test`]): 0 not yet
    /// evaluated, 1 false, 2 true. One test is shared by many conditions (`datastore/type` is in
    /// the engines table), so each is evaluated at most once per run.
    tests: Vec<std::cell::Cell<u8>>,
}

impl<'d, D: Doc> Slots<'d, D> {
    pub fn new(root: &'d D, count: usize) -> Self {
        Self::with_tests(root, count, 0)
    }

    pub fn with_tests(root: &'d D, count: usize, tests: usize) -> Self {
        Slots {
            root,
            cache: vec![std::cell::Cell::new(None); count],
            tests: vec![std::cell::Cell::new(0); tests],
        }
    }

    /// The result of field test `test`, computed by `eval` the first time.
    pub fn test(&self, test: usize, eval: impl FnOnce() -> bool) -> bool {
        match self.tests.get(test) {
            Some(cell) => match cell.get() {
                1 => false,
                2 => true,
                _ => {
                    let v = eval();
                    cell.set(if v { 2 } else { 1 });
                    v
                }
            },
            None => eval(),
        }
    }

    /// Record what the path of `slot` names (the visit met it): later reads need no search.
    pub fn set(&self, slot: usize, value: Option<&'d D>) {
        if let Some(cell) = self.cache.get(slot) {
            cell.set(Some(value));
        }
    }

    /// The value at `path` (whose slot is `slot`), from the cache when already resolved.
    pub fn get(&self, slot: usize, path: &Path) -> Option<&'d D> {
        match self.cache.get(slot) {
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

/// Hands out one slot number per distinct path while an engine compiles.
#[derive(Debug, Default)]
pub struct SlotTable {
    paths: Vec<Path>,
    tests: Vec<(String, super::cond::Test)>,
}

impl SlotTable {
    /// One number per distinct condition field test (a path and a test on it).
    pub fn test(&mut self, path: &str, test: &super::cond::Test) -> usize {
        match self.tests.iter().position(|(p, t)| p == path && t == test) {
            Some(i) => i,
            None => {
                self.tests.push((path.to_string(), test.clone()));
                self.tests.len() - 1
            }
        }
    }

    pub fn test_count(&self) -> usize {
        self.tests.len()
    }

    pub fn slot(&mut self, path: &Path) -> usize {
        match self.paths.iter().position(|p| p.text == path.text) {
            Some(i) => i,
            None => {
                self.paths.push(path.clone());
                self.paths.len() - 1
            }
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// The paths, by slot number.
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// One step of a concrete location inside a document, borrowed from the document or the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Escape and join segments into an RFC 6901 pointer.
pub fn pointer(segs: &[Seg<'_>]) -> String {
    let len = segs
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.len() + 1,
            Seg::Index(_) => 4,
        })
        .sum();
    let mut out = String::with_capacity(len);
    for s in segs {
        out.push('/');
        match s {
            Seg::Key(k) => crate::json::push_token(&mut out, k),
            Seg::Index(i) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{i}");
            }
        }
    }
    out
}
