//! Terraform plan documents through `Linter::check_terraform_plan`: arbitrary text, and plans
//! of the covered resource types whose attributes, unknown and sensitive marks and actions are
//! arbitrary. Never a panic; every finding placed in the text, its line and column right,
//! sorted; a finding names its resource unless it is about the plan itself; and no output
//! carries a password the plan holds.
#![no_main]

use arbitrary::{Result, Unstructured};
use hcdb_lint::{Linter, Report};
use hcdb_lint_fuzz::*;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// Attribute names of the six resource types (others are ignored by the mapping).
const ATTRIBUTES: &[&str] = &[
    "name",
    "flavor_id",
    "node_num",
    "engine_id",
    "availability_zones",
    "availability_zone",
    "vpc_id",
    "subnet_id",
    "security_group_id",
    "admin_user",
    "admin_password",
    "password",
    "flavor",
    "volume_size",
    "datastore",
    "backup_strategy",
    "charging_mode",
    "period",
    "period_unit",
    "auto_renew",
    "auto_pay",
    "port",
    "ssl",
    "ssl_option",
    "mode",
    "time_zone",
    "param_group_id",
    "enterprise_project_id",
    "product_type",
    "availability_zone_detail",
];

const TYPES: &[&str] = &[
    "huaweicloud_ddm_instance",
    "huaweicloud_gaussdb_cassandra_instance",
    "huaweicloud_gaussdb_mongo_instance",
    "huaweicloud_gaussdb_influx_instance",
    "huaweicloud_gaussdb_redis_instance",
    "huaweicloud_geminidb_instance",
];

const ACTIONS: &[&[&str]] = &[
    &["create"],
    &["delete", "create"],
    &["create", "delete"],
    &["update"],
    &["no-op"],
    &["delete"],
];

fn attributes(u: &mut Unstructured<'_>) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for &name in ATTRIBUTES {
        if !u.arbitrary::<bool>()? {
            continue;
        }
        let v = match name {
            "admin_password" | "password" => Value::String(gen_password(u)?),
            "node_num" | "volume_size" | "period" | "port" => json!(u.int_in_range(-2..=70_000)?),
            "flavor" if u.arbitrary()? => json!([{"num": u.int_in_range(0..=70)?, "size": 100,
                "storage": "ULTRAHIGH", "spec_code": gen_string(u)?}]),
            "datastore" => json!([{"engine": gen_string(u)?, "type": gen_string(u)?,
                "version": gen_string(u)?, "storage_engine": "rocksDB"}]),
            "backup_strategy" => {
                json!([{"start_time": gen_string(u)?, "keep_days": u.int_in_range(0..=800)?}])
            }
            _ => gen_value(u, 2)?,
        };
        out.insert(name.to_string(), v);
    }
    Ok(out)
}

fn marks(u: &mut Unstructured<'_>, after: &Map<String, Value>) -> Result<Value> {
    let mut out = Map::new();
    for k in after
        .keys()
        .chain(["region".to_string(), "id".to_string()].iter())
    {
        if u.arbitrary::<bool>()? {
            out.insert(k.clone(), Value::Bool(true));
        }
    }
    Ok(Value::Object(out))
}

fn plan(u: &mut Unstructured<'_>) -> Result<String> {
    let mut changes = Vec::new();
    for i in 0..u.int_in_range(1..=3)? {
        let ty = *u.choose(TYPES)?;
        let actions = *u.choose(ACTIONS)?;
        let after = attributes(u)?;
        let before = attributes(u)?;
        changes.push(json!({
            "address": format!("module.m[{i}].{ty}.r"),
            "module_address": format!("module.m[{i}]"),
            "mode": "managed", "type": ty, "name": "r",
            "provider_name": "registry.terraform.io/huaweicloud/huaweicloud",
            "change": {"actions": actions, "before": before, "after_unknown": marks(u, &after)?,
                "after_sensitive": marks(u, &after)?, "after": after},
        }));
    }
    let version = *u.choose(&["0.1", "1.0", "1.2", "2.0", ""])?;
    let mut doc = json!({"format_version": version, "resource_changes": changes});
    if u.arbitrary::<bool>()? {
        doc["errored"] = json!(true);
    }
    if u.arbitrary::<bool>()? {
        doc["complete"] = json!(false);
    }
    Ok(if u.arbitrary::<bool>()? {
        doc.to_string()
    } else {
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    })
}

