//! The language server's latency as an editor sees it: the time from sending `didChange` (one
//! character typed) to receiving the `publishDiagnostics` for that version, over the stdio pipes
//! of a running `hcdb-lint server`. Run by `scripts/bench.sh`, or
//! `cargo bench --bench lsp [-- --quick]`.
//!
//! Bodies: the typical GeminiDB body (`examples/geminidb-cassandra.valid.json` with one error),
//! the large one of the `lint` bench (50 flavor entries, long strings), and a 1 MiB document
//! (the typical body with a long unknown member, just under the default 1 MiB input limit); and
//! a typical Terraform file, read with its module's other files from disk.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hcdb-lint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start hcdb-lint server: {e}"));
        let input = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        let output = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
        let mut s = Server {
            child,
            input,
            output,
            next_id: 0,
        };
        s.request("initialize", json!({"capabilities": {}}));
        s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        s
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.input
            .write_all(framed.as_bytes())
            .and_then(|_| self.input.flush())
            .unwrap_or_else(|e| panic!("write: {e}"));
    }

    fn read(&mut self) -> Value {
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if self.output.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the server closed its output");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length: ") {
                length = v.parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.output
            .read_exact(&mut body)
            .unwrap_or_else(|e| panic!("read: {e}"));
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.read();
            if m["id"] == id {
                return m;
            }
        }
    }

    /// Wait for the diagnostics of this version.
    fn diagnostics(&mut self, version: i64) -> usize {
        loop {
            let m = self.read();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

fn example(name: &str) -> Value {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bodies() -> Vec<(&'static str, String)> {
    let mut typical = example("geminidb-cassandra.valid.json");
    typical["backup_strategy"]["start_time"] = json!("08:15-10:15");
    let varied = |n: usize| -> String { "k7m2p9q4r1s8t3v6w0z5".chars().cycle().take(n).collect() };
    let mut large = typical.clone();
    let long = varied(400);
    large["flavor"] = Value::Array(
        (0..50)
            .map(|i| {
                json!({"num": 3, "storage": "ULTRAHIGH", "size": 500 + i,
                       "spec_code": format!("geminidb.cassandra.{long}{i}.4")})
            })
            .collect(),
    );
    large["vpc_id"] = json!(format!("vpc-{}", varied(1000)));
    large["subnet_id"] = json!(format!("subnet-{}", varied(1000)));
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let typical_text = pretty(&typical);
    let mut mib = typical.clone();
    mib["remark"] = json!("");
    let room = (1usize << 20) - pretty(&mib).len() - 16;
    mib["remark"] = json!(varied(room));
    vec![
        ("typical", typical_text),
        ("large", pretty(&large)),
        ("1 MiB", pretty(&mib)),
    ]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `cargo bench` passes --bench; anything else (a filter) is ignored.
    let mut server = Server::start();
    println!("hcdb-lint server: didChange (one character typed) -> publishDiagnostics, over stdio");
    println!("| document | bytes | diagnostics | runs | median | p90 | min |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (i, (name, text)) in bodies().into_iter().enumerate() {
        let uri = format!("file:///bench/{i}.json");
        server.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}}),
        );
        let count = server.diagnostics(1);
        // The name's 4th character, typed over again and again ("a", then "b").
        let name_line = text
            .lines()
            .position(|l| l.contains("\"name\""))
            .unwrap_or(1);
        let col = text
            .lines()
            .nth(name_line)
            .and_then(|l| l.find(": \""))
            .unwrap_or(0)
            + 6;
        let runs = match (name, quick) {
            ("1 MiB", true) => 10,
            ("1 MiB", false) => 40,
            (_, true) => 50,
            (_, false) => 300,
        };
        let mut times = Vec::with_capacity(runs);
        for r in 0..runs {
            let version = r as i64 + 2;
            let ch = if r % 2 == 0 { "a" } else { "b" };
            let t = Instant::now();
            server.send(
                json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": name_line, "character": col},
                                              "end": {"line": name_line, "character": col + 1}},
                                    "text": ch}]}}),
            );
            server.diagnostics(version);
            times.push(t.elapsed());
        }
        times.sort();
        let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
        println!(
            "| {name} | {} | {count} | {runs} | {} | {} | {} |",
            text.len(),
            ms(times[runs / 2]),
            ms(times[runs * 9 / 10]),
            ms(times[0]),
        );
    }
    terraform_row(&mut server, quick);
    server.stop();
}

/// A typical Terraform file, read with its module (variables.tf, terraform.tfvars) from disk on
/// every change: the valid GeminiDB module of the tests with one literal wrong.
fn terraform_row(server: &mut Server, quick: bool) {
    let fixture = format!(
        "{}/tests/terraform/sources/valid/geminidb-cassandra",
        env!("CARGO_MANIFEST_DIR")
    );
    let dir = std::env::temp_dir().join(format!("hcdb-lint-lsp-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for f in [
        "variables.tf",
        "terraform.tfvars",
        "providers.tf",
        "main.tf",
    ] {
        let _ = std::fs::copy(format!("{fixture}/{f}"), dir.join(f));
    }
    let main = dir.join("main.tf");
    let text = std::fs::read_to_string(&main)
        .unwrap_or_default()
        .replace("\"rocksDB\"", "\"RocksDB\"");
    let uri = format!("file://{}", main.display());
    server.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}}}),
    );
    let count = server.diagnostics(1);
    // A character of the `mode` literal typed over again and again.
    let line = text.lines().position(|l| l.contains("mode ")).unwrap_or(0);
    let col = text
        .lines()
        .nth(line)
        .and_then(|l| l.find('"'))
        .unwrap_or(0)
        + 2;
    let runs = if quick { 50 } else { 300 };
    let mut times = Vec::with_capacity(runs);
    for r in 0..runs {
        let version = r as i64 + 2;
        let t = Instant::now();
        server.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col + 1}},
                                "text": if r % 2 == 0 { "l" } else { "L" }}]}}),
        );
        server.diagnostics(version);
        times.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    times.sort();
    let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
    println!(
        "| typical .tf (module of 4 files) | {} | {count} | {runs} | {} | {} | {} |",
        text.len(),
        ms(times[runs / 2]),
        ms(times[runs * 9 / 10]),
        ms(times[0]),
    );
}
