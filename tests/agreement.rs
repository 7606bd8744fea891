//! Property: for any body, `check_str(serde_json::to_string(body))` and `check_value(body)` agree
//! on the multiset of (rule, pointer, severity). Bodies are generated around the real schema:
//! an example body, then edits at the fields `Linter::fields` lists (set to values drawn from
//! the fields' enumerations, the examples' own strings, numbers near the ranges, wrong types,
//! nested junk, or removed).

use hcdb_lint::{detect_api, Api, Config, Level, Linter, Report, RuleSetting, Severity};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

const EXAMPLES: [(Api, &str); 8] = [
    (
        Api::DdmCreateInstance,
        include_str!("../examples/ddm-create-instance.valid.json"),
    ),
    (
        Api::DdmCreateInstance,
        include_str!("../examples/ddm-create-instance.invalid.json"),
    ),
    (
        Api::DdmScaleOut,
        include_str!("../examples/ddm-scale-out.valid.json"),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!("../examples/geminidb-cassandra.valid.json"),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!("../examples/geminidb-redis.valid.json"),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!("../examples/geminidb-influxdb.valid.json"),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!("../examples/geminidb-dynamodb.valid.json"),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!("../examples/geminidb-mongodb.invalid.json"),
    ),
];

struct Schema {
    bases: Vec<(Api, Value)>,
    /// Per API (index in Api::ALL): the field pointers, `*` standing for an array index.
    pointers: Vec<Vec<String>>,
    strings: Vec<String>,
    keys: Vec<String>,
}

fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| {
        let linter = Linter::default_ref();
        let mut strings = vec![
            String::new(),
            " ".into(),
            "******".into(),
            "{project_id}".into(),
            "aaa".into(),
            "3".into(),
            "2.5".into(),
            "true".into(),
            "08:15-09:15".into(),
            "23:00-00:00".into(),
            "1700000000000".into(),
            "a,b,c,d".into(),
            "UTC+04:00".into(),
            "Str0ng-Passw0rd?".into(),
        ];
        let mut keys = Vec::new();
        let mut pointers = Vec::new();
        for api in Api::ALL {
            let fields = linter.fields(api);
            for f in &fields {
                for e in f.enumeration.iter().flatten() {
                    strings.push(e.value.clone());
                    strings.push(e.value.to_uppercase());
                }
                if let Some(k) = f.pointer.rsplit('/').next() {
                    keys.push(k.to_string());
                }
            }
            pointers.push(fields.into_iter().map(|f| f.pointer).collect());
        }
        let bases: Vec<(Api, Value)> = EXAMPLES
            .iter()
            .map(|(a, t)| (*a, serde_json::from_str(t).unwrap()))
            .collect();
        for (_, b) in &bases {
            collect_strings(b, &mut strings);
        }
        strings.sort();
        strings.dedup();
        keys.sort();
        keys.dedup();
        Schema {
            bases,
            pointers,
            strings,
            keys,
        }
    })
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..70).prop_map(Value::from),
        prop::sample::select(vec![
            0i64, 1, 9, 10, 35, 36, 60, 61, 100, 1023, 1024, 6379, 65536
        ])
        .prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        (0i64..40).prop_map(|n| Value::from(n as f64 + 0.5)),
        (0i64..40).prop_map(|n| Value::from(n as f64)),
        any::<prop::sample::Index>().prop_map(|i| Value::String(i.get(&schema().strings).clone())),
        any::<prop::sample::Index>().prop_map(|i| Value::String(i.get(&schema().strings).clone())),
        "\\PC{0,12}".prop_map(Value::String),
        "[A-Za-z0-9~!@#$%^&*()_=+?-]{0,40}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((any::<prop::sample::Index>(), inner), 0..4).prop_map(|kv| {
                let keys = &schema().keys;
                Value::Object(
                    kv.into_iter()
                        .map(|(i, v)| (i.get(keys).clone(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Set(prop::sample::Index, u8, Value),
    Remove(prop::sample::Index, u8),
    Unknown(String, Value),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<prop::sample::Index>(), 0u8..3, value()).prop_map(|(i, n, v)| Edit::Set(i, n, v)),
        2 => (any::<prop::sample::Index>(), 0u8..3).prop_map(|(i, n)| Edit::Remove(i, n)),
        1 => ("[a-z_]{1,12}", leaf()).prop_map(|(k, v)| Edit::Unknown(k, v)),
    ]
}

fn body() -> impl Strategy<Value = (Api, Value)> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(edit(), 0..8),
    )
        .prop_map(|(base, edits)| {
            let s = schema();
            let (api, mut body) = base.get(&s.bases).clone();
            let pointers = &s.pointers[Api::ALL.iter().position(|a| *a == api).unwrap()];
            for e in edits {
                match e {
                    Edit::Set(i, n, v) => {
                        set_at(&mut body, &i.get(pointers).replace('*', &n.to_string()), v)
                    }
                    Edit::Remove(i, n) => {
                        remove_at(&mut body, &i.get(pointers).replace('*', &n.to_string()))
                    }
                    Edit::Unknown(k, v) => {
                        if let Value::Object(m) = &mut body {
                            m.insert(k, v);
                        }
                    }
                }
            }
            (api, body)
        })
}

