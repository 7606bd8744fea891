//! Fixes: one fixture per rule that offers a fix (tests/fixes/<RULE>/: the input, the fix the
//! rule offers, the fixed output), byte-for-byte preservation of the rest of the text, and
//! idempotence (proptest).
//!
//! `HCDB_BLESS_FIXES=1 cargo test --test fixes` writes `fix.json` and `fixed.json` from what the
//! crate does (then read them before committing).

use hcdb_lint::{apply_fixes, Api, Applicability, Diagnostic, FixOptions, Linter, Severity};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes")
}

struct Case {
    dir: PathBuf,
    api: Api,
    rule: String,
    pointer: String,
    options: FixOptions,
    input: String,
}

fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixes_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let meta: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap())
                    .unwrap();
            Case {
                api: meta["api"].as_str().unwrap().parse().unwrap(),
                rule: meta["rule"].as_str().unwrap().into(),
                pointer: meta["pointer"].as_str().unwrap().into(),
                options: FixOptions {
                    unsafe_fixes: meta["unsafe_fixes"].as_bool().unwrap(),
                },
                input: std::fs::read_to_string(dir.join("input.json")).unwrap(),
                dir,
            }
        })
        .collect()
}

fn bless() -> bool {
    std::env::var_os("HCDB_BLESS_FIXES").is_some()
}

/// The expected file's text, or (blessing) the actual one written.
fn expect_file(path: &Path, actual: &str) {
    if bless() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with HCDB_BLESS_FIXES=1)", path.display()));
    assert_eq!(actual, expected, "{}", path.display());
}

#[test]
fn every_fixture_offers_its_fix_and_the_fixed_body_no_longer_has_the_findings() {
    let linter = Linter::default_ref();
    let cases = cases();
    assert!(cases.len() >= 20, "only {} fixtures", cases.len());
    for c in &cases {
        let id = c.dir.display();
        let report = linter.check_str(c.api, &c.input);
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == c.rule.as_str() && d.pointer == c.pointer)
            .unwrap_or_else(|| panic!("{id}: no {} at {}: {report:#?}", c.rule, c.pointer));
        let fix = d
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{id}: {} offers no fix", c.rule));
        assert_eq!(
            fix.applicability == Applicability::Unsafe,
            c.options.unsafe_fixes,
            "{id}: case.json's unsafe_fixes says what the fix needs"
        );
        // Positions agree with the diagnostics' own (line and column of the offset).
        for e in &fix.edits {
            for p in [e.start, e.end] {
                let before = &c.input[..p.offset];
                assert_eq!(p.line, before.matches('\n').count() + 1, "{id}");
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                assert_eq!(p.column, before[line_start..].chars().count() + 1, "{id}");
            }
        }
        expect_file(
            &c.dir.join("fix.json"),
            &format!("{}\n", serde_json::to_string_pretty(fix).unwrap()),
        );
        let fixed = linter.fix(Some(c.api), &c.input, c.options);
        expect_file(&c.dir.join("fixed.json"), &fixed.text);
        assert!(fixed.fixed >= 1, "{id}");
        // The report that comes with the text is the text's.
        assert_eq!(fixed.report, linter.check_str(c.api, &fixed.text), "{id}");
        // None of the findings whose fix applied is left.
        let applied: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| c.options.allows(f.applicability))
            })
            .collect();
        assert!(applied.iter().any(|d| d.rule == c.rule.as_str()), "{id}");
        for a in applied {
            assert!(
                !fixed
                    .report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == a.rule && d.pointer == a.pointer),
                "{id}: {} {} is still there after the fix:\n{}",
                a.rule,
                a.pointer,
                fixed.text
            );
        }
        assert!(
            fixed.report.count(Severity::Error) <= report.count(Severity::Error),
            "{id}"
        );
        // Fixing again changes nothing.
        let again = linter.fix(Some(c.api), &fixed.text, c.options);
        assert_eq!(again.text, fixed.text, "{id}");
        assert_eq!(again.fixed, 0, "{id}");
        // Safe fixes only: the unsafe fix is offered, not applied.
        if c.options.unsafe_fixes {
            let safe = linter.fix(Some(c.api), &c.input, FixOptions::default());
            assert!(
                safe.report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == c.rule.as_str() && d.pointer == c.pointer),
                "{id}: an unsafe fix applied without --unsafe-fixes"
            );
        }
    }
}

#[test]
fn the_rules_with_a_fix_are_exactly_the_fixtures() {
    let linter = Linter::default_ref();
    let mut with_fix: Vec<&str> = linter
        .rules()
        .iter()
        .filter(|r| r.fix.is_some())
        .map(|r| r.id.as_str())
        .collect();
    with_fix.sort();
    let fixtures: Vec<String> = cases().into_iter().map(|c| c.rule).collect();
    assert_eq!(with_fix, fixtures);
}

