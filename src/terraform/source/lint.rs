//! Linting what the reader found: each resource's attributes become the body the provider
//! would send (the mapping, as for a plan), the body is judged, and every finding is placed in
//! the file where its value was written.
//!
//! The judging places findings by spans into one text. A module's values come from several
//! files, so the spans given to the body are offsets into the files laid end to end (each file
//! at its `base`); a finding's span is then taken back to its file.

use super::load::Parsed;
use super::module::{Instance, Read};
use super::text;
use super::value::Val;
use crate::json::{LineIndex, Span};
use crate::report::{Diagnostic, Origin};
use crate::terraform::judge::{judge, Resource};
use crate::terraform::mapping::{self, Attrs};
use crate::terraform::{PlanReport, ResourceVerdict};
use crate::{Lang, Linter};
use std::borrow::Cow;

/// The files of a read laid end to end, and where each starts.
pub(crate) struct Laid {
    pub text: String,
    pub bases: Vec<usize>,
}

impl Laid {
    pub fn new(read: &Read) -> Laid {
        let mut text = String::with_capacity(read.files.iter().map(|f| f.text.len() + 1).sum());
        let mut bases = Vec::with_capacity(read.files.len());
        for f in &read.files {
            bases.push(text.len());
            text.push_str(&f.text);
            // A separator, so that no span reaches from one file into the next.
            text.push('\n');
        }
        Laid { text, bases }
    }

    /// The file holding a laid offset, and the offset in it.
    pub fn local(&self, offset: usize) -> (usize, usize) {
        let file = self
            .bases
            .partition_point(|&b| b <= offset)
            .saturating_sub(1);
        (file, offset - self.bases.get(file).copied().unwrap_or(0))
    }

    fn span(&self, v: &Val, fallback: Span) -> Span {
        match &v.from {
            Some(p) => {
                let base = self.bases[p.file];
                Span::new(base + p.span.start, base + p.span.end)
            }
            None => fallback,
        }
    }
}

/// A finding or an unknown value, with the file it is in.
pub(crate) struct Placed<T> {
    pub file: usize,
    pub item: T,
}

/// The findings of a read, each in its file (spans, lines and columns in that file).
pub(crate) struct Linted {
    pub diagnostics: Vec<Placed<Diagnostic>>,
    pub unknown: Vec<Placed<crate::Unknown>>,
    pub resources: Vec<Placed<ResourceVerdict>>,
}

/// Lints every resource of a read; `linter_for` gives the linter for a resource address.
pub(crate) fn lint<'l>(read: &Read, linter_for: &dyn Fn(&str) -> &'l Linter) -> Linted {
    let laid = Laid::new(read);
    let index = LineIndex::new(&laid.text);
    let mut out = Linted {
        diagnostics: Vec::new(),
        unknown: Vec::new(),
        resources: Vec::new(),
    };
    for (i, f) in read.files.iter().enumerate() {
        if let Parsed::Failed(e) = &f.parsed {
            let linter = linter_for("");
            if let Some(d) = syntax_diagnostic(linter, &f.text, e.offset, &e.message) {
                out.diagnostics.push(Placed { file: i, item: d });
            }
        }
    }
    for inst in &read.instances {
        let linter = linter_for(&inst.address);
        let mut report = PlanReport::default();
        let verdict = instance(linter, read, inst, &laid, &index, &mut report);
        out.resources.push(Placed {
            file: inst.file,
            item: verdict,
        });
        for d in report.diagnostics {
            out.diagnostics.push(place(read, inst, &laid, d));
        }
        for mut u in report.unknown {
            let attr = u.resource.as_ref().and_then(|r| r.attribute.as_deref());
            let at = attr.and_then(|a| inst.attrs.iter().find(|x| x.path == a));
            let (file, start) = match at {
                Some(a) => (a.file, a.span.start),
                None => (inst.file, inst.span.start),
            };
            let (l, c) = line_col(&read.files[file].text, start);
            (u.line, u.column) = (Some(l), Some(c));
            out.unknown.push(Placed { file, item: u });
        }
    }
    for s in &read.skipped {
        out.resources.push(Placed {
            file: s.file,
            item: ResourceVerdict {
                address: s.address.clone(),
                resource_type: String::new(),
                actions: Vec::new(),
                api: None,
                not_linted: Some(s.reason.clone()),
            },
        });
    }
    out
}

