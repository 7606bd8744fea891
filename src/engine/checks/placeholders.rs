//! The registry test of message placeholders: every `{name}` in a rule's message, help and fix
//! wording (both languages, every pack in `rules/`) is a parameter the rule's check kind produces
//! ([`super::Kind::PRODUCES`]) or one the wording layer adds to every finding. A placeholder that
//! is neither would make its chunk of the message vanish at run time (a chunk naming a parameter
//! that is not given is left out), so a typo in a pack is caught here rather than by a user.

use super::Check;
use serde_json::Value;

/// What the wording layer adds to every finding: the member's pointer (`src/linter.rs`, the
/// template's `Part::Pointer`).
const EVERY_FINDING: &[&str] = &["pointer"];

/// What a fix's wording adds: the text it writes (`src/linter.rs`, `replacement`).
const EVERY_FIX: &[&str] = &["replacement"];

/// The parameters of the engine's own rules (`kind: builtin`), as the engine and the linter give
/// them (src/engine/mod.rs `emit` calls, src/linter.rs text-level findings).
fn builtin_params(id: &str) -> &'static [&'static str] {
    match id {
        "HC001" | "HC015" => &["reason", "offset"],
        "HC002" => &["actual"],
        "HC003" => &["member", "offset"],
        "HC004" => &["state"],
        "HC005" => &["expected", "actual", "reason"],
        "HC006" => &["expected", "actual"],
        "HC008" => &["member", "suggestion"],
        "HC009" => &["value"],
        "HC011" => &["actual", "max"],
        "HC012" => &["max", "reason"],
        "HC013" => &["offset"],
        "HC016" => &["variable"],
        "HC017" => &["expression"],
        "HC018" => &["version"],
        "HC020" => &["deferred"],
        _ => &[],
    }
}

/// The `{name}` placeholders of a template, in order.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => {
                // An unclosed brace: the whole rest reads as one (bad) name.
                out.push(after);
                break;
            }
        }
    }
    out
}

/// The placeholders of a rule's wording that its check does not produce, as `what: {name}`.
fn unproduced(rule: &Value) -> Vec<String> {
    let id = rule["id"].as_str().unwrap_or("?");
    let kind = rule["check"]["kind"].as_str().unwrap_or("?");
    let produced: Vec<&str> = match kind {
        "builtin" => builtin_params(id).to_vec(),
        kind => match Check::produces(kind) {
            Some(p) => p.to_vec(),
            None => return vec![format!("check kind `{kind}` is not known")],
        },
    };
    let mut bad = Vec::new();
    let mut look = |what: &str, text: &Value, extra: &[&str]| {
        for lang in ["en", "zh"] {
            let Some(t) = text.get(lang).and_then(Value::as_str) else {
                continue;
            };
            for name in placeholders(t) {
                let known = produced.contains(&name)
                    || EVERY_FINDING.contains(&name)
                    || extra.contains(&name);
                if !known {
                    bad.push(format!("{id} ({kind}) {what}.{lang}: {{{name}}}"));
                }
            }
        }
    };
    look("message", &rule["message"], &[]);
    look("help", &rule["help"], &[]);
    if let Some(fix) = rule.get("fix") {
        look("fix.message", &fix["message"], EVERY_FIX);
    }
    bad
}

fn packs() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("rules/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a pack is readable");
        let v: Value = serde_json::from_str(&text).expect("a pack is JSON");
        out.push((path.display().to_string(), v));
    }
    out
}

#[test]
fn every_placeholder_is_a_parameter_its_check_kind_produces() {
    let (mut rules, mut named) = (0, 0);
    let mut bad = Vec::new();
    for (file, pack) in packs() {
        for rule in pack["rules"].as_array().into_iter().flatten() {
            rules += 1;
            for text in [&rule["message"], &rule["help"]] {
                named += placeholders(text["en"].as_str().unwrap_or("")).len();
            }
            bad.extend(unproduced(rule).into_iter().map(|b| format!("{file}: {b}")));
        }
    }
    assert!(
        bad.is_empty(),
        "placeholders no parameter fills:\n{}",
        bad.join("\n")
    );
    assert!(
        rules > 100 && named > 50,
        "{rules} rules, {named} placeholders"
    );
}

