// The web build's entry, type-checked with types-usage.ts by types.test.mjs: the default export
// initialises the module; rules() and Linter#rules() are promises; the rest is synchronous.
import init, { check, rules, Linter, type Report, type RuleDoc } from "../pkg/web/index.js";

await init();
const report: Report = check("ddm-scale-out", { flavor_id: "f", node_number: 2 });
const docs: RuleDoc[] = await rules("ddm-scale-out");
const fromLinter: RuleDoc[] = await new Linter({ lang: "zh" }).rules();
// @ts-expect-error: rules() is a promise
const first: RuleDoc = rules()[0];

export const usedWeb = [report, docs, fromLinter, first];
