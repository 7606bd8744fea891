// Per-call timings of the hcdb-lint browser package in Node, beside ajv compiled from the same
// JSON Schema export. Run by scripts/bench.sh; by hand:
//
//   bash scripts/wasm-build.sh
//   (cd wasm/bench && npm ci)
//   for a in ddm-create-instance ddm-scale-out geminidb-create-instance; do
//     target/release/hcdb-lint schema $a > /tmp/schemas/$a.json; done
//   node wasm/bench/bench.mjs --schemas /tmp/schemas
//
// Prints a Markdown table of per-call medians: check (object in) vs ajv validate(object),
// checkJson (text in) vs JSON.parse + ajv validate, checkField; then gzipped sizes.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const schemaDir = opt("--schemas", null);
if (!schemaDir) {
  console.error("usage: node bench.mjs --schemas <dir with <api>.json schema files>");
  process.exit(2);
}
const pkgDir = opt("--pkg", join(root, "wasm", "pkg", "node"));
const quick = args.includes("--quick");

const lint = require(join(pkgDir, "index.js"));
const Ajv2020 = require("ajv/dist/2020").default;
const standaloneCode = require("ajv/dist/standalone").default;

const example = (f) => JSON.parse(readFileSync(join(root, "examples", f), "utf8"));
const clone = (v) => JSON.parse(JSON.stringify(v));
function set(body, pointer, value) {
  const toks = pointer.slice(1).split("/");
  let node = body;
  for (const t of toks.slice(0, -1)) {
    if (node[t] === undefined) node[t] = {};
    node = node[t];
  }
  node[toks[toks.length - 1]] = value;
  return body;
}

// The same corpus as benches/lint.rs.
const varied = (n) => "k7m2p9q4r1s8t3v6w0z5".repeat(Math.ceil(n / 20)).slice(0, n);
function corpus() {
  const gdb = example("geminidb-cassandra.valid.json");
  const ddm = example("ddm-create-instance.valid.json");
  const small = example("ddm-scale-out.valid.json");
  const large = clone(gdb);
  large.flavor = Array.from({ length: 50 }, (_, i) => ({
    num: 3,
    storage: "ULTRAHIGH",
    size: 500 + i,
    spec_code: `geminidb.cassandra.${varied(400)}${i}.4`,
  }));
  large.vpc_id = `vpc-${varied(1000)}`;
  large.subnet_id = `subnet-${varied(1000)}`;
  const G = "geminidb-create-instance";
  const D = "ddm-create-instance";
  const S = "ddm-scale-out";
  return [
    ["gdb-valid", G, gdb, ["/name", "cassandra-02"]],
    ["gdb-one-error", G, set(clone(gdb), "/backup_strategy/start_time", "08:15-10:15"), null],
    ["gdb-many-errors", G, example("geminidb-cassandra.invalid.json"), null],
    ["ddm-valid", D, ddm, ["/instance/name", "ddm-orders-02"]],
    ["ddm-one-error", D, set(clone(ddm), "/extend_param/period_num", 13), null],
    ["ddm-many-errors", D, example("ddm-create-instance.invalid.json"), null],
    ["scale-valid-small", S, small, ["/node_number", 3]],
    ["scale-one-error", S, set(clone(small), "/node_number", 0), null],
    ["scale-many-errors", S, example("ddm-scale-out.invalid.json"), null],
    ["gdb-large", G, large, null],
    // A field that rule conditions read: checkField checks the whole body for it.
    ["gdb-cross-field", G, gdb, ["/charge_info/charge_mode", "prePaid"]],
  ].map(([name, api, body, field]) => ({
    name,
    api,
    body,
    text: JSON.stringify(body, null, 2),
    field,
  }));
}

// Median per-call time (µs) over batches sized to take ~4 ms each.
function perCall(fn) {
  const batches = quick ? 9 : 31;
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt > 4e6 || n > 1e6) break;
    n *= 2;
  }
  const times = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    times.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const apis = ["ddm-create-instance", "ddm-scale-out", "geminidb-create-instance"];
const schemas = Object.fromEntries(
  apis.map((a) => [a, JSON.parse(readFileSync(join(schemaDir, `${a}.json`), "utf8"))]),
);
// allErrors: hcdb-lint reports every finding, so ajv is asked for every error too.
const ajv = new Ajv2020({ allErrors: true, strict: false, code: { source: true } });
const validators = Object.fromEntries(apis.map((a) => [a, ajv.compile(schemas[a])]));

const fmt = (us) => (us < 1 ? `${(us * 1000).toFixed(0)} ns` : `${us.toFixed(2)} µs`);
const ratio = (a, b) => (a / b).toFixed(2);

// The bodies, built once for every table below.
const cases = corpus();

// Warm-up: the first timed row otherwise pays for the JIT tiering of both sides.
{
  const until = Date.now() + (quick ? 300 : 1000);
  while (Date.now() < until) {
    for (const c of cases) {
      lint.check(c.api, c.body);
      lint.checkJson(c.api, c.text);
      validators[c.api](c.body);
      validators[c.api](JSON.parse(c.text));
      if (c.field) lint.checkField(c.api, c.field[0], c.field[1], c.body);
    }
  }
}

