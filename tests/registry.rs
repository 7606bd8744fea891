//! Registry tests: the packs' rules are well formed, documented in both languages, traceable to
//! the reference pages, covered by fixtures, and every parameter of every request table of the
//! pages is accounted for (checked by a rule or listed as deliberately unchecked). What the pages
//! say is read from the facts stored in tests/data/reference/ (checked against the pages
//! themselves by tests/reference_audit.rs).

mod common;

use common::fixtures::{build_body, fixtures};
use common::reference::Reference;
use hcdb_lint::{Api, Config, Lang, Linter, RuleDoc};
use std::collections::{BTreeMap, BTreeSet};

/// Rules that only text, bytes or CLI input can trigger: covered by tests/text_input.rs (and the
/// CLI and limits tests), not by body fixtures.
const COVERED_ELSEWHERE: &[&str] = &[
    "HC001", "HC002", "HC003", "HC011", "HC012", "HC013", "HC014", "HC015", "HC016", "HC017",
    "HC018", "HC019", "HC020", "HC021",
];

fn rules() -> &'static [RuleDoc] {
    Linter::default_ref().rules()
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in rules() {
        assert!(ids.insert(r.id.clone()), "id {} used twice", r.id);
        assert!(names.insert(r.name.clone()), "name {} used twice", r.name);
        assert!(
            is_kebab(&r.name),
            "{}: name `{}` is not kebab-case",
            r.id,
            r.name
        );
        let prefix = match r.api {
            None => "HC",
            Some(Api::DdmCreateInstance) | Some(Api::DdmScaleOut) => "DDM",
            Some(Api::GeminidbCreateInstance) => "GDB",
        };
        let digits = r.id.strip_prefix(prefix).unwrap_or("");
        assert!(
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{}: id should be {prefix} and three digits",
            r.id
        );
    }
    assert!(
        !ids.iter().any(|i| names.contains(i)),
        "an id is also a name"
    );
}

#[test]
fn every_rule_is_documented_in_both_languages() {
    for r in rules() {
        for (what, text) in [
            ("summary", &r.summary),
            ("message", &r.message),
            ("help", &r.help),
            ("why", &r.why),
        ] {
            assert!(!text.en.trim().is_empty(), "{}: {what}.en is empty", r.id);
            assert!(!text.zh.trim().is_empty(), "{}: {what}.zh is empty", r.id);
        }
        // The Chinese text is Chinese, not a copy of the English one.
        assert!(
            r.summary
                .zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: summary.zh has no Chinese: {}",
            r.id,
            r.summary.zh
        );
        assert!(
            r.message
                .zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: message.zh has no Chinese: {}",
            r.id,
            r.message.zh
        );
        // Templates are balanced.
        for t in [&r.message.en, &r.message.zh, &r.help.en, &r.help.zh] {
            assert_eq!(
                t.matches("[[").count(),
                t.matches("]]").count(),
                "{}: {t}",
                r.id
            );
            assert_eq!(
                t.matches('{').count(),
                t.matches('}').count(),
                "{}: {t}",
                r.id
            );
        }
    }
}

/// How the packs cite the project's own reading of the pages, for rules beyond their tables.
const READING: &str = "How hcdb-lint reads the pages (docs/reading-the-pages.md)";

fn reading_page() -> String {
    std::fs::read_to_string(common::fixtures::repo_root().join("docs/reading-the-pages.md"))
        .expect("docs/reading-the-pages.md")
}

#[test]
fn every_rule_has_provenance() {
    let reference = Reference::load();
    let reading = reading_page();
    for r in rules() {
        let s = &r.source;
        assert!(!s.table.trim().is_empty(), "{}: source.table empty", r.id);
        assert!(
            !s.parameter.trim().is_empty(),
            "{}: source.parameter empty",
            r.id
        );
        if s.page == READING {
            // A section of the reading page, by its heading.
            assert!(
                reading.contains(&format!("## {}\n", s.table)),
                "{}: `{}` is not a section of docs/reading-the-pages.md",
                r.id,
                s.table
            );
            continue;
        }
        // The pages the rule cites are pages of its API, as the stored facts name them.
        let api = r.api.map(|a| a.id()).unwrap_or("");
        let pages: Vec<_> = s
            .page
            .split("; ")
            .map(|p| {
                let page = reference
                    .cited(p)
                    .unwrap_or_else(|| panic!("{}: no page is cited as `{p}`", r.id));
                assert_eq!(page.api, api, "{}: `{p}` is a page of another API", r.id);
                page
            })
            .collect();
        // The table the rule cites is on (one of) its pages, and so is the parameter, in that
        // table (a response table is cited by title only).
        let table = s.table.as_str();
        let first_param = s
            .parameter
            .split([',', ' ', '(', '/'])
            .map(|p| p.rsplit('.').next().unwrap_or(p))
            .find(|p| !p.is_empty())
            .unwrap_or("");
        if pages
            .iter()
            .any(|p| p.response_tables.iter().any(|t| t == table))
        {
            continue;
        }
        let tables: Vec<_> = pages.iter().filter_map(|p| p.table(table)).collect();
        assert!(
            !tables.is_empty(),
            "{}: table `{table}` is not on {:?}",
            r.id,
            s.page
        );
        assert!(
            tables
                .iter()
                .any(|t| t.parameters.iter().any(|p| p.name == first_param)),
            "{}: parameter `{first_param}` is not in {table}",
            r.id
        );
    }
}

