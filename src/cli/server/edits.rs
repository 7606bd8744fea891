//! Fixes as edits on the document's text, whatever produced them. Code actions are built from
//! this type only (features::code_actions), so every source of fixes is mapped here.

use super::scan::{Kind, Outline};
use hcdb_lint::Diagnostic;
use serde_json::Value;

/// One fix (one code action): replace each byte range of the document with its text. The
/// ranges do not overlap and refer to the text before the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub title: String,
    pub changes: Vec<((usize, usize), String)>,
    /// Safe to apply without reading it (the editor's "fix all" / preferred action).
    pub preferred: bool,
}

/// The fixes for a diagnostic.
///
/// The core's fix comes first: one `Edit` titled with its message, each of its edits a change
/// by byte offset, preferred ("fix all") when it keeps the meaning. A diagnostic without one
/// may still carry a "did you mean" `suggestion` (several close names, say): the unknown
/// member's key is renamed (HC008), an enumerated value replaced, as a choice for the user.
pub fn fixes(d: &Diagnostic, text: &str, outline: &Outline) -> Vec<Edit> {
    if let Some(fix) = &d.fix {
        return vec![Edit {
            title: fix.message.clone(),
            changes: fix
                .edits
                .iter()
                .map(|e| ((e.start.offset, e.end.offset), e.replacement.clone()))
                .collect(),
            preferred: fix.applicability == hcdb_lint::Applicability::Safe,
        }];
    }
    let Some(suggestion) = d.params.get("suggestion").and_then(Value::as_str) else {
        return Vec::new();
    };
    // A secret member's findings carry no text parameter (the engine drops them), so no
    // suggestion, and no edit, can come from a password.
    let Some(member) = outline.members.iter().find(|m| m.pointer == d.pointer) else {
        return Vec::new();
    };
    let new_text = serde_json::to_string(suggestion).unwrap_or_default();
    if d.rule == "HC008" {
        let span = member.key_span;
        if text.get(span.0..span.1) == Some(new_text.as_str()) {
            return Vec::new();
        }
        return vec![Edit {
            title: format!("Rename `{}` to `{suggestion}`", member.key),
            changes: vec![(span, new_text)],
            preferred: true,
        }];
    }
    match &member.value {
        Some(v) if v.kind == Kind::String => vec![Edit {
            title: format!("Replace with `{suggestion}`"),
            changes: vec![(v.span, new_text)],
            preferred: true,
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcdb_lint::{Api, Linter};

    fn apply(text: &str, e: &Edit) -> String {
        let mut t = text.to_string();
        let mut changes = e.changes.clone();
        changes.sort_by_key(|c| std::cmp::Reverse(c.0));
        for ((a, b), new_text) in changes {
            t.replace_range(a..b, &new_text);
        }
        t
    }

    #[test]
    fn suggestions_become_edits_that_clear_the_finding() {
        let body = r#"{"instance": {"name": "ddm-1", "flavor_id": "f", "node_num": 2, "engine_id": "e",
 "available_zones": ["az1"], "vpc_id": "v", "security_group_id": "s", "subnet_id": "n",
 "time_zone": "utc+08:00", "adminn_user_name": "root"}}"#;
        let l = Linter::default_ref();
        let report = l.check_str(Api::DdmCreateInstance, body);
        let outline = super::super::scan::outline(body);
        let mut fixed = 0;
        for d in &report.diagnostics {
            for e in fixes(d, body, &outline) {
                let after = apply(body, &e);
                let again = l.check_str(Api::DdmCreateInstance, &after);
                assert!(
                    !again
                        .diagnostics
                        .iter()
                        .any(|x| x.rule == d.rule && x.pointer == d.pointer),
                    "{} at {} stays after `{}`",
                    d.rule,
                    d.pointer,
                    e.title
                );
                fixed += 1;
            }
        }
        assert_eq!(fixed, 2, "{:#?}", report.diagnostics);
    }
}