fn fix_safe(api: Api, text: &str) -> String {
    Linter::default_ref()
        .fix(Some(api), text, FixOptions::default())
        .text
}

#[test]
fn every_byte_outside_the_edits_is_kept() {
    // CRLF, tabs, spaces before colons, a byte-order mark, CJK strings, a missing final newline.
    let text = "\u{feff}{\r\n\t\"flavor_id\" :\t\"规格-1\" ,\r\n\t\"node_number\"  :  \"2\",\r\n\t\"is_auto_pay\":\"true\"   }";
    let want = "\u{feff}{\r\n\t\"flavor_id\" :\t\"规格-1\" ,\r\n\t\"node_number\"  :  2,\r\n\t\"is_auto_pay\":true   }";
    assert_eq!(fix_safe(Api::DdmScaleOut, text), want);
    // A CJK value beside a fixed enum, LF and four-space indentation.
    let text = "{\n    \"name\": \"orders-01\",\n    \"datastore\": {\"type\": \"Cassandra\", \"version\": \"3.11\", \"storage_engine\": \"rocksDB\"},\n    \"enterprise_project_id\": \"项目\"\n}\n";
    let fixed = fix_safe(Api::GeminidbCreateInstance, text);
    assert_eq!(fixed, text.replace("\"Cassandra\"", "\"cassandra\""));
}

#[test]
fn removals_take_one_separator_and_keep_the_layout() {
    let linter = Linter::default_ref();
    let unsafe_ok = FixOptions { unsafe_fixes: true };
    let body = |ext: &str| {
        format!(
            "{{\r\n  \"instance\": {{\"name\": \"ddm-1\"}},\r\n  \"extend_param\": {{\r\n    {ext}\r\n  }}\r\n}}\r\n"
        )
    };
    for (ext, want) in [
        // First, middle and last members; two ignored members next to each other.
        (
            "\"period_type\": \"month\",\r\n    \"charge_mode\": \"postPaid\"",
            "\"charge_mode\": \"postPaid\"",
        ),
        (
            "\"charge_mode\": \"postPaid\",\r\n    \"period_num\": 2,\r\n    \"is_auto_pay\": \"true\"",
            "\"charge_mode\": \"postPaid\"",
        ),
        (
            "\"charge_mode\": \"postPaid\",\r\n    \"period_type\": \"month\",\r\n    \"period_num\": 2",
            "\"charge_mode\": \"postPaid\"",
        ),
    ] {
        let fixed = linter.fix(Some(Api::DdmCreateInstance), &body(ext), unsafe_ok);
        assert_eq!(fixed.text, body(want), "{ext}");
    }
    // The only member of an object: what precedes `}` stays.
    let text = "{\"flavor_id\": \"f\", \"node_number\": 1, \"available_zones\": [\"az1\"], \"extra\": {\"a\": null}}";
    let r = linter.check_str(Api::DdmScaleOut, text);
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.fix.is_none() || d.rule != "HC007"));
}

#[test]
fn bodies_that_are_not_json_or_have_duplicate_keys_are_never_fixed() {
    let linter = Linter::default_ref();
    let unsafe_ok = FixOptions { unsafe_fixes: true };
    for text in [
        "{\"flavor_id\": \"f\", \"node_number\": \"2\",}",
        "{\"flavor_id\": \"f\", \"node_number\": \"2\"",
        "{\"flavor_id\": \"f\", \"node_number\": \"2\", \"node_number\": \"3\"}",
    ] {
        let r = linter.check_str(Api::DdmScaleOut, text);
        assert!(r.diagnostics.iter().all(|d| d.fix.is_none()), "{text}");
        let fixed = linter.fix(Some(Api::DdmScaleOut), text, unsafe_ok);
        assert_eq!((fixed.text.as_str(), fixed.fixed), (text, 0));
    }
}

