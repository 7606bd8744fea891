//! The command line's strict mode (`--strict`, `"strict": true`) and advice only when asked
//! (`--show-infos`, `"show_infos": true`).
#![cfg(feature = "cli")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A GeminiDB Redis body with 2 nodes in Replication: documented 3-12, seen accepted.
fn redis_two_nodes(dir: &Path) {
    let mut body: Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("geminidb-redis.valid.json")).unwrap(),
    )
    .unwrap();
    body["mode"] = "Replication".into();
    body.as_object_mut().unwrap().remove("product_type");
    body["flavor"][0]["num"] = 2.into();
    std::fs::write(dir.join("redis.json"), body.to_string()).unwrap();
}

#[test]
fn a_valid_body_prints_no_info_block_and_says_how_many_it_hid() {
    let dir = examples();
    let (code, out, _) = run(
        &dir,
        &[
            "check",
            "--no-config",
            "--color",
            "never",
            "ddm-create-instance.valid.json",
        ],
    );
    assert_eq!(code, 0);
    // The JSON report has the infos that the human format hides.
    let (_, json, _) = run(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "ddm-create-instance.valid.json",
        ],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    let infos = v["summary"]["infos"].as_u64().unwrap();
    assert!(infos >= 1, "the valid example has advice: {json}");
    assert_eq!(
        out,
        format!(
            "no findings in 1 file; {infos} {} not shown: --show-infos\n",
            if infos == 1 { "info" } else { "infos" }
        )
    );
    // Asked for, they are shown, and counted as findings.
    let (code, shown, _) = run(
        &dir,
        &[
            "check",
            "--no-config",
            "--color",
            "never",
            "--show-infos",
            "ddm-create-instance.valid.json",
        ],
    );
    assert_eq!(code, 0);
    assert!(shown.contains("╭─["), "{shown}");
    assert!(shown.contains(&format!("{infos} info")), "{shown}");
    assert!(!shown.contains("not shown"), "{shown}");
    // SARIF always carries them (as notes).
    let (_, sarif, _) = run(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            "ddm-create-instance.valid.json",
        ],
    );
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let notes = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "note")
        .count();
    assert_eq!(notes as u64, infos);
    // In Chinese too.
    let (_, zh, _) = run(
        &dir,
        &[
            "check",
            "--no-config",
            "--lang",
            "zh",
            "ddm-create-instance.valid.json",
        ],
    );
    assert!(
        zh.contains(&format!("另有 {infos} 条提示未显示:--show-infos")),
        "{zh}"
    );
}

#[test]
fn show_infos_in_the_config_file_and_a_failing_info_level_show_them() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        examples().join("ddm-create-instance.valid.json"),
        d.path().join("body.json"),
    )
    .unwrap();
    let (_, hidden, _) = run(d.path(), &["check", "--color", "never", "body.json"]);
    assert!(hidden.contains("not shown"), "{hidden}");
    assert!(!hidden.contains("╭─["), "{hidden}");
    // Infos that fail the run are shown.
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--color",
            "never",
            "--fail-level",
            "info",
            "body.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(out.contains("╭─[") && !out.contains("not shown"), "{out}");
    std::fs::write(d.path().join("hcdb-lint.json"), r#"{"show_infos": true}"#).unwrap();
    let (code, out, _) = run(d.path(), &["check", "--color", "never", "body.json"]);
    assert_eq!(code, 0);
    assert!(out.contains("╭─[") && !out.contains("not shown"), "{out}");
    std::fs::write(d.path().join("hcdb-lint.json"), r#"{"show_infos": "yes"}"#).unwrap();
    let (code, _, err) = run(d.path(), &["check", "body.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("hcdb-lint.json") && err.contains("show_infos"),
        "{err}"
    );
}

#[test]
fn strict_turns_observed_acceptance_back_into_the_documented_error() {
    let d = tempfile::tempdir().unwrap();
    redis_two_nodes(d.path());
    let json = |args: &[&str]| -> (i32, Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        all.push("redis.json");
        let (code, out, err) = run(d.path(), &all);
        (
            code,
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
        )
    };
    let num = |v: &Value| -> Value {
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["pointer"] == "/flavor/0/num")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (code, v) = json(&[]);
    assert_eq!(code, 0);
    let w = num(&v);
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["rule"], "GDB122");
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("documented: 3 to 12"),
        "{w}"
    );
    assert!(w["params"]["evidence"]["project"]
        .as_str()
        .unwrap()
        .contains("Terraform"));
    let (code, v) = json(&["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(num(&v)["severity"], "error");
    assert!(num(&v)["params"].get("evidence").is_none());
    // The same from the config file.
    std::fs::write(d.path().join("hcdb-lint.json"), r#"{"strict": true}"#).unwrap();
    let (code, v) = json(&[]);
    assert_eq!(code, 1);
    assert_eq!(num(&v)["severity"], "error");
    std::fs::write(d.path().join("hcdb-lint.json"), r#"{"strict": 1}"#).unwrap();
    let (code, out, err) = run(d.path(), &["check", "redis.json"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("hcdb-lint.json") && err.contains("strict"),
        "{err}"
    );
}

#[test]
fn explain_lists_a_rules_observed_acceptances() {
    let (code, out, _) = run(&examples(), &["explain", "GDB122"]);
    assert_eq!(code, 0);
    assert!(out.contains("2 nodes for Replication"), "{out}");
    assert!(out.contains("2 nodes for EnhancedCluster"), "{out}");
    assert!(
        out.contains("huaweicloud/terraform-provider-huaweicloud"),
        "{out}"
    );
    let (_, out, _) = run(&examples(), &["explain", "DDM126"]);
    assert!(out.contains("Ignored member"), "{out}");
    let (_, out, _) = run(&examples(), &["explain", "--format", "json", "GDB119"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["observed"][0]["accepted"]["en"], "Standard");
}
