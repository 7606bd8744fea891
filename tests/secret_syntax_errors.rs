//! A syntax error inside a secret member's value never quotes its characters: `{"password":
//! Secr3t}` (unquoted) is worded without `S` or any other character of the value, in the
//! library's report (what the browser package and the editor show) and in every CLI format.
#![cfg(feature = "cli")]

use hcdb_lint::{Api, Linter};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hcdb-lint");
const REDIS: &str = include_str!("../examples/geminidb-redis.valid.json");
const DDM: &str = include_str!("../examples/ddm-create-instance.valid.json");

/// The examples with their password written bare (not a JSON string): `Secr3t`, `Zq9~pass`.
fn broken() -> Vec<(&'static str, String, Option<Api>)> {
    let redis = serde_json::from_str::<serde_json::Value>(REDIS).unwrap()["password"]
        .as_str()
        .unwrap()
        .to_string();
    let ddm = serde_json::from_str::<serde_json::Value>(DDM).unwrap()["instance"]
        ["admin_user_password"]
        .as_str()
        .unwrap()
        .to_string();
    vec![
        (
            "Secr3t",
            REDIS.replace(&format!("\"{redis}\""), "Secr3t"),
            Some(Api::GeminidbCreateInstance),
        ),
        (
            "Zq9~pass",
            DDM.replace(&format!("\"{ddm}\""), "Zq9~pass"),
            Some(Api::DdmCreateInstance),
        ),
        (
            "Secr3t",
            r#"{"password": Secr3t}"#.to_string(),
            Some(Api::GeminidbCreateInstance),
        ),
    ]
}

/// What must not appear: the value, and its characters quoted as the syntax error quotes one.
fn leaks(out: &str, secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    for c in secret.chars() {
        for quoted in [format!("`{c}`"), format!("'{c}'"), format!("\\`{c}\\`")] {
            if out.contains(&quoted) {
                found.push(quoted);
            }
        }
    }
    if out.contains(secret) {
        found.push(secret.to_string());
    }
    found
}

#[test]
fn the_report_names_no_character_of_the_secret() {
    for lang in [hcdb_lint::Lang::En, hcdb_lint::Lang::Zh] {
        let linter = Linter::new(hcdb_lint::Config {
            lang,
            ..Default::default()
        })
        .unwrap();
        for (secret, text, api) in broken() {
            let reports = [
                linter.check_str_detect(&text),
                linter.check_bytes(api, text.as_bytes()),
            ];
            for r in reports {
                let d = &r.diagnostics[0];
                assert_eq!(d.rule, "HC001", "{text}");
                let all = serde_json::to_string(&r.diagnostics).unwrap();
                assert!(leaks(&all, secret).is_empty(), "{all}");
                assert!(
                    d.message.contains("secret") || d.message.contains("密码"),
                    "{}",
                    d.message
                );
            }
        }
    }
    // A syntax error elsewhere still names its character.
    let r = Linter::default_ref().check_str_detect(r#"{"name": Xyz}"#);
    assert!(
        r.diagnostics[0].message.contains("`X`"),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn no_cli_format_names_a_character_of_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (secret, text, api)) in broken().into_iter().enumerate() {
        let name = format!("b{i}.json");
        std::fs::write(dir.path().join(&name), &text).unwrap();
        for format in ["human", "json", "sarif", "github"] {
            let mut cmd = Command::new(BIN);
            cmd.args([
                "check",
                "--no-config",
                "--color",
                "never",
                "--format",
                format,
            ]);
            if let Some(api) = api {
                cmd.args(["--api", api.id()]);
            }
            let out = cmd.arg(&name).current_dir(dir.path()).output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(1), "{format}: {all}");
            assert!(all.contains("HC001"), "{format}: {all}");
            assert!(
                leaks(&all, secret).is_empty(),
                "{format}: {:?} in {all}",
                leaks(&all, secret)
            );
        }
    }
}
