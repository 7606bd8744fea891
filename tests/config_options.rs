//! A rule's `options` in a config are checked against what its check kind reads: an option the
//! kind does not read, or one of the wrong type, is a config error naming the rule and the key,
//! never a setting that looks applied and changes nothing.

use hcdb_lint::{Config, ConfigError, Linter, RuleSetting};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

fn with_options(rule: &str, options: Value) -> Result<Linter, ConfigError> {
    let Value::Object(options) = options else {
        panic!("options must be an object")
    };
    let mut rules = BTreeMap::new();
    rules.insert(
        rule.to_string(),
        RuleSetting::Full {
            severity: None,
            options,
        },
    );
    Linter::new(Config {
        rules,
        ..Config::default()
    })
}

/// The config error for `options` on `rule` (a linter built from them is a failure).
fn refused(rule: &str, options: Value) -> ConfigError {
    match with_options(rule, options.clone()) {
        Ok(_) => panic!("{rule}: options {options} were accepted"),
        Err(e) => e,
    }
}

#[test]
fn the_engines_own_rules_take_no_options() {
    let err = refused("HC001", json!({"min": 1}));
    assert!(err.to_string().starts_with("rules.HC001.options"), "{err}");
}

/// Every parameter name some check kind reads: each is foreign to at least one kind.
const ALL: &[&str] = &[
    "min",
    "max",
    "unit",
    "allowed",
    "classes",
    "values",
    "lookup",
    "chars",
    "len",
    "separator",
    "minutes",
    "other",
    "groups",
    "alternatives",
    "key",
    "by",
    "field",
    "table",
    "pattern",
];

/// A value of the right type for `name`, so that only its not applying can fail.
fn typed_value(name: &str) -> Value {
    match name {
        "min" | "max" | "len" => json!(1),
        "unit" => json!("chars"),
        "allowed" | "classes" | "lookup" => json!(["digits"]),
        "values" => json!(["x"]),
        "minutes" => json!([0]),
        "groups" => json!([["a"]]),
        "alternatives" => json!([[{"kind": "required"}]]),
        "separator" => json!(","),
        "other" | "field" => json!("/name"),
        _ => json!("x"),
    }
}

/// The rules of the built-in packs, one per check kind (the first found), with the check's own
/// parameter names.
fn one_rule_per_kind() -> BTreeMap<String, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    for pack in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).unwrap() {
        let path = pack.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for rule in v["rules"].as_array().into_iter().flatten() {
            let Some(check) = rule.get("check").and_then(Value::as_object) else {
                continue;
            };
            let kind = check["kind"].as_str().unwrap().to_string();
            if kind == "builtin" {
                continue;
            }
            let params: Vec<String> = check.keys().filter(|k| *k != "kind").cloned().collect();
            out.entry(kind)
                .or_insert((rule["id"].as_str().unwrap().to_string(), params));
        }
    }
    out
}

#[test]
fn the_issue_example_is_refused_naming_the_rule_and_key() {
    let err = refused(
        "GDB150",
        json!({"min": 5, "allowed": ["digits"], "minutes": [7]}),
    );
    let text = err.to_string();
    assert!(text.starts_with("rules.GDB150.options"), "{text}");
    assert!(text.contains("`min`"), "{text}");
    assert!(text.contains("forbidden"), "{text}");
}

#[test]
fn every_kind_refuses_a_foreign_option_and_keeps_its_own() {
    let kinds = one_rule_per_kind();
    assert!(kinds.len() >= 20, "the packs use {} kinds", kinds.len());
    for (kind, (rule, params)) in &kinds {
        // Its own parameters, given again as options, are accepted.
        let mut own = Map::new();
        let pack_check = pack_check(rule);
        for p in params {
            own.insert(p.clone(), pack_check[p].clone());
        }
        if let Err(e) = with_options(rule, Value::Object(own)) {
            panic!("{rule} ({kind}): its own parameters refused: {e}");
        }
        // A parameter of another kind is refused, naming the rule and the key.
        let foreign = ALL
            .iter()
            .find(|n| !params.iter().any(|p| p == *n) && !reads(kind, n))
            .unwrap_or_else(|| panic!("{kind} reads every parameter"));
        let err = refused(rule, json!({ *foreign: typed_value(foreign) }));
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("rules.{rule}.options")) && text.contains(foreign),
            "{rule} ({kind}): {text}"
        );
        // A parameter of the wrong type is refused too.
        if let Some(p) = params.first() {
            let wrong = match pack_check[p] {
                Value::String(_) => json!(12),
                _ => json!({"not": "this"}),
            };
            let err = refused(rule, json!({ p.as_str(): wrong }));
            assert!(
                err.to_string()
                    .starts_with(&format!("rules.{rule}.options")),
                "{rule} ({kind}): {err}"
            );
        }
    }
}

