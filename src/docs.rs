//! The rule reference, generated from the packs: `rules/README.md` is [`rules_markdown`]'s
//! output (a test fails when the committed file is stale), and `explain` shows
//! [`rule_markdown`] for one rule.

use crate::{Api, Lang, Linter, RuleDoc};
use std::fmt::Write;

/// Escape text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn api_name(api: Option<Api>) -> &'static str {
    match api {
        None => "all",
        Some(a) => a.id(),
    }
}

fn source_text(d: &RuleDoc) -> String {
    let s = &d.source;
    format!("{} · {} · {}", s.seed, s.table, s.parameter)
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// One rule's documentation in a fixed shape: what it checks, why it matters, an invalid and a
/// valid example, where it comes from.
pub fn rule_markdown(d: &RuleDoc, lang: Lang) -> String {
    let mut out = String::new();
    let (what, why, msg, help, bad, good, src, targets, when, sev, api) = match lang {
        Lang::En => (
            "What it checks",
            "Why it matters",
            "Message",
            "Help",
            "Invalid",
            "Valid",
            "Source",
            "Targets",
            "Applies when",
            "Severity",
            "API",
        ),
        Lang::Zh => (
            "检查内容",
            "原因",
            "消息",
            "建议",
            "错误示例",
            "正确示例",
            "出处",
            "目标字段",
            "适用条件",
            "级别",
            "接口",
        ),
    };
    let _ = writeln!(out, "### {} `{}`\n", d.id, d.name);
    let _ = writeln!(
        out,
        "- {sev}: {}\n- {api}: {}\n- {targets}: {}",
        d.default_severity,
        api_name(d.api),
        if d.targets.iter().all(|t| t.is_empty()) {
            "(body)".to_string()
        } else {
            d.targets
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    if let Some(w) = &d.when {
        let _ = writeln!(
            out,
            "- {when}: `{}`",
            serde_json::to_string(w).unwrap_or_default()
        );
    }
    if let Some(f) = &d.fix {
        let fix = match lang {
            Lang::En => "Fix",
            Lang::Zh => "修复",
        };
        let _ = writeln!(
            out,
            "- {fix} ({}): {}",
            f.applicability,
            f.message.get(lang)
        );
    }
    let _ = writeln!(out, "- {src}: {}\n", source_text(d));
    let _ = writeln!(out, "**{what}.** {}\n", d.summary.get(lang));
    let _ = writeln!(out, "**{why}.** {}\n", d.why.get(lang));
    let _ = writeln!(out, "**{msg}:** {}\n", d.message.get(lang));
    let _ = writeln!(out, "**{help}:** {}\n", d.help.get(lang));
    let _ = writeln!(
        out,
        "{bad}:\n\n```json\n{}\n```\n\n{good}:\n\n```json\n{}\n```\n",
        pretty(&d.examples.invalid),
        pretty(&d.examples.valid)
    );
    out
}

/// The whole rule reference: an index of every rule, each rule's documentation, and each API's
/// deliberately unchecked parameters with the reason.
pub fn rules_markdown() -> String {
    let linter = Linter::default_ref();
    let rules = linter.rules();
    let mut out = String::new();
    out.push_str(
        "# Rule reference\n\n\
         <!-- Generated from rules/*.json by `hcdb_lint::rules_markdown()`; do not edit.\n     \
         Regenerate with `UPDATE_RULES_DOC=1 cargo test --test rules_doc`. -->\n\n\
         Every rule hcdb-lint applies, from the rule packs in this folder: `common.json` (linter\n\
         rules for every API), `ddm-create-instance.json`, `ddm-scale-out.json` and\n\
         `geminidb-create-instance.json`. Severities are the defaults; a config can change them or\n\
         turn a rule off. Sources name the reference page (`../shared/seeds/`), its table and the\n\
         parameter, or `SPEC.md` / `linter` for rules beyond the pages.\n\n",
    );
    out.push_str("## Index\n\n");
    out.push_str("| id | name | severity | API | summary | targets | source |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for d in rules {
        let targets = d
            .targets
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | `{}` | {} | {} | {} | {} | {} |",
            d.name,
            d.default_severity,
            api_name(d.api),
            cell(&d.summary.en),
            cell(&targets),
            cell(&source_text(d)),
            id = d.id,
            anchor = format!("{}-{}", d.id, d.name).to_lowercase(),
        );
    }
    out.push('\n');
    let sections: [(Option<Api>, &str); 4] = [
        (None, "Linter rules (every API)"),
        (Some(Api::DdmCreateInstance), "ddm-create-instance"),
        (Some(Api::DdmScaleOut), "ddm-scale-out"),
        (
            Some(Api::GeminidbCreateInstance),
            "geminidb-create-instance",
        ),
    ];
    for (api, title) in sections {
        let _ = writeln!(out, "## {title}\n");
        for d in rules.iter().filter(|d| d.api == api) {
            out.push_str(&rule_markdown(d, Lang::En));
        }
        if let Some(api) = api {
            let unchecked = linter.unchecked(api);
            if !unchecked.is_empty() {
                let _ = writeln!(out, "#### Deliberately unchecked ({api})\n");
                out.push_str("| parameter | reason | source |\n|---|---|---|\n");
                for u in unchecked {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |",
                        cell(&u.parameter),
                        cell(&u.reason.en),
                        cell(&format!("{} · {}", u.source.seed, u.source.table))
                    );
                }
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
