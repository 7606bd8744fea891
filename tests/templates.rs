//! Request bodies kept as templates (the crate's `Config::templates`): every recognised syntax in
//! strings, mixed strings, bare values, array items and defaults; control blocks and
//! expressions in key position; variables; the unknown list; secrets never echoed.

use hcdb_lint::{Api, Config, Linter, Report, Severity, Templates};

const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");
const DDM: &str = include_str!("../examples/ddm-create-instance.valid.json");
const SCALE: &str = include_str!("../examples/ddm-scale-out.valid.json");

fn linter_with(t: Templates) -> Linter {
    Linter::new(Config {
        templates: Some(t),
        ..Config::default()
    })
    .expect("config")
}

fn linter() -> Linter {
    linter_with(Templates::default())
}

fn vars(pairs: &[(&str, &str)]) -> Linter {
    linter_with(Templates {
        vars: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Templates::default()
    })
}

/// The findings, without the plain-text password info that the examples' literal passwords
/// draw (HC010 is asserted where it is the point).
fn rules(r: &Report) -> Vec<(String, String)> {
    r.diagnostics
        .iter()
        .filter(|d| d.rule != "HC010")
        .map(|d| (d.rule.to_string(), d.pointer.clone()))
        .collect()
}

fn clean(r: &Report) -> bool {
    rules(r).is_empty()
}

/// The unknown list without positions.
fn unknowns(r: &Report) -> Vec<(String, String)> {
    r.unknown
        .iter()
        .map(|u| (u.pointer.clone(), u.expression.clone()))
        .collect()
}

fn unknown(pointer: &str, expression: &str) -> (String, String) {
    (pointer.into(), expression.into())
}

/// One expression per syntax, as a whole string value.
const STRING_EXPRESSIONS: &[&str] = &[
    "${GEMINIDB_PASSWORD}",
    "${GEMINIDB_PASSWORD:-}",
    "{{ .Values.password }}",
    "{{ password }}",
    "{{{ password }}}",
    "${{ secrets.DB_PASSWORD }}",
    "$(DB_PW)",
];

#[test]
fn a_password_expression_is_unknown_in_every_syntax() {
    let l = linter();
    for expr in STRING_EXPRESSIONS.iter().filter(|e| !e.contains(":-")) {
        let body = CASSANDRA.replace("\"Geminidb#2024x\"", &format!("{expr:?}"));
        let r = l.check_str(Api::GeminidbCreateInstance, &body);
        // No GDB113/GDB114 (password rules), no HC010 (plain-text password): nothing at all.
        assert!(r.diagnostics.is_empty(), "{expr}: {:?}", r.diagnostics);
        assert_eq!(unknowns(&r), [unknown("/password", expr)], "{expr}");
    }
}

#[test]
fn without_templates_an_expression_is_an_ordinary_string() {
    let body = CASSANDRA.replace("\"Geminidb#2024x\"", "\"${GEMINIDB_PASSWORD}\"");
    let r = Linter::default_ref().check_str(Api::GeminidbCreateInstance, &body);
    assert!(r.has_errors(), "{:?}", rules(&r));
    assert!(r.unknown.is_empty());
    let bare = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N}");
    let r = Linter::default_ref().check_str(Api::DdmScaleOut, &bare);
    assert_eq!(rules(&r), [("HC001".to_string(), String::new())]);
}

#[test]
fn a_mixed_string_is_unknown_and_lists_only_its_expressions() {
    let body = CASSANDRA.replace("\"orders-prod-01\"", "\"orders-${ENV}-{{ .n }}\"");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    assert!(clean(&r), "{:?}", rules(&r));
    assert_eq!(unknowns(&r), [unknown("/name", "${ENV} {{ .n }}")]);
}