#[test]
fn options_that_name_another_kind_replace_the_check() {
    // GDB150 is a `forbidden` check; as `range` its `values` would not apply, and are dropped.
    let linter = with_options("GDB150", json!({"kind": "range", "min": 2000, "max": 3000}))
        .expect("another kind with its own parameters");
    let report = linter.check_str(
        hcdb_lint::Api::GeminidbCreateInstance,
        r#"{"datastore": {"type": "redis"}, "port": "6381"}"#,
    );
    assert!(
        report.diagnostics.iter().any(|d| d.rule == "GDB150"),
        "{:?}",
        report.diagnostics
    );
}

/// The kinds whose parameters are optional in the packs (a kind may read a parameter the
/// first rule of that kind does not give).
fn reads(kind: &str, name: &str) -> bool {
    matches!(
        (kind, name),
        ("length", "min" | "max" | "unit")
            | ("classes", "min")
            | ("range", "min" | "max")
            | ("list", "separator" | "min" | "max")
            | ("backup_window", "minutes")
            | ("min_items", "min")
            | ("context_max", "by")
    )
}

fn pack_check(rule: &str) -> Map<String, Value> {
    for pack in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).unwrap() {
        let path = pack.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for r in v["rules"].as_array().into_iter().flatten() {
            if r["id"] == rule {
                return r["check"].as_object().unwrap().clone();
            }
        }
    }
    panic!("no rule {rule}")
}

