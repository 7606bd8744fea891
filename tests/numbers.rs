//! One verdict on numbers: whether a number is whole, and whether it is in range, is decided on
//! the number as written, so the text path (`check_str`, `check_bytes`, `is_valid_str`) and the
//! value path (`check_value`, `is_valid`) agree wherever the value holds the number the text
//! wrote. Number literals are generated with up to 40 digits, fractions and exponents; the
//! oracle below decides wholeness on the decimal digits, independently of the crate.

use hcdb_lint::{Api, Linter, Report, Severity};
use proptest::prelude::*;
use serde_json::Value;

/// A decimal literal as (digits without leading or trailing zeros, position of the point
/// counted from the first digit); zero is `("", 0)`. The sign is left out: both paths agree
/// that `-0` is zero.
fn canonical(text: &str) -> (String, i64) {
    let text = text.trim_start_matches('-');
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap()),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0').to_string();
    if digits.is_empty() {
        return (digits, 0);
    }
    (digits, int.len() as i64 - lead as i64 + exp)
}

/// Whole, by the digits: no significant digit after the point.
fn whole_by_digits(text: &str) -> bool {
    let (digits, point) = canonical(text);
    digits.len() as i64 <= point.max(0) || digits.is_empty()
}

/// Whether `value` holds the number `literal` wrote (serde_json writes the shortest text that
/// reads back as its float; a literal with more digits than a float holds is another number).
fn held_as_written(literal: &str, value: &Value) -> bool {
    canonical(literal) == canonical(&value["node_number"].to_string())
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

fn literal() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "[1-9][0-9]{0,11}|0",
        proptest::option::of("[0-9]{1,28}"),
        proptest::option::of(-24i32..=5),
    )
        .prop_map(|(neg, int, frac, exp)| {
            let mut s = if neg { format!("-{int}") } else { int };
            if let Some(f) = frac {
                s = format!("{s}.{f}");
            }
            if let Some(e) = exp {
                s = format!("{s}e{e}");
            }
            s
        })
}

/// Checks a scale-out body with `literal` as its node count on every path.
fn agree(literal: &str) {
    let linter = Linter::default_ref();
    let api = Api::DdmScaleOut;
    let text = format!(r#"{{"flavor_id":"F","node_number":{literal}}}"#);
    let report = linter.check_str(api, &text);
    assert_eq!(report, linter.check_bytes(Some(api), text.as_bytes()));
    assert_eq!(linter.is_valid_str(api, &text), !report.has_errors());
    let hc005 = report.diagnostics.iter().any(|d| d.rule == "HC005");
    // Every generated literal is far inside i64: HC005 is about wholeness alone.
    assert_eq!(hc005, !whole_by_digits(literal), "{text}: {report:?}");
    let value: Value = serde_json::from_str(&text).unwrap();
    let from_value = linter.check_value(api, &value);
    assert_eq!(linter.is_valid(api, &value), !from_value.has_errors());
    if held_as_written(literal, &value) {
        assert_eq!(verdict(&report), verdict(&from_value), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn text_and_value_agree_on_numbers(literal in literal()) {
        agree(&literal);
    }

    /// A float as serde_json writes it is always held as written.
    #[test]
    fn a_float_handed_in_agrees_with_its_text(f in -1e17f64..1e17) {
        for f in [f, f.trunc()] {
            let literal = serde_json::Number::from_f64(f).unwrap().to_string();
            let value: Value = serde_json::json!({"flavor_id": "F", "node_number": f});
            prop_assert!(held_as_written(&literal, &value));
            agree(&literal);
        }
    }
}

#[test]
fn the_oracle_reads_digits() {
    assert_eq!(canonical("-0.0e5"), (String::new(), 0));
    assert_eq!(canonical("120.50"), ("1205".into(), 3));
    assert_eq!(canonical("0.0012e2"), ("12".into(), 0));
    assert!(whole_by_digits("1.5e1"));
    assert!(!whole_by_digits("0.0012e2"));
    assert!(!whole_by_digits("3048335780245499.1783999353824676561"));
    // Literals whose nearest float is whole but which are not: the text path says so.
    for literal in [
        "3048335780245499.1783999353824676561",
        "4503599627370496.5",
        "1.00000000000000000001",
        "123456789012.0000000000000000001e3",
    ] {
        agree(literal);
    }
}
