//! Known passwords through every library surface: messages, help, params, Debug and serde of
//! Report/Diagnostic, check_field, fields(), json_schema(), both languages, and panics (none may
//! occur; if one did, its message must not carry the password either).
//!
//! Each password is distinctive as a whole (even those made of the messages' own words), so
//! finding it anywhere in the output is a leak.

use hcdb_lint::{Api, Config, Lang, Linter, Report};
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

const DDM: &str = include_str!("../examples/ddm-create-instance.valid.json");
const REDIS: &str = include_str!("../examples/geminidb-redis.valid.json");
const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");

/// Passwords of every shape the rules tell apart.
const PASSWORDS: &[&str] = &[
    // valid for every rule set
    "Valid-Pass1~word",
    // too short, and too long
    "Sh0rt!x",
    "Way-Too-Long-Password-1234567890-abcdefg",
    // bad characters: space, `=` (DDM), `$` (non-Redis), quotes, backslash, slash, braces
    "Spa ce1~Pass",
    "Equals=Sign1~",
    "Dollar$Sign1~x",
    "Quote\"Back\\slash/1~Aa",
    "{password}Aa1~",
    // the messages' own words
    "must contain uppercase letters Aa1~",
    "special characters not allowed 9Zz",
    "`/password` is required Q1~",
    // one class only / two classes (valid for Redis only)
    "abcdefghijklmnop",
    "redispass2024xyz",
    // unicode: non-ASCII letters, CJK, emoji, combining marks
    "Ünïcødé-Pässw0rd~",
    "密码Mima1~安全",
    "Emoji😀Pass1~",
    // control characters and NUL
    "Tab\tNul\u{0}Pass1~",
];

fn linters() -> Vec<Linter> {
    let mut out = vec![Linter::default()];
    out.push(
        Linter::new(Config {
            lang: Lang::Zh,
            ..Config::default()
        })
        .unwrap(),
    );
    // Every rule at its loudest, with context so that context rules run too.
    let all_error: Config = serde_json::from_value(json!({
        "rules": Linter::default_ref().rules().iter()
            .map(|r| (r.id.clone(), json!("error"))).collect::<serde_json::Map<_, _>>(),
        "context": {"availability_zones": ["cn-north-4a"]}
    }))
    .unwrap();
    out.push(Linter::new(all_error).unwrap());
    out
}

/// Every text a report can show.
fn surfaces(report: &Report) -> Vec<String> {
    let mut out = vec![
        format!("{report:?}"),
        format!("{report:#?}"),
        serde_json::to_string(report).unwrap(),
        serde_json::to_string_pretty(report).unwrap(),
    ];
    for d in &report.diagnostics {
        out.push(d.message.clone());
        out.push(d.help.clone());
        out.push(serde_json::to_string(&d.params).unwrap());
        out.push(format!("{:?}", d.params));
        out.push(format!("{d:?}"));
        out.push(d.pointer.clone());
    }
    out
}

fn assert_clean(password: &str, what: &str, report: &Report) {
    let escaped = serde_json::to_string(password).unwrap();
    let escaped = escaped.trim_matches('"');
    let debug = format!("{password:?}");
    let debug = debug.trim_matches('"');
    for s in surfaces(report) {
        for form in [password, escaped, debug] {
            assert!(
                !s.contains(form),
                "{what}: password {password:?} appears in {s}"
            );
        }
    }
}

/// Runs `f`, failing on a panic, and making sure a panic message would not carry the password.
fn no_panic<T>(password: &str, what: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            assert!(
                !msg.contains(password),
                "{what}: the panic message leaks the password"
            );
            panic!("{what}: panicked: {msg}");
        }
    }
}

/// The bodies a password can sit in: (api, pointer, body).
fn bodies(password: &Value) -> Vec<(Api, &'static str, Value)> {
    let mut out = Vec::new();
    let mut ddm: Value = serde_json::from_str(DDM).unwrap();
    ddm["instance"]["admin_user_password"] = password.clone();
    out.push((Api::DdmCreateInstance, "/instance/admin_user_password", ddm));
    for (base, engine) in [
        (REDIS, None),
        (CASSANDRA, None),
        (CASSANDRA, Some("nosuchdb")),
    ] {
        let mut g: Value = serde_json::from_str(base).unwrap();
        g["password"] = password.clone();
        if let Some(e) = engine {
            g["datastore"]["type"] = json!(e);
        }
        out.push((Api::GeminidbCreateInstance, "/password", g));
    }
    // A bare body with only the password: required-member and unknown-API paths.
    out.push((
        Api::GeminidbCreateInstance,
        "/password",
        json!({ "password": password }),
    ));
    out
}

