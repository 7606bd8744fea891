//! The fixture format (`tests/fixtures/<RULE_ID>/cases.json`) and its expansion into bodies.
//! Shared by the fixture runner, the registry test and `examples/corpus.rs` (included by path).

#![allow(dead_code)]

use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn examples_dir() -> PathBuf {
    repo_root().join("examples")
}

pub fn fixtures_dir() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// A JSON file from `examples/`.
pub fn example(name: &str) -> Value {
    read_json(&examples_dir().join(name))
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every `examples/*.json` file name, sorted.
pub fn example_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("examples/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    #[serde(default)]
    pub set: Map<String, Value>,
    #[serde(default)]
    pub remove: Vec<String>,
    /// Where a fire case must produce the rule.
    #[serde(default)]
    pub at: Option<String>,
    /// A fire case that one of the rule's observed acceptances covers: by default a warning
    /// that names the evidence (and the body is valid), under `strict` the rule's error.
    #[serde(default)]
    pub observed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub rule: String,
    pub api: String,
    pub base: String,
    #[serde(default)]
    pub context: Option<Map<String, Value>>,
    #[serde(default)]
    pub fire: Vec<Case>,
    #[serde(default)]
    pub pass: Vec<Case>,
}

/// Every fixture, sorted by rule id.
pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir(fixtures_dir()) else {
        return out;
    };
    for entry in dir.filter_map(|e| e.ok()) {
        let path = entry.path().join("cases.json");
        if !path.is_file() {
            continue;
        }
        let fx: Fixture = serde_json::from_value(read_json(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let folder = entry.file_name().to_string_lossy().into_owned();
        assert_eq!(
            folder,
            fx.rule,
            "{}: folder and `rule` differ",
            path.display()
        );
        out.push(fx);
    }
    out.sort_by(|a, b| a.rule.cmp(&b.rule));
    out
}

fn tokens(ptr: &str) -> Vec<String> {
    if ptr.is_empty() {
        return Vec::new();
    }
    let rest = ptr
        .strip_prefix('/')
        .unwrap_or_else(|| panic!("`{ptr}` is not a JSON Pointer"));
    rest.split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Delete the member at `ptr` (no-op when absent).
pub fn remove_at(doc: &mut Value, ptr: &str) {
    let toks = tokens(ptr);
    let Some((last, init)) = toks.split_last() else {
        *doc = Value::Null;
        return;
    };
    let mut node = doc;
    for t in init {
        node = match node {
            Value::Object(m) => match m.get_mut(t) {
                Some(n) => n,
                None => return,
            },
            Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(n) => n,
                None => return,
            },
            _ => return,
        };
    }
    match node {
        Value::Object(m) => {
            m.remove(last);
        }
        Value::Array(a) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Assign `value` at `ptr`, creating missing parent objects (`-` or the length appends to an array).
pub fn set_at(doc: &mut Value, ptr: &str, value: Value) {
    let toks = tokens(ptr);
    let Some((last, init)) = toks.split_last() else {
        *doc = value;
        return;
    };
    let mut node = doc;
    for t in init {
        if !node.is_object() && !node.is_array() {
            *node = Value::Object(Map::new());
        }
        node = match node {
            Value::Object(m) => m
                .entry(t.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(a) => {
                let i = if t == "-" {
                    a.len()
                } else {
                    t.parse().expect("array index")
                };
                if i == a.len() {
                    a.push(Value::Object(Map::new()));
                }
                &mut a[i]
            }
            _ => unreachable!(),
        };
    }
    if !node.is_object() && !node.is_array() {
        *node = Value::Object(Map::new());
    }
    match node {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse().expect("array index")
            };
            if i >= a.len() {
                a.push(value);
            } else {
                a[i] = value;
            }
        }
        _ => unreachable!(),
    }
}

/// The body of a case: the base with each `remove` deleted, then each `set` assigned.
pub fn build_body(fx: &Fixture, case: &Case) -> Value {
    let mut body = example(&fx.base);
    for p in &case.remove {
        remove_at(&mut body, p);
    }
    for (p, v) in &case.set {
        set_at(&mut body, p, v.clone());
    }
    body
}
