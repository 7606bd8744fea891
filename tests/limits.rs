//! Limits with clear errors: input size, nesting depth, huge numbers, long strings,
//! surrogates, NUL bytes, invalid UTF-8, CRLF, BOM, and patterns from a config.
//!
//! Every diagnostic about the text carries a 1-based line and column; the expected positions
//! here are computed by hand from the literal inputs.

use hcdb_lint::{Api, Config, Diagnostic, Linter, Report, RuleSetting};
use serde_json::json;

const DDM: &str = include_str!("../examples/ddm-create-instance.valid.json");
const REDIS: &str = include_str!("../examples/geminidb-redis.valid.json");
const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");

fn only<'a>(report: &'a Report, rule: &str) -> &'a Diagnostic {
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {rule} in {:#?}",
        report.diagnostics
    );
    found[0]
}

fn rules(report: &Report) -> Vec<&str> {
    report.diagnostics.iter().map(|d| &*d.rule).collect()
}

fn at(d: &Diagnostic) -> (usize, usize) {
    (d.line.expect("line"), d.column.expect("column"))
}

fn linter_with(config: Config) -> Linter {
    Linter::new(config).expect("config compiles")
}

// ------------------------------------------------------------------------------------------
// Input size
// ------------------------------------------------------------------------------------------

#[test]
fn input_over_one_mib_is_refused_with_hc011_not_parsed() {
    // Broken JSON past the limit: only HC011, so the parser never ran.
    let text = format!("{{\"name\": \"{}\",,, ", "a".repeat(1 << 20));
    for api in Api::ALL {
        let r = Linter::default_ref().check_str(api, &text);
        assert_eq!(rules(&r), ["HC011"], "{api}");
        let d = &r.diagnostics[0];
        assert_eq!(d.pointer, "");
        assert_eq!(at(d), (1, 1));
        assert_eq!(d.params["actual"], json!(text.len()));
        assert_eq!(d.params["max"], json!(1 << 20));
        assert!(d.message.contains(&text.len().to_string()), "{}", d.message);
    }
    let r = Linter::default_ref().check_str_detect(&text);
    assert_eq!(rules(&r), ["HC011"]);
    let r = Linter::default_ref().check_bytes(None, text.as_bytes());
    assert_eq!(rules(&r), ["HC011"]);
}

#[test]
fn exactly_the_limit_is_parsed() {
    let config = Config {
        max_input_bytes: DDM.len(),
        ..Config::default()
    };
    let linter = linter_with(config.clone());
    assert!(!rules(&linter.check_str(Api::DdmCreateInstance, DDM)).contains(&"HC011"));
    let tight = linter_with(Config {
        max_input_bytes: DDM.len() - 1,
        ..config
    });
    let r = tight.check_str(Api::DdmCreateInstance, DDM);
    assert_eq!(rules(&r), ["HC011"]);
    assert_eq!(r.diagnostics[0].params["max"], json!(DDM.len() - 1));
}

#[test]
fn size_limit_counts_bytes_and_points_at_the_first_character() {
    // A multi-byte first character: the span covers the whole character, line 1 column 1-2.
    let text = format!("é{}", " ".repeat(100));
    let linter = linter_with(Config {
        max_input_bytes: 50,
        ..Config::default()
    });
    let r = linter.check_str(Api::DdmScaleOut, &text);
    let d = only(&r, "HC011");
    assert_eq!(d.span.map(|s| (s.start, s.end)), Some((0, 2)));
    assert_eq!(at(d), (1, 1));
    assert_eq!((d.end_line, d.end_column), (Some(1), Some(2)));
}

#[test]
fn zero_limits_are_a_config_error() {
    for config in [
        Config {
            max_input_bytes: 0,
            ..Config::default()
        },
        Config {
            max_depth: 0,
            ..Config::default()
        },
    ] {
        assert!(Linter::new(config).is_err());
    }
}

// ------------------------------------------------------------------------------------------
// Nesting depth
// ------------------------------------------------------------------------------------------

