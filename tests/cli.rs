//! The `hcdb-lint` binary on real files: every command, format, exit code, stdin, directories,
//! mixed good/bad/unreadable inputs, config and context files.
#![cfg(feature = "cli")]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cli")
}

/// The binary, run in `dir`, with colors and width fixed and no config file from the outside.
fn hcdb(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"));
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    c
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = hcdb(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_of(dir: &Path, args: &[&str]) -> (i32, Value) {
    let (code, out, err) = run(dir, args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

/// (file, rule, pointer) of every diagnostic in a JSON report.
fn findings(v: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for d in f["diagnostics"].as_array().unwrap() {
            out.push((
                f["file"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn has(v: &Value, file: &str, rule: &str, pointer: &str) -> bool {
    findings(v)
        .iter()
        .any(|(f, r, p)| f == file && r == rule && p == pointer)
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SCALE_OK: &str = r#"{"flavor_id": "f1", "node_number": 2}"#;
const SCALE_BAD: &str = r#"{"flavor_id": "f1", "node_number": 0}"#;
const SCALE_WARN: &str = r#"{"flavor_id": "f1", "node_number": "2"}"#;

// ------------------------------------------------------------------ check: basics

#[test]
fn readme_command_reports_the_invalid_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("examples/geminidb-cassandra.invalid.json");
    if !example.exists() {
        // The examples are written by another part of the project; the data below covers the rest.
        return;
    }
    let (code, out, _) = run(
        root,
        &[
            "check",
            "--no-config",
            "examples/geminidb-cassandra.invalid.json",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("examples/geminidb-cassandra.invalid.json"),
        "{out}"
    );
    assert!(out.contains(" error"), "{out}");
}

#[test]
fn bad_file_exits_1_with_frame_label_help_and_rule_id() {
    let (code, out, _) = run(
        &data(),
        &["check", "--no-config", "--color", "never", "gdb-bad.json"],
    );
    assert_eq!(code, 1);
    // The code frame names the file with line:column of the member, shows the line, and the
    // label carries the message.
    assert!(out.contains("GDB103(geminidb-name-charset)"), "{out}");
    assert!(out.contains("[gdb-bad.json:2:11]"), "{out}");
    assert!(out.contains(r#"  "name": "my cluster","#), "{out}");
    assert!(out.contains("help:"), "{out}");
    assert!(out.contains("in 1 file"), "{out}");
}

#[test]
fn clean_file_exits_0() {
    let d = tmp();
    write(d.path(), "ok.json", SCALE_OK);
    let (code, out, _) = run(d.path(), &["check", "--no-config", "ok.json"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "no findings in 1 file");
}

#[test]
fn fail_level_decides_the_exit_code() {
    let d = tmp();
    write(d.path(), "warn.json", SCALE_WARN);
    let (code, out, _) = run(d.path(), &["check", "--no-config", "warn.json"]);
    assert_eq!(code, 0, "a warning is below the default fail level: {out}");
    assert!(out.contains("1 warning in 1 file"), "{out}");
    let (code, _, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--fail-level",
            "warning",
            "warn.json",
        ],
    );
    assert_eq!(code, 1);
    let (code, _, _) = run(
        d.path(),
        &["check", "--no-config", "--fail-level", "info", "warn.json"],
    );
    assert_eq!(code, 1);
    // ddm-bad.json has infos, and a password with `=`, which the service is known to accept:
    // warnings that name the evidence, errors again under --strict.
    let (code, v) = json_of(
        &data(),
        &["check", "--no-config", "--format", "json", "ddm-bad.json"],
    );
    assert_eq!(code, 0);
    assert!(v["summary"]["infos"].as_u64().unwrap() >= 1);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 2);
    let (code, v) = json_of(
        &data(),
        &[
            "check",
            "--no-config",
            "--strict",
            "--format",
            "json",
            "ddm-bad.json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["warnings"], 0);
}

#[test]
fn quiet_drops_the_summary_line() {
    let d = tmp();
    write(d.path(), "ok.json", SCALE_OK);
    write(d.path(), "bad.json", SCALE_BAD);
    let (code, out, _) = run(d.path(), &["check", "--no-config", "-q", "ok.json"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = run(
        d.path(),
        &["check", "--no-config", "-q", "--color", "never", "bad.json"],
    );
    assert_eq!(code, 1);
    assert!(out.contains("DDM201"), "{out}");
    assert!(!out.contains("in 1 file"), "{out}");
}

#[test]
fn json_that_is_not_a_request_body_is_skipped_and_counted_unless_asked_to_fail() {
    let (code, v) = json_of(
        &data(),
        &["check", "--no-config", "--format", "json", "unknown.json"],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["skipped"], "not-a-request-body", "{v}");
    assert_eq!(v["files"][0]["api"], Value::Null);
    assert_eq!(v["summary"]["not_request_bodies"], 1, "{v}");
    let (code, out, _) = run(&data(), &["check", "--no-config", "unknown.json"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("1 JSON file is not a request body: skipped"),
        "{out}"
    );
    // `"unrecognized": "error"` makes it a finding again.
    let d = tmp();
    write(d.path(), "hcdb-lint.json", r#"{"unrecognized": "error"}"#);
    write(d.path(), "unknown.json", r#"{"foo": 1}"#);
    let (code, v) = json_of(d.path(), &["check", "--format", "json", "unknown.json"]);
    assert_eq!(code, 1);
    assert!(has(&v, "unknown.json", "HC014", ""), "{v}");
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{"unrecognized": "sometimes"}"#,
    );
    let (code, _, err) = run(d.path(), &["check", "unknown.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("unrecognized: expected"), "{err}");
}

#[test]
fn api_flag_forces_the_api() {
    // Detected as scale-out: clean. Forced to DDM create: `instance` is missing.
    let d = tmp();
    write(d.path(), "ok.json", SCALE_OK);
    let (code, v) = json_of(
        d.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--api",
            "ddm-create-instance",
            "ok.json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["files"][0]["api"], "ddm-create-instance");
    assert!(has(&v, "ok.json", "HC004", "/instance"), "{v}");
    let (code, _, err) = run(d.path(), &["check", "--api", "nosuch", "ok.json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let d = tmp();
    let (code, _, err) = run(d.path(), &["check", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("xml"), "{err}");
    let (code, _, _) = run(d.path(), &["frobnicate"]);
    assert_eq!(code, 2);
    let (code, out, _) = run(d.path(), &["--version"]);
    assert_eq!(code, 0);
    assert!(out.contains(env!("CARGO_PKG_VERSION")));
}

// ------------------------------------------------------------------ inputs

#[test]
fn stdin_is_checked_and_named() {
    let (code, v) = {
        let out = hcdb(&data())
            .args(["check", "--no-config", "--format", "json", "-"])
            .write_stdin(SCALE_BAD)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    assert_eq!(code, 1);
    assert!(has(&v, "<stdin>", "DDM201", "/node_number"), "{v}");
    assert_eq!(v["files"][0]["diagnostics"][0]["line"], 1);
    assert_eq!(v["files"][0]["diagnostics"][0]["column"], 36);

    hcdb(&data())
        .args([
            "check",
            "--no-config",
            "--stdin-filename",
            "req/scale.json",
            "-",
        ])
        .write_stdin(SCALE_OK)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings in 1 file"));
}

#[test]
fn directories_recurse_into_json_in_sorted_order() {
    let d = tmp();
    write(d.path(), "reqs/b.json", SCALE_BAD);
    write(d.path(), "reqs/a.json", SCALE_OK);
    write(d.path(), "reqs/sub/c.json", SCALE_WARN);
    write(d.path(), "reqs/notes.txt", "not json");
    write(d.path(), "reqs/.hidden/x.json", SCALE_BAD);
    write(d.path(), "reqs/hcdb-lint.json", "{}");
    let (code, v) = json_of(
        d.path(),
        &["check", "--no-config", "--format", "json", "reqs"],
    );
    assert_eq!(code, 1);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["reqs/a.json", "reqs/b.json", "reqs/sub/c.json"]);
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["files_with_findings"], 2);

    // An empty directory: nothing to check is not an error, but it is said.
    std::fs::create_dir(d.path().join("empty")).unwrap();
    let (code, out, err) = run(d.path(), &["check", "--no-config", "empty"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "no findings in 0 files");
    assert!(err.contains("no input files"), "{err}");

    // No path and no config file: the current directory.
    let (_, v) = json_of(
        &d.path().join("reqs"),
        &["check", "--no-config", "--format", "json"],
    );
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a.json", "b.json", "sub/c.json"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let d = tmp();
    write(d.path(), "r/a.json", SCALE_OK);
    std::os::unix::fs::symlink(d.path().join("r"), d.path().join("r/loop")).unwrap();
    std::os::unix::fs::symlink(
        d.path().join("r/missing.json"),
        d.path().join("r/dangling.json"),
    )
    .unwrap();
    let (code, v) = json_of(d.path(), &["check", "--no-config", "--format", "json", "r"]);
    assert_eq!(code, 1, "{v}");
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["r/a.json", "r/dangling.json"]);
    assert!(has(&v, "r/dangling.json", "HC015", ""), "{v}");
    // Each says what is wrong with the link: a loop, or a link to nothing.
    std::os::unix::fs::symlink("b.json", d.path().join("a.json")).unwrap();
    std::os::unix::fs::symlink("a.json", d.path().join("b.json")).unwrap();
    let (code, out, _) = run(
        d.path(),
        &["check", "--no-config", "--color", "never", "a.json", "r"],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("a.json: cannot read this input: its symbolic links form a loop"),
        "{out}"
    );
    assert!(
        out.contains("r/dangling.json: cannot read this input: a symbolic link to a file that does not exist"),
        "{out}"
    );
    let (_, out, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--color",
            "never",
            "--lang",
            "zh",
            "a.json",
            "gone.json",
        ],
    );
    assert!(out.contains("符号链接构成循环"), "{out}");
    assert!(out.contains("文件或目录不存在"), "{out}");
}

#[test]
fn mixed_good_bad_unreadable_inputs_each_get_one_verdict() {
    let d = tmp();
    write(d.path(), "good.json", SCALE_OK);
    write(d.path(), "bad.json", SCALE_BAD);
    std::fs::write(
        d.path().join("latin1.json"),
        b"{\"flavor_id\": \"caf\xe9\", \"node_number\": 1}",
    )
    .unwrap();
    write(
        d.path(),
        "broken.json",
        "{\"flavor_id\": \"f1\",\n  \"node_number\": 1,\n}",
    );
    std::fs::create_dir(d.path().join("empty-dir")).unwrap();
    let args = [
        "check",
        "--no-config",
        "--format",
        "json",
        "good.json",
        "missing.json",
        "bad.json",
        "latin1.json",
        "broken.json",
        "empty-dir",
    ];
    let (code, v) = json_of(d.path(), &args);
    assert_eq!(code, 1);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // The empty directory contributes no file; every other input is reported, in order.
    assert_eq!(
        files,
        [
            "good.json",
            "missing.json",
            "bad.json",
            "latin1.json",
            "broken.json"
        ]
    );
    assert!(v["files"][0]["diagnostics"].as_array().unwrap().is_empty());
    assert!(has(&v, "missing.json", "HC015", ""));
    assert!(has(&v, "bad.json", "DDM201", "/node_number"));
    assert!(has(&v, "latin1.json", "HC013", ""));
    assert!(has(&v, "broken.json", "HC001", ""));
    let broken = &v["files"][4]["diagnostics"][0];
    // The trailing comma, 1-based.
    assert_eq!(
        (broken["line"].as_u64(), broken["column"].as_u64()),
        (Some(2), Some(19))
    );
    // The summary adds up.
    let s = &v["summary"];
    let total: usize = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["diagnostics"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        total as u64,
        s["errors"].as_u64().unwrap()
            + s["warnings"].as_u64().unwrap()
            + s["infos"].as_u64().unwrap()
    );
    assert_eq!(s["files"], 5);
    assert_eq!(s["files_with_findings"], 4);
    assert_eq!(s["exit_code"], 1);

    // The human format shows the same: the unreadable file's reason and a summary.
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--color",
            "never",
            "missing.json",
            "good.json",
            "latin1.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("missing.json: cannot read this input: no such file or directory"),
        "{out}"
    );
    assert!(
        out.contains("2 errors in 2 files (3 files checked)"),
        "{out}"
    );
}

#[test]
fn a_directory_named_like_a_file_is_walked() {
    let d = tmp();
    std::fs::create_dir(d.path().join("req.json")).unwrap();
    write(d.path(), "req.json/inner.json", SCALE_OK);
    let (code, v) = json_of(
        d.path(),
        &["check", "--no-config", "--format", "json", "req.json"],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["file"], "req.json/inner.json");
}

#[cfg(unix)]
#[test]
fn a_walk_does_not_open_special_files_but_reports_them() {
    let d = tmp();
    write(d.path(), "r/a.json", SCALE_OK);
    let status = std::process::Command::new("mkfifo")
        .arg(d.path().join("r/pipe.json"))
        .status()
        .unwrap();
    assert!(status.success());
    // Reading a FIFO without a writer would block forever: the walk reports it instead.
    let (code, v) = json_of(d.path(), &["check", "--no-config", "--format", "json", "r"]);
    assert_eq!(code, 1, "{v}");
    assert!(has(&v, "r/pipe.json", "HC015", ""), "{v}");
    let msg = v["files"][1]["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("not a regular file"), "{msg}");
}

// ------------------------------------------------------------------ formats

#[test]
fn json_format_has_the_documented_shape() {
    let (code, v) = json_of(
        &data(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "gdb-bad.json",
            "unknown.json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    let f = &v["files"][0];
    assert_eq!(f["file"], "gdb-bad.json");
    assert_eq!(f["api"], "geminidb-create-instance");
    let name = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "GDB103")
        .unwrap();
    for key in [
        "rule",
        "name",
        "severity",
        "pointer",
        "message",
        "help",
        "params",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(name.get(key).is_some(), "missing {key}: {name}");
    }
    assert_eq!(name["severity"], "error");
    assert_eq!(name["pointer"], "/name");
    // 1-based: `"my cluster"` starts on line 2, column 11 and ends before column 23.
    assert_eq!(
        (name["line"].as_u64(), name["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(
        (name["end_line"].as_u64(), name["end_column"].as_u64()),
        (Some(2), Some(23))
    );
    for k in [
        "files",
        "files_with_findings",
        "errors",
        "warnings",
        "infos",
        "ignored",
        "fail_level",
        "exit_code",
    ] {
        assert!(v["summary"].get(k).is_some(), "summary.{k}");
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(path).unwrap();
    // The schema file is kept verbatim as shipped. Its pattern for `run.language` has a stray
    // `]` that is not a valid ECMA-262 regex, and jsonschema checks a schema against its
    // meta-schema before use; replace that pattern (`run.language`, `toolComponent.language`:
    // members hcdb-lint never writes) with
    // the evident intent, in memory.
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(bad), "the schema file changed");
    let text = text.replace(bad, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let d = tmp();
    write(d.path(), "dir with space/bad.json", SCALE_BAD);
    let validator = sarif_validator();
    let cases: [&[&str]; 3] = [
        &[
            "gdb-bad.json",
            "ddm-bad.json",
            "unknown.json",
            "missing.json",
        ],
        &["scale-ok.json"],
        &["--lang", "zh", "gdb-bad.json"],
    ];
    for args in cases {
        let mut all = vec!["check", "--no-config", "--format", "sarif"];
        all.extend_from_slice(args);
        let (_, v) = json_of(&data(), &all);
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        let run0 = &v["runs"][0];
        let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run0["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
    }
    // Results match the JSON format one for one, with the same positions.
    let (_, sarif) = json_of(
        &data(),
        &["check", "--no-config", "--format", "sarif", "gdb-bad.json"],
    );
    let (_, json) = json_of(
        &data(),
        &["check", "--no-config", "--format", "json", "gdb-bad.json"],
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    for (r, d) in results.iter().zip(diags) {
        assert_eq!(r["ruleId"], d["rule"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
    }
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&broken));
    // A path with a space is a valid URI reference.
    let (_, v) = json_of(
        d.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            "dir with space",
        ],
    );
    assert!(validator.is_valid(&v));
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/bad.json"
    );
}

#[test]
fn github_format_escapes_properties_and_data() {
    let d = tmp();
    write(d.path(), "a,b:c.json", SCALE_BAD);
    write(d.path(), "w.json", SCALE_WARN);
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "github",
            "a,b:c.json",
            "w.json",
            "gone.json",
        ],
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("::error file=a%2Cb%3Ac.json,line=1,endLine=1,col=36,endColumn=37,title=DDM201 ddm-scale-out-node-number-range::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::warning file=w.json,line=1,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("::error file=gone.json,title=HC015 unreadable-input::"),
        "{}",
        lines[2]
    );
    // Infos are notices, shown when asked.
    let (_, out, _) = run(
        &data(),
        &[
            "check",
            "--no-config",
            "--format",
            "github",
            "--show-infos",
            "ddm-bad.json",
        ],
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::notice file=ddm-bad.json,")),
        "{out}"
    );
    let (_, out, _) = run(
        &data(),
        &["check", "--no-config", "--format", "github", "ddm-bad.json"],
    );
    assert!(!out.contains("::notice"), "{out}");
    assert!(out.contains("::warning file=ddm-bad.json,"), "{out}");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let has_ansi = |args: &[&str], no_color: bool| {
        let mut c = hcdb(&data());
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c.args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap().contains('\u{1b}')
    };
    assert!(has_ansi(
        &["check", "--no-config", "--color", "always", "gdb-bad.json"],
        false
    ));
    assert!(has_ansi(
        &["check", "--no-config", "--color", "always", "gdb-bad.json"],
        true
    ));
    assert!(!has_ansi(
        &["check", "--no-config", "--color", "never", "gdb-bad.json"],
        false
    ));
    // auto: stdout is a pipe here, and NO_COLOR is set: no color either way.
    assert!(!has_ansi(&["check", "--no-config", "gdb-bad.json"], true));
    assert!(!has_ansi(&["check", "--no-config", "gdb-bad.json"], false));
}

#[test]
fn lang_zh_words_messages_and_summary_in_chinese() {
    let (_, out, _) = run(
        &data(),
        &[
            "check",
            "--no-config",
            "--color",
            "never",
            "--lang",
            "zh",
            "gdb-bad.json",
        ],
    );
    assert!(out.contains("个文件中有"), "{out}");
    let (_, v) = json_of(
        &data(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--lang",
            "zh",
            "gdb-bad.json",
        ],
    );
    let msg = v["files"][0]["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{msg}"
    );
}

// ------------------------------------------------------------------ passwords

#[test]
fn no_format_ever_shows_a_password() {
    const SECRETS: [&str; 2] = ["Qw3rty$Leak", "Hunter2=Leaky"];
    let d = tmp();
    // Also inside invalid JSON, where the frame shows the lines around a syntax error.
    write(
        d.path(),
        "broken.json",
        "{\n  \"password\": \"Qw3rty$Leak\",\n  \"datastore\": {\n}",
    );
    let files = [
        data().join("gdb-bad.json"),
        data().join("ddm-bad.json"),
        d.path().join("broken.json"),
    ];
    let files: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    for format in ["human", "json", "sarif", "github"] {
        for lang in ["en", "zh"] {
            for color in ["never", "always"] {
                let mut args = vec![
                    "check",
                    "--no-config",
                    "--format",
                    format,
                    "--lang",
                    lang,
                    "--color",
                    color,
                ];
                args.extend(files.iter().copied());
                let (code, out, err) = run(d.path(), &args);
                assert_eq!(code, 1);
                assert!(
                    out.contains("password"),
                    "{format}/{lang}: the password rules must fire"
                );
                for secret in SECRETS {
                    // The whole value and any 6-character piece of it.
                    for piece in secret.as_bytes().windows(6) {
                        let piece = std::str::from_utf8(piece).unwrap();
                        assert!(
                            !out.contains(piece),
                            "{format}/{lang}/{color}: `{piece}` in\n{out}"
                        );
                        assert!(
                            !err.contains(piece),
                            "{format}/{lang}/{color}: `{piece}` in\n{err}"
                        );
                    }
                }
            }
        }
    }
    // stdin too.
    let out = hcdb(d.path())
        .args(["check", "--no-config", "--color", "never", "-"])
        .write_stdin(std::fs::read(data().join("gdb-bad.json")).unwrap())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Qw3rty"));
}

// ------------------------------------------------------------------ config files

#[test]
fn config_is_found_upward_and_sets_severity_options_and_lang() {
    let d = tmp();
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{
          "lang": "zh",
          "rules": {
            "ddm-scale-out-node-number-range": "warning",
            "HC006": "off"
          }
        }"#,
    );
    write(d.path(), "sub/deeper/bad.json", SCALE_BAD);
    write(d.path(), "sub/deeper/warn.json", SCALE_WARN);
    let dir = d.path().join("sub/deeper");
    let (code, v) = json_of(
        &dir,
        &["check", "--format", "json", "bad.json", "warn.json"],
    );
    assert_eq!(code, 0, "the error became a warning: {v}");
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags[0]["severity"], "warning");
    assert!(
        diags[0]["message"].as_str().unwrap().contains("至少"),
        "{v}"
    );
    assert!(
        v["files"][1]["diagnostics"].as_array().unwrap().is_empty(),
        "HC006 off: {v}"
    );
    // --lang beats the file; --no-config ignores it.
    let (_, v) = json_of(
        &dir,
        &["check", "--format", "json", "--lang", "en", "bad.json"],
    );
    assert!(v["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("at least"));
    let (code, _) = json_of(
        &dir,
        &["check", "--no-config", "--format", "json", "bad.json"],
    );
    assert_eq!(code, 1);
}

#[test]
fn config_options_override_pack_data() {
    let d = tmp();
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{"rules": {"DDM201": {"severity": "error", "options": {"min": 3}}}}"#,
    );
    write(d.path(), "two.json", SCALE_OK);
    let (code, v) = json_of(d.path(), &["check", "--format", "json", "two.json"]);
    assert_eq!(code, 1, "{v}");
    assert!(has(&v, "two.json", "DDM201", "/node_number"));
}

#[test]
fn config_files_apis_and_ignore() {
    let d = tmp();
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{
          "files": ["requests/**/*.json", "extra.json"],
          "apis": { "requests/ddm/*.json": "ddm-create-instance", "*.scale.json": "ddm-scale-out" },
          "ignore": [
            { "files": "requests/legacy/*.json", "reason": "frozen" },
            { "files": "requests/**/*.json", "rule": "node_number_range_is_not_a_name_so_see_below", "pointer": "/x" }
          ]
        }"#,
    );
    // The second ignore entry names no rule: the config is rejected, naming the key.
    let (code, _, err) = run(d.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("ignore[1].rule"), "{err}");
    assert!(err.contains("hcdb-lint.json"), "{err}");

    write(
        d.path(),
        "hcdb-lint.json",
        r#"{
          "files": ["requests/**/*.json", "extra.json"],
          "apis": { "requests/ddm/*.json": "ddm-create-instance", "*.scale.json": "ddm-scale-out" },
          "ignore": [
            { "files": "requests/legacy/*.json", "reason": "frozen" },
            { "files": "requests/**/*.json", "rule": "coerced-type", "pointer": "/node_number" },
            { "files": "*.json", "rule": "DDM201" }
          ]
        }"#,
    );
    write(d.path(), "requests/ddm/a.json", SCALE_OK); // forced to ddm-create-instance
    write(d.path(), "requests/b.scale.json", "{}"); // mapped: not unknown-api
    write(d.path(), "requests/legacy/old.json", "not json at all");
    write(d.path(), "requests/w.json", SCALE_WARN);
    write(d.path(), "requests/bad.json", SCALE_BAD);
    write(d.path(), "requests/notes.txt", "x");
    write(d.path(), "other/skipped.json", SCALE_BAD);
    let (code, v) = json_of(d.path(), &["check", "--format", "json"]);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // extra.json does not exist: a finding for it, not a silent skip.
    assert_eq!(
        files,
        [
            "requests/b.scale.json",
            "requests/bad.json",
            "requests/ddm/a.json",
            "requests/legacy/old.json",
            "requests/w.json",
            "extra.json"
        ]
    );
    assert_eq!(v["files"][0]["api"], "ddm-scale-out");
    assert!(has(&v, "requests/b.scale.json", "HC004", "/flavor_id"));
    assert!(findings(&v)
        .iter()
        .all(|(f, r, _)| !(f == "requests/bad.json" && r == "DDM201")));
    assert_eq!(v["files"][2]["api"], "ddm-create-instance");
    assert!(has(&v, "requests/ddm/a.json", "HC004", "/instance"));
    assert!(
        v["files"][3]["diagnostics"].as_array().unwrap().is_empty(),
        "legacy ignored"
    );
    assert!(
        v["files"][4]["diagnostics"].as_array().unwrap().is_empty(),
        "w.json's coercion ignored"
    );
    assert!(has(&v, "extra.json", "HC015", ""));
    // old.json is not JSON and shows no API's members: skipped before the ignore applies.
    assert_eq!(v["files"][3]["skipped"], "not-a-request-body");
    assert_eq!(v["summary"]["not_request_bodies"], 1);
    assert!(
        v["summary"]["ignored"].as_u64().unwrap() >= 2,
        "{}",
        v["summary"]
    );
    assert_eq!(code, 1);

    // Paths given on the command line still take the mapping and the ignores.
    let (_, v) = json_of(
        &d.path().join("requests"),
        &["check", "--format", "json", "bad.json"],
    );
    assert!(
        v["files"][0]["diagnostics"].as_array().unwrap().is_empty(),
        "{v}"
    );
    let (_, out, _) = run(&d.path().join("requests"), &["check", "bad.json", "w.json"]);
    assert!(out.contains("ignored by the config file"), "{out}");
}

#[test]
fn bad_config_files_exit_2_naming_file_and_key() {
    let cases = [
        (r#"{"rulez": {}}"#, "rulez"),
        (r#"{"rules": {"GDB999": "error"}}"#, "rules.GDB999"),
        (r#"{"rules": {"GDB103": "fatal"}}"#, "rules.GDB103"),
        (
            r#"{"rules": {"GDB103": {"severity": "error", "optoins": {}}}}"#,
            "rules.GDB103.optoins",
        ),
        (
            r#"{"rules": {"DDM201": {"options": {"nonsense": 1}}}}"#,
            "rules.DDM201",
        ),
        (r#"{"lang": "fr"}"#, "lang"),
        (r#"{"apis": {"*.json": "mysql"}}"#, "apis.*.json"),
        (r#"{"files": ["a/[bc].json"]}"#, "files[0]"),
        (
            r#"{"ignore": [{"files": "*.json", "pointer": "name"}]}"#,
            "ignore[0].pointer",
        ),
        (r#"{"ignore": [{"file": "*.json"}]}"#, "ignore[0]"),
        (
            r#"{"tables": {"ddm-scale-out": {"nope": {}}}}"#,
            "tables.ddm-scale-out.nope",
        ),
        (r#"{"context": {"nope": 1}}"#, "context.nope"),
        (r#"{"max_depth": 0}"#, "max_depth"),
        (r#"{"lang": "en",}"#, "not valid JSON"),
        (r#"[]"#, "JSON object"),
    ];
    for (text, key) in cases {
        let d = tmp();
        write(d.path(), "hcdb-lint.json", text);
        write(d.path(), "ok.json", SCALE_OK);
        let (code, out, err) = run(d.path(), &["check", "ok.json"]);
        assert_eq!(code, 2, "{text}: {out}{err}");
        assert!(err.contains(key), "{text}: `{key}` not in: {err}");
        assert!(err.contains("hcdb-lint.json"), "{text}: {err}");
        assert!(out.is_empty(), "{text}: nothing on stdout: {out}");
    }
    // An explicit --config that does not exist.
    let d = tmp();
    let (code, _, err) = run(d.path(), &["check", "--config", "nope.json", "x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn explicit_config_file_is_used() {
    let d = tmp();
    write(
        d.path(),
        "conf/strict.json",
        r#"{"rules": {"coerced-type": "error"}}"#,
    );
    write(d.path(), "w.json", SCALE_WARN);
    let (code, _, _) = run(d.path(), &["check", "w.json"]);
    assert_eq!(code, 0);
    let (code, _, _) = run(
        d.path(),
        &["check", "--config", "conf/strict.json", "w.json"],
    );
    assert_eq!(code, 1);
}

#[test]
fn context_file_enables_context_rules() {
    let d = tmp();
    write(d.path(), "scale.json", SCALE_OK);
    write(d.path(), "groups.json", r#"{"node_groups": 2}"#);
    write(d.path(), "bad-context.json", r#"{"node_groupz": 2}"#);
    let (code, _) = json_of(d.path(), &["check", "--format", "json", "scale.json"]);
    assert_eq!(code, 0, "without context the rule is silent");
    let (code, v) = json_of(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--context",
            "groups.json",
            "scale.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(has(&v, "scale.json", "DDM202", "/group_id"), "{v}");
    // Context from the config file, overridden by --context.
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{"context": {"node_groups": 5}}"#,
    );
    let (code, _) = json_of(d.path(), &["check", "--format", "json", "scale.json"]);
    assert_eq!(code, 1);
    write(d.path(), "one.json", r#"{"node_groups": 1}"#);
    let (code, _) = json_of(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--context",
            "one.json",
            "scale.json",
        ],
    );
    assert_eq!(code, 0);
    // A bad context file: exit 2 naming the file and the key.
    let (code, _, err) = run(
        d.path(),
        &["check", "--context", "bad-context.json", "scale.json"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("bad-context.json") && err.contains("node_groupz"),
        "{err}"
    );
    let (code, _, err) = run(
        d.path(),
        &["check", "--context", "missing.json", "scale.json"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
}

// ------------------------------------------------------------------ rules, explain, schema

#[test]
fn rules_lists_every_rule() {
    let d = tmp();
    let (code, out, _) = run(d.path(), &["rules"]);
    assert_eq!(code, 0);
    let ids = hcdb_lint::Linter::default_ref().rules();
    assert_eq!(
        out.lines().count(),
        ids.len() + 1,
        "a header and one line per rule"
    );
    for r in ids {
        assert!(out.contains(&r.id), "{}", r.id);
    }
    assert!(out.contains("HC015") && out.contains("unreadable-input"));

    let (code, v) = json_of(
        d.path(),
        &["rules", "--format", "json", "--api", "ddm-scale-out"],
    );
    assert_eq!(code, 0);
    let list = v.as_array().unwrap();
    assert!(list
        .iter()
        .all(|r| r["api"].is_null() || r["api"] == "ddm-scale-out"));
    assert!(list.iter().any(|r| r["id"] == "DDM201"
        && r["severity"] == "error"
        && r["name"] == "ddm-scale-out-node-number-range"));
    assert!(!list.iter().any(|r| r["id"] == "GDB103"));
    assert!(list
        .iter()
        .all(|r| !r["summary"].as_str().unwrap().is_empty()));
    let (_, out, _) = run(d.path(), &["rules", "--lang", "zh"]);
    assert!(out.contains("请求体"), "{out}");
}

#[test]
fn explain_prints_the_rule_docs() {
    let d = tmp();
    let (code, out, _) = run(d.path(), &["explain", "GDB103"]);
    assert_eq!(code, 0);
    for section in [
        "GDB103 (geminidb-name-charset)",
        "## Why",
        "## Invalid example",
        "## Valid example",
        "## Source",
    ] {
        assert!(out.contains(section), "{section}: {out}");
    }
    let doc = hcdb_lint::Linter::default_ref().rule("GDB103").unwrap();
    assert!(out.contains(&doc.why.en) && out.contains(&doc.source.table));
    // By name, lower-case id, and in Chinese.
    let (_, by_name, _) = run(d.path(), &["explain", "geminidb-name-charset"]);
    assert_eq!(by_name, out);
    let (_, lower, _) = run(d.path(), &["explain", "gdb103"]);
    assert_eq!(lower, out);
    let (_, zh, _) = run(d.path(), &["explain", "GDB103", "--lang", "zh"]);
    assert!(
        zh.contains(&doc.why.zh) && zh.contains("## 错误示例"),
        "{zh}"
    );
    let (code, out, _) = run(d.path(), &["explain", "HC015"]);
    assert_eq!(code, 0);
    assert!(out.contains("unreadable-input"));
    let (code, v) = json_of(d.path(), &["explain", "HC014", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["name"], "unknown-api");
    let (code, _, err) = run(d.path(), &["explain", "GDB9999"]);
    assert_eq!(code, 2);
    assert!(err.contains("GDB9999"), "{err}");
}

#[test]
fn schema_prints_the_json_schema() {
    let d = tmp();
    for api in [
        "ddm-create-instance",
        "ddm-scale-out",
        "geminidb-create-instance",
    ] {
        let (code, v) = json_of(d.path(), &["schema", api]);
        assert_eq!(code, 0);
        assert_eq!(
            v,
            hcdb_lint::Linter::default_ref().json_schema(api.parse().unwrap())
        );
        assert!(v.get("$schema").is_some(), "{api}");
    }
    let (code, _, _) = run(d.path(), &["schema", "mysql"]);
    assert_eq!(code, 2);
    // --strict and a config file: the schema of the linter they make.
    let node = |v: &Value| v["properties"]["node_number"]["type"].clone();
    let (_, lenient) = json_of(d.path(), &["schema", "ddm-scale-out"]);
    assert_eq!(node(&lenient), serde_json::json!(["integer", "string"]));
    let (code, strict) = json_of(d.path(), &["schema", "--strict", "ddm-scale-out"]);
    assert_eq!(code, 0);
    assert_eq!(node(&strict), "integer");
    write(
        d.path(),
        "conf.json",
        r#"{"rules": {"coerced-type": "error"}}"#,
    );
    let (_, configured) = json_of(
        d.path(),
        &["schema", "--config", "conf.json", "ddm-scale-out"],
    );
    assert_eq!(node(&configured), "integer");
    // The one found from the current directory, unless --no-config.
    write(d.path(), "hcdb-lint.json", r#"{"strict": true}"#);
    let (_, found) = json_of(d.path(), &["schema", "ddm-scale-out"]);
    assert_eq!(node(&found), "integer");
    let (_, none) = json_of(d.path(), &["schema", "--no-config", "ddm-scale-out"]);
    assert_eq!(node(&none), serde_json::json!(["integer", "string"]));
    write(
        d.path(),
        "hcdb-lint.json",
        r#"{"rules": {"nope": "error"}}"#,
    );
    let (code, _, err) = run(d.path(), &["schema", "ddm-scale-out"]);
    assert_eq!(code, 2);
    assert!(err.contains("hcdb-lint.json"), "{err}");
}

// ------------------------------------------------------------------ the documented example

#[test]
fn documented_config_example_is_the_tested_one_and_works() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = data().join("config-example");
    let example = std::fs::read_to_string(dir.join("hcdb-lint.json")).unwrap();
    let page = std::fs::read_to_string(root.join("docs/configuration.md")).unwrap();
    assert!(
        page.contains(&format!("```json\n{example}```")),
        "the example of docs/configuration.md must be tests/data/cli/config-example/hcdb-lint.json"
    );
    // No path: the `files` globs; the `apis` mapping; DDM201's option (min 2) applied.
    let (code, v) = json_of(&dir, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["files"][0]["file"], "requests/db.scale-out.json");
    assert_eq!(v["files"][0]["api"], "ddm-scale-out");
    assert!(
        has(&v, "requests/db.scale-out.json", "DDM201", "/node_number"),
        "{v}"
    );
}

#[test]
fn many_files_are_checked_in_parallel_and_reported_in_order() {
    // Enough files for several threads (and stdin among them): each file's verdict is the one
    // the library gives for its text, the order is the sorted walk with stdin where it was given,
    // and the human and JSON formats agree on what was found.
    let dir = tmp();
    let valid = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/geminidb-cassandra.valid.json"),
    )
    .unwrap();
    let mut expected = Vec::new();
    for i in 0..300 {
        let text = match i % 3 {
            0 => valid.replace("orders-prod-01", &format!("orders {i}")),
            1 => valid.replace(
                "\"keep_days\": 8",
                &format!("\"keep_days\": {}", 30 + i % 10),
            ),
            _ => valid.clone(),
        };
        let name = format!("r{i:03}.json");
        write(dir.path(), &format!("d/{name}"), &text);
        let report = hcdb_lint::Linter::default_ref()
            .check_str(hcdb_lint::Api::GeminidbCreateInstance, &text);
        for d in report.diagnostics {
            expected.push((format!("d/{name}"), d.rule.into_owned(), d.pointer));
        }
    }
    let stdin_body = valid.replace("\"mode\": \"Cluster\"", "\"mode\": \"Nope\"");
    let out = hcdb(dir.path())
        .args(["check", "--format", "json", "d", "-"])
        .write_stdin(stdin_body.clone())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 301);
    let mut sorted = files[..300].to_vec();
    sorted.sort();
    assert_eq!(files[..300], sorted[..]);
    assert_eq!(files[300], "<stdin>");
    for d in hcdb_lint::Linter::default_ref()
        .check_str(hcdb_lint::Api::GeminidbCreateInstance, &stdin_body)
        .diagnostics
    {
        expected.push(("<stdin>".into(), d.rule.into_owned(), d.pointer));
    }
    assert_eq!(findings(&v), expected);
    assert!(expected.iter().any(|(_, r, _)| r == "GDB128"));
    // The human format names the same files in the same order.
    let (_, human, _) = run(
        dir.path(),
        &["check", "--color", "never", "--show-infos", "d"],
    );
    let named: Vec<&str> = human
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("╭─["))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let with_findings: Vec<&str> = expected
        .iter()
        .filter(|(f, _, _)| f != "<stdin>")
        .map(|(f, _, _)| f.as_str())
        .collect();
    assert_eq!(named, with_findings);
}
