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
//!
//! Nor does a text speak of how the project was built (the runs made while developing it, the
//! machine they ran on, the numbers of the issues it was built from): README, CONTRIBUTING, the documentation
//! site's sources, the rule packs, the manifests, the scripts, the comments of the sources and
//! the headers of the tests and benches. Performance pages state their method and machine class.

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

/// Phrases that speak of the project's development rather than of the product. Each is written
/// in two pieces, so that this file does not hold the phrases it looks for.
const PROCESS_PHRASES: [&str; 12] = [
    concat!("this ", "session"),
    concat!("session", "'s"),
    concat!("th ", "session"),
    concat!("session", "s"),
    concat!("this ", "vm"),
    concat!("this ", "machine"),
    concat!("this ", "branch"),
    concat!("development ", "run"),
    concat!("last local ", "run"),
    concat!("at the last ", "commit"),
    concat!("before this ", "page"),
    concat!("lead", "'s"),
];

/// Whether `line` cites an issue by number: the word "issue" (or "issues") followed by a number,
/// with or without `#`, or a `#` and one or two digits after a space or an opening bracket.
fn cites_issue(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let b = lower.as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let after_issue = lower.match_indices("issue").any(|(i, _)| {
        let mut j = i + "issue".len();
        if b.get(j) == Some(&b's') {
            j += 1;
        }
        while matches!(b.get(j), Some(b' ') | Some(b'#')) {
            j += 1;
        }
        j > i + 5 && digit_at(j)
    });
    // `#` and one or two digits after a space or a bracket, not a colour (`#333`) or an anchor.
    let hash_number = b.iter().enumerate().any(|(i, &c)| {
        let digits = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        let end = b
            .get(i + 1 + digits)
            .is_none_or(|e| !e.is_ascii_alphanumeric());
        c == b'#'
            && (1..=2).contains(&digits)
            && end
            && (i == 0 || matches!(b[i - 1], b' ' | b'(' | b'['))
    });
    after_issue || hash_number
}

/// What in a text speaks of how the project was built, if anything.
fn process_offences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        if cites_issue(line) || PROCESS_PHRASES.iter().any(|p| lower.contains(p)) {
            out.push(format!("line {}: {}", n + 1, line.trim()));
        }
    }
    out
}

#[test]
fn the_process_matcher_finds_what_it_must() {
    // Written in pieces, so that this file does not hold what it looks for.
    for bad in [
        concat!("Against the targets of issue ", "#", "5"),
        concat!("(issue ", "6)"),
        concat!("before issues ", "#", "4 and ", "#", "5"),
        concat!("figures from the sixth ", "session"),
        concat!("measured on this ", "session's VM"),
        concat!("Start-up: 5.2 ms on this ", "VM"),
        concat!("fixed in the lead", "'s review"),
        concat!("see ", "#", "23"),
    ] {
        assert!(!process_offences(bad).is_empty(), "{bad}");
    }
    for good in [
        "docs/reading-the-pages.md#decision-10",
        "a 2-core x86-64 virtual machine",
        "`--format github` prints workflow commands",
        "the language server session ends on exit",
        "color: #333",
        "rules[#] and an issue tracker",
    ] {
        assert!(process_offences(good).is_empty(), "{good}");
    }
}

/// The leading comment block of a source file (its `//!` or `//` header).
fn header(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim_start().starts_with("//") || l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every comment line of a Rust source (`//`, `///`, `//!`).
fn comments(text: &str) -> String {
    text.lines()
        .filter_map(|l| l.find("//").map(|i| &l[i..]))
        .filter(|c| !c.starts_with("//\"") && !c.contains("://"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_text_speaks_of_how_the_project_was_built() {
    let r = root();
    let mut whole = vec![
        r.join("README.md"),
        r.join("CONTRIBUTING.md"),
        r.join("Cargo.toml"),
        r.join("wasm").join("Cargo.toml"),
        r.join("book.toml"),
        r.join("pyproject.toml"),
        r.join("python").join("pyproject.toml"),
        r.join(".pre-commit-hooks.yaml"),
        r.join("rules").join("README.md"),
    ];
    files_under(&r.join("docs"), &["md", "json"], &mut whole);
    files_under(&r.join("rules"), &["json"], &mut whole);
    files_under(
        &r.join("scripts"),
        &["sh", "py", "mjs", "js", "html"],
        &mut whole,
    );
    let mut sources = Vec::new();
    files_under(&r.join("src"), &["rs"], &mut sources);
    files_under(&r.join("wasm").join("src"), &["rs"], &mut sources);
    sources.push(r.join("build.rs"));
    let mut headed = Vec::new();
    files_under(&r.join("tests"), &["rs"], &mut headed);
    files_under(&r.join("benches"), &["rs"], &mut headed);
    files_under(&r.join("wasm").join("test"), &["mjs"], &mut headed);
    files_under(&r.join("wasm").join("bench"), &["mjs"], &mut headed);
    assert!(whole.len() + sources.len() + headed.len() > 150);
    let mut failures = Vec::new();
    let mut check = |f: &PathBuf, text: String| {
        let name = f.strip_prefix(&r).unwrap_or(f).display().to_string();
        for o in process_offences(&text) {
            failures.push(format!("{name}: {o}"));
        }
    };
    for f in &whole {
        check(
            f,
            std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())),
        );
    }
    for f in &sources {
        check(f, comments(&std::fs::read_to_string(f).unwrap_or_default()));
    }
    for f in &headed {
        check(f, header(&std::fs::read_to_string(f).unwrap_or_default()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        readme.len() <= 12 * 1024,
        "README.md is {} bytes: at most 12 KB",
        readme.len()
    );
    // The two commands.
    assert!(readme.contains("cargo run --release -- check examples/"));
    assert!(readme.contains("bash scripts/test.sh"));
    // Each way in, and links into the site.
    for way in [
        "### Command line",
        "### pre-commit",
        "### Editor",
        "### Browser",
        "### Crate",
    ] {
        assert!(readme.contains(way), "{way}");
    }
    assert!(readme.contains("](docs/") && readme.contains("](CONTRIBUTING.md)"));
}
