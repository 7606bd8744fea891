//! `Linter::fields` (constraints as data, for forms) and `Linter::json_schema` (draft 2020-12).

mod common;

use common::fixtures::{example, example_files, set_at};
use hcdb_lint::{detect_api, Api, FieldMeta, Linter};
use serde_json::{json, Value};

fn field(api: Api, pointer: &str) -> FieldMeta {
    Linter::default_ref()
        .fields(api)
        .into_iter()
        .find(|f| f.pointer == pointer)
        .unwrap_or_else(|| panic!("{api}: no field {pointer}"))
}

#[test]
fn name_fields_carry_lengths_and_allowed_characters() {
    let n = field(Api::GeminidbCreateInstance, "/name");
    assert!(n.required);
    assert_eq!((n.min_length, n.max_length), (Some(4), Some(64)));
    assert_eq!(n.length_unit.as_deref(), Some("bytes"));
    let chars = n.allowed_chars.expect("allowed chars");
    for c in ["A-Z", "a-z", "0-9", "-", "_"] {
        assert!(chars.contains(c), "{chars}");
    }
    assert!(n.first_char.expect("first char").contains("a-z"));
    let d = field(Api::DdmCreateInstance, "/instance/name");
    assert_eq!((d.min_length, d.max_length), (Some(4), Some(64)));
    assert_eq!(d.length_unit.as_deref(), Some("chars"));
    // The underscore is a warning (DDM104), not an error: the error-level charset allows it.
    assert!(d.allowed_chars.expect("chars").contains('_'));
}

#[test]
fn mode_lists_the_union_of_modes_with_labels() {
    let m = field(Api::GeminidbCreateInstance, "/mode");
    let values: Vec<String> = m
        .enumeration
        .expect("an enumeration")
        .iter()
        .map(|e| e.value.clone())
        .collect();
    let pack: Value =
        serde_json::from_str(include_str!("../rules/geminidb-create-instance.json")).unwrap();
    let mut want: Vec<String> = pack["tables"]["engines"]
        .as_object()
        .unwrap()
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
        .collect();
    want.sort();
    want.dedup();
    let mut got = values.clone();
    got.sort();
    assert_eq!(got, want);
    assert!(
        m.depends_on.contains(&"/datastore/type".to_string()),
        "{:?}",
        m.depends_on
    );
    let labels = field(Api::GeminidbCreateInstance, "/mode")
        .enumeration
        .unwrap();
    let replica = labels.iter().find(|e| e.value == "ReplicaSet").unwrap();
    assert_ne!(replica.label.en, "ReplicaSet", "a label, not the raw value");
    assert!(!replica.label.zh.is_empty());
}

#[test]
fn enumerations_ranges_and_conditional_requirements() {
    let t = field(Api::GeminidbCreateInstance, "/datastore/type");
    assert_eq!(t.enumeration.unwrap().len(), 6);
    let pt = field(Api::GeminidbCreateInstance, "/charge_info/period_type");
    assert!(
        !pt.required && pt.required_when,
        "period_type is required under prePaid"
    );
    let product = field(Api::GeminidbCreateInstance, "/product_type");
    assert!(product.required_when);
    let kd = field(Api::GeminidbCreateInstance, "/backup_strategy/keep_days");
    assert_eq!((kd.minimum, kd.maximum), (Some(0), Some(35)));
    let nn = field(Api::DdmScaleOut, "/node_number");
    assert_eq!((nn.minimum, nn.maximum), (Some(1), None));
    assert!(nn.required);
    let pw = field(Api::DdmCreateInstance, "/instance/admin_user_password");
    assert!(pw.secret);
    assert_eq!((pw.min_length, pw.max_length), (Some(8), Some(32)));
    let tz = field(Api::DdmCreateInstance, "/instance/time_zone");
    assert_eq!(tz.enumeration.unwrap().len(), 25);
    // Every declared field has a bilingual label.
    for api in Api::ALL {
        for f in Linter::default_ref().fields(api) {
            assert!(
                !f.label.en.is_empty() && !f.label.zh.is_empty(),
                "{api} {}",
                f.pointer
            );
        }
    }
}

fn schema(api: Api) -> Value {
    Linter::default_ref().json_schema(api)
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    for api in Api::ALL {
        let s = schema(api);
        assert_eq!(
            s["$schema"],
            json!("https://json-schema.org/draft/2020-12/schema")
        );
        assert_eq!(s["type"], json!("object"));
        if let Err(e) = jsonschema::draft202012::meta::validate(&s) {
            panic!("{api}: not a valid 2020-12 schema: {e}");
        }
        assert!(
            s["required"].as_array().is_some_and(|r| !r.is_empty()),
            "{api}"
        );
    }
}

