//! The JSON Schema export never rejects what the linter accepts: every fixture body
//! (`tests/fixtures/*/cases.json`, fire and pass cases) and every example, checked by the linter
//! and by an independent validator (jsonschema) against `Linter::json_schema` of the same
//! configuration, by default and under `strict`. A body the linter holds valid (no error) must
//! pass the schema; under `strict` the schema states the documented types only, so there a body
//! the linter warns about for a coerced type or a `null` member (HC006, HC007) is left out.

mod common;

use common::fixtures::{build_body, example, example_files, fixtures};
use hcdb_lint::{detect_api, Api, Config, Linter};
use serde_json::{json, Value};

fn linter(context: Option<&serde_json::Map<String, Value>>, strict: bool) -> Linter {
    let mut config: Config = serde_json::from_value(json!({ "strict": strict })).unwrap();
    if let Some(c) = context {
        config.context = c.clone();
    }
    Linter::new(config).unwrap()
}

/// The bodies the linter holds valid that the schema rejects, with the schema's reasons.
fn disagreements(
    linter: &Linter,
    api: Api,
    bodies: &[(String, Value)],
    strict: bool,
) -> (usize, Vec<String>) {
    let schema = linter.json_schema(api);
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let mut valid = 0;
    let mut out = Vec::new();
    for (name, body) in bodies {
        if !linter.is_valid(api, body) {
            continue;
        }
        let typed = |r: &hcdb_lint::Report| {
            r.diagnostics
                .iter()
                .any(|d| d.rule == "HC006" || d.rule == "HC007")
        };
        if strict && typed(&linter.check_value(api, body)) {
            continue;
        }
        valid += 1;
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} {e}", e.instance_path()))
            .collect();
        if !errors.is_empty() {
            out.push(format!("{name}: {}", errors.join("; ")));
        }
    }
    (valid, out)
}

#[test]
fn the_schema_accepts_every_body_the_linter_holds_valid() {
    for strict in [false, true] {
        let mut valid = 0;
        let mut failures = Vec::new();
        for fx in fixtures() {
            let api: Api = fx.api.parse().unwrap();
            let bodies: Vec<(String, Value)> = fx
                .fire
                .iter()
                .chain(&fx.pass)
                .map(|case| (format!("{} {}", fx.rule, case.name), build_body(&fx, case)))
                .collect();
            let (n, bad) =
                disagreements(&linter(fx.context.as_ref(), strict), api, &bodies, strict);
            valid += n;
            failures.extend(bad);
        }
        for name in example_files() {
            let body = example(&name);
            let api = detect_api(&body).unwrap();
            let (n, bad) = disagreements(&linter(None, strict), api, &[(name, body)], strict);
            valid += n;
            failures.extend(bad);
        }
        eprintln!("strict {strict}: {valid} bodies the linter holds valid, checked by the schema");
        assert!(
            valid > 100,
            "too few valid bodies to mean anything: {valid}"
        );
        assert!(
            failures.is_empty(),
            "strict {strict}: the schema rejects {} bodies the linter holds valid:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// A string-typed number (a warning) and an optional member given as `null` (a warning) pass
/// the schema; under `strict` the schema states the documented types only.
#[test]
fn coercions_and_optional_nulls_pass_unless_strict() {
    let mut body = example("geminidb-cassandra.valid.json");
    body["backup_strategy"]["keep_days"] = json!("7");
    body["enterprise_project_id"] = Value::Null;
    body["flavor"][0]["size"] = json!(500);
    let mut scale = example("ddm-scale-out.valid.json");
    scale["node_number"] = json!("2");
    for (strict, passes) in [(false, true), (true, false)] {
        let l = linter(None, strict);
        for (api, b) in [
            (Api::GeminidbCreateInstance, &body),
            (Api::DdmScaleOut, &scale),
        ] {
            let v = jsonschema::draft202012::new(&l.json_schema(api)).unwrap();
            assert_eq!(v.is_valid(b), passes, "strict {strict}: {b}");
        }
    }
}