#[test]
fn bare_values_in_every_syntax_and_in_arrays() {
    let l = linter();
    for expr in [
        "${NODE_NUM}",
        "{{ .Values.num }}",
        "{{{ num }}}",
        "${{ vars.NUM }}",
        "$(NUM)",
    ] {
        let body = DDM.replace("\"node_num\": 2", &format!("\"node_num\": {expr}"));
        let r = l.check_str(Api::DdmCreateInstance, &body);
        assert!(clean(&r), "{expr}: {:?}", rules(&r));
        assert_eq!(unknowns(&r), [unknown("/instance/node_num", expr)]);
        // As an array item, with the span of the expression.
        let body = DDM.replace("\"cn-north-4b\"", expr);
        let r = l.check_str(Api::DdmCreateInstance, &body);
        assert!(clean(&r), "{expr}: {:?}", rules(&r));
        assert_eq!(unknowns(&r), [unknown("/instance/available_zones/1", expr)]);
    }
}

#[test]
fn literal_faults_are_still_found_beside_unknowns() {
    let body = CASSANDRA
        .replace("\"Geminidb#2024x\"", "\"${PW}\"")
        .replace("\"num\": 3", "\"num\": 99");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    let found = rules(&r);
    assert!(
        !found.is_empty() && found.iter().all(|(_, p)| p == "/flavor/0/num"),
        "{found:?}"
    );
    assert_eq!(unknowns(&r), [unknown("/password", "${PW}")]);
}

#[test]
fn rules_whose_condition_reads_an_unknown_stay_silent() {
    // The engine is unknown: nothing that depends on it (mode, version, node count) is judged,
    // but what does not (the name's charset) still is.
    let body = CASSANDRA
        .replace("\"cassandra\"", "\"${ENGINE}\"")
        .replace("\"Cluster\"", "\"NoSuchMode\"")
        .replace("\"num\": 3", "\"num\": 99")
        .replace("\"orders-prod-01\"", "\"1bad name\"");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    let found = rules(&r);
    assert!(found.iter().all(|(_, p)| p == "/name"), "{found:?}");
    assert!(!found.is_empty());
    // The charge mode is unknown: the period members it governs are neither required nor
    // "ignored".
    let body = CASSANDRA.replace("\"prePaid\"", "\"${{ vars.MODE }}\"");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    assert!(clean(&r), "{:?}", rules(&r));
}

#[test]
fn presence_rules_see_an_unknown_as_given() {
    // `port` is only for Redis: given on Cassandra as an expression, it is still there.
    let body = CASSANDRA.replace("\"ssl_option\": \"1\"", "\"port\": \"${PORT}\"");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    assert!(
        r.diagnostics.iter().any(|d| d.pointer == "/port"),
        "{:?}",
        rules(&r)
    );
    // A required member written as an expression is not missing.
    let body = SCALE.replace("\"8f2e696c-a9c1-30bd-af90-25522bc67606\"", "\"$(FLAVOR)\"");
    let r = linter().check_str(Api::DdmScaleOut, &body);
    assert!(clean(&r), "{:?}", rules(&r));
}

#[test]
fn defaults_are_substituted_and_checked() {
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N:-0}");
    let r = linter().check_str(Api::DdmScaleOut, &body);
    assert_eq!(
        rules(&r),
        [("DDM201".to_string(), "/node_number".to_string())]
    );
    assert!(r.unknown.is_empty());
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N-3}");
    assert!(clean(&linter().check_str(Api::DdmScaleOut, &body)));
    // A given variable wins over the default.
    let r = vars(&[("N", "0")]).check_str(
        Api::DdmScaleOut,
        &SCALE.replace("\"node_number\": 2", "\"node_number\": ${N:-3}"),
    );
    assert!(r.has_errors());
}

