// The JS API: argument errors, languages, field metadata, checkField, configured linters.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { lint, repoDir } from "./helpers.mjs";

const example = (name) => JSON.parse(fs.readFileSync(path.join(repoDir, "examples", name), "utf8"));
const GDB = "geminidb-create-instance";
const DDM = "ddm-create-instance";
const SCALE = "ddm-scale-out";

/** Assert a call throws a plain JS Error (not a wasm trap) whose message matches. */
/** A promise that rejects with an Error (not a wasm trap) whose message matches. */
async function rejectsError(promise, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error, "not an Error");
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a wasm trap: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

function throwsError(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, "not an Error");
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a wasm trap: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test("an unknown or missing api is a clear Error", async () => {
  throwsError(() => lint.check("geminidb", {}), /unknown API `geminidb`.*geminidb-create-instance/);
  throwsError(() => lint.checkJson("rds", "{}"), /unknown API `rds`/);
  throwsError(() => lint.fields("nope"), /unknown API/);
  throwsError(() => lint.check(42, {}), /api must be a string/);
  throwsError(() => lint.checkField(undefined, "/name", "x"), /api must be a string/);
  await rejectsError(lint.rules("x"), /unknown API/);
  await rejectsError(new lint.Linter().rules(7), /api must be a string/);
});

test("a body that is not an object is a clear Error", () => {
  for (const body of [[], null, "{}", 3, true, undefined]) {
    throwsError(() => lint.check(GDB, body), /body must be a plain object/);
  }
  throwsError(() => lint.checkField(GDB, "/name", "abcd", [1]), /body must be a plain object/);
  throwsError(() => lint.checkJson(GDB, { name: "x" }), /text must be a string/);
  const cyclic = { name: "x" };
  cyclic.self = cyclic;
  throwsError(() => lint.check(GDB, cyclic), /body cannot be written as JSON: .*circular/i);
  throwsError(() => lint.check(GDB, { n: 1n }), /body cannot be written as JSON: .*BigInt/);
  // A toJSON that throws something that is not an Error: still a clear Error.
  throwsError(() => lint.check(GDB, { toJSON() { throw 5; } }), /body cannot be written as JSON/);
});

test("a pointer that is not a JSON Pointer is a clear Error", () => {
  throwsError(() => lint.checkField(GDB, "name", "abcd"), /not a JSON Pointer/);
  throwsError(() => lint.checkField(GDB, "/a~2b", "abcd"), /not a JSON Pointer/);
  throwsError(() => lint.checkField(GDB, 7, "abcd"), /pointer must be a string/);
  throwsError(() => lint.checkField(GDB, "/name", undefined), /value is missing/);
  throwsError(() => lint.checkField(GDB, "/name/x", "v", { name: "abcd" }), /pointer/);
});

test("the module keeps working after errors", () => {
  for (let i = 0; i < 50; i++) assert.throws(() => lint.check("x", {}));
  const r = lint.check(GDB, example("geminidb-cassandra.valid.json"));
  assert.equal(r.valid, true);
});

test("a valid and an invalid body: shape of the report", () => {
  const ok = lint.check(DDM, example("ddm-create-instance.valid.json"));
  assert.equal(ok.valid, true);
  assert.ok(ok.diagnostics.every((d) => d.severity !== "error"));
  const bad = lint.check(SCALE, { flavor_id: "f", node_number: 0 });
  assert.equal(bad.valid, false);
  const d = bad.diagnostics.find((x) => x.pointer === "/node_number");
  assert.ok(d, "no diagnostic at /node_number");
  assert.deepEqual(
    Object.keys(d).sort(),
    ["help", "message", "name", "params", "pointer", "rule", "severity"].sort(),
  );
  assert.match(d.rule, /^DDM2\d\d$/);
  assert.match(d.name, /^[a-z0-9-]+$/);
  assert.equal(Object.getPrototypeOf(d.params), Object.prototype, "params is a plain object");
});

test("checkJson gives positions and reports invalid JSON", () => {
  const text = '{\n  "flavor_id": "f",\n  "node_number": 0\n}';
  const d = lint.checkJson(SCALE, text).diagnostics.find((x) => x.pointer === "/node_number");
  assert.equal(d.line, 3);
  assert.equal(d.column, 18);
  assert.equal(d.endLine, 3);
  const broken = lint.checkJson(SCALE, '{"node_number": 1,}');
  assert.equal(broken.valid, false);
  assert.equal(broken.diagnostics[0].pointer, "");
  assert.equal(broken.diagnostics[0].line, 1);
  // A top-level value that is not an object is a verdict for text, not an exception.
  assert.equal(lint.checkJson(SCALE, "[1]").valid, false);
});

