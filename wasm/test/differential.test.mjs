// The whole corpus of the core gives the same verdicts through wasm as through the Rust crate.
import { test } from "node:test";
import assert from "node:assert/strict";
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