fn set_at(doc: &mut Value, pointer: &str, v: Value) {
    let toks: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut node = doc;
    for (i, t) in toks.iter().enumerate() {
        let last = i + 1 == toks.len();
        node = match node {
            Value::Object(m) if last => {
                m.insert(t.to_string(), v);
                return;
            }
            Value::Object(m) => m
                .entry(t.to_string())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(a) => {
                let Ok(i) = t.parse::<usize>() else { return };
                while a.len() <= i {
                    a.push(Value::Object(Map::new()));
                }
                if last {
                    a[i] = v;
                    return;
                }
                &mut a[i]
            }
            _ => return,
        };
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.remove(last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn verdict(r: &Report) -> Vec<(String, String, Severity)> {
    let mut v: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.pointer.clone(), d.severity))
        .collect();
    v.sort();
    v
}

/// Linters under other severities: for each rule, that rule alone as an error (all others off);
/// every rule an error; and the default levels turned around (errors down to warnings, infos
/// and warnings up to errors). So `is_valid`'s errors-only visit meets each rule as the one that
/// decides, warnings made errors (placeholders, plaintext passwords), and errors turned off.
fn relevelled() -> &'static [Linter] {
    static L: OnceLock<Vec<Linter>> = OnceLock::new();
    L.get_or_init(|| {
        let rules = Linter::default_ref().rules();
        let with = |level: &dyn Fn(usize, Severity) -> Level| {
            Linter::new(Config {
                rules: rules
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        (
                            r.id.clone(),
                            RuleSetting::Level(level(i, r.default_severity)),
                        )
                    })
                    .collect(),
                ..Config::default()
            })
            .expect("a config of known rules")
        };
        let mut out: Vec<Linter> = (0..rules.len())
            .map(|only| with(&|i, _| if i == only { Level::Error } else { Level::Off }))
            .collect();
        out.push(with(&|_, _| Level::Error));
        out.push(with(&|_, s| match s {
            Severity::Error => Level::Warning,
            _ => Level::Error,
        }));
        out
    })
}

