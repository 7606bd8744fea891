//! JSON Pointer parsing and field checks: `check_field(api, pointer, value, body)` on arbitrary
//! pointers (and pack targets), values and bodies, against the whole-body reference and the
//! JSON-text entry point.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use hcdb_lint::Linter;
use hcdb_lint_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(sel) = u8::arbitrary(&mut u) else {
        return;
    };
    let api = api_from(sel).unwrap_or(hcdb_lint::Api::ALL[hcdb_lint::Api::ALL.len() - 1]);
    let Ok(pointer) = gen_pointer(&mut u) else {
        return;
    };
    let Ok(value) = gen_value(&mut u, 1) else {
        return;
    };
    let body = match u.int_in_range(0u8..=3) {
        Ok(0) => None,
        Ok(1) => gen_value(&mut u, 0).ok(),
        _ => gen_body(&mut u).ok().map(|(_, b)| b),
    };
    let linter = Linter::default_ref();
    let result = linter.check_field(api, &pointer, &value, body.as_ref());
    // The field's own visit gives exactly the whole body's report filtered to the field, and the
    // JSON-text entry point (the browser package's) gives the same; all fail alike.
    let reference = linter.check_field_whole_body(api, &pointer, &value, body.as_ref());
    let body_text = body.as_ref().map(|b| b.to_string());
    let from_text =
        linter.check_field_text(api, &pointer, &value.to_string(), body_text.as_deref());
    for other in [&reference, &from_text] {
        match (&result, other) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{pointer:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{pointer:?}: {a:?} vs {b:?}"),
        }
    }
    if !is_json_pointer(&pointer) {
        let err = result.expect_err("not a JSON Pointer, yet accepted");
        assert!(err.to_string().contains("pointer"), "{err}");
        return;
    }
    if body.is_none() {
        // Into an empty object every valid pointer can be set.
        assert!(result.is_ok(), "{pointer:?}: {result:?}");
    }
    let Ok(report) = result else { return };
    assert_well_formed(linter, &report);
    assert_value_order(&report);
    assert_eq!(report.api, Some(api));
    // The field's report is a subset of the whole body's report.
    let mut whole = body.clone().unwrap_or_else(|| serde_json::json!({}));
    if pointer.is_empty() {
        whole = value.clone();
    } else {
        set_at(&mut whole, &pointer, value.clone());
    }
    if whole.pointer(&pointer) == Some(&value) {
        let full = linter.check_value(api, &whole);
        for d in &report.diagnostics {
            assert!(
                full.diagnostics.contains(d),
                "{d:?} not in the whole body's report"
            );
        }
        assert_no_secret(linter, api, &whole, &report);
    }
});
