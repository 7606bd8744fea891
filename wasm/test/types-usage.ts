// Compiled with `tsc --noEmit --strict` by types.test.mjs: the declarations must describe real
// shapes, so property access below type-checks without casts, and the misuse marked below is
// rejected.
import {
  check,
  checkField,
  checkJson,
  applyFixes,
  detectApi,
  fields,
  rules,
  Linter,
  type Api,
  type Diagnostic,
  type FieldMeta,
  type Fix,
  type FixResult,
  type Report,
  type RuleDoc,
  type Severity,
} from "../pkg/node/index.js";

const api: Api = "geminidb-create-instance";
const report: Report = check(api, { name: "ab", flavor: [{ num: 3 }], port: undefined });
const first: Diagnostic | undefined = report.diagnostics[0];
const severity: Severity | undefined = first?.severity;
const line: number | undefined = checkJson(api, "{}").diagnostics[0]?.line;
const valid: boolean = checkField(api, "/charge_info/charge_mode", "prePaid").valid;
const withBody: Report = checkField(api, "/name", "abcd", { name: "abcd" });
const detected: Api | null = detectApi({ datastore: { type: "redis" } });
const meta: FieldMeta[] = fields(api);
const max: number | undefined = meta[0]?.maxLength;
const labels: string[] = (meta[0]?.enum ?? []).map((e) => `${e.value}: ${e.label.zh}`);
const docs: RuleDoc[] = await rules();
const ids: string[] = (await rules(api)).map((r) => `${r.id} ${r.defaultSeverity} ${r.severity ?? "off"} ${r.why.en}`);
const linter = new Linter({ lang: "zh", rules: { GDB101: "off", "geminidb-name-length": { severity: "warning" } } });
const zh: string = linter.lang;
const fromLinter: Report = linter.checkField(api, "/name", "x");
const plain = new Linter();
const strict = new Linter({ strict: true, lang: "en" });
const fromLinterDocs: Promise<RuleDoc[]> = plain.rules(api);
const fix: Fix | undefined = checkJson(api, "{}").diagnostics[0]?.fix;
const edit: string | undefined = fix?.edits[0]?.replacement;
const safe: boolean = fix?.applicability === "safe";
const fixed: FixResult = applyFixes("{}", { api, unsafeFixes: true });
const fixedText: string = fixed.text + linter.applyFixes("{}").fixed + plain.applyFixes("{}", {}).report.valid;

// @ts-expect-error: not an API
check("rds-create-instance", {});
// @ts-expect-error: a body is an object
check(api, 42);
// @ts-expect-error: not a language
new Linter({ lang: "fr" });
// @ts-expect-error: strict is a boolean
new Linter({ strict: "yes" });
// @ts-expect-error: rules() is a promise (the documentation is loaded on first use)
rules().map((r) => r.id);
// @ts-expect-error: not an applyFixes option
applyFixes("{}", { unsafe: true });
// @ts-expect-error: diagnostics have no `code`
report.diagnostics[0]?.code;

const templ = new Linter({ templates: { vars: { N: "3" }, failOnUnknown: false } });
const unknownAt: string | undefined = templ.checkJson(api, "{}").unknown[0]?.pointer;
new Linter({ templates: true });
// @ts-expect-error: variables' values are strings
new Linter({ templates: { vars: { N: 3 } } });

export const used = [severity, line, valid, withBody, detected, max, labels, docs, ids, zh, fromLinter, plain, fromLinterDocs, edit, safe, fixedText, strict, unknownAt];