/// A linter with small input limits: too large and too deep bodies are errors.
fn limited() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| {
        Linter::new(Config {
            max_input_bytes: 700,
            max_depth: 3,
            ..Config::default()
        })
        .expect("small limits are allowed")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// `is_valid` runs only the error rules and stops at the first finding: it must still say
    /// exactly what the full check says, whatever the severities.
    #[test]
    fn is_valid_agrees_under_any_severities((api, body) in body(), pick in any::<prop::sample::Index>()) {
        let linter = pick.get(relevelled());
        let full = linter.check_value(api, &body);
        prop_assert_eq!(linter.is_valid(api, &body), !full.has_errors(), "{}", body);
    }

    /// `is_valid_str` (text in, errors only, first error ends it) says what `check_str` says:
    /// over the generated bodies, their text cut short (a syntax error), with a key written
    /// twice, under other severities and under small size and depth limits.
    #[test]
    fn is_valid_str_agrees_with_check_str(
        (api, body) in body(),
        pick in any::<prop::sample::Index>(),
        cut in 0.0f64..1.0,
    ) {
        let linters = relevelled();
        let mut all: Vec<&Linter> = linters.iter().collect();
        all.push(Linter::default_ref());
        all.push(limited());
        let linter = *pick.get(&all);
        let compact = serde_json::to_string(&body).unwrap();
        let mut texts = vec![serde_json::to_string_pretty(&body).unwrap(), compact.clone()];
        // Cut at a char boundary.
        let mut at = (compact.len() as f64 * cut) as usize;
        while !compact.is_char_boundary(at) {
            at -= 1;
        }
        texts.push(compact[..at].to_string());
        // The first member written twice (a null first: the last one counts).
        if let Some((k, _)) = body.as_object().and_then(|m| m.iter().next()) {
            texts.push(format!("{{{}:null,{}", serde_json::to_string(k).unwrap(), &compact[1..]));
        }
        for text in &texts {
            prop_assert_eq!(
                linter.is_valid_str(api, text),
                !linter.check_str(api, text).has_errors(),
                "{}", text
            );
        }
    }

    #[test]
    fn text_and_value_agree((api, body) in body()) {
        let linter = Linter::default_ref();
        let from_value = linter.check_value(api, &body);
        prop_assert_eq!(linter.is_valid(api, &body), !from_value.has_errors());
        for text in [
            serde_json::to_string(&body).unwrap(),
            serde_json::to_string_pretty(&body).unwrap(),
        ] {
            let from_text = linter.check_str(api, &text);
            prop_assert_eq!(verdict(&from_text), verdict(&from_value), "{}", text);
            // Same wording too: messages and params do not depend on the input path.
            let words = |r: &Report| {
                let mut w: Vec<_> = r.diagnostics.iter()
                    .map(|d| (d.rule.to_string(), d.pointer.clone(), d.message.clone(), d.params.clone()))
                    .collect();
                w.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
                w
            };
            prop_assert_eq!(words(&from_text), words(&from_value));
        }
        // Detection agrees with the value-level detector.
        let text = serde_json::to_string(&body).unwrap();
        if let Some(detected) = detect_api(&body) {
            let r = linter.check_str_detect(&text);
            prop_assert_eq!(r.api, Some(detected));
            prop_assert_eq!(verdict(&r), verdict(&linter.check_value(detected, &body)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// `check_field` (which visits only the field when no rule's condition reads it) gives
    /// exactly the diagnostics of the whole body that concern the field; `check_field_text` on
    /// the JSON text of the same value and body (the browser package's path) gives the same
    /// report; all three fail the same way.
    #[test]
    fn field_checks_agree(
        (api, body) in body(),
        field in any::<prop::sample::Index>(),
        odd in prop::sample::select(vec![
            None, None, None, None, None, None,
            Some("/nmae"), Some("/flavor/01/num"), Some("/flavor/x"), Some("/datastore/typo"),
            Some("/charge_info"), Some("/instance"), Some("/instance/name/x"), Some(""),
        ]),
        n in 0u8..3,
        value in value(),
        with_body in any::<bool>(),
    ) {
        let linter = Linter::default_ref();
        let s = schema();
        let pointers = &s.pointers[Api::ALL.iter().position(|a| *a == api).unwrap()];
        let pointer = match odd {
            Some(p) => p.to_string(),
            None => field.get(pointers).replace('*', &n.to_string()),
        };
        let body = with_body.then_some(body);
        let fast = linter.check_field(api, &pointer, &value, body.as_ref());
        let whole = linter.check_field_whole_body(api, &pointer, &value, body.as_ref());
        let body_text = body.as_ref().map(|b| serde_json::to_string(b).unwrap());
        let from_text = linter.check_field_text(
            api,
            &pointer,
            &serde_json::to_string(&value).unwrap(),
            body_text.as_deref(),
        );
        for other in [whole, from_text] {
            match (&fast, other) {
                (Ok(f), Ok(o)) => prop_assert_eq!(f, &o, "{} in {:?}", pointer, body_text),
                (Err(f), Err(o)) => prop_assert_eq!(f.to_string(), o.to_string()),
                (f, o) => prop_assert!(false, "{pointer}: {f:?} vs {o:?}"),
            }
        }
    }
}

#[test]
fn the_generator_reaches_the_pack_rules() {
    // Guard against a generator that only ever produces trivial bodies: over a fixed seed the
    // generated bodies fire a broad set of rules.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = body();
    let mut fired = std::collections::BTreeSet::new();
    for _ in 0..2_000 {
        let (api, b) = strategy.new_tree(&mut runner).unwrap().current();
        for d in Linter::default_ref().check_value(api, &b).diagnostics {
            fired.insert(d.rule);
        }
    }
    assert!(
        fired.len() >= 65,
        "only {} rules fired: {fired:?}",
        fired.len()
    );
}
