//! The server driven through its protocol over an in-memory connection, as an editor drives it.

use super::serve;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const REDIS_EXAMPLE: &str = include_str!("../../../examples/geminidb-redis.valid.json");

/// The Redis example on the default port (8635 draws an info of its own).
fn redis() -> String {
    REDIS_EXAMPLE.replace("\"port\": \"8635\"", "\"port\": \"6379\"")
}
const DDM: &str = include_str!("../../../examples/ddm-create-instance.valid.json");
const CASSANDRA_BAD: &str = include_str!("../../../examples/geminidb-cassandra.invalid.json");

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<bool, String>>>,
    next: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
    /// Everything the server sent, for the secret test.
    transcript: String,
    /// Requests the server sent (workspace/configuration, registerCapability).
    asked: Vec<Request>,
}

fn uri(name: &str) -> String {
    format!("file:///hcdb-lint-test/{name}")
}

fn file_uri(path: &Path) -> String {
    lsp_types::Url::from_file_path(path)
        .map(|u| u.to_string())
        .unwrap_or_default()
}

impl Client {
    fn start(init_options: Value, capabilities: Value) -> (Client, Value) {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || serve(&server));
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
            pending: Vec::new(),
            transcript: String::new(),
            asked: Vec::new(),
        };
        let r = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                   "initializationOptions": init_options}),
        );
        let result = r.response_result.unwrap_or(Value::Null);
        c.notify("initialized", json!({}));
        (c, result)
    }

    fn new() -> Client {
        Client::start(json!({}), json!({})).0
    }

    fn recv(&mut self) -> Message {
        let m = self
            .conn
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|e| panic!("no message from the server: {e}"));
        self.transcript
            .push_str(&serde_json::to_string(&m).unwrap_or_default());
        m
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        let sent = self.conn.sender.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        assert!(sent.is_ok());
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.pending.push(n),
                Message::Request(r) => self.asked.push(r),
                _ => {}
            }
        }
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        match r.response_result {
            Ok(v) => v,
            Err(e) => panic!("{method}: {e:?}"),
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        let sent = self
            .conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )));
        assert!(sent.is_ok());
    }

    /// The next diagnostics published for a document.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(i) = self.pending.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }) {
                let n = self.pending.remove(i);
                return n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            assert!(Instant::now() < deadline, "no diagnostics for {uri}");
            match self.recv() {
                Message::Notification(n) => self.pending.push(n),
                Message::Request(r) => self.asked.push(r),
                Message::Response(_) => {}
            }
        }
    }

    /// Waits for the server's next workspace/configuration request and answers it.
    fn answer_settings(&mut self, section: Value) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(i) = self
                .asked
                .iter()
                .position(|r| r.method == "workspace/configuration")
            {
                let r = self.asked.remove(i);
                assert_eq!(r.params["items"][0]["section"], "hcdbLint");
                let sent = self
                    .conn
                    .sender
                    .send(Message::Response(Response::new_ok(r.id, json!([section]))));
                assert!(sent.is_ok());
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not ask for its settings"
            );
            match self.recv() {
                Message::Notification(n) => self.pending.push(n),
                Message::Request(r) => self.asked.push(r),
                Message::Response(_) => {}
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, changes: Value) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        self.diagnostics(uri)
    }

    fn finish(mut self) -> Result<bool, String> {
        let r = self.request("shutdown", Value::Null);
        assert!(r.response_result.is_ok());
        self.notify("exit", Value::Null);
        let h = self.server.take();
        h.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("the server panicked".into()))
        })
        .unwrap_or(Ok(false))
    }
}

/// The (line, character) of a byte offset as the client counts (UTF-16 or UTF-8).
fn pos(text: &str, offset: usize, utf8: bool) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let character: usize = if utf8 {
        offset - start
    } else {
        before[start..].chars().map(char::len_utf16).sum()
    };
    json!({"line": line, "character": character})
}

