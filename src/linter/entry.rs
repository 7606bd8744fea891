//! The entry points: checking JSON text, bytes and parsed values into a [`Report`], and the
//! verdict-only checks ([`Linter::is_valid`], [`Linter::is_valid_str`]).

use super::fix::PlannedFix;
use super::locate::{locate, root_span, sort_by_pointer};
use super::Linter;
use crate::api::{recognize, Verdict};
use crate::config::Severity;
use crate::doc::{Doc, Kind};
use crate::engine::{At, Finding, Levels, Param};
use crate::json::{self, LineIndex, Span};
use crate::report::Report;
use crate::template::{self, Outcome, Unknown};
use crate::Api;
use serde_json::Value;

impl Linter {
    /// Check JSON text: byte spans, line/column, duplicate keys, syntax errors.
    pub fn check_str(&self, api: Api, text: &str) -> Report {
        self.check_text(Some(api), text)
    }

    /// Check JSON text whose API is detected from its members.
    pub fn check_str_detect(&self, text: &str) -> Report {
        self.check_text(None, text)
    }

    /// Check raw bytes: invalid UTF-8 is a diagnostic with its position.
    pub fn check_bytes(&self, api: Option<Api>, bytes: &[u8]) -> Report {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.check_text(api, text),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                let at = e.valid_up_to();
                let finding = Finding {
                    rule: self.special.invalid_utf8,
                    pointer: String::new(),
                    params: vec![("offset", Param::Int(at as i64))],
                    at: At::Value,
                };
                let mut report = Report {
                    api,
                    ..Report::default()
                };
                let idx = LineIndex::new(valid);
                self.push(
                    &mut report,
                    finding,
                    Some((
                        Span {
                            start: at,
                            end: at + 1,
                        },
                        valid,
                        &idx,
                    )),
                );
                report
            }
        }
    }

    /// Why a body was not judged as a covered API's, in the linter's language.
    fn unrecognized_reason(&self, verdict: Option<&Verdict>) -> String {
        match (verdict, self.lang) {
            (Some(Verdict::Uncovered { title, .. }), crate::Lang::En) => {
                format!("it is a body of another API, which hcdb-lint does not cover: {title}")
            }
            (Some(Verdict::Uncovered { title, .. }), crate::Lang::Zh) => {
                format!("它是 hcdb-lint 未覆盖的其他接口的请求体:{title}")
            }
            (_, crate::Lang::En) => {
                "it has too few of any API's members with their types".to_string()
            }
            (_, crate::Lang::Zh) => "它所含任一接口的成员(及其类型)过少".to_string(),
        }
    }

    pub(super) fn check_text(&self, api: Option<Api>, text: &str) -> Report {
        let mut report = Report {
            api,
            ..Report::default()
        };
        if text.len() > self.max_input_bytes {
            let f = Finding {
                rule: self.special.too_large,
                pointer: String::new(),
                params: vec![
                    ("actual", Param::Int(text.len() as i64)),
                    ("max", Param::Int(self.max_input_bytes as i64)),
                ],
                at: At::Value,
            };
            // Point at the first character; index only a short prefix, not the whole input.
            let mut chars = text.char_indices().map(|(i, c)| i + c.len_utf8());
            let first = chars.next().unwrap_or(0);
            let prefix = &text[..chars.next().unwrap_or(first)];
            let span = Span {
                start: 0,
                end: first,
            };
            self.push(
                &mut report,
                f,
                Some((span, prefix, &LineIndex::new(prefix))),
            );
            return report;
        }
        let (mut root, maybe_duplicates) = match self.parse_body(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let (rule, params) = match e.kind {
                    json::ParseErrorKind::TooDeep { limit } => (
                        self.special.too_deep,
                        vec![("max", Param::Int(limit as i64))],
                    ),
                    ref k => {
                        // Inside a secret member's value, the reason names no character of it.
                        let secret = json::member_at(text, e.offset)
                            .is_some_and(|path| crate::api::is_secret(api, &path));
                        let reason = match (secret, self.lang) {
                            (false, _) => k.describe(self.lang.code()),
                            (true, crate::Lang::En) => {
                                "the value of a secret member is not valid JSON (not shown; \
                                 write it as a string in double quotes)"
                                    .to_string()
                            }
                            (true, crate::Lang::Zh) => {
                                "密码类成员的值不是合法的 JSON(不显示其内容；请写成双引号字符串)"
                                    .to_string()
                            }
                        };
                        (
                            self.special.invalid_json,
                            vec![("reason", Param::Str(reason))],
                        )
                    }
                };
                let f = Finding {
                    rule,
                    pointer: String::new(),
                    params,
                    at: At::Value,
                };
                let span = Span {
                    start: e.offset,
                    end: (e.offset + 1).min(text.len()).max(e.offset),
                };
                // Lines indexed only as far as the error (a body being typed is often cut short
                // near its top).
                let index = LineIndex::up_to(text, span.end.saturating_add(1));
                self.push(&mut report, f, Some((span, text, &index)));
                return report;
            }
        };
        let outcome = self
            .vars
            .as_deref()
            .map(|vars| template::resolve(&mut root, vars, self.max_depth));
        let recognition = api.is_none().then(|| recognize(&root));
        let api = match (api, recognition.as_ref().map(|r| &r.verdict)) {
            (Some(a), _) => a,
            (None, Some(Verdict::Body(a))) => *a,
            (None, verdict) => {
                // A body that is not an object is that error whatever the API (docs/reading-the-pages.md#types).
                let f = if root.kind() != Kind::Object {
                    Finding {
                        rule: self.special.not_object,
                        pointer: String::new(),
                        params: vec![("actual", Param::Term(root.kind().name()))],
                        at: At::Value,
                    }
                } else {
                    Finding {
                        rule: self.special.unknown_api,
                        pointer: String::new(),
                        params: vec![("reason", Param::Str(self.unrecognized_reason(verdict)))],
                        at: At::Value,
                    }
                };
                report.recognition = recognition;
                let index = LineIndex::new(text);
                self.push(&mut report, f, Some((root_span(&root), text, &index)));
                return report;
            }
        };
        report.recognition = recognition;
        report.api = Some(api);
        let mut findings = Vec::new();
        match outcome {
            Some(outcome) => {
                self.template_findings(api, &root, &self.levels, false, &outcome, &mut findings);
                report.unknown = outcome.unknown;
            }
            None => self.findings(api, &root, &mut findings),
        }
        if !report.unknown.is_empty() {
            let end = report
                .unknown
                .iter()
                .map(|u| locate(&root, &u.pointer, At::Value).start);
            let index = LineIndex::up_to(text, end.max().unwrap_or(0).saturating_add(1));
            for u in &mut report.unknown {
                let span = locate(&root, &u.pointer, At::Value);
                let (l, c) = index.line_col(text, span.start);
                (u.line, u.column) = (Some(l), Some(c));
            }
        }
        let duplicates = if maybe_duplicates {
            json::find_duplicates(&root)
        } else {
            Vec::new()
        };
        // A body with duplicate keys is never rewritten: which member counts is unclear.
        let fixable = duplicates.is_empty();
        for (segs, key_span) in duplicates {
            let member = match segs.last() {
                Some(json::Segment::Key(k)) => k.clone(),
                _ => String::new(),
            };
            findings.push(Finding {
                rule: self.special.duplicate_key,
                pointer: json::to_pointer(&segs),
                params: vec![
                    ("member", Param::Str(member)),
                    ("offset", Param::Int(key_span.start as i64)),
                ],
                at: At::Key,
            });
        }
        if findings.is_empty() {
            return report;
        }
        let located: Vec<(Finding, Span, Option<PlannedFix>)> = findings
            .into_iter()
            .map(|f| {
                let span = locate(&root, &f.pointer, f.at);
                let fix = if fixable {
                    // The tree holds substituted variables where the text holds their template
                    // expressions: an edit over an expression would write the variable's value
                    // into the template (and drop the expression). Never offered.
                    self.plan_fix(api, &root, &f).filter(|(_, p)| {
                        p.edits.iter().all(|(e, _)| {
                            text.get(e.start..e.end)
                                .is_some_and(|t| crate::template::scan(t).is_empty())
                        })
                    })
                } else {
                    None
                };
                (f, span, fix)
            })
            .collect();
        // Lines are indexed only as far as the last diagnostic or edit reaches.
        let end = located
            .iter()
            .map(|(_, s, fix)| {
                let edits = fix.iter().flat_map(|p| &p.1.edits);
                edits.map(|(e, _)| e.end).fold(s.end, usize::max)
            })
            .max()
            .unwrap_or(0);
        let index = LineIndex::up_to(text, end.saturating_add(1));
        report.diagnostics.reserve(located.len());
        for (f, span, fix) in located {
            // Worded from the finding before it moves into its diagnostic.
            let fix = fix.map(|fix| self.word_fix(fix, &f.params, &f.pointer, text, &index));
            let n = report.diagnostics.len();
            self.push(&mut report, f, Some((span, text, &index)));
            if let (Some(d), Some(fix)) = (report.diagnostics.get_mut(n), fix) {
                d.fix = Some(fix);
            }
        }
        super::locate::sort_diagnostics(&mut report.diagnostics, |a, b| {
            (a.span.map(|s| s.start), &a.pointer).cmp(&(b.span.map(|s| s.start), &b.pointer))
        });
        report
    }

    /// Check a parsed value (from a form, or another Rust program). The value is written as JSON
    /// and read as the text tree, the one tree the engine reads: [`Linter::check_value_text`].
    pub fn check_value(&self, api: Api, value: &Value) -> Report {
        self.check_value_text(api, &json_text(value))
    }

    /// Check JSON text exactly as [`Linter::check_value`] checks the value the text denotes: no
    /// input size or nesting limit, no duplicate-key check, no positions. For callers that hold
    /// the JSON text of a value they built (the browser package's `check` gets it from
    /// `JSON.stringify`), so the body is read once instead of being parsed, converted and
    /// written again.
    pub fn check_value_text(&self, api: Api, text: &str) -> Report {
        let mut findings = Vec::new();
        let unknown = self.value_text_findings_with(api, text, &self.levels, false, &mut findings);
        let mut report = self.value_report(api, findings);
        report.unknown = unknown;
        report
    }

    /// The findings on a document read as a template (after [`template::resolve`]): unknown
    /// values stay unjudged, a password that a variable gave is not one written in the file,
    /// and the template pass's own findings are added.
    fn template_findings(
        &self,
        api: Api,
        root: &json::Value<'_>,
        levels: &Levels,
        first_only: bool,
        outcome: &Outcome,
        out: &mut Vec<Finding>,
    ) {
        if root.kind() != Kind::Object {
            self.findings_with(api, root, levels, first_only, out);
        } else {
            self.engine(api).run_template(
                root,
                &self.context,
                levels,
                &self.generic,
                first_only,
                out,
            );
        }
        if !outcome.injected.is_empty() {
            let plaintext = self.generic.plaintext_password;
            out.retain(|f| f.rule != plaintext || !outcome.injected.contains(&f.pointer));
        }
        for (pointer, variable) in &outcome.invalid {
            out.push(Finding {
                rule: self.special.template_value,
                pointer: pointer.clone(),
                params: vec![("variable", Param::Str(variable.clone()))],
                at: At::Value,
            });
        }
        if self.vars.as_ref().is_some_and(|t| t.fail_on_unknown) {
            for u in &outcome.unknown {
                out.push(Finding {
                    rule: self.special.unknown_value,
                    pointer: u.pointer.clone(),
                    params: vec![("expression", Param::Str(u.expression.clone()))],
                    at: At::Value,
                });
            }
        }
    }

    /// Diagnostics without positions, in pointer order (value input).
    pub(super) fn value_report(&self, api: Api, findings: Vec<Finding>) -> Report {
        let mut report = Report {
            api: Some(api),
            recognition: None,
            diagnostics: Vec::with_capacity(findings.len()),
            unknown: Vec::new(),
        };
        for f in findings {
            self.push(&mut report, f, None);
        }
        sort_by_pointer(&mut report.diagnostics);
        report
    }

    /// Whether a value has no error, without wording any message.
    ///
    /// Only the rules whose severity is `error` run, and the visit stops at the first error: no
    /// info or warning is looked for, and an invalid body costs less than a valid one.
    pub fn is_valid(&self, api: Api, value: &Value) -> bool {
        if self.vars.is_some() {
            return !self.check_value(api, value).has_errors();
        }
        let mut findings = Vec::new();
        let text = json_text(value);
        self.value_text_findings_with(api, &text, &self.error_levels, true, &mut findings);
        !findings
            .iter()
            .any(|f| self.levels[f.rule] == Some(Severity::Error))
    }

    /// A body's text parsed as this linter reads bodies (as a template when it has variables),
    /// with whether a key may be repeated.
    #[inline]
    fn parse_body<'t>(&self, text: &'t str) -> Result<(json::Value<'t>, bool), json::ParseError> {
        let opts = json::ParseOptions {
            max_depth: self.max_depth,
        };
        match &self.vars {
            Some(_) => crate::template::parse(text, &opts),
            None => json::parse_noting_duplicates(text, &opts),
        }
    }

    /// Whether JSON text has no error, as [`Linter::check_str`] would judge it (same limits,
    /// syntax, duplicate keys, severities), without wording any message, indexing lines or
    /// building pointers: the text is parsed once, only the rules whose severity is `error` run,
    /// and the visit stops at the first error. For gates that need a verdict, not a report.
    ///
    /// ```
    /// use hcdb_lint::{Api, Linter};
    /// let linter = Linter::default_ref();
    /// let body = include_str!("../../examples/ddm-scale-out.valid.json");
    /// assert!(linter.is_valid_str(Api::DdmScaleOut, body));
    /// assert!(!linter.is_valid_str(Api::DdmScaleOut, r#"{"flavor_id": "f1", "node_number": 0}"#));
    /// assert!(!linter.is_valid_str(Api::DdmScaleOut, "{")); // a syntax error is an error
    /// ```
    pub fn is_valid_str(&self, api: Api, text: &str) -> bool {
        let error = |rule: usize| self.levels.get(rule).copied().flatten() == Some(Severity::Error);
        if text.len() > self.max_input_bytes {
            return !error(self.special.too_large);
        }
        let (mut root, maybe_duplicates) = match self.parse_body(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                return !error(match e.kind {
                    json::ParseErrorKind::TooDeep { .. } => self.special.too_deep,
                    _ => self.special.invalid_json,
                })
            }
        };
        let mut findings = Vec::new();
        match self.vars.as_deref() {
            Some(vars) => {
                let outcome = template::resolve(&mut root, vars, self.max_depth);
                let levels = &self.error_levels;
                self.template_findings(api, &root, levels, true, &outcome, &mut findings);
            }
            None => self.findings_with(api, &root, &self.error_levels, true, &mut findings),
        }
        if findings.iter().any(|f| error(f.rule)) {
            return false;
        }
        // Looked for last, and only when duplicate keys are errors (no list is built for none).
        !error(self.special.duplicate_key)
            || !maybe_duplicates
            || json::find_duplicates(&root).is_empty()
    }

    /// The findings on JSON text that stands for a value: no size or depth limit, no
    /// duplicate-key check (a serialized value has none). Read as a template when the linter
    /// has variables: the values a template fills in are returned.
    fn value_text_findings_with(
        &self,
        api: Api,
        text: &str,
        levels: &Levels,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) -> Vec<Unknown> {
        let opts = json::ParseOptions {
            max_depth: usize::MAX,
        };
        match json::parse_with(text, &opts) {
            Ok(mut root) => match self.vars.as_deref() {
                Some(vars) => {
                    let outcome = template::resolve(&mut root, vars, self.max_depth);
                    self.template_findings(api, &root, levels, first_only, &outcome, out);
                    return outcome.unknown;
                }
                None => self.findings_with(api, &root, levels, first_only, out),
            },
            // Serialized values are valid JSON; other text gets the syntax error, never a panic.
            Err(e) => out.push(Finding {
                rule: self.special.invalid_json,
                pointer: String::new(),
                params: vec![("reason", Param::Str(e.kind.describe(self.lang.code())))],
                at: At::Value,
            }),
        }
        Vec::new()
    }

    pub(super) fn findings(&self, api: Api, root: &json::Value<'_>, out: &mut Vec<Finding>) {
        self.findings_with(api, root, &self.levels, false, out)
    }

    /// [`Linter::findings`] under other severities; `first_only`: stop at the first finding.
    fn findings_with(
        &self,
        api: Api,
        root: &json::Value<'_>,
        levels: &Levels,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        if root.kind() != Kind::Object {
            out.push(Finding {
                rule: self.special.not_object,
                pointer: String::new(),
                params: vec![("actual", Param::Term(root.kind().name()))],
                at: At::Value,
            });
            return;
        }
        self.engine(api)
            .run(root, &self.context, levels, &self.generic, first_only, out);
    }
}

/// A value's JSON text, as the engine reads it. Serialized to bytes, not through `Display`'s
/// formatter (which writes piece by piece); a value always serializes, the fallback is never
/// taken.
pub(super) fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}
