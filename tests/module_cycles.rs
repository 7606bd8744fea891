//! No import circle between the modules of src/: a module may use its own submodules and any
//! module that does not, directly or through others, use it back.
//!
//! Each file's paths (`crate::a::b`, `super::c`, `self::d`, in `use` lines and in code) are
//! resolved to the module they name; a reference between two modules counts between the two
//! siblings that contain them (`json::parser` using `crate::template` is `json` using
//! `template`), and a module using its parent or its child is no circle. A name brought in by a
//! `use` (`crate::Api`, which the root re-exports from `api`) counts as the module it comes
//! from. Comments, string literals and inline `#[cfg(test)] mod tests` blocks are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Where a reference was written: file and line.
type Site = (PathBuf, usize);

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // Test-only module trees (`#[cfg(test)] mod tests;`).
            if path.file_name().unwrap() != "tests" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `lib.rs` and `main.rs` are the root.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut segs: Module = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

/// The code of a file without comments, string and char literals, and inline test modules.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if text[i..].starts_with("//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(b.len(), |e| e + 2);
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if text[i..].starts_with("r#\"") {
            i += text[i + 3..].find("\"#").map_or(b.len(), |e| e + 5);
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3; // 'x'
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            i += text[i + 2..].find('\'').map_or(b.len(), |e| e + 3); // '\n', '\u{..}'
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The `crate::`, `super::` and `self::` paths in `code`, each with its line, as segments.
fn paths_in(code: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = ["crate::", "super::", "self::"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
        {
            let before = rest[..at].chars().next_back();
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                let segs: Vec<&str> = tail[..end].split("::").filter(|s| !s.is_empty()).collect();
                out.push((n + 1, segs));
            }
            rest = &tail[end.max(1)..];
        }
    }
    out
}

/// The names each module's `use` declarations bring in, with the path each names: so that
/// `crate::Api`, re-exported by the root from `api`, is `api`.
type Aliases = BTreeMap<(Module, String), Vec<String>>;

fn uses_in(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for decl in code.split(';') {
        let decl = decl.trim();
        let Some(at) = decl.find("use ").filter(|&at| {
            let before = decl[..at].trim();
            before.is_empty() || before.starts_with("pub") && !before.contains(['{', '}', '='])
        }) else {
            continue;
        };
        let tree: String = decl[at + 4..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        flatten(&tree, &mut Vec::new(), &mut out);
    }
    out
}

/// `a::{b, c::{d as e, self}}` into (name, path) pairs.
fn flatten(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let n = prefix.len();
        prefix.extend(head);
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    flatten(&inner[start..i], prefix, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        flatten(&inner[start..], prefix, out);
        prefix.truncate(n);
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p.trim(), Some(a.trim())),
        None => (tree, None),
    };
    let mut full = prefix.clone();
    full.extend(
        path.split("::")
            .filter(|s| !s.is_empty() && *s != "self")
            .map(str::to_string),
    );
    if let Some(name) = alias.or(full.last().map(String::as_str)) {
        if name != "*" && name != "_" && !full.is_empty() {
            out.push((name.to_string(), full.clone()));
        }
    }
}

/// The module a path names: its longest prefix that is a module, following `use` aliases.
fn resolve(from: &Module, segs: &[&str], modules: &BTreeSet<Module>, aliases: &Aliases) -> Module {
    resolve_at(from, segs, modules, aliases, 0)
}

fn resolve_at(
    from: &Module,
    segs: &[&str],
    modules: &BTreeSet<Module>,
    aliases: &Aliases,
    depth: usize,
) -> Module {
    let mut at: Module = from.clone();
    let mut segs = segs.iter().peekable();
    match segs.peek() {
        Some(&&"crate") => at.clear(),
        Some(&&"super") => {
            while segs.peek() == Some(&&"super") {
                segs.next();
                at.pop();
            }
        }
        Some(&&"self") => {}
        // A relative `use` path: a child module of `from`, or another crate.
        Some(s) if modules.contains(&[from.clone(), vec![s.to_string()]].concat()) => {}
        _ => return from.clone(),
    }
    if matches!(segs.peek(), Some(&&"crate" | &&"self")) {
        segs.next();
    }
    for s in segs {
        at.push(s.to_string());
        if modules.contains(&at) {
            continue;
        }
        at.pop();
        if let Some(path) = aliases
            .get(&(at.clone(), s.to_string()))
            .filter(|_| depth < 8)
        {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            return resolve_at(&at, &path, modules, aliases, depth + 1);
        }
        break;
    }
    at
}

