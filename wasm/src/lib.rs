//! The browser package of hcdb-lint: a thin wasm-bindgen layer over the core crate, so that a web
//! console validates its forms with exactly the verdicts of the CLI.
//!
//! Every exported function takes `JsValue`s and checks them itself, so that a bad argument is a
//! JS `Error` with a clear message, never a trap. Values from JS are read through
//! `JSON.stringify` (the same semantics as sending the body: `undefined` members are dropped),
//! results are written as JSON text and read with `JSON.parse` (plain objects).
//! Keys are camelCase on the JS side; the conversion lives in [`shape`], which is plain Rust and
//! tested natively.

use hcdb_lint::{Api, Linter as Core};
use serde_json::Value;
use wasm_bindgen::prelude::*;

pub mod shape;

// The three JS functions the package calls, declared here rather than taken from js-sys: linking
// js-sys brings its closure adapters (typed arrays, futures) into the module, 2 KB gzipped.
#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify(value)`: a string, or `undefined` (for `undefined` and functions).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `JSON.parse(text)`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// What `JSON.stringify` throws (a `TypeError` for cycles and BigInts, or whatever a
    /// `toJSON` throws): its `message`, if it has a string one.
    type ThrownError;
    #[wasm_bindgen(method, getter, structural)]
    fn message(this: &ThrownError) -> Option<String>;
}

/// The module is single-threaded: talc's lock-free wasm configuration.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

// The TypeScript `Api` type: the union of the API ids, generated from the rule packs
// (wasm/build.rs).
include!(concat!(env!("OUT_DIR"), "/api_type.rs"));

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export type Lang = "en" | "zh";
export type Severity = "error" | "warning" | "info";
/** A rule's level in a configuration; `off` silences it. */
export type Level = Severity | "off";

/** Any value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A request body: a JSON object (the form state). `undefined` members are dropped, as by JSON.stringify. */
export type RequestBody = { [member: string]: JsonValue | undefined };
/** A field value as the user types it. */
export type FieldValue = JsonValue;

/** Text in both languages. */
export interface Text {
  en: string;
  zh: string;
}

/** One finding, worded in the linter's language. Never carries a password. */
export interface Diagnostic {
  /** Stable rule id, e.g. `GDB104`. */
  rule: string;
  /** Kebab-case rule name, e.g. `geminidb-name-charset`. */
  name: string;
  severity: Severity;
  /** RFC 6901 pointer to the member that must change (`""` is the whole body). */
  pointer: string;
  message: string;
  help: string;
  /** Structured parameters of the message, for consoles that word messages themselves. */
  params: { [param: string]: JsonValue };
  /** 1-based position of the start and end (checkJson only; columns count Unicode scalar values). */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The fix the rule offers (checkJson only): apply it with `applyFixes`, or read it. */
  fix?: Fix;
}

/** `safe` keeps the meaning (applied by default); `unsafe` may change it (`unsafeFixes`). */
export type Applicability = "safe" | "unsafe";

/**
 * A place in the text: 1-based line and column (Unicode scalar values), and `offset`, the
 * 0-based byte offset in the text's UTF-8 encoding (not a JS string index).
 */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** The text from `start` up to `end` becomes `replacement` (JSON text: `"Cluster"`, `3`, or empty). */
export interface Edit {
  start: Position;
  end: Position;
  replacement: string;
}

/** A fix: its edits are applied together. For a form, the edit of a value holds the field's new JSON. */
export interface Fix {
  applicability: Applicability;
  /** What it does, in the linter's language (`Write \`Cluster\``). */
  message: string;
  edits: Edit[];
}

/** What `applyFixes` applies: detected from the body without `api`; safe fixes only by default. */
export interface ApplyFixesOptions {
  api?: Api;
  unsafeFixes?: boolean;
}

/** The fixed text, how many findings were fixed, and the report on the fixed text. */
export interface FixResult {
  text: string;
  fixed: number;
  report: Report;
}

