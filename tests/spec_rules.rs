//! The cross-cutting rules of docs/reading-the-pages.md, table-driven: the examples' verdicts,
//! every engine x mode x version combination and node-count boundary from the pack's own engine
//! table, unknown engine / unknown mode, type coercion per field, null handling, and case-sensitive enums with suggestions.

mod common;

use common::fixtures::{example, example_files, set_at};
use hcdb_lint::{check_value, Api, Report, Severity};
use serde_json::{json, Value};

const GDB: Api = Api::GeminidbCreateInstance;

fn errors(r: &Report) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule.to_string(), d.pointer.clone()))
        .collect();
    v.sort();
    v
}

fn has(r: &Report, rule: &str, pointer: &str) -> bool {
    r.diagnostics
        .iter()
        .any(|d| d.rule == rule && d.pointer == pointer)
}

/// The GeminiDB pack's engine table, read from the pack itself.
fn engines() -> serde_json::Map<String, Value> {
    let pack: Value = serde_json::from_str(include_str!("../rules/geminidb-create-instance.json"))
        .expect("pack is JSON");
    pack["tables"]["engines"]
        .as_object()
        .expect("engines table")
        .clone()
}

fn range(v: &Value) -> (i64, Option<i64>) {
    (
        v["min"].as_i64().unwrap_or(1),
        v.get("max").and_then(Value::as_i64),
    )
}

/// A body for an engine/mode/version that is otherwise valid.
fn body(engine: &str, mode: &str, version: &Value, num: i64) -> Value {
    let e = &engines()[engine];
    let mut b = example("geminidb-cassandra.valid.json");
    set_at(&mut b, "/datastore/type", json!(engine));
    set_at(&mut b, "/mode", json!(mode));
    set_at(&mut b, "/datastore/version", version.clone());
    set_at(&mut b, "/flavor/0/num", json!(num));
    let min_size = e["size"]["min"].as_i64().unwrap_or(1).max(100);
    set_at(&mut b, "/flavor/0/size", json!(min_size));
    let spec = e["spec_names"][0].as_str().unwrap_or(engine);
    set_at(
        &mut b,
        "/flavor/0/spec_code",
        json!(format!("geminidb.{spec}.large.4")),
    );
    if engine == "redis" && mode == "CloudNativeCluster" {
        set_at(&mut b, "/product_type", json!("Capacity"));
    }
    b
}