fn code(r: &Response) -> Option<i32> {
    r.response_result.as_ref().err().map(|e| e.code)
}

fn rules(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let (c, r) = Client::start(json!({}), json!({}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        r["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental"
    );
    assert_eq!(r["serverInfo"]["name"], "hcdb-lint");
    assert_eq!(c.finish(), Ok(true));
    let (c, r) = Client::start(
        json!({}),
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.finish(), Ok(true));
    let (c, r) = Client::start(
        json!({}),
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
    );
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn diagnostics_on_open_and_on_each_incremental_change() {
    let mut c = Client::new();
    let u = uri("redis.json");
    let body = redis().replace("\"redis-cache-01\"", "\"abc\"");
    let d = c.open(&u, &body);
    assert_eq!(rules(&d), ["GDB101", "HC010"]);
    let at = body.find("\"abc\"").unwrap_or(0);
    assert_eq!(d[0]["range"]["start"], pos(&body, at, false));
    assert_eq!(d[0]["range"]["end"], pos(&body, at + 5, false));
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["source"], "hcdb-lint");
    assert!(d[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("4 to 64")));
    let href = d[0]["codeDescription"]["href"].as_str().unwrap_or_default();
    assert_eq!(
        href,
        hcdb_lint::rule_url(None, "GDB101"),
        "the rule's page on the site"
    );
    assert_eq!(d[1]["severity"], 3, "HC010 is an info");

    // Type one more character into the name: the only error goes.
    let end = pos(&body, at + 4, false);
    let d = c.change(
        &u,
        2,
        json!([{"range": {"start": end, "end": end}, "text": "d"}]),
    );
    assert_eq!(rules(&d), ["HC010"]);
    // Break the syntax: the body stays one of ours (HC001), not silence.
    let d = c.change(
        &u,
        3,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": ""}]),
    );
    assert_eq!(rules(&d), ["HC001"]);
    // A JSON file that is no request body draws nothing.
    let d = c.open(
        &uri("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\"}",
    );
    assert!(d.is_empty());
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn ranges_count_utf16_units_after_cjk_and_emoji() {
    // The bad value sits after CJK (one UTF-16 unit, 3 bytes) and an emoji (2 units, 4 bytes).
    let body = DDM.replace(
        "\"admin_user_name\": \"root_admin\"",
        "\"admin_user_name\": \"root_admin\", \"备注😀\": \"名字😀\", \"time_zone\": \"utc+08:00\"",
    );
    let body = body.replace("\"time_zone\": \"UTC+08:00\",\n", "");
    for utf8 in [false, true] {
        let caps = if utf8 {
            json!({"general": {"positionEncodings": ["utf-8"]}})
        } else {
            json!({})
        };
        let (mut c, _) = Client::start(json!({}), caps);
        let u = uri("ddm.json");
        let d = c.open(&u, &body);
        let tz = d
            .iter()
            .find(|d| {
                d["code"] == "DDM111"
                    || d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("time_zone"))
            })
            .cloned()
            .unwrap_or_default();
        let at = body.find("\"utc+08:00\"").unwrap_or(0);
        assert_eq!(
            tz["range"]["start"],
            pos(&body, at, utf8),
            "utf8={utf8}: {d:#?}"
        );
        assert_eq!(tz["range"]["end"], pos(&body, at + 11, utf8));
        if !utf8 {
            // 4 CJK characters (3 bytes, 1 unit) and 2 emoji (4 bytes, 2 units) before it.
            let p8 = pos(&body, at, true);
            assert_eq!(
                p8["character"].as_u64().unwrap_or(0)
                    - tz["range"]["start"]["character"].as_u64().unwrap_or(0),
                4 * 2 + 2 * 2
            );
        }
        // Quick fix in the same encoding: apply it, and the diagnostic goes.
        let actions = c.result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": tz["range"], "context": {"diagnostics": []}}),
        );
        let edit = actions
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|a| a["title"].as_str().is_some_and(|t| t.contains("UTC+08:00")))
            })
            .map(|a| a["edit"]["changes"][&u][0].clone())
            .unwrap_or_default();
        assert_eq!(edit["newText"], "\"UTC+08:00\"", "{actions:#?}");
        let d = c.change(
            &u,
            2,
            json!([{"range": edit["range"], "text": edit["newText"]}]),
        );
        assert!(!d.iter().any(|x| x["code"] == tz["code"]), "{d:#?}");
        assert_eq!(c.finish(), Ok(true));
    }
}

