//! The check of one field as a form edits it: the value set at a pointer in the body, and the
//! diagnostics that concern the field kept.

use super::entry::json_text;
use super::locate::set_in_tree;
use super::Linter;
use crate::config::ConfigError;
use crate::doc::{Doc, Kind};
use crate::engine::path::parse_pointer;
use crate::json::{self, Span};
use crate::report::Report;
use crate::Api;
use serde_json::Value;

impl Linter {
    /// The diagnostics about one field as the user edits it: `value` is set at `pointer` in
    /// `body` (or an empty object), and the diagnostics kept are those at or under the pointer,
    /// plus those of rules whose condition reads it (`period_type` when `charge_mode` changes).
    pub fn check_field(
        &self,
        api: Api,
        pointer: &str,
        value: &Value,
        body: Option<&Value>,
    ) -> Result<Report, crate::ConfigError> {
        self.field_check(api, pointer, value, body, false)
    }

    /// [`Linter::check_field`] computed the long way: the whole body checked, then the
    /// diagnostics that concern the field kept. `check_field` visits only the field where no
    /// rule's condition reads it; this is the reference it is tested against.
    #[doc(hidden)]
    pub fn check_field_whole_body(
        &self,
        api: Api,
        pointer: &str,
        value: &Value,
        body: Option<&Value>,
    ) -> Result<Report, crate::ConfigError> {
        self.field_check(api, pointer, value, body, true)
    }

    fn field_check(
        &self,
        api: Api,
        pointer: &str,
        value: &Value,
        body: Option<&Value>,
        whole: bool,
    ) -> Result<Report, crate::ConfigError> {
        // Written as JSON and read as the text tree, as `check_value` does.
        let body = body.map(json_text);
        self.field_check_text(api, pointer, &json_text(value), body.as_deref(), whole)
    }

    /// [`Linter::check_field`] on the JSON text of the value and of the body (the browser package
    /// gets both from `JSON.stringify`): read once with the crate's own parser and checked as the
    /// values they denote, as [`Linter::check_value_text`] does. Same verdicts as `check_field`.
    pub fn check_field_text(
        &self,
        api: Api,
        pointer: &str,
        value: &str,
        body: Option<&str>,
    ) -> Result<Report, crate::ConfigError> {
        self.field_check_text(api, pointer, value, body, false)
    }

    fn field_check_text<'t>(
        &self,
        api: Api,
        pointer: &str,
        value: &'t str,
        body: Option<&'t str>,
        whole: bool,
    ) -> Result<Report, crate::ConfigError> {
        let toks = field_pointer(pointer)?;
        if toks.is_empty() {
            return Ok(self.check_value_text(api, value));
        }
        let opts = json::ParseOptions {
            max_depth: usize::MAX,
        };
        let read = |key: &str, text: &'t str| {
            json::parse_with(text, &opts).map_err(|e| ConfigError::Argument {
                key: key.into(),
                reason: format!("not JSON: {e}"),
            })
        };
        let value = read("value", value)?;
        let mut doc = match body {
            Some(text) => {
                let b = read("body", text)?;
                if b.kind() != Kind::Object {
                    return Err(body_not_object());
                }
                b
            }
            None => json::Value {
                span: Span::default(),
                kind: json::Kind::Object(Vec::new()),
            },
        };
        set_in_tree(&mut doc, &toks, value).map_err(bad_pointer)?;
        Ok(self.field_report(api, &doc, pointer, &toks, whole))
    }

    /// The diagnostics that concern the field in `doc` (an object, with the field set): those at
    /// or under its pointer and those of rules whose condition reads it. When no condition reads
    /// it, only the field is visited; else the whole body is checked and the rest dropped (before
    /// any wording).
    fn field_report(
        &self,
        api: Api,
        doc: &json::Value<'_>,
        pointer: &str,
        toks: &[String],
        whole: bool,
    ) -> Report {
        let toks: Vec<&str> = toks.iter().map(String::as_str).collect();
        let engine = self.engine(api);
        let involved: Vec<usize> = engine
            .rules
            .iter()
            .filter(|r| r.cond.is_some_and(|c| cond_reads(&engine.conds[c], &toks)))
            .map(|r| r.global)
            .collect();
        let mut findings = Vec::new();
        if involved.is_empty() && !whole {
            engine.run_member(
                doc,
                &toks,
                &self.context,
                &self.levels,
                &self.generic,
                &mut findings,
            );
        } else {
            self.findings(api, doc, &mut findings);
            findings.retain(|f| {
                let under = f.pointer.strip_prefix(pointer);
                under.is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                    || involved.contains(&f.rule)
            });
        }
        self.value_report(api, findings)
    }
}

/// The tokens of `check_field`'s pointer, or the error naming it.
fn field_pointer(pointer: &str) -> Result<Vec<String>, ConfigError> {
    parse_pointer(pointer).ok_or_else(|| ConfigError::Argument {
        key: "pointer".into(),
        reason: format!("`{pointer}` is not a JSON Pointer (RFC 6901)"),
    })
}

fn body_not_object() -> ConfigError {
    ConfigError::Argument {
        key: "body".into(),
        reason: "the body must be a JSON object".into(),
    }
}

fn bad_pointer(reason: String) -> ConfigError {
    ConfigError::Argument {
        key: "pointer".into(),
        reason,
    }
}

fn cond_reads(c: &crate::engine::cond::Cond, toks: &[&str]) -> bool {
    use crate::engine::cond::Cond;
    match c {
        Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| cond_reads(c, toks)),
        Cond::Not(c) => cond_reads(c, toks),
        Cond::Field { path, .. } => path.matches(toks),
        Cond::Context { .. } => false,
    }
}
