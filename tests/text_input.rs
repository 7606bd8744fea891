//! Text input: spans, 1-based line/column, BOM, CRLF, duplicate keys, syntax errors, non-objects,
//! size/depth limits, invalid UTF-8, API detection, and `check_field`. These also cover the linter
//! rules that only text can trigger: "HC001", "HC002", "HC003", "HC011", "HC012", "HC013", "HC014".

mod common;

use common::fixtures::{example, example_files, examples_dir};
use hcdb_lint::{check, detect_api, Api, Config, Diagnostic, Linter, Report, Severity};
use serde_json::json;

fn find<'r>(r: &'r Report, rule: &str, pointer: &str) -> &'r Diagnostic {
    r.diagnostics
        .iter()
        .find(|d| d.rule == rule && d.pointer == pointer)
        .unwrap_or_else(|| panic!("no {rule} at `{pointer}` in {:#?}", r.diagnostics))
}

/// 1-based line and column (in characters) of a byte offset, computed independently.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn slice<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    let s = d.span.expect("text input has spans");
    &text[s.start..s.end]
}

fn cassandra_text() -> String {
    std::fs::read_to_string(examples_dir().join("geminidb-cassandra.valid.json")).expect("example")
}

#[test]
fn scalar_findings_point_at_the_value() {
    let text = cassandra_text().replace("\"orders-prod-01\"", "\"1abc\"");
    let r = check(Api::GeminidbCreateInstance, &text);
    let d = find(&r, "GDB102", "/name");
    assert_eq!(slice(&text, d), "\"1abc\"");
    let start = text.find("\"1abc\"").expect("present");
    assert_eq!((d.line.unwrap(), d.column.unwrap()), line_col(&text, start));
    assert_eq!(d.line, Some(2), "the name is on the second line");
}

#[test]
fn object_findings_point_at_the_key_and_missing_members_at_their_parent_key() {
    let text = cassandra_text().replace(
        "\"ssl_option\": \"1\",",
        "\"ssl_option\": \"1\",\n  \"restore_info\": {},",
    );
    let text = text.replace("\"type\": \"cassandra\",", "");
    let r = check(Api::GeminidbCreateInstance, &text);
    // A rule about a whole object: the object's key.
    let d = find(&r, "GDB139", "/restore_info");
    assert_eq!(slice(&text, d), "\"restore_info\"");
    // A missing member: its parent's key.
    let d = find(&r, "HC004", "/datastore/type");
    assert_eq!(slice(&text, d), "\"datastore\"");
    let at = text.find("\"datastore\"").expect("present");
    assert_eq!((d.line.unwrap(), d.column.unwrap()), line_col(&text, at));
}

#[test]
fn missing_root_members_point_at_the_opening_brace() {
    let text = "  {\"flavor_id\": \"f\"}";
    let r = check(Api::DdmScaleOut, text);
    let d = find(&r, "HC004", "/node_number");
    assert_eq!(slice(text, d), "{");
    assert_eq!((d.line, d.column), (Some(1), Some(3)));
}

#[test]
fn byte_order_mark_is_skipped() {
    let text = format!("\u{feff}{}", cassandra_text());
    let r = check(Api::GeminidbCreateInstance, &text);
    assert!(!r.has_errors(), "{:#?}", r.diagnostics);
    let bad = text.replace("\"orders-prod-01\"", "\"abc\"");
    let r = check(Api::GeminidbCreateInstance, &bad);
    let d = find(&r, "GDB101", "/name");
    assert_eq!(slice(&bad, d), "\"abc\"");
    assert_eq!(d.line, Some(2));
}

#[test]
fn crlf_line_endings_count_one_line_each() {
    let text = cassandra_text()
        .replace('\n', "\r\n")
        .replace("\"ULTRAHIGH\"", "\"SSD\"");
    let r = check(Api::GeminidbCreateInstance, &text);
    let d = find(&r, "GDB125", "/flavor/0/storage");
    assert_eq!(slice(&text, d), "\"SSD\"");
    let at = text.find("\"SSD\"").expect("present");
    let (line, _) = line_col(&text, at);
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    assert_eq!((d.line.unwrap(), d.column.unwrap()), (line, col));
}

#[test]
fn duplicate_keys_are_errors_at_the_duplicated_member() {
    let text = "{\n  \"flavor_id\": \"f\",\n  \"node_number\": 1,\n  \"node_number\": 2\n}";
    let r = check(Api::DdmScaleOut, text);
    let d = find(&r, "HC003", "/node_number");
    assert_eq!(d.severity, Severity::Error);
    // The span is the second occurrence's key.
    assert_eq!(
        d.span.unwrap().start,
        text.rfind("\"node_number\"").unwrap()
    );
    assert_eq!((d.line, d.column), (Some(4), Some(3)));
    // Nested duplicates get the nested pointer.
    let nested = cassandra_text().replace(
        "\"type\": \"cassandra\",",
        "\"type\": \"cassandra\", \"type\": \"redis\",",
    );
    let r = check(Api::GeminidbCreateInstance, &nested);
    find(&r, "HC003", "/datastore/type");
}

