//! `hcdb-lint server`: a Language Server Protocol 3.17 server over stdio. Diagnostics on open and
//! on every change, hover, completion and quick fixes, from the same linter as `check`.
//!
//! lsp-server (the transport rust-analyzer uses: a synchronous message loop over channels, with
//! an in-memory connection for tests) and lsp-types (the protocol's types) do the protocol; this
//! module is the glue between them and the linter. Requests are answered one at a time: a check
//! takes well under a millisecond, so a worker pool would add latency, not remove it.

mod config_diag;
mod edits;
pub(crate) mod features;
pub(crate) mod scan;
mod terraform;
mod text;
mod transport;

#[cfg(test)]
mod tests;

use super::config::{self as cfgfile, Ignore};
use super::glob::Glob;
use super::Fatal;
use features::Ctx;
use hcdb_lint::{Api, Config, Lang, Linter, Severity};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticSeverity, HoverProviderCapability, InitializeParams, InitializeResult,
    NumberOrString, PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;
use text::{Encoding, Lines};

/// The source every diagnostic carries.
pub const SOURCE: &str = "hcdb-lint";

/// The id prefix of the server's workspace/configuration requests.
const SETTINGS_REQUEST: &str = "hcdb-lint-settings-";

/// `hcdb-lint server`: serve on stdio until `exit`. Exit code 0 after `shutdown` then `exit`,
/// 1 when the client exits or goes away without `shutdown` (as the protocol asks).
pub fn main() -> Result<u8, Fatal> {
    let (conn, threads) = transport::stdio();
    let outcome = serve(&conn);
    drop(conn);
    threads
        .join()
        .map_err(|e| Fatal(format!("language server: {e}")))?;
    match outcome {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(e) => Err(Fatal(format!("language server: {e}"))),
    }
}

/// Run the server on a connection until `exit` (or the connection closes). `Ok(true)` when the
/// client asked for `shutdown` first.
pub fn serve(conn: &Connection) -> Result<bool, String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut server = Server::new(conn, cwd);
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => server.on_request(req),
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Ok(server.shutdown);
                }
                server.on_notification(n);
            }
            // Answers to what the server asked: its settings (workspace/configuration); the
            // answer to registerCapability needs nothing.
            Message::Response(r) => server.on_response(r),
        }
    }
    Ok(false)
}

/// What the editor may set (initializationOptions or workspace configuration), as in
/// hcdb-lint.json, over the config file's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub lang: Option<Lang>,
    pub strict: Option<bool>,
    pub context: Map<String, Value>,
    /// Where rule documentation lives: the documentation site's address (rule pages under
    /// `rules/`), or a URL template where `{id}` and `{anchor}` are filled in. Default: the
    /// published site.
    pub docs_url: Option<String>,
    /// `"files": "all"`: every JSON document is checked, one that is not a request body gets
    /// HC014 (as `"unrecognized": "error"` does for `check`); by default (`"bodies"`) only the
    /// documents recognised (or mapped) as request bodies, and empty ones, are.
    pub all_json: bool,
}

impl Settings {
    /// Read settings; they may sit under `hcdbLint` or `hcdb-lint` (workspace configuration
    /// sections) or at the top. Unknown keys belong to other tools and are left alone.
    pub fn parse(v: &Value) -> Result<Settings, String> {
        let v = v
            .get("hcdbLint")
            .or_else(|| v.get("hcdb-lint"))
            .unwrap_or(v);
        let mut s = Settings::default();
        let Some(o) = v.as_object() else {
            return Ok(s);
        };
        if let Some(l) = o.get("lang").filter(|l| !l.is_null()) {
            s.lang = Some(
                l.as_str()
                    .ok_or("lang: expected \"en\" or \"zh\"")?
                    .parse::<Lang>()
                    .map_err(|e| format!("lang: {e}"))?,
            );
        }
        if let Some(b) = o.get("strict").filter(|b| !b.is_null()) {
            s.strict = Some(b.as_bool().ok_or("strict: expected true or false")?);
        }
        if let Some(c) = o.get("context").filter(|c| !c.is_null()) {
            s.context = c.as_object().ok_or("context: expected an object")?.clone();
        }
        if let Some(u) = o
            .get("docsUrl")
            .or_else(|| o.get("docs_url"))
            .filter(|u| !u.is_null())
        {
            s.docs_url = Some(u.as_str().ok_or("docsUrl: expected a URL")?.to_string());
        }
        if let Some(f) = o.get("files").filter(|f| !f.is_null()) {
            s.all_json = match f.as_str() {
                Some("all") => true,
                Some("bodies") => false,
                _ => return Err("files: expected \"bodies\" or \"all\"".into()),
            };
        }
        Ok(s)
    }
}

