//! No user-facing text names a document outside the repository: not the working notes the
//! project was specified in ("SPEC", "SPEC decision N"), not a path beside the clone
//! ("shared/", "seeds/"), not the file names the reference pages were stored under
//! (`NNN_<16 hex digits>.txt`). A user who installs the crate or clones the repository has none of
//! them; what the project knows of the pages is in docs/reading-the-pages.md and the packs'
//! sources name each page by title and edition.
//!
//! Checked: the rule packs, rules/README.md, README.md, docs/, the browser package's sources,
//! typings and demo, the pre-commit hook definitions, and the CLI's output: `explain` for every
//! rule (en, zh; json for two), `rules` (human, json, en, zh), `--help` of every command, and SARIF.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `s` holds `NNN_` followed by 16 lower-case hex digits and `.txt`.
fn has_page_file_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(24).any(|w| {
        w[..3].iter().all(u8::is_ascii_digit)
            && w[3] == b'_'
            && w[4..20]
                .iter()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
            && &w[20..] == b".txt"
    })
}

/// What is wrong with a text, if anything.
fn offences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = line.contains("SPEC")
            || line.contains("shared/")
            || line.contains("seeds/")
            || has_page_file_name(line);
        if bad {
            out.push(format!("line {}: {}", n + 1, line.trim()));
        }
    }
    out
}

fn check(what: &str, text: &str, failures: &mut Vec<String>) {
    for o in offences(text) {
        failures.push(format!("{what}: {o}"));
    }
}

fn files_under(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, exts, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
        {
            out.push(p);
        }
    }
}

#[test]
fn the_matcher_finds_what_it_must() {
    // Without this, a broken matcher would pass everything.
    assert!(!offences("why: see SPEC decision 4").is_empty());
    assert!(!offences("sources: ../shared/seeds/").is_empty());
    assert!(!offences("\"seed\": \"003_0b4f991b078d6d6a.txt\"").is_empty());
    assert!(!offences("a 000_b5978c9d523856fb.txt b").is_empty());
    assert!(offences("spec_code, a specification, 003_0b4f991b078d6d6a.json").is_empty());
    assert!(offences("docs/reading-the-pages.md#decision-4").is_empty());
}

#[test]
fn repository_texts_name_no_outside_document() {
    let r = root();
    let mut files = vec![
        r.join("README.md"),
        r.join("rules").join("README.md"),
        r.join(".pre-commit-hooks.yaml"),
    ];
    files_under(&r.join("rules"), &["json"], &mut files);
    files_under(&r.join("docs"), &["md"], &mut files);
    for sub in ["js", "demo", "src"] {
        files_under(
            &r.join("wasm").join(sub),
            &["js", "mjs", "ts", "html", "css", "rs"],
            &mut files,
        );
    }
    assert!(files.len() >= 12, "{files:?}");
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let name = f.strip_prefix(&r).unwrap_or(f).display().to_string();
        check(&name, &text, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"))
        .current_dir(root())
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run hcdb-lint");
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    s
}

#[test]
fn cli_output_names_no_outside_document() {
    let mut failures = Vec::new();
    let linter = hcdb_lint::Linter::default_ref();
    for r in linter.rules() {
        for args in [
            vec!["explain", r.id.as_str()],
            vec!["explain", r.id.as_str(), "--lang", "zh"],
        ] {
            let out = cli(&args);
            assert!(out.contains(&*r.name), "{args:?}: {out}");
            check(&args.join(" "), &out, &mut failures);
        }
    }
    for args in [
        vec!["rules"],
        vec!["rules", "--lang", "zh"],
        vec!["rules", "--format", "json"],
        vec!["explain", "GDB127", "--format", "json"],
        vec!["explain", "HC004", "--format", "json"],
        vec!["--help"],
        vec!["check", "--help"],
        vec!["rules", "--help"],
        vec!["explain", "--help"],
        vec!["schema", "--help"],
    ] {
        let out = cli(&args);
        check(&args.join(" "), &out, &mut failures);
    }
    // SARIF carries each used rule's documentation (fullDescription, help, helpUri): run it on
    // every example body, valid and invalid, and on the pages' own examples.
    for dir in ["examples", "tests/seed-examples"] {
        let out = cli(&["check", "--no-config", "--format", "sarif", dir]);
        assert!(out.contains("\"helpUri\""), "{dir}: {out}");
        check(&format!("sarif {dir}"), &out, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