#[test]
fn variables_are_substituted_and_faults_found_at_the_template_position() {
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N}");
    let at = body.find("${N}").unwrap();
    let r = vars(&[("N", "0")]).check_str(Api::DdmScaleOut, &body);
    assert_eq!(
        rules(&r),
        [("DDM201".to_string(), "/node_number".to_string())]
    );
    let span = r.diagnostics[0].span.unwrap();
    assert_eq!((span.start, span.end), (at, at + 4));
    assert!(r.unknown.is_empty());
    assert!(vars(&[("N", "2")])
        .check_str(Api::DdmScaleOut, &body)
        .diagnostics
        .is_empty());
    // In a string, mixed with literal text.
    let body = CASSANDRA.replace("\"orders-prod-01\"", "\"orders-${ENV}-01\"");
    let r = vars(&[("ENV", "bad env")]).check_str(Api::GeminidbCreateInstance, &body);
    assert!(r.has_errors(), "{:?}", rules(&r));
    assert!(
        rules(&r).iter().all(|(_, p)| p == "/name"),
        "{:?}",
        rules(&r)
    );
    assert_eq!(
        r.diagnostics[0].span.unwrap().start,
        body.find("\"orders-${ENV}").unwrap()
    );
    assert!(clean(
        &vars(&[("ENV", "prod")]).check_str(Api::GeminidbCreateInstance, &body)
    ));
    // A whole object from a variable.
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": 2, \"extra\": ${X}");
    let r = vars(&[("X", "{\"a\": [1, 2]}")]).check_str(Api::DdmScaleOut, &body);
    assert_eq!(rules(&r), [("HC008".to_string(), "/extra".to_string())]);
}

#[test]
fn a_bare_value_that_is_not_json_is_an_error_naming_the_variable() {
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N}");
    let r = vars(&[("N", "two nodes")]).check_str(Api::DdmScaleOut, &body);
    assert_eq!(
        rules(&r),
        [("HC016".to_string(), "/node_number".to_string())]
    );
    let d = &r.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("`N`"), "{}", d.message);
    assert!(!d.message.contains("two nodes") && !d.help.contains("two nodes"));
    assert!(!format!("{:?}", d.params).contains("two nodes"));
}

#[test]
fn control_blocks_and_expressions_as_keys_are_syntax_errors_saying_render_first() {
    let l = linter();
    let cases = [
        // (template, the text the error points at)
        ("{\"node_number\": {% if x %}2{% endif %}}", "{% if"),
        ("{\"node_number\": {{ if .x }}2{{ end }}}", "{{ if"),
        ("{\"a\": [{{ range .x }}1{{ end }}]}", "{{ range"),
        ("{\"node_number\": {{- .n -}}}", "{{- .n"),
        ("{\"a\": 1, {{ .Values.key }}: 2}", "{{ .Values.key"),
        ("{${KEY}: 2}", "${KEY}"),
        ("{\"a\": 1 {{ end }}}", "{{ end"),
        ("{\n  {% if prod %}\n  \"a\": 1\n  {% endif %}\n}", "{% if"),
        ("{\"a\": 1, {# comment #} \"b\": 2}", "{#"),
    ];
    for (body, at) in cases {
        let r = l.check_str(Api::DdmScaleOut, body);
        assert_eq!(rules(&r), [("HC001".to_string(), String::new())], "{body}");
        let d = &r.diagnostics[0];
        assert_eq!(d.span.unwrap().start, body.find(at).unwrap(), "{body}");
        assert!(
            d.message.contains("render the template first"),
            "{}",
            d.message
        );
        assert!(d.message.contains("helm template") && d.message.contains("envsubst"));
    }
    // In Chinese too.
    let zh = Linter::new(Config {
        lang: hcdb_lint::Lang::Zh,
        templates: Some(Templates::default()),
        ..Config::default()
    })
    .unwrap();
    let r = zh.check_str(Api::DdmScaleOut, cases[0].0);
    assert!(r.diagnostics[0].message.contains("请先渲染模板"));
}