#[test]
fn a_password_is_never_sent() {
    let secret = "Wk7+password-NEVER-shown";
    let weak = "abc";
    let mut c = Client::new();
    let u = uri("secret.json");
    let body = redis().replace("redis_pass_2024", secret).replace(
        "\"mode\": \"CloudNativeCluster\"",
        "\"mode\": \"cloudnativecluster\"",
    );
    let d = c.open(&u, &body);
    assert!(!d.is_empty());
    let at = body.find(secret).unwrap_or(0) + 2;
    let p = pos(&body, at, false);
    c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": p}),
    );
    c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": p}),
    );
    c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}, "context": {"diagnostics": []}}),
    );
    // A weak password and a broken document: every message still without it.
    let weak_body = body.replace(secret, weak);
    let d = c.change(&u, 2, json!([{"text": weak_body}]));
    assert!(
        d.iter().any(|x| x["code"] != "HC010"
            && x["message"]
                .as_str()
                .is_some_and(|m| m.contains("password"))),
        "{d:#?}"
    );
    let p = pos(&weak_body, weak_body.find(weak).unwrap_or(0) + 1, false);
    c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": p}),
    );
    c.change(
        &u,
        3,
        json!([{"text": weak_body.replace("\"mode\"", "mode")}]),
    );
    assert!(!c.transcript.contains(secret), "the password was sent");
    assert!(
        !c.transcript.contains("\"abc\""),
        "the weak password was sent"
    );
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn config_names_the_api_sets_the_language_and_is_reloaded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    let cfg = root.join("hcdb-lint.json");
    let write = |text: &str| std::fs::write(&cfg, text).unwrap_or_else(|e| panic!("{e}"));
    write(r#"{"lang": "zh", "apis": {"*.out.json": "ddm-scale-out"}, "rules": {"HC010": "off"}}"#);
    let sub = root.join("requests");
    std::fs::create_dir_all(&sub).unwrap_or_else(|e| panic!("{e}"));
    let file = sub.join("a.out.json");
    let u = file_uri(&file);
    let mut c = Client::new();
    // Named as scale-out by the glob, though nothing in it shows an API.
    let d = c.open(&u, "{}");
    assert!(rules(&d).contains(&"HC004".to_string()), "{d:#?}");
    assert!(
        d.iter()
            .all(|d| d["message"].as_str().is_some_and(|m| !m.is_ascii())),
        "messages in Chinese: {d:#?}"
    );
    // The config changes on disk: the next publication follows it.
    std::thread::sleep(Duration::from_millis(20));
    write(r#"{"lang": "en", "apis": {"*.out.json": "ddm-scale-out"}}"#);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&cfg), "type": 2}]}),
    );
    let d = c.diagnostics(&u);
    assert!(
        d.iter()
            .all(|d| d["message"].as_str().is_some_and(str::is_ascii)),
        "{d:#?}"
    );
    // A broken config is one diagnostic that says so, naming the file and key.
    write(r#"{"rules": {"GDB999": "off"}}"#);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&cfg)}}),
    );
    let d = c.diagnostics(&u);
    assert_eq!(d.len(), 1);
    let m = d[0]["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("hcdb-lint.json") && m.contains("rules.GDB999"),
        "{m}"
    );
    // Fixed again, seen without any notification (the file's time changed).
    std::thread::sleep(Duration::from_millis(20));
    write(r#"{"rules": {"HC010": "off"}}"#);
    let d = c.change(&u, 2, json!([{"text": redis()}]));
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn settings_set_language_and_context() {
    let (mut c, _) = Client::start(
        json!({"lang": "zh", "context": {"availability_zones": ["cn-north-4a"]}}),
        json!({}),
    );
    let u = uri("ctx.json");
    let d = c.open(&u, &redis());
    // cn-north-4b is not among the zones the context offers.
    assert!(rules(&d).contains(&"GDB111".to_string()), "{d:#?}");
    assert!(d
        .iter()
        .all(|d| d["message"].as_str().is_some_and(|m| !m.is_ascii())));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"hcdbLint": {"lang": "en"}}}),
    );
    let d = c.diagnostics(&u);
    assert_eq!(rules(&d), ["HC010"]);
    assert!(d[0]["message"].as_str().is_some_and(str::is_ascii));
    assert_eq!(c.finish(), Ok(true));
}