#[test]
fn every_valid_example_validates_against_its_schema() {
    for name in example_files()
        .iter()
        .filter(|n| n.ends_with(".valid.json"))
    {
        let body = example(name);
        let api = detect_api(&body).unwrap();
        let v = jsonschema::draft202012::new(&schema(api)).expect("schema compiles");
        let errs: Vec<String> = v.iter_errors(&body).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{name}: {errs:?}");
    }
    // The pages' examples too: the only schema error is the one the reading predicts, the masked
    // `"******"` password being shorter than 8 characters (GDB112).
    let dir = common::fixtures::repo_root()
        .join("tests")
        .join("seed-examples");
    for e in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
        let body: Value =
            serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
        let api = detect_api(&body).unwrap();
        let v = jsonschema::draft202012::new(&schema(api)).expect("schema compiles");
        let paths: Vec<String> = v
            .iter_errors(&body)
            .map(|e| e.instance_path().to_string())
            .collect();
        let want: Vec<String> = match api {
            Api::GeminidbCreateInstance => vec!["/password".into()],
            _ => vec![],
        };
        assert_eq!(paths, want, "{:?}", e.file_name());
    }
}

#[test]
fn invalid_bodies_fail_the_schema() {
    let cases: [(Api, &str, &str, Value); 6] = [
        (
            Api::GeminidbCreateInstance,
            "geminidb-cassandra.valid.json",
            "/name",
            json!("1abc"),
        ),
        (
            Api::GeminidbCreateInstance,
            "geminidb-cassandra.valid.json",
            "/name",
            json!("ab cd"),
        ),
        (
            Api::GeminidbCreateInstance,
            "geminidb-cassandra.valid.json",
            "/datastore/type",
            json!("mysql"),
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/name",
            json!("abc"),
        ),
        (
            Api::DdmCreateInstance,
            "ddm-create-instance.valid.json",
            "/instance/time_zone",
            json!("UTC+13:00"),
        ),
        (
            Api::DdmScaleOut,
            "ddm-scale-out.valid.json",
            "/node_number",
            json!(0),
        ),
    ];
    for (api, file, p, v) in cases {
        let mut body = example(file);
        set_at(&mut body, p, v.clone());
        let validator = jsonschema::draft202012::new(&schema(api)).unwrap();
        assert!(!validator.is_valid(&body), "{p}={v} passes the schema");
        // And the linter agrees.
        assert!(!Linter::default_ref().is_valid(api, &body), "{p}={v}");
    }
    let mut body = example("geminidb-cassandra.valid.json");
    common::fixtures::remove_at(&mut body, "/password");
    let validator = jsonschema::draft202012::new(&schema(Api::GeminidbCreateInstance)).unwrap();
    assert!(!validator.is_valid(&body), "a required member is missing");
}

/// A config may replace a label in the pack's `labels` table: two texts are used, anything
/// else leaves the value as its own label.
#[test]
fn labels_follow_a_config_table_and_fall_back_to_the_value() {
    let config: hcdb_lint::Config = serde_json::from_value(json!({"tables": {
        "geminidb-create-instance": {"labels": {
            "ReplicaSet": {"en": "Replica set", "zh": "副本集"},
            "Cluster": "not two texts"
        }}
    }}))
    .unwrap();
    let linter = Linter::new(config).unwrap();
    let modes = linter
        .fields(Api::GeminidbCreateInstance)
        .into_iter()
        .find(|f| f.pointer == "/mode")
        .and_then(|f| f.enumeration)
        .unwrap();
    let label = |v: &str| modes.iter().find(|e| e.value == v).unwrap().label.clone();
    assert_eq!(
        (
            label("ReplicaSet").en.as_str(),
            label("ReplicaSet").zh.as_str()
        ),
        ("Replica set", "副本集")
    );
    assert_eq!(label("Cluster").en, "Cluster");
    assert_eq!(label("Cluster").zh, "Cluster");
}

/// The schema states what the linter holds to be an error: a value the pages forbid but the
/// service is observed to accept (a password with `=`, a warning) passes the schema too, and
/// fails it under `strict`, where it is the documented error.
#[test]
fn the_schema_follows_observed_acceptances_and_strict() {
    let mut body = example("ddm-create-instance.valid.json");
    set_at(
        &mut body,
        "/instance/admin_user_password",
        json!("Abcd1234=efg"),
    );
    let api = Api::DdmCreateInstance;
    let strict: hcdb_lint::Config = serde_json::from_value(json!({"strict": true})).unwrap();
    let strict = Linter::new(strict).unwrap();
    for (linter, valid) in [(Linter::default_ref(), true), (&strict, false)] {
        assert_eq!(linter.is_valid(api, &body), valid);
        let v = jsonschema::draft202012::new(&linter.json_schema(api)).expect("schema compiles");
        let errs: Vec<String> = v
            .iter_errors(&body)
            .map(|e| e.instance_path().to_string())
            .collect();
        let want: Vec<String> = if valid {
            vec![]
        } else {
            vec!["/instance/admin_user_password".into()]
        };
        assert_eq!(errs, want, "strict: {}", !valid);
        let pattern = linter.json_schema(api)["properties"]["instance"]["properties"]
            ["admin_user_password"]["pattern"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(pattern.contains('='), valid, "{pattern}");
    }
}