#[test]
fn fail_on_unknown_turns_each_unknown_into_an_error() {
    let l = linter_with(Templates {
        fail_on_unknown: true,
        ..Templates::default()
    });
    let body = CASSANDRA
        .replace("\"Geminidb#2024x\"", "\"${PW}\"")
        .replace("\"num\": 3", "\"num\": {{ .n }}");
    let r = l.check_str(Api::GeminidbCreateInstance, &body);
    assert_eq!(
        rules(&r),
        [
            ("HC017".to_string(), "/password".to_string()),
            ("HC017".to_string(), "/flavor/0/num".to_string())
        ]
    );
    assert!(r.diagnostics[0].message.contains("${PW}"));
    assert_eq!(r.unknown.len(), 2);
    assert!(!l.is_valid_str(Api::GeminidbCreateInstance, &body));
    assert!(linter().is_valid_str(Api::GeminidbCreateInstance, &body));
}

#[test]
fn a_substituted_password_is_checked_and_never_echoed() {
    let body = CASSANDRA.replace("\"Geminidb#2024x\"", "\"${PW}\"");
    for pw in ["short1", "Leak%Me:1,x", "Valid-Pass1~word"] {
        let r = vars(&[("PW", pw)]).check_str(Api::GeminidbCreateInstance, &body);
        let shown = format!("{r:?} {}", serde_json::to_string(&r).unwrap());
        assert!(!shown.contains(pw), "{pw}: {shown}");
        // Checked in full (the short one fails), and never a plain-text password in the file.
        assert_eq!(
            r.has_errors(),
            pw == "short1" || pw == "Leak%Me:1,x",
            "{pw}"
        );
        assert!(r.diagnostics.iter().all(|d| d.rule != "HC010"));
    }
    // A default written in the template is plain text in the file.
    let body = CASSANDRA.replace("\"Geminidb#2024x\"", "\"${PW:-Geminidb#2024x}\"");
    let r = linter().check_str(Api::GeminidbCreateInstance, &body);
    assert!(r.diagnostics.iter().any(|d| d.rule == "HC010"));
}

#[test]
fn values_and_value_text_read_templates_when_asked() {
    let value: serde_json::Value = serde_json::from_str(
        &CASSANDRA.replace("\"Geminidb#2024x\"", "\"{{ .Values.password }}\""),
    )
    .unwrap();
    let l = linter();
    let r = l.check_value(Api::GeminidbCreateInstance, &value);
    assert!(clean(&r), "{:?}", rules(&r));
    assert_eq!(
        unknowns(&r),
        [unknown("/password", "{{ .Values.password }}")]
    );
    assert!(l.is_valid(Api::GeminidbCreateInstance, &value));
    let r = l.check_value_text(Api::GeminidbCreateInstance, &value.to_string());
    assert_eq!(r.unknown.len(), 1);
    // Off by default in the crate: a form field holding `${x}` is just a bad value.
    assert!(!Linter::default_ref().is_valid(Api::GeminidbCreateInstance, &value));
}

#[test]
fn the_report_serialises_its_unknown_list() {
    let body = SCALE.replace("\"node_number\": 2", "\"node_number\": ${N}");
    let r = linter().check_str(Api::DdmScaleOut, &body);
    let v = serde_json::to_value(&r).unwrap();
    let line = body[..body.find("${N}").unwrap()].lines().count();
    assert_eq!(
        v["unknown"],
        serde_json::json!([{"pointer": "/node_number", "expression": "${N}", "line": line, "column": 18}])
    );
    let back: Report = serde_json::from_value(v).unwrap();
    assert_eq!(back.unknown, r.unknown);
}

