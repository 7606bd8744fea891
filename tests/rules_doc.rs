//! `rules/README.md` is generated from the packs by `hcdb_lint::rules_markdown()`; this test fails
//! when the committed file is stale. `UPDATE_RULES_DOC=1 cargo test --test rules_doc` rewrites it.

use hcdb_lint::{rule_markdown, rules_markdown, Api, Lang, Linter};

#[test]
fn rules_readme_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules")
        .join("README.md");
    let want = rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &want).expect("write rules/README.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "rules/README.md is stale: run `UPDATE_RULES_DOC=1 cargo test --test rules_doc`"
    );
}

#[test]
fn the_reference_lists_every_rule_and_every_unchecked_parameter() {
    let doc = rules_markdown();
    let linter = Linter::default_ref();
    for r in linter.rules() {
        assert!(
            doc.contains(&format!("### {} `{}`", r.id, r.name)),
            "{}",
            r.id
        );
        assert!(doc.contains(&r.summary.en), "{}: summary missing", r.id);
    }
    for api in Api::ALL {
        for u in linter.unchecked(api) {
            assert!(
                doc.contains(&u.reason.en.replace('|', "\\|")),
                "{api}: {}",
                u.parameter
            );
        }
    }
}

#[test]
fn per_rule_docs_come_in_both_languages() {
    let linter = Linter::default_ref();
    let r = linter.rule("GDB127").expect("rule");
    let en = rule_markdown(r, Lang::En);
    let zh = rule_markdown(r, Lang::Zh);
    assert!(en.contains(&r.why.en) && en.contains("Invalid"));
    assert!(zh.contains(&r.why.zh) && zh.contains("错误示例"));
    // The source names the page by title, reference, language and edition.
    assert!(
        en.contains("Creating an Instance (GeminiDB API reference, English, updated 2025-09-04)")
    );
}

#[test]
fn the_reference_links_every_rule_to_its_section_of_the_reading_page() {
    // Each rule's why ends with a pointer into docs/reading-the-pages.md; the generated
    // reference makes it a link relative to rules/, and the section exists (a stable anchor).
    let reading = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reading-the-pages.md"),
    )
    .expect("docs/reading-the-pages.md");
    let doc = rules_markdown();
    for r in Linter::default_ref().rules() {
        for why in [&r.why.en, &r.why.zh] {
            let anchor = hcdb_lint::reading_anchor(why).unwrap_or_else(|| {
                panic!(
                    "{}: the why does not point into the reading page: {why}",
                    r.id
                )
            });
            assert!(
                reading.contains(&format!("<a id=\"{anchor}\"></a>")),
                "{}: no section `{anchor}` in docs/reading-the-pages.md",
                r.id
            );
        }
        let anchor = hcdb_lint::reading_anchor(&r.why.en).unwrap_or_default();
        assert!(
            doc.contains(&format!(
                "[docs/reading-the-pages.md#{anchor}](../docs/reading-the-pages.md#{anchor})"
            )),
            "{}: no link in rules/README.md",
            r.id
        );
    }
}

#[test]
fn the_reading_page_names_every_page_its_edition_and_the_tables_read() {
    // The reading page is where a user finds which page, which edition and which tables a rule
    // follows: it names every page the tests know (tests/data/reference/pages.json) with its
    // date, and every body table of it.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let reading = std::fs::read_to_string(root.join("docs/reading-the-pages.md")).expect("page");
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/data/reference/pages.json")).expect("data"),
    )
    .expect("json");
    let pages = data["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 4);
    for p in pages {
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let section = format!("<a id=\"page-{}\"></a>", s("api"));
        let at = reading
            .find(&section)
            .unwrap_or_else(|| panic!("no section {section}"));
        let rest = &reading[at + section.len()..];
        let body = &rest[..rest.find("<a id=").unwrap_or(rest.len())];
        for want in [s("title"), s("updated"), s("language")] {
            assert!(body.contains(&want), "{section}: `{want}` missing");
        }
        for t in p["tables"].as_array().expect("tables") {
            if t.get("pointer").is_some() {
                let title = t["title"].as_str().unwrap_or_default();
                assert!(body.contains(title), "{section}: table `{title}` missing");
            }
        }
    }
}
