// The package entry's declarations: everything the wasm-bindgen module declares, and `rules()`,
// which loads the rule documentation (hcdb_lint_docs.json) on first use.
import type { Api, RuleDoc } from "./hcdb_lint.js";

export * from "./hcdb_lint.js";

/**
 * The rules that apply to an API (the common linter rules first), or every rule without one,
 * with their documentation. The documentation is a file of its own, loaded on the first call.
 */
export declare function rules(api?: Api): Promise<RuleDoc[]>;

declare module "./hcdb_lint.js" {
  interface Linter {
    /** The rules that apply to an API, each with its level in this configuration, with their documentation. */
    rules(api?: Api): Promise<RuleDoc[]>;
  }
}