/** A member whose value a template fills in (`${PW}`, `{{ .Values.num }}`): not checked. */
export interface Unknown {
  /** RFC 6901 pointer of the member. */
  pointer: string;
  /** The template expressions in the value (never its literal text). */
  expression: string;
  /** 1-based position of the value (checkJson only). */
  line?: number;
  column?: number;
}

/** The verdict on one body: `valid` is false when any diagnostic is an error. */
export interface Report {
  valid: boolean;
  diagnostics: Diagnostic[];
  /** Values a template fills in, not checked (always empty unless the `templates` option is on). */
  unknown: Unknown[];
}

/** One allowed value of an enumerated field, with its label for a select. */
export interface EnumValue {
  value: string;
  label: Text;
}

/** Constraints of one request field, from the same rule packs the checks come from. */
export interface FieldMeta {
  /** JSON Pointer; `*` stands for every array item (`/flavor/*\/num`). */
  pointer: string;
  type: "string" | "integer" | "boolean" | "bool-string" | "object" | "array";
  required: boolean;
  /** Required only under a condition (e.g. `period_type` under prePaid). */
  requiredWhen: boolean;
  /** A password: never display or log its value. */
  secret: boolean;
  label: Text;
  default?: JsonValue;
  /** Allowed values (the union over engines and modes where they depend on them). */
  enum?: EnumValue[];
  minLength?: number;
  maxLength?: number;
  /** What minLength/maxLength count. */
  lengthUnit?: "chars" | "bytes";
  minimum?: number;
  maximum?: number;
  /** Allowed characters, as a regular-expression class body (`A-Za-z0-9-`). */
  allowedChars?: string;
  /** Allowed first characters, as a class body. */
  firstChar?: string;
  /** Fields whose values change what is allowed here (`datastore.type`, `mode`). */
  dependsOn?: string[];
}

/** A condition as the rule packs write it. */
export interface Condition {
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  field?: string;
  context?: string;
  eq?: JsonValue;
  in?: JsonValue[];
  in_table?: string;
  present?: boolean;
  contains?: string;
  gt?: number;
}

/** A rule's check as the pack writes it: a kind and its parameters. */
export interface RuleCheck {
  kind: string;
  [param: string]: JsonValue;
}

/** A rule's documentation and data. */
export interface RuleDoc {
  id: string;
  name: string;
  /** `null` for the linter rules common to every API. */
  api: Api | null;
  defaultSeverity: Severity;
  /** The level in this linter's configuration; `null` when the rule is off. */
  severity: Severity | null;
  summary: Text;
  message: Text;
  help: Text;
  why: Text;
  examples: { invalid: JsonValue; valid: JsonValue };
  /** Where the constraint is written in the reference pages. */
  source: { page: string; table: string; parameter: string };
  /** The pointers the rule checks. */
  targets: string[];
  when: Condition | null;
  check: RuleCheck;
  /** When the rule fires, the service ignores the member: its other rules stay silent. */
  memberIgnored: boolean;
  /**
   * Values the reference pages forbid that the service is known to accept: a finding of one is
   * a warning (the rule's error under `strict`) whose params carry `documented`, `accepted`
   * and `evidence`.
   */
  observed: ObservedAcceptance[];
  /**
   * The fix the rule offers, when it offers one: which edit, whether it keeps the meaning, and
   * its wording per language (`{replacement}` is the text written).
   */
  fix?: {
    edit: "suggestion" | "rename" | "documented_type" | "remove" | "check";
    applicability: Applicability;
    message: { en: string; zh: string };
  };
}

/** A value the service is known to accept against the pages, with its evidence. */
export interface ObservedAcceptance {
  when: Condition | null;
  /** A check in the rules' vocabulary that the accepted values pass. */
  accepts: RuleCheck;
  documented: Text;
  accepted: Text;
  source: { project: string; file: string; date: string };
}

/** One rule's setting: a level, or a level and options that override the pack's parameters. */
export type RuleSetting = Level | { severity?: Level; options?: { [option: string]: JsonValue } };