fn hover_text(c: &mut Client, u: &str, text: &str, needle: &str, delta: usize) -> String {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}")) + delta;
    let r = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(text, at, false)}),
    );
    r["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hover_describes_the_field_for_this_engine_and_the_rule_on_a_diagnostic() {
    let mut c = Client::new();
    let u = uri("hover.json");
    let body = redis().replace("\"num\": 3", "\"num\": 2");
    c.open(&u, &body);
    // The node count: Redis CloudNativeCluster's range, on the key and on the value.
    let h = hover_text(&mut c, &u, &body, "\"num\"", 2);
    assert!(h.contains("/flavor/*/num") && h.contains("integer"), "{h}");
    assert!(
        h.contains("range (redis, CloudNativeCluster): 3 – 12"),
        "{h}"
    );
    assert!(h.contains("required"), "{h}");
    // On the value, the diagnostic's rule is explained as well.
    let h = hover_text(&mut c, &u, &body, "\"num\": 2", 8);
    assert!(h.contains("GDB122") && h.contains("Why:"), "{h}");
    let h = hover_text(&mut c, &u, &body, "\"mode\"", 1);
    assert!(
        h.contains("`\"Cluster\"`") && h.contains("`\"Replication\"`"),
        "{h}"
    );
    assert!(
        !h.contains("ReplicaSet"),
        "mongodb's modes are not redis's: {h}"
    );
    // Another engine: its own range.
    let cass = redis().replace("\"redis\"", "\"cassandra\"");
    c.change(&u, 2, json!([{"text": cass}]));
    let h = hover_text(&mut c, &u, &cass, "\"num\"", 2);
    assert!(h.contains("3 – 60"), "{h}");
    let h = hover_text(&mut c, &u, &cass, "\"password\"", 2);
    assert!(h.contains("never shown"), "{h}");
    // Nothing to say between members.
    let r = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null());
    assert_eq!(c.finish(), Ok(true));
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["label"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn completion_offers_members_values_and_skeletons() {
    let mut c = Client::new();
    let u = uri("complete.json");
    // An empty document: a body per API.
    c.open(&u, "");
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(
        labels(&r),
        [
            "ddm-create-instance body",
            "ddm-scale-out body",
            "geminidb-create-instance body"
        ]
    );
    let skeleton = r[2]["textEdit"]["newText"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let v: Value = serde_json::from_str(&skeleton).unwrap_or(Value::Null);
    assert!(
        v.pointer("/datastore/type").is_some() && v.pointer("/flavor/0/num").is_some(),
        "{skeleton}"
    );

    // Member names: the ones datastore allows and does not have yet.
    let text = "{\"datastore\": {\"type\": \"redis\", \"\"}, \"mode\": }";
    c.change(&u, 2, json!([{"text": text}]));
    let at = text.find("\"\"").unwrap_or(0) + 1;
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(text, at, false)}),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"version".into()) && l.contains(&"storage_engine".into()),
        "{l:?}"
    );
    assert!(!l.contains(&"type".into()), "already present: {l:?}");
    let item = r
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "version"))
        .cloned()
        .unwrap_or_default();
    // After the quote already typed, with the closing quote: the same text whether the editor
    // applies the range or inserts at the start of the word (Neovim's omnifunc).
    assert_eq!(item["textEdit"]["newText"], "version\": ");
    assert_eq!(item["textEdit"]["range"]["start"], pos(text, at, false));
    assert_eq!(item["textEdit"]["range"]["end"], pos(text, at + 1, false));
    assert!(item.get("filterText").is_none(), "{item}");
    assert!(item["documentation"]["value"]
        .as_str()
        .is_some_and(|d| d.contains("5.0")));

    // Values: the modes Redis offers, nothing else.
    let at = text.find("\"mode\": ").unwrap_or(0) + 8;
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(text, at, false)}),
    );
    let mut l = labels(&r);
    l.sort();
    assert_eq!(
        l,
        [
            "CloudNativeCluster",
            "Cluster",
            "RedisCluster",
            "Replication"
        ]
    );
    // No quote typed yet: the whole JSON string.
    let item = r
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "Cluster"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["textEdit"]["newText"], "\"Cluster\"");
    // Versions follow the engine and mode.
    let text = "{\"datastore\": {\"type\": \"influxdb\", \"version\": \"\"}, \"mode\": \"CloudNativeCluster\"}";
    c.change(&u, 3, json!([{"text": text}]));
    let at = text.find("\"version\": \"").unwrap_or(0) + 12;
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(text, at, false)}),
    );
    assert_eq!(labels(&r), ["1.7"]);
    assert_eq!(r[0]["textEdit"]["newText"], "1.7\"");
    // time_zone: the documented list.
    let text = "{\"instance\": {\"time_zone\": \"UTC+0\"}}";
    c.change(&u, 4, json!([{"text": text}]));
    let at = text.find("UTC+0").unwrap_or(0) + 5;
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(text, at, false)}),
    );
    let l = labels(&r);
    assert!(l.len() > 20 && l.contains(&"UTC+08:00".into()), "{l:?}");
    // The edit covers what follows the quote, the closing quote included.
    let start = text.find("\"UTC+0").unwrap_or(0) + 1;
    assert_eq!(r[0]["textEdit"]["range"]["start"], pos(text, start, false));
    assert_eq!(
        r[0]["textEdit"]["range"]["end"],
        pos(text, start + 6, false)
    );
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn quick_fixes_rename_misspelt_members_and_fix_the_case() {
    let mut c = Client::new();
    let u = uri("fix.json");
    let body = redis()
        .replace("\"rocksDB\"", "\"RocksDB\"")
        .replace("\"product_type\"", "\"produt_type\"");
    let d = c.open(&u, &body);
    assert!(
        rules(&d).contains(&"HC008".into()) && rules(&d).contains(&"GDB108".into()),
        "{d:#?}"
    );
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let titles = labels(
        &actions
            .as_array()
            .map(|a| a.iter().map(|x| json!({"label": x["title"]})).collect())
            .unwrap_or(Value::Null),
    );
    assert!(
        titles.contains(&"Rename `produt_type` to `product_type`".into()),
        "{titles:?}"
    );
    // The core's fix, worded by the core.
    assert!(titles.contains(&"Write `rocksDB`".into()), "{titles:?}");
    assert!(actions[0]["kind"] == "quickfix" && actions[0]["isPreferred"] == true);
    // Apply them all (from the end, so that earlier ranges stay right).
    let mut edits: Vec<Value> = actions
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["edit"]["changes"][&u][0].clone())
        .collect();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let mut version = 1;
    let mut d = Vec::new();
    for e in edits {
        version += 1;
        d = c.change(
            &u,
            version,
            json!([{"range": e["range"], "text": e["newText"]}]),
        );
    }
    assert_eq!(rules(&d), ["HC010"], "{d:#?}");
    // A range with no diagnostic: no action.
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u},
               "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn bad_requests_get_errors_and_the_server_carries_on() {
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || serve(&server));
    let mut c = Client {
        conn: client,
        server: Some(handle),
        next: 100,
        pending: Vec::new(),
        transcript: String::new(),
        asked: Vec::new(),
    };
    // Before initialize.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(code(&r), Some(-32002));
    let r = c.request("initialize", json!({"capabilities": {}}));
    assert!(r.response_result.is_ok());
    let r = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(code(&r), Some(-32600), "a second initialize");
    let r = c.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(code(&r), Some(-32601));
    let r = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(code(&r), Some(-32602));
    // A change to a document that was closed (or never opened) and bad notifications: logged.
    let u = uri("gone.json");
    c.open(&u, CASSANDRA_BAD);
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert!(
        c.diagnostics(&u).is_empty(),
        "closing clears the diagnostics"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 9}, "contentChanges": [{"text": "{}"}]}),
    );
    c.notify("textDocument/didOpen", json!({"textDocument": 3}));
    c.notify("$/unknown", json!(null));
    // Requests on a document that is not open: empty answers.
    let r = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null());
    // Positions past the end of the document are clamped.
    let u2 = uri("small.json");
    c.open(&u2, "{\"flavor_id\": \"f\", \"node_number\": 1}");
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u2}, "position": {"line": 40, "character": 4000}}),
    );
    assert!(r.is_array());
    let d = c.change(
        &u2,
        2,
        json!([{"range": {"start": {"line": 7, "character": 1}, "end": {"line": 3, "character": 0}}, "text": "x"}]),
    );
    assert!(rules(&d).contains(&"HC001".into()));
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn a_one_mebibyte_document_is_answered_quickly() {
    let mut c = Client::new();
    let u = uri("big.json");
    // A GeminiDB body padded with a long unknown member to just over 1 MiB, and one under it.
    let pad = "x".repeat((1 << 20) - redis().len());
    let big = redis().replacen('{', &format!("{{\"pad\": \"{pad}\","), 1);
    let t = Instant::now();
    let d = c.open(&u, &big);
    assert_eq!(rules(&d), ["HC011"]);
    let small = redis().replacen(
        '{',
        &format!("{{\"pad\": \"{}\",", &pad[..pad.len() - 100]),
        1,
    );
    let d = c.change(&u, 2, json!([{"text": small}]));
    assert!(
        rules(&d).contains(&"HC008".into()),
        "checked in full: {d:?}"
    );
    // A keystroke at the end of the big document.
    let end = pos(&small, small.len(), false);
    let d = c.change(
        &u,
        3,
        json!([{"range": {"start": end, "end": end}, "text": "\n"}]),
    );
    assert!(rules(&d).contains(&"HC008".into()));
    let at = small.find("\"mode\"").unwrap_or(0) + 2;
    let h = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(&small, at, false)}),
    );
    assert!(h["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.contains("/mode")));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn exit_without_shutdown_is_reported() {
    let (mut c, _) = Client::start(json!({}), json!({}));
    c.notify("exit", Value::Null);
    let r = c.server.take().map(|h| h.join());
    assert!(matches!(r, Some(Ok(Ok(false)))));
}

#[test]
fn requests_after_shutdown_are_refused() {
    let (mut c, _) = Client::start(json!({}), json!({}));
    assert!(c.request("shutdown", Value::Null).response_result.is_ok());
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(code(&r), Some(-32600));
    c.notify("exit", Value::Null);
    let r = c.server.take().map(|h| h.join());
    assert!(matches!(r, Some(Ok(Ok(true)))));
}

#[test]
fn an_unsafe_core_fix_is_offered_but_not_preferred() {
    let mut c = Client::new();
    let u = uri("postpaid.json");
    // Pay-per-use: the renewal member is ignored (DDM126); removing it is the core's unsafe fix.
    let body = DDM.replace("\"prePaid\"", "\"postPaid\"");
    let d = c.open(&u, &body);
    assert!(rules(&d).contains(&"DDM126".into()), "{d:#?}");
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let removal = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("is_auto_renew"))
        })
        .unwrap_or_else(|| panic!("no action removes is_auto_renew: {actions:#}"));
    assert_eq!(removal["kind"], "quickfix");
    assert_ne!(removal["isPreferred"], true, "{removal:#}");
    assert_eq!(c.finish(), Ok(true));
}

