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
    /// The help, with the fix on offer.
    help: String,
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
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display + 'b>)
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

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width())
        .with_links(false)
        .with_context_lines(1)
}

/// One file's code frames.
fn human_file(handler: &GraphicalReportHandler, r: &FileResult, lang: Lang) -> String {
    let mut out = plan_lines(r, lang);
    if let Some(skip @ super::judge::Skip::Uncovered { .. }) = &r.skipped {
        out.push_str(&super::judge::skip_line(&r.display, skip, lang));
        out.push_str("\n\n");
    }
    // A Terraform plan or module names each resource's API in its own lines (`plan_lines`).
    let terraform = r.resources.is_some();
    if let (false, false, Some(by)) = (r.diagnostics.is_empty(), terraform, &r.detected_by) {
        out.push_str(&match (r.api, lang) {
            (Some(api), Lang::En) => format!("{}: checked as {api}, decided by {by}\n", r.display),
            (Some(api), Lang::Zh) => format!("{}:按 {api} 检查，依据 {by}\n", r.display),
            (None, Lang::En) => format!(
                "{}: not judged as a covered API's request body ({by})\n",
                r.display
            ),
            (None, Lang::Zh) => format!("{}:未判定为已覆盖接口的请求体({by})\n", r.display),
        });
    }
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
        let header = match &label {
            Some(_) => d.message.clone(),
            None => format!("{}: {}", place(r, d), d.message),
        };
        let mut help = d.help.clone();
        if let Some(note) = fix_note(d, lang) {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&note);
        }
        if let Some(note) = attribute_note(r, d, lang) {
            help.push('\n');
            help.push_str(&note);
        }
        let report = Report {
            d,
            help,
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
}

/// Where the attribute behind a finding is written, when the finding is shown elsewhere (at a
/// variable's value, or in a plan).
fn attribute_note(r: &FileResult, d: &Diagnostic, lang: Lang) -> Option<String> {
    let res = d.resource.as_ref()?;
    let src = res.source.as_ref()?;
    if src.file == r.display && Some(src.line) == d.line {
        return None;
    }
    let attr = res.attribute.as_deref().unwrap_or_default();
    let at = format!("{}:{}:{}", src.file, src.line, src.column);
    Some(match lang {
        Lang::En => format!("{} `{attr}` is set at {at}", res.address),
        Lang::Zh => format!("{} 的 `{attr}` 设置于 {at}", res.address),
    })
}

/// Where a finding without a code frame is: the file (with its line and column when known), and
/// the Terraform resource and attribute or the body member.
fn place(r: &FileResult, d: &Diagnostic) -> String {
    let mut out = r.display.clone();
    if let (Some(l), Some(c), Some(_)) = (d.line, d.column, &d.resource) {
        out.push_str(&format!(":{l}:{c}"));
    }
    match &d.resource {
        Some(res) => {
            out.push_str(&format!(" {}", res.address));
            if let Some(a) = &res.attribute {
                out.push_str(&format!(" `{a}`"));
            }
            if !d.pointer.is_empty() {
                out.push_str(&format!(" ({})", d.pointer));
            }
        }
        None if !d.pointer.is_empty() => out.push_str(&format!(" {}", d.pointer)),
        None => {}
    }
    out
}

/// One line per Terraform change the plan holds of a covered type: what it was checked as, or
/// why it was not.
fn plan_lines(r: &FileResult, lang: Lang) -> String {
    let Some(resources) = &r.resources else {
        return String::new();
    };
    let mut out = String::new();
    for v in resources {
        let verdict = match (&v.api, &v.not_linted, lang) {
            (Some(api), _, Lang::En) => format!("checked as {api}"),
            (Some(api), _, Lang::Zh) => format!("按 {api} 检查"),
            (None, Some(why), _) => not_linted_text(why, lang).to_string(),
            (None, None, _) => String::new(),
        };
        out.push_str(&format!("  {} {}: {verdict}\n", r.display, v.address));
    }
    out
}