#[test]
fn a_placeholder_the_kind_does_not_produce_is_caught() {
    let rule = |message: &str| {
        serde_json::json!({
            "id": "X001",
            "check": {"kind": "length", "max": 3},
            "message": {"en": message, "zh": "长度 {actual}"},
            "help": {"en": "at most {max} {unit}", "zh": "最多 {max}"},
        })
    };
    assert_eq!(
        unproduced(&rule("{pointer} is {actual} long")),
        Vec::<String>::new()
    );
    // A typo, another kind's parameter, an unclosed brace.
    for (message, name) in [
        ("{pointer} is {acutal} long", "acutal"),
        ("{pointer} has {missing}", "missing"),
        ("{pointer} is {actual long", "actual long"),
    ] {
        let bad = unproduced(&rule(message));
        assert_eq!(
            bad,
            vec![format!("X001 (length) message.en: {{{name}}}")],
            "{message}"
        );
    }
    // The fix's wording may name what it writes; the message may not.
    let mut r = rule("{replacement}");
    assert_eq!(unproduced(&r).len(), 1);
    r["message"]["en"] = "{actual}".into();
    r["fix"] = serde_json::json!({"message": {"en": "write {replacement}", "zh": "{max}"}});
    assert_eq!(unproduced(&r), Vec::<String>::new());
    // A kind the build does not know.
    r["check"]["kind"] = "lenght".into();
    assert_eq!(unproduced(&r).len(), 1);
}

#[test]
fn every_kind_names_what_it_reads_and_produces() {
    let kinds: Vec<&str> = super::TABLE.iter().map(|k| k.name).collect();
    for &kind in &kinds {
        let reads = Check::reads(kind).expect("a listed kind");
        let produces = Check::produces(kind).expect("a listed kind");
        for list in [reads, produces] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "{kind}: a name twice in {list:?}");
        }
        assert!(!reads.contains(&"kind"), "{kind}");
    }
    assert!(kinds.len() >= 25, "{}", kinds.len());
    // A kind is found by its name: each name once.
    let mut names = kinds.clone();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), kinds.len(), "{kinds:?}");
}

/// What a kind declares it produces is what its findings carry: the value-only kinds applied to
/// a spread of values, every parameter name of every finding among the kind's `PRODUCES`.
#[test]
fn findings_carry_only_what_their_kind_declares() {
    use super::test_support::{apply_alone, compile};
    use super::Val;
    use serde_json::json;
    let checks = [
        json!({"kind": "length", "min": 3, "max": 5}),
        json!({"kind": "length", "max": 2, "unit": "bytes"}),
        json!({"kind": "first_char", "allowed": ["letters"]}),
        json!({"kind": "charset", "allowed": ["lower", "digits"]}),
        json!({"kind": "classes", "classes": ["upper", "lower", "digits"]}),
        json!({"kind": "enum", "values": ["a", "B", 7]}),
        json!({"kind": "range", "min": 1, "max": 9}),
        json!({"kind": "forbidden", "values": ["a", 7]}),
        json!({"kind": "contains_any", "chars": "~ "}),
        json!({"kind": "digits", "len": 2}),
        json!({"kind": "list", "max": 2}),
        json!({"kind": "backup_window", "minutes": [0]}),
        json!({"kind": "not_blank"}),
        json!({"kind": "any_of", "alternatives": [[{"kind": "digits", "len": 1}]]}),
    ];
    let values: Vec<Val<'_>> = [
        "",
        " ",
        "a",
        "b",
        "A",
        "x y",
        "a,a",
        "a,,b",
        "a, b",
        "a,b,c",
        "~",
        "日本",
        "12",
        "123",
        "7",
        "08:00-09:00",
        "08:15-09:15",
        "23:00-01:00",
        "Ab1",
        "0",
        "-3",
    ]
    .iter()
    .map(|s| Val::Str((*s).into()))
    .chain([Val::Int(7), Val::Int(40), Val::Int(-1), Val::Bool(true)])
    .collect();
    let mut fired = 0;
    for def in checks {
        let check = compile(def.clone()).unwrap_or_else(|e| panic!("{def}: {e}"));
        let produces = Check::produces(check.kind()).unwrap();
        let mut any = false;
        for v in &values {
            let Some(params) = apply_alone(&check, v) else {
                continue;
            };
            any = true;
            fired += 1;
            for (name, _) in &params {
                assert!(
                    produces.contains(name),
                    "{def} on {v:?}: `{name}` not declared"
                );
            }
        }
        assert!(any, "{def} never fired");
    }
    assert!(fired > 100, "{fired}");
}
