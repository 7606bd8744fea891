// A tiny static server for the demo: /demo/* from wasm/demo, /pkg/web/* from wasm/pkg/web, on
// 127.0.0.1 and a free port. Used by the browser test; run it by hand to try the demo:
//   node wasm/test/serve.mjs   (prints the URL)
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const wasmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOTS = { "/demo/": path.join(wasmDir, "demo"), "/pkg/web/": path.join(wasmDir, "pkg", "web") };
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

/** Start serving; resolves to { url, close }. */
export function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const pathname = decodeURIComponent(url.pathname);
    if (pathname === "/" || pathname === "/demo") {
      res.writeHead(302, { location: "/demo/" }).end();
      return;
    }
    const prefix = Object.keys(ROOTS).find((p) => pathname.startsWith(p));
    if (!prefix) return res.writeHead(404).end("not found");
    const root = ROOTS[prefix];
    let file = path.resolve(root, "." + pathname.slice(prefix.length - 1));
    if (!file.startsWith(root)) return res.writeHead(403).end("forbidden");
    if (pathname.endsWith("/")) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) return res.writeHead(404).end("not found");
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/demo/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  serve().then(({ url }) => console.log(`demo at ${url}`));
}
