//! The reference pages' own example requests (copied verbatim into tests/seed-examples/, listed
//! per page in tests/data/reference/pages.json; tests/reference_audit.rs checks them against the
//! pages) give no diagnostics except those the project's reading of the pages predicts
//! (docs/reading-the-pages.md).
//!
//! The GeminiDB examples mask the password as `"******"`: six characters, and none of them a
//! letter or digit, so decision 4 gives GDB112 (length 8-32) and GDB113 (all four classes) at
//! `/password`; `"******"` is also a placeholder (HC009, info), as are `"aaa"`, `"bbb"` and the
//! `...-xxxxxxxx` IDs of the DDM examples. Nothing else may be reported: no other error, and no
//! warning (the GeminiDB examples' numbers for `ssl_option`, booleans for `is_auto_*` etc. are the
//! silently accepted coercions of the reading's "Types").

mod common;

use common::fixtures::repo_root;
use hcdb_lint::{check, Api, Severity};

fn seed_examples() -> Vec<(String, String)> {
    let dir = repo_root().join("tests").join("seed-examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/seed-examples exists")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).expect("readable");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

fn api_of(name: &str) -> Api {
    if name.starts_with("ddm-create") {
        Api::DdmCreateInstance
    } else if name.starts_with("ddm-scale-out") {
        Api::DdmScaleOut
    } else if name.starts_with("geminidb") {
        Api::GeminidbCreateInstance
    } else {
        panic!("{name}: unknown API prefix")
    }
}

#[test]
fn every_seed_example_is_present() {
    let names: Vec<String> = seed_examples().into_iter().map(|(n, _)| n).collect();
    let count = |p: &str| names.iter().filter(|n| n.starts_with(p)).count();
    // 1 in the English DDM page + 2 in the Chinese one; 2 scale-out; 4 GeminiDB.
    assert_eq!(count("ddm-create-en"), 1, "{names:?}");
    assert_eq!(count("ddm-create-zh"), 2, "{names:?}");
    assert_eq!(count("ddm-scale-out"), 2, "{names:?}");
    assert_eq!(count("geminidb"), 4, "{names:?}");
    // Each is listed under its page, of the API its name says.
    let reference = common::reference::Reference::load();
    let mut listed: Vec<String> = Vec::new();
    for page in &reference.pages {
        for ex in &page.examples {
            assert_eq!(api_of(ex).id(), page.api, "{ex}");
            listed.push(ex.clone());
        }
    }
    listed.sort();
    assert_eq!(listed, names);
}

#[test]
fn seed_examples_give_only_the_predicted_diagnostics() {
    for (name, text) in seed_examples() {
        let api = api_of(&name);
        let report = check(api, &text);
        let errors: Vec<(String, String)> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.rule.to_string(), d.pointer.clone()))
            .collect();
        let predicted: Vec<(String, String)> = match api {
            Api::GeminidbCreateInstance => vec![
                ("GDB112".into(), "/password".into()),
                ("GDB113".into(), "/password".into()),
            ],
            _ => vec![],
        };
        assert_eq!(errors, predicted, "{name}: {:#?}", report.diagnostics);
        let warnings: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        assert!(
            warnings.is_empty(),
            "{name}: unexpected warnings {warnings:#?}"
        );
        // Every placeholder the pages use is flagged as one.
        let placeholders: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == "HC009")
            .map(|d| d.pointer.as_str())
            .collect();
        let want: &[&str] = match api {
            Api::GeminidbCreateInstance => &["/availability_zone", "/password", "/region"],
            Api::DdmCreateInstance => &["/instance/param_group_id", "/instance/subnet_id"],
            Api::DdmScaleOut => &[],
        };
        let mut got = placeholders.clone();
        got.sort();
        assert_eq!(got, want, "{name}: placeholder infos");
        for d in &report.diagnostics {
            assert!(
                d.severity == Severity::Error || d.severity == Severity::Info,
                "{name}: {d:?}"
            );
            assert!(
                !d.message.contains("******"),
                "{name}: the password leaks in {d:?}"
            );
        }
    }
}

#[test]
fn the_masked_password_has_no_letter_or_digit() {
    // Documenting why GDB113 fires on the pages' examples: "******" has only the `*` class.
    let text = r#"{"name":"test-cassandra-01","datastore":{"type":"cassandra","version":"3.11","storage_engine":"rocksDB"},"region":"r","availability_zone":"z","vpc_id":"v","subnet_id":"s","security_group_id":"g","password":"******","mode":"Cluster","flavor":[{"num":3,"storage":"ULTRAHIGH","size":500,"spec_code":"geminidb.cassandra.4xlarge.4"}]}"#;
    let report = check(Api::GeminidbCreateInstance, text);
    let classes = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "GDB113")
        .expect("GDB113 fires");
    let missing = classes.params["missing"].as_array().expect("a list");
    assert_eq!(missing.len(), 3, "{classes:?}");
}
