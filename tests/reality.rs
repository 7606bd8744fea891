//! What the service really does, beside what the pages say: ignored members are not judged,
//! observed acceptances are warnings with their evidence (errors again under `strict`), drift
//! that is simply valid draws nothing, and a null array item is an error at the item.

mod common;

use common::fixtures::{build_body, example, fixtures};
use hcdb_lint::{Api, Config, Linter, Report, Severity};
use serde_json::{json, Value};

fn strict() -> Linter {
    Linter::new(Config {
        strict: true,
        ..Config::default()
    })
    .expect("strict config compiles")
}

/// Both inputs (the value and its text) give the same findings; the value's are returned.
fn check(linter: &Linter, api: Api, body: &Value) -> Report {
    let text = serde_json::to_string_pretty(body).unwrap();
    let a = linter.check_value(api, body);
    let b = linter.check_str(api, &text);
    let key = |r: &Report| -> Vec<(String, String, Severity)> {
        r.diagnostics
            .iter()
            .map(|d| (d.rule.to_string(), d.pointer.clone(), d.severity))
            .collect()
    };
    let (mut ka, mut kb) = (key(&a), key(&b));
    ka.sort();
    kb.sort();
    assert_eq!(ka, kb, "value and text disagree");
    a
}

fn at<'r>(r: &'r Report, pointer: &str) -> Vec<(&'r str, Severity)> {
    r.diagnostics
        .iter()
        .filter(|d| d.pointer == pointer || d.pointer.starts_with(&format!("{pointer}/")))
        .map(|d| (&*d.rule, d.severity))
        .collect()
}

fn set(mut body: Value, pointer: &str, v: Value) -> Value {
    *body
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = v;
    body
}

// ------------------------------------------------------------------ ignored members

#[test]
fn an_ignored_billing_member_draws_the_one_warning_and_nothing_else() {
    let ddm = example("ddm-create-instance.valid.json");
    let gdb = example("geminidb-cassandra.valid.json");
    let cases = [
        // What the Huawei Terraform provider sends in every pay-per-use DDM create.
        (
            Api::DdmCreateInstance,
            set(
                ddm.clone(),
                "/extend_param",
                json!({"charge_mode": "postPaid", "is_auto_renew": ""}),
            ),
            vec!["/extend_param/is_auto_renew"],
            "DDM126",
        ),
        (
            Api::DdmCreateInstance,
            set(
                ddm.clone(),
                "/extend_param",
                json!({"period_type": "Week", "period_num": "x", "is_auto_pay": 1}),
            ),
            vec![
                "/extend_param/period_type",
                "/extend_param/period_num",
                "/extend_param/is_auto_pay",
            ],
            "DDM126",
        ),
        (
            Api::GeminidbCreateInstance,
            set(
                gdb.clone(),
                "/charge_info",
                json!({"charge_mode": "postPaid", "period_type": 3, "period_num": 99,
                       "is_auto_renew": "", "is_auto_pay": "yes"}),
            ),
            vec![
                "/charge_info/period_type",
                "/charge_info/period_num",
                "/charge_info/is_auto_renew",
                "/charge_info/is_auto_pay",
            ],
            "GDB138",
        ),
    ];
    for linter in [Linter::default_ref(), &strict()] {
        for (api, body, pointers, rule) in &cases {
            let r = check(linter, *api, body);
            for p in pointers {
                assert_eq!(at(&r, p), vec![(*rule, Severity::Warning)], "{p}: {r:?}");
            }
            assert!(!r.has_errors(), "{:?}", r.diagnostics);
            assert!(linter.is_valid(*api, body));
            // A form editing the member sees the same.
            let (p, v) = (pointers[0], body.pointer(pointers[0]).unwrap());
            let f = linter.check_field(*api, p, v, Some(body)).unwrap();
            assert_eq!(at(&f, p), vec![(*rule, Severity::Warning)], "{p}");
        }
    }
    // Under prePaid the same values are judged.
    let judged = set(
        ddm,
        "/extend_param",
        json!({"charge_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_renew": ""}),
    );
    let r = check(Linter::default_ref(), Api::DdmCreateInstance, &judged);
    assert_eq!(
        at(&r, "/extend_param/is_auto_renew"),
        vec![("DDM125", Severity::Error)]
    );
}

// ------------------------------------------------------------------ observed acceptance

