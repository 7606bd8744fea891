//! The JS-facing shapes, in plain Rust (tested natively): camelCase keys, argument checks and the
//! configuration object.

use hcdb_lint::{Api, Config, FieldMeta, Lang, Linter, Report, RuleSetting};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const API_NAMES: &str = "ddm-create-instance, ddm-scale-out, geminidb-create-instance";

/// `end_line` → `endLine`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The same object with its own keys in camelCase (nested data such as `params` is left as is).
fn camel_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (camel(&k), v)).collect()),
        other => other,
    }
}

fn drop_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(drop_nulls).collect()),
        other => other,
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    // The core's types serialize to JSON by construction (string keys, finite numbers).
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `{ valid, diagnostics }` with camelCase diagnostic keys.
pub fn report(report: &Report) -> Value {
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| camel_keys(to_value(d)))
        .collect();
    let mut out = Map::new();
    out.insert("valid".into(), Value::Bool(!report.has_errors()));
    out.insert("diagnostics".into(), Value::Array(diagnostics));
    Value::Object(out)
}

/// The rules that apply to `api` (the common linter rules, then the API's own), or all of them,
/// each with its level in this linter's configuration.
pub fn rules(linter: &Linter, api: Option<Api>) -> Vec<Value> {
    linter
        .rules()
        .iter()
        .filter(|d| api.is_none() || d.api.is_none() || d.api == api)
        .map(|d| {
            let mut v = camel_keys(to_value(d));
            if let Value::Object(map) = &mut v {
                if let Some(when) = map.remove("when") {
                    map.insert("when".into(), drop_nulls(when));
                }
                map.insert("severity".into(), to_value(&linter.severity_of(&d.id)));
            }
            v
        })
        .collect()
}

pub fn fields(metas: &[FieldMeta]) -> Vec<Value> {
    metas.iter().map(|m| camel_keys(to_value(m))).collect()
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// JSON text from `JSON.stringify`, parsed.
pub fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{what} cannot be read as JSON: {e}"))
}

fn kind_name(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}

/// A body must be a JSON object: anything else is a caller's mistake, not a verdict.
pub fn require_object(value: Option<&Value>, what: &str) -> Result<(), String> {
    match value {
        Some(Value::Object(_)) => Ok(()),
        other => Err(format!(
            "{what} must be a plain object (the request body), got {}; use checkJson to check arbitrary JSON text",
            kind_name(other)
        )),
    }
}

/// The configuration object of `new Linter(...)`, in camelCase.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsConfig {
    lang: Option<Lang>,
    rules: Option<BTreeMap<String, RuleSetting>>,
    tables: Option<BTreeMap<String, Map<String, Value>>>,
    context: Option<Map<String, Value>>,
    max_input_bytes: Option<usize>,
    max_depth: Option<usize>,
}

/// The core configuration for a JS config object (`None` or `null`: the default).
pub fn config(value: Option<&Value>) -> Result<Config, String> {
    let js = match value {
        None | Some(Value::Null) => JsConfig::default(),
        Some(v @ Value::Object(_)) => {
            JsConfig::deserialize(v).map_err(|e| format!("config: {e}"))?
        }
        other => {
            return Err(format!(
                "config must be an object such as {{ lang: \"zh\" }}, got {}",
                kind_name(other)
            ))
        }
    };
    let mut config = Config::default();
    if let Some(lang) = js.lang {
        config.lang = lang;
    }
    if let Some(rules) = js.rules {
        config.rules = rules;
    }
    if let Some(tables) = js.tables {
        config.tables = tables;
    }
    if let Some(context) = js.context {
        config.context = context;
    }
    if let Some(n) = js.max_input_bytes {
        config.max_input_bytes = n;
    }
    if let Some(n) = js.max_depth {
        config.max_depth = n;
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn camel_case_keys() {
        assert_eq!(camel("end_column"), "endColumn");
        assert_eq!(camel("default_severity"), "defaultSeverity");
        assert_eq!(camel("rule"), "rule");
    }

    #[test]
    fn report_keys_are_camel_case_and_params_untouched() {
        let linter = Linter::new(Config::default()).unwrap();
        let r = linter.check_str(
            Api::DdmScaleOut,
            "{\"flavor_id\": \"f\",\n \"node_number\": 0}",
        );
        let v = report(&r);
        assert_eq!(v["valid"], json!(false));
        let d = &v["diagnostics"][0];
        assert_eq!(d["pointer"], json!("/node_number"));
        assert_eq!(d["line"], json!(2));
        assert!(d.get("endColumn").is_some() && d.get("end_column").is_none());
        assert!(d["params"].is_object());
    }

    #[test]
    fn config_is_camel_case_and_strict() {
        let c = config(Some(&json!({"lang": "zh", "maxDepth": 8}))).unwrap();
        assert_eq!(c.lang, Lang::Zh);
        assert_eq!(c.max_depth, 8);
        let e = config(Some(&json!({"max_depth": 8}))).unwrap_err();
        assert!(e.contains("unknown field `max_depth`"), "{e}");
        assert!(config(Some(&json!([1]))).unwrap_err().contains("an array"));
        assert_eq!(config(None).unwrap(), Config::default());
    }

    #[test]
    fn rules_for_an_api_include_common_ones_only() {
        let linter = Linter::new(Config::default()).unwrap();
        let scale = rules(&linter, Some(Api::DdmScaleOut));
        assert!(scale.iter().any(|r| r["api"].is_null()));
        assert!(scale.iter().any(|r| r["api"] == json!("ddm-scale-out")));
        assert!(scale
            .iter()
            .all(|r| r["api"].is_null() || r["api"] == json!("ddm-scale-out")));
        assert!(scale.len() < rules(&linter, None).len());
        assert!(scale[0].get("defaultSeverity").is_some());
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(require_object(Some(&json!({})), "body").is_ok());
        let e = require_object(Some(&json!([])), "body").unwrap_err();
        assert!(e.starts_with("body must be a plain object"), "{e}");
        assert!(require_object(None, "body")
            .unwrap_err()
            .contains("undefined"));
    }
}
