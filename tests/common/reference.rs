//! What the tests know of the reference pages, kept in the repository as the project's own data
//! (`tests/data/reference/pages.json`): each page's title, edition and endpoint, each request
//! table's parameters with their mandatory flag and type, where each body table sits in the
//! request (a JSON Pointer prefix), the response tables' titles, and the page's example requests
//! (files in `tests/seed-examples/`).
//!
//! The same module reads a page's text into that shape, for the audit (`tests/reference_audit.rs`)
//! that re-reads the pages themselves when they are at hand and checks the stored data against
//! them.

#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the stored facts are.
pub fn data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("reference")
        .join("pages.json")
}

/// The environment variable naming a directory that holds the pages' text, for the audit.
pub const PAGES_ENV: &str = "HCDB_REFERENCE_PAGES";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub about: String,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The API id of the project (`ddm-create-instance`, ...).
    pub api: String,
    /// The page's own title, as printed at its top.
    pub title: String,
    /// The reference the page belongs to and its language.
    pub reference: String,
    pub language: String,
    /// The page's "Updated on" date: its edition.
    pub updated: String,
    /// How the rule packs cite the page (`source.page`, the packs' `sources`).
    pub cited_as: String,
    /// The method and path, as the page prints them.
    pub endpoint: String,
    /// The numbers of the request-body tables (the body table first).
    pub body_tables: Vec<u32>,
    /// The page's example requests, in `tests/seed-examples/`, in page order.
    pub examples: Vec<String>,
    /// The request tables (URI, header and body parameters), in page order.
    pub tables: Vec<Table>,
    /// The response tables' titles (not read, but cited once).
    pub response_tables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub number: u32,
    pub title: String,
    /// For a body table, the pointer of the member it describes (`""` for the body itself,
    /// `/flavor/*` for the items of `flavor`); absent for URI and header tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub parameters: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    /// `null` where the page leaves its mandatory column empty (the Chinese DDM edition).
    pub mandatory: Option<bool>,
    #[serde(rename = "type")]
    pub ty: String,
}

impl Reference {
    pub fn load() -> Reference {
        let path = data_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
    }

    pub fn pages_of<'a>(&'a self, api: &'a str) -> impl Iterator<Item = &'a Page> + 'a {
        self.pages.iter().filter(move |p| p.api == api)
    }

    pub fn cited(&self, cited_as: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.cited_as == cited_as)
    }
}