const PACKAGE_JSON: &str = r#"{
  "name": "web-shop",
  "version": "1.4.0",
  "scripts": { "build": "tsc -p ." },
  "dependencies": { "express": "^4.19.2" }
}
"#;

#[test]
fn other_json_gets_no_diagnostics_completion_or_hover() {
    let mut c = Client::new();
    let tsconfig = "{\n  // comments\n  \"compilerOptions\": { \"strict\": true, },\n  \"\n}\n";
    for (name, text) in [
        ("package.json", PACKAGE_JSON),
        ("tsconfig.json", tsconfig),
        (
            "app.json",
            "{\"instance\": \"prod\", \"port\": 8080, \"name\": \"web\"}",
        ),
    ] {
        let u = uri(name);
        assert!(c.open(&u, text).is_empty(), "{name}");
        // A quote typed where a member name goes: nothing offered.
        let typed = text.replacen("{", "{\"", 1);
        assert!(
            c.change(&u, 2, json!([{"text": typed}])).is_empty(),
            "{name}"
        );
        let r = c.result(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 2}}),
        );
        assert_eq!(r, json!([]), "{name}");
        let at = typed
            .find("name")
            .or_else(|| typed.find("compilerOptions"))
            .unwrap_or(3)
            + 1;
        let r = c.result(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": pos(&typed, at, false)}),
        );
        assert_eq!(r, Value::Null, "{name}");
    }
    // A recognised body, and an empty document (the starter skeletons), do get them.
    assert!(!c.open(&uri("bad.json"), CASSANDRA_BAD).is_empty());
    c.open(&uri("new.json"), "");
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri("new.json")}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(labels(&r).len(), 3);
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn settings_are_pulled_at_start_and_on_change_and_unset_ones_defer_to_the_config() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("hcdb-lint.json"), r#"{"lang": "zh"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let u = file_uri(&dir.path().join("bad.json"));
    let (mut c, _) = Client::start(json!({}), json!({"workspace": {"configuration": true}}));
    // Unset (null) settings: the config's Chinese.
    c.answer_settings(json!({"lang": null, "strict": null, "context": {}}));
    let d = c.open(&u, CASSANDRA_BAD);
    assert!(
        d.iter()
            .all(|d| d["message"].as_str().is_some_and(|m| !m.is_ascii())),
        "{d:#?}"
    );
    // A change notification without the settings (as Neovim sends it): the server asks.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.answer_settings(json!({"lang": "en"}));
    let d = c.diagnostics(&u);
    assert!(
        d.iter()
            .all(|d| d["message"].as_str().is_some_and(str::is_ascii)),
        "{d:#?}"
    );
    // files: "all" checks other JSON too.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.answer_settings(json!({"lang": "en", "files": "all"}));
    c.diagnostics(&u);
    let d = c.open(&file_uri(&dir.path().join("package.json")), PACKAGE_JSON);
    assert_eq!(rules(&d), ["HC014"]);
    assert_eq!(c.finish(), Ok(true));

    // A client that does not declare workspace/configuration (Neovim 0.7) is asked only when
    // it says the settings changed without giving them.
    let (mut c, _) = Client::start(json!({}), json!({}));
    let d = c.open(&u, CASSANDRA_BAD);
    assert!(d
        .iter()
        .all(|d| d["message"].as_str().is_some_and(|m| !m.is_ascii())));
    assert!(c
        .asked
        .iter()
        .all(|r| r.method != "workspace/configuration"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.answer_settings(json!({"lang": "en"}));
    let d = c.diagnostics(&u);
    assert!(
        d.iter()
            .all(|d| d["message"].as_str().is_some_and(str::is_ascii)),
        "{d:#?}"
    );
    // Settings pushed with the notification are used as they are.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"hcdbLint": {"lang": "zh"}}}),
    );
    let d = c.diagnostics(&u);
    assert!(d
        .iter()
        .all(|d| d["message"].as_str().is_some_and(|m| !m.is_ascii())));
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn a_broken_config_is_diagnosed_in_itself_and_pointed_at_from_each_body() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = dir.path().join("hcdb-lint.json");
    let text = "{\n  \"lang\": \"en\",\n  \"rules\": {\"GDB999\": \"off\"}\n}\n";
    std::fs::write(&cfg, text).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Client::new();
    let body = file_uri(&dir.path().join("redis.json"));
    let d = c.open(&body, &redis());
    assert_eq!(d.len(), 1, "{d:#?}");
    let m = d[0]["message"].as_str().unwrap_or_default();
    assert!(m.contains("rules.GDB999") && m.contains("see there"), "{m}");
    // The config file itself: the diagnostic at the member at fault.
    let in_cfg = c.diagnostics(&file_uri(&cfg));
    assert_eq!(in_cfg.len(), 1, "{in_cfg:#?}");
    let at = text.find("\"GDB999\"").unwrap_or(0);
    assert_eq!(in_cfg[0]["range"]["start"], pos(text, at, false));
    assert_eq!(in_cfg[0]["range"]["end"], pos(text, at + 8, false));
    let related = &d[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&cfg).as_str());
    assert_eq!(related["range"], in_cfg[0]["range"]);
    // Other JSON under the broken config: nothing.
    assert!(c
        .open(&file_uri(&dir.path().join("package.json")), PACKAGE_JSON)
        .is_empty());
    // Fixed: the config's diagnostic is cleared, the body is checked.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&cfg, r#"{"lang": "en"}"#).unwrap_or_else(|e| panic!("{e}"));
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&cfg)}}),
    );
    // (Publications made before the fix may still be queued: the last one is empty.)
    let cleared = (0..4).any(|_| c.diagnostics(&file_uri(&cfg)).is_empty());
    assert!(cleared, "the config's diagnostic is not cleared");
    assert_eq!(c.finish(), Ok(true));
}

