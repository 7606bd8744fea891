//! Nothing lost: the CLI on a mix of good files, bad files, unreadable inputs,
//! directories, symlink loops, empty and binary files. Every input gets exactly one verdict,
//! the exit code reflects the worst, and the summary counts add up (`--format json`).
#![cfg(all(feature = "cli", unix))]

use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hcdb-lint");

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, bytes).unwrap();
}

struct Run {
    code: i32,
    doc: Value,
    stderr: String,
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("check")
        .arg("--no-config")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run hcdb-lint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--format json is not JSON ({e}):\n{stdout}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        doc,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// file -> its diagnostics as `rule:severity`; fails if a file appears twice.
fn verdicts(doc: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for f in doc["files"].as_array().expect("files") {
        let name = f["file"].as_str().expect("file name").replace('\\', "/");
        let mut rules: Vec<String> = f["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                format!(
                    "{}:{}",
                    d["rule"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                )
            })
            .collect();
        // Skipped (not a request body): that is its verdict.
        if let Some(why) = f["skipped"].as_str() {
            rules.push(format!("skipped:{why}"));
        }
        assert!(
            out.insert(name.clone(), rules).is_none(),
            "{name} has two verdicts"
        );
    }
    out
}

/// The summary adds up, and the exit code follows from the worst severity and the fail level.
fn assert_consistent(run: &Run, fail_level: &str) {
    let files = run.doc["files"].as_array().unwrap();
    let s = &run.doc["summary"];
    let count = |sev: &str| -> u64 {
        files
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().unwrap())
            .filter(|d| d["severity"] == sev)
            .count() as u64
    };
    assert_eq!(s["files"], files.len() as u64, "{s}");
    assert_eq!(s["errors"], count("error"), "{s}");
    assert_eq!(s["warnings"], count("warning"), "{s}");
    assert_eq!(s["infos"], count("info"), "{s}");
    let with = files
        .iter()
        .filter(|f| !f["diagnostics"].as_array().unwrap().is_empty())
        .count() as u64;
    assert_eq!(s["files_with_findings"], with, "{s}");
    let order = ["info", "warning", "error"];
    let floor = order.iter().position(|l| *l == fail_level).unwrap();
    let failing = order[floor..].iter().map(|l| count(l)).sum::<u64>() > 0;
    let expected = i32::from(failing);
    assert_eq!(run.code, expected, "exit code; stderr: {}", run.stderr);
    assert_eq!(s["exit_code"], expected as u64, "{s}");
    for f in files {
        for d in f["diagnostics"].as_array().unwrap() {
            // Every finding about a file is positioned in it or names the whole input.
            assert!(d["rule"].is_string() && d["message"].is_string(), "{d}");
        }
    }
}

