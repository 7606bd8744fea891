//! Terraform plan documents: the hand-written plans of tests/terraform/plans/ (the six resource
//! types of the huaweicloud provider; create, replace, scale-out, no-op and delete; modules with
//! count and for_each; unknown and sensitive values; format versions 0.1 to 1.2; errored,
//! incomplete and unknown-format plans) each give the findings written beside them; UTF-16
//! input and stdin read like a file; no output format echoes a password or a sensitive value;
//! rules per resource address; and real plan documents that no one here wrote read cleanly.
#![cfg(all(feature = "cli", feature = "terraform"))]

use hcdb_lint::Linter;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_hcdb-lint");

fn plans() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "the plan fixtures are missing");
    out
}

/// The verdict in the expected file's shape: resources, findings, unknown values.
fn verdict(report: &hcdb_lint::terraform::PlanReport) -> Value {
    let res = |r: &Option<hcdb_lint::ResourceRef>| match r {
        Some(r) => json!([r.address, r.attribute, r.origin.as_str()]),
        None => json!([null, null, null]),
    };
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let r = res(&d.resource);
            json!([d.rule, d.severity.as_str(), r[0], r[1], r[2]])
        })
        .collect();
    let resources: Vec<Value> = report
        .resources
        .iter()
        .map(|r| {
            let outcome = match (&r.api, &r.not_linted) {
                (Some(api), _) => api.id().to_string(),
                (None, Some(why)) => why.clone(),
                (None, None) => String::new(),
            };
            json!([r.address, outcome])
        })
        .collect();
    let unknown: Vec<Value> = report
        .unknown
        .iter()
        .map(|u| {
            let r = res(&u.resource);
            json!([r[0], r[1], u.expression])
        })
        .collect();
    json!({"resources": resources, "findings": findings, "unknown": unknown})
}

