//! The plan reader: a Terraform or OpenTofu plan document (`terraform show -json PLAN`) read as
//! the bodies its changes send.
//!
//! The document is skimmed with serde_json, keeping only byte ranges of what it does not need to
//! read, so a plan of many megabytes costs little more than a pass over its bytes. Only the
//! changes of the types the mapping covers are read into span-carrying trees, whose spans point
//! into the plan: every finding is placed at its attribute's value in `change.after`.

use super::judge::{judge, Resource};
use super::mapping::{self, Attrs, Skip};
use super::{PlanReport, ResourceVerdict};
use crate::engine::Param;
use crate::json::{self, Kind, LineIndex, Member, Span, Value};
use crate::linter::ReaderRule;
use crate::Linter;
use bumpalo::Bump;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The top level of a plan document: only what the reader uses, each kept as its text.
#[derive(Deserialize)]
struct PlanDoc<'a> {
    #[serde(borrow)]
    format_version: Option<&'a RawValue>,
    #[serde(borrow)]
    terraform_version: Option<&'a RawValue>,
    #[serde(borrow)]
    resource_changes: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    planned_values: Option<&'a RawValue>,
    #[serde(borrow)]
    prior_state: Option<&'a RawValue>,
    #[serde(borrow)]
    errored: Option<&'a RawValue>,
    #[serde(borrow)]
    complete: Option<&'a RawValue>,
    #[serde(borrow)]
    deferred_changes: Option<&'a RawValue>,
    #[serde(borrow)]
    configuration: Option<&'a RawValue>,
}

/// One `resource_changes` entry, its change kept as text until its type is known.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type")]
    resource_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    provider_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    change: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Deferred<'a> {
    #[serde(borrow, default)]
    resource_change: Option<Entry<'a>>,
}

/// The configuration's modules: which attributes each resource sets, and how.
#[derive(Deserialize, Default)]
struct ConfigModule<'a> {
    #[serde(borrow, default)]
    resources: Vec<ConfigResource<'a>>,
    #[serde(borrow, default)]
    module_calls: BTreeMap<String, ModuleCall<'a>>,
}

#[derive(Deserialize)]
struct ModuleCall<'a> {
    #[serde(borrow, default)]
    module: Option<ConfigModule<'a>>,
}

#[derive(Deserialize)]
struct ConfigResource<'a> {
    #[serde(borrow, default)]
    address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Configuration<'a> {
    #[serde(borrow, default)]
    root_module: Option<ConfigModule<'a>>,
}

/// Whether a text is a plan document: an object with a `format_version` string and one of the
/// members every plan has.
pub fn is_plan(text: &str) -> bool {
    skim(text).is_some()
}

fn skim(text: &str) -> Option<PlanDoc<'_>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: PlanDoc = serde_json::from_str(body).ok()?;
    let version: String = serde_json::from_str(doc.format_version?.get()).ok()?;
    let plan_member = doc.resource_changes.is_some()
        || doc.planned_values.is_some()
        || doc.prior_state.is_some()
        || doc.terraform_version.is_some();
    (plan_member && !version.is_empty()).then_some(doc)
}

/// Check a plan document: `None` when the text is not one ([`is_plan`]). `linter_for` gives the
/// linter for a resource address (a configuration may set rules per address).
pub fn check_plan_with<'l>(
    text: &str,
    linter_for: &dyn Fn(&str) -> &'l Linter,
) -> Option<PlanReport> {
    let doc = skim(text)?;
    let mut report = PlanReport::default();
    let reader = Reader::new(text, &doc, linter_for);
    if !reader.header(&doc, &mut report) {
        return Some(report);
    }
    for raw in doc.resource_changes.iter().flatten() {
        reader.entry(raw, &mut report);
    }
    let deferred: Vec<Deferred> = doc
        .deferred_changes
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default();
    for d in deferred.into_iter().filter_map(|d| d.resource_change) {
        if let Some(v) = reader.verdict(&d, "deferred") {
            report.resources.push(v);
        }
    }
    report.diagnostics.sort_by(|a, b| {
        (a.span.map(|s| s.start), &a.pointer).cmp(&(b.span.map(|s| s.start), &b.pointer))
    });
    Some(report)
}

struct Reader<'t, 'l> {
    text: &'t str,
    /// Lines, indexed when the first finding needs them (most plans have no covered resource).
    index: std::cell::OnceCell<LineIndex>,
    linter_for: &'t dyn Fn(&str) -> &'l Linter,
    config: Option<ConfigModule<'t>>,
}

