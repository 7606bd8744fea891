//! The CLI never prints a password: every format (human with code frames, json, sarif,
//! github), both languages, files and stdin, valid, invalid and broken bodies.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_hcdb-lint");
const REDIS: &str = include_str!("../examples/geminidb-redis.valid.json");
const CASSANDRA: &str = include_str!("../examples/geminidb-cassandra.valid.json");
const DDM: &str = include_str!("../examples/ddm-create-instance.valid.json");

/// Passwords with characters that the formats escape (`%`, `:`, `,`, quotes, newlines) and
/// that the messages use.
const PASSWORDS: &[&str] = &[
    "Leak%Me:1,x",
    "Valid-Pass1~word",
    "Sh0rt!x",
    "must contain uppercase letters Aa1~",
    "Quote\"Back\\slash/1~Aa",
    "Line1Zq\nBreak2Zq\r1~Aa",
    "密码Mima1~安全",
    "Spa ce1~Pass",
];

/// Forms a password can take in output: raw, JSON-escaped, Debug-escaped, GitHub-escaped.
fn forms(p: &str) -> Vec<String> {
    let json = serde_json::to_string(p).unwrap();
    let github = p
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C");
    let mut out = vec![
        p.to_string(),
        json.trim_matches('"').to_string(),
        format!("{p:?}").trim_matches('"').to_string(),
        github,
    ];
    // A password with a line break could be shown line by line in a code frame.
    out.extend(
        p.split(['\n', '\r'])
            .filter(|s| s.chars().count() >= 6)
            .map(str::to_string),
    );
    out.sort();
    out.dedup();
    out
}

/// The files to check for one password, as (name, bytes).
fn files(p: &str) -> Vec<(String, Vec<u8>)> {
    let enc = serde_json::to_string(p).unwrap();
    let inner = &enc[1..enc.len() - 1];
    let set = |base: &str, ptr: &[&str]| {
        let mut v: serde_json::Value = serde_json::from_str(base).unwrap();
        let mut slot = &mut v;
        for k in ptr {
            slot = &mut slot[*k];
        }
        *slot = serde_json::json!(p);
        serde_json::to_string_pretty(&v).unwrap()
    };
    let redis = set(REDIS, &["password"]);
    let mut out = vec![
        ("redis.json".to_string(), redis.clone().into_bytes()),
        (
            "cassandra.json".into(),
            set(CASSANDRA, &["password"]).into_bytes(),
        ),
        (
            "ddm.json".into(),
            set(DDM, &["instance", "admin_user_password"]).into_bytes(),
        ),
        ("crlf.json".into(), redis.replace('\n', "\r\n").into_bytes()),
        // Broken text around the password: a syntax error after it, a missing comma, a
        // truncated file ending inside it, a duplicated key.
        (
            "trailing.json".into(),
            format!("{{\"name\": \"abcd\", \"password\": {enc},, }}").into_bytes(),
        ),
        (
            "comma.json".into(),
            format!("{{\"password\": {enc} \"name\": 1}}").into_bytes(),
        ),
        (
            "truncated.json".into(),
            format!("{{\"name\": \"abcd\",\n\"password\": \"{inner}").into_bytes(),
        ),
        (
            "dup.json".into(),
            format!("{{\"password\": {enc},\n\"password\": {enc}, \"datastore\": {{}}}}")
                .into_bytes(),
        ),
        // An escaped key still names the password; a password of the wrong type.
        (
            "escaped-key.json".into(),
            format!("{{\"pass\\u0077ord\": {enc}, \"datastore\": {{\"type\": \"redis\"}}}}")
                .into_bytes(),
        ),
        (
            "array.json".into(),
            format!("{{\"password\": [{enc}], \"datastore\": {{\"type\": \"redis\"}}}}")
                .into_bytes(),
        ),
    ];
    // Invalid UTF-8 after the password.
    let mut bad = format!("{{\"password\": {enc}, \"name\": \"caf").into_bytes();
    bad.extend_from_slice(b"\xE9\"}");
    out.push(("latin1.json".into(), bad));
    out
}

fn run(args: &[&str], dir: &std::path::Path, stdin: Option<&[u8]>) -> (i32, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hcdb-lint");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn assert_no_password(p: &str, what: &str, output: &str) {
    for form in forms(p) {
        assert!(
            !output.contains(&form),
            "{what}: password {p:?} appears as {form:?} in:\n{output}"
        );
    }
}

#[test]
fn no_format_prints_a_password() {
    for p in PASSWORDS {
        let dir = tempfile::tempdir().unwrap();
        let files = files(p);
        for (name, bytes) in &files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for format in ["human", "json", "sarif", "github"] {
            for lang in ["en", "zh"] {
                for color in ["never", "always"] {
                    let mut args = vec![
                        "check",
                        "--no-config",
                        "--format",
                        format,
                        "--lang",
                        lang,
                        "--color",
                        color,
                    ];
                    args.extend(&names);
                    let (code, out) = run(&args, dir.path(), None);
                    assert_eq!(code, 1, "{format}: the bodies have errors:\n{out}");
                    assert_no_password(p, &format!("{format} {lang} {color}"), &out);
                    if format == "human" && color == "always" {
                        break;
                    }
                }
            }
            // Through stdin, and with the API forced.
            for (name, bytes) in &files {
                let (code, out) = run(
                    &[
                        "check",
                        "--no-config",
                        "--format",
                        format,
                        "--api",
                        "geminidb-create-instance",
                        "-",
                    ],
                    dir.path(),
                    Some(bytes),
                );
                assert!(
                    code == 0 || code == 1,
                    "{name} {format}: exit {code}\n{out}"
                );
                assert_no_password(p, &format!("{format} stdin {name}"), &out);
            }
        }
    }
}

#[test]
fn the_password_check_still_speaks_without_the_value() {
    // Not silent: a short password is reported (at its pointer) in every format, just unquoted.
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(CASSANDRA).unwrap();
    v["password"] = serde_json::json!("Sh0rt!x");
    std::fs::write(dir.path().join("short.json"), v.to_string()).unwrap();
    let (code, out) = run(
        &["check", "--no-config", "--format", "json", "short.json"],
        dir.path(),
        None,
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let diags = doc["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diags
        .iter()
        .any(|d| d["rule"] == "GDB112" && d["pointer"] == "/password"));
    assert_no_password("Sh0rt!x", "json", &out);
}