#[test]
fn every_pack_names_its_pages_as_the_stored_facts_do() {
    let reference = Reference::load();
    let dir = common::fixtures::repo_root().join("rules");
    for api in Api::ALL {
        let pack: serde_json::Value = common::fixtures::read_json(&dir.join(format!("{api}.json")));
        let sources: Vec<&str> = pack["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let cited: Vec<&str> = reference
            .pages_of(api.id())
            .map(|p| p.cited_as.as_str())
            .collect();
        assert_eq!(sources, cited, "{api}");
        // Every field's source cites the pack's pages, and its table is on one of them.
        for f in pack["fields"].as_array().expect("fields") {
            let page = f["source"]["page"].as_str().expect("source.page");
            let table = f["source"]["table"].as_str().expect("source.table");
            if page == READING {
                // A member the page does not list but the service takes (the reading page's
                // decisions on drift): a section of the reading page, by its heading.
                assert!(
                    reading_page().contains(&format!("## {table}\n")),
                    "{api} {}: `{table}` is not a section of docs/reading-the-pages.md",
                    f["pointer"]
                );
                continue;
            }
            let pages: Vec<_> = page
                .split("; ")
                .map(|p| reference.cited(p).unwrap_or_else(|| panic!("{api}: `{p}`")))
                .collect();
            assert!(
                pages.iter().any(|p| p.table(table).is_some()),
                "{api} {}: `{table}` is not on {page}",
                f["pointer"]
            );
        }
        // So does every deliberately unchecked parameter's source (a response table included).
        for u in pack["unchecked"].as_array().expect("unchecked") {
            let page = u["source"]["page"].as_str().expect("source.page");
            let table = u["source"]["table"].as_str().expect("source.table");
            let pages: Vec<_> = page
                .split("; ")
                .map(|p| reference.cited(p).unwrap_or_else(|| panic!("{api}: `{p}`")))
                .collect();
            assert!(
                pages
                    .iter()
                    .any(|p| p.table(table).is_some()
                        || p.response_tables.iter().any(|t| t == table)),
                "{api} {}: `{table}` is not on {page}",
                u["parameter"]
            );
        }
    }
}

#[test]
fn every_rule_has_fire_and_pass_fixtures_or_is_covered_elsewhere() {
    let fx: BTreeMap<String, (usize, usize)> = fixtures()
        .into_iter()
        .map(|f| (f.rule.clone(), (f.fire.len(), f.pass.len())))
        .collect();
    for r in rules() {
        if COVERED_ELSEWHERE.contains(&r.id.as_str()) {
            assert!(
                !fx.contains_key(&r.id),
                "{} is listed as covered elsewhere but has fixtures",
                r.id
            );
            continue;
        }
        let (fire, pass) = fx
            .get(&r.id)
            .copied()
            .unwrap_or_else(|| panic!("{} has no tests/fixtures/{}/cases.json", r.id, r.id));
        assert!(fire >= 1, "{}: no fire case", r.id);
        assert!(pass >= 1, "{}: no pass case", r.id);
    }
    for id in fx.keys() {
        assert!(
            rules().iter().any(|r| &r.id == id),
            "fixture for unknown rule {id}"
        );
    }
    // The covered-elsewhere rules exist and some other test file asserts each of them.
    let tests_dir = common::fixtures::repo_root().join("tests");
    let others: Vec<String> = std::fs::read_dir(&tests_dir)
        .expect("tests/")
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".rs") && n != "registry.rs"
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    for id in COVERED_ELSEWHERE {
        assert!(rules().iter().any(|r| r.id == *id), "{id} is not a rule");
        assert!(
            others.iter().any(|t| t.contains(&format!("\"{id}\""))),
            "{id} is listed as covered elsewhere but no test in tests/ asserts it"
        );
    }
}

#[test]
fn every_page_table_parameter_is_declared_and_accounted_for() {
    let linter = Linter::default_ref();
    let reference = Reference::load();
    for page in &reference.pages {
        let api: Api = page.api.parse().expect("api");
        let file = &page.cited_as;
        let params = page.body_pointers();
        assert!(params.len() >= 4, "{file}: only {params:?}");
        let fields: Vec<String> = linter.fields(api).into_iter().map(|f| f.pointer).collect();
        let targeted: BTreeSet<&str> = linter
            .rules()
            .iter()
            .filter(|r| r.api == Some(api))
            .flat_map(|r| r.targets.iter().map(String::as_str))
            .collect();
        let unchecked: Vec<String> = linter
            .unchecked(api)
            .iter()
            .map(|u| format!("{} {}", u.parameter, u.source.parameter))
            .collect();
        for (ptr, table) in params {
            assert!(
                fields.contains(&ptr),
                "{file} {table}: `{ptr}` is not a declared field of {api}"
            );
            let name = ptr.rsplit('/').next().unwrap_or("");
            let under = format!("{ptr}/");
            let checked =
                targeted.contains(ptr.as_str()) || targeted.iter().any(|t| t.starts_with(&under));
            let listed = unchecked.iter().any(|u| {
                u.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|w| w == name)
            });
            assert!(
                checked || listed,
                "{file} {table}: `{ptr}` is neither targeted by a rule nor listed as unchecked"
            );
        }
        for u in linter.unchecked(api) {
            assert!(!u.reason.en.trim().is_empty() && !u.reason.zh.trim().is_empty());
        }
    }
}