#[test]
fn the_last_of_duplicated_keys_decides_conditions_and_lookups_as_in_a_value() {
    // Conditions and table lookups read engine, mode and charge mode; the visit records those
    // fields as it meets them. With duplicates, the text must read what the value keeps.
    let base = cassandra_text();
    let edits = [
        (
            "\"type\": \"cassandra\",",
            "\"type\": \"redis\", \"type\": \"cassandra\",",
        ),
        (
            "\"type\": \"cassandra\",",
            "\"type\": \"cassandra\", \"type\": \"redis\",",
        ),
        (
            "\"mode\": \"Cluster\",",
            "\"mode\": \"Cluster\", \"mode\": \"ReplicaSet\",",
        ),
        (
            "\"mode\": \"Cluster\",",
            "\"mode\": \"ReplicaSet\", \"mode\": \"Cluster\",",
        ),
        (
            "\"charge_mode\": \"prePaid\",",
            "\"charge_mode\": \"prePaid\", \"charge_mode\": \"postPaid\",",
        ),
        (
            "\"datastore\": {",
            "\"datastore\": {\"type\": \"redis\", \"version\": \"5.0\"}, \"datastore\": {",
        ),
    ];
    let linter = Linter::default();
    let key = |r: &Report| {
        let mut v: Vec<(String, String)> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule != "HC003")
            .map(|d| (d.rule.to_string(), d.pointer.clone()))
            .collect();
        v.sort();
        v
    };
    let plain = key(&linter.check_str(Api::GeminidbCreateInstance, &base));
    let mut differing = 0;
    for (from, to) in edits {
        assert!(base.contains(from), "{from}");
        let text = base.replacen(from, to, 1);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let (t, v) = (
            linter.check_str(Api::GeminidbCreateInstance, &text),
            linter.check_value(Api::GeminidbCreateInstance, &value),
        );
        assert!(t.diagnostics.iter().any(|d| d.rule == "HC003"), "{to}");
        assert_eq!(key(&t), key(&v), "{to}");
        differing += usize::from(key(&t) != plain);
    }
    // The edits that keep a different first value change the verdict: the cases can fail.
    assert!(differing >= 3, "{differing}");
}

