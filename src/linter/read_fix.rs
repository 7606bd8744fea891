//! Fixes on a body a reader built from a source the user edits (a Terraform module): a rule's
//! fix is offered only when every edit falls on a span the reader says it can rewrite (a value
//! written as a literal), and the reader turns the edits into edits of its own files.

use super::Linter;
use crate::json::{self, LineIndex, Span};
use crate::Api;
use std::borrow::Cow;

impl Linter {
    /// The fixes of the findings on `body` whose edits `fixable` accepts, by rule id and
    /// pointer; positions are in `text`, which the body's spans point into.
    pub(crate) fn read_fixes(
        &self,
        api: Api,
        body: &json::Value<'_>,
        text: &str,
        index: &LineIndex,
        fixable: &dyn Fn(Span) -> bool,
    ) -> Vec<(Cow<'static, str>, String, crate::Fix)> {
        let mut findings = Vec::new();
        self.engine(api).run_template(
            body,
            &self.context,
            &self.levels,
            &self.generic,
            false,
            &mut findings,
        );
        let mut out = Vec::new();
        for f in findings {
            let Some(planned) = self.plan_fix(api, body, &f) else {
                continue;
            };
            if !planned.1.edits.iter().all(|(s, _)| fixable(*s)) {
                continue;
            }
            let rule = Cow::Borrowed(self.docs[f.rule].id.as_str());
            let fix = self.word_fix(planned, &f.params, &f.pointer, text, index);
            out.push((rule, f.pointer, fix));
        }
        out
    }
}