/// Why a change was not linted, in words.
pub fn not_linted_text(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("no-op", Lang::En) => "not linted: no change",
        ("no-op", Lang::Zh) => "未检查：没有变更",
        ("delete", Lang::En) => "not linted: deleted",
        ("delete", Lang::Zh) => "未检查：删除",
        ("read", Lang::En) => "not linted: read only",
        ("read", Lang::Zh) => "未检查：仅读取",
        ("forget", Lang::En) => "not linted: removed from the state only",
        ("forget", Lang::Zh) => "未检查：仅从状态中移除",
        ("update", Lang::En) => "not linted: an update that sends no checked request",
        ("update", Lang::Zh) => "未检查：该更新不发送受检查的请求",
        ("node-decrease", Lang::En) => "not linted: fewer nodes (the reduce request)",
        ("node-decrease", Lang::Zh) => "未检查：减少节点（缩容请求）",
        ("node-count-unknown", Lang::En) => "not linted: the node count is known only after apply",
        ("node-count-unknown", Lang::Zh) => "未检查：节点数在 apply 后才可知",
        ("deferred", Lang::En) => "not linted: deferred to a later plan",
        ("deferred", Lang::Zh) => "未检查：推迟到之后的计划",
        ("other-provider", Lang::En) => "not linted: not from the huaweicloud provider",
        ("other-provider", Lang::Zh) => "未检查：不是 huaweicloud provider 的资源",
        ("schema-shape", Lang::En) => "not linted: attributes of an unknown schema",
        ("schema-shape", Lang::Zh) => "未检查：属性不符合已知的 schema",
        ("no-instance", Lang::En) => "not linted: count or for_each makes no instance",
        ("no-instance", Lang::Zh) => "未检查：count 或 for_each 不产生实例",
        ("module-not-local", Lang::En) => "not read: the module's source is not a local path",
        ("module-not-local", Lang::Zh) => "未读取：模块的 source 不是本地路径",
        ("module-source-unknown", Lang::En) => "not read: the module's source is not known",
        ("module-source-unknown", Lang::Zh) => "未读取：模块的 source 未知",
        ("module-not-found", Lang::En) => "not read: no .tf file at the module's source",
        ("module-not-found", Lang::Zh) => "未读取：模块的 source 处没有 .tf 文件",
        ("module-too-deep", Lang::En) => "not read: local modules nested too deep",
        ("module-too-deep", Lang::Zh) => "未读取：本地模块嵌套过深",
        (_, Lang::En) => "not linted: the change could not be read",
        (_, Lang::Zh) => "未检查：无法读取该变更",
    }
}

