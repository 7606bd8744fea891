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

/// The project's page on how it reads the reference pages, relative to the repository root.
/// Every rule's `why` ends with a pointer into it (`docs/reading-the-pages.md#decision-10`).
pub const READING_PAGE: &str = "docs/reading-the-pages.md";

/// The section of the reading page that a text points to (`decision-10` for a text holding
/// `docs/reading-the-pages.md#decision-10`), if it points to one.
pub fn reading_anchor(text: &str) -> Option<&str> {
    let at = text.find(READING_PAGE)? + READING_PAGE.len();
    let rest = text[at..].strip_prefix('#')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Where the documentation site is published (Cargo.toml's `homepage`). Teams that host the
/// site themselves give their own address: `docs_url` in hcdb-lint.json, `--docs-url` on the
/// command line, `docsUrl` in the editor's settings.
pub const DOCS_URL: &str = env!("CARGO_PKG_HOMEPAGE");

/// The address of a page of the documentation site (`page` relative to the site's root, e.g.
/// `reading-the-pages.html`) under `base`, or under [`DOCS_URL`] when `base` is `None`.
pub fn docs_page_url(base: Option<&str>, page: &str) -> String {
    let base = base.unwrap_or(DOCS_URL).trim_end_matches('/');
    format!("{base}/{page}")
}

/// The address of a rule's page on the documentation site: `<base>/rules/<ID>.html`.
pub fn rule_url(base: Option<&str>, id: &str) -> String {
    docs_page_url(base, &format!("rules/{id}.html"))
}

/// An absolute address of the reading page (and section) on the documentation site, for tools
/// that need one.
pub fn reading_url(anchor: Option<&str>) -> String {
    let mut url = docs_page_url(None, "reading-the-pages.html");
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}

/// A text with its pointer into the reading page made a Markdown link, for a file in `rules/`.
fn link_reading(text: &str) -> String {
    match reading_anchor(text) {
        Some(a) => {
            let target = format!("{READING_PAGE}#{a}");
            text.replacen(&target, &format!("[{target}](../{target})"), 1)
        }
        None => text.to_string(),
    }
}

fn source_text(d: &RuleDoc) -> String {
    let s = &d.source;
    format!("{} · {} · {}", s.page, s.table, s.parameter)
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// One rule's documentation in a fixed shape: what it checks, why it matters, an invalid and a
/// valid example, where it comes from.
pub fn rule_markdown(d: &RuleDoc, lang: Lang) -> String {
    rule_section(d, lang, false)
}

/// [`rule_markdown`], with the pointer into the reading page made a link relative to `rules/`
/// when `link` is set (the generated `rules/README.md`).
fn rule_section(d: &RuleDoc, lang: Lang, link: bool) -> String {
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
    let _ = writeln!(
        out,
        "**{why}.** {}\n",
        if link {
            link_reading(d.why.get(lang))
        } else {
            d.why.get(lang).to_string()
        }
    );
    let _ = writeln!(out, "**{msg}:** {}\n", d.message.get(lang));
    let _ = writeln!(out, "**{help}:** {}\n", d.help.get(lang));
    out.push_str(&reality_markdown(d, lang));
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
         rules for every API) and one pack per API, named by the API's id:\n\n",
    );
    let packs = crate::packs::packs().ok();
    let pack = |api: Api| packs.map(|p| &p.apis[api.index()]);
    for api in Api::ALL {
        let title = pack(api).map_or("", |p| p.title.as_str());
        let _ = writeln!(out, "- `{api}.json`: {title}");
    }
    out.push_str(
        "\nSeverities are the defaults; a config can change them or turn a rule off. Sources name\n\
         the reference page (its title, the API reference it belongs to, its language and the date\n\
         of its edition), its table and the parameter. How the project reads the pages where they\n\
         leave a point open, disagree with each other or with the service is written in\n\
         [docs/reading-the-pages.md](../docs/reading-the-pages.md); each rule's \"why\" ends with\n\
         the section it follows.\n\n\
         ## API packs\n\n\
         Every `.json` file here but `common.json` is an API pack, and its file stem is the API's id (its\n\
         `api` member says the same). build.rs generates the API list from them: the crate's `Api`\n\
         enum (the id in CamelCase), the command line's `--api` values, the browser package's\n\
         `Api` type and the detection of a body's API. Adding an API is adding a pack, with its\n\
         fixtures and examples: no Rust file names an API.\n\n\
         A body is recognised as an API's from its shape and the pack's data: it must show the\n\
         pack's `detect` member, `{\"member\": \"<name>\", \"order\": <n>}`, and half of the members\n\
         every body of that API has (its required members under required members, at least 2),\n\
         each with the type its `fields` entry gives (a whole number in a string counts for an\n\
         integer); without the `detect` member, twice as many. The API with the most such\n\
         members wins, ties going to the lowest `order`; two packs may not share an order or a\n\
         member. JSON that no pack recognises is not a request body: `hcdb-lint check` skips and\n\
         counts it unless the API is named (`--api`, the config file's `apis`) or the config file\n\
         says `\"unrecognized\": \"error\"`. The bodies of neighbouring database APIs that\n\
         hcdb-lint does not cover (RDS, DDS, GaussDB, TaurusDB) are told by their telltale\n\
         members in `neighbours/neighbours.json` and reported as not covered. Detection members,\n\
         in order of precedence:\n\n",
    );
    let mut detection: Vec<(u64, &str, Api)> = Api::ALL
        .into_iter()
        .filter_map(|api| {
            let d = pack(api)?.detect.as_ref()?;
            Some((d.order, d.member.as_str(), api))
        })
        .collect();
    detection.sort();
    for (order, member, api) in detection {
        let _ = writeln!(out, "{order}. `{member}`: {api}");
    }
    out.push('\n');
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
    let sections = std::iter::once((None, "Linter rules (every API)"))
        .chain(Api::ALL.into_iter().map(|api| (Some(api), api.id())));
    for (api, title) in sections {
        let _ = writeln!(out, "## {title}\n");
        for d in rules.iter().filter(|d| d.api == api) {
            out.push_str(&rule_section(d, Lang::En, true));
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
                        cell(&format!("{} · {}", u.source.page, u.source.table))
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

/// What a rule's documentation says about the service's real behaviour: that it ignores the
/// member when the rule fires, and the values it is known to accept against the pages (each with
/// its evidence). Empty for most rules.
pub fn reality_markdown(d: &RuleDoc, lang: Lang) -> String {
    let mut out = String::new();
    if d.member_ignored {
        let _ = writeln!(
            out,
            "{}\n",
            match lang {
                Lang::En => "**Ignored member.** When this rule fires, the service ignores the member: \
                             its type, value and format rules stay silent, this warning is the only \
                             finding about it.",
                Lang::Zh => "**被忽略的成员。** 本规则触发时,服务忽略该成员:其类型、取值和格式规则均不报告,\
                             本警告是关于它的唯一结果。",
            }
        );
    }
    if d.observed.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        match lang {
            Lang::En => "**Observed acceptance.** The service is known to accept these values that \
                         the reference page forbids: each is reported as a warning that states the \
                         documented limit and the evidence; strict mode (`--strict`, `\"strict\": \
                         true`) reports this rule's error instead.",
            Lang::Zh => "**已观察到的接受。** 已知服务接受以下参考文档不允许的值:每项报告为警告,\
                         说明文档限制与证据;严格模式(`--strict`、`\"strict\": true`)改为报告本规则的错误。",
        }
    );
    for o in &d.observed {
        let (documented, evidence) = match lang {
            Lang::En => ("documented", "evidence"),
            Lang::Zh => ("文档", "证据"),
        };
        let _ = writeln!(
            out,
            "- {} ({documented}: {}); {evidence}: {}, {}, {}",
            o.accepted.get(lang),
            o.documented.get(lang),
            o.source.project,
            o.source.file,
            o.source.date
        );
    }
    out.push('\n');
    out
}