test("detectApi", () => {
  assert.equal(lint.detectApi(example("ddm-create-instance.valid.json")), DDM);
  assert.equal(lint.detectApi(example("geminidb-redis.valid.json")), GDB);
  assert.equal(lint.detectApi(example("ddm-scale-out.valid.json")), SCALE);
  assert.equal(lint.detectApi({ foo: 1 }), null);
  assert.equal(lint.detectApi([1]), null);
  assert.equal(lint.detectApi(undefined), null);
});

test("zh messages", () => {
  const zh = new lint.Linter({ lang: "zh" });
  assert.equal(zh.lang, "zh");
  assert.equal(new lint.Linter().lang, "en");
  const body = { ...example("geminidb-cassandra.valid.json"), name: "ab" };
  const en = lint.check(GDB, body).diagnostics.find((d) => d.pointer === "/name");
  const cn = zh.check(GDB, body).diagnostics.find((d) => d.pointer === "/name");
  assert.ok(en && cn);
  assert.equal(cn.rule, en.rule);
  assert.match(cn.message, /[\u4e00-\u9fff]/, "the zh message has no Chinese");
  assert.doesNotMatch(en.message, /[\u4e00-\u9fff]/);
  throwsError(() => new lint.Linter({ lang: "fr" }), /config: unknown variant `fr`/);
});

test("fields(): metadata shape for forms", () => {
  for (const api of [DDM, SCALE, GDB]) {
    const fields = lint.fields(api);
    assert.ok(fields.length > 3, api);
    for (const f of fields) {
      assert.match(f.pointer, /^(\/[^/]+)+$/, `${api}: ${f.pointer}`);
      assert.ok(["string", "integer", "boolean", "bool-string", "object", "array"].includes(f.type), f.type);
      assert.equal(typeof f.required, "boolean");
      assert.equal(typeof f.requiredWhen, "boolean");
      assert.equal(typeof f.secret, "boolean");
      assert.equal(typeof f.label.en, "string");
      assert.equal(typeof f.label.zh, "string");
      for (const k of Object.keys(f)) assert.doesNotMatch(k, /_/, `${api} ${f.pointer}: key ${k}`);
    }
  }
  const g = Object.fromEntries(lint.fields(GDB).map((f) => [f.pointer, f]));
  assert.equal(g["/name"].required, true);
  assert.equal(g["/name"].minLength, 4);
  assert.equal(g["/name"].maxLength, 64);
  assert.equal(g["/password"].secret, true);
  const types = g["/datastore/type"].enum.map((e) => e.value).sort();
  assert.deepEqual(types, ["cassandra", "dynamodb", "hbase", "influxdb", "mongodb", "redis"]);
  for (const e of g["/datastore/type"].enum) assert.ok(e.label.en && e.label.zh);
  assert.deepEqual(g["/charge_info/charge_mode"].enum.map((e) => e.value).sort(), ["postPaid", "prePaid"]);
  assert.equal(g["/charge_info/period_type"].requiredWhen, true);
  assert.equal(g["/backup_strategy/keep_days"].minimum, 0);
  assert.equal(g["/backup_strategy/keep_days"].maximum, 35);
  assert.ok(Array.isArray(g["/mode"].dependsOn) && g["/mode"].dependsOn.length > 0);
  assert.ok(g["/flavor/*/num"], "no per-item flavor field");
});

test("checkField flags period_type once charge_mode is prePaid", () => {
  const body = example("geminidb-cassandra.valid.json");
  body.charge_info = { charge_mode: "postPaid" };
  const post = lint.checkField(GDB, "/charge_info/charge_mode", "postPaid", body);
  assert.equal(post.valid, true);
  const pre = lint.checkField(GDB, "/charge_info/charge_mode", "prePaid", body);
  assert.equal(pre.valid, false);
  const pointers = pre.diagnostics.filter((d) => d.severity === "error").map((d) => d.pointer);
  assert.ok(pointers.includes("/charge_info/period_type"), pointers.join(", "));
  assert.ok(pointers.includes("/charge_info/period_num"), pointers.join(", "));
  // Only what involves the field: an unrelated bad name is not reported here.
  const withBadName = { ...body, name: "ab" };
  const r = lint.checkField(GDB, "/charge_info/charge_mode", "prePaid", withBadName);
  assert.ok(!r.diagnostics.some((d) => d.pointer === "/name"));
  // The field's own rules, without a body.
  const name = lint.checkField(GDB, "/name", "ab");
  assert.ok(name.diagnostics.some((d) => d.pointer === "/name" && d.severity === "error"));
  assert.ok(name.diagnostics.every((d) => d.pointer === "/name"));
  assert.ok(!lint.checkField(GDB, "/name", "orders-01", null).diagnostics.some((d) => d.pointer === "/name"));
});