/// Builds and judges one resource's create body.
fn instance(
    linter: &Linter,
    read: &Read,
    inst: &Instance,
    laid: &Laid,
    index: &LineIndex,
    report: &mut PlanReport,
) -> ResourceVerdict {
    let mut verdict = ResourceVerdict {
        address: inst.address.clone(),
        resource_type: inst.rtype.clone(),
        actions: vec!["create".into()],
        api: None,
        not_linted: None,
    };
    let Some((_, res)) = mapping::mapping().resource(&inst.rtype) else {
        verdict.not_linted = Some("unreadable".into());
        return verdict;
    };
    let base = laid.bases[inst.file];
    let whole = Span::new(base + inst.span.start, base + inst.span.end);
    let arena = bumpalo::Bump::new();
    let after = inst.after.to_json(&arena, &|v| laid.span(v, whole));
    let configured = |top: &str| inst.attrs.iter().any(|a| a.path == top);
    let attrs = Attrs {
        after: &after,
        before: None,
        configured: Some(&configured),
    };
    let build = match mapping::select_create(res, &attrs) {
        Ok(b) => b,
        Err(_) => {
            verdict.not_linted = Some("schema-shape".into());
            return verdict;
        }
    };
    let built = mapping::build(build, &attrs, whole, &arena);
    let attr = |path: &str| inst.attrs.iter().find(|a| a.path == path);
    let sensitive = |path: &str| {
        attr(path).is_some_and(|a| a.value.has_secret()) || super::module::is_secret_name(path)
    };
    let literal = |path: &str| Some(attr(path).is_some_and(|a| a.literal));
    let resource = Resource {
        address: &inst.address,
        resource_type: &inst.rtype,
        sensitive: &sensitive,
        literal: &literal,
    };
    judge(linter, &built, &resource, &laid.text, index, report);
    let fixable = |s: Span| literal_at(read, inst, laid, s).is_some();
    let fixes = linter.read_fixes(built.api(), &built.body, &laid.text, index, &fixable);
    for d in &mut report.diagnostics {
        let found = fixes
            .iter()
            .find(|(rule, pointer, _)| *rule == d.rule && *pointer == d.pointer);
        d.fix = found.and_then(|(_, _, f)| source_fix(read, inst, laid, f));
    }
    verdict.api = Some(built.api());
    verdict
}

/// The request an instance's create sends, and the member an attribute becomes in it.
pub(crate) fn member_of(inst: &Instance, attribute: &str) -> Option<(crate::Api, Option<String>)> {
    let (_, res) = mapping::mapping().resource(&inst.rtype)?;
    let arena = bumpalo::Bump::new();
    let after = inst.after.to_json(&arena, &|_| Span::new(0, 0));
    let attrs = Attrs {
        after: &after,
        before: None,
        configured: None,
    };
    let build = mapping::select_create(res, &attrs).ok()?;
    let pointer = build
        .members
        .iter()
        .find(|m| m.attribute.as_deref() == Some(attribute))
        .map(|m| m.pointer.clone());
    Some((build.api, pointer))
}

/// The attribute of the instance written as a literal exactly at a laid span.
fn literal_at<'i>(
    read: &Read,
    inst: &'i Instance,
    laid: &Laid,
    s: Span,
) -> Option<&'i super::module::AttrInfo> {
    let (file, start) = laid.local(s.start);
    let _ = read;
    inst.attrs
        .iter()
        .find(|a| a.literal && a.file == file && a.span.start == start && a.span.len() == s.len())
}

/// A fix on the body as a fix on the file: each edit replaces a literal attribute's value with
/// the literal of the new value in the file's syntax.
fn source_fix(read: &Read, inst: &Instance, laid: &Laid, f: &crate::Fix) -> Option<crate::Fix> {
    let mut edits = Vec::new();
    for e in &f.edits {
        let span = Span::new(e.start.offset, e.end.offset);
        let a = literal_at(read, inst, laid, span)?;
        let file = &read.files[a.file];
        let json_syntax = super::load::is_json_name(&file.display);
        let replacement = text::literal(&e.replacement, json_syntax)?;
        let pos = |offset: usize| {
            let (line, column) = line_col(&file.text, offset);
            crate::Position {
                line,
                column,
                offset,
            }
        };
        edits.push((
            a.file,
            crate::Edit {
                start: pos(a.span.start),
                end: pos(a.span.end),
                replacement,
            },
        ));
    }
    // One file per fix: a fix is applied to the file its diagnostic is in.
    let first = edits.first()?.0;
    if edits.iter().any(|(f, _)| *f != first) {
        return None;
    }
    Some(crate::Fix {
        applicability: f.applicability,
        message: f.message.clone(),
        edits: edits.into_iter().map(|(_, e)| e).collect(),
    })
}