#[test]
fn one_hundred_thousand_nested_arrays_give_hc012() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for api in Api::ALL {
        let r = Linter::default_ref().check_str(api, &text);
        let d = only(&r, "HC012");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(d.params["max"], json!(64));
        // The 65th bracket opens level 65.
        assert_eq!(at(d), (1, 65));
    }
}

#[test]
fn one_hundred_thousand_nested_objects_give_hc012() {
    let text = format!(
        "{{\"instance\":{}null{}}}",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let r = Linter::default_ref().check_str_detect(&text);
    let d = only(&r, "HC012");
    assert_eq!(r.diagnostics.len(), 1);
    // `{"instance":` is 12 chars, then 63 times `{"a":` (5 chars) before the 65th `{`.
    assert_eq!(at(d), (1, 12 + 63 * 5 + 1));
}

#[test]
fn sixty_four_levels_parse_and_sixty_five_do_not() {
    let nest = |n: usize| format!("{{\"name\":{}1{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, &nest(64));
    assert!(!rules(&r).contains(&"HC012"), "{:?}", rules(&r));
    assert!(
        rules(&r).contains(&"HC005"),
        "the deep name is reported as a wrong type"
    );
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, &nest(65));
    assert_eq!(rules(&r), ["HC012"]);
}

#[test]
fn max_depth_is_configurable() {
    let linter = linter_with(Config {
        max_depth: 2,
        ..Config::default()
    });
    // The DDM body nests 3 levels (body, instance, available_zones).
    let r = linter.check_str(Api::DdmCreateInstance, DDM);
    let d = only(&r, "HC012");
    assert_eq!(d.params["max"], json!(2));
    // "available_zones": [ is on line 8; the `[` is the first char after `: `.
    assert_eq!(at(d), (8, 24));
}

#[test]
fn deep_values_do_not_overflow_the_stack_on_the_value_path() {
    // serde_json's own parser stops at 128 levels; build a deeper value by hand, under a
    // declared member, an unknown member and an array item. (Much deeper values cannot be
    // built in a test at all: serde_json's clone and drop recurse.)
    let mut deep = json!(1);
    for _ in 0..300 {
        deep = json!([deep]);
    }
    let body = json!({"name": deep.clone(), "flavor": [deep.clone()], "zzz": {"a": deep}});
    let r = Linter::default_ref().check_value(Api::GeminidbCreateInstance, &body);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.pointer == "/name" && d.rule == "HC005"));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.pointer == "/zzz" && d.rule == "HC008"));
}

// ------------------------------------------------------------------------------------------
// Numbers
// ------------------------------------------------------------------------------------------

fn assert_not_whole(text: &str, api: Api, pointer: &str, line: usize, column: usize) {
    let r = Linter::default_ref().check_str(api, text);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.pointer == pointer && d.rule == "HC005")
        .unwrap_or_else(|| panic!("no HC005 at {pointer} in {:#?}", r.diagnostics));
    assert_eq!(d.params["reason"], json!("not_whole"), "{d:?}");
    assert!(
        d.message.contains("not a whole number in range"),
        "{}",
        d.message
    );
    assert_eq!(at(d), (line, column), "{d:?}");
    assert!(!r.diagnostics.iter().any(|d| d.rule == "HC001"));
}

#[test]
fn huge_numbers_in_integer_fields_are_wrong_type_with_position() {
    let huge = [
        "1e400",
        "-1e400",
        "1234567890123456789012345678901234567890",
        "9223372036854775808",
    ];
    for n in huge {
        let text = format!("{{\n  \"flavor_id\": \"f1\",\n  \"node_number\": {n}\n}}");
        assert_not_whole(&text, Api::DdmScaleOut, "/node_number", 3, 18);
    }
    // Inside an array of objects, on a CRLF line: same column as with LF.
    let text = REDIS
        .replace("\"num\": 3", "\"num\": 1e400")
        .replace('\n', "\r\n");
    let line = REDIS
        .lines()
        .position(|l| l.contains("\"num\": 3"))
        .unwrap()
        + 1;
    let column = REDIS.lines().nth(line - 1).unwrap().find('3').unwrap() + 1;
    assert_not_whole(
        &text,
        Api::GeminidbCreateInstance,
        "/flavor/0/num",
        line,
        column,
    );
}

