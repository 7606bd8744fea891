//! Registry tests: the packs' rules are well formed, documented in both languages, traceable to
//! the reference pages, covered by fixtures, and every parameter of every seed request table is
//! accounted for (checked by a rule or listed as deliberately unchecked).

mod common;

use common::fixtures::{build_body, fixtures};
use common::seeds::{seed_dir, seed_text};
use hcdb_lint::{Api, Config, Lang, Linter, RuleDoc};
use std::collections::{BTreeMap, BTreeSet};

/// Rules that only text, bytes or CLI input can trigger: covered by tests/text_input.rs (and the
/// CLI and limits tests), not by body fixtures.
const COVERED_ELSEWHERE: &[&str] = &[
    "HC001", "HC002", "HC003", "HC011", "HC012", "HC013", "HC014", "HC015", "HC016", "HC017",
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

#[test]
fn every_rule_has_provenance() {
    let seeds: Vec<String> = std::fs::read_dir(seed_dir())
        .expect("seed dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for r in rules() {
        let s = &r.source;
        assert!(!s.table.trim().is_empty(), "{}: source.table empty", r.id);
        assert!(
            !s.parameter.trim().is_empty(),
            "{}: source.parameter empty",
            r.id
        );
        if s.seed == "SPEC.md" || s.seed == "linter" {
            continue;
        }
        let files: Vec<&str> = s.seed.split(',').map(str::trim).collect();
        for f in &files {
            assert!(
                seeds.iter().any(|x| x == f),
                "{}: seed `{f}` does not exist",
                r.id
            );
        }
        // The table the rule cites is in (one of) its pages, and so is the parameter's name.
        let texts: Vec<String> = files.iter().map(|f| seed_text(f)).collect();
        let table = s.table.split(['(', ';']).next().unwrap_or("").trim();
        assert!(
            texts.iter().any(|t| t.contains(table)),
            "{}: table `{table}` is not in {files:?}",
            r.id
        );
        let first_param = s
            .parameter
            .split([',', ' ', '(', '/'])
            .map(|p| p.rsplit('.').next().unwrap_or(p))
            .find(|p| !p.is_empty())
            .unwrap_or("");
        assert!(
            texts.iter().any(|t| t.contains(first_param)),
            "{}: parameter `{first_param}` is not in {files:?}",
            r.id
        );
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

/// One row of a seed table: parameter, type, description.
type Row = (String, String, String);

/// The request-body tables of a seed page: `(number, title, rows)`.
fn seed_tables(file: &str, wanted: &[u32]) -> Vec<(u32, String, Vec<Row>)> {
    let text = seed_text(file);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let heading = |l: &str| -> Option<(u32, String)> {
        let rest = l.strip_prefix("Table ").or_else(|| l.strip_prefix("表"))?;
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let num = n.parse().ok()?;
        Some((num, l.to_string()))
    };
    let is_param = |l: &str| {
        l.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let is_type = |l: &str| {
        matches!(l, "String" | "Integer" | "Boolean" | "Long" | "object")
            || l.ends_with(" object")
            || l.starts_with("Array of")
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((num, title)) = heading(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let mut params = Vec::new();
        while i < lines.len() && heading(lines[i]).is_none() {
            if lines[i] == "Response Parameters" || lines[i] == "响应参数" {
                break;
            }
            let l = lines[i];
            // A row: name, then (English) Yes/No, then the type; the Chinese page leaves the
            // mandatory column empty.
            let ty_at = match lines.get(i + 1) {
                Some(&"Yes") | Some(&"No") => i + 2,
                _ => i + 1,
            };
            if is_param(l) && lines.get(ty_at).is_some_and(|t| is_type(t)) {
                let desc: Vec<&str> = lines[ty_at + 1..]
                    .iter()
                    .take_while(|x| !is_param(x) && heading(x).is_none())
                    .copied()
                    .collect();
                params.push((l.to_string(), lines[ty_at].to_string(), desc.join("\n")));
                i = ty_at + 1;
                continue;
            }
            i += 1;
        }
        if wanted.contains(&num) {
            out.push((num, title, params));
        }
    }
    out
}

/// Pointers of the parameters of the request tables: a sub-table belongs to the parameter whose
/// type names it (`Datastore object`, `Array of Flavor objects`) or whose description cites it.
fn seed_pointers(file: &str, wanted: &[u32]) -> Vec<(String, String)> {
    let tables = seed_tables(file, wanted);
    let mut prefix: BTreeMap<u32, String> = BTreeMap::new();
    prefix.insert(wanted[0], String::new());
    let mut out = Vec::new();
    for (num, title, params) in &tables {
        assert!(
            !params.is_empty(),
            "{file}: table {title} has no parameters"
        );
        let Some(base) = prefix.get(num).cloned() else {
            panic!("{file}: no parameter refers to table {title}");
        };
        for (p, ty, desc) in params {
            let ptr = format!("{base}/{p}");
            for (n2, t2, _) in &tables {
                let name = t2
                    .split_whitespace()
                    .nth(if t2.starts_with("Table") { 2 } else { 1 })
                    .unwrap_or("");
                let names_it = ty == &format!("{name} object")
                    || ty == &format!("Array of {name} objects")
                    || desc.contains(&format!("Table {n2}."));
                if n2 != num && names_it && !prefix.contains_key(n2) {
                    let child = if ty.starts_with("Array of") {
                        format!("{ptr}/*")
                    } else {
                        ptr.clone()
                    };
                    prefix.insert(*n2, child);
                }
            }
            out.push((ptr, title.clone()));
        }
    }
    out
}

#[test]
fn every_seed_table_parameter_is_declared_and_accounted_for() {
    let linter = Linter::default_ref();
    let cases: [(Api, &str, &[u32]); 4] = [
        (
            Api::DdmCreateInstance,
            "000_b5978c9d523856fb.txt",
            &[3, 4, 5],
        ),
        (
            Api::DdmCreateInstance,
            "001_aa62738b9946edb3.txt",
            &[3, 4, 5],
        ),
        (Api::DdmScaleOut, "002_8a300d0e68980633.txt", &[3]),
        (
            Api::GeminidbCreateInstance,
            "003_0b4f991b078d6d6a.txt",
            &[3, 4, 5, 6, 7, 8, 9],
        ),
    ];
    for (api, file, tables) in cases {
        let params = seed_pointers(file, tables);
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