/// "fixable with --fix: <what the fix does>", for a finding with a fix.
pub fn fix_note(d: &Diagnostic, lang: Lang) -> Option<String> {
    let f = d.fix.as_ref()?;
    let flags = match f.applicability {
        hcdb_lint::Applicability::Safe => "--fix",
        hcdb_lint::Applicability::Unsafe => "--fix --unsafe-fixes",
    };
    Some(match lang {
        Lang::En => format!("fixable with {flags}: {}", f.message),
        Lang::Zh => format!("可用 {flags} 修复:{}", f.message),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(s: &Summary, lang: Lang) -> String {
    // What the text formats show: hidden infos are counted apart, at the end.
    let s = &Summary {
        infos: s.infos - s.infos_hidden.min(s.infos),
        // Skipped files were not checked: they are counted on their own, below.
        files: s.files - (s.not_request_bodies + s.uncovered).min(s.files),
        files_with_findings: s.files_with_shown,
        fail_level: s.fail_level,
        ..*s
    };
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
    if let Some(n) = s.fixed {
        line = match lang {
            Lang::En => format!("fixed {}; {line}", plural(n, "finding", "findings")),
            Lang::Zh => format!("已修复 {n} 条;{line}"),
        };
    }
    match (s.fixable, lang) {
        ((0, 0), _) => {}
        ((safe, 0), Lang::En) => line.push_str(&format!("; {safe} fixable with --fix")),
        ((safe, more), Lang::En) => line.push_str(&format!(
            "; {safe} fixable with --fix ({more} more with --unsafe-fixes)"
        )),
        ((safe, 0), Lang::Zh) => line.push_str(&format!(";{safe} 条可用 --fix 修复")),
        ((safe, more), Lang::Zh) => line.push_str(&format!(
            ";{safe} 条可用 --fix 修复(另有 {more} 条需加 --unsafe-fixes)"
        )),
    }
    if s.unknown > 0 {
        line.push_str(&match lang {
            Lang::En => format!(
                "; {} not checked (template expressions)",
                plural(s.unknown, "value", "values")
            ),
            Lang::Zh => format!(";{} 个值为模板表达式，未检查", s.unknown),
        });
    }
    if s.unknown_after_apply > 0 {
        line.push_str(&match lang {
            Lang::En => format!(
                "; {} not checked (known only after apply)",
                plural(s.unknown_after_apply, "Terraform value", "Terraform values")
            ),
            Lang::Zh => format!(
                ";{} 个 Terraform 值在 apply 后才可知，未检查",
                s.unknown_after_apply
            ),
        });
    }
    if s.ignored > 0 {
        line.push_str(&match lang {
            Lang::En => format!("; {} ignored by the config file", s.ignored),
            Lang::Zh => format!(";另有 {} 条按配置文件忽略", s.ignored),
        });
    }
    if let Some(part) = super::judge::summary_part(s.not_request_bodies, s.uncovered, lang) {
        line.push_str(if lang == Lang::En { "; " } else { ";" });
        line.push_str(&part);
    }
    if s.infos_hidden > 0 {
        line.push_str(&match lang {
            Lang::En => format!(
                "; {} not shown: --show-infos",
                plural(s.infos_hidden, "info", "infos")
            ),
            Lang::Zh => format!(";另有 {} 条提示未显示:--show-infos", s.infos_hidden),
        });
    }
    line
}

// ---------------------------------------------------------------- json

/// The whole JSON document, as it was written in one piece (the reference the stream is tested
/// against).
#[cfg(test)]
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
    /// What decided the API (`--api`, the config file's `apis`, the body's members).
    detected_by: Option<&'a str>,
    /// Why the file was not checked: `not-a-request-body` or `uncovered:<API id>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<String>,
    diagnostics: &'a [Diagnostic],
    unknown: &'a [hcdb_lint::Unknown],
    /// A Terraform plan's changes of the covered resource types.
    #[serde(skip_serializing_if = "Option::is_none")]
    resources: Option<&'a [hcdb_lint::terraform::ResourceVerdict]>,
}

/// `text` (pretty JSON) with every line but the first indented by `by` spaces: a value written
/// on its own, placed inside the document (JSON text has no raw newline inside a string).
fn indent(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
}

/// One file's entry of the `files` array, as `serde_json::to_string_pretty` writes it there.
fn json_file(r: &FileResult) -> String {
    let file = JsonFile {
        file: &r.display,
        api: r.api,
        detected_by: r.detected_by.as_deref(),
        skipped: r.skipped.as_ref().map(|s| match s {
            super::judge::Skip::NotBody => "not-a-request-body".to_string(),
            super::judge::Skip::Uncovered { id, .. } => format!("uncovered:{id}"),
        }),
        diagnostics: &r.diagnostics,
        unknown: &r.unknown,
        resources: r.resources.as_deref(),
    };
    format!(
        "    {}",
        indent(&serde_json::to_string_pretty(&file).unwrap_or_default(), 4)
    )
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

/// The SARIF document without its results (a marker stands where they go), and each rule's
/// index in its rule table.
fn sarif_parts<'r>(
    results: &'r [FileResult],
    linter: &Linter,
    lang: Lang,
    docs_url: Option<&str>,
) -> (serde_json::Value, BTreeMap<&'r str, usize>) {
    // The rules the results refer to, in id order, each once.
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        used.insert(&*d.rule, 0);
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
        let mut rule = json!({
            "id": id,
            "name": name,
            "shortDescription": { "text": summary },
            "fullDescription": { "text": why },
            "help": {
                "text": format!("{help}\n\nRun `hcdb-lint explain {id}` for the full documentation."),
            },
            "defaultConfiguration": { "level": default },
        });
        // The rule's page on the documentation site (SARIF wants an absolute address).
        if doc.is_some() {
            rule["helpUri"] = json!(hcdb_lint::rule_url(docs_url, id));
        }
        rules.push(rule);
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
            "results": RESULTS_MARK,
        }]
    });
    let mut doc = doc;
    let notes = unknown_notifications(results);
    if !notes.is_empty() {
        doc["runs"][0]["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }]);
    }
    (doc, used)
}

