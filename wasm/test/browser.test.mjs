// The demo form in Debian's Chromium, headless, driven by playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";
import { wasmDir } from "./helpers.mjs";

const { chromium } = createRequire(import.meta.url)("playwright-core");
const outDir = path.join(wasmDir, "test-output");

let server;
let browser;
let page;
let userDataDir;
const pageErrors = [];

before(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  server = await serve();
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hcdb-chromium-"));
  // A fresh profile each run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1280, height: 1500 },
  });
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

const form = 'form[data-api="geminidb-create-instance"]';
const field = (pointer) => `${form} [data-anchor="${pointer}"]`;
const messages = (pointer) => page.locator(`${field(pointer)} .messages li`);

test("the demo loads without errors and builds controls from fields()", async () => {
  assert.deepEqual(pageErrors, []);
  assert.equal(await page.locator(".tabs button").count(), 3);
  // maxlength, min/max and selects come from the metadata.
  assert.equal(await page.getAttribute(`${form} [data-pointer="/name"]`, "maxlength"), "64");
  assert.equal(await page.getAttribute(`${form} [data-pointer="/backup_strategy/keep_days"]`, "max"), "35");
  const engines = await page.$$eval(`${form} [data-pointer="/datastore/type"] option`, (o) => o.map((x) => x.value));
  assert.deepEqual(engines.filter(Boolean).sort(), ["cassandra", "dynamodb", "hbase", "influxdb", "mongodb", "redis"]);
  assert.equal(await page.getAttribute(`${form} [data-pointer="/password"]`, "type"), "password");
  // Nothing is shown before the user edits.
  assert.equal(await page.locator(`${form} .messages li`).count(), 0);
});

test("rules() fetches the rule documentation on first use, not before", async () => {
  const out = await page.evaluate(async () => {
    const docsLoaded = () =>
      performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/hcdb_lint_docs.json")).length;
    const before = docsLoaded();
    // The module the demo initialised (same URL, same instance).
    const m = await import(new URL("../pkg/web/index.js", document.querySelector("script[type=module]").src).href);
    const list = await m.rules("ddm-scale-out");
    const again = await new m.Linter({ lang: "zh" }).rules();
    return { before, after: docsLoaded(), n: list.length, summary: list[0].summary.en, why: again[0].why.zh };
  });
  assert.equal(out.before, 0, "the documentation was loaded before rules() was called");
  assert.equal(out.after, 1, "the documentation is fetched once");
  assert.ok(out.n > 10 && out.summary && out.why, JSON.stringify(out));
  assert.deepEqual(pageErrors, []);
});

test("in the browser: strict mode, templates and applyFixes give the package's verdicts", async () => {
  const out = await page.evaluate(async () => {
    const m = await import(new URL("../pkg/web/index.js", document.querySelector("script[type=module]").src).href);
    const body = {
      name: "orders-01", region: "r", availability_zone: "az1", vpc_id: "v", subnet_id: "s",
      security_group_id: "g", password: "Valid-Pass1~", mode: "Replication",
      datastore: { type: "redis", version: "5.0", storage_engine: "rocksDB" },
      flavor: [{ num: 2, size: 16, storage: "ULTRAHIGH", spec_code: "geminidb.redis.large.4" }],
    };
    const api = "geminidb-create-instance";
    const at = (r) => r.diagnostics.filter((d) => d.pointer === "/flavor/0/num").map((d) => [d.rule, d.severity]);
    const templated = JSON.stringify(body).replace('"orders-01"', '"orders-${ENV}"');
    const fixed = m.applyFixes(JSON.stringify({ flavor_id: "f", node_number: "2" }), { api: "ddm-scale-out" });
    return {
      relaxed: at(new m.Linter().check(api, body)),
      strict: at(new m.Linter({ strict: true }).check(api, body)),
      plain: new m.Linter().checkJson(api, templated).unknown.length,
      unknown: new m.Linter({ templates: true }).checkJson(api, templated).unknown.map((u) => [u.pointer, u.expression]),
      fixed: [fixed.text, fixed.fixed],
    };
  });
  assert.deepEqual(out.relaxed, [["GDB122", "warning"]]);
  assert.deepEqual(out.strict, [["GDB122", "error"]]);
  assert.equal(out.plain, 0);
  assert.deepEqual(out.unknown, [["/name", "${ENV}"]]);
  assert.deepEqual(out.fixed, ['{"flavor_id":"f","node_number":2}', 1]);
  assert.deepEqual(pageErrors, []);
});