console.log(`Node ${process.version}; per-call medians (${quick ? "quick" : "31 batches"})\n`);
console.log(
  "| body | diags | ajv errors | check | ajv(obj) | check/ajv | checkJson | parse+ajv | checkJson/ajv | checkField |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
const summary = [];
for (const c of cases) {
  const v = validators[c.api];
  const diags = lint.check(c.api, c.body).diagnostics.length;
  v(c.body);
  const ajvErrors = v.errors ? v.errors.length : 0;
  const tCheck = perCall(() => lint.check(c.api, c.body));
  const tAjv = perCall(() => v(c.body));
  const tJson = perCall(() => lint.checkJson(c.api, c.text));
  const tAjvJson = perCall(() => v(JSON.parse(c.text)));
  let tField = null;
  if (c.field) {
    const [ptr, value] = c.field;
    tField = perCall(() => lint.checkField(c.api, ptr, value, c.body));
  }
  summary.push({ name: c.name, tJson, tAjvJson, tField });
  console.log(
    `| ${c.name} | ${diags} | ${ajvErrors} | ${fmt(tCheck)} | ${fmt(tAjv)} | ${ratio(tCheck, tAjv)} | ` +
      `${fmt(tJson)} | ${fmt(tAjvJson)} | ${ratio(tJson, tAjvJson)} | ${tField === null ? "-" : fmt(tField)} |`,
  );
}

// Where checkJson's time goes, beside V8's own parser: the fixed cost of a call (a 1-byte body,
// one diagnostic), the same call on the whole text followed by one stray byte (the module reads
// the whole body, then reports the trailing byte: no rule runs), and the full check. Against
// JSON.parse alone and ajv's validator alone on the same body.
console.log("\n| where checkJson's time goes | call on `1` | parse only (text + stray byte) | full checkJson | JSON.parse alone | ajv validate alone |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const c of cases.filter((c) => c.name.endsWith("-valid") && !c.name.startsWith("scale"))) {
  const v = validators[c.api];
  const broken = c.text + "x";
  if (lint.checkJson(c.api, broken).diagnostics.length !== 1) throw new Error(`${c.name}: stray byte not reported alone`);
  const tCall = perCall(() => lint.checkJson(c.api, "1"));
  const tParse = perCall(() => lint.checkJson(c.api, broken));
  const tFull = perCall(() => lint.checkJson(c.api, c.text));
  const tV8 = perCall(() => JSON.parse(c.text));
  const tAjvOnly = perCall(() => v(c.body));
  console.log(`| ${c.name} | ${fmt(tCall)} | ${fmt(tParse)} | ${fmt(tFull)} | ${fmt(tV8)} | ${fmt(tAjvOnly)} |`);
}

// Sizes, gzipped at level 9 by GNU gzip without a name in the header, as scripts/wasm-build.sh
// measures the budget (zlib's deflate, Node's, gives a few hundred bytes more on the module: one
// measure for both reports). Without a gzip command, zlib's, and the table says so.
let gzipTool = "GNU gzip -9 -n";
const gz = (buf) => {
  try {
    return execFileSync("gzip", ["-9", "-n", "-c"], { input: buf, maxBuffer: 1 << 28 }).length;
  } catch {
    gzipTool = "Node zlib level 9 (no gzip command: not the build script's measure)";
    return gzipSync(buf, { level: 9 }).length;
  }
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB (${n} bytes)`;
// What a browser loads: the web build next to the node one (the same module).
const webDir = join(pkgDir, "..", "web");
const sizeOf = (f) => gz(readFileSync(join(webDir, f)));
const wasmGz = sizeOf("hcdb_lint_bg.wasm");
const glueGz = sizeOf("hcdb_lint.js") + sizeOf("index.js");
const docsGz = sizeOf("hcdb_lint_docs.json");
// ajv as Node loads it: every file of ajv and its dependencies that require() pulled in,
// concatenated (unminified; a bundler's minifier would shrink it).
const loaded = Object.keys(require.cache).filter((f) => f.includes(`${join("node_modules")}`));
const ajvRuntime = gz(Buffer.concat(loaded.map((f) => readFileSync(f))));
// ajv's standalone output: the compiled validator code for the three schemas (what a bundle
// would ship instead of ajv's compiler), plus the small runtime helpers it requires.
const standalone = standaloneCode(
  ajv,
  Object.fromEntries(apis.map((a, i) => [`v${i}`, schemas[a].$id])),
);
const schemaGz = gz(Buffer.from(apis.map((a) => JSON.stringify(schemas[a])).join("\n")));
console.log(`\n| artefact | gzipped (${gzipTool}) |`);
console.log("|---|---:|");
console.log(`| hcdb-lint wasm (.wasm) | ${kb(wasmGz)} |`);
console.log(`| hcdb-lint JS glue and package entry (minified) | ${kb(glueGz)} |`);
console.log(`| hcdb-lint total, what a form loads (budget 160 KiB) | ${kb(wasmGz + glueGz)} |`);
console.log(`| hcdb-lint rule documentation (fetched by the first rules() call) | ${kb(docsGz)} |`);
console.log(`| ajv + dependencies as loaded by Node (${loaded.length} files, unminified) | ${kb(ajvRuntime)} |`);
console.log(`| ajv standalone validators for the 3 schemas | ${kb(gz(Buffer.from(standalone)))} |`);
console.log(`| the 3 JSON Schemas | ${kb(schemaGz)} |`);

const gdb = summary.find((s) => s.name === "gdb-valid");
const fields = summary.filter((s) => s.tField !== null).map((s) => s.tField);
console.log(
  `\nTargets: checkJson no slower than parse+ajv per call (gdb-valid: ${ratio(gdb.tJson, gdb.tAjvJson)}x); ` +
    `checkField < 20 µs (max ${fmt(Math.max(...fields))}).`,
);