#[test]
fn huge_numbers_agree_between_text_and_value() {
    // serde_json reads a 40-digit integer as a float; both paths must call it not whole.
    let text = r#"{"flavor_id": "f1", "node_number": 1234567890123456789012345678901234567890}"#;
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let from_value = Linter::default_ref().check_value(Api::DdmScaleOut, &value);
    let d = only(&from_value, "HC005");
    assert_eq!(d.pointer, "/node_number");
    assert_eq!(d.params["reason"], json!("not_whole"));
}

// ------------------------------------------------------------------------------------------
// Long strings
// ------------------------------------------------------------------------------------------

#[test]
fn a_one_mib_name_gets_the_length_error() {
    let name = "a".repeat(1_000_000);
    let text = CASSANDRA.replacen("\"name\": \"", &format!("\"name\": \"{name}"), 1);
    assert!(text.len() < 1 << 20);
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, &text);
    let d = only(&r, "GDB101");
    assert_eq!(d.pointer, "/name");
    assert_eq!(d.line, Some(2));
    // The message does not echo a megabyte.
    assert!(d.message.len() < 1_000, "{} bytes", d.message.len());

    let ddm = DDM.replacen("\"name\": \"", &format!("\"name\": \"{name}"), 1);
    let r = Linter::default_ref().check_str(Api::DdmCreateInstance, &ddm);
    let d = only(&r, "DDM101");
    assert_eq!(d.line, Some(3));
    assert!(d.message.len() < 1_000, "{} bytes", d.message.len());
}

// ------------------------------------------------------------------------------------------
// Escapes, NUL, encoding, line endings
// ------------------------------------------------------------------------------------------

#[test]
fn lone_surrogates_are_invalid_json_at_the_escape() {
    for esc in [r"\ud800", r"\udc00", r"\ud800\u0041", r"\udbff x"] {
        let text = format!("{{\n  \"name\": \"ab{esc}cd\"\n}}");
        let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, &text);
        let d = only(&r, "HC001");
        assert_eq!(r.diagnostics.len(), 1);
        // Line 2: `  "name": "ab` is 13 chars; the backslash is column 14.
        assert_eq!(at(d), (2, 14), "{esc}: {d:?}");
        assert!(d.message.contains("surrogate"), "{}", d.message);
    }
    // A proper pair is fine (and a non-ASCII name is a charset error, not a parse error).
    let text = "{\"name\": \"ab\\ud83d\\ude00cd\"}";
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, text);
    assert!(!rules(&r).contains(&"HC001"));
    assert!(rules(&r).contains(&"GDB103"));
}

#[test]
fn raw_nul_is_invalid_json_and_escaped_nul_is_a_charset_error() {
    let raw = "{\n\"name\": \"ab\u{0}cd\"\n}";
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, raw);
    let d = only(&r, "HC001");
    assert_eq!(at(d), (2, 12));
    assert!(d.message.contains("control character"), "{}", d.message);

    let escaped = "{\n\"name\": \"ab\\u0000cd\"\n}";
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, escaped);
    let d = only(&r, "GDB103");
    assert_eq!(d.pointer, "/name");
    assert_eq!(at(d), (2, 9));
    // The NUL is named, not printed raw.
    assert!(!d.message.contains('\u{0}'), "{:?}", d.message);
}

#[test]
fn invalid_utf8_is_hc013_with_line_and_column() {
    let mut bytes = b"{\n  \"name\": \"caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\"\n}");
    for api in [None, Some(Api::GeminidbCreateInstance)] {
        let r = Linter::default_ref().check_bytes(api, &bytes);
        assert_eq!(rules(&r), ["HC013"]);
        let d = &r.diagnostics[0];
        assert_eq!(d.params["offset"], json!(16));
        assert_eq!(at(d), (2, 15));
        assert_eq!(d.span.map(|s| s.start), Some(16));
    }
    // A truncated multi-byte character at the very end.
    let r = Linter::default_ref().check_bytes(None, b"{\"name\": \"\xE4\xB8");
    assert_eq!(rules(&r), ["HC013"]);
    assert_eq!(at(&r.diagnostics[0]), (1, 11));
}