impl<'t, 'l> Reader<'t, 'l> {
    fn new(text: &'t str, doc: &PlanDoc<'t>, linter_for: &'t dyn Fn(&str) -> &'l Linter) -> Self {
        let config = doc
            .configuration
            .and_then(|raw| serde_json::from_str::<Configuration>(raw.get()).ok())
            .and_then(|c| c.root_module);
        Reader {
            text,
            index: std::cell::OnceCell::new(),
            linter_for,
            config,
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }

    /// Where a piece of the document is in the text.
    fn span(&self, raw: &RawValue) -> Span {
        let start = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        Span::new(start, start + raw.get().len())
    }

    /// The findings about the document itself; `false` when its format is not one this reads.
    fn header(&self, doc: &PlanDoc<'t>, report: &mut PlanReport) -> bool {
        let linter = (self.linter_for)("");
        let mut say = |rule, params, raw: &RawValue| {
            let span = self.span(raw);
            if let Some(d) =
                linter.reader_diagnostic(rule, "", params, span, self.text, self.index())
            {
                report.diagnostics.push(d);
            }
        };
        if let Some(raw) = doc.format_version {
            let version: String = serde_json::from_str(raw.get()).unwrap_or_default();
            if !matches!(version.split('.').next(), Some("0" | "1")) {
                say(
                    ReaderRule::PlanFormat,
                    vec![("version", Param::Str(version))],
                    raw,
                );
                return false;
            }
        }
        if let Some(raw) = doc.errored.filter(|r| r.get() == "true") {
            say(ReaderRule::PlanErrored, Vec::new(), raw);
        }
        let deferred = doc
            .deferred_changes
            .and_then(|raw| serde_json::from_str::<Vec<&RawValue>>(raw.get()).ok())
            .map_or(0, |d| d.len());
        let incomplete = doc.complete.filter(|r| r.get() == "false");
        if let Some(raw) = incomplete.or(doc.deferred_changes.filter(|_| deferred > 0)) {
            say(
                ReaderRule::PlanIncomplete,
                vec![("deferred", Param::Int(deferred as i64))],
                raw,
            );
        }
        true
    }

    /// A change's verdict when it is of a covered type (`None` otherwise), not linted for
    /// `reason`.
    fn verdict(&self, e: &Entry<'_>, reason: &str) -> Option<ResourceVerdict> {
        let ty = e.resource_type.as_deref()?;
        if e.mode.as_deref().is_some_and(|m| m != "managed") {
            return None;
        }
        mapping::mapping().resource(ty)?;
        Some(ResourceVerdict {
            address: e.address.as_deref().unwrap_or_default().to_string(),
            resource_type: ty.to_string(),
            actions: raw_actions(e.change),
            api: None,
            not_linted: Some(reason.to_string()),
        })
    }

    /// One `resource_changes` entry: linted when its type is covered and its change sends a
    /// body; its verdict recorded either way.
    fn entry(&self, raw: &'t RawValue, report: &mut PlanReport) {
        // Most of a plan is other providers' resources: a look for the covered types' prefix
        // costs far less than reading the entry.
        if !raw.get().contains(mapping::mapping().type_prefix()) {
            return;
        }
        let Ok(e) = serde_json::from_str::<Entry>(raw.get()) else {
            return;
        };
        let Some(mut verdict) = self.verdict(&e, "unreadable") else {
            return;
        };
        // The provider the mapping was read from (its source address, any registry host).
        let provider = mapping::mapping()
            .resource(&verdict.resource_type)
            .map_or("", |(family, _)| family.provider.as_str());
        let from_provider = e
            .provider_name
            .as_deref()
            .is_none_or(|p| p.ends_with(provider));
        if !from_provider {
            verdict.not_linted = Some("other-provider".into());
            report.resources.push(verdict);
            return;
        }
        let linter = (self.linter_for)(&verdict.address);
        let change = e.change.and_then(|c| self.parse(c, linter.max_depth()));
        if let Some(change) = change {
            verdict.actions = actions(&change);
            verdict.not_linted = None;
            match self.lint(&e, &change, &verdict, linter, report) {
                Ok(api) => verdict.api = Some(api),
                Err(reason) => verdict.not_linted = Some(reason.into()),
            }
        }
        report.resources.push(verdict);
    }

    /// A piece of the document as a tree whose spans point into the whole text.
    fn parse(&self, raw: &'t RawValue, max_depth: usize) -> Option<Value<'t>> {
        let opts = json::ParseOptions { max_depth };
        let mut v = json::parse_with(raw.get(), &opts).ok()?;
        shift(&mut v, self.span(raw).start);
        Some(v)
    }

    /// Build and judge the body a change sends; the reason when it sends none that is linted.
    fn lint(
        &self,
        e: &Entry<'_>,
        change: &Value<'t>,
        verdict: &ResourceVerdict,
        linter: &Linter,
        report: &mut PlanReport,
    ) -> Result<crate::Api, &'static str> {
        let creates = sends_body(&verdict.actions)?;
        let Some((_, res)) = mapping::mapping().resource(&verdict.resource_type) else {
            return Err("unreadable");
        };
        let expressions = self.expressions(e);
        let mut after = change.get("after").cloned().unwrap_or(Value {
            span: change.span,
            kind: Kind::Object(Vec::new()),
        });
        if let Some(unknown) = change.get("after_unknown") {
            mark_unknown(&mut after, unknown, &|top| {
                expression_text(&expressions, top)
            });
        }
        let is_configured = |top: &str| expressions.as_ref().is_some_and(|x| x.get(top).is_some());
        let configured: Option<&dyn Fn(&str) -> bool> = expressions
            .as_ref()
            .map(|_| &is_configured as &dyn Fn(&str) -> bool);
        let attrs = Attrs {
            after: &after,
            before: change.get("before"),
            configured,
        };
        let build = if creates {
            mapping::select_create(res, &attrs)
        } else {
            mapping::select_update(res, &attrs)
        }
        .map_err(skip_reason)?;
        let arena = Bump::new();
        let built = mapping::build(build, &attrs, after.span, &arena);
        let sensitive = Sensitive::of(change);
        let is_sensitive = |attr: &str| sensitive.covers(attr);
        let literal = |attr: &str| {
            let top = attr.split(['.', '[']).next().unwrap_or(attr);
            expressions.as_ref().map(|x| is_literal(x.get(top)))
        };
        let res = Resource {
            address: &verdict.address,
            resource_type: &verdict.resource_type,
            sensitive: &is_sensitive,
            literal: &literal,
        };
        judge(linter, &built, &res, self.text, self.index(), report);
        Ok(built.api())
    }

    /// The configuration's expressions of the resource a change belongs to.
    fn expressions(&self, e: &Entry<'_>) -> Option<serde_json::Value> {
        let mut module = self.config.as_ref()?;
        for name in module_names(e.module_address.as_deref().unwrap_or_default()) {
            module = module.module_calls.get(name)?.module.as_ref()?;
        }
        let address = format!("{}.{}", e.resource_type.as_deref()?, e.name.as_deref()?);
        let r = module
            .resources
            .iter()
            .find(|r| r.address.as_deref() == Some(&address))?;
        match r.expressions {
            Some(raw) => serde_json::from_str(raw.get()).ok(),
            None => Some(serde_json::Value::Object(Default::default())),
        }
    }
}

/// Whether a change's actions send the create body (`true`) or may send an update's (`false`);
/// the reason it is not linted when they send neither.
fn sends_body(actions: &[String]) -> Result<bool, &'static str> {
    let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    match actions[..] {
        ["create"] | ["delete", "create"] | ["create", "delete"] => Ok(true),
        ["update"] => Ok(false),
        ["no-op"] => Err("no-op"),
        ["delete"] => Err("delete"),
        ["read"] => Err("read"),
        ["forget"] => Err("forget"),
        _ => Err("unreadable"),
    }
}