fn modes(engine: &str) -> Vec<(String, Value)> {
    engines()[engine]["modes"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// [`modes`] as a body names them: the `*` entry (any mode) as a mode of its own, `AnyMode`.
fn body_modes(engine: &str) -> Vec<(String, Value)> {
    modes(engine)
        .into_iter()
        .map(|(mode, m)| match mode.as_str() {
            "*" => ("AnyMode".to_string(), m),
            _ => (mode, m),
        })
        .collect()
}

#[test]
fn valid_examples_have_no_error_and_no_warning_and_invalid_ones_several_errors() {
    let mut seen = 0;
    for name in example_files() {
        let v = example(&name);
        let api = hcdb_lint::detect_api(&v).expect("detectable");
        let r = check_value(api, &v);
        if name.ends_with(".valid.json") {
            let loud: Vec<_> = r
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .collect();
            assert!(loud.is_empty(), "{name}: {loud:#?}");
            seen += 1;
        } else {
            assert!(name.ends_with(".invalid.json"), "{name}");
            let e = errors(&r);
            let rules: std::collections::BTreeSet<&String> = e.iter().map(|(r, _)| r).collect();
            assert!(rules.len() >= 3, "{name}: only {e:?}");
        }
    }
    // One pair per API and per GeminiDB engine.
    assert_eq!(seen, 2 + engines().len(), "valid examples");
    for engine in engines().keys() {
        assert!(example_files().contains(&format!("geminidb-{engine}.invalid.json")));
        assert!(example_files().contains(&format!("geminidb-{engine}.valid.json")));
    }
}

#[test]
fn every_engine_mode_version_combination_of_the_table_is_valid() {
    let mut n = 0;
    for engine in engines().keys() {
        for (mode, m) in body_modes(engine) {
            let (min, max) = range(&m["num"]);
            for version in m["versions"].as_array().unwrap() {
                for num in [Some(min), max].into_iter().flatten() {
                    let b = body(engine, &mode, version, num);
                    let r = check_value(GDB, &b);
                    assert!(
                        errors(&r).is_empty(),
                        "{engine}/{mode}/{version}/{num}: {:?}",
                        errors(&r)
                    );
                    n += 1;
                }
                if version.is_null() {
                    // Absent is the same as null for these engines.
                    let mut b = body(engine, &mode, version, min);
                    common::fixtures::remove_at(&mut b, "/datastore/version");
                    assert!(errors(&check_value(GDB, &b)).is_empty(), "{engine}");
                }
            }
        }
    }
    assert!(n >= 20, "only {n} combinations");
}

#[test]
fn a_version_the_engine_and_mode_do_not_offer_fires_at_the_version() {
    let all_versions: Vec<Value> = engines()
        .values()
        .flat_map(|e| {
            e["modes"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|m| m["versions"].as_array().unwrap().clone())
                .collect::<Vec<_>>()
        })
        .chain([json!("9.9"), json!("3.11.0")])
        .filter(|v| !v.is_null())
        .collect();
    for engine in engines().keys() {
        for (mode, m) in body_modes(engine) {
            let offered = m["versions"].as_array().unwrap();
            let (min, _) = range(&m["num"]);
            for v in &all_versions {
                let r = check_value(GDB, &body(engine, &mode, v, min));
                let fires = has(&r, "GDB106", "/datastore/version");
                assert_eq!(fires, !offered.contains(v), "{engine}/{mode}/{v}");
                // Influx Cluster 1.7: an observed acceptance, a warning (rules/README.md).
                if engine == "influxdb" && mode == "Cluster" && v == "1.7" {
                    assert!(fires && errors(&r).is_empty(), "{engine}/{mode}/{v}");
                    continue;
                }
                if fires {
                    assert_eq!(
                        errors(&r),
                        vec![("GDB106".into(), "/datastore/version".into())],
                        "{engine}/{mode}/{v}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_mode_the_engine_does_not_offer_fires_only_at_the_mode() {
    let all_modes: Vec<String> = engines()
        .values()
        .flat_map(|e| {
            e["modes"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|m| m != "*")
        .chain(["cluster".to_string(), "Single".to_string()])
        .collect();
    for engine in engines().keys() {
        let offered = modes(engine);
        if offered.iter().any(|(m, _)| m == "*") {
            continue;
        }
        // Widest node range and every version of the engine.
        let lo = offered
            .iter()
            .map(|(_, m)| range(&m["num"]).0)
            .min()
            .unwrap();
        let hi = offered
            .iter()
            .filter_map(|(_, m)| range(&m["num"]).1)
            .max()
            .unwrap();
        let versions: Vec<Value> = offered
            .iter()
            .flat_map(|(_, m)| m["versions"].as_array().unwrap().clone())
            .collect();
        for mode in &all_modes {
            if offered.iter().any(|(m, _)| m == mode) {
                continue;
            }
            for v in &versions {
                for num in [lo, hi] {
                    let r = check_value(GDB, &body(engine, mode, v, num));
                    assert_eq!(
                        errors(&r),
                        vec![("GDB105".into(), "/mode".into())],
                        "{engine}/{mode}/{v}/{num}"
                    );
                }
                let r = check_value(GDB, &body(engine, mode, v, hi + 1));
                assert!(
                    has(&r, "GDB122", "/flavor/0/num"),
                    "{engine}/{mode} widest+1"
                );
                let r = check_value(GDB, &body(engine, mode, &json!("0.0"), lo));
                assert!(
                    has(&r, "GDB106", "/datastore/version"),
                    "{engine}/{mode} 0.0"
                );
            }
        }
    }
}

#[test]
fn node_counts_on_both_sides_of_every_range() {
    for engine in engines().keys() {
        for (mode, m) in body_modes(engine) {
            let (min, max) = range(&m["num"]);
            let v = &m["versions"][0];
            let at = |num: i64| {
                has(
                    &check_value(GDB, &body(engine, &mode, v, num)),
                    "GDB122",
                    "/flavor/0/num",
                )
            };
            assert!(at(min - 1), "{engine}/{mode} {}", min - 1);
            assert!(!at(min), "{engine}/{mode} {min}");
            match max {
                Some(max) => {
                    assert!(!at(max), "{engine}/{mode} {max}");
                    assert!(at(max + 1), "{engine}/{mode} {}", max + 1);
                }
                None => assert!(!at(100_000), "{engine}/{mode} unbounded"),
            }
        }
    }
}

#[test]
fn an_unknown_or_missing_engine_reports_only_the_type() {
    for ty in [Some(json!("mysql")), Some(json!("Redis")), None] {
        let mut b = body("redis", "Whatever", &json!("7.7"), 1000);
        match &ty {
            Some(t) => set_at(&mut b, "/datastore/type", t.clone()),
            None => common::fixtures::remove_at(&mut b, "/datastore/type"),
        }
        set_at(&mut b, "/flavor/0/size", json!(1));
        set_at(&mut b, "/port", json!("6380"));
        set_at(&mut b, "/product_type", json!("Capacity"));
        set_at(
            &mut b,
            "/availability_zone_detail",
            json!({"primary_availability_zone": "a", "secondary_availability_zone": "b"}),
        );
        set_at(
            &mut b,
            "/restore_info",
            json!({"source_instance_id": "s", "restore_time": 1607731200000_i64}),
        );
        // Passes the Redis rule (two classes), fails the non-Redis one: not an error.
        set_at(&mut b, "/password", json!("aaaa1111"));
        let r = check_value(GDB, &b);
        let want = if ty.is_some() { "GDB104" } else { "HC004" };
        assert_eq!(
            errors(&r),
            vec![(want.into(), "/datastore/type".into())],
            "{ty:?}"
        );
        if ty == Some(json!("Redis")) {
            let d = r.diagnostics.iter().find(|d| d.rule == "GDB104").unwrap();
            assert_eq!(d.params["suggestion"], json!("redis"));
        }
        // A password that fails both readings is an error.
        for bad in ["aaaaaaaa", "aaaa 1111"] {
            set_at(&mut b, "/password", json!(bad));
            assert!(has(&check_value(GDB, &b), "GDB117", "/password"), "{bad}");
        }
    }
}

#[test]
fn each_engine_applies_its_own_password_rule() {
    for engine in engines().keys() {
        let (mode, m) = body_modes(engine).into_iter().next().unwrap();
        let mut b = body(engine, &mode, &m["versions"][0], range(&m["num"]).0);
        let cases: [(&str, bool, bool); 5] = [
            // (password, valid for Redis, valid elsewhere)
            ("Aa1~aaaa", true, true),
            ("aaaa1111", true, false),
            ("Aa1$aaaa", true, false),
            ("Aa1=aaaa", true, true),
            ("aaaaaaaa", false, false),
        ];
        for (pw, redis_ok, other_ok) in cases {
            set_at(&mut b, "/password", json!(pw));
            let r = check_value(GDB, &b);
            let bad = errors(&r).iter().any(|(_, p)| p == "/password");
            let ok = match engine.as_str() {
                "redis" => redis_ok,
                // Two classes: an observed acceptance for DynamoDB (a warning).
                "dynamodb" if pw == "aaaa1111" => true,
                _ => other_ok,
            };
            assert_eq!(!bad, ok, "{engine} {pw}: {:?}", errors(&r));
        }
    }
}

/// docs/reading-the-pages.md#types: which coercions warn and which are silent, per field.
#[test]
fn coercion_is_a_warning_or_silent_per_field() {
    let silent_gdb = [
        ("/flavor/0/num", json!("3")),
        ("/flavor/0/size", json!("500")),
        ("/backup_strategy/keep_days", json!("8")),
        ("/ssl_option", json!(1)),
        ("/charge_info/period_num", json!("1")),
        ("/charge_info/is_auto_renew", json!(true)),
        ("/charge_info/is_auto_pay", json!(false)),
    ];
    let base = example("geminidb-cassandra.valid.json");
    for (p, v) in silent_gdb {
        let mut b = base.clone();
        set_at(&mut b, p, v.clone());
        let r = check_value(GDB, &b);
        assert!(
            r.diagnostics.iter().all(|d| d.severity == Severity::Info),
            "{p}={v}: {:#?}",
            r.diagnostics
        );
    }
    let mut redis = example("geminidb-redis.valid.json");
    set_at(&mut redis, "/port", json!(6379));
    assert!(!check_value(GDB, &redis)
        .diagnostics
        .iter()
        .any(|d| d.severity != Severity::Info));
    let warn: [(Api, &str, &str, Value); 8] = [
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/restore_info/restore_time",
            json!("1607731200000"),
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/vpc_id",
            json!(12345),
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/datastore/version",
            json!(3.11),
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/node_num",
            json!("4"),
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/extend_param/period_num",
            json!("3"),
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/extend_param/is_auto_renew",
            json!(true),
        ),
        (
            Api::DdmScaleOut,
            "ddm-scale-out.valid.json",
            "/node_number",
            json!("2"),
        ),
        (
            Api::DdmScaleOut,
            "ddm-scale-out.valid.json",
            "/is_auto_pay",
            json!("true"),
        ),
    ];
    for (api, file, p, v) in warn {
        let mut b = example(file);
        set_at(&mut b, p, v.clone());
        if p == "/restore_info/restore_time" {
            set_at(&mut b, "/restore_info/source_instance_id", json!("s"));
        }
        let r = check_value(api, &b);
        let w: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        assert_eq!(w.len(), 1, "{p}={v}: {w:#?}");
        assert_eq!((&*w[0].rule, w[0].pointer.as_str()), ("HC006", p));
        assert_eq!(w[0].severity, Severity::Warning);
    }
    // The range checks apply to the coerced value.
    let mut b = base.clone();
    set_at(&mut b, "/flavor/0/num", json!("61"));
    assert!(has(&check_value(GDB, &b), "GDB122", "/flavor/0/num"));
    let mut b = example("ddm-scale-out.valid.json");
    set_at(&mut b, "/node_number", json!("0"));
    let r = check_value(Api::DdmScaleOut, &b);
    assert!(has(&r, "HC006", "/node_number") && has(&r, "DDM201", "/node_number"));
    // Not whole: errors, not coercions.
    for v in [json!(2.5), json!("3.5"), json!("three")] {
        let mut b = base.clone();
        set_at(&mut b, "/flavor/0/num", v.clone());
        let r = check_value(GDB, &b);
        assert_eq!(
            errors(&r),
            vec![("HC005".into(), "/flavor/0/num".into())],
            "{v}"
        );
    }
}

#[test]
fn nulls_are_missing_when_required_and_absent_when_optional() {
    let cases: [(Api, &str, &str, &str, Severity); 8] = [
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/name",
            "HC004",
            Severity::Error,
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/flavor/0/spec_code",
            "HC004",
            Severity::Error,
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/configuration_id",
            "HC007",
            Severity::Warning,
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/datastore/version",
            "GDB107",
            Severity::Error,
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/vpc_id",
            "HC004",
            Severity::Error,
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/param_group_id",
            "HC007",
            Severity::Warning,
        ),
        (
            Api::DdmScaleOut,
            "ddm-scale-out.valid.json",
            "/node_number",
            "HC004",
            Severity::Error,
        ),
        (
            Api::DdmScaleOut,
            "ddm-scale-out.valid.json",
            "/group_id",
            "HC007",
            Severity::Warning,
        ),
    ];
    for (api, file, p, rule, sev) in cases {
        let mut b = example(file);
        set_at(&mut b, p, Value::Null);
        let r = check_value(api, &b);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.pointer == p && d.severity != Severity::Info)
            .unwrap_or_else(|| panic!("{p}: {:#?}", r.diagnostics));
        assert_eq!((&*d.rule, d.severity), (rule, sev), "{p}");
        assert_eq!(
            r.diagnostics
                .iter()
                .filter(|d| d.pointer == p && d.severity != Severity::Info)
                .count(),
            1,
            "{p}"
        );
    }
    for engine in ["dynamodb", "hbase"] {
        let mut b = example(&format!("geminidb-{engine}.valid.json"));
        set_at(&mut b, "/datastore/version", Value::Null);
        let r = check_value(GDB, &b);
        assert!(
            !r.diagnostics
                .iter()
                .any(|d| d.pointer == "/datastore/version"),
            "{engine}"
        );
    }
}

#[test]
fn enumerations_are_case_sensitive_and_suggest_the_right_spelling() {
    let cases: [(Api, &str, &str, &str, &str); 12] = [
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/datastore/type",
            "Cassandra",
            "cassandra",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/mode",
            "cluster",
            "Cluster",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/datastore/storage_engine",
            "ROCKSDB",
            "rocksDB",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/flavor/0/storage",
            "ultrahigh",
            "ULTRAHIGH",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/charge_info/charge_mode",
            "PREPAID",
            "prePaid",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/charge_info/period_type",
            "Year",
            "year",
        ),
        (
            GDB,
            "geminidb-cassandra.valid.json",
            "/charge_info/is_auto_renew",
            "True",
            "true",
        ),
        (
            GDB,
            "geminidb-redis.valid.json",
            "/product_type",
            "capacity",
            "Capacity",
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/time_zone",
            "utc+08:00",
            "UTC+08:00",
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/extend_param/charge_mode",
            "prepaid",
            "prePaid",
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/extend_param/period_type",
            "MONTH",
            "month",
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/extend_param/is_auto_pay",
            "FALSE",
            "false",
        ),
    ];
    for (api, file, p, wrong, right) in cases {
        let mut b = example(file);
        set_at(&mut b, p, json!(wrong));
        let r = check_value(api, &b);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.pointer == p && d.severity == Severity::Error)
            .unwrap_or_else(|| panic!("{p}={wrong}: {:#?}", r.diagnostics));
        assert_eq!(d.params.get("suggestion"), Some(&json!(right)), "{p}");
        assert!(
            d.message.contains(right) || d.help.contains(right),
            "{p}: {}",
            d.message
        );
    }
}
