//! Inputs the fuzz targets (fuzz/) found, kept as tests. Each names the target and the
//! invariant it broke; the input files are also in fuzz/corpus/<target>/regression-*.

use hcdb_lint::{Api, Config, Linter, Report};
use serde_json::json;

const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");

fn assert_worded(report: &Report) {
    for d in &report.diagnostics {
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        assert!(!d.help.trim().is_empty(), "empty help: {d:?}");
    }
}

/// check_bytes / check_value: "every diagnostic has a message". GDB127's message quotes
/// `{value}`, which the backup-window check did not pass, so the whole message rendered empty.
#[test]
fn backup_window_message_is_not_empty() {
    for (window, problem) in [
        ("08:15-10:15", "HH must be hh + 1"),
        ("08:15-09:30", "mm and MM must be equal"),
        ("08:10-09:10", "minutes must be 00, 15, 30 or 45"),
        ("8:15-9:15", "not in hh:mm-HH:MM form"),
    ] {
        let mut body: serde_json::Value = serde_json::from_str(CASSANDRA).unwrap();
        body["backup_strategy"]["start_time"] = json!(window);
        for lang in ["en", "zh"] {
            let config: Config = serde_json::from_value(json!({ "lang": lang })).unwrap();
            let linter = Linter::new(config).unwrap();
            let r = linter.check_value(Api::GeminidbCreateInstance, &body);
            assert_worded(&r);
            let d = r
                .diagnostics
                .iter()
                .find(|d| d.rule == "GDB127")
                .expect("GDB127");
            assert!(d.message.contains(window), "{lang}: {}", d.message);
            if lang == "en" {
                assert!(d.message.contains(problem), "{}", d.message);
            }
            assert_eq!(d.params["value"], json!(window));
        }
    }
    let input = include_bytes!("../fuzz/corpus/check_bytes/regression-gdb127-empty-message");
    let r = Linter::default_ref().check_bytes(None, &input[1..]);
    assert!(r.diagnostics.iter().any(|d| d.rule == "GDB127"));
    assert_worded(&r);
}

/// Every rule's message, over every example (valid and invalid) in both languages, is worded.
#[test]
fn every_example_diagnostic_is_worded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for lang in ["en", "zh"] {
        let config: Config = serde_json::from_value(json!({ "lang": lang })).unwrap();
        let linter = Linter::new(config).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let bytes = std::fs::read(&path).unwrap();
                assert_worded(&linter.check_bytes(None, &bytes));
            }
        }
    }
}

/// config: "line/column of a span's end match the text". HC011 was positioned against an
/// empty text, so its span 0..1 ended at column 1 instead of 2.
#[test]
fn too_large_input_span_end_is_on_the_text() {
    let linter = Linter::new(Config {
        max_input_bytes: 600,
        max_depth: 3,
        ..Config::default()
    })
    .unwrap();
    let r = linter.check_str(Api::GeminidbCreateInstance, CASSANDRA);
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!(d.rule, "HC011");
    assert_eq!(d.span.map(|s| (s.start, s.end)), Some((0, 1)));
    assert_eq!(
        (d.line, d.column, d.end_line, d.end_column),
        (Some(1), Some(1), Some(1), Some(2))
    );
    // A CRLF first line: the `\r` is not a column of its own.
    let text = format!("\r\n{}", " ".repeat(700));
    let d = &linter.check_str(Api::DdmScaleOut, &text).diagnostics[0];
    assert_eq!(
        (d.line, d.column, d.end_line, d.end_column),
        (Some(1), Some(1), Some(1), Some(1))
    );
}