#[test]
fn syntax_errors_are_errors_at_the_root_with_line_and_column() {
    for (text, bad) in [
        // A trailing comma is reported at the comma.
        ("{\n  \"flavor_id\": \"f\",\n}", ","),
        ("{\n  // comment\n  \"flavor_id\": \"f\"\n}", "//"),
        ("{\n  \"flavor_id\": \"f\"", ""),
        // Errors near the top of a long body (lines are indexed only as far as the error), and
        // after multi-byte characters (columns count characters).
        (
            "x{\n  \"flavor_id\": \"f\"\n}\n\n\n\n\n\n\n\n\n\n                       ",
            "x",
        ),
        (
            "{\n  \"flavor_id\": \"中文é\", \"node_number\": 2,\n}\n\n\n\n",
            ",\n}",
        ),
    ] {
        let text: &str = text;
        let r = check(Api::DdmScaleOut, text);
        assert_eq!(r.diagnostics.len(), 1, "{text}: {:#?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert_eq!((&*d.rule, d.pointer.as_str()), ("HC001", ""));
        assert_eq!(d.severity, Severity::Error);
        let at = if bad.is_empty() {
            text.len()
        } else {
            text.find(bad).unwrap()
        };
        let (line, col) = line_col(text, at);
        assert_eq!(d.line, Some(line), "{text}");
        assert_eq!(d.column, Some(col), "{text}");
        let end = (at + 1).min(text.len());
        assert_eq!((d.end_line, d.end_column), {
            let (l, c) = line_col(text, end);
            (Some(l), Some(c))
        });
        assert!(!d.message.is_empty());
    }
}

#[test]
fn a_body_that_is_not_an_object_is_an_error_at_the_root() {
    for text in ["[]", "3", "\"x\"", "null", "true"] {
        for api in Api::ALL {
            let r = check(api, text);
            assert_eq!(r.diagnostics.len(), 1, "{text}");
            let d = &r.diagnostics[0];
            assert_eq!((&*d.rule, d.pointer.as_str()), ("HC002", ""));
            assert_eq!(d.severity, Severity::Error);
        }
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let r = hcdb_lint::check_value(Api::DdmScaleOut, &v);
        assert_eq!(r.diagnostics[0].rule, "HC002");
    }
}

#[test]
fn limits_and_encodings() {
    let small = Linter::new(Config {
        max_input_bytes: 10,
        ..Config::default()
    })
    .unwrap();
    let r = small.check_str(Api::DdmScaleOut, "{\"flavor_id\": \"ffffffff\"}");
    assert_eq!(r.diagnostics[0].rule, "HC011");
    let shallow = Linter::new(Config {
        max_depth: 3,
        ..Config::default()
    })
    .unwrap();
    // Depth 4 (object, array, array, array) against a limit of 3; depth 3 is fine.
    let r = shallow.check_str(Api::DdmScaleOut, "{\"a\":[[[1]]]}");
    assert_eq!(r.diagnostics[0].rule, "HC012");
    let r = shallow.check_str(Api::DdmScaleOut, "{\"a\":[[1]]}");
    assert_ne!(r.diagnostics[0].rule, "HC012");
    let r = Linter::default_ref().check_bytes(Some(Api::DdmScaleOut), b"{\"flavor_id\": \"\xff\"}");
    let d = &r.diagnostics[0];
    assert_eq!(d.rule, "HC013");
    assert_eq!((d.line, d.column), (Some(1), Some(16)));
    let r = Linter::default_ref().check_str_detect("{\"foo\": 1}");
    assert_eq!(r.diagnostics[0].rule, "HC014");
    assert_eq!(r.api, None);
}

#[test]
fn huge_numbers_are_not_whole() {
    let text = cassandra_text().replace("\"num\": 3", "\"num\": 1e400");
    let r = check(Api::GeminidbCreateInstance, &text);
    let d = find(&r, "HC005", "/flavor/0/num");
    assert_eq!(slice(&text, d), "1e400");
    // 2.5 and "3.5" too; 3.0 is whole.
    for (v, bad) in [("2.5", true), ("\"3.5\"", true), ("3.0", false)] {
        let t = cassandra_text().replace("\"num\": 3", &format!("\"num\": {v}"));
        let r = check(Api::GeminidbCreateInstance, &t);
        let hit = r
            .diagnostics
            .iter()
            .any(|d| d.rule == "HC005" && d.pointer == "/flavor/0/num");
        assert_eq!(hit, bad, "{v}");
    }
}

#[test]
fn diagnostics_are_sorted_by_position() {
    for name in example_files() {
        let text = std::fs::read_to_string(examples_dir().join(&name)).unwrap();
        let r = Linter::default_ref().check_str_detect(&text);
        let starts: Vec<usize> = r
            .diagnostics
            .iter()
            .map(|d| d.span.unwrap().start)
            .collect();
        let mut sorted = starts.clone();
        sorted.sort();
        assert_eq!(starts, sorted, "{name}");
        // Text and value verdicts agree.
        let v = example(&name);
        let api = detect_api(&v).unwrap();
        let mut a: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (&d.rule, &d.pointer))
            .collect();
        let by_value = hcdb_lint::check_value(api, &v);
        let mut b: Vec<_> = by_value
            .diagnostics
            .iter()
            .map(|d| (&d.rule, &d.pointer))
            .collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn check_str_detect_finds_each_api() {
    for name in example_files() {
        let text = std::fs::read_to_string(examples_dir().join(&name)).unwrap();
        let want = if name.starts_with("ddm-create") {
            Api::DdmCreateInstance
        } else if name.starts_with("ddm-scale-out") {
            Api::DdmScaleOut
        } else {
            Api::GeminidbCreateInstance
        };
        assert_eq!(
            Linter::default_ref().check_str_detect(&text).api,
            Some(want),
            "{name}"
        );
    }
}

#[test]
fn check_field_reports_the_field_and_the_rules_its_change_triggers() {
    let linter = Linter::default_ref();
    let mut body = example("geminidb-cassandra.valid.json");
    body["charge_info"] = json!({"charge_mode": "postPaid"});
    let r = linter
        .check_field(
            Api::GeminidbCreateInstance,
            "/charge_info/charge_mode",
            &json!("prePaid"),
            Some(&body),
        )
        .unwrap();
    let rules: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (&*d.rule, d.pointer.as_str()))
        .collect();
    assert!(
        rules.contains(&("GDB132", "/charge_info/period_type")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("GDB134", "/charge_info/period_num")),
        "{rules:?}"
    );
    // Unrelated members are not reported.
    assert!(
        rules.iter().all(|(_, p)| p.starts_with("/charge_info")),
        "{rules:?}"
    );
    // The field's own diagnostics.
    let r = linter
        .check_field(
            Api::GeminidbCreateInstance,
            "/name",
            &json!("ab"),
            Some(&body),
        )
        .unwrap();
    assert!(r.diagnostics.iter().any(|d| d.rule == "GDB101"));
    assert!(r.diagnostics.iter().all(|d| d.pointer == "/name"));
    // A bad pointer is an error, not a panic.
    assert!(linter
        .check_field(Api::GeminidbCreateInstance, "name", &json!("x"), None)
        .is_err());
    assert!(linter
        .check_field(Api::GeminidbCreateInstance, "/a~2b", &json!("x"), None)
        .is_err());
}

#[test]
fn check_field_stops_where_the_whole_body_visit_stops() {
    // Under a container of the wrong kind, or an item index not written as the visit writes it,
    // the whole-body check reports nothing about the field; neither does the field's own visit.
    let linter = Linter::default_ref();
    let api = Api::GeminidbCreateInstance;
    let mut body = example("geminidb-cassandra.valid.json");
    body["flavor"] = json!({"0": {"num": "x"}});
    for (pointer, value) in [
        ("/flavor/0/num", json!("x")),
        ("/flavor/0", json!({"num": "x"})),
        ("/flavor/01/num", json!("x")),
        ("/datastore/type/x", json!(1)),
    ] {
        let fast = linter.check_field(api, pointer, &value, Some(&body));
        let whole = linter.check_field_whole_body(api, pointer, &value, Some(&body));
        assert_eq!(
            format!("{fast:?}"),
            format!("{whole:?}"),
            "{pointer} in {body}"
        );
    }
    // And where it does reach the field, it reports it: the wrong kind is at /flavor itself.
    let r = linter
        .check_field(api, "/flavor", &json!({"0": {}}), Some(&body))
        .unwrap();
    assert!(
        r.diagnostics.iter().any(|d| d.pointer == "/flavor"),
        "{r:?}"
    );
}

#[test]
fn a_non_object_body_is_not_an_object_even_when_the_api_is_detected() {
    let linter = hcdb_lint::Linter::default_ref();
    for text in ["[1, 2]", "\"x\"", "3", "null"] {
        let report = linter.check_str_detect(text);
        let rules: Vec<&str> = report.diagnostics.iter().map(|d| &*d.rule).collect();
        assert_eq!(rules, ["HC002"], "{text}");
        assert_eq!(report.diagnostics[0].pointer, "");
    }
    let report = linter.check_str_detect("{\"foo\": 1}");
    assert_eq!(report.diagnostics[0].rule, "HC014");
}

#[test]
fn check_value_text_is_check_value_on_the_value_the_text_denotes() {
    let linter = hcdb_lint::Linter::default_ref();
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let api = hcdb_lint::detect_api(&value).unwrap();
        let by_value = linter.check_value(api, &value);
        for text in [
            value.to_string(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let by_text = linter.check_value_text(api, &text);
            assert_eq!(by_text, by_value, "{}", path.display());
            assert!(by_text.diagnostics.iter().all(|d| d.line.is_none()));
        }
        seen += 1;
    }
    assert!(seen >= 16, "examples found: {seen}");
    let r = linter.check_value_text(hcdb_lint::Api::DdmScaleOut, "[1]");
    assert_eq!(r.diagnostics[0].rule, "HC002");
}

/// A diagnostic's rule id and name are borrowed from the rule packs (no copy per diagnostic), for
/// text and value input alike, and still serialize and read back as plain strings.
#[test]
fn diagnostics_borrow_rule_ids_and_names() {
    use std::borrow::Cow;
    let linter = hcdb_lint::Linter::default_ref();
    let text = r#"{"flavor_id": "f1", "node_number": 0}"#;
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    for report in [
        linter.check_str(hcdb_lint::Api::DdmScaleOut, text),
        linter.check_value(hcdb_lint::Api::DdmScaleOut, &value),
    ] {
        assert!(!report.diagnostics.is_empty());
        for d in &report.diagnostics {
            assert!(matches!(d.rule, Cow::Borrowed(_)), "{} copied", d.rule);
            assert!(matches!(d.name, Cow::Borrowed(_)), "{} copied", d.name);
            assert_eq!(
                linter.rule(&d.rule).map(|r| r.name.as_str()),
                Some(&*d.name)
            );
        }
        let back: hcdb_lint::Report =
            serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        assert_eq!(back.diagnostics.len(), report.diagnostics.len());
        for (a, b) in back.diagnostics.iter().zip(&report.diagnostics) {
            assert_eq!(
                (&a.rule, &a.name, &a.pointer),
                (&b.rule, &b.name, &b.pointer)
            );
        }
    }
}