/// A configuration ready to check with: the linter and the file-related parts of the config.
pub struct Setup {
    pub linter: Linter,
    pub apis: Vec<(Glob, Api)>,
    pub ignore: Vec<Ignore>,
    pub base: PathBuf,
}

struct Cached {
    stamp: Option<(SystemTime, u64)>,
    setup: Result<Rc<Setup>, String>,
}

pub struct Document {
    pub text: String,
    pub version: i32,
    pub path: Option<PathBuf>,
    /// Whether the document is JSON at all (language id or file name).
    pub json: bool,
    /// The API last seen in the body: kept while a syntax error hides it.
    pub api: Option<Api>,
    /// The diagnostics last published, for hover and code actions.
    pub diagnostics: Vec<hcdb_lint::Diagnostic>,
    /// A Terraform module's file (`.tf`, `.tf.json`): see `terraform.rs`.
    pub terraform: bool,
}

pub struct Server<'a> {
    conn: &'a Connection,
    initialized: bool,
    shutdown: bool,
    enc: Encoding,
    settings: Settings,
    root: PathBuf,
    docs: HashMap<Url, Document>,
    configs: HashMap<PathBuf, Cached>,
    /// Whether the client answers `workspace/configuration` (the settings are pulled at start
    /// and on each didChangeConfiguration).
    pull_settings: bool,
    /// Config files whose problem is published in them (cleared when they load again).
    broken_configs: HashSet<PathBuf>,
    next_id: i32,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

pub(super) fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == cfgfile::FILE_NAME)
}

impl<'a> Server<'a> {
    fn new(conn: &'a Connection, root: PathBuf) -> Server<'a> {
        Server {
            conn,
            initialized: false,
            shutdown: false,
            enc: Encoding::Utf16,
            settings: Settings::default(),
            root,
            docs: HashMap::new(),
            configs: HashMap::new(),
            broken_configs: HashSet::new(),
            pull_settings: false,
            next_id: 0,
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        // A closed connection ends the loop on the next receive.
        let _ = self.conn.sender.send(msg.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn show(&self, level: u8, message: String) {
        self.notify(
            "window/showMessage",
            json!({"type": level, "message": message}),
        );
    }

    fn on_request(&mut self, req: Request) {
        let id = req.id.clone();
        if !self.initialized && req.method != "initialize" {
            return self.send(Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".into(),
            ));
        }
        if self.shutdown {
            return self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        }
        let method = req.method.clone();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.request(req)));
        let resp = match outcome {
            Ok(Ok(v)) => Response::new_ok(id, v),
            Ok(Err((code, msg))) => Response::new_err(id, code as i32, msg),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("internal error in {method} (a bug: please report it)"),
            ),
        };
        self.send(resp);
    }

