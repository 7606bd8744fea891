//! Structured JSON bodies, built around the examples and the packs' own names and values,
//! through `check_value`, `is_valid`, `check_str` and `check_field`.
#![no_main]

use arbitrary::Unstructured;
use hcdb_lint::Linter;
use hcdb_lint_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((api, body)) = gen_body(&mut u) else {
        return;
    };
    let linter = Linter::default_ref();
    let report = linter.check_value(api, &body);
    assert_well_formed(linter, &report);
    assert_value_order(&report);
    assert_eq!(linter.is_valid(api, &body), !report.has_errors());
    let secret = SecretCheck::new(linter, api, &body);
    secret.assert(&report);

    // The text of the same body gives the same verdict, compact or pretty.
    for text in [
        serde_json::to_string(&body).unwrap(),
        serde_json::to_string_pretty(&body).unwrap(),
    ] {
        let from_text = linter.check_str(api, &text);
        assert_text_positions(&from_text, &text);
        // Pointer edits can nest a body past the text depth limit, and deep pretty text past
        // the size limit; a value has neither limit.
        if from_text
            .diagnostics
            .iter()
            .any(|d| d.rule == "HC011" || d.rule == "HC012")
        {
            assert_eq!(from_text.diagnostics.len(), 1);
            continue;
        }
        assert_eq!(verdict(&report, true), verdict(&from_text, true), "{text}");
        secret.assert(&from_text);
    }

    // Each diagnostic at an existing member is among that member's check_field diagnostics.
    for d in report.diagnostics.iter().take(4) {
        let Some(v) = body.pointer(&d.pointer) else {
            continue;
        };
        if d.pointer.is_empty() {
            continue;
        }
        let field = linter
            .check_field(api, &d.pointer, v, Some(&body))
            .expect("a pointer the linter produced is a valid JSON Pointer");
        assert!(
            field.diagnostics.contains(d),
            "check_field({}) lost {d:?}",
            d.pointer
        );
    }
});