/** Everything a Linter can be told. Every member is optional. */
export interface LinterConfig {
  lang?: Lang;
  /** Per-rule settings keyed by rule id (`GDB120`) or name (`geminidb-node-count`). */
  rules?: { [rule: string]: RuleSetting };
  /** Per-API overrides deep-merged into the packs' tables. */
  tables?: { [api: string]: { [table: string]: JsonValue } };
  /** Facts the request cannot show (the AZs on offer, the largest disk of a spec...). */
  context?: { [key: string]: JsonValue };
  /** Larger JSON text gets a diagnostic instead of a parse (default 1 MiB). */
  maxInputBytes?: number;
  /** Deeper nesting gets a diagnostic instead of a parse (default 64). */
  maxDepth?: number;
  /**
   * Read bodies as templates (default off: a form field holding `${x}` is just a bad value).
   * On, a template expression (`${NAME}`, `{{ ... }}`, `${{ ... }}`, `$(NAME)`) is an unknown
   * value listed in `Report.unknown`; `vars` are substituted and checked (never echoed);
   * `failOnUnknown` makes each unknown value an error. Applies to `check` and `checkJson`;
   * `checkField` judges the value as typed.
   */
  templates?: boolean | { vars?: { [name: string]: string }; failOnUnknown?: boolean };
  /**
   * The documented contract only: values the reference pages forbid but the service is known
   * to accept (warnings whose `params` carry `documented`, `accepted` and `evidence`) are the
   * rule's error again. Default false.
   */
  strict?: boolean;
}
"#;

fn err(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// The API named by a JS argument.
fn api_arg(api: &JsValue) -> Result<Api, JsError> {
    match api.as_string() {
        Some(s) => s.parse::<Api>().map_err(err),
        None => Err(err(format!(
            "api must be a string, one of {}",
            shape::API_NAMES
        ))),
    }
}

/// The JSON text of a JS value (`JSON.stringify`); `None` for `undefined` (and functions).
fn stringify(value: &JsValue, what: &str) -> Result<Option<String>, JsError> {
    if value.is_undefined() {
        return Ok(None);
    }
    let text = json_stringify(value).map_err(|e| {
        let why = e
            .unchecked_into::<ThrownError>()
            .message()
            .unwrap_or_default();
        err(format!("{what} cannot be written as JSON: {why}"))
    })?;
    Ok(text.as_string())
}

/// A JS value as JSON, read through `JSON.stringify`. `None` for `undefined` (and functions).
fn json_arg(value: &JsValue, what: &str) -> Result<Option<Value>, JsError> {
    match stringify(value, what)? {
        Some(text) => shape::parse_json(&text, what).map(Some).map_err(err),
        None => Ok(None),
    }
}

/// The JSON text of a request body argument (a plain object), or the error naming what it is
/// instead.
fn body_text(body: &JsValue) -> Result<String, JsError> {
    let text = stringify(body, "body")?;
    shape::require_object(text.as_deref(), "body").map_err(err)?;
    // Some: an object's text.
    Ok(text.unwrap_or_default())
}

fn text_arg(text: &JsValue) -> Result<String, JsError> {
    text.as_string()
        .ok_or_else(|| err("text must be a string of JSON"))
}

/// A result for JS: written as JSON text and read back with `JSON.parse` (plain objects). The
/// results are written directly from the core's types by [`shape`]'s one JSON writer, which keeps
/// the module small.
fn json_js(text: &str) -> Result<JsValue, JsError> {
    json_parse(text).map_err(|_| err("internal error: a result is not JSON"))
}

/// A report for JS, written straight as JSON text (no intermediate value).
fn report_js(report: &hcdb_lint::Report) -> Result<JsValue, JsError> {
    json_js(&shape::report_json(report))
}

fn do_check(core: &Core, api: &JsValue, body: &JsValue) -> Result<JsValue, JsError> {
    let api = api_arg(api)?;
    // The body's JSON text, checked as the value it denotes: read once (no conversion to a
    // serde value and back).
    let text = body_text(body)?;
    report_js(&core.check_value_text(api, &text))
}

fn do_check_json(core: &Core, api: &JsValue, text: &JsValue) -> Result<JsValue, JsError> {
    let api = api_arg(api)?;
    let text = text_arg(text)?;
    report_js(&core.check_str(api, &text))
}

fn do_check_field(
    core: &Core,
    api: &JsValue,
    pointer: &JsValue,
    value: &JsValue,
    body: Option<&JsValue>,
) -> Result<JsValue, JsError> {
    let api = api_arg(api)?;
    let pointer = pointer
        .as_string()
        .ok_or_else(|| err("pointer must be a string holding a JSON Pointer, e.g. \"/name\""))?;
    let value = stringify(value, "value")?.ok_or_else(|| {
        err("value is missing: pass the field's value (a string, number, boolean, object, array or null)")
    })?;
    let body = body.map(body_text).transpose()?;
    // Both read as JSON text by the core's parser: no serde values on the keystroke path.
    let report = core
        .check_field_text(api, &pointer, &value, body.as_deref())
        .map_err(err)?;
    report_js(&report)
}

fn do_apply_fixes(
    core: &Core,
    text: &JsValue,
    options: Option<&JsValue>,
) -> Result<JsValue, JsError> {
    let text = text_arg(text)?;
    let options = match options {
        Some(o) => json_arg(o, "options")?,
        None => None,
    };
    let (api, options) = shape::fix_options(options.as_ref()).map_err(err)?;
    json_js(&shape::fixed_json(&core.fix(api, &text, options)))
}

fn do_detect(body: &JsValue) -> Result<JsValue, JsError> {
    // Detection never fails: anything that is not a known body is `null`.
    let text = stringify(body, "body").unwrap_or(None);
    Ok(match text.as_deref().and_then(shape::detect) {
        Some(api) => JsValue::from_str(api.id()),
        None => JsValue::NULL,
    })
}

fn do_rules(core: &Core, api: Option<&JsValue>) -> Result<JsValue, JsError> {
    let api = api.map(api_arg).transpose()?;
    json_js(&shape::rules_json(core, api))
}

fn do_fields(core: &Core, api: &JsValue) -> Result<JsValue, JsError> {
    let api = api_arg(api)?;
    json_js(&shape::fields_json(&core.fields(api)))
}

/// Check a body (a plain object, e.g. form state) with the default configuration.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestBody")] body: JsValue,
) -> Result<JsValue, JsError> {
    do_check(Core::default_ref(), &api, &body)
}

