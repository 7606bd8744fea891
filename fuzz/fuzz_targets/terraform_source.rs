//! Arbitrary text through the Terraform source reader, as a `.tf` file and as a `.tf.json`
//! one: no panic, every finding and unknown value placed inside the text, and the fixes, applied,
//! leave a file of the same syntax that reads again (a literal is replaced by a literal).
#![no_main]

use hcdb_lint::terraform::{check_text, SourceReport};
use hcdb_lint::{apply_fixes, FixOptions, Linter};
use libfuzzer_sys::fuzz_target;

fn assert_placed(report: &SourceReport, text: &str) {
    for f in &report.files {
        assert_eq!(f.text, text);
        assert_eq!(f.masked.len(), text.len(), "masking keeps every offset");
        for d in &f.diagnostics {
            assert!(!d.message.trim().is_empty(), "{d:?}");
            let span = d.span.expect("a span");
            assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            assert!(d.line.is_some() && d.column.is_some(), "{d:?}");
            for e in d.fix.iter().flat_map(|f| &f.edits) {
                assert!(e.start.offset <= e.end.offset && e.end.offset <= text.len());
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let linter = Linter::default_ref();
    for name in ["main.tf", "main.tf.json"] {
        let report = check_text(name, text, linter);
        assert_placed(&report, text);
        let diagnostics: Vec<_> = report
            .files
            .iter()
            .flat_map(|f| f.diagnostics.clone())
            .collect();
        let fixed = apply_fixes(text, &diagnostics, FixOptions { unsafe_fixes: true });
        if fixed.applied > 0 {
            let again = check_text(name, &fixed.text, linter);
            let broken = |r: &SourceReport| {
                r.files
                    .iter()
                    .flat_map(|f| &f.diagnostics)
                    .any(|d| d.rule == "HC001")
            };
            assert!(!broken(&again), "a fix broke the syntax: {:?}", fixed.text);
        }
    }
});