/// The values a template leaves unknown, as SARIF notifications (they are not results: nothing
/// was found wrong, and nothing was checked).
fn unknown_notifications(results: &[FileResult]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for r in results {
        for u in &r.unknown {
            let mut physical = json!({ "artifactLocation": { "uri": path_uri(&r.display) } });
            if let (Some(l), Some(c)) = (u.line, u.column) {
                physical["region"] = json!({ "startLine": l, "startColumn": c });
            }
            out.push(json!({
                "descriptor": { "id": "unknown-value" },
                "level": "note",
                "message": {
                    "text": format!("{} holds the template expression {}: its value was not checked", u.pointer, u.expression),
                },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": u.pointer, "kind": "member" }],
                }],
                "properties": { "pointer": u.pointer, "expression": u.expression },
            }));
        }
    }
    out
}

/// One SARIF result.
fn sarif_result(r: &FileResult, d: &Diagnostic, used: &BTreeMap<&str, usize>) -> serde_json::Value {
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
    let mut logical = Vec::new();
    if let Some(res) = &d.resource {
        logical.push(json!({ "fullyQualifiedName": res.address, "kind": "resource" }));
    }
    if !d.pointer.is_empty() {
        logical.push(json!({ "fullyQualifiedName": d.pointer, "kind": "member" }));
    }
    if !logical.is_empty() {
        location["logicalLocations"] = json!(logical);
    }
    // Where the attribute is written in the `.tf` files, when the finding is elsewhere.
    let related = d.resource.as_ref().and_then(|res| {
        let src = res.source.as_ref()?;
        Some(json!([{
            "id": 0,
            "physicalLocation": {
                "artifactLocation": { "uri": path_uri(&src.file) },
                "region": { "startLine": src.line, "startColumn": src.column },
            },
            "message": { "text": format!("{} {}", res.address, res.attribute.as_deref().unwrap_or_default()) },
        }]))
    });
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": used.get(&*d.rule).copied().unwrap_or(0),
        "level": sarif_level(d.severity),
        "message": { "text": d.message },
        "locations": [location],
        "properties": { "pointer": d.pointer, "name": d.name, "params": d.params },
    });
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([sarif_fix(&r.display, fix)]);
    }
    if let Some(related) = related {
        result["relatedLocations"] = related;
    }
    result
}

/// A fix as SARIF writes one: the file's replacements, regions in the run's columns
/// (`unicodeCodePoints`); the applicability in the property bag.
fn sarif_fix(display: &str, fix: &hcdb_lint::Fix) -> serde_json::Value {
    let replacements: Vec<serde_json::Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": {
                    "startLine": e.start.line,
                    "startColumn": e.start.column,
                    "endLine": e.end.line,
                    "endColumn": e.end.column,
                },
                "insertedContent": { "text": e.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.message },
        "artifactChanges": [{
            "artifactLocation": { "uri": path_uri(display) },
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability.as_str() },
    })
}

/// Where the results go in [`sarif_parts`]' document.
const RESULTS_MARK: &str = "\u{0}results";