#[test]
fn crlf_gives_the_same_verdict_and_positions_as_lf() {
    let invalid = include_str!("../examples/geminidb-redis.invalid.json");
    for (api, text) in [
        (Api::GeminidbCreateInstance, invalid),
        (
            Api::DdmCreateInstance,
            include_str!("../examples/ddm-create-instance.invalid.json"),
        ),
    ] {
        let lf = Linter::default_ref().check_str(api, text);
        assert!(!lf.diagnostics.is_empty());
        let crlf = Linter::default_ref().check_str(api, &text.replace('\n', "\r\n"));
        let pos = |r: &Report| -> Vec<_> {
            r.diagnostics
                .iter()
                .map(|d| {
                    (
                        d.rule.clone(),
                        d.pointer.clone(),
                        d.line,
                        d.column,
                        d.end_line,
                    )
                })
                .collect()
        };
        assert_eq!(pos(&lf), pos(&crlf));
    }
}

#[test]
fn a_bom_is_skipped_and_not_counted_as_a_column() {
    let text = "\u{feff}{\"flavor_id\": \"f1\", \"node_number\": 0}";
    let r = Linter::default_ref().check_str(Api::DdmScaleOut, text);
    let d = only(&r, "DDM201");
    // `0` is the 36th character after the BOM.
    assert_eq!(at(d), (1, 36));
    assert_eq!(r.diagnostics.len(), 1);
    let r = Linter::default_ref().check_bytes(None, text.as_bytes());
    assert_eq!(rules(&r), ["DDM201"]);
    // A BOM followed by a syntax error on line 1.
    let r = Linter::default_ref().check_str(Api::DdmScaleOut, "\u{feff}{,}");
    assert_eq!(at(only(&r, "HC001")), (1, 2));
    // A BOM in the middle is not skipped.
    let r = Linter::default_ref().check_str(Api::DdmScaleOut, "{}\u{feff}");
    assert!(rules(&r).contains(&"HC001"));
}

// ------------------------------------------------------------------------------------------
// Patterns from a config
// ------------------------------------------------------------------------------------------

/// The `pattern` check uses regex-lite, whose matching time is linear in the input (it has no
/// backtracking), so no pattern a config gives can make a check super-linear. These cases
/// would take exponential time on a backtracking engine; here they just return.
#[cfg(feature = "pattern")]
#[test]
fn pathological_config_patterns_run_in_linear_time() {
    let mut rules_cfg = std::collections::BTreeMap::new();
    rules_cfg.insert(
        "GDB149".to_string(),
        RuleSetting::Full {
            severity: None,
            options: json!({"kind": "pattern", "pattern": "(a*)*b"})
                .as_object()
                .unwrap()
                .clone(),
        },
    );
    let linter = linter_with(Config {
        rules: rules_cfg,
        ..Config::default()
    });
    let many_a = "a".repeat(50_000);
    let mut body: serde_json::Value = serde_json::from_str(REDIS).unwrap();
    body["port"] = json!(many_a);
    let r = linter.check_value(Api::GeminidbCreateInstance, &body);
    let d = only(&r, "GDB149");
    assert_eq!(d.pointer, "/port");
    assert_eq!(d.params["pattern"], json!("(a*)*b"));
    // The same through text, and a value that matches draws no GDB149.
    let r = linter.check_str(
        Api::GeminidbCreateInstance,
        &serde_json::to_string(&body).unwrap(),
    );
    assert_eq!(only(&r, "GDB149").pointer, "/port");
    body["port"] = json!(format!("{many_a}b"));
    let r = linter.check_value(Api::GeminidbCreateInstance, &body);
    assert!(!rules(&r).contains(&"GDB149"));
}

#[cfg(feature = "pattern")]
#[test]
fn patterns_that_regex_lite_cannot_run_are_config_errors() {
    for pattern in ["([", r"(a)\1", "(?=a)"] {
        let config: Config = serde_json::from_value(json!({
            "rules": {"GDB149": {"options": {"kind": "pattern", "pattern": pattern}}}
        }))
        .unwrap();
        let err = Linter::new(config).expect_err(pattern);
        assert!(err.to_string().contains("GDB149"), "{err}");
    }
}