/// Check JSON text with the default configuration; diagnostics carry line and column.
#[wasm_bindgen(js_name = checkJson, unchecked_return_type = "Report")]
pub fn check_json(
    #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsError> {
    do_check_json(Core::default_ref(), &api, &text)
}

/// The diagnostics about one field as the user types: `value` is set at `pointer` in `body` (or an
/// empty object) and the diagnostics kept are those at or under the pointer, plus those of the
/// cross-field rules that read it (`period_type` once `charge_mode` is `prePaid`).
#[wasm_bindgen(js_name = checkField, unchecked_return_type = "Report")]
pub fn check_field(
    #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] pointer: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FieldValue")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestBody | null")] body: Option<JsValue>,
) -> Result<JsValue, JsError> {
    do_check_field(Core::default_ref(), &api, &pointer, &value, body.as_ref())
}

/// Apply the fixes the diagnostics of JSON text offer (safe ones unless `unsafeFixes`), until
/// nothing changes; every other byte of the text is kept. Text that is not JSON, or has
/// duplicate keys, comes back as it is.
#[wasm_bindgen(js_name = applyFixes, unchecked_return_type = "FixResult")]
pub fn apply_fixes(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApplyFixesOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    do_apply_fixes(Core::default_ref(), &text, options.as_ref())
}

/// Which API a body is for (`instance` → DDM create, `datastore` → GeminiDB create,
/// `node_number` → DDM scale-out), or `null`.
#[wasm_bindgen(js_name = detectApi, unchecked_return_type = "Api | null")]
pub fn detect_api(
    #[wasm_bindgen(unchecked_param_type = "RequestBody")] body: JsValue,
) -> Result<JsValue, JsError> {
    do_detect(&body)
}

