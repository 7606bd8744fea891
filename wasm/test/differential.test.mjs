// The whole corpus of the core gives the same verdicts through wasm as through the Rust crate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { lint, loadCorpus, verdict } from "./helpers.mjs";

const corpus = loadCorpus();

// One linter per distinct context (and strictness); the free functions stand for the default
// configuration.
const linters = new Map();
function linterFor(context, strict = false) {
  if ((context === null || context === undefined) && !strict) return lint;
  const key = JSON.stringify([context, strict]);
  if (!linters.has(key)) linters.set(key, new lint.Linter({ context: context ?? undefined, strict }));
  return linters.get(key);
}

test("the corpus covers fixtures and examples", () => {
  assert.ok(corpus.some((c) => c.id.startsWith("example/")), "no example/* case");
  assert.ok(corpus.some((c) => /\/fire\//.test(c.id)), "no fire case");
  assert.ok(corpus.some((c) => /\/pass\//.test(c.id)), "no pass case");
  assert.ok(corpus.some((c) => c.context), "no case with a context");
});

test("check (object in) gives the Rust verdict for every corpus case", () => {
  const mismatches = [];
  for (const c of corpus) {
    const expected = verdict(c.expected);
    const linter = linterFor(c.context);
    let got;
    if (c.body !== null && typeof c.body === "object" && !Array.isArray(c.body)) {
      got = verdict(linter.check(c.api, c.body).diagnostics);
    } else {
      // Not an object: a caller's mistake for check(); the verdict is checkJson's business.
      assert.throws(() => linter.check(c.api, c.body), /must be a plain object/, c.id);
      continue;
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ id: c.id, expected, got });
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${corpus.length} cases differ`);
});

test("checkJson (text in) gives the Rust verdict, with positions, for every corpus case", () => {
  const mismatches = [];
  for (const c of corpus) {
    const report = linterFor(c.context).checkJson(c.api, c.text);
    const got = verdict(report.diagnostics);
    const expected = verdict(c.expected);
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ id: c.id, expected, got });
    assert.equal(report.valid, !c.expected.some((d) => d.severity === "error"), c.id);
    for (const d of report.diagnostics) {
      assert.ok(Number.isInteger(d.line) && d.line >= 1, `${c.id}: ${d.rule} has no line`);
      assert.ok(Number.isInteger(d.column) && d.column >= 1, `${c.id}: ${d.rule} has no column`);
      assert.ok(Number.isInteger(d.endLine) && Number.isInteger(d.endColumn), `${c.id}: ${d.rule}`);
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${corpus.length} cases differ`);
});

test("no corpus password appears in any wasm result", async () => {
  // A password that is a word of the rules' own texts ("password") cannot be told from them.
  const docs = JSON.stringify(await lint.rules());
  let checked = 0;
  for (const c of corpus) {
    const secrets = [c.body?.password, c.body?.instance?.admin_user_password].filter(
      (p) => typeof p === "string" && p.length >= 4 && !docs.includes(p),
    );
    if (secrets.length === 0) continue;
    const linter = linterFor(c.context);
    const out = JSON.stringify([linter.check(c.api, c.body), linter.checkJson(c.api, c.text)]);
    for (const s of secrets) assert.ok(!out.includes(s), `${c.id}: the password is echoed`);
    checked += 1;
  }
  assert.ok(checked > 50, `only ${checked} cases carry a password`);
});

test("checkJson offers the crate's fixes, and applyFixes gives the crate's text, for every corpus case", () => {
  const mismatches = [];
  let offered = 0;
  for (const c of corpus) {
    const linter = linterFor(c.context);
    const got = linter
      .checkJson(c.api, c.text)
      .diagnostics.filter((d) => d.fix)
      .map((d) => ({ rule: d.rule, pointer: d.pointer, fix: d.fix }));
    offered += got.length;
    if (!isDeepStrictEqual(got, c.fixes.offered)) {
      mismatches.push({ id: c.id, expected: c.fixes.offered, got });
    }
    for (const [key, unsafeFixes] of [["safe", false], ["unsafe", true]]) {
      const r = linter.applyFixes(c.text, { api: c.api, unsafeFixes });
      if (r.text !== c.fixes[key].text || r.fixed !== c.fixes[key].fixed) {
        mismatches.push({ id: `${c.id} (${key})`, expected: c.fixes[key], got: { text: r.text, fixed: r.fixed } });
      }
    }
  }
  assert.ok(offered > 50, `only ${offered} fixes offered over the corpus`);
  assert.ok(corpus.some((c) => c.id.startsWith("fix/") && c.text.includes("\r\n")), "no CRLF fix case");
  assert.deepEqual(mismatches, [], `${mismatches.length} cases differ`);
});

test("applyFixes: options, detection, and nothing but the fixed bytes change", () => {
  const text = '\ufeff{\r\n\t"flavor_id": "规格",\r\n\t"node_number": "2"\r\n}';
  const r = lint.applyFixes(text);
  assert.equal(r.text, '\ufeff{\r\n\t"flavor_id": "规格",\r\n\t"node_number": 2\r\n}');
  assert.equal(r.fixed, 1);
  assert.equal(r.report.valid, true);
  assert.deepEqual(lint.applyFixes("{,", { api: "ddm-scale-out" }).text, "{,");
  assert.throws(() => lint.applyFixes(text, { unsafe_fixes: true }), /unknown field/);
  assert.throws(() => lint.applyFixes(text, { api: "nope" }), /options\.api/);
  assert.throws(() => lint.applyFixes(42), /text must be a string/);
});

test("no corpus password appears in any fix", () => {
  for (const c of corpus) {
    const secrets = [c.body?.password, c.body?.instance?.admin_user_password].filter(
      (p) => typeof p === "string" && p.length >= 6,
    );
    if (secrets.length === 0) continue;
    const fixes = JSON.stringify(
      lint.checkJson(c.api, c.text).diagnostics.map((d) => d.fix ?? null),
    );
    for (const s of secrets) assert.ok(!fixes.includes(JSON.stringify(s)), `${c.id}: a fix writes the password`);
  }
});

test("strict: both inputs give the Rust verdict under strict for every corpus case", () => {
  const mismatches = [];
  let differs = 0;
  for (const c of corpus) {
    const expected = verdict(c.expected_strict);
    if (JSON.stringify(expected) !== JSON.stringify(verdict(c.expected))) differs += 1;
    const linter = linterFor(c.context, true);
    const fromText = linter.checkJson(c.api, c.text);
    const got = [verdict(fromText.diagnostics)];
    assert.equal(fromText.valid, !c.expected_strict.some((d) => d.severity === "error"), c.id);
    if (c.body !== null && typeof c.body === "object" && !Array.isArray(c.body)) {
      got.push(verdict(linter.check(c.api, c.body).diagnostics));
    }
    for (const g of got) {
      if (JSON.stringify(g) !== JSON.stringify(expected)) mismatches.push({ id: c.id, expected, got: g });
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${corpus.length} cases differ`);
  // The observed-acceptance fixtures are in the corpus: strict changes their verdict.
  assert.ok(differs >= 9, `strict changes only ${differs} verdicts`);
});
