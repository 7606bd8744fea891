//! The audit of the stored reference facts against the reference pages themselves.
//!
//! The tests read what they need from the pages out of `tests/data/reference/pages.json`, so the
//! repository stands alone. This audit re-reads the pages' text, when it is at hand, and fails if
//! the stored facts differ from it: each page's title, edition date and endpoint; each request
//! table's parameters, mandatory flags and types; where each body table sits; the response
//! tables' titles; and the example requests (each stored example a verbatim copy of one in its
//! page, as many as the page has). Without the pages it prints one line saying that it did not run
//! and why, and passes: it can check nothing, and it says so.
//!
//! The pages are looked for in `$HCDB_REFERENCE_PAGES`, else in `../shared/seeds` beside the
//! repository. `UPDATE_REFERENCE_DATA=1` rewrites the stored tables from the pages (keeping the
//! stored page descriptions, which the audit then checks).
//!
//! A plain `main` (`harness = false` in Cargo.toml) rather than `#[test]`s, so that its one line
//! is printed by `cargo test` instead of captured.

mod common;

use common::reference::{page_texts, pages_dir, read_page, Page, Reference};
use std::process::ExitCode;

fn main() -> ExitCode {
    const NAME: &str = "reference_audit";
    let dir = match pages_dir() {
        Err(e) => {
            println!("{NAME}: FAILED: {e}");
            return ExitCode::FAILURE;
        }
        Ok(Err(why)) => {
            println!(
                "{NAME}: did not run: {why}; the tests used the facts stored in tests/data/reference/"
            );
            return ExitCode::SUCCESS;
        }
        Ok(Ok(dir)) => dir,
    };
    match audit(&dir) {
        Ok(n) => {
            println!(
                "{NAME}: {n} pages in {} re-read; the stored facts match them",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(failures) => {
            println!("{NAME}: FAILED against the pages in {}:", dir.display());
            for f in failures {
                println!("  {f}");
            }
            ExitCode::FAILURE
        }
    }
}

fn audit(dir: &std::path::Path) -> Result<usize, Vec<String>> {
    let stored = Reference::load();
    let texts = page_texts(dir).map_err(|e| vec![e])?;
    let mut failures = Vec::new();
    let mut derived = stored.clone();
    for (i, page) in stored.pages.iter().enumerate() {
        // The page is found by what it says about itself, not by its file name.
        let found = texts.iter().find_map(|(name, text)| {
            let read = read_page(text, &page.body_tables).ok()?;
            (read.title == page.title && read.updated == page.updated).then_some((name, text, read))
        });
        let Some((name, text, read)) = found else {
            failures.push(format!(
                "no page titled `{}` updated {} among {} files",
                page.title,
                page.updated,
                texts.len()
            ));
            continue;
        };
        let d = &mut derived.pages[i];
        d.endpoint = read.endpoint;
        d.tables = read.tables;
        d.response_tables = read.response_tables;
        if d != page {
            failures.push(format!(
                "{} ({name}): {}",
                page.cited_as,
                first_difference(page, d)
            ));
        }
        check_examples(page, text, &mut failures);
    }
    check_every_example_is_listed(&stored, &mut failures);
    if std::env::var_os("UPDATE_REFERENCE_DATA").is_some() {
        let mut s = serde_json::to_string_pretty(&derived).expect("serializable");
        s.push('\n');
        std::fs::write(common::reference::data_path(), s).map_err(|e| vec![e.to_string()])?;
        println!("reference_audit: rewrote tests/data/reference/pages.json from the pages");
        return Ok(stored.pages.len());
    }
    if failures.is_empty() {
        Ok(stored.pages.len())
    } else {
        Err(failures)
    }
}

fn first_difference(stored: &Page, read: &Page) -> String {
    if stored.endpoint != read.endpoint {
        return format!(
            "endpoint: stored `{}`, page `{}`",
            stored.endpoint, read.endpoint
        );
    }
    if stored.response_tables != read.response_tables {
        return format!(
            "response tables: stored {:?}, page {:?}",
            stored.response_tables, read.response_tables
        );
    }
    let titles = |p: &Page| p.tables.iter().map(|t| t.title.clone()).collect::<Vec<_>>();
    if titles(stored) != titles(read) {
        return format!(
            "tables: stored {:?}, page {:?}",
            titles(stored),
            titles(read)
        );
    }
    for (s, r) in stored.tables.iter().zip(&read.tables) {
        if s != r {
            return format!(
                "{}: stored {}, page {}",
                s.title,
                serde_json::to_string(s).unwrap_or_default(),
                serde_json::to_string(r).unwrap_or_default()
            );
        }
    }
    "differs".to_string()
}

/// Each stored example is a verbatim copy of one in its page, and the page has as many as are
/// stored (each example body starts with a `{` line of its own in the "Example Request" part).
fn check_examples(page: &Page, text: &str, failures: &mut Vec<String>) {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let page_squashed = squash(text);
    let dir = common::fixtures::repo_root()
        .join("tests")
        .join("seed-examples");
    for ex in &page.examples {
        match std::fs::read_to_string(dir.join(ex)) {
            Ok(body) if page_squashed.contains(&squash(&body)) => {}
            Ok(_) => failures.push(format!(
                "{}: tests/seed-examples/{ex} is not a verbatim copy of an example on the page",
                page.cited_as
            )),
            Err(e) => failures.push(format!("tests/seed-examples/{ex}: {e}")),
        }
    }
    let mut in_examples = false;
    let mut count = 0;
    for l in text.lines().map(str::trim) {
        if l == "Example Request" || l == "请求示例" {
            in_examples = true;
        } else if l == "Example Response" || l == "响应示例" {
            in_examples = false;
        } else if in_examples && l == "{" {
            count += 1;
        }
    }
    if count != page.examples.len() {
        failures.push(format!(
            "{}: the page has {count} example requests, {} are stored",
            page.cited_as,
            page.examples.len()
        ));
    }
}

/// Every file in `tests/seed-examples/` belongs to exactly one page.
fn check_every_example_is_listed(stored: &Reference, failures: &mut Vec<String>) {
    let dir = common::fixtures::repo_root()
        .join("tests")
        .join("seed-examples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        failures.push(format!("cannot read {}", dir.display()));
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let owners = stored
            .pages
            .iter()
            .filter(|p| p.examples.contains(&name))
            .count();
        if owners != 1 {
            failures.push(format!(
                "tests/seed-examples/{name} is listed by {owners} pages"
            ));
        }
    }
}
