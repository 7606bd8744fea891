//! `hcdb-lint check` on Terraform modules (`.tf`, `.tf.json`, variables files): each fixture
//! under tests/terraform/sources/ has its expected findings written out in `expected.txt`
//! (rule, file:line:column, address, attribute); the modules written in the provider's examples'
//! style draw no error and no warning; variables from the command line and the environment;
//! fixes byte-exact; no password in any output.
#![cfg(feature = "cli")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/sources")
}

fn hcdb(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"));
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    c
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = hcdb(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (_, out, err) = run(dir, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

/// `RULE file:line:column address attribute` of every finding, in report order.
fn lines(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for f in v["files"].as_array().expect("files") {
        for d in f["diagnostics"].as_array().expect("diagnostics") {
            let r = &d["resource"];
            out.push(format!(
                "{} {}:{}:{} {} {}",
                d["rule"].as_str().unwrap_or_default(),
                f["file"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                r["address"].as_str().unwrap_or("-"),
                r["attribute"].as_str().unwrap_or("-"),
            ));
        }
    }
    out
}

#[test]
fn each_fixture_draws_its_expected_findings() {
    for dir in [
        "ddm",
        "geminidb",
        "legacy",
        "modules/root",
        "syntax",
        "json",
    ] {
        let v = json(
            &sources(),
            &["check", dir, "--no-config", "--format", "json"],
        );
        let expected = std::fs::read_to_string(sources().join(dir).join("expected.txt"))
            .expect("expected.txt");
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines(&v), expected, "{dir}");
    }
}

#[test]
fn modules_in_the_providers_style_draw_no_error_or_warning() {
    for dir in [
        "valid/ddm-basic",
        "valid/geminidb-cassandra",
        "valid/geminidb-redis",
    ] {
        let (code, out, err) = run(
            &sources(),
            &["check", dir, "--no-config", "--format", "json"],
        );
        assert_eq!(code, 0, "{dir}: {out}{err}");
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["summary"]["errors"], 0, "{dir}");
        assert_eq!(v["summary"]["warnings"], 0, "{dir}");
        // Each was linted, and what it leaves unknown (data sources, random_password) is listed.
        let linted: Vec<&Value> = v["files"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["resources"].as_array().into_iter().flatten())
            .collect();
        assert_eq!(linted.len(), 1, "{dir}");
        assert!(linted[0]["api"].is_string(), "{dir}");
        assert!(
            v["summary"]["unknown_after_apply"].as_u64().unwrap_or(0) >= 4,
            "{dir}"
        );
    }
}

#[test]
fn unknown_values_name_address_attribute_and_expression() {
    let v = json(
        &sources(),
        &["check", "ddm", "--no-config", "--format", "json"],
    );
    let unknown = &v["files"][0]["unknown"];
    let engine = unknown
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["resource"]["attribute"] == "engine_id")
        .expect("engine_id is unknown");
    assert_eq!(
        engine["expression"],
        "try(data.huaweicloud_ddm_engines.e.engines[0].id, null)"
    );
    assert_eq!(
        engine["resource"]["address"],
        "huaweicloud_ddm_instance.this"
    );
    assert_eq!(
        (engine["line"].as_u64(), engine["column"].as_u64()),
        (Some(12), Some(24))
    );
}

#[test]
fn registry_modules_are_listed_as_not_read() {
    let v = json(
        &sources(),
        &["check", "modules/root", "--no-config", "--format", "json"],
    );
    let resources: Vec<&Value> = v["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["resources"].as_array().into_iter().flatten())
        .collect();
    let network = resources
        .iter()
        .find(|r| r["address"] == "module.network")
        .expect("listed");
    assert_eq!(network["not_linted"], "module-not-local");
    let (_, human, _) = run(
        &sources(),
        &["check", "modules/root", "--no-config", "--color", "never"],
    );
    assert!(human.contains("module.network: not read: the module's source is not a local path"));
}

#[test]
fn variables_from_the_command_line_and_the_environment() {
    // --var wins over the default; the finding is at the attribute (no file holds the value).
    let v = json(
        &sources(),
        &[
            "check",
            "geminidb",
            "--no-config",
            "--format",
            "json",
            "--var",
            "nodes=1",
        ],
    );
    assert!(lines(&v).contains(
        &"GDB122 geminidb/main.tf:29:17 huaweicloud_geminidb_instance.cassandra[0] flavor[0].num"
            .to_string()
    ));
    // --var-file wins over terraform.tfvars: a strong password, a node count.
    let dir = tempfile::tempdir().expect("temp");
    let extra = dir.path().join("fix.tfvars");
    std::fs::write(
        &extra,
        "admin_password = \"Str0ng!Passw0rd\"\nnode_count = 2\n",
    )
    .expect("w");
    let v = json(
        &sources(),
        &[
            "check",
            "ddm",
            "--no-config",
            "--format",
            "json",
            "--var-file",
            extra.to_str().unwrap(),
        ],
    );
    let found = lines(&v);
    assert!(
        !found
            .iter()
            .any(|l| l.contains("admin_password") || l.contains("node_num")),
        "{found:?}"
    );
    // TF_VAR_ with --env only, below the variables files.
    let only_env = tempfile::tempdir().expect("temp");
    std::fs::write(
        only_env.path().join("main.tf"),
        "variable \"n\" {}\nresource \"huaweicloud_ddm_instance\" \"x\" {\n  name = var.n\n}\n",
    )
    .expect("w");
    let names = |env: bool| {
        let mut args = vec!["check", ".", "--no-config", "--format", "json"];
        if env {
            args.push("--env");
        }
        let out = hcdb(only_env.path())
            .env("TF_VAR_n", "1x")
            .args(&args)
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        lines(&v)
    };
    assert!(
        names(true)
            .iter()
            .any(|l| l.starts_with("DDM101 main.tf:3:10")),
        "{:?}",
        names(true)
    );
    assert!(!names(false).iter().any(|l| l.starts_with("DDM101")));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn fixes_edit_only_the_literal_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp");
    for m in ["geminidb", "json", "ddm"] {
        copy_dir(&sources().join(m), &dir.path().join(m));
    }
    let before = std::fs::read_to_string(dir.path().join("geminidb/main.tf")).expect("read");
    let (_, diff, _) = run(dir.path(), &["check", "geminidb", "--no-config", "--diff"]);
    assert!(
        diff.contains("-    storage_engine = \"RocksDB\"")
            && diff.contains("+    storage_engine = \"rocksDB\""),
        "{diff}"
    );
    let (_, _, _) = run(
        dir.path(),
        &["check", "geminidb", "json", "ddm", "--no-config", "--fix"],
    );
    let after = std::fs::read_to_string(dir.path().join("geminidb/main.tf")).expect("read");
    assert_eq!(after, before.replacen("\"RocksDB\"", "\"rocksDB\"", 1));
    // The comment above it and the alignment stay; the unsafe fix (the backup window) waits.
    assert!(
        after.contains("    # the service spells it rocksDB\n    storage_engine = \"rocksDB\"\n")
    );
    assert!(after.contains("\"03:00-05:00\""));
    let json_before = std::fs::read_to_string(sources().join("json/main.tf.json")).expect("read");
    let json_after = std::fs::read_to_string(dir.path().join("json/main.tf.json")).expect("read");
    assert_eq!(
        json_after,
        json_before.replacen("\"RocksDB\"", "\"rocksDB\"", 1)
    );
    // Values that come from a variable or an expression are never rewritten.
    for f in ["ddm/main.tf", "ddm/terraform.tfvars", "ddm/variables.tf"] {
        let a = std::fs::read_to_string(sources().join(f)).expect("read");
        let b = std::fs::read_to_string(dir.path().join(f)).expect("read");
        assert_eq!(a, b, "{f}");
    }
}

#[test]
fn heredocs_and_comments_survive_a_fix() {
    let dir = tempfile::tempdir().expect("temp");
    let text = "resource \"huaweicloud_geminidb_instance\" \"h\" {\n  name = \"heredoc-1\" # why\n  description = <<-EOT\n    RocksDB \"quoted\"\n  EOT\n  datastore {\n    type           = \"cassandra\"\n    version        = \"3.11\"\n    storage_engine = \"RocksDB\"   /* keep */\n  }\n}\n";
    std::fs::write(dir.path().join("main.tf"), text).expect("w");
    run(dir.path(), &["check", ".", "--no-config", "--fix"]);
    let after = std::fs::read_to_string(dir.path().join("main.tf")).expect("read");
    let expected = text.replace(
        "storage_engine = \"RocksDB\"",
        "storage_engine = \"rocksDB\"",
    );
    assert_eq!(after, expected);
}

#[test]
fn no_password_in_any_output() {
    let secrets = ["pw4qz", "Secr3t!pass", "Hidden!pass1", "redis2024pass"];
    for format in ["human", "json", "sarif", "github"] {
        for dir in ["ddm", "legacy", "syntax", "valid/geminidb-redis"] {
            let (_, out, err) = run(
                &sources(),
                &[
                    "check",
                    dir,
                    "--no-config",
                    "--format",
                    format,
                    "--show-infos",
                    "--color",
                    "never",
                ],
            );
            for s in secrets {
                assert!(
                    !out.contains(s) && !err.contains(s),
                    "{format} {dir} shows {s}"
                );
            }
        }
    }
    let (_, diff, _) = run(
        &sources(),
        &["check", "syntax", "legacy", "--no-config", "--diff"],
    );
    for s in secrets {
        assert!(!diff.contains(s));
    }
}

#[test]
fn a_walk_reads_each_module_once_and_a_child_through_its_caller() {
    let v = json(
        &sources().join("modules"),
        &["check", "--no-config", "--format", "json"],
    );
    let found = lines(&v);
    // The child directory is read as `module.db` of its caller, not again as a root.
    assert!(
        found
            .iter()
            .all(|l| !l.contains(" huaweicloud_ddm_instance.this ")),
        "{found:?}"
    );
    assert!(found
        .iter()
        .any(|l| l.contains("module.db.huaweicloud_ddm_instance.this name")));
}

#[test]
fn a_plan_checked_with_its_sources_names_the_tf_line() {
    let args = [
        "check",
        "plan-source/plan.json",
        "--source",
        "plan-source",
        "--no-config",
        "--format",
    ];
    let v = json(&sources(), &[&args[..], &["json"]].concat());
    let diags = v["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let name = diags
        .iter()
        .find(|d| d["rule"] == "DDM102")
        .expect("DDM102");
    assert_eq!(
        name["resource"]["source"],
        serde_json::json!({"file": "plan-source/main.tf", "line": 7, "column": 24})
    );
    // An attribute the configuration does not set has no place in it.
    let unset = diags
        .iter()
        .find(|d| d["rule"] == "DDM119")
        .expect("DDM119");
    assert!(unset["resource"]["source"].is_null());
    let sarif = json(&sources(), &[&args[..], &["sarif"]].concat());
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "DDM102")
        .expect("result");
    assert_eq!(
        r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
    // Without --source, the current directory is the module when it holds .tf files.
    let here = json(
        &sources().join("plan-source"),
        &["check", "plan.json", "--no-config", "--format", "json"],
    );
    let name = here["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["rule"] == "DDM102")
        .cloned()
        .unwrap_or_default();
    assert_eq!(name["resource"]["source"]["file"], "main.tf");
    // Else the plan's findings are as before.
    let plain = json(
        &sources(),
        &[
            "check",
            "plan-source/plan.json",
            "--no-config",
            "--format",
            "json",
        ],
    );
    assert!(plain["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|d| d["resource"]["source"].is_null()));
}