struct Tree {
    dir: tempfile::TempDir,
    /// Inputs named on the command line, with the rule their verdict must hold (None: clean).
    named: Vec<(&'static str, Option<&'static str>)>,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "good-ddm.json",
        &example("ddm-create-instance.valid.json"),
    );
    write(d, "good-redis.json", &example("geminidb-redis.valid.json"));
    write(d, "bad-scale.json", &example("ddm-scale-out.invalid.json"));
    write(
        d,
        "bad-mongo.json",
        &example("geminidb-mongodb.invalid.json"),
    );
    write(d, "empty.json", b"");
    write(d, "blank.json", b" \n\t\r\n");
    write(
        d,
        "binary.json",
        &[0x00, 0xff, 0xfe, 0x89, b'P', b'N', b'G', 0x0d, 0x0a],
    );
    write(d, "nul.json", b"{\"name\x00\": 1}");
    write(d, "not-object.json", b"[1, 2, 3]");
    write(d, "no-api.json", b"{\"hello\": \"world\"}");
    let mut big = b"{\"name\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'a', (1 << 20) + 10));
    big.extend_from_slice(b"\"}");
    write(d, "big.json", &big);
    // Unreadable: mode 000 (root reads it anyway, so its verdict is checked below either way).
    write(d, "locked.json", &example("ddm-scale-out.valid.json"));
    std::fs::set_permissions(
        d.join("locked.json"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Links: dangling, a loop of two, a link to a good file.
    symlink("nowhere.json", d.join("dangling.json")).unwrap();
    symlink("loop-b.json", d.join("loop-a.json")).unwrap();
    symlink("loop-a.json", d.join("loop-b.json")).unwrap();
    symlink("good-ddm.json", d.join("alias.json")).unwrap();
    // Directories: one named like a file, a tree with a directory loop and non-JSON files.
    write(
        d,
        "dir.json/inner.json",
        &example("ddm-scale-out.valid.json"),
    );
    write(d, "tree/a.json", &example("geminidb-cassandra.valid.json"));
    write(
        d,
        "tree/sub/b.json",
        &example("geminidb-cassandra.invalid.json"),
    );
    write(d, "tree/notes.txt", b"not a request");
    symlink("..", d.join("tree/sub/up")).unwrap();
    symlink("../sub", d.join("tree/sub/again.json")).unwrap();
    std::fs::create_dir(d.join("empty-dir")).unwrap();
    let named = vec![
        ("good-ddm.json", None),
        ("good-redis.json", None),
        ("bad-scale.json", Some("DDM201")),
        ("bad-mongo.json", Some("GDB")),
        // Empty, blank, not JSON, not an object, no API's members: not request bodies.
        ("empty.json", Some("skipped:not-a-request-body")),
        ("blank.json", Some("skipped:not-a-request-body")),
        ("binary.json", Some("HC013")),
        ("nul.json", Some("skipped:not-a-request-body")),
        ("not-object.json", Some("skipped:not-a-request-body")),
        ("no-api.json", Some("skipped:not-a-request-body")),
        ("big.json", Some("HC011")),
        ("dangling.json", Some("HC015")),
        ("loop-a.json", Some("HC015")),
        ("alias.json", None),
        ("missing.json", Some("HC015")),
    ];
    Tree { dir, named }
}

fn locked_readable(d: &Path) -> bool {
    std::fs::read(d.join("locked.json")).is_ok()
}

#[test]
fn every_input_gets_exactly_one_verdict() {
    let t = tree();
    let d = t.dir.path();
    let mut args: Vec<&str> = vec!["--format", "json"];
    args.extend(t.named.iter().map(|(n, _)| *n));
    args.extend(["locked.json", "dir.json", "tree", "empty-dir"]);
    // Named twice, and again through a directory: still one verdict.
    args.extend(["good-ddm.json", "./bad-scale.json"]);
    let run = check(d, &args);
    let v = verdicts(&run.doc);

    for (name, rule) in &t.named {
        // Two names of one file (a symlink and its target) may share one verdict.
        let same_file = |other: &str| {
            let c = |n: &str| std::fs::canonicalize(d.join(n)).ok();
            c(name).is_some() && c(name) == c(other)
        };
        let rules = v
            .get(*name)
            .or_else(|| v.iter().find(|(k, _)| same_file(k)).map(|(_, r)| r))
            .unwrap_or_else(|| panic!("{name} has no verdict: {:?}", v.keys()));
        match rule {
            // Clean: no error or warning (the examples' plain-text passwords are infos).
            None => assert!(
                rules.iter().all(|r| r.ends_with(":info")),
                "{name}: {rules:?}"
            ),
            Some(r) => assert!(
                rules.iter().any(|x| x.starts_with(r)),
                "{name}: expected {r}, got {rules:?}"
            ),
        }
    }
    // The oversized, binary and unreadable inputs get only their one diagnostic.
    for name in ["big.json", "binary.json", "dangling.json", "missing.json"] {
        assert_eq!(v[name].len(), 1, "{name}: {:?}", v[name]);
    }
    let locked = &v["locked.json"];
    if locked_readable(d) {
        assert!(
            locked.is_empty(),
            "readable locked.json is a valid body: {locked:?}"
        );
    } else {
        assert_eq!(locked, &["HC015:error"]);
    }
    // A symlink to a file already named is reported once, under one of its names.
    let aliases = ["good-ddm.json", "alias.json"];
    assert_eq!(
        aliases.iter().filter(|a| v.contains_key(**a)).count(),
        1,
        "{:?}",
        v.keys()
    );
    // Directories: every *.json file inside, once (the directory loop is not followed twice),
    // no other file, and nothing for the empty directory.
    let inner: Vec<&String> = v.keys().filter(|k| k.contains('/')).collect();
    assert_eq!(
        inner,
        ["dir.json/inner.json", "tree/a.json", "tree/sub/b.json"],
        "{:?}",
        v.keys()
    );
    assert!(v["dir.json/inner.json"].is_empty());
    assert!(v["tree/a.json"].iter().all(|r| r.ends_with(":info")));
    assert!(v["tree/sub/b.json"].iter().any(|r| r.ends_with(":error")));
    // The named inputs (one of the two aliases), locked.json, and the files in directories.
    assert_eq!(
        v.len(),
        t.named.len() - 1 + 1 + inner.len(),
        "{:?}",
        v.keys()
    );
    assert_consistent(&run, "error");
}

#[test]
fn the_exit_code_follows_the_worst_verdict_at_each_fail_level() {
    let t = tree();
    let d = t.dir.path();
    // Only clean files: exit 0 at the error level. The redis example carries infos (its
    // plain-text password), which fail the info level.
    for (files, level) in [
        (
            vec!["good-ddm.json", "good-redis.json", "alias.json"],
            "error",
        ),
        (
            vec!["good-ddm.json", "good-redis.json", "alias.json"],
            "warning",
        ),
        (
            vec!["good-ddm.json", "good-redis.json", "alias.json"],
            "info",
        ),
        (vec!["good-redis.json", "empty.json"], "error"),
        (vec!["dangling.json"], "error"),
        (vec!["tree"], "warning"),
    ] {
        let mut args = vec!["--format", "json", "--fail-level", level];
        args.extend(files.iter().copied());
        let run = check(d, &args);
        assert_consistent(&run, level);
        // `tree` holds two request files; alias.json is good-ddm.json; every other input is one.
        let expected = if files == ["tree"] {
            2
        } else {
            files.iter().filter(|f| **f != "alias.json").count()
        };
        assert_eq!(verdicts(&run.doc).len(), expected, "{files:?}");
    }
}

#[test]
fn human_and_github_formats_report_every_input_too() {
    let t = tree();
    let d = t.dir.path();
    let names = [
        "good-ddm.json",
        "bad-scale.json",
        "big.json",
        "binary.json",
        "dangling.json",
    ];
    let out = Command::new(BIN)
        .args(["check", "--no-config", "--format", "github"])
        .args(names)
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for bad in &names[1..] {
        assert!(
            text.contains(&format!("file={bad}")),
            "{bad} missing in:\n{text}"
        );
    }
    let out = Command::new(BIN)
        .args([
            "check",
            "--no-config",
            "--format",
            "human",
            "--color",
            "never",
        ])
        .args(names)
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for bad in &names[1..] {
        assert!(all.contains(bad), "{bad} missing in:\n{all}");
    }
    assert!(all.contains("5 files"), "summary names 5 files:\n{all}");
}