/// The attribute paths a change's `after_sensitive` marks.
struct Sensitive(Vec<String>);

impl Sensitive {
    fn of(change: &Value<'_>) -> Sensitive {
        let mut paths = Vec::new();
        if let Some(marks) = change.get("after_sensitive") {
            sensitive_paths(marks, &mut String::new(), &mut paths);
        }
        Sensitive(paths)
    }

    /// Whether a mark covers the attribute: its own, or one on a block or list that holds it.
    fn covers(&self, attr: &str) -> bool {
        self.0.iter().any(|p| {
            p.is_empty()
                || attr == p
                || attr
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    }
}

fn skip_reason(s: Skip) -> &'static str {
    match s {
        Skip::Update => "update",
        Skip::Decrease => "node-decrease",
        Skip::CountUnknown => "node-count-unknown",
        Skip::Shape => "schema-shape",
    }
}

/// A change's actions, read from its text alone.
fn raw_actions(change: Option<&RawValue>) -> Vec<String> {
    #[derive(Deserialize)]
    struct Actions {
        #[serde(default)]
        actions: Vec<String>,
    }
    change
        .and_then(|c| serde_json::from_str::<Actions>(c.get()).ok())
        .map(|a| a.actions)
        .unwrap_or_default()
}

fn actions(change: &Value<'_>) -> Vec<String> {
    change
        .get("actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect()
}

/// Whether a configuration expression is a literal (`constant_value`), not a reference.
fn is_literal(expr: Option<&serde_json::Value>) -> bool {
    expr.and_then(|e| e.as_object())
        .is_some_and(|e| e.contains_key("constant_value"))
}

/// What a user wrote for an attribute whose value is not known: the first thing it refers to.
fn expression_text(expressions: &Option<serde_json::Value>, top: &str) -> String {
    expressions
        .as_ref()
        .and_then(|x| x.get(top))
        .and_then(|e| e.get("references"))
        .and_then(|r| r.get(0))
        .and_then(|r| r.as_str())
        .map_or_else(|| "(known after apply)".to_string(), str::to_string)
}

/// The module names of a module address (`module.db["a.b"].module.inner` -> `db`, `inner`).
fn module_names(address: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = address;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        names.push(&r[..end]);
        rest = skip_key(&r[end..]);
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    names
}

/// `rest` past an instance key (`["a.b"]`, `[0]`) at its start, quotes honoured.
fn skip_key(rest: &str) -> &str {
    if !rest.starts_with('[') {
        return rest;
    }
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return &rest[i + 1..],
            _ => {}
        }
    }
    ""
}

