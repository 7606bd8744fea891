// The TypeScript declarations: strict-mode usage type-checks, misuse does not, and no `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { wasmDir } from "./helpers.mjs";

test("declarations contain no `any`", () => {
  for (const [target, file] of [["web", "hcdb_lint.d.ts"], ["node", "hcdb_lint.d.ts"], ["web", "index.d.ts"], ["node", "index.d.ts"]]) {
    const dts = fs.readFileSync(path.join(wasmDir, "pkg", target, file), "utf8");
    // Code only: `any` as a type, not in comments or as the `any?:` key of a Condition.
    const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const hits = code.split("\n").filter((l) => /(:|\||<|\(|,)\s*any\b(?!\?:)/.test(l));
    assert.deepEqual(hits, [], `${target}: \`any\` in the declarations`);
  }
});

test("tsc --strict accepts the usage file and rejects the misuse", () => {
  const tsc = path.join(wasmDir, "node_modules", ".bin", "tsc");
  const args = ["--noEmit", "--strict", "--target", "es2022", "--lib", "esnext,dom", "--module", "nodenext",
    "--moduleResolution", "nodenext", "--skipLibCheck", "false", path.join(wasmDir, "test", "types-usage.ts"),
    path.join(wasmDir, "test", "types-usage-web.ts")];
  try {
    execFileSync(tsc, args, { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test("package.json points at the entries, which exist, and keeps their side effects", () => {
  const pkgDir = path.join(wasmDir, "pkg");
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const targets = [pkg.main, pkg.module, pkg.types];
  for (const cond of Object.values(pkg.exports["."])) targets.push(cond.types, cond.default);
  for (const t of targets) {
    assert.ok(fs.existsSync(path.join(pkgDir, t)), `${t} is missing`);
    assert.match(t, /\/index\.(js|d\.ts)$/, `${t}: the entry is index.js (rules() needs it)`);
  }
  for (const dir of ["web", "node"]) {
    assert.ok(fs.existsSync(path.join(pkgDir, dir, "hcdb_lint_docs.json")), `${dir}: no docs file`);
    assert.ok(pkg.sideEffects.includes(`./${dir}/index.js`), `${dir}/index.js must keep its side effects`);
  }
});
