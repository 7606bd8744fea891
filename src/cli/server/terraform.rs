//! Terraform files in the editor: a `.tf` (or `.tf.json`) buffer is read with the rest of its
//! module from disk, and the server answers only for the resources the linter covers, so that
//! it does not repeat terraform-ls (no syntax errors, no hover elsewhere): diagnostics on their
//! attributes, quick fixes on literals, and a hover that names the body member an attribute
//! becomes and its constraint.

use super::features::describe_member;
use super::text::Lines;
use super::{Server, SOURCE};
use hcdb_lint::terraform::{self, VarInputs};
use hcdb_lint::{Lang, Severity};
use lsp_types::{
    DiagnosticSeverity, Hover, HoverContents, MarkupContent, MarkupKind, NumberOrString,
    PublishDiagnosticsParams, Url,
};
use std::path::Path;

/// Whether a document is a Terraform module's file, by language id or name.
pub fn is_terraform(language_id: &str, uri: &Url) -> bool {
    language_id == "terraform" || uri.path().ends_with(".tf") || uri.path().ends_with(".tf.json")
}

impl Server<'_> {
    /// Checks a Terraform buffer with its module and publishes the findings in it.
    pub(super) fn publish_terraform(&mut self, uri: &Url) {
        let Some(path) = self.docs.get(uri).and_then(|d| d.path.clone()) else {
            return;
        };
        let Ok(setup) = self.setup_for(Some(&path)) else {
            return;
        };
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let overlay = Some((path.clone(), doc.text.clone()));
        let linter = &setup.linter;
        let report = terraform::check_module(
            dir,
            "",
            &VarInputs::default(),
            &|_| None,
            &|_| linter,
            overlay,
        );
        // terraform-ls reports syntax errors: only the covered resources' findings are ours.
        // A finding whose value is written in another file (a variable's default, a variables
        // file) is shown here at the attribute, when the attribute is in this buffer.
        let name = report
            .files
            .iter()
            .find(|f| same_file(&f.path, &path))
            .map(|f| f.display.clone())
            .unwrap_or_default();
        let mut mine = Vec::new();
        for f in report.files {
            let here = same_file(&f.path, &path);
            for mut d in f.diagnostics {
                let Some(r) = &d.resource else { continue };
                if !here {
                    let Some(src) = r.source.as_ref().filter(|s| s.file == name) else {
                        continue;
                    };
                    let start = offset_of(&doc.text, src.line, src.column);
                    let end = doc.text[start..]
                        .find('\n')
                        .map_or(doc.text.len(), |n| start + n);
                    d.span = Some(hcdb_lint::Span::new(start, end));
                    d.fix = None;
                }
                mine.push(d);
            }
        }
        let lines = Lines::new(&doc.text);
        let out: Vec<lsp_types::Diagnostic> = mine
            .iter()
            .map(|d| lsp_types::Diagnostic {
                range: d.span.map_or_else(Default::default, |s| {
                    lines.range(&doc.text, s.start, s.end, enc)
                }),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Info => DiagnosticSeverity::INFORMATION,
                }),
                code: Some(NumberOrString::String(d.rule.to_string())),
                source: Some(SOURCE.into()),
                message: with_address(d),
                ..Default::default()
            })
            .collect();
        doc.diagnostics = mine;
        let version = Some(doc.version);
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams::new(uri.clone(), out, version),
        );
    }

    /// The hover on a Terraform buffer (`None`: the document is not one): the findings under
    /// the cursor, and what the attribute there becomes in the request.
    pub(super) fn terraform_hover(
        &mut self,
        uri: &Url,
        position: lsp_types::Position,
    ) -> Option<Option<Hover>> {
        let doc = self.docs.get(uri)?;
        if !doc.terraform {
            return None;
        }
        let Some(path) = doc.path.clone() else {
            return Some(None);
        };
        let (text, enc) = (doc.text.clone(), self.enc);
        let setup = self.setup_for(Some(&path)).ok();
        let linter = setup
            .as_ref()
            .map_or(hcdb_lint::Linter::default_ref(), |s| &s.linter);
        let lines = Lines::new(&text);
        let offset = lines.offset(&text, position, enc);
        let dir = path.parent().unwrap_or(Path::new("."));
        let at = terraform::attribute_at(dir, &path, text.clone(), offset)?;
        let mut parts = vec![attribute_text(&at, linter)];
        let diagnostics = self
            .docs
            .get(uri)
            .map(|d| d.diagnostics.as_slice())
            .unwrap_or(&[]);
        for d in diagnostics {
            if d.span
                .is_some_and(|s| s.start <= at.span.1 && at.span.0 <= s.end)
            {
                parts.push(format!("**{}** ({}): {}", d.rule, d.severity, d.message));
            }
        }
        Some(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: Some(lines.range(&text, at.span.0, at.span.1, enc)),
        }))
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>()
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || (a.canonicalize().ok().is_some() && a.canonicalize().ok() == b.canonicalize().ok())
}

/// The message with the resource it is about (the editor shows it beside the attribute).
fn with_address(d: &hcdb_lint::Diagnostic) -> String {
    match &d.resource {
        Some(r) => format!("{} ({})", d.message, r.address),
        None => d.message.clone(),
    }
}

fn attribute_text(at: &terraform::AttributeAt, linter: &hcdb_lint::Linter) -> String {
    let zh = linter.lang() == Lang::Zh;
    let head = format!("`{}` · `{}`", at.address, at.attribute);
    match (at.api, &at.pointer) {
        (Some(api), Some(pointer)) => {
            let becomes = if zh {
                format!("在 {api} 请求中成为 `{pointer}`")
            } else {
                format!("becomes `{pointer}` in the {api} request")
            };
            let field = describe_member(linter, api, pointer).unwrap_or_default();
            format!("{head} {becomes}\n\n{field}")
        }
        (Some(api), None) => {
            let not_sent = if zh {
                format!("provider 不在 {api} 请求中发送此属性")
            } else {
                format!("the provider does not send this attribute in the {api} request")
            };
            format!("{head}: {not_sent}")
        }
        (None, _) => head,
    }
}