/// Move every span of a tree by `by` bytes.
fn shift(v: &mut Value<'_>, by: usize) {
    v.span = Span::new(v.span.start + by, v.span.end + by);
    match &mut v.kind {
        Kind::Object(members) => {
            for m in members {
                m.key_span = Span::new(m.key_span.start + by, m.key_span.end + by);
                shift(&mut m.value, by);
            }
        }
        Kind::Array(items) => items.iter_mut().for_each(|i| shift(i, by)),
        _ => {}
    }
}

/// Put the plan's unknown marks into `after`: a value marked `true` in `after_unknown` becomes
/// unknown, with the expression the configuration gives its top-level attribute.
fn mark_unknown<'a>(after: &mut Value<'a>, marks: &Value<'a>, expr: &dyn Fn(&str) -> String) {
    mark(after, marks, None, expr);
}

fn mark<'a>(
    node: &mut Value<'a>,
    marks: &Value<'a>,
    top: Option<&str>,
    expr: &dyn Fn(&str) -> String,
) {
    match (&mut node.kind, &marks.kind) {
        (Kind::Object(members), Kind::Object(ms)) => {
            for m in ms {
                let top = top.unwrap_or(&m.key);
                match members.iter_mut().find(|x| x.key == m.key) {
                    Some(x) => mark(&mut x.value, &m.value, Some(top), expr),
                    None if m.value.as_bool() == Some(true) => members.push(Member {
                        key: m.key.clone(),
                        key_span: m.key_span,
                        value: unknown(m.value.span, top, expr),
                    }),
                    None => {}
                }
            }
        }
        (Kind::Array(items), Kind::Array(ms)) => {
            for (item, m) in items.iter_mut().zip(ms) {
                mark(item, m, top, expr);
            }
        }
        (_, Kind::Bool(true)) => *node = unknown(node.span, top.unwrap_or_default(), expr),
        _ => {}
    }
}

fn unknown<'a>(span: Span, top: &str, expr: &dyn Fn(&str) -> String) -> Value<'a> {
    Value {
        span,
        kind: Kind::Unknown(Cow::Owned(expr(top))),
    }
}

/// The attribute paths `after_sensitive` marks, in Terraform's notation.
fn sensitive_paths(marks: &Value<'_>, path: &mut String, out: &mut Vec<String>) {
    let mark = path.len();
    match &marks.kind {
        Kind::Bool(true) => out.push(path.clone()),
        Kind::Object(members) => {
            for m in members {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&m.key);
                sensitive_paths(&m.value, path, out);
                path.truncate(mark);
            }
        }
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                sensitive_paths(item, path, out);
                path.truncate(mark);
            }
        }
        _ => {}
    }
}
