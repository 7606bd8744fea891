//! Bodies that a reader built from another input (a Terraform plan): the engine judges the body
//! as it judges any other, and the findings are placed by the spans the reader gave its values,
//! which point into the reader's own text.

use super::locate::locate;
use super::Linter;
use crate::engine::{conceal_value, At, Finding, Param};
use crate::json::{self, LineIndex, Span};
use crate::report::{Diagnostic, Report};
use crate::Api;

/// The linter's own rules about inputs that readers use, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReaderRule {
    /// The document is not in a format version this reader knows.
    PlanFormat,
    /// The tool that wrote the document reported errors.
    PlanErrored,
    /// The document leaves changes out.
    PlanIncomplete,
    /// The provider fills a body member from an attribute that means something else.
    ProviderQuirk,
}

impl Linter {
    /// Judge a body a reader built: its values may be unknown ([`json::Kind::Unknown`]), and
    /// the members for which `secret` holds are concealed like the packs' secret members. No
    /// fix is offered: the text is not the body.
    pub(crate) fn check_read(
        &self,
        api: Api,
        body: &json::Value<'_>,
        text: &str,
        index: &LineIndex,
        secret: &dyn Fn(&str) -> bool,
    ) -> Report {
        let mut findings = Vec::new();
        self.engine(api).run_template(
            body,
            &self.context,
            &self.levels,
            &self.generic,
            false,
            &mut findings,
        );
        let mut report = Report {
            api: Some(api),
            ..Report::default()
        };
        for mut f in findings {
            if secret(&f.pointer) {
                conceal_value(&mut f.params, value_at(body, &f.pointer));
            }
            let span = locate(body, &f.pointer, f.at);
            self.push(&mut report, f, Some((span, text, index)));
        }
        report
    }

    /// A finding of one of the readers' rules, worded, at `span` of `text` (`None` when the
    /// rule is off).
    pub(crate) fn reader_diagnostic(
        &self,
        rule: ReaderRule,
        pointer: &str,
        params: Vec<(&'static str, Param)>,
        span: Span,
        text: &str,
        index: &LineIndex,
    ) -> Option<Diagnostic> {
        let rule = match rule {
            ReaderRule::PlanFormat => self.special.plan_format,
            ReaderRule::PlanErrored => self.special.plan_errored,
            ReaderRule::PlanIncomplete => self.special.plan_incomplete,
            ReaderRule::ProviderQuirk => self.special.provider_quirk,
        };
        let mut report = Report::default();
        let f = Finding {
            rule,
            pointer: pointer.to_string(),
            params,
            at: At::Value,
        };
        self.push(&mut report, f, Some((span, text, index)));
        report.diagnostics.pop()
    }

    /// Whether a rule is one of the type rules (a value of the wrong JSON type, or of another
    /// type that the service converts).
    pub(crate) fn is_type_rule(&self, id: &str) -> bool {
        [self.generic.wrong_type, self.generic.coerced_type]
            .iter()
            .any(|&i| self.docs.get(i).is_some_and(|d| d.id == id))
    }

    /// Whether a rule is the one about passwords written in the file.
    pub(crate) fn is_plaintext_rule(&self, id: &str) -> bool {
        self.docs
            .get(self.generic.plaintext_password)
            .is_some_and(|d| d.id == id)
    }

    /// A text of the packs' vocabulary in this linter's language, with `{name}` parameters
    /// filled in.
    pub(crate) fn vocabulary_text(&self, code: &str, params: &[(&str, &str)]) -> String {
        let found = self
            .vocabulary
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .ok()
            .map(|i| self.vocabulary[i].1);
        let mut text = found.unwrap_or_default().to_string();
        for (name, value) in params {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// The value a pointer names in a body, if any.
pub(crate) fn value_at<'v, 'a>(
    body: &'v json::Value<'a>,
    pointer: &str,
) -> Option<&'v json::Value<'a>> {
    let mut node = body;
    for tok in pointer.split('/').skip(1) {
        node = match &node.kind {
            json::Kind::Object(_) => node.get(tok)?,
            json::Kind::Array(items) => items.get(tok.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}
