// The package entry for Node (CommonJS): the wasm-bindgen module (`hcdb_lint.js`) with `rules()`
// completed from `hcdb_lint_docs.json`, read on the first `rules()` call (the browser build
// fetches it; see web/index.js).
"use strict";
const glue = require("./hcdb_lint.js");

let docs;

async function withDocs(list) {
  docs ??= require("./hcdb_lint_docs.json");
  return list.map((r) => Object.assign(r, docs[r.id]));
}

/** The rules that apply to an API (the common linter rules first), or every rule, with their documentation. */
async function rules(api) {
  return withDocs(glue._rulesWithoutDocs(api));
}

glue.Linter.prototype.rules = async function rules(api) {
  return withDocs(this._rulesWithoutDocs(api));
};

module.exports = { ...glue, rules };