fn every_surface(password: &str, value: &Value) {
    for linter in linters() {
        for (api, pointer, body) in bodies(value) {
            let what = format!("{api} {pointer} lang={:?}", linter.lang());
            let text = serde_json::to_string_pretty(&body).unwrap();
            let r = no_panic(password, &what, || linter.check_value(api, &body));
            assert_clean(password, &format!("{what} check_value"), &r);
            let r = no_panic(password, &what, || linter.check_str(api, &text));
            assert_clean(password, &format!("{what} check_str"), &r);
            let r = no_panic(password, &what, || linter.check_str_detect(&text));
            assert_clean(password, &format!("{what} check_str_detect"), &r);
            let r = no_panic(password, &what, || {
                linter.check_bytes(None, text.as_bytes())
            });
            assert_clean(password, &format!("{what} check_bytes"), &r);
            no_panic(password, &what, || linter.is_valid(api, &body));
            for b in [Some(&body), None] {
                let r = no_panic(password, &what, || {
                    linter.check_field(api, pointer, value, b)
                })
                .expect("a valid pointer");
                assert_clean(password, &format!("{what} check_field"), &r);
            }
            // Text-only paths: duplicated password key, a syntax error right after it, a
            // truncated file ending inside it, an invalid escape inside it.
            let dup = text.replacen('{', &format!("{{\"password\": {value},"), 1);
            let r = no_panic(password, &what, || linter.check_str(api, &dup));
            assert_clean(password, &format!("{what} duplicate key"), &r);
            let encoded = serde_json::to_string(value).unwrap();
            for broken in [
                format!("{{\"password\": {encoded},,}}"),
                format!("{{\"password\": {}", &encoded[..encoded.len() - 1]),
                format!("{{\"password\": {}\\q\"}}", &encoded[..encoded.len() - 1]),
            ] {
                let r = no_panic(password, &what, || linter.check_str(api, &broken));
                assert!(r.has_errors());
                assert_clean(password, &format!("{what} broken text {broken:?}"), &r);
            }
        }
    }
}

#[test]
fn string_passwords_never_appear_in_any_output() {
    for p in PASSWORDS {
        every_surface(p, &json!(p));
    }
}

#[test]
fn passwords_of_the_wrong_type_never_appear() {
    // A number or a boolean where a string is documented: the type rules speak, not the value.
    for (shown, value) in [
        ("98765432109", json!(98765432109_i64)),
        ("2.71828175", json!(2.71828175)),
        ("[\"Arr4yPass~1\"]", json!(["Arr4yPass~1"])),
        ("Obj3ctPass~1", json!({"k": "Obj3ctPass~1"})),
    ] {
        every_surface(shown, &value);
    }
}

#[test]
fn placeholder_passwords_are_flagged_without_echo() {
    // `"******"` is the reference page's placeholder: an info (HC009) in addition to the
    // length error, and the value is not quoted.
    for p in ["********", "xxxxxxxxxxxx", "{admin_password}"] {
        let mut body: Value = serde_json::from_str(CASSANDRA).unwrap();
        body["password"] = json!(p);
        let r = Linter::default_ref().check_value(Api::GeminidbCreateInstance, &body);
        let rules: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.pointer == "/password")
            .map(|d| &*d.rule)
            .collect();
        assert!(rules.contains(&"HC009"), "{p}: {rules:?}");
        assert!(r.has_errors(), "{p} is not a valid password");
        assert_clean(p, p, &r);
    }
}

#[test]
fn plaintext_password_hint_says_how_to_avoid_it() {
    let mut body: Value = serde_json::from_str(CASSANDRA).unwrap();
    body["password"] = json!("Valid-Pass1~word");
    let r = Linter::default_ref().check_value(Api::GeminidbCreateInstance, &body);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "HC010")
        .expect("plain-text password hint");
    assert_eq!(d.pointer, "/password");
    assert_eq!(d.severity, hcdb_lint::Severity::Info);
    let help = d.help.to_lowercase();
    assert!(help.contains("template"), "{help}");
    assert!(
        help.contains("inject") && help.contains("send time"),
        "{help}"
    );
    assert!(
        help.contains("environment variable") || help.contains("secret store"),
        "{help}"
    );
    // The same for the DDM admin password, in Chinese too.
    let zh = Linter::new(Config {
        lang: Lang::Zh,
        ..Config::default()
    })
    .unwrap();
    let ddm: Value = serde_json::from_str(DDM).unwrap();
    let r = zh.check_value(Api::DdmCreateInstance, &ddm);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "HC010")
        .expect("HC010");
    assert_eq!(d.pointer, "/instance/admin_user_password");
    assert!(d.help.contains("注入"), "{}", d.help);
}