/// The rules that apply to an API (the common linter rules first), or every rule without one,
/// without their documentation: the package entry (`index.js`) exports the `rules()` that adds
/// it from `hcdb_lint_docs.json`. Not part of the typed API.
#[wasm_bindgen(js_name = _rulesWithoutDocs, skip_typescript)]
pub fn rules_without_docs(api: Option<JsValue>) -> Result<JsValue, JsError> {
    do_rules(Core::default_ref(), api.as_ref())
}

/// Per-field metadata of an API, for building form controls.
#[wasm_bindgen(unchecked_return_type = "FieldMeta[]")]
pub fn fields(
    #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
) -> Result<JsValue, JsError> {
    do_fields(Core::default_ref(), &api)
}

/// A configured linter: language, rule levels and options, tables, context.
#[wasm_bindgen(js_name = Linter)]
pub struct JsLinter {
    core: Core,
}

#[wasm_bindgen(js_class = Linter)]
impl JsLinter {
    /// Compile the rule packs with a configuration; throws on an unknown rule, option or key.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "LinterConfig")] config: Option<JsValue>,
    ) -> Result<JsLinter, JsError> {
        let config = match config {
            Some(c) => json_arg(&c, "config")?,
            None => None,
        };
        let config = shape::config(config).map_err(err)?;
        let core = Core::new(config).map_err(|e| err(format!("config: {e}")))?;
        Ok(JsLinter { core })
    }

    /// The language of this linter's messages.
    #[wasm_bindgen(getter, unchecked_return_type = "Lang")]
    pub fn lang(&self) -> JsValue {
        JsValue::from_str(self.core.lang().code())
    }

    /// Check a body (a plain object) with this configuration.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestBody")] body: JsValue,
    ) -> Result<JsValue, JsError> {
        do_check(&self.core, &api, &body)
    }

    /// Check JSON text with this configuration; diagnostics carry line and column.
    #[wasm_bindgen(js_name = checkJson, unchecked_return_type = "Report")]
    pub fn check_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsValue, JsError> {
        do_check_json(&self.core, &api, &text)
    }

    /// The diagnostics about one field as the user types (see the free `checkField`).
    #[wasm_bindgen(js_name = checkField, unchecked_return_type = "Report")]
    pub fn check_field(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] pointer: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FieldValue")] value: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestBody | null")] body: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        do_check_field(&self.core, &api, &pointer, &value, body.as_ref())
    }

    /// Apply the fixes of JSON text under this configuration (see the free `applyFixes`).
    #[wasm_bindgen(js_name = applyFixes, unchecked_return_type = "FixResult")]
    pub fn apply_fixes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ApplyFixesOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        do_apply_fixes(&self.core, &text, options.as_ref())
    }

    /// Which API a body is for, or `null`.
    #[wasm_bindgen(js_name = detectApi, unchecked_return_type = "Api | null")]
    pub fn detect_api(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestBody")] body: JsValue,
    ) -> Result<JsValue, JsError> {
        do_detect(&body)
    }

    /// The rules that apply to an API, each with its level in this configuration, without
    /// their documentation (the package entry's `Linter.prototype.rules` adds it).
    #[wasm_bindgen(js_name = _rulesWithoutDocs, skip_typescript)]
    pub fn rules_without_docs(&self, api: Option<JsValue>) -> Result<JsValue, JsError> {
        do_rules(&self.core, api.as_ref())
    }

    /// Per-field metadata of an API under this configuration (only error-level rules count).
    #[wasm_bindgen(unchecked_return_type = "FieldMeta[]")]
    pub fn fields(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
    ) -> Result<JsValue, JsError> {
        do_fields(&self.core, &api)
    }
}

#[cfg(test)]
mod tests {
    use hcdb_lint::Api;

    /// The generated TypeScript `Api` type and the ids in argument errors are the core's APIs.
    #[test]
    fn the_generated_api_list_is_the_cores() {
        let ids: Vec<&str> = Api::ALL.into_iter().map(Api::id).collect();
        assert_eq!(super::shape::API_NAMES, ids.join(", "));
        let union: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
        let types = include_str!(concat!(env!("OUT_DIR"), "/api_type.rs"));
        assert!(
            types.contains(&format!("export type Api = {};\n", union.join(" | "))),
            "{types}"
        );
    }
}