/// SARIF 2.1.0, handed to `emit` piece by piece: the results one at a time, never the whole
/// document as one value or one string (tens of thousands of results for a large run).
pub fn sarif(
    results: &[FileResult],
    linter: &Linter,
    lang: Lang,
    docs_url: Option<&str>,
    emit: &mut dyn FnMut(&str) -> Result<(), super::Fatal>,
) -> Result<(), super::Fatal> {
    let (doc, used) = sarif_parts(results, linter, lang, docs_url);
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    let mark = serde_json::to_string(RESULTS_MARK).unwrap_or_default();
    let (head, tail) = text.split_once(&mark).unwrap_or((&text, ""));
    emit(head)?;
    let mut first = true;
    for r in results {
        for d in &r.diagnostics {
            // Each result as serde_json writes it at that depth (inside runs[0].results).
            let pretty =
                serde_json::to_string_pretty(&sarif_result(r, d, &used)).unwrap_or_default();
            let sep = if first { "[\n" } else { ",\n" };
            first = false;
            emit(&format!("{sep}        {}", indent(&pretty, 8)))?;
        }
    }
    emit(if first { "[]" } else { "\n      ]" })?;
    emit(tail)
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

fn github_file(r: &FileResult, lang: Lang) -> String {
    let mut out = String::new();
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
        let pointer = match (&d.resource, d.pointer.is_empty()) {
            (Some(res), _) => format!(
                " ({} {}{})",
                res.address,
                res.attribute.as_deref().unwrap_or_default(),
                if d.pointer.is_empty() {
                    String::new()
                } else {
                    format!(", {}", d.pointer)
                }
            ),
            (None, true) => String::new(),
            (None, false) => format!(" ({})", d.pointer),
        };
        let fixable = match fix_note(d, lang) {
            Some(note) => format!(" ({note})"),
            None => String::new(),
        };
        out.push_str(&format!(
            "::{cmd} {}::{}\n",
            props.join(","),
            gh_data(&format!("{}{pointer}{fixable}", d.message))
        ));
    }
    for u in &r.unknown {
        let mut props = vec![format!("file={}", gh_property(&r.display))];
        if let (Some(l), Some(c)) = (u.line, u.column) {
            props.push(format!("line={l},col={c}"));
        }
        props.push(format!("title={}", gh_property("unknown-value")));
        out.push_str(&format!(
            "::notice {}::{}\n",
            props.join(","),
            gh_data(&match &u.resource {
                Some(r) => format!(
                    "not checked: {} {} ({}) is known only after apply: {}",
                    r.address,
                    r.attribute.as_deref().unwrap_or_default(),
                    u.pointer,
                    u.expression
                ),
                None => format!(
                    "not checked: {} is the template expression {}",
                    u.pointer, u.expression
                ),
            })
        ));
    }
    out
}

// ---------------------------------------------------------------- streaming

/// The output of `check`, produced as files are checked: [`Stream::begin`], then
/// [`Stream::batch`] for each batch of results in input order, then [`Stream::end`] with the
/// totals. Human, JSON and GitHub text is written per batch (memory stays bounded by the batch);
/// SARIF needs every result before its first line (the rule table precedes the results), so it
/// keeps the results, which carry no source text.
pub struct Stream {
    format: super::Format,
    lang: Lang,
    quiet: bool,
    /// Whether the human and github formats show infos.
    show_infos: bool,
    handler: GraphicalReportHandler,
    /// Files written so far (JSON: a comma before each one after the first).
    written: usize,
    sarif: Vec<FileResult>,
    /// The documentation site's address for rule links (`None`: the published site).
    pub docs_url: Option<String>,
}

impl Stream {
    pub fn new(
        format: super::Format,
        color: bool,
        lang: Lang,
        quiet: bool,
        show_infos: bool,
    ) -> Stream {
        Stream {
            format,
            lang,
            quiet,
            show_infos,
            handler: handler(color),
            written: 0,
            sarif: Vec::new(),
            docs_url: None,
        }
    }

    pub fn begin(&mut self) -> String {
        match self.format {
            super::Format::Json => "{\n  \"version\": 1,\n  \"files\": [".into(),
            _ => String::new(),
        }
    }

