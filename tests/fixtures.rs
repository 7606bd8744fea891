//! The fixture runner: for every `tests/fixtures/<RULE>/cases.json`, each fire case must produce
//! that rule at its `at` pointer and each pass case must not produce it, with only that rule on.
//! Both the parsed-value path and the text path are run, and context rules are also run without
//! their context, where they must stay silent (docs/reading-the-pages.md#decision-15).

mod common;

use common::fixtures::{build_body, fixtures, Fixture};
use hcdb_lint::{Api, Config, Level, Linter, Report, RuleSetting, Severity};
use serde_json::{Map, Value};

fn only(rule: &str, context: Option<&Map<String, Value>>) -> Linter {
    only_at(rule, None, context)
}

/// [`only`], with the rule at `level` instead of its default severity.
fn only_at(rule: &str, level: Option<Level>, context: Option<&Map<String, Value>>) -> Linter {
    only_with(rule, level, context, false)
}

/// [`only_at`], under `strict` or not.
fn only_with(
    rule: &str,
    level: Option<Level>,
    context: Option<&Map<String, Value>>,
    strict: bool,
) -> Linter {
    let ids: Vec<String> = Linter::default_ref()
        .rules()
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert!(ids.iter().any(|i| i == rule), "{rule} is not a rule");
    let config = Config {
        rules: ids
            .into_iter()
            .filter_map(|i| match (i == rule, level) {
                (false, _) => Some((i, RuleSetting::Level(Level::Off))),
                (true, Some(l)) => Some((i, RuleSetting::Level(l))),
                (true, None) => None,
            })
            .collect(),
        context: context.cloned().unwrap_or_default(),
        strict,
        ..Config::default()
    };
    Linter::new(config).unwrap_or_else(|e| panic!("{rule}: {e}"))
}

fn pointers_of(report: &Report, rule: &str) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.pointer.clone())
        .collect()
}

fn run(fx: &Fixture) -> Vec<String> {
    let mut failures = Vec::new();
    let api: Api = fx
        .api
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", fx.rule));
    let linter = only(&fx.rule, fx.context.as_ref());
    let bare = fx.context.as_ref().map(|_| only(&fx.rule, None));
    // The rule alone, as an error: `is_valid` (errors only, first error ends the visit) must
    // say no to every fire case and yes to every pass case, whatever the rule's own severity.
    let as_error = only_at(&fx.rule, Some(Level::Error), fx.context.as_ref());
    let strict = only_with(&fx.rule, None, fx.context.as_ref(), true);
    let strict_error = only_with(&fx.rule, Some(Level::Error), fx.context.as_ref(), true);
    let verdicts = [("fire", &fx.fire, false), ("pass", &fx.pass, true)];
    for (kind, cases, valid) in verdicts {
        for (i, case) in cases.iter().enumerate() {
            // An observed acceptance is a warning: the body is valid unless `strict`.
            let valid = valid || case.observed;
            if as_error.is_valid(api, &build_body(fx, case)) != valid {
                failures.push(format!(
                    "{}/{kind}/{i} `{}`: is_valid is {} with the rule as an error",
                    fx.rule, case.name, !valid
                ));
            }
            if case.observed && strict_error.is_valid(api, &build_body(fx, case)) {
                failures.push(format!(
                    "{}/{kind}/{i} `{}`: valid under strict with the rule as an error",
                    fx.rule, case.name
                ));
            }
        }
    }
    // Observed cases: a warning that carries the evidence by default, the rule's own error
    // (worded by the rule, without evidence) under `strict`; on both paths.
    for (i, case) in fx.fire.iter().enumerate().filter(|(_, c)| c.observed) {
        let body = build_body(fx, case);
        let at = case.at.clone().unwrap_or_default();
        let text = serde_json::to_string_pretty(&body).expect("serializable");
        for (how, report, severity, evidence) in [
            (
                "value",
                linter.check_value(api, &body),
                Severity::Warning,
                true,
            ),
            (
                "text",
                linter.check_str(api, &text),
                Severity::Warning,
                true,
            ),
            (
                "strict value",
                strict.check_value(api, &body),
                Severity::Error,
                false,
            ),
            (
                "strict text",
                strict.check_str(api, &text),
                Severity::Error,
                false,
            ),
        ] {
            let d = report
                .diagnostics
                .iter()
                .find(|d| d.rule == fx.rule && d.pointer == at);
            let Some(d) = d else {
                failures.push(format!("{}/fire/{i} ({how}): no finding", fx.rule));
                continue;
            };
            let has = ["documented", "accepted", "evidence"]
                .iter()
                .all(|k| d.params.contains_key(*k));
            if d.severity != severity
                || has != evidence
                || d.message.contains("documented:") != evidence
            {
                failures.push(format!(
                    "{}/fire/{i} `{}` ({how}): {} `{}` {:?}",
                    fx.rule, case.name, d.severity, d.message, d.params
                ));
            }
        }
    }
    for (i, case) in fx.fire.iter().enumerate() {
        let body = build_body(fx, case);
        let at = case.at.clone().unwrap_or_default();
        let text = serde_json::to_string_pretty(&body).expect("serializable");
        for (how, report) in [
            ("value", linter.check_value(api, &body)),
            ("text", linter.check_str(api, &text)),
        ] {
            let got = pointers_of(&report, &fx.rule);
            if !got.contains(&at) {
                failures.push(format!(
                    "{}/fire/{i} `{}` ({how}): expected at `{at}`, got {got:?}",
                    fx.rule, case.name
                ));
            }
            if report.diagnostics.iter().any(|d| d.rule != fx.rule) {
                failures.push(format!(
                    "{}/fire/{i}: other rules reported although off",
                    fx.rule
                ));
            }
        }
        if let Some(bare) = &bare {
            let got = pointers_of(&bare.check_value(api, &body), &fx.rule);
            if !got.is_empty() {
                failures.push(format!(
                    "{}/fire/{i} `{}`: fires without its context at {got:?}",
                    fx.rule, case.name
                ));
            }
        }
    }
    for (i, case) in fx.pass.iter().enumerate() {
        let body = build_body(fx, case);
        let text = serde_json::to_string_pretty(&body).expect("serializable");
        for (how, report) in [
            ("value", linter.check_value(api, &body)),
            ("text", linter.check_str(api, &text)),
        ] {
            let got = pointers_of(&report, &fx.rule);
            if !got.is_empty() {
                failures.push(format!(
                    "{}/pass/{i} `{}` ({how}): fired at {got:?}",
                    fx.rule, case.name
                ));
            }
        }
    }
    failures
}

#[test]
fn every_fixture_case_behaves() {
    let all = fixtures();
    assert!(all.len() > 80, "only {} fixture folders", all.len());
    let failures: Vec<String> = all.iter().flat_map(run).collect();
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixture_bases_are_valid_examples() {
    for fx in fixtures() {
        assert!(
            fx.base.ends_with(".valid.json"),
            "{}: base {} should be a valid example",
            fx.rule,
            fx.base
        );
        let api: Api = fx.api.parse().expect("api");
        let body = common::fixtures::example(&fx.base);
        assert_eq!(hcdb_lint::detect_api(&body), Some(api), "{}", fx.rule);
    }
}

#[test]
fn fixture_rules_belong_to_the_fixture_api() {
    let linter = Linter::default_ref();
    for fx in fixtures() {
        let doc = linter.rule(&fx.rule).expect("rule exists");
        if let Some(api) = doc.api {
            assert_eq!(api.id(), fx.api, "{}: api", fx.rule);
        }
    }
}