test("a bad name gets its message next to the field, and loses it once fixed", async () => {
  const name = page.locator(`${form} [data-pointer="/name"]`);
  await name.fill("");
  await name.pressSequentially("1db", { delay: 10 });
  await page.waitForSelector(`${field("/name")} .messages li.error`);
  const texts = await messages("/name").allTextContents();
  assert.ok(texts.length > 0 && texts.every((t) => t.length > 10), texts.join(" | "));
  assert.equal(await page.getAttribute(field("/name"), "data-state"), "error");
  // Messages stay with their field: none of the name's is elsewhere.
  const elsewhere = await page.$$eval(`${form} .messages li`, (items) =>
    items.filter((li) => li.dataset.for === "/name" && li.closest("[data-anchor]").dataset.anchor !== "/name").length);
  assert.equal(elsewhere, 0);

  await name.fill("orders-prod-01");
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, `${field("/name")} .messages li`);
  assert.equal(await page.getAttribute(field("/name"), "data-state"), null);
});

test("prePaid flags the period fields", async () => {
  assert.equal(await messages("/charge_info/period_type").count(), 0);
  await page.selectOption(`${form} [data-pointer="/charge_info/charge_mode"]`, "prePaid");
  await page.waitForSelector(`${field("/charge_info/period_type")} .messages li.error`);
  await page.waitForSelector(`${field("/charge_info/period_num")} .messages li.error`);
  await page.selectOption(`${form} [data-pointer="/charge_info/period_type"]`, "month");
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0,
    `${field("/charge_info/period_type")} .messages li`);
  assert.ok((await messages("/charge_info/period_num").count()) > 0, "period_num is still missing");
});

test("switching to zh words the messages in Chinese", async () => {
  const password = page.locator(`${form} [data-pointer="/password"]`);
  await password.fill("Secret-Value-1");
  await page.locator(`${form} [data-pointer="/name"]`).fill("1db");
  await page.waitForSelector(`${field("/name")} .messages li.error`);
  const en = (await messages("/name").allTextContents()).join(" ");
  assert.doesNotMatch(en, /[\u4e00-\u9fff]/);
  await page.selectOption("#lang", "zh");
  await page.waitForFunction((sel) => /[\u4e00-\u9fff]/.test(document.querySelector(sel)?.textContent ?? ""),
    `${field("/name")} .messages li`);
  const label = await page.textContent(`${field("/name")} label`);
  assert.match(label, /实例名称/);
  // The password is in no visible text (the preview masks it).
  const visible = await page.evaluate(() => document.body.innerText);
  assert.ok(!visible.includes("Secret-Value-1"), "the password is displayed");
  await page.screenshot({ path: path.join(outDir, "demo-zh.png"), fullPage: true });
  await page.selectOption("#lang", "en");
  await page.screenshot({ path: path.join(outDir, "demo-en.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("a message's rule id opens the rule's documentation, in the page's language", async () => {
  // The 1-character-digit name of the previous test is still there: GDB10x errors on /name.
  const id = page.locator(`${field("/name")} .messages li.error button.rule`).first();
  const rule = await id.textContent();
  await id.click();
  const doc = page.locator("#rule-doc");
  await page.waitForFunction((r) => document.querySelector("#rule-doc")?.textContent.includes(r), rule);
  const en = await doc.textContent();
  assert.match(en, new RegExp(`${rule} · `));
  assert.match(en, /Source: /);
  await page.selectOption("#lang", "zh");
  await page.waitForFunction(() => /出处/.test(document.querySelector("#rule-doc")?.textContent ?? ""));
  assert.match(await doc.textContent(), /[\u4e00-\u9fff]/);
  await page.screenshot({ path: path.join(outDir, "demo-rule-doc.png"), fullPage: true });
  await page.selectOption("#lang", "en");
  assert.deepEqual(pageErrors, []);
});


test("flavor rows can be added and removed, with messages per row", async () => {
  await page.click(`${form} .add-row`);
  assert.equal(await page.locator(`${form} [data-row]`).count(), 2);
  await page.locator(`${form} [data-pointer="/flavor/1/num"]`).fill("0");
  await page.waitForSelector(`${field("/flavor/1/num")} .messages li.error`);
  await page.click(`${form} [data-anchor="/flavor/1"] .remove-row`);
  assert.equal(await page.locator(`${form} [data-row]`).count(), 1);
  assert.equal(await page.locator(`${form} [data-anchor="/flavor/1"]`).count(), 0);
  assert.deepEqual(pageErrors, []);
});
