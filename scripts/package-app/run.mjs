// Serves a built app (DIR) on 127.0.0.1 and opens it in Debian's headless Chromium with the
// launch flags of the browser package's own tests; prints the page's result and fails unless the
// bundled package reported the expected findings and loaded the rule documentation.
//   node run.mjs DIR PLAYWRIGHT_CORE_DIR
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const [dir, playwrightDir] = process.argv.slice(2);
const { chromium } = createRequire(path.join(playwrightDir, "x.js"))("playwright-core");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const file = path.join(dir, rel.endsWith("/") ? rel + "index.html" : rel);
  if (!file.startsWith(path.resolve(dir))) return res.writeHead(403).end();
  fs.readFile(file, (err, data) => {
    if (err) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(data);
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "hcdb-app-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let failed = false;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("body[data-result], body[data-error]", { timeout: 30000 });
  const error = await page.getAttribute("body", "data-error");
  const result = JSON.parse((await page.getAttribute("body", "data-result")) ?? "null");
  console.log(`[app] ${url}: ${JSON.stringify(result)}`);
  const want = ["/flavor_id", "/node_number"];
  if (error || errors.length) {
    console.error(`[app] page error: ${error ?? errors.join("; ")}`);
    failed = true;
  } else if (!want.every((p) => result.pointers.includes(p)) || !result.rules.includes("DDM201")) {
    console.error(`[app] expected findings at ${want.join(", ")} (DDM201 among them)`);
    failed = true;
  } else if (result.fields < 2 || result.documented < 3) {
    console.error("[app] fields() or rules() with documentation came back short");
    failed = true;
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