#[test]
fn metadata_surfaces_carry_no_example_password() {
    // fields() and json_schema() describe the fields; they must not quote a password from
    // the examples or the reference pages.
    let linter = Linter::default_ref();
    let ddm: Value = serde_json::from_str(DDM).unwrap();
    let redis: Value = serde_json::from_str(REDIS).unwrap();
    let cassandra: Value = serde_json::from_str(CASSANDRA).unwrap();
    let known = [
        ddm["instance"]["admin_user_password"].as_str().unwrap(),
        redis["password"].as_str().unwrap(),
        cassandra["password"].as_str().unwrap(),
    ];
    for api in Api::ALL {
        let fields = format!("{:?}", linter.fields(api));
        let fields_json = serde_json::to_string(&linter.fields(api)).unwrap();
        let schema = linter.json_schema(api).to_string();
        for p in known {
            for (what, s) in [
                ("fields", &fields),
                ("fields json", &fields_json),
                ("schema", &schema),
            ] {
                assert!(!s.contains(p), "{api} {what} quotes {p}");
            }
        }
    }
    // The password fields are marked secret in the metadata forms use.
    let f = linter.fields(Api::GeminidbCreateInstance);
    let pw = serde_json::to_value(&f).unwrap();
    let pw = pw
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pointer"] == "/password")
        .expect("a /password field")
        .clone();
    assert_eq!(pw["secret"], json!(true), "{pw}");
}

/// A pack or config may put a check of any kind on a password member: whatever the kind, its
/// finding names the rule without the password. Each kind is set on DDM115 (the DDM password's
/// length rule) through the config's `options`, with parameters that make it fire.
#[test]
fn a_check_of_every_kind_on_a_password_never_shows_it() {
    let password = "Pw-Secret9~x";
    let numeric = "73914682";
    let kinds: Vec<(&str, Value)> = vec![
        ("length", json!({"kind": "length", "min": 40})),
        (
            "first_char",
            json!({"kind": "first_char", "allowed": ["digits"]}),
        ),
        ("charset", json!({"kind": "charset", "allowed": ["digits"]})),
        (
            "classes",
            json!({"kind": "classes", "classes": ["upper", "lower", "digits", "#"], "min": 4}),
        ),
        (
            "enum",
            json!({"kind": "enum", "values": ["pw-secret9~x", "other"]}),
        ),
        (
            "forbidden",
            json!({"kind": "forbidden", "values": [password, numeric]}),
        ),
        ("range", json!({"kind": "range", "min": 1, "max": 5})),
        (
            "contains_any",
            json!({"kind": "contains_any", "chars": "~"}),
        ),
        ("digits", json!({"kind": "digits", "len": 4})),
        ("list", json!({"kind": "list", "separator": "-", "max": 1})),
        ("backup_window", json!({"kind": "backup_window"})),
        (
            "distinct_from",
            json!({"kind": "distinct_from", "other": "/instance/name"}),
        ),
        (
            "in_context",
            json!({"kind": "in_context", "key": "availability_zones"}),
        ),
        (
            "any_of",
            json!({"kind": "any_of", "alternatives": [[{"kind": "enum", "values": ["x"]}]]}),
        ),
        ("not_blank", json!({"kind": "not_blank"})),
    ];
    for (kind, options) in kinds {
        let config: Config = serde_json::from_value(json!({
            "rules": {"DDM115": {"severity": "error", "options": options}},
            "context": {"availability_zones": ["cn-north-4a"]}
        }))
        .unwrap();
        let linter = Linter::new(config).unwrap_or_else(|e| panic!("{kind}: {e}"));
        for (pw, fires) in [
            (password, kind != "not_blank"),
            ("\u{3000}\u{3000}\u{3000}", kind == "not_blank"),
        ] {
            let pw = if kind == "range" { numeric } else { pw };
            let mut body: Value = serde_json::from_str(DDM).unwrap();
            body["instance"]["admin_user_password"] = json!(pw);
            if kind == "distinct_from" {
                body["instance"]["name"] = json!(pw);
            }
            let text = serde_json::to_string_pretty(&body).unwrap();
            for report in [
                linter.check_value(Api::DdmCreateInstance, &body),
                linter.check_str(Api::DdmCreateInstance, &text),
            ] {
                let hit = report.diagnostics.iter().find(|d| d.rule == "DDM115");
                if fires {
                    let d = hit.unwrap_or_else(|| panic!("{kind}: DDM115 did not fire"));
                    assert!(!d.message.is_empty(), "{kind}: empty message");
                    assert_clean(pw, &format!("{kind} on the password"), &report);
                }
            }
        }
    }
}