test("a Linter with a rule off or its severity changed", async () => {
  const body = { ...example("geminidb-cassandra.valid.json"), name: "ab" };
  const base = lint.check(GDB, body);
  const d = base.diagnostics.find((x) => x.pointer === "/name" && x.severity === "error");
  assert.ok(d, "a 2-character name is an error");
  assert.equal(base.valid, false);

  const off = new lint.Linter({ rules: { [d.rule]: "off" } });
  assert.ok(!off.check(GDB, body).diagnostics.some((x) => x.rule === d.rule));
  assert.equal((await off.rules(GDB)).find((r) => r.id === d.rule).severity, null);

  const byName = new lint.Linter({ rules: { [d.name]: "warning" } });
  const warned = byName.check(GDB, body);
  assert.equal(warned.diagnostics.find((x) => x.rule === d.rule).severity, "warning");
  assert.equal(warned.valid, base.diagnostics.filter((x) => x.severity === "error").length === 1);
  const byNameRule = (await byName.rules(GDB)).find((r) => r.id === d.rule);
  assert.equal(byNameRule.severity, "warning");
  assert.equal(byNameRule.defaultSeverity, "error");
  // The configured linter's rules carry the documentation too.
  assert.ok(byNameRule.summary.en && byNameRule.why.zh && byNameRule.source.page, d.rule);

  throwsError(() => new lint.Linter({ rules: { NOPE999: "off" } }), /rules\.NOPE999/);
  throwsError(() => new lint.Linter({ max_depth: 3 }), /unknown field `max_depth`/);
  throwsError(() => new lint.Linter({ context: { no_such_key: 1 } }), /context\.no_such_key/);
  throwsError(() => new lint.Linter([]), /config must be an object/);
  const shallow = new lint.Linter({ maxDepth: 2 });
  assert.equal(shallow.checkJson(GDB, '{"a": {"b": {"c": 1}}}').valid, false);
});

test("rules(): documentation per API", async () => {
  const pending = lint.rules();
  assert.ok(pending instanceof Promise, "rules() returns a promise (the documentation is loaded on first use)");
  const all = await pending;
  const gdb = await lint.rules(GDB);
  assert.ok(gdb.length < all.length);
  assert.ok(gdb.every((r) => r.api === null || r.api === GDB));
  assert.ok(gdb.some((r) => r.api === null) && gdb.some((r) => r.api === GDB));
  for (const r of all) {
    assert.match(r.id, /^(HC|DDM|GDB)\d{3}$/);
    assert.ok(r.summary.en && r.summary.zh && r.message.en && r.help.en, r.id);
    assert.ok(r.why.en && r.why.zh && "invalid" in r.examples && "valid" in r.examples, r.id);
    assert.equal(typeof r.source.page, "string", r.id);
    assert.equal(typeof r.check.kind, "string", r.id);
    assert.equal(r.severity, r.defaultSeverity);
    assert.ok(Array.isArray(r.targets));
    for (const k of Object.keys(r)) assert.doesNotMatch(k, /_/, `${r.id}: key ${k}`);
    if (r.when) assert.ok(!JSON.stringify(r.when).includes("null"), `${r.id}: null in when`);
  }
});

test("a password is never echoed", () => {
  const secret = "Pa ss\u00e9word\u00e9\u00e9";
  const gdb = { ...example("geminidb-mongodb.valid.json"), password: secret };
  const ddm = example("ddm-create-instance.valid.json");
  ddm.instance.admin_user_password = secret;
  const outs = [
    lint.check(GDB, gdb),
    lint.checkJson(GDB, JSON.stringify(gdb)),
    lint.checkField(GDB, "/password", secret, gdb),
    lint.check(DDM, ddm),
    lint.checkJson(DDM, JSON.stringify(ddm, null, 2)),
    new lint.Linter({ lang: "zh" }).checkField(DDM, "/instance/admin_user_password", secret, ddm),
  ];
  for (const o of outs) {
    assert.equal(o.valid, false, "the password is bad");
    assert.ok(!JSON.stringify(o).includes(secret));
  }
});