/// The two siblings under the deepest module containing both, or `None` when one contains the
/// other.
fn siblings(a: &Module, b: &Module) -> Option<(Module, Module)> {
    let k = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (k < a.len() && k < b.len()).then(|| (a[..=k].to_vec(), b[..=k].to_vec()))
}

/// The edges between sibling modules, each with one place that makes it.
fn graph(src: &Path) -> BTreeMap<Module, BTreeMap<Module, Site>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(src, f)).collect();
    let codes: Vec<String> = files
        .iter()
        .map(|f| code_of(&std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut aliases = Aliases::new();
    for (file, code) in files.iter().zip(&codes) {
        for (name, path) in uses_in(code) {
            aliases.insert((module_of(src, file), name), path);
        }
    }
    let mut edges: BTreeMap<Module, BTreeMap<Module, Site>> = BTreeMap::new();
    for (file, code) in files.iter().zip(&codes) {
        let from = module_of(src, file);
        for (line, segs) in paths_in(code) {
            let to = resolve(&from, &segs, &modules, &aliases);
            if let Some((a, b)) = siblings(&from, &to) {
                let site = (file.strip_prefix(src).unwrap().to_path_buf(), line);
                edges.entry(a).or_default().entry(b).or_insert(site);
            }
        }
    }
    edges
}

/// Every circle, as the modules on it (a shortest one through each module that is on one).
fn circles(edges: &BTreeMap<Module, BTreeMap<Module, Site>>) -> Vec<Vec<Module>> {
    let mut found: BTreeSet<Vec<Module>> = BTreeSet::new();
    for start in edges.keys() {
        // Breadth-first from `start` back to it.
        let mut prev: BTreeMap<&Module, &Module> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        'search: while let Some(m) = queue.pop_front() {
            for next in edges.get(m).into_iter().flat_map(|e| e.keys()) {
                if next == start {
                    let mut cycle = vec![m.clone()];
                    let mut at = m;
                    while at != start {
                        at = prev[at];
                        cycle.push(at.clone());
                    }
                    cycle.reverse();
                    // One rotation per circle: starting at its least module.
                    let least = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap();
                    cycle.rotate_left(least);
                    found.insert(cycle);
                    break 'search;
                }
                if !prev.contains_key(next) {
                    prev.insert(next, m);
                    queue.push_back(next);
                }
            }
        }
    }
    found.into_iter().collect()
}

fn describe(cycle: &[Module], edges: &BTreeMap<Module, BTreeMap<Module, Site>>) -> String {
    let name = |m: &Module| m.join("::");
    let mut s = String::new();
    for (i, m) in cycle.iter().enumerate() {
        let next = &cycle[(i + 1) % cycle.len()];
        let (file, line) = &edges[m][next];
        s += &format!(
            "\n  {} uses {} ({}:{line})",
            name(m),
            name(next),
            file.display()
        );
    }
    s
}

#[test]
fn no_import_circle_between_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = graph(&src);
    // The walk sees the crate: a few edges every version of it has.
    assert!(edges[&vec!["linter".to_string()]].contains_key(&vec!["engine".to_string()]));
    let found = circles(&edges);
    let text: Vec<String> = found.iter().map(|c| describe(c, &edges)).collect();
    assert!(found.is_empty(), "import circles:{}", text.join("\n"));
}

#[test]
fn the_detector_finds_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "mod a;\nmod b;\npub use b::{g, h as H};\n",
    )
    .unwrap();
    std::fs::write(src.join("a/mod.rs"), "mod inner;\n").unwrap();
    // A use through a child module, in code, after a comment and a string naming other paths.
    std::fs::write(
        src.join("a/inner.rs"),
        "// crate::c\nfn f() { let _ = \"crate::d\"; crate::b::g(); }\n",
    )
    .unwrap();
    std::fs::write(src.join("b.rs"), "use super::a::inner::f;\n").unwrap();
    let edges = graph(src);
    let found = circles(&edges);
    assert_eq!(found, [vec![vec!["a".to_string()], vec!["b".to_string()]]]);
    assert!(describe(&found[0], &edges).contains("a/inner.rs:2"));
    // Without the way back, no circle; a child using its parent is none either.
    std::fs::write(src.join("b.rs"), "fn g() {}\n").unwrap();
    std::fs::write(src.join("a/inner.rs"), "use super::X; use crate::b::g;\n").unwrap();
    assert!(circles(&graph(src)).is_empty());
    // Through a name the root re-exports, the way back is seen.
    std::fs::write(src.join("b.rs"), "fn g() { crate::a::X; }\n").unwrap();
    std::fs::write(src.join("a/inner.rs"), "fn f() { crate::H(); }\n").unwrap();
    assert_eq!(circles(&graph(src)).len(), 1);
}
