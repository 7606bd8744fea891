use crate::api::detect;
use crate::config::{Config, ConfigError, Lang, RuleSetting, Severity};
use crate::engine::doc::{Doc, Kind};
use crate::engine::pack::{CondDef, Text};
use crate::engine::path::{parse_pointer, unescape_token};
use crate::engine::{At, Engine, Finding, Generic, Levels, Param, Placeholders, RuleIndex};
use crate::json::{self, LineIndex, Span};
use crate::packs::{packs, RuleDoc};
use crate::report::{Diagnostic, Report};
use crate::template::{self, Outcome, Vars};
use crate::Api;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// Rules the linter emits itself, around the engine.
#[derive(Debug, Clone, Default)]
struct Special {
    invalid_json: usize,
    not_object: usize,
    duplicate_key: usize,
    too_large: usize,
    too_deep: usize,
    invalid_utf8: usize,
    unknown_api: usize,
    template_value: usize,
    unknown_value: usize,
}

/// A compiled set of rules: build once with [`Linter::new`], then check many bodies.
#[derive(Debug, Clone)]
pub struct Linter {
    lang: Lang,
    engines: Vec<Engine>,
    docs: &'static [RuleDoc],
    levels: Vec<Option<Severity>>,
    /// `levels` with every rule that is not an error turned off: what [`Linter::is_valid`] runs.
    error_levels: Vec<Option<Severity>>,
    generic: Generic,
    special: Special,
    /// Codes and their wording, sorted by code (API packs' entries over the common pack's).
    vocabulary: Arc<Vec<(String, Text)>>,
    /// Per rule, in this linter's language: the message and help templates, compiled.
    templates: Arc<Vec<[Template; 2]>>,
    /// The message and help of an observed acceptance (the common pack's vocabulary entries
    /// `observed_message` and `observed_help`), compiled.
    observed_templates: Arc<[Template; 2]>,
    context: serde_json::Map<String, Value>,
    max_input_bytes: usize,
    max_depth: usize,
    /// Bodies are read as templates, with these variables (`None`: plain JSON).
    vars: Option<Arc<Vars>>,
}

fn deep_merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => deep_merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

impl Default for Linter {
    fn default() -> Linter {
        Linter::default_ref().clone()
    }
}