#[test]
fn messages_render_completely_for_every_fire_case_in_both_languages() {
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let mut linters: BTreeMap<String, Linter> = BTreeMap::new();
        for fx in fixtures() {
            let key = serde_json::to_string(&fx.context).unwrap_or_default();
            let linter = linters.entry(key).or_insert_with(|| {
                Linter::new(Config {
                    lang,
                    context: fx.context.clone().unwrap_or_default(),
                    ..Config::default()
                })
                .expect("config")
            });
            let api: Api = fx.api.parse().expect("api");
            for case in &fx.fire {
                let body = build_body(&fx, case);
                let report = linter.check_value(api, &body);
                assert!(
                    report.diagnostics.iter().any(|d| d.rule == fx.rule),
                    "{} `{}` does not fire with the default config",
                    fx.rule,
                    case.name
                );
                let secrets: Vec<String> = ["/password", "/instance/admin_user_password"]
                    .iter()
                    .filter_map(|p| body.pointer(p).and_then(|v| v.as_str()))
                    .filter(|s| s.len() >= 3)
                    .map(String::from)
                    .collect();
                for d in &report.diagnostics {
                    let mut text = format!("{} {}", d.message, d.help);
                    for v in d.params.values() {
                        if let Some(s) = v.as_str() {
                            text = text.replace(s, "");
                        }
                    }
                    if text.contains('{') || text.contains('}') || text.contains("[[") {
                        failures.push(format!("{:?} {} {}: {text}", lang, fx.rule, d.rule));
                    }
                    if d.message.trim().is_empty() {
                        failures.push(format!("{:?} {}: empty message", lang, d.rule));
                    }
                    let shown = format!("{} {} {:?}", d.message, d.help, d.params);
                    for s in &secrets {
                        if shown.contains(s.as_str()) {
                            failures.push(format!("{} leaks the password in {}", fx.rule, d.rule));
                        }
                    }
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_body_parameter_has_the_type_and_mandatory_flag_its_page_gives() {
    // The pack declares each body parameter with the JSON type its page's table gives (a String
    // that the page's own examples write as a number or boolean is declared as that, and
    // accepted silently either way: docs/reading-the-pages.md#types), and requires every member
    // the page marks mandatory (the Chinese DDM edition leaves the column empty).
    let reference = Reference::load();
    let dir = common::fixtures::repo_root().join("rules");
    let mut checked = 0;
    for page in &reference.pages {
        let pack = common::fixtures::read_json(&dir.join(format!("{}.json", page.api)));
        let fields: BTreeMap<&str, &serde_json::Value> = pack["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| (f["pointer"].as_str().unwrap_or(""), f))
            .collect();
        for (ptr, table) in page.body_pointers() {
            let name = ptr.rsplit('/').next().unwrap_or("");
            let t = page.table(&table).expect("table");
            let p = t.parameters.iter().find(|p| p.name == name).expect("row");
            let f = fields
                .get(ptr.as_str())
                .unwrap_or_else(|| panic!("{}: `{ptr}` is not declared", page.cited_as));
            let declared = f["type"].as_str().unwrap_or("");
            let silent = f["coerce"] == "silent";
            let ok = match p.ty.as_str() {
                "String" => {
                    matches!(declared, "string" | "bool_string")
                        || (silent && declared == "integer")
                }
                "Integer" | "Long" => declared == "integer",
                "Boolean" => declared == "boolean",
                t if t.starts_with("Array of") => declared == "array",
                t if t == "object" || t.ends_with(" object") => declared == "object",
                other => panic!(
                    "{}: `{ptr}` has a type the reader does not know: {other}",
                    page.cited_as
                ),
            };
            assert!(
                ok,
                "{} {table}: `{ptr}` is {} on the page, declared `{declared}`",
                page.cited_as, p.ty
            );
            let required = f["required"] == true;
            // The one documented exception: the version of DynamoDB and HBase is null (GDB107
            // requires it for the other engines).
            let exception = page.api == "geminidb-create-instance" && ptr == "/datastore/version";
            if p.mandatory == Some(true) && !exception {
                assert!(
                    required,
                    "{} {table}: `{ptr}` is mandatory on the page",
                    page.cited_as
                );
            }
            if p.mandatory == Some(false) {
                assert!(
                    !required,
                    "{} {table}: `{ptr}` is optional on the page",
                    page.cited_as
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} parameters checked");
}
