//! Arbitrary bytes through `Linter::check_bytes`, for each API and with detection.
#![no_main]

use hcdb_lint::{detect_api, Linter};
use hcdb_lint_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let api = api_from(sel);
    let linter = Linter::default_ref();
    let report = linter.check_bytes(api, bytes);
    assert_well_formed(linter, &report);
    // Read as a template (expressions, bare values, control blocks): the same invariants, and
    // the verdict without a report agrees with the report.
    let templ = template_linter();
    let t = templ.check_bytes(api, bytes);
    assert_well_formed(templ, &t);
    if let (Some(api), Ok(text)) = (api, std::str::from_utf8(bytes)) {
        assert_eq!(templ.is_valid_str(api, text), !t.has_errors());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        // Invalid UTF-8: exactly one HC013 at the first bad byte.
        assert_eq!(report.diagnostics.len(), 1);
        let d = &report.diagnostics[0];
        assert_eq!(d.rule, "HC013");
        let at = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
        assert_eq!(d.span.map(|s| s.start), Some(at));
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or("");
        assert_eq!((d.line, d.column), {
            let (l, c) = expected_line_col(valid, at);
            (Some(l), Some(c))
        });
        return;
    };
    assert_text_positions(&report, text);
    if let Some(api) = api {
        assert_eq!(report, linter.check_str(api, text));
        // The verdict on text without a report says what the report says.
        assert_eq!(linter.is_valid_str(api, text), !report.has_errors());
    } else {
        assert_eq!(report, linter.check_str_detect(text));
    }
    // For JSON that serde_json also reads, the text and value paths agree (bar text-only rules).
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    // serde_json keeps one of duplicated keys and nests only 128 deep, and reads a number with
    // more digits than a float keeps as another number: no common ground there.
    if !numbers_held_as_written(text, &value)
        || report
            .diagnostics
            .iter()
            .any(|d| matches!(&*d.rule, "HC003" | "HC011" | "HC012"))
    {
        return;
    }
    let Some(api) = api.or_else(|| detect_api(&value)) else {
        if value.is_object() {
            assert!(report.diagnostics.iter().any(|d| d.rule == "HC014"));
        }
        return;
    };
    assert_eq!(report.api, Some(api));
    let from_value = linter.check_value(api, &value);
    assert_eq!(
        verdict(&report, true),
        verdict(&from_value, true),
        "check_str and check_value disagree on {text}"
    );
    assert_no_secret(linter, api, &value, &report);
});