#[test]
fn no_fix_writes_or_echoes_a_password() {
    let linter = Linter::default_ref();
    let secret = "98765432";
    // A password written as a number: the coerced-type fix would write it as a string.
    let text = format!(
        "{{\"name\": \"orders-01\", \"datastore\": {{\"type\": \"cassandra\", \"version\": \"3.11\", \"storage_engine\": \"rocksDB\"}}, \"password\": {secret}, \"mode\": \"cluster\"}}"
    );
    let r = linter.check_str(Api::GeminidbCreateInstance, &text);
    assert!(
        r.diagnostics.iter().any(|d| d.fix.is_some()),
        "the mode fix is offered"
    );
    for d in &r.diagnostics {
        if d.pointer == "/password" {
            assert!(d.fix.is_none(), "{} offers a fix on the password", d.rule);
        }
    }
    let out = serde_json::to_string(&r).unwrap();
    assert!(!out.contains(secret));
    // A misspelt password member is renamed; its value is neither in the fix nor its message.
    let text = "{\"flavor_id\": \"f\", \"node_number\": 1, \"instance\": {\"admin_user_pasword\": \"Secr3t!pw\"}}";
    let r = linter.check_str(Api::DdmCreateInstance, text);
    let fixes = serde_json::to_string(
        &r.diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert!(fixes.contains("admin_user_password"), "{fixes}");
    assert!(!fixes.contains("Secr3t"), "{fixes}");
}

#[test]
fn a_name_with_several_close_matches_is_an_unsafe_fix() {
    let linter = Linter::default_ref();
    let rename = |text: &str| {
        let r = linter.check_str(Api::GeminidbCreateInstance, text);
        let d = r.diagnostics.iter().find(|d| d.rule == "HC008").unwrap();
        d.fix.clone().unwrap()
    };
    // `nam` is one edit from `name` and from nothing else: safe.
    let f = rename("{\"datastore\": {\"type\": \"cassandra\"}, \"nam\": \"x\"}");
    assert_eq!(f.applicability, Applicability::Safe);
    assert_eq!(f.edits[0].replacement, "\"name\"");
    // `period_nyp` is two edits from `period_num` and from `period_type`: a choice, unsafe.
    let f =
        rename("{\"datastore\": {\"type\": \"cassandra\"}, \"charge_info\": {\"period_nyp\": 1}}");
    assert_eq!(f.applicability, Applicability::Unsafe, "{f:?}");
}

#[test]
fn renaming_onto_a_present_member_is_not_offered() {
    let linter = Linter::default_ref();
    let text = "{\"flavor_id\": \"f\", \"node_number\": 1, \"Node_number\": 2}";
    let r = linter.check_str(Api::DdmScaleOut, text);
    let d = r.diagnostics.iter().find(|d| d.rule == "HC008").unwrap();
    assert!(d.fix.is_none(), "{d:?}");
}

/// A misspelt `charge_mode` makes the prepaid members look ignored (DDM126, an unsafe removal):
/// the rename goes first, alone, so the members it brings back into use are not removed.
#[test]
fn a_rename_is_applied_before_the_fixes_it_makes_moot() {
    let linter = Linter::default_ref();
    let body: Value =
        serde_json::from_str(include_str!("../examples/ddm-create-instance.valid.json")).unwrap();
    assert_eq!(
        body["extend_param"]["charge_mode"], "prePaid",
        "the example is prepaid"
    );
    let text = serde_json::to_string_pretty(&body)
        .unwrap()
        .replace("\"charge_mode\"", "\"cahrge_mode\"");
    let before = linter.check_str(Api::DdmCreateInstance, &text);
    assert!(before
        .diagnostics
        .iter()
        .any(|d| d.rule == "DDM126" && d.fix.is_some()));
    let fixed = linter.fix(
        Some(Api::DdmCreateInstance),
        &text,
        FixOptions { unsafe_fixes: true },
    );
    let after: Value = serde_json::from_str(&fixed.text).unwrap();
    assert_eq!(after, body, "only the name changes:\n{}", fixed.text);
    let original = serde_json::to_string_pretty(&body).unwrap();
    let rules = |r: &hcdb_lint::Report| {
        r.diagnostics
            .iter()
            .map(|d| d.rule.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules(&fixed.report),
        rules(&linter.check_str(Api::DdmCreateInstance, &original))
    );
}

#[test]
fn apply_fixes_applies_one_round_in_a_fixed_order() {
    let linter = Linter::default_ref();
    let text = "{\"flavor_id\": \"f\", \"node_number\": \"2\", \"is_auto_pay\": \"false\"}";
    let r = linter.check_str(Api::DdmScaleOut, text);
    let a = apply_fixes(text, &r.diagnostics, FixOptions::default());
    assert_eq!(a.applied, 2);
    assert_eq!(
        a.text,
        "{\"flavor_id\": \"f\", \"node_number\": 2, \"is_auto_pay\": false}"
    );
    // The diagnostics' order does not matter.
    let mut reversed = r.diagnostics.clone();
    reversed.reverse();
    assert_eq!(
        apply_fixes(text, &reversed, FixOptions::default()).text,
        a.text
    );
}

// ---------------------------------------------------------------- properties

/// A valid body per API, the mutations a fix undoes, and layouts.
fn bases() -> Vec<(Api, Value)> {
    let ex = |n: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{n}.valid.json")),
            )
            .unwrap(),
        )
        .unwrap()
    };
    vec![
        (Api::DdmCreateInstance, ex("ddm-create-instance")),
        (Api::DdmScaleOut, ex("ddm-scale-out")),
        (Api::GeminidbCreateInstance, ex("geminidb-redis")),
        (Api::GeminidbCreateInstance, ex("geminidb-cassandra")),
        (Api::GeminidbCreateInstance, ex("geminidb-influxdb")),
    ]
}