/// check_bytes: duplicated keys. serde_json keeps one of them, the text path sees both; the
/// agreement property is therefore stated for text without duplicates, and the text path must
/// flag every duplicate (HC003) at its second occurrence.
#[test]
fn duplicated_unknown_members_are_flagged_as_duplicates() {
    let input = include_bytes!("../fuzz/corpus/check_bytes/regression-duplicate-unknown-member");
    // A mangled DDM body (three of its members left): too few to be recognised, so named.
    let r = Linter::default_ref().check_bytes(Some(hcdb_lint::Api::DdmCreateInstance), &input[1..]);
    let dups: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "HC003")
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(dups, ["/instance/period_type", "/instance/period_num"]);
    let text = std::str::from_utf8(&input[1..]).unwrap();
    let second = text.rfind("\"period_type\"").unwrap();
    let d = r.diagnostics.iter().find(|d| d.rule == "HC003").unwrap();
    assert_eq!(d.span.map(|s| s.start), Some(second));
    // Undeclared, they are also unknown members: one finding each, as the value path (which
    // keeps one of the two) gives, at the occurrence that counts (the last).
    let unknown: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.name == "unknown-member" && d.pointer.starts_with("/instance/period_"))
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert_eq!(unknown[0].span.map(|s| s.start), Some(second));
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let from_value = Linter::default_ref().check_value(Api::DdmCreateInstance, &value);
    let value_unknown: Vec<_> = from_value
        .diagnostics
        .iter()
        .filter(|d| d.name == "unknown-member" && d.pointer.starts_with("/instance/period_"))
        .collect();
    assert_eq!(unknown.len(), value_unknown.len());
}

/// check_bytes: "check_str and check_value agree". The nearest float of this node count is
/// whole, the number written is not: the text path judged the rounded float and let it pass,
/// the value path (serde_json, without `float_roundtrip`, reads it as ...499.5) drew HC005.
/// Wholeness is now decided on the digits as written, so every text entry point draws HC005.
#[test]
fn a_fraction_beyond_float_precision_is_not_whole_on_any_path() {
    let text = r#"{"flavor_id":"F","node_number":3048335780245499.1783999353824676561}"#;
    let linter = Linter::default_ref();
    let api = Api::DdmScaleOut;
    let hc005 = |r: &Report| {
        r.diagnostics
            .iter()
            .filter(|d| d.rule == "HC005")
            .map(|d| d.pointer.clone())
            .collect::<Vec<_>>()
    };
    let from_text = linter.check_str(api, text);
    assert_eq!(hc005(&from_text), ["/node_number"], "{from_text:?}");
    assert!(from_text.diagnostics[0].message.contains("whole"));
    assert_eq!(linter.check_bytes(Some(api), text.as_bytes()), from_text);
    // Without the API given, a node count that is not a whole number is not one of the API's
    // members with its type: the body is not recognised, which is an error too.
    assert!(linter.check_bytes(None, text.as_bytes()).has_errors());
    assert!(!linter.is_valid_str(api, text));
    // A value holds a float, not the digits: serde_json reads this one as ...499.5 (the fuzz
    // crate's build) or, with its `float_roundtrip` feature (this test's build), as ...499.0.
    // Each is judged as the number it is.
    let value = json!({"flavor_id": "F", "node_number": 3048335780245499.5});
    assert_eq!(hc005(&linter.check_value(api, &value)), ["/node_number"]);
    assert!(!linter.is_valid(api, &value));
    let value = json!({"flavor_id": "F", "node_number": 3048335780245499.0});
    assert!(hc005(&linter.check_value(api, &value)).is_empty());
    assert!(linter.is_valid(api, &value));
    // The same number with its fraction written as zeros is whole on every text path.
    let whole = r#"{"flavor_id":"F","node_number":3048335780245499.000000000000000000}"#;
    assert!(hc005(&linter.check_str(api, whole)).is_empty());
    assert!(linter.is_valid_str(api, whole));
    let input = include_bytes!("../fuzz/corpus/check_bytes/regression-whole-on-the-digits");
    assert_eq!(input[0], 1, "the fuzz target reads byte 1 as ddm-scale-out");
    assert_eq!(linter.check_bytes(Some(api), &input[1..]), from_text);
}
