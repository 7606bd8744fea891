//! A broken hcdb-lint.json, diagnosed in hcdb-lint.json itself: the config loader's message
//! names the member at fault (`rules.GDB120: ...`, `ignore[1].rule: ...`, or a JSON syntax
//! error with its line and column); this finds that member in the file's text.

use super::scan;
use super::{is_config_file, Document, Server, SOURCE};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Url,
};
use std::path::{Path, PathBuf};

/// The byte span in the config text that `problem` (the loader's message, after the file's
/// path) is about: the member whose key path is the longest one the message starts with, the
/// line and column of a syntax error, else the start of the file.
pub fn locate(text: &str, problem: &str) -> (usize, usize) {
    if let Some(at) = syntax_error_offset(text, problem) {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        return (at, end);
    }
    let outline = scan::outline(text);
    let best = outline
        .members
        .iter()
        .map(|m| (dotted(&m.pointer), m))
        .filter(|(d, _)| {
            problem.starts_with(d.as_str())
                && matches!(problem.as_bytes().get(d.len()), Some(b':' | b'.' | b'['))
        })
        .max_by_key(|(d, _)| d.len());
    match best {
        Some((_, m)) => m.key_span,
        None => (0, text.chars().next().map_or(0, char::len_utf8)),
    }
}

/// A pointer as the loader's messages write key paths: `/ignore/1/rule` -> `ignore[1].rule`.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// `... at line L column C` (serde_json's syntax errors) as a byte offset in `text`.
fn syntax_error_offset(text: &str, problem: &str) -> Option<usize> {
    let rest = problem.rsplit_once(" at line ")?.1;
    let (line, col) = rest.split_once(" column ")?;
    let line: usize = line.trim().parse().ok()?;
    let col: usize = col.trim().parse().ok()?;
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = text.get(start..)?.lines().next().unwrap_or("");
    // serde_json counts columns in bytes, 1-based; at the end of a line it points past it.
    let mut at = start + col.saturating_sub(1).min(line_text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at.min(text.len()))
}

impl Server<'_> {
    /// The hcdb-lint.json that applies to a document (the one `check` would read).
    pub(super) fn config_of(&self, path: Option<&Path>) -> Option<PathBuf> {
        let dir = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        super::cfgfile::discover(&dir)
    }

    /// Publish a config file's problem in the file itself, at the member at fault (or clear
    /// what was published there when it loads again). Returns where the problem is.
    pub(super) fn diagnose_config(
        &mut self,
        config: &Path,
        problem: Option<&str>,
    ) -> Option<Location> {
        let uri = Url::from_file_path(config).ok()?;
        let Some(problem) = problem else {
            if self.broken_configs.remove(config) {
                self.notify(
                    "textDocument/publishDiagnostics",
                    PublishDiagnosticsParams::new(uri, Vec::new(), None),
                );
            }
            return None;
        };
        // The loader's message starts with the file's path; what follows names the member.
        let prefix = format!("{}: ", config.display());
        let what = problem.strip_prefix(&prefix).unwrap_or(problem);
        let open = self.docs.get(&uri).map(|d| (d.text.clone(), d.version));
        let text = match &open {
            Some((t, _)) => t.clone(),
            None => std::fs::read_to_string(config).unwrap_or_default(),
        };
        let (a, b) = locate(&text, what);
        let range = super::Lines::new(&text).range(&text, a, b, self.enc);
        let d = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config".into())),
            source: Some(SOURCE.into()),
            message: format!("{what} (the request bodies under this file are not checked)"),
            ..Default::default()
        };
        self.broken_configs.insert(config.to_path_buf());
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams::new(uri.clone(), vec![d], open.map(|(_, v)| v)),
        );
        Some(Location::new(uri, range))
    }

    /// A body whose config is broken gets one diagnostic, pointing at the problem in the config
    /// file; other JSON gets none.
    pub(super) fn broken_config_pointer(
        &self,
        doc: &Document,
        config: Option<&Path>,
        problem: &str,
        at: Option<Location>,
    ) -> Vec<Diagnostic> {
        if doc.path.as_deref().is_some_and(is_config_file) || !looks_like_body(doc) {
            return Vec::new();
        }
        let name = config.map_or("hcdb-lint.json".into(), |c| c.display().to_string());
        let what = problem
            .strip_prefix(&format!("{name}: "))
            .unwrap_or(problem);
        vec![Diagnostic {
            range: lsp_types::Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config".into())),
            source: Some(SOURCE.into()),
            message: format!("not checked: {name} has an error (see there): {what}"),
            related_information: at.map(|location| {
                vec![DiagnosticRelatedInformation {
                    location,
                    message: "the error in the config file".into(),
                }]
            }),
            ..Default::default()
        }]
    }
}

/// Whether a document is a request body as far as can be told without its config: recognised,
/// or once recognised and now being edited.
fn looks_like_body(doc: &Document) -> bool {
    if doc.api.is_some() {
        return true;
    }
    match serde_json::from_str::<serde_json::Value>(&doc.text) {
        Ok(v) => matches!(
            hcdb_lint::recognize(&v).verdict,
            hcdb_lint::Verdict::Body(_)
        ),
        Err(_) => super::features::detect_in_outline(&scan::outline(&doc.text)).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    fn at<'a>(text: &'a str, problem: &str) -> &'a str {
        let (a, b) = locate(text, problem);
        &text[a..b]
    }

    #[test]
    fn the_member_a_problem_names() {
        let text = r#"{"rules": {"GDB120": "loud", "DDM101": "off"}, "ignore": [{"files": "a"}, {"files": "b", "rule": "nope"}], "apis": {"req/*.scale.json": "x"}}"#;
        assert_eq!(
            at(text, "rules.GDB120: expected \"off\", ..."),
            "\"GDB120\""
        );
        assert_eq!(
            at(text, "ignore[1].rule: no rule has the id or name `nope`"),
            "\"rule\""
        );
        assert_eq!(
            at(text, "apis.req/*.scale.json: unknown API `x`"),
            "\"req/*.scale.json\""
        );
        assert_eq!(at(text, "rules.GDB120.options.max: bad"), "\"GDB120\"");
        assert_eq!(at(text, "lang: expected en or zh"), "{");
        let broken = "{\n  \"rules\": {\n    \"GDB120\" \"off\"\n  }\n}";
        assert_eq!(
            at(broken, "not valid JSON: expected `:` at line 3 column 14"),
            "\""
        );
    }
}