/// Changes a fix can undo (or that a fix meets on the way): a string value's case flipped, a
/// whole number written as a string, a member name misspelt, an ignored member added.
fn mutate(v: &mut Value, choice: &[u8]) {
    let mut picks = choice.iter().copied().cycle();
    let mut pick = |n: usize| usize::from(picks.next().unwrap_or(0)) % n.max(1);
    for _ in 0..choice.len().min(4) {
        // Down to a random object: its pointer found first, then borrowed.
        let mut pointer = String::new();
        for _ in 0..3 {
            let Some(Value::Object(m)) = v.pointer(&pointer) else {
                break;
            };
            let keys: Vec<&String> = m
                .iter()
                .filter(|(_, c)| c.is_object() || c.get(0).is_some_and(Value::is_object))
                .map(|(k, _)| k)
                .collect();
            if keys.is_empty() || pick(2) == 0 {
                break;
            }
            let k = keys[pick(keys.len())];
            pointer = match &m[k.as_str()] {
                Value::Array(_) => format!("{pointer}/{k}/0"),
                _ => format!("{pointer}/{k}"),
            };
        }
        let Some(node) = v.pointer_mut(&pointer) else {
            continue;
        };
        let Value::Object(m) = node else { continue };
        let keys: Vec<String> = m.keys().cloned().collect();
        if keys.is_empty() {
            continue;
        }
        let k = keys[pick(keys.len())].clone();
        match pick(4) {
            0 => {
                if let Some(Value::String(s)) = m.get_mut(&k) {
                    *s = s
                        .chars()
                        .map(|c| {
                            if c.is_ascii_lowercase() {
                                c.to_ascii_uppercase()
                            } else {
                                c.to_ascii_lowercase()
                            }
                        })
                        .collect();
                }
            }
            1 => {
                if let Some(n) = m.get(&k).and_then(Value::as_i64) {
                    m.insert(k, Value::String(n.to_string()));
                }
            }
            2 if k.len() > 5 && !k.contains("password") => {
                let val = m.remove(&k).unwrap();
                let mut name: Vec<char> = k.chars().collect();
                name.swap(1, 2);
                m.insert(name.into_iter().collect(), val);
            }
            _ => {
                m.insert("period_type".into(), Value::String("month".into()));
            }
        }
    }
}

fn layout(v: &Value, style: u8) -> String {
    let pretty = serde_json::to_string_pretty(v).unwrap();
    match style % 5 {
        0 => pretty,
        1 => pretty.replace('\n', "\r\n"),
        2 => pretty.replace("  ", "\t"),
        3 => format!("\u{feff}{}\n", serde_json::to_string(v).unwrap()),
        _ => pretty.replace(": ", " :   "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn fixing_twice_is_fixing_once_and_never_adds_errors(
        base in 0usize..5,
        choice in proptest::collection::vec(any::<u8>(), 1..12),
        style in any::<u8>(),
        unsafe_fixes in any::<bool>(),
    ) {
        let linter = Linter::default_ref();
        let (api, mut body) = bases().swap_remove(base);
        mutate(&mut body, &choice);
        let text = layout(&body, style);
        let options = FixOptions { unsafe_fixes };
        let once = linter.fix(Some(api), &text, options);
        let twice = linter.fix(Some(api), &once.text, options);
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert_eq!(twice.fixed, 0);
        let before = linter.check_str(api, &text).count(Severity::Error);
        prop_assert!(
            once.report.count(Severity::Error) <= before,
            "{} errors before, {} after:\n{}\n---\n{}",
            before, once.report.count(Severity::Error), text, once.text
        );
        // The fixed text is still JSON, and everything outside the edits is kept: the layout
        // (line endings, BOM) is the input's.
        prop_assert_eq!(once.text.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
        prop_assert_eq!(once.text.contains("\r\n"), text.contains("\r\n"));
        let plain = once.text.trim_start_matches('\u{feff}');
        prop_assert!(serde_json::from_str::<Value>(plain).is_ok(), "{}", once.text);
    }
}