    pub fn batch(&mut self, mut results: Vec<FileResult>) -> String {
        use super::Format;
        if !self.show_infos && matches!(self.format, Format::Human | Format::Github) {
            for r in &mut results {
                r.diagnostics.retain(|d| d.severity != Severity::Info);
            }
        }
        let texts = match self.format {
            // Code frames are the costly part: each file's are rendered on its own, on every core.
            Format::Human => super::par_map(&results, |r| human_file(&self.handler, r, self.lang)),
            Format::Json => results
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let sep = if self.written + i == 0 { "\n" } else { ",\n" };
                    format!("{sep}{}", json_file(r))
                })
                .collect(),
            Format::Github => results.iter().map(|r| github_file(r, self.lang)).collect(),
            Format::Sarif => {
                self.sarif.extend(results);
                return String::new();
            }
        };
        self.written += texts.len();
        texts.concat()
    }

    pub fn end(
        self,
        s: &Summary,
        linter: &Linter,
        emit: &mut dyn FnMut(&str) -> Result<(), super::Fatal>,
    ) -> Result<(), super::Fatal> {
        use super::Format;
        match self.format {
            Format::Human if !self.quiet => emit(&format!("{}\n", summary_line(s, self.lang))),
            Format::Human | Format::Github => Ok(()),
            Format::Json => {
                let close = if self.written == 0 { "]" } else { "\n  ]" };
                let summary = serde_json::to_string_pretty(s).unwrap_or_default();
                emit(&format!(
                    "{close},\n  \"summary\": {}\n}}\n",
                    indent(&summary, 2)
                ))
            }
            Format::Sarif => sarif(
                &self.sarif,
                linter,
                self.lang,
                self.docs_url.as_deref(),
                emit,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(n: usize) -> Vec<FileResult> {
        let linter = Linter::default_ref();
        let bodies = [
            r#"{"flavor_id": "f", "node_number": 0}"#,
            r#"{"flavor_id": "f", "node_number": 2}"#,
            "{\"name\": \"a \\\"quoted\\\" \\u0001 名\"}",
        ];
        (0..n)
            .map(|i| {
                let r = linter.check_str_detect(bodies[i % 3]);
                FileResult {
                    display: format!("dir/f{i}.json"),
                    api: r.api,
                    ignored: 0,
                    diagnostics: r.diagnostics,
                    unknown: r.unknown,
                    source: None,
                    fix: Default::default(),
                    detected_by: r.recognition.as_ref().map(|r| r.detected_by()),
                    skipped: None,
                    resources: None,
                }
            })
            .collect()
    }

    #[test]
    fn streamed_json_is_the_one_piece_document() {
        let summary = Summary {
            files: 3,
            errors: 2,
            fail_level: "error",
            exit_code: 1,
            ..Summary::default()
        };
        for n in [0, 1, 2, 5] {
            let all = results(n);
            let expected = format!(
                "{}\n",
                serde_json::to_string_pretty(&JsonDoc {
                    version: 1,
                    files: all
                        .iter()
                        .map(|r| JsonFile {
                            file: &r.display,
                            api: r.api,
                            detected_by: r.detected_by.as_deref(),
                            skipped: None,
                            diagnostics: &r.diagnostics,
                            unknown: &r.unknown,
                            resources: None,
                        })
                        .collect(),
                    summary: &summary,
                })
                .unwrap()
            );
            // In batches of one, two and the rest, with an empty batch between.
            let mut stream = Stream::new(super::super::Format::Json, false, Lang::En, false, true);
            let mut out = stream.begin();
            let mut rest = results(n);
            for size in [1, 0, 2, usize::MAX] {
                let take = rest.len().min(size);
                out.push_str(&stream.batch(rest.drain(..take).collect()));
            }
            let mut emit = |t: &str| {
                out.push_str(t);
                Ok(())
            };
            if stream
                .end(&summary, Linter::default_ref(), &mut emit)
                .is_err()
            {
                panic!("no write can fail here");
            }
            assert_eq!(out, expected, "{n} files");
            assert!(n == 0 || out.contains("dir/f0.json"));
        }
    }

    #[test]
    fn streamed_sarif_is_the_one_piece_document() {
        let linter = Linter::default_ref();
        for n in [0, 1, 4] {
            let all = results(n);
            let (mut doc, used) = sarif_parts(&all, linter, Lang::En, None);
            let mut items = Vec::new();
            for r in &all {
                for d in &r.diagnostics {
                    items.push(sarif_result(r, d, &used));
                }
            }
            doc["runs"][0]["results"] = serde_json::Value::Array(items);
            let expected = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
            let mut stream = Stream::new(super::super::Format::Sarif, false, Lang::En, false, true);
            let mut out = stream.begin();
            out.push_str(&stream.batch(all));
            let mut emit = |t: &str| {
                out.push_str(t);
                Ok(())
            };
            if stream.end(&Summary::default(), linter, &mut emit).is_err() {
                panic!("no write can fail here");
            }
            assert_eq!(out, expected, "{n} files");
            assert_eq!(n > 0, out.contains("\"ruleId\""));
        }
    }

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