#[test]
fn every_plan_gives_the_findings_written_beside_it() {
    let mut failures = Vec::new();
    for plan in plans() {
        let text = std::fs::read_to_string(&plan).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(plan.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let report = Linter::default_ref()
            .check_terraform_plan(&text)
            .unwrap_or_else(|| panic!("{}: not read as a plan", plan.display()));
        let got = verdict(&report);
        if got != expected {
            failures.push(format!(
                "{}:\n  expected {expected}\n  got      {got}",
                plan.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_finding_points_at_its_attribute_value_in_change_after() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans/ddm-create.json");
    let text = std::fs::read_to_string(plan).unwrap();
    let report = Linter::default_ref().check_terraform_plan(&text).unwrap();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "DDM102")
        .unwrap();
    let at = text.find("\"1orders\"").unwrap();
    let line = text[..at].lines().count();
    let column = at - text[..at].rfind('\n').unwrap();
    assert_eq!((d.line, d.column), (Some(line), Some(column)));
    assert_eq!(
        &text[d.span.unwrap().start..d.span.unwrap().end],
        "\"1orders\""
    );
    assert_eq!(d.pointer, "/instance/name");
}

#[test]
fn a_request_body_is_not_a_plan() {
    let body = include_str!("../examples/ddm-create-instance.valid.json");
    assert!(!hcdb_lint::terraform::is_plan(body));
    assert!(Linter::default_ref().check_terraform_plan(body).is_none());
    assert!(!hcdb_lint::terraform::is_plan(
        r#"{"format_version": "1.2"}"#
    ));
    assert!(hcdb_lint::terraform::is_plan(
        r#"{"format_version": "1.2", "resource_changes": []}"#
    ));
    // A byte order mark is allowed, as in the files PowerShell writes.
    assert!(hcdb_lint::terraform::is_plan(
        "\u{feff}{\"format_version\": \"0.1\", \"planned_values\": {}}"
    ));
}

fn run(args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> (i32, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The findings of a JSON report, as (rule, line, column, address).
fn located(stdout: &str) -> Vec<(String, Value, Value, Value)> {
    let doc: Value = serde_json::from_str(stdout).unwrap();
    doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].clone(),
                d["column"].clone(),
                d["resource"]["address"].clone(),
            )
        })
        .collect()
}

#[test]
fn utf16_with_a_byte_order_mark_and_stdin_read_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans/geminidb-modules.json");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(dir.path().join("utf8.json"), &text).unwrap();
    for (name, bom, unit) in [
        (
            "le.json",
            [0xFF, 0xFE],
            u16::to_le_bytes as fn(u16) -> [u8; 2],
        ),
        ("be.json", [0xFE, 0xFF], u16::to_be_bytes),
    ] {
        let mut bytes = bom.to_vec();
        bytes.extend(text.encode_utf16().flat_map(unit));
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (code, utf8) = run(
        &["check", "--no-config", "--format", "json", "utf8.json"],
        dir.path(),
        None,
    );
    assert_eq!(code, 1);
    let expected = located(&utf8);
    assert!(expected.iter().any(|f| f.0 == "GDB122"), "{utf8}");
    for name in ["le.json", "be.json"] {
        let (code, out) = run(
            &["check", "--no-config", "--format", "json", name],
            dir.path(),
            None,
        );
        assert_eq!((code, located(&out)), (1, expected.clone()), "{name}");
    }
    let (code, out) = run(
        &["check", "--no-config", "--format", "json", "-"],
        dir.path(),
        Some(text.as_bytes()),
    );
    assert_eq!((code, located(&out)), (1, expected), "stdin");
}

/// Every password of a plan, and every value its sensitive marks cover, in every form an
/// output could write it.
fn secrets(plan: &Value) -> Vec<String> {
    fn walk(v: &Value, key: &str, out: &mut Vec<String>) {
        match v {
            Value::String(s) if key.contains("password") && s.len() >= 4 => out.push(s.clone()),
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(a) => a.iter().for_each(|v| walk(v, key, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(plan, "", &mut out);
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        let marks = &rc["change"]["after_sensitive"];
        for (attr, mark) in marks.as_object().into_iter().flatten() {
            if mark == &Value::Bool(true) {
                if let Some(s) = rc["change"]["after"][attr].as_str() {
                    out.push(s.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_output_echoes_a_password_or_a_sensitive_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for plan in plans() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
        let secrets = secrets(&doc);
        let path = plan.to_string_lossy().into_owned();
        for format in ["human", "json", "sarif", "github"] {
            for lang in ["en", "zh"] {
                let args = [
                    "check",
                    "--no-config",
                    "--show-infos",
                    "--color",
                    "never",
                    "--lang",
                    lang,
                    "--format",
                    format,
                    &path,
                ];
                let (_, out) = run(&args, root, None);
                for s in &secrets {
                    let escaped = serde_json::to_string(s).unwrap();
                    assert!(
                        !out.contains(s.as_str()) && !out.contains(escaped.trim_matches('"')),
                        "{path} ({format}, {lang}) echoes a secret"
                    );
                    checked += 1;
                }
            }
        }
    }
    // The fixtures hold passwords in clear text, as real plans do.
    assert!(checked > 100, "only {checked} checks");
}

#[test]
fn rules_per_resource_address_and_the_reading_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans/geminidb-modules.json");
    std::fs::copy(&plan, dir.path().join("plan.json")).unwrap();
    // Written out: the order of the globs matters.
    let config = r#"{"terraform": {
        "module.db[\"prod\"].module.cache.*": {"rules": {"GDB122": "off", "GDB148": "warning"}},
        "module.*": {"rules": {"GDB136": "off"}}
    }}"#;
    std::fs::write(dir.path().join("hcdb-lint.json"), config).unwrap();
    let (_, out) = run(
        &["check", "--format", "json", "plan.json"],
        dir.path(),
        None,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<(&str, &str)> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert!(!rules.iter().any(|r| r.0 == "GDB122"), "{rules:?}");
    assert!(rules.contains(&("GDB148", "warning")), "{rules:?}");
    // The first glob that matches wins: the cache's resources keep GDB136 on, the module's
    // own resources do not (the mongo instances have GDB136 errors without the config).
    assert!(!rules.iter().any(|r| r.0 == "GDB136"), "{rules:?}");
    assert!(rules.contains(&("GDB127", "error")), "{rules:?}");

    std::fs::write(dir.path().join("hcdb-lint.json"), r#"{"terraform": false}"#).unwrap();
    let (_, out) = run(
        &["check", "--format", "json", "plan.json"],
        dir.path(),
        None,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(doc["files"][0].get("resources").is_none(), "{out}");

    std::fs::write(
        dir.path().join("hcdb-lint.json"),
        r#"{"terraform": {"x": {"rules": {"NOPE1": "off"}}}}"#,
    )
    .unwrap();
    let (code, _) = run(&["check", "plan.json"], dir.path(), None);
    assert_eq!(
        code, 2,
        "a rule that does not exist is a configuration error"
    );
}

/// Real plan documents, written by Terraform for hashicorp/terraform-json's tests and installed
/// by Debian's golang-github-hashicorp-terraform-json-dev (scripts/test.sh installs it; the
/// directory can be moved with HCDB_TERRAFORM_JSON_TESTDATA). None holds a huaweicloud
/// resource: each reads as a plan with no finding, and every cut of one is a syntax error.
#[test]
fn real_plans_read_cleanly() {
    let dir = std::env::var_os("HCDB_TERRAFORM_JSON_TESTDATA").map_or_else(
        || PathBuf::from("/usr/share/gocode/src/github.com/hashicorp/terraform-json/testdata"),
        PathBuf::from,
    );
    let plans: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; install Debian's golang-github-hashicorp-terraform-json-dev (scripts/test.sh does)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path().join("plan.json"))
        .filter(|p| p.is_file())
        .collect();
    assert!(plans.len() >= 5, "{}: too few plans", dir.display());
    let linter = Linter::default_ref();
    for plan in &plans {
        let text = std::fs::read_to_string(plan).unwrap();
        let report = linter
            .check_terraform_plan(&text)
            .unwrap_or_else(|| panic!("{}: not read as a plan", plan.display()));
        assert!(
            report.diagnostics.is_empty(),
            "{}: {:?}",
            plan.display(),
            report.diagnostics
        );
        assert!(report.resources.is_empty(), "{}", plan.display());
        for cut in [text.len() / 3, text.len() / 2, text.trim_end().len() - 1] {
            let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            let broken = linter.check_bytes(None, &text.as_bytes()[..cut]);
            let rules: Vec<&str> = broken.diagnostics.iter().map(|d| &*d.rule).collect();
            assert!(
                rules == ["HC001"] || rules == ["HC011"],
                "{} cut at {cut}: {rules:?}",
                plan.display()
            );
        }
    }
}

/// The rules about the plan itself and the provider's quirk, each from its own fixture, at the
/// member of the plan it is about.
#[test]
fn the_plan_rules_fire_where_they_belong() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans");
    for (file, rule, at) in [
        ("plan-format-2.json", "HC018", "\"2.0\""),
        ("plan-errored.json", "HC019", "true"),
        ("plan-incomplete.json", "HC020", "false"),
        ("ddm-scale-out.json", "HC021", "\"035b70ed"),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let report = Linter::default_ref().check_terraform_plan(&text).unwrap();
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == rule)
            .unwrap_or_else(|| panic!("{file}: no {rule}"));
        let span = d.span.unwrap();
        assert!(
            text[span.start..].starts_with(at),
            "{file}: {rule} at {:?}",
            &text[span.start..span.end]
        );
    }
}

/// docs/terraform-mapping.md is the mapping as `mapping_markdown` writes it
/// (`UPDATE_TERRAFORM_DOC=1 cargo test --test terraform_plan` regenerates it).
#[test]
fn the_mapping_page_is_generated_from_the_mapping() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/terraform-mapping.md");
    let page = format!(
        "# The Terraform mapping\n\n<!-- Generated from rules/terraform/*.json by \
         `hcdb_lint::terraform::mapping_markdown()`; do not edit.\n     Regenerate with \
         `UPDATE_TERRAFORM_DOC=1 cargo test --test terraform_plan`. -->\n\nWhich request body the \
         huaweicloud provider sends for each resource type hcdb-lint reads, member by member: the \
         attribute each member comes from, and what the provider sends when the attribute is not \
         set. See [terraform.md](terraform.md) for how plans are checked.\n\n{}",
        hcdb_lint::terraform::mapping_markdown()
    );
    if std::env::var_os("UPDATE_TERRAFORM_DOC").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == page, "docs/terraform-mapping.md is stale: UPDATE_TERRAFORM_DOC=1 cargo test --test terraform_plan");
}

/// A plan is not a request body: the body size limit does not cap it (plans reach tens of MB);
/// the nesting limit still holds for what is read.
#[test]
fn the_body_size_limit_does_not_cap_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/plans/geminidb-modules.json");
    std::fs::copy(&plan, dir.path().join("plan.json")).unwrap();
    std::fs::write(
        dir.path().join("hcdb-lint.json"),
        r#"{"max_input_bytes": 1000, "max_depth": 3}"#,
    )
    .unwrap();
    let (_, out) = run(
        &["check", "--format", "json", "plan.json"],
        dir.path(),
        None,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let resources = doc["files"][0]["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 4, "{out}");
    // The mongo instances' changes nest deeper than 3 (change, after, datastore, its block):
    // not read, and said so; the redis instances' do not.
    for r in resources {
        let mongo = r["address"].as_str().unwrap().contains("mongo");
        assert_eq!(r["not_linted"] == "unreadable", mongo, "{r}");
    }
}
