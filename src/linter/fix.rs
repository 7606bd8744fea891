//! Fixes: planned with the findings on the parsed text, worded with them, applied by
//! [`Linter::fix`].

use super::wording::Template;
use super::Linter;
use crate::engine::{Finding, Param};
use crate::json::{self, LineIndex};
use crate::packs::{packs, RuleDoc};
use crate::report::Diagnostic;
use crate::Api;

/// A fix planned on the parsed text: the rule's declaration and the edits.
pub(super) type PlannedFix = (&'static crate::engine::pack::FixDef, crate::fix::Planned);

impl Linter {
    /// The fix of a finding whose rule declares one, if it can be told here.
    pub(super) fn plan_fix(
        &self,
        api: Api,
        root: &json::Value<'_>,
        f: &Finding,
    ) -> Option<PlannedFix> {
        let docs: &'static [RuleDoc] = self.docs;
        let doc = docs.get(f.rule)?;
        let def = doc.fix.as_ref()?;
        self.levels.get(f.rule).copied().flatten()?;
        let packs = packs().ok()?;
        let site = crate::fix::Site {
            root,
            pointer: &f.pointer,
            params: &f.params,
            fields: &packs.apis[api.index()].fields,
            // The check as this linter compiled it (a config's options included).
            check: (self.engine(api).rules.iter())
                .find(|r| r.global == f.rule)
                .map(|r| &r.check),
        };
        crate::fix::plan(def.edit, &site).map(|p| (def, p))
    }

    pub(super) fn word_fix(
        &self,
        (def, planned): PlannedFix,
        params: &[(&'static str, Param)],
        pointer: &str,
        text: &str,
        index: &LineIndex,
    ) -> crate::Fix {
        let replacement = [("replacement", Param::Str(planned.replacement))];
        let template = Template::compile(def.message.get(self.lang));
        let message = self.render(&template, params, &replacement, pointer);
        let pos = |offset: usize| {
            let (line, column) = index.line_col(text, offset);
            crate::Position {
                line,
                column,
                offset,
            }
        };
        crate::Fix {
            applicability: if planned.choice {
                crate::Applicability::Unsafe
            } else {
                def.applicability
            },
            message,
            edits: planned
                .edits
                .into_iter()
                .map(|(span, replacement)| crate::Edit {
                    start: pos(span.start),
                    end: pos(span.end),
                    replacement,
                })
                .collect(),
        }
    }

    /// Fix JSON text: check it, apply the fixes `options` allows ([`crate::apply_fixes`]), and
    /// again until nothing changes (at most [`crate::MAX_ROUNDS`] rounds), so that fixing the
    /// result again changes nothing. The API is detected when `api` is `None` (once, on the
    /// input). Text that is not JSON, or has duplicate keys, is returned as it is.
    ///
    /// ```
    /// use hcdb_lint::{Api, FixOptions, Linter};
    /// let body = "{\r\n  \"flavor_id\": \"f1\",\r\n  \"node_number\": \"2\"\r\n}";
    /// let fixed = Linter::default_ref().fix(Some(Api::DdmScaleOut), body, FixOptions::default());
    /// assert_eq!(fixed.text, "{\r\n  \"flavor_id\": \"f1\",\r\n  \"node_number\": 2\r\n}");
    /// assert_eq!(fixed.fixed, 1);
    /// assert!(fixed.report.is_clean());
    /// ```
    pub fn fix(&self, api: Option<Api>, text: &str, options: crate::FixOptions) -> crate::Fixed {
        self.fix_where(api, text, options, |_| true)
    }

    /// [`Linter::fix`] applying only the fixes of the diagnostics `keep` accepts (e.g. not
    /// those a configuration ignores).
    pub fn fix_where(
        &self,
        api: Option<Api>,
        text: &str,
        options: crate::FixOptions,
        keep: impl Fn(&Diagnostic) -> bool,
    ) -> crate::Fixed {
        let mut current = text.to_string();
        let mut report = self.check_text(api, &current);
        let api = api.or(report.api);
        let mut fixed = 0;
        for _ in 0..crate::MAX_ROUNDS {
            // A rename goes first, alone: a member's name decides which rules apply (a
            // misspelt `charge_mode` makes the billing members look ignored), so the other
            // fixes are planned again on the renamed text.
            let renames = report.diagnostics.iter().any(|d| {
                keep(d)
                    && d.fix
                        .as_ref()
                        .is_some_and(|f| options.allows(f.applicability))
                    && self.renames(d)
            });
            let offered = report
                .diagnostics
                .iter()
                .filter(|d| keep(d) && (!renames || self.renames(d)));
            let applied =
                crate::fix::apply(&current, offered.filter_map(|d| d.fix.as_ref()), options);
            if applied.applied == 0 || applied.text == current {
                break;
            }
            fixed += applied.applied;
            current = applied.text;
            report = self.check_text(api, &current);
        }
        crate::Fixed {
            text: current,
            fixed,
            report,
        }
    }

    /// Whether `d`'s rule fixes by renaming the member.
    fn renames(&self, d: &Diagnostic) -> bool {
        self.rule(&d.rule)
            .and_then(|r| r.fix.as_ref())
            .is_some_and(|f| f.edit == crate::FixEdit::Rename)
    }
}
