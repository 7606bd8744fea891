// Shared by the Node tests: the nodejs build of the package, the repository paths, the corpus.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const wasmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = path.resolve(wasmDir, "..");

/** The nodejs build written by scripts/wasm-build.sh, through the package entry (index.js). */
export const lint = createRequire(import.meta.url)(path.join(wasmDir, "pkg/node/index.js"));

/**
 * The core's expanded fixture corpus with the Rust verdicts (`cargo run --example corpus`).
 * Throws when it cannot be produced: the differential test must not pass on an empty corpus.
 */
export function loadCorpus() {
  const out = execFileSync("cargo", ["run", "--quiet", "--example", "corpus"], {
    cwd: repoDir,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const corpus = JSON.parse(out);
  if (!Array.isArray(corpus) || corpus.length === 0) {
    throw new Error("the corpus example printed no cases");
  }
  return corpus;
}

/** A diagnostic list as a sorted list of "rule pointer severity" strings (a multiset). */
export function verdict(diagnostics) {
  return diagnostics.map((d) => `${d.rule} ${JSON.stringify(d.pointer)} ${d.severity}`).sort();
}
