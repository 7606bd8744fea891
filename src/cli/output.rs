//! The four output formats of `check`. Lines and columns are 1-based everywhere; columns count
//! Unicode scalar values (SARIF's `unicodeCodePoints`).

use super::{FileResult, Summary};
use hcdb_lint::{Diagnostic, Lang, Linter, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt;

// ---------------------------------------------------------------- human

/// One diagnostic as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    header: String,
    source: Option<NamedSource<String>>,
    label: Option<LabeledSpan>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.rule, self.d.name)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.d.help.is_empty()).then(|| Box::new(&self.d.help) as Box<dyn fmt::Display + 'b>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .filter(|_| self.label.is_some())
            .map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

/// A span that lands on character boundaries of `text` (a non-UTF-8 file is shown lossily, so
/// the core's byte offsets may fall inside a replacement character).
fn clamp_span(text: &str, start: usize, end: usize) -> SourceSpan {
    let mut s = start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.max(s).min(text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    if e == s && s < text.len() {
        // Zero-width: widen to the character at the position so the frame can point at it.
        e = s + text[s..].chars().next().map_or(0, char::len_utf8);
    }
    SourceSpan::new(s.into(), e - s)
}

/// The miette width: `COLUMNS` when set (tests fix it), else 100.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

pub fn human(results: &[FileResult], s: &Summary, lang: Lang, color: bool, quiet: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width())
        .with_links(false)
        .with_context_lines(1);
    // Code frames are the costly part: each file's are rendered on its own, on every core.
    let per_file = super::par_map(results, |r| {
        let mut out = String::new();
        let named = r
            .source
            .as_ref()
            .map(|text| NamedSource::new(r.display.clone(), text.clone()));
        for d in &r.diagnostics {
            // The headline is the message (what is wrong); the label under the code frame names
            // the member it is about.
            let member = match (d.pointer.is_empty(), lang) {
                (false, _) => d.pointer.clone(),
                (true, Lang::En) => "(the whole body)".into(),
                (true, Lang::Zh) => "(整个请求体)".into(),
            };
            let label = match (d.span, &r.source) {
                (Some(span), Some(text)) => Some(LabeledSpan::new_with_span(
                    Some(member),
                    clamp_span(text, span.start, span.end),
                )),
                _ => None,
            };
            let where_ = if d.pointer.is_empty() {
                String::new()
            } else {
                format!(" {}", d.pointer)
            };
            let header = match &label {
                Some(_) => d.message.clone(),
                None => format!("{}{where_}: {}", r.display, d.message),
            };
            let report = Report {
                d,
                header,
                source: named.clone(),
                label,
            };
            let mut buf = String::new();
            if handler.render_report(&mut buf, &report).is_err() {
                buf = format!("{}: {} {}\n", r.display, d.rule, d.message);
            }
            out.push_str(&buf);
            out.push('\n');
        }
        out
    });
    let mut out = per_file.concat();
    if !quiet {
        out.push_str(&summary_line(s, lang));
        out.push('\n');
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(s: &Summary, lang: Lang) -> String {
    let found = s.errors + s.warnings + s.infos;
    let mut parts = Vec::new();
    let mut line = match lang {
        Lang::En => {
            for (n, one, many) in [
                (s.errors, "error", "errors"),
                (s.warnings, "warning", "warnings"),
                (s.infos, "info", "infos"),
            ] {
                if n > 0 {
                    parts.push(plural(n, one, many));
                }
            }
            if found == 0 {
                format!("no findings in {}", plural(s.files, "file", "files"))
            } else {
                let mut l = format!(
                    "{} in {}",
                    parts.join(", "),
                    plural(s.files_with_findings, "file", "files")
                );
                if s.files != s.files_with_findings {
                    l.push_str(&format!(" ({} checked)", plural(s.files, "file", "files")));
                }
                l
            }
        }
        Lang::Zh => {
            for (n, word) in [(s.errors, "错误"), (s.warnings, "警告"), (s.infos, "提示")] {
                if n > 0 {
                    parts.push(format!("{n} 个{word}"));
                }
            }
            if found == 0 {
                format!("{} 个文件均未发现问题", s.files)
            } else {
                format!(
                    "{} 个文件中有 {}(共检查 {} 个文件)",
                    s.files_with_findings,
                    parts.join("、"),
                    s.files
                )
            }
        }
    };
    if s.ignored > 0 {
        line.push_str(&match lang {
            Lang::En => format!("; {} ignored by the config file", s.ignored),
            Lang::Zh => format!(";另有 {} 条按配置文件忽略", s.ignored),
        });
    }
    line
}

// ---------------------------------------------------------------- json

#[derive(serde::Serialize)]
struct JsonDoc<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: &'a Summary,
}

/// Fields in the documented order (serde_json's `json!` would sort them).
#[derive(serde::Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    api: Option<hcdb_lint::Api>,
    diagnostics: &'a [Diagnostic],
}

pub fn json(results: &[FileResult], s: &Summary) -> String {
    let doc = JsonDoc {
        version: 1,
        files: results
            .iter()
            .map(|r| JsonFile {
                file: &r.display,
                api: r.api,
                diagnostics: &r.diagnostics,
            })
            .collect(),
        summary: s,
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

// ---------------------------------------------------------------- sarif

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: percent-encode everything but unreserved characters
/// and `/`. Absolute paths become `file://` URIs.
pub fn path_uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn sarif(results: &[FileResult], linter: &Linter, lang: Lang) -> String {
    // The rules the results refer to, in id order, each once.
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        used.insert(d.rule.as_str(), 0);
    }
    let mut rules = Vec::new();
    for (i, (id, slot)) in used.iter_mut().enumerate() {
        *slot = i;
        let doc = linter.rule(id);
        let (name, summary, help, why, default) = match doc {
            Some(doc) => (
                doc.name.as_str(),
                doc.summary.get(lang),
                doc.help.get(lang),
                doc.why.get(lang),
                sarif_level(doc.default_severity),
            ),
            None => (*id, "", "", "", "error"),
        };
        rules.push(json!({
            "id": id,
            "name": name,
            "shortDescription": { "text": summary },
            "fullDescription": { "text": why },
            "help": {
                "text": format!("{help}\n\nRun `hcdb-lint explain {id}` for the full documentation."),
            },
            "defaultConfiguration": { "level": default },
        }));
    }
    let mut out_results = Vec::new();
    for r in results {
        for d in &r.diagnostics {
            let mut physical = json!({
                "artifactLocation": { "uri": path_uri(&r.display) },
            });
            if let (Some(l), Some(c)) = (d.line, d.column) {
                let mut region = json!({ "startLine": l, "startColumn": c });
                if let (Some(el), Some(ec)) = (d.end_line, d.end_column) {
                    region["endLine"] = json!(el);
                    region["endColumn"] = json!(ec.max(if el == l { c } else { 1 }));
                }
                physical["region"] = region;
            }
            let mut location = json!({ "physicalLocation": physical });
            if !d.pointer.is_empty() {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": d.pointer, "kind": "member" }]);
            }
            out_results.push(json!({
                "ruleId": d.rule,
                "ruleIndex": used.get(d.rule.as_str()).copied().unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [location],
                "properties": { "pointer": d.pointer, "name": d.name, "params": d.params },
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "hcdb-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": out_results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

// ---------------------------------------------------------------- github

/// GitHub workflow-command escaping of the message (data).
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// ... and of a property value, where `:` and `,` are delimiters.
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(results: &[FileResult]) -> String {
    let mut out = String::new();
    for r in results {
        for d in &r.diagnostics {
            let cmd = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = vec![format!("file={}", gh_property(&r.display))];
            if let (Some(l), Some(c)) = (d.line, d.column) {
                props.push(format!("line={l}"));
                if let Some(el) = d.end_line {
                    props.push(format!("endLine={el}"));
                }
                props.push(format!("col={c}"));
                if let Some(ec) = d.end_column {
                    props.push(format!("endColumn={ec}"));
                }
            }
            props.push(format!(
                "title={}",
                gh_property(&format!("{} {}", d.rule, d.name))
            ));
            let pointer = if d.pointer.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.pointer)
            };
            out.push_str(&format!(
                "::{cmd} {}::{}\n",
                props.join(","),
                gh_data(&format!("{}{pointer}", d.message))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(gh_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(gh_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(path_uri("dir/my file.json"), "dir/my%20file.json");
        assert_eq!(path_uri("/abs/a#b.json"), "file:///abs/a%23b.json");
        assert_eq!(path_uri("请求.json"), "%E8%AF%B7%E6%B1%82.json");
    }

    #[test]
    fn spans_are_clamped_to_char_boundaries() {
        let t = "a\u{FFFD}b";
        let s = clamp_span(t, 2, 2);
        assert_eq!((s.offset(), s.len()), (1, 3));
        let s = clamp_span(t, 99, 100);
        assert_eq!((s.offset(), s.len()), (5, 0));
    }
}
