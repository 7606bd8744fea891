//! Print the expanded test corpus as JSON: every fixture case (`GDB101/fire/0`) and every
//! `examples/*.json` file (`example/<file>`), each with the default-config verdict of
//! `check_value` (all rules on, with the case's context), sorted by (pointer, rule), and the
//! verdict under `strict` (`expected_strict`).
//!
//! Each case also carries what fixing its text gives (`check_str`'s fixes, and the text fixed
//! with the safe fixes and with all of them); the fix fixtures (`tests/fixes/<RULE>/input.json`)
//! are cases too (`fix/<RULE>`), with their text byte for byte (CRLF, tabs, BOM).
//!
//! `cargo run --quiet --example corpus > corpus.json`. The wasm package's tests compare their
//! verdicts with this one.

#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use hcdb_lint::{detect_api, Api, Config, FixOptions, Linter};
use serde_json::{json, Map, Value};

fn linter(context: Option<&Map<String, Value>>, strict: bool) -> Linter {
    let config = Config {
        context: context.cloned().unwrap_or_default(),
        strict,
        ..Config::default()
    };
    match Linter::new(config) {
        Ok(l) => l,
        Err(e) => panic!("fixture context is not a valid config: {e}"),
    }
}

/// The fixes `check_str` offers on the text (in its order), and the text fixed with the safe
/// fixes and with every fix.
fn fixes(api: Api, context: Option<&Map<String, Value>>, text: &str) -> Value {
    let linter = linter(context, false);
    let offered: Vec<Value> = linter
        .check_str(api, text)
        .diagnostics
        .into_iter()
        .filter_map(|d| {
            let fix = serde_json::to_value(d.fix.as_ref()?).ok()?;
            Some(json!({"rule": d.rule, "pointer": d.pointer, "fix": fix}))
        })
        .collect();
    let fixed = |unsafe_fixes| linter.fix(Some(api), text, FixOptions { unsafe_fixes });
    let (safe, all) = (fixed(false), fixed(true));
    json!({
        "offered": offered,
        "safe": {"text": safe.text, "fixed": safe.fixed},
        "unsafe": {"text": all.text, "fixed": all.fixed},
    })
}

fn expected(api: Api, context: Option<&Map<String, Value>>, body: &Value, strict: bool) -> Value {
    let linter = linter(context, strict);
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
    entry_with_text(id, api, context, body, text)
}

fn entry_with_text(
    id: String,
    api: Api,
    context: Option<&Map<String, Value>>,
    body: Value,
    text: String,
) -> Value {
    json!({
        "fixes": fixes(api, context, &text),
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
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes");
    let mut rules: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    rules.sort();
    for case in rules {
        let read = |name: &str| {
            std::fs::read_to_string(case.join(name))
                .unwrap_or_else(|e| panic!("{}: {e}", case.join(name).display()))
        };
        let meta: Value = serde_json::from_str(&read("case.json")).unwrap_or_default();
        let Some(api) = meta["api"].as_str().and_then(|a| a.parse::<Api>().ok()) else {
            panic!("{}: case.json names no API", case.display());
        };
        let text = read("input.json");
        let body: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let rule = case.file_name().unwrap_or_default().to_string_lossy();
        out.push(entry_with_text(
            format!("fix/{rule}"),
            api,
            None,
            body,
            text,
        ));
    }
    match serde_json::to_string_pretty(&Value::from(out)) {
        Ok(s) => println!("{s}"),
        Err(e) => panic!("cannot serialize the corpus: {e}"),
    }
}