impl Page {
    pub fn table(&self, title: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.title == title)
    }

    /// Every body parameter's pointer, with the title of its table.
    pub fn body_pointers(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in &self.tables {
            if let Some(base) = &t.pointer {
                for p in &t.parameters {
                    out.push((format!("{base}/{}", p.name), t.title.clone()));
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------- reading a page's text

/// A row as read from the text: the parameter, its mandatory flag, type and description.
struct Row {
    name: String,
    mandatory: Option<bool>,
    ty: String,
    desc: String,
}

/// What a page's text says about itself: title, edition date, endpoint, tables.
pub struct Read {
    pub title: String,
    pub updated: String,
    pub endpoint: String,
    pub tables: Vec<Table>,
    pub response_tables: Vec<String>,
}

fn heading(l: &str) -> Option<u32> {
    let rest = l.strip_prefix("Table ").or_else(|| l.strip_prefix("表"))?;
    let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    n.parse().ok()
}

fn is_param(l: &str, header: bool) -> bool {
    let mut cs = l.chars();
    if header {
        // Header names: `X-Auth-Token`.
        return cs.next().is_some_and(|c| c.is_ascii_alphabetic())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    }
    cs.next().is_some_and(|c| c.is_ascii_lowercase())
        && l.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_type(l: &str) -> bool {
    matches!(l, "String" | "Integer" | "Boolean" | "Long" | "object")
        || l.ends_with(" object")
        || l.starts_with("Array of")
}

/// Read a page's text. `body_tables` are the numbers of its request-body tables, the body first.
pub fn read_page(text: &str, body_tables: &[u32]) -> Result<Read, String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let updated = lines
        .first()
        .and_then(|l| {
            l.strip_prefix("Updated on ")
                .or_else(|| l.strip_prefix("更新时间:"))
        })
        .and_then(|l| l.split_whitespace().next())
        .ok_or("the first line is not an \"Updated on\" date")?
        .to_string();
    let title = lines.get(1).ok_or("no title")?.to_string();
    let endpoint = lines
        .iter()
        .find(|l| l.starts_with("POST "))
        .ok_or("no POST line")?
        .to_string();
    let mut tables: Vec<(u32, String, Vec<Row>)> = Vec::new();
    let mut response_tables = Vec::new();
    let mut in_response = false;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l == "Response Parameters" || l == "响应参数" {
            in_response = true;
        }
        let Some(num) = heading(l) else {
            i += 1;
            continue;
        };
        if in_response {
            response_tables.push(l.to_string());
            i += 1;
            continue;
        }
        let title = l.to_string();
        let header = title.contains("header") || title.contains("Header");
        i += 1;
        let mut rows = Vec::new();
        while i < lines.len() && heading(lines[i]).is_none() {
            let l = lines[i];
            if l == "Response Parameters" || l == "响应参数" {
                break;
            }
            // A row: the name, then (English) Yes/No, then the type; the Chinese page leaves
            // the mandatory column empty.
            let (mandatory, ty_at) = match lines.get(i + 1) {
                Some(&"Yes") => (Some(true), i + 2),
                Some(&"No") => (Some(false), i + 2),
                _ => (None, i + 1),
            };
            if is_param(l, header) && lines.get(ty_at).is_some_and(|t| is_type(t)) {
                let desc: Vec<&str> = lines[ty_at + 1..]
                    .iter()
                    .take_while(|x| !is_param(x, header) && heading(x).is_none())
                    .copied()
                    .collect();
                rows.push(Row {
                    name: l.to_string(),
                    mandatory,
                    ty: lines[ty_at].to_string(),
                    desc: desc.join("\n"),
                });
                i = ty_at + 1;
                continue;
            }
            i += 1;
        }
        tables.push((num, title, rows));
    }
    let pointers = body_pointers(&tables, body_tables)?;
    Ok(Read {
        title,
        updated,
        endpoint,
        tables: tables
            .into_iter()
            .map(|(number, title, rows)| Table {
                number,
                pointer: pointers.get(&number).cloned(),
                title,
                parameters: rows
                    .into_iter()
                    .map(|r| Param {
                        name: r.name,
                        mandatory: r.mandatory,
                        ty: r.ty,
                    })
                    .collect(),
            })
            .collect(),
        response_tables,
    })
}

/// Where each body table sits: a sub-table belongs to the parameter whose type names it
/// (`Datastore object`, `Array of Flavor objects`) or whose description cites it ("Table 5.").
fn body_pointers(
    tables: &[(u32, String, Vec<Row>)],
    wanted: &[u32],
) -> Result<BTreeMap<u32, String>, String> {
    let mut prefix: BTreeMap<u32, String> = BTreeMap::new();
    let first = *wanted.first().ok_or("no body table given")?;
    prefix.insert(first, String::new());
    for (num, title, rows) in tables.iter().filter(|t| wanted.contains(&t.0)) {
        if rows.is_empty() {
            return Err(format!("table {title} has no parameters"));
        }
        let base = prefix
            .get(num)
            .cloned()
            .ok_or_else(|| format!("no parameter refers to table {title}"))?;
        for r in rows {
            let ptr = format!("{base}/{}", r.name);
            for (n2, t2, _) in tables.iter().filter(|t| wanted.contains(&t.0)) {
                let name = t2
                    .split_whitespace()
                    .nth(if t2.starts_with("Table") { 2 } else { 1 })
                    .unwrap_or("");
                let names_it = r.ty == format!("{name} object")
                    || r.ty == format!("Array of {name} objects")
                    || r.desc.contains(&format!("Table {n2}."));
                if n2 != num && names_it && !prefix.contains_key(n2) {
                    let child = if r.ty.starts_with("Array of") {
                        format!("{ptr}/*")
                    } else {
                        ptr.clone()
                    };
                    prefix.insert(*n2, child);
                }
            }
        }
    }
    for n in wanted {
        if !prefix.contains_key(n) {
            return Err(format!("body table {n} is not on the page"));
        }
    }
    Ok(prefix)
}

/// Where the pages' text is, for the audit: `$HCDB_REFERENCE_PAGES` (which must then be a
/// directory), else `../shared/seeds` beside the repository. `Ok(Err(why))`: no pages, and why;
/// `Err`: the variable names no directory, which is a failure, not a reason to skip.
pub fn pages_dir() -> Result<Result<PathBuf, String>, String> {
    if let Some(dir) = std::env::var_os(PAGES_ENV) {
        let dir = PathBuf::from(dir);
        return if dir.is_dir() {
            Ok(Ok(dir))
        } else {
            Err(format!("{PAGES_ENV}={} is not a directory", dir.display()))
        };
    }
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("seeds");
    if beside.is_dir() {
        Ok(Ok(beside))
    } else {
        Ok(Err(format!(
            "the reference pages are not here ({PAGES_ENV} is unset and {} does not exist)",
            beside.display()
        )))
    }
}

/// The text of every `*.txt` file in `dir`, by file name.
pub fn page_texts(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            let text = std::fs::read_to_string(e.path()).map_err(|e| format!("{name}: {e}"))?;
            out.push((name, text));
        }
    }
    out.sort();
    Ok(out)
}