/// A kind, its own options, a key it does not read, and one of its keys with an ill-typed value.
type KindCase = (
    &'static str,
    Value,
    &'static str,
    Option<(&'static str, Value)>,
);

/// Every check kind, set through a config's `options` on a value rule (DDM115, the DDM
/// password's length rule): its parameters of the right type are accepted; a key it does not read
/// and a parameter of the wrong type are refused, each error naming the rule and the key.
/// Each entry: the kind's options, a key it does not read, and one of its keys with a value of
/// the wrong type (`None` for a kind without parameters).
#[test]
fn each_check_kind_accepts_its_options_and_refuses_foreign_or_ill_typed_ones() {
    let kinds: Vec<KindCase> = vec![
        ("required", json!({}), "min", None),
        ("defaulted", json!({}), "values", None),
        ("present", json!({}), "max", None),
        (
            "length",
            json!({"min": 1, "max": 9, "unit": "bytes"}),
            "values",
            Some(("unit", json!(3))),
        ),
        (
            "first_char",
            json!({"allowed": ["letters"]}),
            "min",
            Some(("allowed", json!("letters"))),
        ),
        (
            "charset",
            json!({"allowed": ["digits", "-"]}),
            "max",
            Some(("allowed", json!([1]))),
        ),
        (
            "classes",
            json!({"classes": ["upper", "digits"], "min": 1}),
            "max",
            Some(("min", json!("2"))),
        ),
        (
            "enum",
            json!({"values": ["a", 1]}),
            "allowed",
            Some(("values", json!([true]))),
        ),
        (
            "lookup_enum",
            json!({"lookup": ["engines", "$/x"]}),
            "values",
            Some(("lookup", json!("engines"))),
        ),
        (
            "range",
            json!({"min": -1, "max": 9}),
            "unit",
            Some(("max", json!(1.5))),
        ),
        (
            "lookup_range",
            json!({"lookup": ["sizes"]}),
            "min",
            Some(("lookup", json!([["a"]]))),
        ),
        (
            "forbidden",
            json!({"values": ["x", 2]}),
            "min",
            Some(("values", json!({"a": 1}))),
        ),
        (
            "contains_any",
            json!({"chars": "~!"}),
            "allowed",
            Some(("chars", json!(["~"]))),
        ),
        (
            "digits",
            json!({"len": 4}),
            "min",
            Some(("len", json!("4"))),
        ),
        (
            "list",
            json!({"separator": ";", "min": 1, "max": 3}),
            "unit",
            Some(("separator", json!(1))),
        ),
        (
            "backup_window",
            json!({"minutes": [0, 30]}),
            "min",
            Some(("minutes", json!([-5]))),
        ),
        (
            "distinct_from",
            json!({"other": "/instance/name"}),
            "field",
            Some(("other", json!(["/a"]))),
        ),
        ("not_blank", json!({}), "min", None),
        (
            "min_items",
            json!({"min": 2}),
            "max",
            Some(("min", json!([2]))),
        ),
        (
            "exclusive",
            json!({"groups": [["a"], ["b"]]}),
            "min",
            Some(("groups", json!(["a", "b"]))),
        ),
        (
            "any_of",
            json!({"alternatives": [[{"kind": "length", "max": 3}], [{"kind": "digits", "len": 4}]]}),
            "values",
            Some(("alternatives", json!([[{"kind": "length", "max": "3"}]]))),
        ),
        (
            "in_context",
            json!({"key": "availability_zones"}),
            "by",
            Some(("key", json!(1))),
        ),
        (
            "context_max",
            json!({"key": "quota", "by": "spec"}),
            "min",
            Some(("by", json!(true))),
        ),
        (
            "context_range",
            json!({"key": "window"}),
            "by",
            Some(("key", json!(null))),
        ),
        (
            "spec_engine",
            json!({"field": "/datastore/type", "table": "engines"}),
            "key",
            Some(("table", json!(["engines"]))),
        ),
        (
            "pattern",
            json!({"pattern": "[a-z]+"}),
            "values",
            Some(("pattern", json!(7))),
        ),
    ];
    assert_eq!(kinds.len(), 26, "one entry per check kind");
    for (kind, own, foreign, wrong) in kinds {
        let mut options = own.as_object().unwrap().clone();
        options.insert("kind".into(), json!(kind));
        if let Err(e) = with_options("DDM115", Value::Object(options.clone())) {
            panic!("{kind}: its own options refused: {e}");
        }
        let mut extra = options.clone();
        extra.insert(foreign.into(), typed_value(foreign));
        let text = refused("DDM115", Value::Object(extra)).to_string();
        assert!(
            text.starts_with("rules.DDM115.options")
                && text.contains(&format!("`{foreign}`"))
                && text.contains(&format!("`{kind}`")),
            "{kind} with {foreign}: {text}"
        );
        if let Some((key, value)) = wrong {
            let mut bad = options.clone();
            let missing = value.is_null();
            bad.insert(key.into(), value);
            let text = refused("DDM115", Value::Object(bad)).to_string();
            assert!(
                text.starts_with("rules.DDM115.options") && text.contains(key),
                "{kind} with {key} ill-typed: {text}"
            );
            // `null` reads as absent: a required parameter is then missing.
            if missing {
                assert!(text.contains("needs"), "{kind}: {text}");
            }
        }
    }
}

/// The backup window's fix is its check kind's own: it writes the minutes the configured check
/// allows, and none that it refuses.
#[test]
fn the_backup_window_fix_follows_the_configured_minutes() {
    let mut body: Value =
        serde_json::from_str(include_str!("../examples/geminidb-cassandra.valid.json")).unwrap();
    body["backup_strategy"]["start_time"] = json!("08:10-10:10");
    let text = serde_json::to_string_pretty(&body).unwrap();
    let fix_of = |linter: &Linter| {
        let report = linter.check_str(hcdb_lint::Api::GeminidbCreateInstance, &text);
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == "GDB127")
            .cloned();
        d.expect("GDB127 fires")
            .fix
            .map(|f| f.edits[0].replacement.clone())
    };
    // By default 10 is not among the minutes: the window is wrong, and no fix can be told.
    assert_eq!(fix_of(Linter::default_ref()), None);
    let mut rules = BTreeMap::new();
    let options: Map<String, Value> = json!({"minutes": [10]}).as_object().unwrap().clone();
    rules.insert(
        "GDB127".to_string(),
        RuleSetting::Full {
            severity: None,
            options,
        },
    );
    let linter = Linter::new(Config {
        rules,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(fix_of(&linter).as_deref(), Some("\"08:10-09:10\""));
}
