//! `hcdb-lint server` as a process: framing over stdin/stdout, diagnostics for a file on disk
//! under its hcdb-lint.json, exit codes. (The features are tested through the protocol in
//! src/cli/server/tests.rs, and under a real client by scripts/editor-test.sh.)

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn frame(v: Value) -> String {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Every message the server wrote, in order.
fn messages(out: &[u8]) -> Vec<Value> {
    let text = String::from_utf8_lossy(out);
    let mut rest: &str = &text;
    let mut found = Vec::new();
    while let Some(i) = rest.find("\r\n\r\n") {
        let header = &rest[..i];
        let len: usize = header
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let body = &rest[i + 4..i + 4 + len];
        found.push(serde_json::from_str(body).unwrap_or(Value::Null));
        rest = &rest[i + 4 + len..];
    }
    found
}

/// Run the server on a scripted session; (exit code, messages).
fn session(dir: &std::path::Path, input: &[Value]) -> (Option<i32>, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"))
        .arg("server")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
    let text: String = input.iter().cloned().map(frame).collect();
    stdin
        .write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    drop(stdin);
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .map(|mut o| o.read_to_end(&mut out))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    (status.code(), messages(&out))
}

#[test]
fn a_session_over_stdio_publishes_diagnostics_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("hcdb-lint.json"),
        r#"{"lang": "zh", "apis": {"*.json": "ddm-scale-out"}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("scale.json");
    let uri = format!("file://{}", file.display());
    let (code, msgs) = session(
        dir.path(),
        &[
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": uri, "languageId": "json", "version": 1, "text": "{\"node_number\": 0}"}}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "method": "exit"}),
        ],
    );
    assert_eq!(code, Some(0));
    assert!(msgs
        .iter()
        .any(|m| m["id"] == 1 && m["result"]["capabilities"].is_object()));
    let published = msgs
        .iter()
        .find(|m| m["method"] == "textDocument/publishDiagnostics")
        .cloned()
        .unwrap_or_default();
    let diags = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!diags.is_empty(), "{msgs:#?}");
    assert!(diags.iter().all(
        |d| d["source"] == "hcdb-lint" && d["message"].as_str().is_some_and(|m| !m.is_ascii())
    ));
    assert!(msgs.iter().any(|m| m["id"] == 2 && m["result"].is_null()));
}

#[test]
fn exit_without_shutdown_or_end_of_input_is_exit_code_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let init =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    let (code, _) = session(
        dir.path(),
        &[init.clone(), json!({"jsonrpc": "2.0", "method": "exit"})],
    );
    assert_eq!(code, Some(1));
    let (code, msgs) = session(dir.path(), &[init]);
    assert_eq!(code, Some(1), "the client went away");
    assert_eq!(msgs.len(), 1);
}

/// A Terraform buffer under a real client's session: its module read from disk with the
/// buffer's text, diagnostics on the covered resources only (a value from a variable's default
/// shown at the attribute), a quick fix on a literal, a hover naming the body member, and
/// nothing on other providers' resources.
#[test]
fn terraform_buffers_get_diagnostics_fixes_and_hover() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"n\" {\n  default = \"x\"\n}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let main = dir.path().join("main.tf");
    let text = "resource \"huaweicloud_geminidb_instance\" \"g\" {\n  name = var.n\n  mode = \"Cluster\"\n  datastore {\n    type           = \"cassandra\"\n    version        = \"3.11\"\n    storage_engine = \"RocksDB\" # spelt wrong\n  }\n}\n";
    std::fs::write(&main, text).unwrap_or_else(|e| panic!("{e}"));
    let other = dir.path().join("other.tf");
    let other_text = "resource \"aws_db_instance\" \"a\" {\n  storage_engine = \"RocksDB\"\n}\n";
    let uri = format!("file://{}", main.display());
    let other_uri = format!("file://{}", other.display());
    let (code, msgs) = session(
        dir.path(),
        &[
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": uri, "languageId": "terraform", "version": 1, "text": text}}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 6, "character": 21}, "end": {"line": 6, "character": 30}},
                "context": {"diagnostics": []}}}),
            json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {
                "textDocument": {"uri": uri}, "position": {"line": 6, "character": 6}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": other_uri, "languageId": "terraform", "version": 1, "text": other_text}}}),
            json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {
                "textDocument": {"uri": other_uri}, "position": {"line": 1, "character": 4}}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": {"start": {"line": 6, "character": 22}, "end": {"line": 6, "character": 23}}, "text": "r"}]}}),
            json!({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "method": "exit"}),
        ],
    );
    assert_eq!(code, Some(0));
    let published: Vec<&Value> = msgs
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    let codes = |p: &Value| -> Vec<(String, u64)> {
        p["params"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                let code = d["code"].as_str().unwrap_or_default().to_string();
                (code, d["range"]["start"]["line"].as_u64().unwrap_or(99))
            })
            .collect()
    };
    let first = published
        .iter()
        .find(|p| p["params"]["version"] == 1 && p["params"]["uri"] == uri.as_str());
    let first = codes(first.unwrap_or_else(|| panic!("{msgs:#?}")));
    assert!(first.contains(&("GDB108".into(), 6)), "{first:?}");
    // The name's value is in variables.tf: shown at `name = var.n`.
    assert!(first.contains(&("GDB101".into(), 1)), "{first:?}");
    let action = msgs
        .iter()
        .find(|m| m["id"] == 2)
        .cloned()
        .unwrap_or_default();
    let edit = &action["result"][0]["edit"]["changes"][uri.as_str()][0];
    assert_eq!(edit["newText"], "\"rocksDB\"", "{action:#}");
    assert_eq!(edit["range"]["start"], json!({"line": 6, "character": 21}));
    let hover = msgs
        .iter()
        .find(|m| m["id"] == 3)
        .cloned()
        .unwrap_or_default();
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains("/datastore/storage_engine"), "{hover:#}");
    assert!(value.contains("rocksDB"), "{value}");
    // Another provider's resource: no diagnostics, no hover.
    let other_pub = published
        .iter()
        .find(|p| p["params"]["uri"] == other_uri.as_str());
    assert!(
        other_pub.is_some_and(|p| codes(p).is_empty()),
        "{other_pub:?}"
    );
    assert!(msgs.iter().any(|m| m["id"] == 4 && m["result"].is_null()));
    // Fixed by typing: the finding goes.
    let second = published.iter().find(|p| p["params"]["version"] == 2);
    let second = codes(second.unwrap_or_else(|| panic!("{msgs:#?}")));
    assert!(!second.iter().any(|(c, _)| c == "GDB108"), "{second:?}");
}