/// A diagnostic's laid span taken back to its file, with the attribute's place when the value
/// came from elsewhere (a variables file, a variable's default, a module's caller).
fn place(read: &Read, inst: &Instance, laid: &Laid, mut d: Diagnostic) -> Placed<Diagnostic> {
    d.span = better_span(inst, laid, &d).or(d.span);
    let (file, span) = match d.span {
        Some(s) => {
            let (file, start) = laid.local(s.start);
            let len = s
                .len()
                .min(read.files[file].text.len().saturating_sub(start));
            (file, Span::new(start, start + len))
        }
        None => (inst.file, Span::new(inst.span.start, inst.span.end)),
    };
    let text = &read.files[file].text;
    let (l, c) = line_col(text, span.start);
    let (el, ec) = line_col(text, span.end);
    d.span = Some(span);
    (d.line, d.column, d.end_line, d.end_column) = (Some(l), Some(c), Some(el), Some(ec));
    if let Some(r) = &mut d.resource {
        let attr = r.attribute.as_deref();
        if let Some(a) = attr.and_then(|a| inst.attrs.iter().find(|x| x.path == a)) {
            let f = &read.files[a.file];
            let (line, column) = line_col(&f.text, a.span.start);
            r.source = Some(crate::report::SourceRef {
                file: f.display.clone(),
                line,
                column,
            });
        }
        if r.origin != Origin::User {
            r.source = None;
        }
    }
    Placed { file, item: d }
}

/// Where a finding on an attribute is best shown: where its value was written when the judged
/// span is elsewhere (a member the provider leaves out of the body is found at its parent), and
/// the resource's labels for an attribute the configuration does not set.
fn better_span(inst: &Instance, laid: &Laid, d: &Diagnostic) -> Option<Span> {
    let r = d.resource.as_ref()?;
    let attribute = r.attribute.as_deref()?;
    let within = |s: Span, outer: Span| s.start >= outer.start && s.end <= outer.end;
    match inst.attrs.iter().find(|a| a.path == attribute) {
        Some(a) => {
            let value = laid.span(&a.value, Span::new(0, 0));
            (!value.is_empty() && !d.span.is_some_and(|s| within(s, value))).then_some(value)
        }
        None if r.origin == Origin::User => {
            let block = format!("{attribute}[");
            let written = inst.attrs.iter().any(|a| a.path.starts_with(&block));
            let base = laid.bases[inst.file];
            (!written).then(|| Span::new(base + inst.span.start, base + inst.span.end))
        }
        None => None,
    }
}

/// HC001 for a file that is not HCL (or JSON, for `.tf.json`), worded for Terraform files.
fn syntax_diagnostic(
    linter: &Linter,
    text: &str,
    offset: usize,
    reason: &str,
) -> Option<Diagnostic> {
    let doc = linter.rule("invalid-json")?;
    let severity = linter.severity_of(&doc.id)?;
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let (line, column) = line_col(text, start);
    let (end_line, end_column) = line_col(text, end);
    let (message, help) = match linter.lang() {
        Lang::En => (
            format!("not valid Terraform syntax: {reason}"),
            "Fix the syntax at the marked position; `terraform validate` shows the same error."
                .to_string(),
        ),
        Lang::Zh => (
            format!("不是合法的 Terraform 语法:{reason}"),
            "修正标记处的语法;`terraform validate` 会给出同样的错误。".to_string(),
        ),
    };
    let mut params = serde_json::Map::new();
    params.insert("reason".into(), reason.into());
    params.insert("offset".into(), start.into());
    Some(Diagnostic {
        rule: Cow::Borrowed(doc.id.as_str()),
        name: Cow::Borrowed(doc.name.as_str()),
        severity,
        pointer: String::new(),
        message,
        help,
        params,
        span: Some(Span::new(start, end)),
        line: Some(line),
        column: Some(column),
        end_line: Some(end_line),
        end_column: Some(end_column),
        fix: None,
        resource: None,
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::up_to(text, offset.saturating_add(1)).line_col(text, offset)
}