impl Linter {
    /// Compile the packs with a configuration. Fails on an unknown rule, a bad option, table or
    /// context key, naming it.
    pub fn new(config: Config) -> Result<Linter, ConfigError> {
        let packs = packs()?;
        let mut levels: Vec<Option<Severity>> = packs
            .docs
            .iter()
            .map(|d| Some(d.default_severity))
            .collect();
        let mut overrides: Vec<Option<serde_json::Map<String, Value>>> = vec![None; levels.len()];
        for (key, setting) in &config.rules {
            let idx = packs
                .ids
                .get(key)
                .ok_or_else(|| ConfigError::UnknownRule { key: key.clone() })?;
            let (level, options) = match setting {
                RuleSetting::Level(l) => (Some(*l), None),
                RuleSetting::Full { severity, options } => (*severity, Some(options)),
            };
            if let Some(l) = level {
                levels[idx] = l.severity();
            }
            if let Some(opts) = options.filter(|o| !o.is_empty()) {
                // The engine's own rules have no check parameters: options would do nothing.
                if packs.docs[idx].api.is_none() {
                    return Err(ConfigError::BadOptions {
                        key: key.clone(),
                        message: "this rule is built into the engine and takes no options".into(),
                    });
                }
                overrides[idx] = Some(opts.clone());
            }
        }
        for key in config.tables.keys() {
            key.parse::<Api>().map_err(|e| ConfigError::BadTables {
                key: key.clone(),
                message: e.to_string(),
            })?;
        }
        let placeholders = Placeholders::from_table(packs.common.tables.get("placeholders"));
        let index = RuleIndex { ids: &packs.ids };
        let mut engines = Vec::with_capacity(3);
        for (api, pack) in Api::ALL.iter().zip(&packs.apis) {
            let mut tables = Value::Object(pack.tables.clone());
            if let Some(over) = config.tables.get(api.id()) {
                for k in over.keys() {
                    if !pack.tables.contains_key(k) {
                        return Err(ConfigError::BadTables {
                            key: format!("{api}.{k}"),
                            message: "the pack has no such table".into(),
                        });
                    }
                }
                deep_merge(&mut tables, &Value::Object(over.clone()));
            }
            let Value::Object(tables) = tables else {
                unreachable!("tables stay an object")
            };
            let engine = Engine::compile(
                pack,
                &index,
                &overrides,
                tables,
                placeholders.clone(),
                config.strict,
            )
            .map_err(|message| {
                // An override is the likeliest cause: name the rule key if one is involved.
                let key = config
                    .rules
                    .keys()
                    .find(|k| {
                        packs.ids.get(k).is_some_and(|i| {
                            crate::engine::contains_str(
                                &message,
                                &format!("rule {}:", packs.docs[i].id),
                            )
                        })
                    })
                    .cloned();
                match key {
                    Some(key) => ConfigError::BadOptions { key, message },
                    None => ConfigError::Pack {
                        pack: api.id().into(),
                        message,
                    },
                }
            })?;
            engines.push(engine);
        }
        let known_context = context_keys(&packs.docs);
        for (k, v) in &config.context {
            if !known_context.contains(&k.as_str()) {
                return Err(ConfigError::BadContext {
                    key: k.clone(),
                    message: format!("unknown context key; known: {}", known_context.join(", ")),
                });
            }
            check_context_value(k, v)?;
        }
        if config.max_depth == 0 || config.max_input_bytes == 0 {
            return Err(ConfigError::BadValue {
                key: "max_depth/max_input_bytes".into(),
                message: "must be greater than 0".into(),
            });
        }
        let id = |s: &str| packs.ids.get(s).unwrap_or(usize::MAX);
        // Common entries first, then each API's; sorted stably and the last of equal codes
        // kept, so that an API's wording wins.
        let mut vocabulary: Vec<(String, Text)> = packs
            .common
            .vocabulary
            .iter()
            .chain(packs.apis.iter().flat_map(|p| &p.vocabulary))
            .cloned()
            .collect();
        crate::sort::sort_by(&mut vocabulary, |a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, Text)> = Vec::with_capacity(vocabulary.len());
        for entry in vocabulary {
            match merged.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => merged.push(entry),
            }
        }
        Ok(Linter {
            lang: config.lang,
            engines,
            docs: &packs.docs,
            error_levels: levels
                .iter()
                .map(|l| l.filter(|s| *s == Severity::Error))
                .collect(),
            levels,
            generic: Generic {
                missing_required: id("missing-required"),
                wrong_type: id("wrong-type"),
                coerced_type: id("coerced-type"),
                null_value: id("null-member"),
                unknown_member: id("unknown-member"),
                placeholder: id("placeholder-value"),
                plaintext_password: id("plaintext-password"),
            },
            special: Special {
                invalid_json: id("invalid-json"),
                not_object: id("not-an-object"),
                duplicate_key: id("duplicate-key"),
                too_large: id("input-too-large"),
                too_deep: id("nesting-too-deep"),
                invalid_utf8: id("invalid-utf8"),
                unknown_api: id("unknown-api"),
                template_value: id("template-value"),
                unknown_value: id("unknown-value"),
            },
            vocabulary: Arc::new(merged),
            observed_templates: Arc::new(["observed_message", "observed_help"].map(|code| {
                let text = packs.common.vocabulary.iter().find(|(k, _)| k == code);
                Template::compile(text.map_or("", |(_, t)| t.get(config.lang)))
            })),
            templates: Arc::new(
                packs
                    .docs
                    .iter()
                    .map(|d| {
                        [
                            Template::compile(d.message.get(config.lang)),
                            Template::compile(d.help.get(config.lang)),
                        ]
                    })
                    .collect(),
            ),
            context: config.context,
            max_input_bytes: config.max_input_bytes,
            max_depth: config.max_depth,
            vars: config.templates.as_ref().map(|t| Arc::new(Vars::new(t))),
        })
    }

    /// The linter with the default configuration, compiled once per process.
    pub fn default_ref() -> &'static Linter {
        static DEFAULT: OnceLock<Linter> = OnceLock::new();
        DEFAULT.get_or_init(|| match Linter::new(Config::default()) {
            Ok(l) => l,
            // The built-in packs are tested to compile; reaching this is a build defect.
            Err(e) => panic!("built-in rule packs do not compile: {e}"),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Every rule, common ones first, then by API.
    pub fn rules(&self) -> &'static [RuleDoc] {
        self.docs
    }

    /// A rule by id or name.
    pub fn rule(&self, key: &str) -> Option<&'static RuleDoc> {
        let docs: &'static [RuleDoc] = self.docs;
        docs.iter().find(|d| d.id == key || d.name == key)
    }

    /// The severity a rule has in this configuration (`None`: off).
    pub fn severity_of(&self, key: &str) -> Option<Severity> {
        let i = self
            .docs
            .iter()
            .position(|d| d.id == key || d.name == key)?;
        self.levels[i]
    }

    pub(crate) fn engine(&self, api: Api) -> &Engine {
        &self.engines[api.index()]
    }

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

    fn check_text(&self, api: Option<Api>, text: &str) -> Report {
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
        let opts = json::ParseOptions {
            max_depth: self.max_depth,
        };
        let parsed = match &self.vars {
            Some(_) => json::parse_template(text, &opts),
            None => json::parse_noting_duplicates(text, &opts),
        };
        let (mut root, maybe_duplicates) = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                let (rule, params) = match e.kind {
                    json::ParseErrorKind::TooDeep { limit } => (
                        self.special.too_deep,
                        vec![("max", Param::Int(limit as i64))],
                    ),
                    ref k => (
                        self.special.invalid_json,
                        vec![("reason", Param::Str(k.describe(self.lang.code())))],
                    ),
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
        let api = match api.or_else(|| detect(&root)) {
            Some(a) => a,
            None => {
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
                        params: Vec::new(),
                        at: At::Value,
                    }
                };
                let index = LineIndex::new(text);
                self.push(&mut report, f, Some((root_span(&root), text, &index)));
                return report;
            }
        };
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
            let n = report.diagnostics.len();
            let params = fix.as_ref().map(|_| f.params.clone());
            let pointer = fix.as_ref().map(|_| f.pointer.clone());
            self.push(&mut report, f, Some((span, text, &index)));
            if let (Some(d), Some(fix), Some(params), Some(pointer)) =
                (report.diagnostics.get_mut(n), fix, params, pointer)
            {
                d.fix = Some(self.word_fix(fix, params, &pointer, text, &index));
            }
        }
        crate::sort::sort_by(&mut report.diagnostics, |a, b| {
            (a.span.map(|s| s.start), &a.pointer).cmp(&(b.span.map(|s| s.start), &b.pointer))
        });
        report
    }

    /// Check a parsed value (from a form, or another Rust program).
    pub fn check_value(&self, api: Api, value: &Value) -> Report {
        if self.vars.is_some() {
            return self.check_value_text(api, &value.to_string());
        }
        let mut findings = Vec::new();
        self.value_findings(api, value, &mut findings);
        self.value_report(api, findings)
    }

    /// Check JSON text exactly as [`Linter::check_value`] checks the value the text denotes: no
    /// input size or nesting limit, no duplicate-key check, no positions. For callers that hold
    /// the JSON text of a value they built (the browser package's `check` gets it from
    /// `JSON.stringify`), so the body is read once instead of being parsed, converted and
    /// written again.
    pub fn check_value_text(&self, api: Api, text: &str) -> Report {
        if let Some(vars) = self.vars.as_deref() {
            return self.template_value_text(api, text, vars);
        }
        let mut findings = Vec::new();
        self.value_text_findings(api, text, &mut findings);
        self.value_report(api, findings)
    }

    /// [`Linter::check_value_text`] reading the value as a template.
    fn template_value_text(&self, api: Api, text: &str, vars: &Vars) -> Report {
        let opts = json::ParseOptions {
            max_depth: usize::MAX,
        };
        let mut findings = Vec::new();
        let mut unknown = Vec::new();
        match json::parse_with(text, &opts) {
            Ok(mut root) => {
                let outcome = template::resolve(&mut root, vars, self.max_depth);
                self.template_findings(api, &root, &self.levels, false, &outcome, &mut findings);
                unknown = outcome.unknown;
            }
            Err(e) => findings.push(Finding {
                rule: self.special.invalid_json,
                pointer: String::new(),
                params: vec![("reason", Param::Str(e.kind.describe(self.lang.code())))],
                at: At::Value,
            }),
        }
        let mut report = self.value_report(api, findings);
        report.unknown = unknown;
        report
    }

    /// The findings on a document read as a template (after [`template::resolve`]): unknown
    /// values stay unjudged, a password that a variable gave is not one written in the file,
    /// and the template pass's own findings are added.
    fn template_findings<D: Doc>(
        &self,
        api: Api,
        root: &D,
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
    fn value_report(&self, api: Api, findings: Vec<Finding>) -> Report {
        let mut report = Report {
            api: Some(api),
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
        self.value_findings_with(api, value, &self.error_levels, true, &mut findings);
        !findings
            .iter()
            .any(|f| self.levels[f.rule] == Some(Severity::Error))
    }

    /// Whether JSON text has no error, as [`Linter::check_str`] would judge it (same limits,
    /// syntax, duplicate keys, severities), without wording any message, indexing lines or
    /// building pointers: the text is parsed once, only the rules whose severity is `error` run,
    /// and the visit stops at the first error. For gates that need a verdict, not a report.
    ///
    /// ```
    /// use hcdb_lint::{Api, Linter};
    /// let linter = Linter::default_ref();
    /// let body = include_str!("../examples/ddm-scale-out.valid.json");
    /// assert!(linter.is_valid_str(Api::DdmScaleOut, body));
    /// assert!(!linter.is_valid_str(Api::DdmScaleOut, r#"{"flavor_id": "f1", "node_number": 0}"#));
    /// assert!(!linter.is_valid_str(Api::DdmScaleOut, "{")); // a syntax error is an error
    /// ```
    pub fn is_valid_str(&self, api: Api, text: &str) -> bool {
        let error = |rule: usize| self.levels.get(rule).copied().flatten() == Some(Severity::Error);
        if text.len() > self.max_input_bytes {
            return !error(self.special.too_large);
        }
        let opts = json::ParseOptions {
            max_depth: self.max_depth,
        };
        let parsed = match &self.vars {
            Some(_) => json::parse_template(text, &opts),
            None => json::parse_noting_duplicates(text, &opts),
        };
        let (mut root, maybe_duplicates) = match parsed {
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
        // In the browser package the engine reads the text tree only (see `value_findings`).
        #[cfg(feature = "compact")]
        {
            let body = body.map(Value::to_string);
            self.field_check_text(api, pointer, &value.to_string(), body.as_deref(), whole)
        }
        #[cfg(not(feature = "compact"))]
        {
            let toks = field_pointer(pointer)?;
            if toks.is_empty() {
                return Ok(self.check_value(api, value));
            }
            let mut doc = match body {
                Some(b @ Value::Object(_)) => b.clone(),
                Some(_) => return Err(body_not_object()),
                None => Value::Object(Default::default()),
            };
            set_at(&mut doc, &toks, value.clone()).map_err(bad_pointer)?;
            Ok(self.field_report(api, &doc, pointer, &toks, whole))
        }
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
            json::parse_with(text, &opts).map_err(|e| ConfigError::BadValue {
                key: key.into(),
                message: format!("not JSON: {e}"),
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
    fn field_report<D: Doc>(
        &self,
        api: Api,
        doc: &D,
        pointer: &str,
        toks: &[String],
        whole: bool,
    ) -> Report {
        let toks: Vec<&str> = toks.iter().map(String::as_str).collect();
        let engine = self.engine(api);
        let involved: Vec<usize> = engine
            .rules
            .iter()
            .filter(|r| r.when.as_ref().is_some_and(|w| cond_reads(w, &toks)))
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

    /// The findings on a parsed value. Natively the engine reads the `serde_json::Value` itself;
    /// with the `compact` feature (the browser package, where size comes first) the value is
    /// written as JSON and read back as the text tree, so that the engine is compiled for one
    /// tree type only. Both give the same findings: the text is exactly the value.
    fn value_findings(&self, api: Api, value: &Value, out: &mut Vec<Finding>) {
        self.value_findings_with(api, value, &self.levels, false, out)
    }

    /// [`Linter::value_findings`] under other severities (see [`Linter::findings_with`]).
    fn value_findings_with(
        &self,
        api: Api,
        value: &Value,
        levels: &Levels,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        #[cfg(not(feature = "compact"))]
        self.findings_with(api, value, levels, first_only, out);
        #[cfg(feature = "compact")]
        self.value_text_findings_with(api, &value.to_string(), levels, first_only, out);
    }

    /// The findings on JSON text that stands for a value: no size or depth limit, no
    /// duplicate-key check (a serialized value has none).
    fn value_text_findings(&self, api: Api, text: &str, out: &mut Vec<Finding>) {
        self.value_text_findings_with(api, text, &self.levels, false, out)
    }

    fn value_text_findings_with(
        &self,
        api: Api,
        text: &str,
        levels: &Levels,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        let opts = json::ParseOptions {
            max_depth: usize::MAX,
        };
        match json::parse_with(text, &opts) {
            Ok(root) => self.findings_with(api, &root, levels, first_only, out),
            // Serialized values are valid JSON; other text gets the syntax error, never a panic.
            Err(e) => out.push(Finding {
                rule: self.special.invalid_json,
                pointer: String::new(),
                params: vec![("reason", Param::Str(e.kind.describe(self.lang.code())))],
                at: At::Value,
            }),
        }
    }

    fn findings<D: Doc>(&self, api: Api, root: &D, out: &mut Vec<Finding>) {
        self.findings_with(api, root, &self.levels, false, out)
    }

    /// [`Linter::findings`] under other severities; `first_only`: stop at the first finding.
    fn findings_with<D: Doc>(
        &self,
        api: Api,
        root: &D,
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

    fn push(&self, report: &mut Report, mut f: Finding, text: Option<(Span, &str, &LineIndex)>) {
        let Some(mut severity) = self.levels.get(f.rule).copied().flatten() else {
            return;
        };
        let docs: &'static [RuleDoc] = self.docs;
        let doc = &docs[f.rule];
        // An observed acceptance (the engine names it by its index in the rule's list): a
        // warning at most, worded from the entry with its evidence.
        let observed = match f.params.last() {
            Some(&("observed", Param::Int(i))) => doc.observed.get(i as usize),
            _ => None,
        };
        let mut evidence = None;
        let [mut message, help] = match observed {
            Some(o) => {
                f.params.pop();
                severity = severity.min(Severity::Warning);
                let lang = self.lang;
                let mut all = f.params.clone();
                all.extend([
                    ("documented", Param::Str(o.documented.get(lang).to_string())),
                    ("accepted", Param::Str(o.accepted.get(lang).to_string())),
                    ("evidence_project", Param::Str(o.source.project.clone())),
                    ("evidence_file", Param::Str(o.source.file.clone())),
                    ("evidence_date", Param::Str(o.source.date.clone())),
                ]);
                evidence = Some((o, lang));
                let [m, h] = &*self.observed_templates;
                [
                    self.render(m, &all, &f.pointer),
                    self.render(h, &all, &f.pointer),
                ]
            }
            None => {
                let [m, h] = &self.templates[f.rule];
                [
                    self.render(m, &f.params, &f.pointer),
                    self.render(h, &f.params, &f.pointer),
                ]
            }
        };
        if message.is_empty() {
            // Every chunk named a parameter that is not given (a secret member's finding keeps
            // no quoted text): the rule's summary still says what is wrong (the browser
            // package's packs carry no summary: then the help, then the rule's name).
            message = [doc.summary.get(self.lang), &help, &doc.name]
                .into_iter()
                .find(|t| !t.is_empty())
                .unwrap_or_default()
                .to_string();
        }
        // Inserted one by one: a collect into a map would sort (one more sort in the module).
        let mut params = serde_json::Map::new();
        for (k, v) in &f.params {
            params.insert(k.to_string(), param_json(v));
        }
        if let Some((o, lang)) = evidence {
            params.insert("documented".into(), o.documented.get(lang).into());
            params.insert("accepted".into(), o.accepted.get(lang).into());
            let mut source = serde_json::Map::new();
            source.insert("project".into(), o.source.project.as_str().into());
            source.insert("file".into(), o.source.file.as_str().into());
            source.insert("date".into(), o.source.date.as_str().into());
            params.insert("evidence".into(), Value::Object(source));
        }
        let (span, line, column, end_line, end_column) = match text {
            Some((span, text, index)) => {
                let (l, c) = index.line_col(text, span.start);
                let (el, ec) = index.line_col(text, span.end);
                (Some(span), Some(l), Some(c), Some(el), Some(ec))
            }
            None => (None, None, None, None, None),
        };
        report.diagnostics.push(Diagnostic {
            rule: Cow::Borrowed(doc.id.as_str()),
            name: Cow::Borrowed(doc.name.as_str()),
            severity,
            pointer: f.pointer,
            message,
            help,
            params,
            span,
            line,
            column,
            end_line,
            end_column,
            fix: None,
        });
    }

    /// Word a compiled template: each chunk is appended whole, or not at all when it names a
    /// parameter that is not given.
    fn render(&self, t: &Template, params: &[(&'static str, Param)], pointer: &str) -> String {
        let mut out = String::with_capacity(t.len + 32);
        for chunk in &t.chunks {
            let mark = out.len();
            for part in chunk {
                match part {
                    Part::Lit(text) => out.push_str(text),
                    Part::Pointer => out.push_str(pointer),
                    Part::Param(name) => match params.iter().find(|(k, _)| k == name) {
                        Some((_, p)) => self.write_param(&mut out, p),
                        None => {
                            out.truncate(mark);
                            break;
                        }
                    },
                }
            }
        }
        out
    }

    fn write_param(&self, out: &mut String, p: &Param) {
        let sep = match self.lang {
            Lang::En => ", ",
            Lang::Zh => "、",
        };
        match p {
            Param::Int(i) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{i}");
            }
            Param::Str(s) => out.push_str(s),
            Param::List(l) => {
                for (i, item) in l.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push_str(item);
                }
            }
            Param::Term(term) => self.write_term(out, term),
            Param::Terms(t) => {
                for (i, term) in t.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    self.write_term(out, term);
                }
            }
        }
    }

    /// A vocabulary code in this linter's language (the code itself when the vocabulary has no
    /// entry).
    fn write_term(&self, out: &mut String, term: &str) {
        match self
            .vocabulary
            .binary_search_by(|(k, _)| k.as_str().cmp(term))
        {
            Ok(i) => out.push_str(self.vocabulary[i].1.get(self.lang)),
            Err(_) => out.push_str(term),
        }
    }

    /// Per-field metadata for forms.
    pub fn fields(&self, api: Api) -> Vec<crate::FieldMeta> {
        crate::meta::fields(self, api)
    }

    /// A JSON Schema (draft 2020-12) of what JSON Schema can say about an API.
    pub fn json_schema(&self, api: Api) -> Value {
        crate::meta::json_schema(self, api)
    }

    /// An API's tables (engines, modes, versions, node counts, labels...) as this linter checks
    /// them: the rule pack's, with the config's `tables` merged in. Editors read them for
    /// engine-aware hints and completion.
    pub fn tables(&self, api: Api) -> &serde_json::Map<String, Value> {
        &self.engine(api).tables
    }

    /// The parameters of each seed table that no rule checks, with the reason.
    pub fn unchecked(&self, api: Api) -> &'static [crate::engine::pack::Unchecked] {
        match packs() {
            Ok(p) => &p.apis[api.index()].unchecked,
            Err(_) => &[],
        }
    }

    pub(crate) fn levels(&self) -> &[Option<Severity>] {
        &self.levels
    }
}

/// A fix planned on the parsed text: the rule's declaration and the edits.
type PlannedFix = (&'static crate::engine::pack::FixDef, crate::fix::Planned);

/// Fixes: planned with the findings on the parsed text, worded with them, applied by
/// [`Linter::fix`].
impl Linter {
    /// The fix of a finding whose rule declares one, if it can be told here.
    fn plan_fix(&self, api: Api, root: &json::Value<'_>, f: &Finding) -> Option<PlannedFix> {
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
            check_kind: doc.check.get("kind").and_then(Value::as_str),
        };
        crate::fix::plan(def.edit, &site).map(|p| (def, p))
    }

    fn word_fix(
        &self,
        (def, planned): PlannedFix,
        mut params: crate::engine::Params,
        pointer: &str,
        text: &str,
        index: &LineIndex,
    ) -> crate::Fix {
        params.push(("replacement", Param::Str(planned.replacement)));
        let template = Template::compile(def.message.get(self.lang));
        let message = self.render(&template, &params, pointer);
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
            let offered = report.diagnostics.iter().filter(|d| keep(d));
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
}

/// A message or help template, read once: `{name}` takes a parameter (`{pointer}` the
/// diagnostic's pointer), `[[ ... ]]` is kept only when every parameter inside it is given, and
/// text outside sections is dropped as a whole when it names a missing parameter.
#[derive(Debug, Clone)]
struct Template {
    /// Appended in order, each whole or not at all. A chunk with an unclosed `{` is never
    /// appended, so it is not kept.
    chunks: Vec<Vec<Part>>,
    len: usize,
}

#[derive(Debug, Clone)]
enum Part {
    Lit(&'static str),
    Param(&'static str),
    Pointer,
}

impl Template {
    fn compile(t: &'static str) -> Template {
        let mut chunks = Vec::new();
        let mut rest = t;
        while let Some(start) = find_pair(rest, b'[') {
            chunks.push(Template::chunk(&rest[..start]));
            let after = &rest[start + 2..];
            let Some(end) = find_pair(after, b']') else {
                // An unclosed `[[` is dropped; what follows is outside text.
                rest = after;
                break;
            };
            chunks.push(Template::chunk(&after[..end]));
            rest = &after[end + 2..];
        }
        chunks.push(Template::chunk(rest));
        Template {
            chunks: chunks
                .into_iter()
                .flatten()
                .filter(|c| !c.is_empty())
                .collect(),
            len: t.len(),
        }
    }

    fn chunk(text: &'static str) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = find_byte(rest, b'{') {
            if open > 0 {
                parts.push(Part::Lit(&rest[..open]));
            }
            let after = &rest[open + 1..];
            let close = find_byte(after, b'}')?;
            let name = &after[..close];
            parts.push(if name == "pointer" {
                Part::Pointer
            } else {
                Part::Param(name)
            });
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest));
        }
        Some(parts)
    }
}

/// The first `c` (ASCII) in `s`. Templates are short: a plain scan beats setting up a searcher.
fn find_byte(s: &str, c: u8) -> Option<usize> {
    s.bytes().position(|b| b == c)
}

/// The first `cc` (`c` twice, ASCII) in `s`.
fn find_pair(s: &str, c: u8) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w[0] == c && w[1] == c)
}

fn param_json(p: &Param) -> Value {
    match p {
        Param::Int(i) => Value::from(*i),
        Param::Str(s) => Value::from(s.clone()),
        Param::List(l) => Value::from(l.clone()),
        Param::Term(t) => Value::from(*t),
        Param::Terms(t) if t.len() == 1 => Value::from(t[0].clone()),
        Param::Terms(t) => Value::from(t.clone()),
    }
}

fn root_span(root: &json::Value<'_>) -> Span {
    Span {
        start: root.span.start,
        end: root.span.start + 1,
    }
}

/// Where a pointer lands in the text: the value for scalars, the key for members that are
/// objects or arrays (one line, not the whole block), the nearest existing parent's key for
/// missing members.
fn locate(root: &json::Value<'_>, pointer: &str, at: At) -> Span {
    // The tokens, unescaped only where they hold a `~` (no allocation for the usual pointer).
    // A pointer that is not one (never made by the engine) locates the root.
    let b = pointer.as_bytes();
    let valid = b.first() == Some(&b'/')
        && (0..b.len()).all(|i| b[i] != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')));
    let toks = pointer.get(1..).filter(|_| valid).map(|p| p.split('/'));
    let mut node = root;
    let mut key_span: Option<Span> = None;
    for raw in toks.into_iter().flatten() {
        let tok: std::borrow::Cow<'_, str> = if raw.contains('~') {
            unescape_token(raw).unwrap_or_default().into()
        } else {
            raw.into()
        };
        let next = match &node.kind {
            json::Kind::Object(_) => node.member(&tok).map(|m| (Some(m.key_span), &m.value)),
            json::Kind::Array(items) => tok
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|v| (None, v)),
            _ => None,
        };
        match next {
            Some((ks, v)) => {
                node = v;
                key_span = ks;
            }
            None => {
                return key_span.unwrap_or(Span {
                    start: node.span.start,
                    end: node.span.start + 1,
                });
            }
        }
    }
    let composite = matches!(node.kind, json::Kind::Object(_) | json::Kind::Array(_));
    match (at, key_span) {
        (At::Key, Some(k)) => k,
        (_, Some(k)) if composite => k,
        _ if composite => Span {
            start: node.span.start,
            end: node.span.start + 1,
        },
        _ => node.span,
    }
}

fn sort_by_pointer(diags: &mut [Diagnostic]) {
    if diags.len() > 1 {
        crate::sort::sort_by(diags, |a, b| pointer_order(&a.pointer, &b.pointer));
    }
}

/// Pointers token by token: array indexes numerically and before member names; a pointer sorts
/// before the pointers under it. Compared in place, without building keys.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    /// The next `/`-separated token (the first is the empty one before the leading `/`).
    fn next<'s>(rest: &mut Option<&'s [u8]>) -> Option<&'s [u8]> {
        let r = (*rest)?;
        match r.iter().position(|&c| c == b'/') {
            Some(i) => {
                *rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                *rest = None;
                Some(r)
            }
        }
    }
    /// A token as an index, if it reads as one (as `usize::from_str` reads it).
    fn index(t: &[u8]) -> Option<usize> {
        match t.first() {
            Some(b'0'..=b'9' | b'+') => std::str::from_utf8(t).ok()?.parse().ok(),
            _ => None,
        }
    }
    if a == b {
        return Ordering::Equal;
    }
    // Tokens before the first differing byte are equal: start at the token holding it.
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let same = ab
        .iter()
        .zip(bb)
        .position(|(x, y)| x != y)
        .unwrap_or(ab.len().min(bb.len()));
    let start = ab[..same]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    let numeric = |p: &[u8]| matches!(p.get(start), Some(b'0'..=b'9' | b'+'));
    if start > 0 && !numeric(ab) && !numeric(bb) {
        // Two member names: the differing byte decides, the end of a token sorting first.
        let at = |p: &[u8]| p.get(same).filter(|&&c| c != b'/').copied();
        return match (at(ab), at(bb)) {
            // One token ends where the other goes on to more tokens.
            (None, None) => ab.len().cmp(&bb.len()),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        };
    }
    let (mut x, mut y) = (Some(&ab[start..]), Some(&bb[start..]));
    loop {
        match (next(&mut x), next(&mut y)) {
            (Some(s), Some(t)) => {
                if s == t {
                    continue;
                }
                let order = match (index(s), index(t)) {
                    (Some(m), Some(n)) => m.cmp(&n),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => s.cmp(t),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// The tokens of `check_field`'s pointer, or the error naming it.
fn field_pointer(pointer: &str) -> Result<Vec<String>, ConfigError> {
    parse_pointer(pointer).ok_or_else(|| ConfigError::BadValue {
        key: "pointer".into(),
        message: format!("`{pointer}` is not a JSON Pointer (RFC 6901)"),
    })
}

fn body_not_object() -> ConfigError {
    ConfigError::BadValue {
        key: "body".into(),
        message: "the body must be a JSON object".into(),
    }
}

fn bad_pointer(message: String) -> ConfigError {
    ConfigError::BadValue {
        key: "pointer".into(),
        message,
    }
}

/// [`set_at`] on the text tree: the member set is the last one of its name (the one the engine
/// reads); what is added has no span.
fn set_in_tree<'t>(
    doc: &mut json::Value<'t>,
    toks: &[String],
    value: json::Value<'t>,
) -> Result<(), String> {
    fn empty(kind: json::Kind<'_>) -> json::Value<'_> {
        json::Value {
            span: Span::default(),
            kind,
        }
    }
    fn child<'n, 't>(
        node: &'n mut json::Value<'t>,
        tok: &str,
        last: bool,
    ) -> Result<&'n mut json::Value<'t>, String> {
        // Filled in where the pointer goes past the end: objects on the way, `null` at the end.
        let fill = || {
            if last {
                empty(json::Kind::Null)
            } else {
                empty(json::Kind::Object(Vec::new()))
            }
        };
        match &mut node.kind {
            json::Kind::Object(members) => {
                let i = match members.iter().rposition(|m| m.key == tok) {
                    Some(i) => i,
                    None => {
                        members.push(json::Member {
                            key: tok.to_string().into(),
                            key_span: Span::default(),
                            value: fill(),
                        });
                        members.len() - 1
                    }
                };
                Ok(&mut members[i].value)
            }
            json::Kind::Array(items) => {
                let i: usize = tok
                    .parse()
                    .map_err(|_| format!("`{tok}` is not an array index"))?;
                if i >= items.len() {
                    items.resize(i + 1, fill());
                }
                Ok(&mut items[i])
            }
            _ if last => Err(format!("cannot set `{tok}` inside a scalar")),
            _ => Err(format!("cannot descend into a scalar at `{tok}`")),
        }
    }
    let Some((last, init)) = toks.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut node = doc;
    for tok in init {
        node = child(node, tok, false)?;
    }
    *child(node, last, true)? = value;
    Ok(())
}

#[cfg(not(feature = "compact"))]
fn set_at(doc: &mut Value, toks: &[String], value: Value) -> Result<(), String> {
    let Some((last, init)) = toks.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut node = doc;
    for tok in init {
        node = match node {
            Value::Object(m) => m
                .entry(tok.clone())
                .or_insert_with(|| Value::Object(Default::default())),
            Value::Array(a) => {
                let i: usize = tok
                    .parse()
                    .map_err(|_| format!("`{tok}` is not an array index"))?;
                if i >= a.len() {
                    a.resize(i + 1, Value::Object(Default::default()));
                }
                &mut a[i]
            }
            _ => return Err(format!("cannot descend into a scalar at `{tok}`")),
        };
    }
    match node {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("`{last}` is not an array index"))?;
            if i >= a.len() {
                a.resize(i + 1, Value::Null);
            }
            a[i] = value;
        }
        _ => return Err(format!("cannot set `{last}` inside a scalar")),
    }
    Ok(())
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

/// The context keys the packs read.
fn context_keys(docs: &[RuleDoc]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    fn from_cond<'a>(c: &'a CondDef, keys: &mut Vec<&'a str>) {
        if let Some(k) = &c.context {
            keys.push(k);
        }
        for list in [&c.all, &c.any].into_iter().flatten() {
            for c in list {
                from_cond(c, keys);
            }
        }
        if let Some(n) = &c.not {
            from_cond(n, keys);
        }
    }
    for d in docs {
        if let Some(k) = d.check.get("key").and_then(Value::as_str) {
            keys.push(k);
        }
        if let Some(w) = &d.when {
            from_cond(w, &mut keys);
        }
    }
    crate::sort::sort_by(&mut keys, |a, b| a.cmp(b));
    keys.dedup();
    keys
}

fn check_context_value(key: &str, v: &Value) -> Result<(), ConfigError> {
    let ok = match v {
        Value::Array(a) => a.iter().all(Value::is_string),
        Value::Number(n) => n.as_i64().is_some(),
        Value::Object(o) => o.values().all(|x| x.as_i64().is_some()),
        Value::Null => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ConfigError::BadContext {
            key: key.to_string(),
            message: "expected a list of strings, a whole number, or an object of whole numbers"
                .into(),
        })
    }
}

// A linter is shared across threads (the CLI, servers): keep it Send + Sync.
const _: fn() = || {
    fn is<T: Send + Sync>() {}
    is::<Linter>();
};

#[cfg(test)]
mod embedded_tests {
    #[test]
    fn compiled_templates_word_as_the_template_reads() {
        use super::{find_byte, find_pair, Linter, Param, Template};
        use crate::config::{Config, Lang};
        // The wording as first written: the template scanned on every call.
        fn fill(l: &Linter, out: &mut String, text: &str, params: &[(&'static str, Param)]) {
            let mark = out.len();
            let mut rest = text;
            while let Some(open) = find_byte(rest, b'{') {
                out.push_str(&rest[..open]);
                let after = &rest[open + 1..];
                let Some(close) = find_byte(after, b'}') else {
                    out.truncate(mark);
                    return;
                };
                let name = &after[..close];
                if name == "pointer" {
                    out.push_str("/p/0");
                } else {
                    match params.iter().find(|(k, _)| *k == name) {
                        Some((_, p)) => l.write_param(out, p),
                        None => {
                            out.truncate(mark);
                            return;
                        }
                    }
                }
                rest = &after[close + 1..];
            }
            out.push_str(rest);
        }
        fn reference(l: &Linter, template: &str, params: &[(&'static str, Param)]) -> String {
            let mut out = String::new();
            let mut rest = template;
            while let Some(start) = find_pair(rest, b'[') {
                fill(l, &mut out, &rest[..start], params);
                let after = &rest[start + 2..];
                let Some(end) = find_pair(after, b']') else {
                    rest = after;
                    break;
                };
                fill(l, &mut out, &after[..end], params);
                rest = &after[end + 2..];
            }
            fill(l, &mut out, rest, params);
            out
        }
        const NAMES: [&str; 12] = [
            "actual",
            "min",
            "max",
            "allowed",
            "value",
            "unit",
            "char",
            "position",
            "member",
            "suggestion",
            "problem",
            "other",
        ];
        let odd: [&'static str; 6] = [
            "plain",
            "{min} to [[{max}]]",
            "[[a {x}]] b {y",
            "c [[{min}",
            "{",
            "x]]{max}[[",
        ];
        let mut worded = 0;
        for lang in [Lang::En, Lang::Zh] {
            let l = Linter::new(Config {
                lang,
                ..Config::default()
            })
            .unwrap();
            let templates = l
                .docs
                .iter()
                .flat_map(|d| [d.message.get(lang), d.help.get(lang)]);
            for t in templates.chain(odd) {
                let compiled = Template::compile(t);
                for skip in 0..=NAMES.len() {
                    let params: Vec<(&'static str, Param)> = NAMES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(i, n)| match i % 4 {
                            0 => (*n, Param::Int(i as i64)),
                            1 => (*n, Param::Str(format!("v{i}"))),
                            2 => (*n, Param::Term("chars")),
                            _ => (*n, Param::List(vec!["x".into(), "y".into()])),
                        })
                        .collect();
                    let want = reference(&l, t, &params);
                    assert_eq!(l.render(&compiled, &params, "/p/0"), want, "{t}");
                    worded += usize::from(want != t);
                }
            }
        }
        assert!(worded > 1000, "templates with parameters: {worded}");
    }

    #[test]
    fn terms_are_worded_by_the_api_packs_over_the_common_pack() {
        use super::{packs, Config, Lang, Linter};
        let packs = packs().unwrap();
        let mut expected = std::collections::BTreeMap::new();
        for (k, t) in packs
            .common
            .vocabulary
            .iter()
            .chain(packs.apis.iter().flat_map(|p| &p.vocabulary))
        {
            expected.insert(k.as_str(), t);
        }
        assert!(expected.len() > 10);
        for lang in [Lang::En, Lang::Zh] {
            let l = Linter::new(Config {
                lang,
                ..Config::default()
            })
            .unwrap();
            for (k, t) in &expected {
                let mut out = String::new();
                l.write_term(&mut out, k);
                assert_eq!(out, t.get(lang), "{k}");
            }
            let mut out = String::new();
            l.write_term(&mut out, "no-such-code");
            assert_eq!(out, "no-such-code");
        }
    }

    #[test]
    fn pointer_order_is_token_order() {
        // The order as first written: split, parse every token.
        fn reference(a: &str, b: &str) -> std::cmp::Ordering {
            fn key(t: &str) -> (u8, usize, &str) {
                match t.parse::<usize>() {
                    Ok(n) => (0, n, ""),
                    Err(_) => (1, 0, t),
                }
            }
            let (mut x, mut y) = (a.split('/'), b.split('/'));
            loop {
                match (x.next(), y.next()) {
                    (Some(s), Some(t)) => match key(s).cmp(&key(t)) {
                        std::cmp::Ordering::Equal => {}
                        other => return other,
                    },
                    (None, None) => return std::cmp::Ordering::Equal,
                    (None, Some(_)) => return std::cmp::Ordering::Less,
                    (Some(_), None) => return std::cmp::Ordering::Greater,
                }
            }
        }
        let tokens = [
            "",
            "a",
            "b",
            "ab",
            "a-b",
            "a.c",
            "-",
            "0",
            "1",
            "01",
            "+1",
            "10",
            "2",
            "é",
            "a~1b",
            "99999999999999999999999",
        ];
        let mut pointers = vec![String::new()];
        for t in tokens {
            pointers.push(format!("/{t}"));
            for u in tokens {
                pointers.push(format!("/{t}/{u}"));
                pointers.push(format!("/{t}/{u}/x"));
            }
        }
        let mut unequal = 0;
        for a in &pointers {
            for b in &pointers {
                assert_eq!(super::pointer_order(a, b), reference(a, b), "{a} vs {b}");
                unequal += usize::from(a != b && reference(a, b).is_eq());
            }
        }
        // `01` and `1` are the same index: the cases reach the tie between different texts.
        assert!(unequal > 0);
    }
}
