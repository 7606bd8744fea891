// A Terraform file under a real LSP client: the server reads the buffer with the rest of its
// module from disk, publishes findings on the covered resources only, offers a quick fix on a
// literal, says in a hover which request member an attribute becomes, and stays silent on
// other providers' resources (terraform-ls answers there).
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
  ShutdownRequest,
  ExitNotification,
} from "vscode-languageserver-protocol/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.HCDB_LINT ?? join(here, "../../../target/debug/hcdb-lint"));

const MAIN = `resource "huaweicloud_geminidb_instance" "cassandra" {
  name = var.instance_name # from variables.tf
  mode = "Cluster"

  datastore {
    type           = "cassandra"
    version        = "3.11"
    storage_engine = "RocksDB"
  }
}

resource "aws_db_instance" "other" {
  storage_engine = "RocksDB"
}
`;

test("a Terraform buffer: findings on covered resources, quick fix, hover", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hcdb-lint-tf-"));
  writeFileSync(join(dir, "variables.tf"), 'variable "instance_name" {\n  default = "gdb"\n}\n');
  writeFileSync(join(dir, "main.tf"), MAIN);
  const child = spawn(bin, ["server"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = [];
  let wake = null;
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    if (wake) wake();
  });
  conn.listen();
  const next = () =>
    new Promise((res, rej) => {
      const take = () => res(published.shift());
      if (published.length) return take();
      const t = setTimeout(() => rej(new Error("no diagnostics within 10 s")), 10_000);
      wake = () => {
        clearTimeout(t);
        wake = null;
        take();
      };
    });
  const exited = new Promise((res) => child.on("exit", res));
  try {
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
    conn.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(join(dir, "main.tf")).href;
    let doc = TextDocument.create(uri, "terraform", 1, MAIN);
    conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "terraform", version: 1, text: MAIN },
    });
    let p = await next();
    assert.equal(p.uri, uri);
    const engine = p.diagnostics.find((d) => d.code === "GDB108");
    assert.ok(engine, JSON.stringify(p.diagnostics));
    assert.equal(doc.getText(engine.range), '"RocksDB"');
    assert.equal(engine.range.start.line, 7, "the covered resource's attribute, not the other provider's");
    assert.ok(!p.diagnostics.some((d) => d.range.start.line >= 11), "nothing on aws_db_instance");
    // The name comes from variables.tf: shown at the attribute in this buffer.
    const name = p.diagnostics.find((d) => d.code === "GDB101");
    assert.ok(name && name.range.start.line === 1, JSON.stringify(p.diagnostics));

    const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: engine.range.start });
    assert.match(hover.contents.value, /\/datastore\/storage_engine/);
    const none = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 12, character: 4 } });
    assert.equal(none, null);

    const actions = await conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: engine.range,
      context: { diagnostics: [engine] },
    });
    const fix = actions.find((a) => a.kind === "quickfix");
    assert.ok(fix, JSON.stringify(actions));
    const edits = fix.edit.changes[uri];
    const text = TextDocument.applyEdits(doc, edits);
    assert.equal(text, MAIN.replace('storage_engine = "RocksDB"\n  }', 'storage_engine = "rocksDB"\n  }'));
    doc = TextDocument.update(doc, edits.map((e) => ({ range: e.range, text: e.newText })), 2);
    conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    p = await next();
    assert.equal(p.version, 2);
    assert.ok(!p.diagnostics.some((d) => d.code === "GDB108"), JSON.stringify(p.diagnostics));

    await conn.sendRequest(ShutdownRequest.type);
    conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  } finally {
    conn.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