#[test]
fn a_syntax_error_in_a_password_never_quotes_it_and_rule_pages_are_on_the_site() {
    let mut c = Client::new();
    let u = uri("pw.json");
    let body = redis().replace("\"redis_pass_2024\"", "Secr3tZq");
    assert!(body.contains("Secr3tZq"), "the example's password changed");
    let d = c.open(&u, &body);
    assert_eq!(rules(&d), ["HC001"], "{d:#?}");
    let m = d[0]["message"].as_str().unwrap_or_default();
    assert!(!m.contains("`S`") && m.contains("secret"), "{m}");
    c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(&body, body.find("Secr3tZq").unwrap_or(0) + 1, false)}),
    );
    assert!(!c.transcript.contains("Secr3tZq") && !c.transcript.contains("`S`"));
    // Rule pages: the rule's page on the documentation site, never a file under a shared
    // temporary path.
    let d = c.open(&uri("bad2.json"), CASSANDRA_BAD);
    let href = d[0]["codeDescription"]["href"].as_str().unwrap_or_default();
    let rule = d[0]["code"].as_str().unwrap_or_default();
    assert!(
        href.starts_with("https://") && href.ends_with(&format!("/rules/{rule}.html")),
        "{href}"
    );
    assert_eq!(c.finish(), Ok(true));
}
