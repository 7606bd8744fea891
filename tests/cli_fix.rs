//! `check --fix`, `--unsafe-fixes` and `--diff` on real files and stdin, and the fix in every
//! output format.
#![cfg(feature = "cli")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const SECRET: &str = "Qw3rty!Secret";

/// A GeminiDB body with safe fixes (case of the engine and mode, a misspelt member, a number
/// written as a string) and unsafe ones (an ignored member, a backup window), CRLF line ends,
/// a tab, a CJK value and a password next to a fixed line.
fn body() -> String {
    [
        "{",
        "  \"name\": \"orders-01\",",
        "  \"datastore\": {\"type\": \"Cassandra\", \"version\": \"3.11\", \"storage_engine\": \"rocksDB\"},",
        "  \"regoin\": \"cn-north-4\",",
        "  \"availability_zone\": \"cn-north-4a\",",
        "  \"vpc_id\": \"v\", \"subnet_id\": \"s\", \"security_group_id\": \"g\",",
        &format!("  \"password\": \"{SECRET}\","),
        "  \"mode\": \"cluster\",",
        "\t\"enterprise_project_id\": \"项目-1\",",
        "  \"flavor\": [{\"num\": 3, \"size\": 500, \"storage\": \"ULTRAHIGH\", \"spec_code\": \"geminidb.cassandra.4xlarge.4\"}],",
        "  \"backup_strategy\": {\"start_time\": \"01:00-03:00\", \"keep_days\": 7},",
        "  \"product_type\": \"Capacity\"",
        "}",
        "",
    ]
    .join("\r\n")
}

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

fn setup(text: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("req.json"), text).unwrap();
    d
}

fn read(d: &tempfile::TempDir) -> String {
    std::fs::read_to_string(d.path().join("req.json")).unwrap()
}

