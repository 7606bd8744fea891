//! Config files: `serde_json::from_slice::<Config>` then `Linter::new` never panic; a linter
//! that compiles checks the examples within the invariants.
#![no_main]

use hcdb_lint::{Config, Linter};
use hcdb_lint_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(config) = serde_json::from_slice::<Config>(data) else {
        return;
    };
    let max_bytes = config.max_input_bytes;
    let Ok(linter) = Linter::new(config) else {
        return;
    };
    for (api, text) in examples().iter().step_by(3) {
        let report = linter.check_str(*api, text);
        assert_well_formed(&linter, &report);
        assert_text_positions(&report, text);
        assert_eq!(linter.is_valid_str(*api, text), !report.has_errors());
        if text.len() > max_bytes {
            assert!(report.diagnostics.iter().all(|d| d.rule == "HC011"));
            continue;
        }
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            let from_value = linter.check_value(*api, &value);
            assert_value_order(&from_value);
            if !report.diagnostics.iter().any(|d| d.rule == "HC012") {
                assert_eq!(verdict(&report, true), verdict(&from_value, true));
            }
            assert_eq!(linter.is_valid(*api, &value), !from_value.has_errors());
            assert_no_secret(&linter, *api, &value, &from_value);
        }
    }
});
