// The language server under a real LSP client: vscode-languageserver-protocol over
// vscode-jsonrpc (the libraries inside vscode-languageclient, here without VS Code), with
// vscode-languageserver-textdocument applying the quick fix as an editor does.
//
//   HCDB_LINT=target/debug/hcdb-lint node --test editors/vscode/test/
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  CodeActionRequest,
  HoverRequest,
  CompletionRequest,
  ShutdownRequest,
  ExitNotification,
} from "vscode-languageserver-protocol/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.HCDB_LINT ?? join(here, "../../../target/debug/hcdb-lint"));

const BODY = `{
  "instance": {
    "name": "ddm-orders-01",
    "flavor_id": "8f2e696c-a9c1-30bd-af90-25522bc67606",
    "node_num": 2,
    "engine_id": "2325a707-0361-8be6-dd01-13474bbac437",
    "available_zones": ["cn-north-4a"],
    "vpc_id": "e1d886ec-cfe7-4cd4-b748-fc55a10b4172",
    "security_group_id": "035b70ed-319b-4086-9fd7-62a2e8548b2e",
    "subnet_id": "f942f970-1a02-4eee-8927-3f1c2b9a7d10",
    "备注": "订单库 🚀", "time_zone": "utc+08:00"
  }
}
`;

function start() {
  const dir = mkdtempSync(join(tmpdir(), "hcdb-lint-client-"));
  // The config beside the body: this file is a DDM create body, messages in English.
  writeFileSync(join(dir, "hcdb-lint.json"), JSON.stringify({ lang: "en", apis: { "*.ddm.json": "ddm-create-instance" } }));
  const child = spawn(bin, ["server", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = [];
  const published = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    const w = waiting.shift();
    if (w) w(published.shift());
  });
  conn.listen();
  const nextDiagnostics = () =>
    new Promise((res, rej) => {
      if (published.length) return res(published.shift());
      const t = setTimeout(() => rej(new Error("no diagnostics within 10 s")), 10_000);
      waiting.push((p) => {
        clearTimeout(t);
        res(p);
      });
    });
  const exited = new Promise((res) => child.on("exit", (code) => res(code)));
  return { dir, child, conn, nextDiagnostics, exited };
}

test("a real client: diagnostics, hover, completion, quick fix, clean exit", async () => {
  const { dir, conn, nextDiagnostics, exited } = start();
  try {
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        textDocument: { publishDiagnostics: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } } },
      },
    });
    assert.equal(init.capabilities.positionEncoding, "utf-16");
    conn.sendNotification(InitializedNotification.type, {});

    const uri = pathToFileURL(join(dir, "orders.ddm.json")).href;
    let doc = TextDocument.create(uri, "json", 1, BODY);
    conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "json", version: 1, text: BODY },
    });
    let p = await nextDiagnostics();
    assert.equal(p.uri, uri);
    const tz = p.diagnostics.find((d) => d.message.includes("time_zone"));
    assert.ok(tz, JSON.stringify(p.diagnostics));
    assert.equal(tz.source, "hcdb-lint");
    assert.match(String(tz.code), /^DDM\d+$/);
    // The link is the rule's page on the documentation site.
    assert.match(tz.codeDescription.href, new RegExp(`^https?://.+/rules/${tz.code}\\.html$`));
    // The range is the value, counted in UTF-16 after CJK and an emoji on the same line.
    assert.equal(doc.getText(tz.range), '"utc+08:00"');

    const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: tz.range.start });
    assert.match(hover.contents.value, /time_zone/);
    const completion = await conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: tz.range.start.line, character: tz.range.start.character + 1 },
    });
    const item = completion.find((c) => c.label === "UTC+08:00");
    assert.ok(item, JSON.stringify(completion.slice(0, 3)));
    // Applied as VS Code applies it (the edit's range): the value written once, quoted once.
    const completed = TextDocument.applyEdits(doc, [item.textEdit]);
    assert.ok(completed.includes('"time_zone": "UTC+08:00"'), completed);

    const actions = await conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: tz.range,
      context: { diagnostics: [tz] },
    });
    const fix = actions.find((a) => a.kind === "quickfix" && a.title.includes("UTC+08:00"));
    assert.ok(fix, JSON.stringify(actions));
    const edits = fix.edit.changes[uri];
    // Apply it as an editor does, and tell the server what changed.
    const text = TextDocument.applyEdits(doc, edits);
    doc = TextDocument.update(doc, edits.map((e) => ({ range: e.range, text: e.newText })), 2);
    assert.equal(doc.getText(), text);
    conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    p = await nextDiagnostics();
    assert.equal(p.version, 2);
    assert.ok(!p.diagnostics.some((d) => d.code === tz.code), JSON.stringify(p.diagnostics));
    assert.ok(text.includes('"time_zone": "UTC+08:00"'));

    await conn.sendRequest(ShutdownRequest.type);
    conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, "exit code after shutdown and exit");
  } finally {
    conn.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("settings are asked for, and other JSON is left alone", async () => {
  const { dir, conn, nextDiagnostics, exited } = start();
  const asked = [];
  conn.onRequest("workspace/configuration", (params) => {
    asked.push(params);
    return [{ lang: null, strict: null, context: {}, files: "bodies" }];
  });
  try {
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { configuration: true } },
    });
    conn.sendNotification(InitializedNotification.type, {});
    const pkg = pathToFileURL(join(dir, "package.json")).href;
    const text = '{"name": "web", "version": "1.0.0", "scripts": {"test": "node --test"}}';
    conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pkg, languageId: "json", version: 1, text },
    });
    const p = await nextDiagnostics();
    assert.equal(p.uri, pkg);
    assert.deepEqual(p.diagnostics, []);
    const completion = await conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri: pkg },
      position: { line: 0, character: 2 },
    });
    assert.deepEqual(completion, []);
    assert.ok(asked.length >= 1 && asked[0].items[0].section === "hcdbLint", JSON.stringify(asked));
    await conn.sendRequest(ShutdownRequest.type);
    conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  } finally {
    conn.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("malformed messages get JSON-RPC errors and the server goes on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hcdb-lint-raw-"));
  const child = spawn(bin, ["server"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (b) => (out += b));
  const frame = (s) => `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
  child.stdin.write(frame("{oops"));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } })));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "no/such/method" })));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "shutdown" })));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: "2.0", method: "exit" })));
  const code = await new Promise((res) => child.on("exit", res));
  rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0);
  const bodies = out.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean).map((s) => JSON.parse(s));
  assert.equal(bodies.find((b) => b.id === null)?.error.code, -32700);
  assert.ok(bodies.find((b) => b.id === 1)?.result.capabilities);
  assert.equal(bodies.find((b) => b.id === 2)?.error.code, -32601);
  assert.equal(bodies.find((b) => b.id === 3)?.result, null);
});