/// Every string under a member named like a password, anywhere in the document.
fn passwords(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if key.contains("password") && s.chars().count() >= 4 => {
            out.push(s.clone())
        }
        Value::Object(m) => m.iter().for_each(|(k, v)| passwords(v, k, out)),
        Value::Array(a) => a.iter().for_each(|v| passwords(v, key, out)),
        _ => {}
    }
}

/// Every password replaced by one that no output would show by chance.
fn mask(v: &mut Value, key: &str) {
    match v {
        Value::String(s) if key.contains("password") => *s = "Zq9~Mask~Zq9".to_string(),
        Value::Object(m) => m.iter_mut().for_each(|(k, v)| mask(v, k)),
        Value::Array(a) => a.iter_mut().for_each(|v| mask(v, key)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    // Text that opens like a document (the seeds: the tests' plan fixtures) is read as it is;
    // any other input drives the generator.
    let text = if data.first() == Some(&b'{') {
        match std::str::from_utf8(data) {
            Ok(t) => t.to_string(),
            Err(_) => return,
        }
    } else {
        match plan(&mut Unstructured::new(data)) {
            Ok(t) => t,
            Err(_) => return,
        }
    };
    let linter = Linter::default_ref();
    let Some(plan) = linter.check_terraform_plan(&text) else {
        return;
    };
    let report = Report {
        api: None,
        diagnostics: plan.diagnostics.clone(),
        unknown: plan.unknown.clone(),
    };
    assert_text_positions(&report, &text);
    for d in &report.diagnostics {
        assert!(
            d.resource.is_some() || matches!(&*d.rule, "HC018" | "HC019" | "HC020"),
            "{} names no resource",
            d.rule
        );
    }
    for r in &plan.resources {
        assert!(
            TYPES.contains(&r.resource_type.as_str()),
            "{}",
            r.resource_type
        );
        assert_eq!(r.api.is_some(), r.not_linted.is_none());
    }
    let Ok(doc) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    let mut secrets = Vec::new();
    passwords(&doc, "", &mut secrets);
    if secrets.is_empty() {
        return;
    }
    // A password whose text the same plan shows anyway with other passwords (`null,`, a rule's
    // words, another value) is not distinctive and is skipped.
    let mut masked = doc.clone();
    mask(&mut masked, "");
    let mut material = String::new();
    all_strings(&masked, &mut material);
    if let Some(p) = linter.check_terraform_plan(&masked.to_string()) {
        let r = Report {
            api: None,
            diagnostics: p.diagnostics,
            unknown: p.unknown,
        };
        material.push_str(&surfaces(&r).join("\n"));
    }
    // Positions are numbers derived from lengths, never from content.
    let mut report = report;
    for d in &mut report.diagnostics {
        (d.span, d.line, d.column, d.end_line, d.end_column) = (None, None, None, None, None);
    }
    let shown = surfaces(&report).join("\n");
    for s in secrets {
        if material.contains(s.as_str()) || rule_texts().contains(s.as_str()) {
            continue;
        }
        let escaped = serde_json::to_string(&s).unwrap_or_default();
        assert!(!shown.contains(s.as_str()), "{s:?} is echoed");
        let escaped = escaped.trim_matches('"');
        assert!(
            escaped.len() < 4 || !shown.contains(escaped),
            "{s:?} is echoed (escaped)"
        );
    }
});