test("a syntax error inside a password's value quotes none of its characters", () => {
  const text = JSON.stringify(example("geminidb-mongodb.valid.json"), null, 2).replace(
    /"password": "[^"]*"/,
    '"password": Secr3t',
  );
  for (const l of [lint, new lint.Linter({ lang: "zh" })]) {
    const r = l.checkJson(GDB, text);
    assert.equal(r.diagnostics[0].rule, "HC001");
    const all = JSON.stringify(r);
    for (const c of "Secr3t") assert.ok(!all.includes(`\`${c}\``), `${c} in ${all}`);
    assert.ok(!all.includes("Secr3t"));
  }
  // Elsewhere, the character is named as before.
  assert.match(lint.checkJson(GDB, '{"name": Xyz}').diagnostics[0].message, /`X`/);
});

// Strings enter the module through the glue's passStringToWasm0, which the build replaces with one
// TextEncoder.encodeInto (wasm/js/patch-glue.mjs). Whatever the characters, the module must see
// the same UTF-8: columns count Unicode scalar values, and a body's text comes back unchanged in
// the value a check reads.
test("strings reach the module intact: ASCII, multi-byte, astral, lone surrogates, empty, long", () => {
  const columnOf = (text) => {
    const d = lint.checkJson(SCALE, text).diagnostics.find((x) => x.pointer === "/node_number");
    assert.ok(d, `no /node_number finding for ${JSON.stringify(text)}`);
    return [d.line, d.column];
  };
  // node_number 0 is out of range: its column says how many scalar values precede it.
  for (const prefix of ["", "a", "é", "中文", "😀", "é😀中", "x".repeat(5000), "中".repeat(3000)]) {
    const text = `{"flavor_id": "${prefix}", "node_number": 0}`;
    const expected = [...`{"flavor_id": "${prefix}", "node_number": `].length + 1;
    assert.deepEqual(columnOf(text), [1, expected], `prefix of ${[...prefix].length} scalars`);
  }
  // A lone surrogate is written as U+FFFD (3 bytes), as TextEncoder does.
  assert.deepEqual(columnOf(`{"flavor_id": "\uD800", "node_number": 0}`), [1, 35]);
  // The empty string: a syntax error at 1:1, not a trap.
  const empty = lint.checkJson(SCALE, "");
  assert.equal(empty.valid, false);
  assert.deepEqual([empty.diagnostics[0].line, empty.diagnostics[0].column], [1, 1]);
  // Pointers and values are strings too (checkField): a multi-byte value is checked as itself.
  const name = "中".repeat(65);
  const r = lint.checkField(GDB, "/name", name, {});
  assert.ok(r.diagnostics.some((d) => d.pointer === "/name"), "a 65-character CJK name is reported");
});

test("strict: an observed acceptance is a warning with its evidence, the documented error under strict", () => {
  const body = { ...example("geminidb-redis.valid.json"), mode: "Replication" };
  delete body.product_type;
  body.flavor = [{ ...body.flavor[0], num: 2 }];
  const at = (report) => report.diagnostics.filter((d) => d.pointer === "/flavor/0/num");

  const relaxed = lint.check(GDB, body);
  assert.equal(relaxed.valid, true);
  const [w] = at(relaxed);
  assert.equal(w.rule, "GDB122");
  assert.equal(w.severity, "warning");
  assert.match(w.message, /documented: 3 to 12 nodes/);
  assert.equal(typeof w.params.documented, "string");
  assert.equal(typeof w.params.accepted, "string");
  assert.match(w.params.evidence.project, /Terraform/);
  assert.ok(w.params.evidence.file && w.params.evidence.date);

  const strict = new lint.Linter({ strict: true });
  for (const report of [
    strict.check(GDB, body),
    strict.checkJson(GDB, JSON.stringify(body)),
    strict.checkField(GDB, "/flavor/0/num", 2, body),
  ]) {
    assert.equal(report.valid, false);
    const [e] = at(report);
    assert.equal(e.severity, "error");
    assert.equal(e.params.evidence, undefined);
  }
  // strict: false is the default.
  assert.equal(at(new lint.Linter({ strict: false }).check(GDB, body))[0].severity, "warning");
  throwsError(() => new lint.Linter({ strict: "yes" }), /strict must be a boolean/);
});