/// Every string member of a value, as (pointer, value).
fn strings(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(_) => out.push(at),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                strings(x, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                strings(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

const VALID: [&str; 8] = [
    include_str!("../examples/ddm-create-instance.valid.json"),
    include_str!("../examples/ddm-scale-out.valid.json"),
    include_str!("../examples/geminidb-cassandra.valid.json"),
    include_str!("../examples/geminidb-dynamodb.valid.json"),
    include_str!("../examples/geminidb-hbase.valid.json"),
    include_str!("../examples/geminidb-influxdb.valid.json"),
    include_str!("../examples/geminidb-mongodb.valid.json"),
    include_str!("../examples/geminidb-redis.valid.json"),
];

proptest::proptest! {
    /// A valid body with any string value replaced by an expression (in any syntax, quoted,
    /// with literal text around it, or bare) has no error, and lists that member as unknown.
    #[test]
    fn a_valid_body_with_an_expression_for_any_string_has_no_error(
        which in 0..VALID.len(),
        pick in proptest::num::usize::ANY,
        syntax in 0..STRING_EXPRESSIONS.len(),
        form in 0..3u8,
    ) {
        let mut body: serde_json::Value = serde_json::from_str(VALID[which]).unwrap();
        let mut ptrs = Vec::new();
        strings(&body, String::new(), &mut ptrs);
        let ptr = &ptrs[pick % ptrs.len()];
        let expr = STRING_EXPRESSIONS[syntax].replace(":-}", "}");
        let (value, text_of) = match form {
            0 => (expr.clone(), None),
            1 => (format!("x-{expr}-y"), None),
            _ => ("\u{1}bare\u{1}".to_string(), Some(expr.clone())),
        };
        *body.pointer_mut(ptr).unwrap() = serde_json::Value::String(value);
        let mut text = serde_json::to_string_pretty(&body).unwrap();
        if let Some(e) = &text_of {
            text = text.replace("\"\\u0001bare\\u0001\"", e);
        }
        let l = linter();
        let api = hcdb_lint::detect_api(&serde_json::from_str(VALID[which]).unwrap()).unwrap();
        let r = l.check_str(api, &text);
        proptest::prop_assert!(!r.has_errors(), "{ptr} = {expr}: {:?}\n{text}", rules(&r));
        proptest::prop_assert!(r.unknown.iter().any(|u| &u.pointer == ptr), "{:?}", r.unknown);
        proptest::prop_assert!(l.is_valid_str(api, &text));
    }
}

/// A substituted value with a finding that has a fix (a value that differs only in case): the
/// finding is reported at the expression, but no fix is offered, and `fix` leaves the template
/// as it is: a fix would write the variable's value over the expression.
#[test]
fn substituted_values_are_never_fixed_into_the_template() {
    let l = vars(&[("ENGINE", "rocksdb"), ("MODE", "cluster")]);
    let text = r#"{"name": "test-01", "region": "r", "availability_zone": "az1", "vpc_id": "v",
 "subnet_id": "s", "security_group_id": "g", "password": "Valid-Pass1~",
 "datastore": {"type": "Cassandra", "version": "3.11", "storage_engine": "${ENGINE}"},
 "mode": "${MODE}",
 "flavor": [{"num": 3, "size": "500", "storage": "ULTRAHIGH", "spec_code": "geminidb.cassandra.xlarge.4"}]}"#;
    let report = l.check_str(Api::GeminidbCreateInstance, text);
    let engine = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "GDB108")
        .expect("the substituted storage engine is checked");
    assert!(engine.fix.is_none(), "{engine:?}");
    // The literal `Cassandra` is fixed; the expressions stay.
    let fixed = l.fix(
        Some(Api::GeminidbCreateInstance),
        text,
        hcdb_lint::FixOptions { unsafe_fixes: true },
    );
    assert_eq!(fixed.text, text.replace("\"Cassandra\"", "\"cassandra\""));
    // Then the substituted mode is checked against Cassandra's modes, and not fixed either.
    let report = l.check_str(Api::GeminidbCreateInstance, &fixed.text);
    let mode = report
        .diagnostics
        .iter()
        .find(|d| d.pointer == "/mode")
        .expect("the substituted mode is checked");
    assert!(mode.fix.is_none(), "{mode:?}");
}