    fn request(&mut self, req: Request) -> Result<Value, (ErrorCode, String)> {
        fn params<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value(req.params.clone()).map_err(|e| {
                (
                    ErrorCode::InvalidParams,
                    format!("{}: invalid params: {e}", req.method),
                )
            })
        }
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match req.method.as_str() {
            "initialize" => {
                if self.initialized {
                    return Err((
                        ErrorCode::InvalidRequest,
                        "initialize was already sent".into(),
                    ));
                }
                let p: InitializeParams = params(&req)?;
                json(serde_json::to_value(self.initialize(p)))
            }
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = params(&req)?;
                let pos = p.text_document_position_params;
                if let Some(h) = self.terraform_hover(&pos.text_document.uri, pos.position) {
                    return json(serde_json::to_value(h));
                }
                let r = self.with_ctx(&pos.text_document.uri, |c| {
                    let off = c.offset(pos.position);
                    features::hover(c, off)
                });
                json(serde_json::to_value(r.flatten()))
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(&req)?;
                let pos = p.text_document_position;
                let r = self.with_ctx(&pos.text_document.uri, |c| {
                    let off = c.offset(pos.position);
                    features::completion(c, off)
                });
                json(serde_json::to_value(r.unwrap_or_default()))
            }
            "textDocument/codeAction" => {
                let p: lsp_types::CodeActionParams = params(&req)?;
                let uri = p.text_document.uri.clone();
                let r = self.with_ctx(&uri, |c| {
                    let a = c.offset(p.range.start);
                    let b = c.offset(p.range.end);
                    features::code_actions(c, &uri, (a, b.max(a)))
                });
                json(serde_json::to_value(r.unwrap_or_default()))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("hcdb-lint server does not handle `{other}`"),
            )),
        }
    }

    fn initialize(&mut self, p: InitializeParams) -> InitializeResult {
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        // UTF-8 saves the conversion on both sides; UTF-16 is what every client understands.
        self.enc = match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        };
        #[allow(deprecated)]
        let root = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(p.root_uri.clone())
            .and_then(|u| u.to_file_path().ok());
        if let Some(root) = root {
            self.root = root;
        }
        self.pull_settings = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        if let Some(opts) = &p.initialization_options {
            match Settings::parse(opts) {
                Ok(s) => self.settings = s,
                Err(e) => self.show(1, format!("hcdb-lint: initializationOptions.{e}")),
            }
        }
        self.initialized = true;
        let watch = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if watch {
            // Config files edited outside the editor (git checkout, another tool) are seen too.
            self.next_id += 1;
            self.send(Request::new(
                RequestId::from(format!("hcdb-lint-watch-{}", self.next_id)),
                "client/registerCapability".into(),
                json!({"registrations": [{
                    "id": "hcdb-lint-config-watch",
                    "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": {"watchers": [{"globPattern": "**/hcdb-lint.json"}]}
                }]}),
            ));
        }
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match self.enc {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["\"".into(), ":".into()]),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "hcdb-lint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    fn on_notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        let method = n.method.clone();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => self.notify("window/logMessage", json!({"type": 2, "message": msg})),
            Err(_) => self.show(
                1,
                format!("hcdb-lint: internal error in {method} (a bug: please report it)"),
            ),
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), String> {
        fn params<T: serde::de::DeserializeOwned>(n: &Notification) -> Result<T, String> {
            serde_json::from_value(n.params.clone())
                .map_err(|e| format!("hcdb-lint: {}: invalid params: {e}", n.method))
        }
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let p: lsp_types::DidOpenTextDocumentParams = params(&n)?;
                let d = p.text_document;
                let path = d.uri.to_file_path().ok();
                let terraform = terraform::is_terraform(&d.language_id, &d.uri);
                let json = (matches!(d.language_id.as_str(), "json" | "jsonc")
                    || d.uri.path().ends_with(".json"))
                    && !terraform;
                self.docs.insert(
                    d.uri.clone(),
                    Document {
                        text: d.text,
                        version: d.version,
                        path,
                        json,
                        api: None,
                        diagnostics: Vec::new(),
                        terraform,
                    },
                );
                self.publish(&d.uri);
            }
            "textDocument/didChange" => {
                let p: lsp_types::DidChangeTextDocumentParams = params(&n)?;
                let uri = p.text_document.uri;
                let enc = self.enc;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    // Closed before this change arrived: nothing to update.
                    return Err(format!("hcdb-lint: a change to {uri}, which is not open"));
                };
                for c in &p.content_changes {
                    text::apply_change(&mut doc.text, c.range, &c.text, enc);
                }
                doc.version = p.text_document.version;
                self.publish(&uri);
            }
            "textDocument/didClose" => {
                let p: lsp_types::DidCloseTextDocumentParams = params(&n)?;
                if self.docs.remove(&p.text_document.uri).is_some() {
                    self.notify(
                        "textDocument/publishDiagnostics",
                        PublishDiagnosticsParams::new(p.text_document.uri, Vec::new(), None),
                    );
                }
            }
            "textDocument/didSave" => {
                let p: lsp_types::DidSaveTextDocumentParams = params(&n)?;
                if p.text_document
                    .uri
                    .to_file_path()
                    .is_ok_and(|p| is_config_file(&p))
                {
                    self.reload();
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let p: lsp_types::DidChangeWatchedFilesParams = params(&n)?;
                if p.changes
                    .iter()
                    .any(|c| c.uri.path().ends_with(cfgfile::FILE_NAME))
                {
                    self.reload();
                }
            }
            "initialized" if self.pull_settings => self.ask_settings(),
            "workspace/didChangeConfiguration" => {
                let p: lsp_types::DidChangeConfigurationParams = params(&n)?;
                if self.pull_settings || p.settings.is_null() {
                    // What is pushed may be partial, or null (as Neovim sends it): ask. Neovim
                    // 0.7 answers workspace/configuration without declaring it.
                    self.ask_settings();
                    return Ok(());
                }
                let s = Settings::parse(&p.settings)
                    .map_err(|e| format!("hcdb-lint: settings: {e}"))?;
                self.use_settings(s);
            }
            // initialized, $/cancelRequest (answers are immediate), $/setTrace, and anything
            // else: notifications need no answer.
            _ => {}
        }
        Ok(())
    }

    /// Ask the client for the `hcdbLint` settings (workspace/configuration). A client that does
    /// not answer it answers with an error, which changes nothing.
    fn ask_settings(&mut self) {
        self.next_id += 1;
        self.send(Request::new(
            RequestId::from(format!("{SETTINGS_REQUEST}{}", self.next_id)),
            "workspace/configuration".into(),
            json!({"items": [{"section": "hcdbLint"}]}),
        ));
    }

    /// The client's answer to what the server asked.
    fn on_response(&mut self, r: Response) {
        if !r.id.to_string().contains(SETTINGS_REQUEST) {
            return;
        }
        // One item asked, one answered: the section, or null when the client has none. An
        // error (a client without workspace/configuration) leaves the settings as they are.
        if r.response_result.is_err() {
            return;
        }
        let section = r
            .response_result
            .as_ref()
            .ok()
            .and_then(|v| v.get(0))
            .cloned()
            .unwrap_or(Value::Null);
        match Settings::parse(&section) {
            Ok(s) => self.use_settings(s),
            Err(e) => self.show(1, format!("hcdb-lint: settings: {e}")),
        }
    }

    fn use_settings(&mut self, s: Settings) {
        if s != self.settings {
            self.settings = s;
            self.reload();
        }
    }

    /// Forget every loaded config and check every open document again.
    fn reload(&mut self) {
        self.configs.clear();
        let uris: Vec<Url> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.publish(&uri);
        }
    }

    /// The config for a document: hcdb-lint.json in its directory or the nearest parent, loaded
    /// as `check` loads it, re-read when the file changes, with the editor's settings over it.
    fn setup_for(&mut self, path: Option<&Path>) -> Result<Rc<Setup>, String> {
        let dir = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        let found = cfgfile::discover(&dir);
        let key = found.clone().unwrap_or_default();
        let now = found.as_deref().and_then(stamp);
        if let Some(c) = self.configs.get(&key) {
            if c.stamp == now {
                return c.setup.clone();
            }
        }
        let setup = cfgfile::load(found.as_deref(), &dir)
            .map_err(|e| e.0)
            .and_then(|r| {
                let mut core: Config = r.core;
                if let Some(l) = self.settings.lang {
                    core.lang = l;
                }
                for (k, v) in &self.settings.context {
                    core.context.insert(k.clone(), v.clone());
                }
                apply_strict(&mut core, self.settings.strict);
                let linter = Linter::new(core).map_err(|e| match &r.path {
                    Some(p) => format!("{}: {e}", p.display()),
                    None => format!("settings: {e}"),
                })?;
                Ok(Rc::new(Setup {
                    linter,
                    apis: r.apis,
                    ignore: r.ignore,
                    base: r.base,
                }))
            });
        self.configs.insert(
            key,
            Cached {
                stamp: now,
                setup: setup.clone(),
            },
        );
        setup
    }

    /// Check a document and publish the result.
    fn publish(&mut self, uri: &Url) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if doc.terraform {
            return self.publish_terraform(uri);
        }
        let path = doc.path.clone();
        if !doc.json {
            return;
        }
        let setup = self.setup_for(path.as_deref());
        let config = self.config_of(path.as_deref());
        let at = config
            .as_deref()
            .and_then(|c| self.diagnose_config(c, setup.as_ref().err().map(String::as_str)));
        if path.as_deref().is_some_and(is_config_file) {
            // The config file itself: its own problem is published above.
            return;
        }
        let enc = self.enc;
        let lsp = match setup {
            Err(problem) => match self.docs.get(uri) {
                Some(doc) => self.broken_config_pointer(doc, config.as_deref(), &problem, at),
                None => return,
            },
            Ok(setup) => {
                let Some(doc) = self.docs.get_mut(uri) else {
                    return;
                };
                let rel = path
                    .as_deref()
                    .map(|p| super::paths::relative_to(p, &setup.base, &setup.base));
                let named = rel.as_deref().and_then(|rel| {
                    setup
                        .apis
                        .iter()
                        .find(|(g, _)| g.matches(rel))
                        .map(|(_, a)| *a)
                });
                let report = lint(&setup.linter, named, doc, self.settings.all_json);
                let mut diags = report;
                if let Some(rel) = &rel {
                    diags.retain(|d| {
                        !setup
                            .ignore
                            .iter()
                            .any(|i| i.covers(rel, &d.rule, &d.pointer))
                    });
                }
                let lang = setup.linter.lang();
                let lines = Lines::new(&doc.text);
                let mut out = Vec::with_capacity(diags.len());
                let mut hrefs = Vec::with_capacity(diags.len());
                for d in &diags {
                    hrefs.push((d.rule.to_string(), lang));
                    let range = match d.span {
                        Some(s) => lines.range(&doc.text, s.start, s.end, enc),
                        None => lsp_types::Range::default(),
                    };
                    out.push(lsp_types::Diagnostic {
                        range,
                        severity: Some(match d.severity {
                            Severity::Error => DiagnosticSeverity::ERROR,
                            Severity::Warning => DiagnosticSeverity::WARNING,
                            Severity::Info => DiagnosticSeverity::INFORMATION,
                        }),
                        code: Some(NumberOrString::String(d.rule.to_string())),
                        code_description: None,
                        source: Some(SOURCE.into()),
                        message: d.message.clone(),
                        ..Default::default()
                    });
                }
                doc.diagnostics = diags;
                for (d, (rule, lang)) in out.iter_mut().zip(hrefs) {
                    d.code_description = self
                        .rule_href(&setup.linter, &rule, lang)
                        .map(|href| lsp_types::CodeDescription { href });
                }
                out
            }
        };
        let version = self.docs.get(uri).map(|d| d.version);
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams::new(uri.clone(), lsp, version),
        );
    }

    /// The link to a rule's documentation: its page on the documentation site (the published
    /// one, or the editor's `docsUrl`: a site's address, or a URL template with `{id}` and
    /// `{anchor}`, e.g. a team's copy of rules/README.md).
    fn rule_href(&mut self, linter: &Linter, rule: &str, _lang: Lang) -> Option<Url> {
        let doc = linter.rule(rule)?;
        let url = match &self.settings.docs_url {
            Some(t) if t.contains("{id}") || t.contains("{anchor}") => {
                let anchor = format!("{}-{}", doc.id, doc.name).to_lowercase();
                t.replace("{id}", &doc.id).replace("{anchor}", &anchor)
            }
            base => hcdb_lint::rule_url(base.as_deref(), &doc.id),
        };
        Url::parse(&url).ok()
    }

    fn with_ctx<R>(&mut self, uri: &Url, f: impl FnOnce(&Ctx) -> R) -> Option<R> {
        let path = self.docs.get(uri)?.path.clone();
        let setup = self.setup_for(path.as_deref()).ok();
        let doc = self.docs.get(uri)?;
        let linter = match &setup {
            Some(s) => &s.linter,
            None => Linter::default_ref(),
        };
        let lines = Lines::new(&doc.text);
        let ctx = Ctx {
            text: &doc.text,
            lines: &lines,
            enc: self.enc,
            linter,
            api: doc.api,
            diagnostics: &doc.diagnostics,
        };
        Some(f(&ctx))
    }
}

