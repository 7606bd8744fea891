//! Snapshots (insta) of the human format in both languages, color off, width fixed, paths
//! relative to a fixed directory and the temporary directory replaced by `[TMP]`.
#![cfg(feature = "cli")]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cli")
}

fn human(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let tmp = dir.to_string_lossy();
    format!(
        "exit code: {:?}\n{}",
        out.status.code(),
        text.replace(tmp.as_ref(), "[TMP]")
    )
}

#[test]
fn human_en() {
    insta::assert_snapshot!(human(
        &data(),
        &["gdb-bad.json", "ddm-bad.json", "scale-ok.json"]
    ));
}

#[test]
fn human_zh() {
    insta::assert_snapshot!(human(
        &data(),
        &[
            "--lang",
            "zh",
            "gdb-bad.json",
            "ddm-bad.json",
            "scale-ok.json"
        ]
    ));
}

#[test]
fn human_unreadable_and_broken_inputs() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("broken.json"),
        "{\n  \"flavor_id\": \"f1\",\n  \"node_number\": 1,\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("latin1.json"),
        b"{\"flavor_id\": \"caf\xe9\", \"node_number\": 1}\n",
    )
    .unwrap();
    let abs = d.path().join("missing.json");
    let abs = abs.to_str().unwrap();
    insta::assert_snapshot!(human(d.path(), &["broken.json", "latin1.json", abs]));
}