/// Every entry the project keeps (rule, number of entries).
const ENTRIES: [(&str, usize); 6] = [
    ("GDB122", 3), // Redis Replication 2, Redis Cluster 2, Influx EnhancedCluster 2
    ("GDB106", 1), // Influx Cluster 1.7
    ("DDM116", 2), // no upper case; `=` as the special character
    ("DDM117", 1), // `=`
    ("GDB119", 1), // product_type Standard
    ("GDB113", 1), // DynamoDB with two character classes
];

#[test]
fn every_observed_acceptance_is_data_with_its_evidence() {
    let linter = Linter::default_ref();
    let mut total = 0;
    for d in linter.rules() {
        let expected = ENTRIES
            .iter()
            .find(|(id, _)| *id == d.id)
            .map_or(0, |(_, n)| *n);
        assert_eq!(d.observed.len(), expected, "{}", d.id);
        total += d.observed.len();
        for o in &d.observed {
            for text in [
                &o.documented.en,
                &o.documented.zh,
                &o.accepted.en,
                &o.accepted.zh,
                &o.source.project,
                &o.source.file,
                &o.source.date,
            ] {
                assert!(!text.trim().is_empty(), "{}: an empty evidence text", d.id);
                assert!(
                    !text.contains("SPEC") && !text.contains("shared/"),
                    "{}: {text}",
                    d.id
                );
            }
        }
        // The rule reference and `explain` list the entries.
        let doc = hcdb_lint::rule_markdown(d, hcdb_lint::Lang::En);
        for o in &d.observed {
            assert!(doc.contains(&o.source.project), "{}", d.id);
            assert!(doc.contains(&o.accepted.en), "{}", d.id);
        }
    }
    assert_eq!(total, 9);
}

#[test]
fn every_observed_entry_has_a_fixture_that_reaches_it() {
    let linter = Linter::default_ref();
    let strict = strict();
    for (rule, _) in ENTRIES {
        let doc = linter.rule(rule).unwrap();
        let fx = fixtures().into_iter().find(|f| f.rule == rule).unwrap();
        let api: Api = fx.api.parse().unwrap();
        let mut reached = vec![false; doc.observed.len()];
        for case in fx.fire.iter().filter(|c| c.observed) {
            let body = build_body(&fx, case);
            let at = case.at.as_deref().unwrap_or("");
            let r = check(linter, api, &body);
            let d = r
                .diagnostics
                .iter()
                .find(|d| d.rule == rule && d.pointer == at)
                .unwrap_or_else(|| panic!("{rule} `{}`: no finding", case.name));
            assert_eq!(d.severity, Severity::Warning, "{rule} `{}`", case.name);
            let accepted = d.params["accepted"].as_str().unwrap();
            let i = doc
                .observed
                .iter()
                .position(|o| o.accepted.en == accepted)
                .expect("the params name an entry");
            reached[i] = true;
            let o = &doc.observed[i];
            // The message states the documented limit and the evidence; `params` carry them.
            assert!(d.message.contains(&o.documented.en), "{}", d.message);
            assert!(d.message.contains(&o.source.project), "{}", d.message);
            assert_eq!(d.params["documented"], json!(o.documented.en));
            assert_eq!(d.params["evidence"]["project"], json!(o.source.project));
            assert_eq!(d.params["evidence"]["date"], json!(o.source.date));
            // Under strict: the rule's own error, nothing else changed.
            let s = check(&strict, api, &body);
            let e = s
                .diagnostics
                .iter()
                .find(|d| d.rule == rule && d.pointer == at)
                .expect("the error under strict");
            assert_eq!(e.severity, Severity::Error);
            assert!(!e.params.contains_key("evidence"));
            // Every other finding is the same (a value that two entries accept, `=` in a DDM
            // password, is an error of both rules under strict).
            let relaxed: Vec<(&str, &str)> = r
                .diagnostics
                .iter()
                .filter(|d| d.params.contains_key("evidence"))
                .map(|d| (&*d.rule, d.pointer.as_str()))
                .collect();
            let others = |r: &Report| -> Vec<(String, String, Severity)> {
                r.diagnostics
                    .iter()
                    .filter(|d| !relaxed.contains(&(&*d.rule, d.pointer.as_str())))
                    .map(|d| (d.rule.to_string(), d.pointer.clone(), d.severity))
                    .collect()
            };
            assert_eq!(others(&r), others(&s), "{rule} `{}`", case.name);
        }
        assert!(
            reached.iter().all(|r| *r),
            "{rule}: entries without a fixture"
        );
    }
}

