//! Adding an API is adding a rule pack: a copy of the crate with a fourth, toy pack
//! (`rules/toy-create-thing.json`) and no Rust file edited builds, knows four APIs, detects the
//! toy API by its pack's `detect` member and fires the toy rule at its pointer.
//!
//! The copy is kept under the target directory (`target/tmp/fourth-api/`) and rewritten only
//! where a file changed, with a target directory of its own there (a nested cargo cannot share
//! the outer one's lock), so that a rerun builds only what changed. It is built without default
//! features (serde, serde_json and thiserror only) and run through a small example program the
//! test writes into the copy's examples/.

use std::path::{Path, PathBuf};
use std::process::Command;

const TOY_PACK: &str = r#"{
  "api": "toy-create-thing",
  "title": "Toy: Creating a Thing (POST /v1/things)",
  "detect": { "member": "thing", "order": 4 },
  "sources": [],
  "fields": [
    { "pointer": "/thing", "type": "object", "required": true,
      "label": { "en": "Thing", "zh": "物件" },
      "source": { "page": "toy", "table": "Table 1", "parameter": "thing" } },
    { "pointer": "/thing/name", "type": "string", "required": true,
      "label": { "en": "Thing name", "zh": "物件名称" },
      "source": { "page": "toy", "table": "Table 2", "parameter": "name" } },
    { "pointer": "/thing/size", "type": "integer",
      "label": { "en": "Thing size", "zh": "物件大小" },
      "source": { "page": "toy", "table": "Table 2", "parameter": "size" } }
  ],
  "rules": [
    {
      "id": "TOY101",
      "name": "toy-size-range",
      "severity": "error",
      "targets": ["/thing/size"],
      "check": { "kind": "range", "min": 1, "max": 10 },
      "summary": { "en": "size is 1 to 10.", "zh": "size 为 1 到 10。" },
      "message": { "en": "size is {actual}; it must be {min} to {max}",
                   "zh": "size 为 {actual},应为 {min} 到 {max}" },
      "help": { "en": "Choose a size from 1 to 10.", "zh": "选择 1 到 10 的大小。" },
      "why": { "en": "A toy limit.", "zh": "玩具限制。" },
      "examples": { "invalid": { "thing": { "name": "a", "size": 0 } },
                    "valid": { "thing": { "name": "a", "size": 1 } } },
      "source": { "page": "toy", "table": "Table 2", "parameter": "size" }
    }
  ]
}
"#;

/// The program run in the copy: the API list, each argument's detected API and its findings.
const PROGRAM: &str = r#"use hcdb_lint::{detect_api, Api, Linter};

fn main() {
    println!("apis {}", Api::ALL.len());
    for api in Api::ALL {
        println!("api {api} {api:?} {}", api.id().parse::<Api>() == Ok(api));
    }
    for body in std::env::args().skip(1) {
        let value: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
        let api = detect_api(&value).map_or("none".to_string(), |a| a.to_string());
        println!("body {api}");
        for d in Linter::default_ref().check_str_detect(&body).diagnostics {
            println!("finding {} {} {}", d.rule, d.pointer, d.message);
        }
    }
}
"#;

/// The crate's manifest for the copy: a workspace of its own crate only, without the
/// benchmarks, the declared tests and the dev-dependencies (none of them is copied or needed).
fn manifest(original: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for line in original.lines() {
        if line.starts_with('[') {
            skip = matches!(line.trim(), "[dev-dependencies]" | "[[bench]]" | "[[test]]");
        }
        if skip {
            continue;
        }
        if line.trim_start().starts_with("members = ") {
            out.push_str("members = [\".\"]\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes `text` at `path` unless it is there already (an unchanged file keeps its time, and
/// cargo its build).
fn sync_file(path: &Path, text: &[u8]) {
    if std::fs::read(path).ok().as_deref() == Some(text) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `to` becomes a copy of `from` (files written only where they differ, extra files removed).
fn sync_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut names = Vec::new();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let name = e.file_name();
        let (src, dst) = (from.join(&name), to.join(&name));
        if src.is_dir() {
            sync_dir(&src, &dst);
        } else {
            sync_file(&dst, &std::fs::read(&src).unwrap());
        }
        names.push(name);
    }
    for e in std::fs::read_dir(to).unwrap().flatten() {
        if !names.contains(&e.file_name()) {
            let p = e.path();
            if p.is_dir() {
                std::fs::remove_dir_all(p).unwrap();
            } else {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
}

#[test]
fn a_fourth_api_is_a_pack_and_no_rust_edit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fourth-api");
    let copy = work.join("crate");
    let original = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    sync_file(&copy.join("Cargo.toml"), manifest(&original).as_bytes());
    for file in ["Cargo.lock", "build.rs"] {
        sync_file(&copy.join(file), &std::fs::read(root.join(file)).unwrap());
    }
    sync_dir(&root.join("src"), &copy.join("src"));
    sync_dir(&root.join("rules"), &copy.join("rules"));
    sync_file(
        &copy.join("rules").join("toy-create-thing.json"),
        TOY_PACK.as_bytes(),
    );
    sync_file(&copy.join("examples").join("toy.rs"), PROGRAM.as_bytes());
    // Not one Rust file differs from the crate's own.
    for dir in ["src"] {
        let mut a = Vec::new();
        let mut b = Vec::new();
        list(&root.join(dir), &mut a);
        list(&copy.join(dir), &mut b);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                std::fs::read(x).unwrap(),
                std::fs::read(y).unwrap(),
                "{x:?}"
            );
        }
    }

    let toy = r#"{"thing": {"name": "a", "size": 99}}"#;
    let scale_out = r#"{"flavor_id": "f", "node_number": 0}"#;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = std::time::Instant::now();
    let out = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--offline",
            "--no-default-features",
            "--example",
            "toy",
        ])
        .arg("--manifest-path")
        .arg(copy.join("Cargo.toml"))
        .arg("--")
        .args([toy, scale_out])
        .env("CARGO_TARGET_DIR", work.join("target"))
        // No debug info: a smaller, faster cold build; the program only prints.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the copy with a fourth pack does not build or run:\n{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "fourth API: built and ran in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "apis 4", "{stdout}");
    assert!(
        lines.contains(&"api toy-create-thing ToyCreateThing true"),
        "{stdout}"
    );
    let bodies: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("body "))
        .collect();
    assert_eq!(bodies.len(), 2, "{stdout}");
    // The toy body: detected by `thing`, and the toy rule fires at /thing/size.
    assert_eq!(lines[bodies[0]], "body toy-create-thing", "{stdout}");
    let toy_findings = &lines[bodies[0] + 1..bodies[1]];
    assert!(
        toy_findings
            .iter()
            .any(|l| l.starts_with("finding TOY101 /thing/size size is 99; it must be 1 to 10")),
        "{stdout}"
    );
    assert!(
        toy_findings.iter().all(|l| !l.contains("HC014")),
        "{stdout}"
    );
    // The existing APIs are as before.
    assert_eq!(lines[bodies[1]], "body ddm-scale-out", "{stdout}");
    assert!(
        lines[bodies[1] + 1..]
            .iter()
            .any(|l| l.starts_with("finding DDM201 /node_number")),
        "{stdout}"
    );
}

fn list(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            list(&p, out);
        } else {
            out.push(p);
        }
    }
}