/// `strict` from the editor's settings (observed-acceptance warnings back to the documented
/// errors) over the config file's.
fn apply_strict(core: &mut Config, strict: Option<bool>) {
    if let Some(strict) = strict {
        core.strict = strict;
    }
}

/// Check a document: against the API its config names, else the one its body shows (kept while a
/// syntax error hides it). A JSON document that is no request body draws nothing, unless the
/// editor asks for every JSON document (`files: "all"`).
fn lint(
    linter: &Linter,
    named: Option<Api>,
    doc: &mut Document,
    all_json: bool,
) -> Vec<hcdb_lint::Diagnostic> {
    if let Some(api) = named {
        doc.api = Some(api);
        return linter.check_str(api, &doc.text).diagnostics;
    }
    let report = linter.check_str_detect(&doc.text);
    if let Some(api) = report.api {
        doc.api = Some(api);
        return report.diagnostics;
    }
    // Not detected: a syntax error (or a body being written). Its members may still show it;
    // the substring test keeps other JSON files (package.json...) from being read twice.
    let t = &doc.text;
    let maybe = Api::ALL
        .iter()
        .any(|a| t.contains(&format!("\"{}\"", a.detect_member())));
    let seen = if maybe {
        features::detect_in_outline(&scan::outline(t))
    } else {
        None
    };
    let guess = seen.or(doc.api);
    match guess {
        Some(api) => {
            doc.api = Some(api);
            linter.check_str(api, &doc.text).diagnostics
        }
        // Not a request body: nothing, unless every JSON document is to be checked.
        None if all_json => report.diagnostics,
        None => Vec::new(),
    }
}