#[test]
fn observed_findings_never_echo_a_password() {
    let ddm = example("ddm-create-instance.valid.json");
    for pw in ["test_password_123", "Aa1=aaaa", "Zz9=zzzzzz"] {
        let body = set(ddm.clone(), "/instance/admin_user_password", json!(pw));
        for lang in [hcdb_lint::Lang::En, hcdb_lint::Lang::Zh] {
            let l = Linter::new(Config {
                lang,
                ..Config::default()
            })
            .unwrap();
            let r = check(&l, Api::DdmCreateInstance, &body);
            assert!(r
                .diagnostics
                .iter()
                .any(|d| d.params.contains_key("evidence")));
            assert!(!r.has_errors(), "{:?}", r.diagnostics);
            let all = serde_json::to_string(&r.diagnostics).unwrap();
            assert!(!all.contains(pw), "{all}");
        }
    }
}

#[test]
fn a_rule_turned_to_info_keeps_its_observed_findings_at_info() {
    let l = Linter::new(Config {
        rules: [(
            "GDB122".to_string(),
            hcdb_lint::RuleSetting::Level(hcdb_lint::Level::Info),
        )]
        .into_iter()
        .collect(),
        ..Config::default()
    })
    .unwrap();
    let body = example("geminidb-redis.valid.json");
    let body = set(body, "/flavor/0/num", json!(2));
    let body = set(body, "/mode", json!("Replication"));
    let r = check(&l, Api::GeminidbCreateInstance, &body);
    assert_eq!(at(&r, "/flavor/0/num"), vec![("GDB122", Severity::Info)]);
}

// ------------------------------------------------------------------ drift that is simply valid

#[test]
fn drift_that_is_simply_valid_draws_nothing() {
    let gdb = example("geminidb-cassandra.valid.json");
    for engine in ["dynamodb", "hbase"] {
        let body = set(gdb.clone(), "/datastore/type", json!(engine));
        let body = set(body, "/datastore/version", json!(""));
        let body = set(
            body,
            "/flavor/0/spec_code",
            json!("geminidb.cassandra.xlarge.4"),
        );
        for linter in [Linter::default_ref(), &strict()] {
            let r = check(linter, Api::GeminidbCreateInstance, &body);
            assert!(at(&r, "/datastore/version").is_empty(), "{engine}: {r:?}");
            assert!(at(&r, "/flavor/0/spec_code").is_empty(), "{engine}: {r:?}");
        }
    }
    // Other engines keep their checks.
    let body = set(gdb.clone(), "/datastore/version", json!(""));
    let r = check(Linter::default_ref(), Api::GeminidbCreateInstance, &body);
    assert!(!at(&r, "/datastore/version").is_empty());

    let scale = example("ddm-scale-out.valid.json");
    let mut body = scale.clone();
    body["available_zones"] = json!(["cn-north-4a", "cn-north-4b"]);
    let r = check(Linter::default_ref(), Api::DdmScaleOut, &body);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let mut bad = scale;
    bad["available_zones"] = json!(["cn-north-4a", " "]);
    let r = check(Linter::default_ref(), Api::DdmScaleOut, &bad);
    assert_eq!(
        at(&r, "/available_zones"),
        vec![("DDM204", Severity::Error)]
    );
    assert_eq!(r.diagnostics[0].pointer, "/available_zones/1");
}

// ------------------------------------------------------------------ null array items

#[test]
fn a_null_array_item_is_an_error_at_the_item() {
    let gdb = example("geminidb-cassandra.valid.json");
    let mut body = gdb.clone();
    body["flavor"] = json!([null]);
    let r = check(Linter::default_ref(), Api::GeminidbCreateInstance, &body);
    assert_eq!(at(&r, "/flavor"), vec![("HC005", Severity::Error)]);
    assert_eq!(
        r.diagnostics
            .iter()
            .filter(|d| d.pointer == "/flavor/0")
            .count(),
        1
    );
    assert!(!Linter::default_ref().is_valid(Api::GeminidbCreateInstance, &body));

    let mut ddm = example("ddm-create-instance.valid.json");
    ddm["instance"]["available_zones"] = json!(["az1", null]);
    let r = check(Linter::default_ref(), Api::DdmCreateInstance, &ddm);
    assert_eq!(
        at(&r, "/instance/available_zones/1"),
        vec![("HC005", Severity::Error)]
    );
    // An object member that is null is still treated as absent (a warning).
    let mut body = gdb;
    body["configuration_id"] = Value::Null;
    let r = check(Linter::default_ref(), Api::GeminidbCreateInstance, &body);
    assert_eq!(
        at(&r, "/configuration_id"),
        vec![("HC007", Severity::Warning)]
    );
}