#[test]
fn diff_prints_the_change_and_writes_nothing() {
    let d = setup(&body());
    let (code, out, err) = run(d.path(), &["check", "--no-config", "--diff", "req.json"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(read(&d), body(), "--diff wrote the file");
    assert!(
        out.starts_with("--- a/req.json\n+++ b/req.json\n@@ "),
        "{out}"
    );
    assert!(out.contains("-  \"mode\": \"cluster\",\r\n"), "{out:?}");
    assert!(out.contains("+  \"mode\": \"Cluster\",\r\n"), "{out:?}");
    assert!(
        out.contains("+  \"region\": \"cn-north-4\",\r\n"),
        "{out:?}"
    );
    // Safe fixes only: the ignored member stays.
    assert!(!out.contains("-  \"product_type\""), "{out}");
    assert!(!out.contains(SECRET), "the diff shows the password:\n{out}");
    assert!(err.contains("would be fixed in 1 file"), "{err}");
    let (_, out, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "req.json",
        ],
    );
    assert!(
        out.contains("-  \"backup_strategy\": {\"start_time\": \"01:00-03:00\""),
        "{out}"
    );
    assert!(
        out.contains("+  \"backup_strategy\": {\"start_time\": \"01:00-02:00\""),
        "{out}"
    );
    assert!(!out.contains(SECRET));
    assert_eq!(read(&d), body());
    // Nothing to change: exit 0, no diff.
    let clean = setup(include_str!("../examples/ddm-scale-out.valid.json"));
    let (code, out, _) = run(
        clean.path(),
        &["check", "--no-config", "--diff", "req.json"],
    );
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fix_writes_in_place_keeps_every_other_byte_and_is_idempotent() {
    let d = setup(&body());
    let (code, out, err) = run(d.path(), &["check", "--no-config", "--fix", "req.json"]);
    let fixed = read(&d);
    let want = body()
        .replace("\"Cassandra\"", "\"cassandra\"")
        .replace("\"regoin\"", "\"region\"")
        .replace("\"cluster\"", "\"Cluster\"");
    assert_eq!(fixed, want, "{out}{err}");
    // The findings left decide the exit code: the backup window is an error.
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fixed 3 findings;"), "{out}");
    assert!(out.contains("fixable with --fix --unsafe-fixes"), "{out}");
    assert!(!out.contains(SECRET));
    // Again: nothing more to fix with the safe fixes.
    let (_, out, _) = run(d.path(), &["check", "--no-config", "--fix", "req.json"]);
    assert!(out.contains("fixed 0 findings;"), "{out}");
    assert_eq!(read(&d), want);
    // With the unsafe fixes: the window and the ignored member; the rest stays as written.
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--no-config",
            "--fix",
            "--unsafe-fixes",
            "req.json",
        ],
    );
    let all = read(&d);
    assert!(all.contains("\"start_time\": \"01:00-02:00\""), "{all}");
    assert!(
        all.ends_with(
            "  \"backup_strategy\": {\"start_time\": \"01:00-02:00\", \"keep_days\": 7}\r\n}\r\n"
        ),
        "{all:?}"
    );
    assert!(all.contains("\t\"enterprise_project_id\": \"项目-1\",\r\n"));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn invalid_json_and_duplicate_keys_are_never_rewritten() {
    for text in [
        format!("{},", body().trim_end()),
        body().replace(
            "\"mode\": \"cluster\",",
            "\"mode\": \"cluster\", \"mode\": \"cluster\",",
        ),
        "{\"flavor_id\": \"f\", \"node_number\": \"2\" // a comment\n}".to_string(),
    ] {
        let d = setup(&text);
        for flags in [&["--fix"][..], &["--fix", "--unsafe-fixes"], &["--diff"]] {
            let mut args = vec!["check", "--no-config", "req.json"];
            args.extend_from_slice(flags);
            let (code, out, _) = run(d.path(), &args);
            assert_eq!(read(&d), text, "{flags:?} rewrote:\n{out}");
            if flags == ["--diff"] {
                assert_eq!((code, out.as_str()), (0, ""));
            } else {
                assert_eq!(code, 1);
            }
        }
    }
}

#[test]
fn stdin_with_fix_writes_the_fixed_body_to_stdout_and_the_report_to_stderr() {
    let d = tempfile::tempdir().unwrap();
    let out = hcdb(d.path())
        .args(["check", "--no-config", "--fix", "-"])
        .write_stdin(body())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("\"mode\": \"Cluster\",\r\n"), "{stdout}");
    assert_eq!(
        stdout.len(),
        body().len(),
        "case and `regoin` -> `region` keep the length"
    );
    assert!(stderr.contains("fixed 3 findings;"), "{stderr}");
    // A body with nothing to fix still comes out whole (a filter).
    let valid = include_str!("../examples/ddm-scale-out.valid.json");
    let out = hcdb(d.path())
        .args(["check", "--no-config", "--fix", "-"])
        .write_stdin(valid)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), valid);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let d = setup(&body());
    let (code, _, err) = run(
        d.path(),
        &["check", "--no-config", "--unsafe-fixes", "req.json"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--unsafe-fixes"), "{err}");
    let (code, _, _) = run(
        d.path(),
        &["check", "--no-config", "--fix", "--diff", "req.json"],
    );
    assert_eq!(code, 2);
}

#[test]
fn json_and_github_outputs_carry_the_fix() {
    let d = setup(&body());
    let (_, out, _) = run(
        d.path(),
        &["check", "--no-config", "--format", "json", "req.json"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    // The engine's case first: the mode is judged (and fixed) once the engine is known.
    let ty = diags
        .iter()
        .find(|d| d["pointer"] == "/datastore/type")
        .unwrap();
    assert!(diags.iter().all(|d| d["pointer"] != "/mode"));
    let fix = &ty["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["message"], "Write `cassandra`");
    let e = &fix["edits"][0];
    assert_eq!(e["replacement"], "\"cassandra\"");
    assert_eq!(e["start"]["line"], 3);
    assert_eq!(e["start"]["column"], 25);
    assert_eq!(e["end"]["column"], 36);
    let off = e["start"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&body()[off..off + 11], "\"Cassandra\"");
    assert!(!out.contains(SECRET));
    let (_, out, _) = run(
        d.path(),
        &["check", "--no-config", "--format", "github", "req.json"],
    );
    let line = out
        .lines()
        .find(|l| l.contains("(/datastore/type)"))
        .unwrap();
    assert!(
        line.ends_with("(/datastore/type) (fixable with --fix: Write `cassandra`)"),
        "{line}"
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(path).unwrap();
    // The shipped schema's `language` pattern is not a valid ECMA-262 regex (see tests/cli.rs).
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    let text = text.replace(bad, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_fixes_validate_against_the_schema_and_replay_the_edits() {
    let d = setup(&body());
    let (_, out, _) = run(
        d.path(),
        &["check", "--no-config", "--format", "sarif", "req.json"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let with_fix: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert_eq!(with_fix.len(), 3, "type, regoin, start_time");
    let ty = with_fix
        .iter()
        .find(|r| r["properties"]["pointer"] == "/datastore/type")
        .unwrap();
    let fix = &ty["fixes"][0];
    assert_eq!(fix["description"]["text"], "Write `cassandra`");
    assert_eq!(fix["properties"]["applicability"], "safe");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "req.json");
    let r = &change["replacements"][0];
    assert_eq!(r["insertedContent"]["text"], "\"cassandra\"");
    assert_eq!(r["deletedRegion"]["startLine"], 3);
    assert_eq!(r["deletedRegion"]["startColumn"], 25);
    assert_eq!(r["deletedRegion"]["endColumn"], 36);
    let unsafe_one = with_fix
        .iter()
        .find(|r| r["properties"]["pointer"] == "/backup_strategy/start_time")
        .unwrap();
    assert_eq!(
        unsafe_one["fixes"][0]["properties"]["applicability"],
        "unsafe"
    );
    assert!(!out.contains(SECRET));
}

#[test]
fn the_config_files_ignore_keeps_its_findings_unfixed() {
    let d = setup(&body());
    std::fs::write(
        d.path().join("hcdb-lint.json"),
        r#"{"ignore": [{"files": "req.json", "rule": "GDB105"}]}"#,
    )
    .unwrap();
    let (code, out, err) = run(d.path(), &["check", "--fix", "req.json"]);
    assert!(code <= 1, "{out}{err}");
    let fixed = read(&d);
    assert!(
        fixed.contains("\"mode\": \"cluster\""),
        "an ignored finding was fixed"
    );
    assert!(fixed.contains("\"type\": \"cassandra\""));
}
