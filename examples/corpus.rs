//! Print the expanded test corpus as JSON: every fixture case (`GDB101/fire/0`) and every
//! `examples/*.json` file (`example/<file>`), each with the default-config verdict of
//! `check_value` (all rules on, with the case's context), sorted by (pointer, rule), and the
//! verdict under `strict` (`expected_strict`).
//!
//! `cargo run --quiet --example corpus > corpus.json`. The wasm package's tests compare their
//! verdicts with this one.

#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use hcdb_lint::{detect_api, Api, Config, Linter};
use serde_json::{json, Map, Value};

fn expected(api: Api, context: Option<&Map<String, Value>>, body: &Value, strict: bool) -> Value {
    let config = Config {
        context: context.cloned().unwrap_or_default(),
        strict,
        ..Config::default()
    };
    let linter = match Linter::new(config) {
        Ok(l) => l,
        Err(e) => panic!("fixture context is not a valid config: {e}"),
    };
    let mut diags: Vec<(String, String, String)> = linter
        .check_value(api, body)
        .diagnostics
        .into_iter()
        .map(|d| (d.pointer, d.rule.into_owned(), d.severity.to_string()))
        .collect();
    diags.sort();
    Value::from(
        diags
            .into_iter()
            .map(|(pointer, rule, severity)| json!({"rule": rule, "pointer": pointer, "severity": severity}))
            .collect::<Vec<_>>(),
    )
}

fn entry(id: String, api: Api, context: Option<&Map<String, Value>>, body: Value) -> Value {
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    json!({
        "id": id,
        "api": api.id(),
        "context": context.map(|c| Value::Object(c.clone())).unwrap_or(Value::Null),
        "expected": expected(api, context, &body, false),
        "expected_strict": expected(api, context, &body, true),
        "body": body,
        "text": text,
    })
}

fn main() {
    let mut out = Vec::new();
    for fx in fixtures::fixtures() {
        let api: Api = match fx.api.parse() {
            Ok(a) => a,
            Err(e) => panic!("{}: {e}", fx.rule),
        };
        for (kind, cases) in [("fire", &fx.fire), ("pass", &fx.pass)] {
            for (i, case) in cases.iter().enumerate() {
                let body = fixtures::build_body(&fx, case);
                out.push(entry(
                    format!("{}/{kind}/{i}", fx.rule),
                    api,
                    fx.context.as_ref(),
                    body,
                ));
            }
        }
    }
    for name in fixtures::example_files() {
        let body = fixtures::example(&name);
        let Some(api) = detect_api(&body) else {
            panic!("examples/{name}: the API cannot be detected");
        };
        out.push(entry(format!("example/{name}"), api, None, body));
    }
    match serde_json::to_string_pretty(&Value::from(out)) {
        Ok(s) => println!("{s}"),
        Err(e) => panic!("cannot serialize the corpus: {e}"),
    }
}
