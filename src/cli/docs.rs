//! `rules`, `explain` and `schema`: the rule packs' own documentation, printed.

use super::{emit, Fatal};
use hcdb_lint::{Api, Lang, Linter, RuleDoc};
use serde_json::{json, Value};
use std::fmt::Write;

fn api_name(d: &RuleDoc) -> &'static str {
    d.api.map(Api::id).unwrap_or("all")
}

pub fn rules(api: Option<&str>, as_json: bool, lang: Lang) -> Result<u8, Fatal> {
    let api: Option<Api> = api.and_then(|a| a.parse().ok());
    let linter = Linter::default_ref();
    let docs: Vec<&RuleDoc> = linter
        .rules()
        .iter()
        .filter(|d| api.is_none() || d.api.is_none() || d.api == api)
        .collect();
    let text = if as_json {
        let list: Vec<Value> = docs
            .iter()
            .map(|d| {
                json!({
                    "id": d.id,
                    "name": d.name,
                    "severity": d.default_severity,
                    "api": d.api,
                    "summary": d.summary.get(lang),
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let w_name = docs.iter().map(|d| d.name.len()).max().unwrap_or(4);
        let w_api = docs.iter().map(|d| api_name(d).len()).max().unwrap_or(3);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<7} {:<w_name$} {:<8} {:<w_api$} SUMMARY",
            "ID", "NAME", "SEVERITY", "API"
        );
        for d in &docs {
            let _ = writeln!(
                s,
                "{:<7} {:<w_name$} {:<8} {:<w_api$} {}",
                d.id,
                d.name,
                d.default_severity.as_str(),
                api_name(d),
                d.summary.get(lang)
            );
        }
        s
    };
    emit(&text)?;
    Ok(0)
}

fn example(v: &Value) -> String {
    match v {
        // Some examples are descriptions of inputs that JSON cannot hold ("(2 MiB of JSON)").
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect::<String>()
}

pub fn explain(key: &str, lang: Lang, as_json: bool, docs_url: Option<&str>) -> Result<u8, String> {
    let linter = Linter::default_ref();
    let doc = linter
        .rule(key)
        .or_else(|| linter.rule(&key.to_ascii_uppercase()))
        .ok_or_else(|| {
            let near: Vec<&str> = linter
                .rules()
                .iter()
                .filter(|d| {
                    let k = key.to_ascii_lowercase();
                    d.name.contains(&k) || d.id.to_ascii_lowercase().starts_with(&k)
                })
                .take(5)
                .map(|d| d.id.as_str())
                .collect();
            if near.is_empty() {
                format!("no rule has the id or name `{key}` (see `hcdb-lint rules`)")
            } else {
                format!(
                    "no rule has the id or name `{key}`; did you mean {}?",
                    near.join(", ")
                )
            }
        })?;
    let text = if as_json {
        let mut v = serde_json::to_value(doc).unwrap_or_default();
        v["url"] = json!(hcdb_lint::rule_url(docs_url, &doc.id));
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let h = |en: &'static str, zh: &'static str| match lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        let mut s = String::new();
        let _ = writeln!(s, "{} ({})", doc.id, doc.name);
        let _ = writeln!(s, "{}\n", doc.summary.get(lang));
        let _ = writeln!(
            s,
            "{}: {}    {}: {}",
            h("Default severity", "默认级别"),
            doc.default_severity,
            h("API", "接口"),
            api_name(doc)
        );
        if !doc.targets.is_empty() && doc.targets.iter().any(|t| !t.is_empty()) {
            let _ = writeln!(s, "{}: {}", h("Checks", "检查对象"), doc.targets.join(", "));
        }
        let _ = writeln!(
            s,
            "\n## {}\n{}",
            h("What it reports", "报告内容"),
            doc.message.get(lang)
        );
        let _ = writeln!(s, "\n## {}\n{}", h("Why", "原因"), doc.why.get(lang));
        let _ = writeln!(
            s,
            "\n## {}\n{}",
            h("How to fix", "修复方法"),
            doc.help.get(lang)
        );
        if let Some(f) = &doc.fix {
            let flags = match f.applicability {
                hcdb_lint::Applicability::Safe => "--fix",
                hcdb_lint::Applicability::Unsafe => "--fix --unsafe-fixes",
            };
            let _ = writeln!(
                s,
                "{} {flags} ({}): {}",
                h("Fixable with", "可自动修复:"),
                f.applicability,
                f.message.get(lang)
            );
        }
        let reality = hcdb_lint::reality_markdown(doc, lang);
        if !reality.is_empty() {
            let _ = writeln!(
                s,
                "\n## {}\n{}",
                h("What the service really does", "服务的实际行为"),
                reality.trim_end()
            );
        }
        let _ = write!(
            s,
            "\n## {}\n{}",
            h("Invalid example", "错误示例"),
            indent(&example(&doc.examples.invalid))
        );
        let _ = write!(
            s,
            "\n## {}\n{}",
            h("Valid example", "正确示例"),
            indent(&example(&doc.examples.valid))
        );
        let src = &doc.source;
        let mut where_ = vec![src.page.clone()];
        if !src.table.is_empty() {
            where_.push(src.table.clone());
        }
        if !src.parameter.is_empty() {
            where_.push(src.parameter.clone());
        }
        let _ = writeln!(s, "\n## {}\n{}", h("Source", "出处"), where_.join(" > "));
        if let Some(anchor) = hcdb_lint::reading_anchor(&doc.why.en) {
            let _ = writeln!(
                s,
                "{}: {}#{anchor} ({})",
                h("How the project reads the page", "本项目对文档的解读"),
                hcdb_lint::READING_PAGE,
                hcdb_lint::docs_page_url(docs_url, &format!("reading-the-pages.html#{anchor}"))
            );
        }
        let _ = writeln!(
            s,
            "{}: {}",
            h("Documentation", "文档"),
            hcdb_lint::rule_url(docs_url, &doc.id)
        );
        s
    };
    emit(&text).map_err(|Fatal(m)| m)?;
    Ok(0)
}

pub fn schema(api: &str, linter: &Linter) -> Result<u8, Fatal> {
    let api: Api = api
        .parse()
        .map_err(|e: hcdb_lint::ParseApiError| Fatal(e.to_string()))?;
    let schema = linter.json_schema(api);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    emit(&s)?;
    Ok(0)
}
