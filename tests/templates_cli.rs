//! Templates on the command line: on by default, `--no-templates`, variables from `--var`,
//! `--vars` (JSON and `.env`), `--env` and the config file, `--fail-on-unknown`, the unknown
//! list in every output format, the examples under `examples/templates/`, and a substituted
//! password never printed in any format.
#![cfg(feature = "cli")]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hcdb-lint");
const SCALE: &str = "{\n  \"flavor_id\": \"$(FLAVOR)\",\n  \"node_number\": ${N}\n}\n";
const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, &[])
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn rules_of(v: &Value) -> Vec<String> {
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn templates_are_on_by_default_and_listed_in_json() {
    let d = dir_with(&[("scale.json", SCALE)]);
    let (code, out, err) = run(d.path(), &["check", "--format", "json", "scale.json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(rules_of(&v), Vec::<String>::new());
    assert_eq!(
        v["files"][0]["unknown"],
        serde_json::json!([
            {"pointer": "/flavor_id", "expression": "$(FLAVOR)", "line": 2, "column": 16},
            {"pointer": "/node_number", "expression": "${N}", "line": 3, "column": 18}
        ])
    );
    assert_eq!(v["summary"]["unknown"], 2);
    // A plain file has an empty list.
    let d = dir_with(&[("plain.json", "{\"flavor_id\": \"f\", \"node_number\": 2}")]);
    let (_, out, _) = run(d.path(), &["check", "--format", "json", "plain.json"]);
    assert_eq!(json(&out)["files"][0]["unknown"], serde_json::json!([]));
}

#[test]
fn no_templates_reads_plain_json() {
    let d = dir_with(&[("scale.json", SCALE)]);
    let (code, out, _) = run(
        d.path(),
        &["check", "--format", "json", "--no-templates", "scale.json"],
    );
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(rules_of(&v), ["HC001"]);
    assert_eq!(v["files"][0]["unknown"], serde_json::json!([]));
    // ... and so does the config file's `"templates": false`.
    std::fs::write(d.path().join("hcdb-lint.json"), "{\"templates\": false}").unwrap();
    let (code, _, _) = run(d.path(), &["check", "scale.json"]);
    assert_eq!(code, 1);
}

#[test]
fn variables_from_flags_files_environment_and_config() {
    let d = dir_with(&[
        ("scale.json", SCALE),
        ("vars.json", "{\"N\": 0, \"FLAVOR\": \"f1\"}"),
        ("vars.env", "# ids\nexport FLAVOR=f1\nN='0'\n"),
    ]);
    let fails = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("scale.json");
        let (code, out, err) = run_env(d.path(), &all, env);
        let v = json(&out);
        assert!(err.is_empty(), "{err}");
        (
            code,
            rules_of(&v),
            v["files"][0]["unknown"].as_array().unwrap().len(),
        )
    };
    assert_eq!(
        fails(&["--var", "N=0", "--var", "FLAVOR=f"], &[]),
        (1, vec!["DDM201".to_string()], 0)
    );
    assert_eq!(fails(&["--var", "N=3"], &[]), (0, vec![], 1));
    assert_eq!(
        fails(&["--vars", "vars.json"], &[]),
        (1, vec!["DDM201".to_string()], 0)
    );
    assert_eq!(
        fails(&["--vars", "vars.env"], &[]),
        (1, vec!["DDM201".to_string()], 0)
    );
    // --var wins over --vars.
    assert_eq!(
        fails(&["--vars", "vars.env", "--var", "N=2"], &[]),
        (0, vec![], 0)
    );
    // The environment only when asked.
    let env = [("N", "0"), ("FLAVOR", "f")];
    assert_eq!(fails(&[], &env), (0, vec![], 2));
    assert_eq!(fails(&["--env"], &env), (1, vec!["DDM201".to_string()], 0));
    // The config file's vars and env.
    std::fs::write(
        d.path().join("hcdb-lint.json"),
        "{\"vars\": {\"N\": \"0\"}}",
    )
    .unwrap();
    assert_eq!(fails(&[], &[]), (1, vec!["DDM201".to_string()], 1));
    std::fs::write(d.path().join("hcdb-lint.json"), "{\"env\": true}").unwrap();
    assert_eq!(fails(&[], &env), (1, vec!["DDM201".to_string()], 0));
    // A bare value that is not JSON names the variable.
    std::fs::remove_file(d.path().join("hcdb-lint.json")).unwrap();
    let (code, out, _) = run(d.path(), &["check", "--var", "N=two", "scale.json"]);
    assert_eq!(code, 1);
    assert!(out.contains("HC016") && out.contains("`N`"), "{out}");
    // Bad flags are usage errors naming what is wrong.
    let (code, _, err) = run(d.path(), &["check", "--var", "NOVALUE", "scale.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("--var"), "{err}");
    let (code, _, err) = run(d.path(), &["check", "--vars", "missing.env", "scale.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.env"), "{err}");
}

#[test]
fn fail_on_unknown_makes_each_unknown_an_error() {
    let d = dir_with(&[("scale.json", SCALE)]);
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on-unknown",
            "scale.json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&json(&out)), ["HC017", "HC017"]);
    std::fs::write(
        d.path().join("hcdb-lint.json"),
        "{\"fail_on_unknown\": true}",
    )
    .unwrap();
    let (code, _, _) = run(d.path(), &["check", "scale.json"]);
    assert_eq!(code, 1);
}

#[test]
fn unknowns_in_every_output_format() {
    let d = dir_with(&[("scale.json", SCALE)]);
    let (_, human, _) = run(d.path(), &["check", "scale.json"]);
    assert!(
        human.contains("2 values not checked (template expressions)"),
        "{human}"
    );
    let (_, zh, _) = run(d.path(), &["check", "--lang", "zh", "scale.json"]);
    assert!(zh.contains("2 个值为模板表达式"), "{zh}");
    let (_, sarif, _) = run(d.path(), &["check", "--format", "sarif", "scale.json"]);
    let v = json(&sarif);
    // Valid SARIF 2.1.0 (the schema file the other SARIF test uses, its one bad pattern mended).
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let schema_text = std::fs::read_to_string(schema_path).unwrap().replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1]["properties"]["expression"], "${N}");
    assert_eq!(
        notes[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let (_, gh, _) = run(d.path(), &["check", "--format", "github", "scale.json"]);
    assert!(
        gh.contains("::notice file=scale.json,line=3,col=18,title=unknown-value::not checked: /node_number is the template expression ${N}"),
        "{gh}"
    );
}

#[test]
fn control_blocks_say_render_first() {
    let d = tempfile::tempdir().unwrap();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates/helm-range.invalid.json");
    let (code, out, _) = run(d.path(), &["check", example.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("render the template first"), "{out}");
    assert!(out.contains("helm template"), "{out}");
}

#[test]
fn the_template_examples_lint_as_their_names_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (code, out, err) = run(&dir, &["check", "--format", "json", &name]);
        let v = json(&out);
        let errors = v["summary"]["errors"].as_u64().unwrap();
        if name.ends_with(".valid.json") {
            assert_eq!((code, errors), (0, 0), "{name}: {out}{err}");
            assert!(!v["files"][0]["unknown"].as_array().unwrap().is_empty());
        } else {
            assert_eq!(code, 1, "{name}: {out}");
            assert!(errors > 0, "{name}");
        }
        seen += 1;
    }
    assert!(seen >= 7, "{seen}");
}

#[test]
fn a_substituted_password_is_never_printed() {
    let body = CASSANDRA.replace("\"Geminidb#2024x\"", "\"${PW}\"");
    let bare = "{\"flavor_id\": \"f\", \"node_number\": ${PW}}";
    let d = dir_with(&[("g.json", &body), ("s.json", bare)]);
    for pw in [
        "Leak%Me:1,x",
        "Sh0rt!x",
        "Valid-Pass1~word",
        "no json at all",
    ] {
        std::fs::write(d.path().join("v.env"), format!("PW={pw}\n")).unwrap();
        std::fs::write(
            d.path().join("hcdb-lint.json"),
            serde_json::json!({"vars": {"PW": pw}}).to_string(),
        )
        .unwrap();
        for format in ["human", "json", "sarif", "github"] {
            for lang in ["en", "zh"] {
                for source in [
                    vec!["--var".to_string(), format!("PW={pw}")],
                    vec!["--vars".to_string(), "v.env".to_string()],
                    vec!["--env".to_string()],
                    vec![],
                ] {
                    let mut args = vec!["check", "--format", format, "--lang", lang];
                    args.extend(source.iter().map(String::as_str));
                    args.extend(["g.json", "s.json"]);
                    let (_, out, err) = run_env(d.path(), &args, &[("PW", pw)]);
                    for shown in [&out, &err] {
                        assert!(
                            !shown.contains(pw) && !shown.contains(&pw.replace('%', "%25")),
                            "{pw} shown in {format}/{lang}/{source:?}: {shown}"
                        );
                    }
                    assert!(!out.is_empty());
                }
            }
        }
    }
}