test("an ignored billing member draws only the ignored warning, in both modes", () => {
  const body = {
    ...example("ddm-create-instance.valid.json"),
    extend_param: { charge_mode: "postPaid", is_auto_renew: "" },
  };
  for (const linter of [lint, new lint.Linter({ strict: true })]) {
    const report = linter.check("ddm-create-instance", body);
    const found = report.diagnostics.filter((d) => d.pointer.startsWith("/extend_param"));
    assert.deepEqual(
      found.map((d) => [d.rule, d.pointer, d.severity]),
      [["DDM126", "/extend_param/is_auto_renew", "warning"]],
    );
    assert.equal(report.valid, true);
  }
});

test("rules() lists each rule's observed acceptances and whether it marks an ignored member", async () => {
  const all = await lint.rules();
  const byId = Object.fromEntries(all.map((r) => [r.id, r]));
  const counts = Object.fromEntries(all.filter((r) => r.observed.length > 0).map((r) => [r.id, r.observed.length]));
  assert.deepEqual(counts, { DDM116: 2, DDM117: 1, GDB106: 1, GDB113: 1, GDB119: 1, GDB122: 3 });
  for (const o of all.flatMap((r) => r.observed)) {
    assert.ok(o.documented.en && o.documented.zh && o.accepted.en && o.accepted.zh);
    assert.ok(o.source.project && o.source.file && o.source.date);
    assert.equal(typeof o.accepts.kind, "string");
    if (o.when) assert.ok(!JSON.stringify(o.when).includes("null"));
  }
  assert.deepEqual(
    all.filter((r) => r.memberIgnored).map((r) => r.id),
    ["DDM126", "GDB138"],
  );
  assert.equal(byId.GDB101.memberIgnored, false);
});

test("templates are an option of a Linter: unknown values listed, variables substituted", () => {
  const body = '{"flavor_id": "$(FLAVOR)", "node_number": ${N}}';
  // Off by default: a bare expression is a syntax error, and the list is empty.
  const plain = lint.checkJson(SCALE, body);
  assert.equal(plain.valid, false);
  assert.deepEqual(plain.unknown, []);
  const templ = new lint.Linter({ templates: true });
  const r = templ.checkJson(SCALE, body);
  assert.equal(r.valid, true);
  assert.deepEqual(r.unknown.map((u) => [u.pointer, u.expression]), [["/flavor_id", "$(FLAVOR)"], ["/node_number", "${N}"]]);
  assert.equal(r.unknown[1].line, 1);
  const fromForm = templ.check(SCALE, { flavor_id: "{{ .Values.flavor }}", node_number: 2 });
  assert.deepEqual(fromForm.unknown.map((u) => u.pointer), ["/flavor_id"]);
  const withVars = new lint.Linter({ templates: { vars: { N: "0", FLAVOR: "f1" } } });
  const bad = withVars.checkJson(SCALE, body);
  assert.equal(bad.valid, false);
  assert.deepEqual(bad.diagnostics.map((d) => d.pointer), ["/node_number"]);
  const strict = new lint.Linter({ templates: { failOnUnknown: true } });
  assert.deepEqual(strict.checkJson(SCALE, body).diagnostics.map((d) => d.rule), ["HC017", "HC017"]);
  throwsError(() => new lint.Linter({ templates: { vars: { PW: 3 } } }), /templates\.vars\.PW must be a string/);
  throwsError(() => new lint.Linter({ templates: "yes" }), /templates must be true, false/);
});

test("a number is whole by its digits as written, in checkJson and check alike", () => {
  const hc005 = (report) => report.diagnostics.filter((d) => d.rule === "HC005").map((d) => d.pointer);
  // Its nearest double is whole; the number written is not.
  const text = '{"flavor_id":"F","node_number":3048335780245499.1783999353824676561}';
  assert.deepEqual(hc005(lint.checkJson(SCALE, text)), ["/node_number"]);
  assert.equal(new lint.Linter().checkJson(SCALE, text).valid, false);
  // An object holds doubles: JSON.parse makes this one whole, and check judges the double.
  assert.deepEqual(hc005(lint.check(SCALE, JSON.parse(text))), []);
  assert.deepEqual(hc005(lint.check(SCALE, { flavor_id: "F", node_number: 3048335780245499.5 })), ["/node_number"]);
  assert.deepEqual(hc005(lint.checkJson(SCALE, '{"flavor_id":"F","node_number":3048335780245499.000}')), []);
});
