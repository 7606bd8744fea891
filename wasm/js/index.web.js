// The package entry for browsers and bundlers: the wasm-bindgen module (`hcdb_lint.js`) with
// `rules()` completed from `hcdb_lint_docs.json`. The rule documentation (summaries, reasons,
// examples, sources) is a file of its own, fetched on the first `rules()` call: a form that only
// validates never loads it, and the module stays within its size budget.
import init, * as glue from "./hcdb_lint.js";

export * from "./hcdb_lint.js";
export default init;

let docs;

/** The documentation by rule id, fetched once (a failed fetch is retried on the next call). */
function loadDocs() {
  docs ??= fetch(new URL("./hcdb_lint_docs.json", import.meta.url))
    .then((r) => {
      if (!r.ok) throw new Error(`hcdb-lint: cannot load the rule documentation: ${r.status} ${r.url}`);
      return r.json();
    })
    .catch((e) => {
      docs = undefined;
      throw e;
    });
  return docs;
}

async function withDocs(list) {
  const byId = await loadDocs();
  return list.map((r) => Object.assign(r, byId[r.id]));
}

/** The rules that apply to an API (the common linter rules first), or every rule, with their documentation. */
export async function rules(api) {
  return withDocs(glue._rulesWithoutDocs(api));
}

glue.Linter.prototype.rules = async function rules(api) {
  return withDocs(this._rulesWithoutDocs(api));
};
