//! The JS-facing shapes, in plain Rust (tested natively): camelCase keys, argument checks and the
//! configuration object.

use hcdb_lint::{
    Api, Config, FieldMeta, Fix, FixOptions, Fixed, Lang, Level, Linter, Report, RuleSetting,
};
use hcdb_lint::{CondDef, Text};
// The core's one JSON string writer.
use hcdb_lint::__private::write_string as write_str;
use serde_json::{Map, Value};

include!(concat!(env!("OUT_DIR"), "/api_names.rs")); // API_NAMES, from the packs (build.rs)

/// `end_line` → `endLine` (for the crate's own ASCII field names).
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            // Keys are struct field names, ASCII: no Unicode case tables in the module.
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Append `n` in decimal: no formatter and no allocation (four of these per diagnostic).
fn write_uint(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => write_array(out, items, write_value),
        Value::Object(map) => {
            let mut o = Obj::open(out);
            for (k, v) in map {
                o.value(k, v);
            }
            o.close();
        }
    }
}

/// A value as JSON text.
#[cfg(test)]
fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// A JSON object being written: members are appended with their key, commas in between.
struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Obj<'o> {
    fn open(out: &'o mut String) -> Obj<'o> {
        out.push('{');
        Obj { out, first: true }
    }

    /// Start the member `key`; its value is written next.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    fn str(&mut self, key: &str, s: &str) {
        write_str(self.key(key), s);
    }

    fn opt_str(&mut self, key: &str, s: Option<&str>) {
        match s {
            Some(s) => self.str(key, s),
            None => self.key(key).push_str("null"),
        }
    }

    fn value(&mut self, key: &str, v: &Value) {
        write_value(self.key(key), v);
    }

    fn bool(&mut self, key: &str, b: bool) {
        self.key(key).push_str(if b { "true" } else { "false" });
    }

    fn uint(&mut self, key: &str, n: usize) {
        write_uint(self.key(key), n as u64);
    }

    fn int(&mut self, key: &str, n: i64) {
        let out = self.key(key);
        if n < 0 {
            out.push('-');
        }
        write_uint(out, n.unsigned_abs());
    }

    /// The member only when there is a number.
    fn opt_uint(&mut self, key: &str, n: Option<usize>) {
        if let Some(n) = n {
            self.uint(key, n);
        }
    }

    fn text(&mut self, key: &str, t: &Text) {
        let mut o = Obj::open(self.key(key));
        o.str("en", &t.en);
        o.str("zh", &t.zh);
        o.close();
    }

    fn strs(&mut self, key: &str, items: &[String]) {
        write_array(self.key(key), items, |out, s| write_str(out, s));
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// `[item,item,...]`, each item written by `each`.
fn write_array<T>(out: &mut String, items: &[T], each: impl Fn(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

/// `{ valid, diagnostics, unknown }` as JSON text with camelCase diagnostic keys, written
/// directly from the report (this runs on every keystroke: no intermediate value).
pub fn report_json(report: &Report) -> String {
    let mut out = String::with_capacity(64 + 256 * report.diagnostics.len());
    write_report(&mut out, report);
    out
}

fn write_report(out: &mut String, report: &Report) {
    let mut o = Obj::open(out);
    o.bool("valid", !report.has_errors());
    write_array(o.key("diagnostics"), &report.diagnostics, |out, d| {
        let mut o = Obj::open(out);
        o.str("rule", &d.rule);
        o.str("name", &d.name);
        o.str("severity", d.severity.as_str());
        o.str("pointer", &d.pointer);
        o.str("message", &d.message);
        o.str("help", &d.help);
        let mut params = Obj::open(o.key("params"));
        for (k, v) in &d.params {
            params.value(k, v);
        }
        params.close();
        o.opt_uint("line", d.line);
        o.opt_uint("column", d.column);
        o.opt_uint("endLine", d.end_line);
        o.opt_uint("endColumn", d.end_column);
        if let Some(fix) = &d.fix {
            write_fix(o.key("fix"), fix);
        }
        o.close();
    });
    // The values a template fills in (only with the `templates` option): not checked.
    write_array(o.key("unknown"), &report.unknown, |out, u| {
        let mut o = Obj::open(out);
        o.str("pointer", &u.pointer);
        o.str("expression", &u.expression);
        o.opt_uint("line", u.line);
        o.opt_uint("column", u.column);
        o.close();
    });
    o.close();
}

/// `{applicability, message, edits: [{start: {line, column, offset}, end, replacement}]}`.
fn write_fix(out: &mut String, fix: &Fix) {
    let mut o = Obj::open(out);
    o.str("applicability", fix.applicability.as_str());
    o.str("message", &fix.message);
    write_array(o.key("edits"), &fix.edits, |out, e| {
        let mut o = Obj::open(out);
        for (key, p) in [("start", e.start), ("end", e.end)] {
            let mut at = Obj::open(o.key(key));
            at.uint("line", p.line);
            at.uint("column", p.column);
            at.uint("offset", p.offset);
            at.close();
        }
        o.str("replacement", &e.replacement);
        o.close();
    });
    o.close();
}

/// `applyFixes`' result: `{text, fixed, report}`.
pub fn fixed_json(fixed: &Fixed) -> String {
    let mut out = String::with_capacity(fixed.text.len() + 256);
    let mut o = Obj::open(&mut out);
    o.str("text", &fixed.text);
    o.uint("fixed", fixed.fixed);
    write_report(o.key("report"), &fixed.report);
    o.close();
    out
}

/// `applyFixes`' options: `{api?, unsafeFixes?}` (unknown members are errors).
pub fn fix_options(v: Option<&Value>) -> Result<(Option<Api>, FixOptions), String> {
    let mut api = None;
    let mut options = FixOptions::default();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok((api, options));
    };
    let Value::Object(m) = v else {
        return Err("options must be an object: { api?, unsafeFixes? }".into());
    };
    for (k, v) in m {
        match (k.as_str(), v) {
            ("api", Value::Null) => {}
            ("api", Value::String(s)) => {
                api = Some(s.parse::<Api>().map_err(|e| format!("options.api: {e}"))?)
            }
            ("api", _) => return Err(format!("options.api must be one of {API_NAMES}")),
            ("unsafeFixes", Value::Bool(b)) => options.unsafe_fixes = *b,
            ("unsafeFixes", _) => return Err("options.unsafeFixes must be a boolean".into()),
            (k, _) => {
                return Err(format!(
                    "options: unknown field `{k}`, expected `api` or `unsafeFixes`"
                ))
            }
        }
    }
    Ok((api, options))
}

/// A rule condition as JSON: the members it has (absent ones are left out).
fn write_cond(out: &mut String, c: &CondDef) {
    let mut o = Obj::open(out);
    for (key, list) in [("all", &c.all), ("any", &c.any)] {
        if let Some(list) = list {
            write_array(o.key(key), list, write_cond);
        }
    }
    if let Some(not) = &c.not {
        write_cond(o.key("not"), not);
    }
    for (key, s) in [
        ("field", &c.field),
        ("context", &c.context),
        ("in_table", &c.in_table),
        ("contains", &c.contains),
    ] {
        if let Some(s) = s {
            o.str(key, s);
        }
    }
    if let Some(v) = &c.eq {
        o.value("eq", v);
    }
    if let Some(values) = &c.in_ {
        write_array(o.key("in"), values, write_value);
    }
    if let Some(p) = c.present {
        o.bool("present", p);
    }
    if let Some(gt) = c.gt {
        o.value("gt", &Value::from(gt));
    }
    o.close();
}

/// The rules that apply to `api` (the common linter rules, then the API's own), or all of them,
/// each with its level in this linter's configuration, as a JSON array (written directly: the
/// serde path through values was 6 KB of the gzipped module). Without the documentation
/// members ([`DOC_KEYS`]): the package's `rules()` adds them from `hcdb_lint_docs.json`
/// ([`docs_json`]), so that the module does not carry them.
pub fn rules_json(linter: &Linter, api: Option<Api>) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push('[');
    let docs = linter
        .rules()
        .iter()
        .filter(|d| api.is_none() || d.api.is_none() || d.api == api);
    for (i, d) in docs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = Obj::open(&mut out);
        o.str("id", &d.id);
        o.str("name", &d.name);
        o.opt_str("api", d.api.map(Api::id));
        o.str("defaultSeverity", d.default_severity.as_str());
        o.opt_str("severity", linter.severity_of(&d.id).map(|s| s.as_str()));
        o.text("message", &d.message);
        o.text("help", &d.help);
        o.strs("targets", &d.targets);
        match &d.when {
            Some(c) => write_cond(o.key("when"), c),
            None => o.key("when").push_str("null"),
        }
        o.value("check", &d.check);
        if let Some(f) = &d.fix {
            let mut fo = Obj::open(o.key("fix"));
            let edit = hcdb_lint::FixEdit::ALL.iter().find(|(_, e)| *e == f.edit);
            fo.str("edit", edit.map_or("", |(name, _)| name));
            fo.str("applicability", f.applicability.as_str());
            fo.text("message", &f.message);
            fo.close();
        }
        o.close();
    }
    out.push(']');
    out
}

/// The members of a rule's documentation that `hcdb_lint_docs.json` holds.
pub const DOC_KEYS: [&str; 6] = [
    "summary",
    "why",
    "examples",
    "source",
    "memberIgnored",
    "observed",
];

/// `hcdb_lint_docs.json`: each rule's documentation ([`DOC_KEYS`]) by rule id, written by the
/// native build of this crate (`cargo run -p hcdb-lint-wasm --example docs`), whose linter has
/// it; the browser module leaves it out.
pub fn docs_json(linter: &Linter) -> String {
    let mut out = String::with_capacity(96 * 1024);
    let mut all = Obj::open(&mut out);
    for d in linter.rules() {
        let mut o = Obj::open(all.key(&d.id));
        o.text("summary", &d.summary);
        o.text("why", &d.why);
        let mut ex = Obj::open(o.key("examples"));
        ex.value("invalid", &d.examples.invalid);
        ex.value("valid", &d.examples.valid);
        ex.close();
        let mut src = Obj::open(o.key("source"));
        src.str("page", &d.source.page);
        src.str("table", &d.source.table);
        src.str("parameter", &d.source.parameter);
        src.close();
        o.bool("memberIgnored", d.member_ignored);
        // The observed acceptances, for a console's rule pages (the findings carry their own).
        write_array(o.key("observed"), &d.observed, |out, ob| {
            let mut e = Obj::open(out);
            match &ob.when {
                Some(c) => write_cond(e.key("when"), c),
                None => e.key("when").push_str("null"),
            }
            e.value("accepts", &ob.accepts);
            e.text("documented", &ob.documented);
            e.text("accepted", &ob.accepted);
            let mut src = Obj::open(e.key("source"));
            src.str("project", &ob.source.project);
            src.str("file", &ob.source.file);
            src.str("date", &ob.source.date);
            src.close();
            e.close();
        });
        o.close();
    }
    all.close();
    out
}

/// Per-field metadata as a JSON array with camelCase keys (optional members left out when
/// absent, as the crate's serialization does).
pub fn fields_json(metas: &[FieldMeta]) -> String {
    let mut out = String::with_capacity(256 * metas.len() + 2);
    write_array(&mut out, metas, |out, m| {
        let mut o = Obj::open(out);
        o.str("pointer", &m.pointer);
        o.str("type", &m.ty);
        o.bool("required", m.required);
        o.bool("requiredWhen", m.required_when);
        o.bool("secret", m.secret);
        o.text("label", &m.label);
        if let Some(v) = &m.default {
            o.value("default", v);
        }
        if let Some(values) = &m.enumeration {
            write_array(o.key("enum"), values, |out, e| {
                let mut eo = Obj::open(out);
                eo.str("value", &e.value);
                eo.text("label", &e.label);
                eo.close();
            });
        }
        o.opt_uint("minLength", m.min_length);
        o.opt_uint("maxLength", m.max_length);
        for (key, n) in [("minimum", m.minimum), ("maximum", m.maximum)] {
            if let Some(n) = n {
                o.int(key, n);
            }
        }
        for (key, s) in [
            ("lengthUnit", &m.length_unit),
            ("allowedChars", &m.allowed_chars),
            ("firstChar", &m.first_char),
        ] {
            if let Some(s) = s {
                o.str(key, s);
            }
        }
        if !m.depends_on.is_empty() {
            o.strs("dependsOn", &m.depends_on);
        }
        o.close();
    });
    out
}

/// How deep a value from JS may nest (serde_json's own recursion limit, which this package
/// used before it read JSON with the core's parser).
const PARSE: hcdb_lint::__private::ParseOptions =
    hcdb_lint::__private::ParseOptions { max_depth: 128 };

/// The API of a body's JSON text (from `JSON.stringify`), when its shape shows one. Judged on
/// the core's text tree, as the linter judges a body, not on a serde value: the module then
/// holds one instance of the generic recognition instead of two.
pub fn detect(text: &str) -> Option<Api> {
    let tree = hcdb_lint::__private::parse_with(text, &PARSE).ok()?;
    match hcdb_lint::recognize(&tree).verdict {
        hcdb_lint::Verdict::Body(api) => Some(api),
        _ => None,
    }
}

/// JSON text from `JSON.stringify`, parsed with the core's parser (one JSON reader in the
/// module, for size).
pub fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    hcdb_lint::__private::parse_with(text, &PARSE)
        .map(|v| v.to_serde())
        .map_err(|e| format!("{what} cannot be read as JSON: {e}"))
}

fn kind_name(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}

/// A body must be a JSON object: anything else is a caller's mistake, not a verdict. Told from
/// its JSON text as `JSON.stringify` writes it (`None`: `undefined`), by the first character.
pub fn require_object(text: Option<&str>, what: &str) -> Result<(), String> {
    let got = match text.and_then(|t| t.bytes().next()) {
        Some(b'{') => return Ok(()),
        None => "undefined",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'"') => "a string",
        Some(b'[') => "an array",
        Some(_) => "a number",
    };
    Err(format!(
        "{what} must be a plain object (the request body), got {got}; use checkJson to check arbitrary JSON text"
    ))
}

/// The members `new Linter(...)` accepts, in camelCase.
const CONFIG_KEYS: &str =
    "`lang`, `rules`, `tables`, `context`, `maxInputBytes`, `maxDepth`, `templates`, `strict`";

/// The `templates` option: `true`, `false`, or `{ vars, failOnUnknown }` (variables' values are
/// strings; errors name the variable, never its value).
fn templates_of(v: &mut Value) -> Result<Option<hcdb_lint::Templates>, String> {
    let m = match v {
        Value::Bool(on) => return Ok(on.then(Default::default)),
        Value::Object(m) => m,
        _ => return Err("templates must be true, false or { vars, failOnUnknown }".into()),
    };
    let mut t = hcdb_lint::Templates::default();
    for (key, v) in m {
        match key.as_str() {
            "vars" => {
                for (name, value) in object_of(v, "templates.vars")? {
                    let Value::String(value) = value else {
                        return Err(format!(
                            "templates.vars.{name} must be a string (the variable's text)"
                        ));
                    };
                    t.vars.insert(name.clone(), std::mem::take(value));
                }
            }
            "failOnUnknown" => {
                t.fail_on_unknown = v
                    .as_bool()
                    .ok_or("templates.failOnUnknown must be a boolean")?
            }
            other => {
                return Err(format!(
                    "unknown field `templates.{other}`, expected `vars` or `failOnUnknown`"
                ))
            }
        }
    }
    Ok(Some(t))
}

fn lang_of(v: &Value) -> Result<Lang, String> {
    match v.as_str() {
        Some("en") => Ok(Lang::En),
        Some("zh") => Ok(Lang::Zh),
        Some(other) => Err(format!("unknown variant `{other}`, expected `en` or `zh`")),
        None => Err(format!(
            "lang must be \"en\" or \"zh\", got {}",
            kind_name(Some(v))
        )),
    }
}

fn level_of(v: &Value, key: &str) -> Result<Level, String> {
    match v.as_str() {
        Some("off") => Ok(Level::Off),
        Some("info") => Ok(Level::Info),
        Some("warning") => Ok(Level::Warning),
        Some("error") => Ok(Level::Error),
        _ => Err(format!(
            "rules.{key}: expected \"off\", \"info\", \"warning\" or \"error\", got {}",
            match v.as_str() {
                Some(s) => format!("`{s}`"),
                None => kind_name(Some(v)).to_string(),
            }
        )),
    }
}

/// A rule's setting: a level, or `{ severity?, options? }` (other members are ignored, as the
/// core's configuration file reads them).
fn setting_of(v: &mut Value, key: &str) -> Result<RuleSetting, String> {
    let Value::Object(m) = v else {
        return level_of(v, key).map(RuleSetting::Level);
    };
    let severity = match m.get("severity") {
        None | Some(Value::Null) => None,
        Some(s) => Some(level_of(s, key)?),
    };
    let options = match m.get_mut("options") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => std::mem::take(o),
        Some(other) => {
            return Err(format!(
                "rules.{key}.options must be an object, got {}",
                kind_name(Some(other))
            ))
        }
    };
    Ok(RuleSetting::Full { severity, options })
}

/// An object member, to read or to move values out of.
fn object_of<'v>(v: &'v mut Value, key: &str) -> Result<&'v mut Map<String, Value>, String> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(format!(
            "{key} must be an object, got {}",
            kind_name(Some(other))
        )),
    }
}

fn count_of(v: &Value, key: &str) -> Result<usize, String> {
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            // Written by the package's own writer: serde_json's Display would bring its
            // serializer (with the pretty printer) into the module for this one message.
            let mut got = String::new();
            write_value(&mut got, v);
            format!("{key} must be a whole number of 0 or more, got {got}")
        })
}

/// The core configuration for a JS config object (`None` or `null`: the default). Read by
/// hand rather than derived: the browser package carries no deserializer, for size.
pub fn config(value: Option<Value>) -> Result<Config, String> {
    match value {
        None | Some(Value::Null) => Ok(Config::default()),
        Some(Value::Object(members)) => read_config(members).map_err(|e| format!("config: {e}")),
        Some(other) => Err(format!(
            "config must be an object such as {{ lang: \"zh\" }}, got {}",
            kind_name(Some(&other))
        )),
    }
}

/// The members of a config object, moved into a [`Config`] (the error names the member).
fn read_config(mut members: Map<String, Value>) -> Result<Config, String> {
    let mut config = Config::default();
    for (key, v) in members.iter_mut() {
        // `null` stands for an absent member.
        if v.is_null() {
            continue;
        }
        match key.as_str() {
            "lang" => config.lang = lang_of(v)?,
            "rules" => {
                for (k, s) in object_of(v, "rules")? {
                    config.rules.insert(k.clone(), setting_of(s, k)?);
                }
            }
            "tables" => {
                for (k, t) in object_of(v, "tables")? {
                    let t = object_of(t, &format!("tables.{k}"))?;
                    config.tables.insert(k.clone(), std::mem::take(t));
                }
            }
            "context" => config.context = std::mem::take(object_of(v, "context")?),
            "maxInputBytes" => config.max_input_bytes = count_of(v, "maxInputBytes")?,
            "maxDepth" => config.max_depth = count_of(v, "maxDepth")?,
            "templates" => config.templates = templates_of(v)?,
            "strict" => {
                config.strict = v.as_bool().ok_or_else(|| {
                    format!("strict must be a boolean, got {}", kind_name(Some(v)))
                })?
            }
            other => {
                return Err(format!(
                    "unknown field `{other}`, expected one of {CONFIG_KEYS}"
                ))
            }
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn write_uint_writes_decimal() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            12_345,
            1_000_000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = String::from("x");
            write_uint(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        // Signed, through an object member.
        for n in [0, 7, -1, -120, i64::MIN, i64::MAX] {
            let mut out = String::new();
            let mut o = Obj::open(&mut out);
            o.int("n", n);
            o.close();
            assert_eq!(out, format!("{{\"n\":{n}}}"));
        }
    }

    /// The same object with its own keys in camelCase (nested data such as `params` is left as is).
    fn camel_keys(value: Value) -> Value {
        match value {
            // Inserted one by one: a collect into a map sorts, and that sort is more code.
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    out.insert(camel(&k), v);
                }
                Value::Object(out)
            }
            other => other,
        }
    }

    fn drop_nulls(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    if !v.is_null() {
                        out.insert(k, drop_nulls(v));
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(drop_nulls).collect()),
            other => other,
        }
    }

    fn to_value<T: serde::Serialize>(v: &T) -> Value {
        // The core's types serialize to JSON by construction (string keys, finite numbers).
        serde_json::to_value(v).unwrap_or(Value::Null)
    }

    /// The rules that apply to `api` (the common linter rules, then the API's own), or all of them,
    /// each with its level in this linter's configuration.
    fn rules(linter: &Linter, api: Option<Api>) -> Vec<Value> {
        linter
            .rules()
            .iter()
            .filter(|d| api.is_none() || d.api.is_none() || d.api == api)
            .map(|d| {
                let mut v = camel_keys(to_value(d));
                if let Value::Object(map) = &mut v {
                    if let Some(when) = map.remove("when") {
                        map.insert("when".into(), drop_nulls(when));
                    }
                    // Conditions are written without their absent members, here as well.
                    if let Some(Value::Array(entries)) = map.get_mut("observed") {
                        for e in entries {
                            if let Some(when) = e.get_mut("when") {
                                *when = drop_nulls(when.take());
                            }
                        }
                    }
                    map.insert("severity".into(), to_value(&linter.severity_of(&d.id)));
                }
                v
            })
            .collect()
    }

    fn fields(metas: &[FieldMeta]) -> Vec<Value> {
        metas.iter().map(|m| camel_keys(to_value(m))).collect()
    }

    #[test]
    fn camel_case_keys() {
        assert_eq!(camel("end_column"), "endColumn");
        assert_eq!(camel("default_severity"), "defaultSeverity");
        assert_eq!(camel("rule"), "rule");
    }

    #[test]
    fn report_keys_are_camel_case_and_params_untouched() {
        let linter = Linter::new(Config::default()).unwrap();
        let r = linter.check_str(
            Api::DdmScaleOut,
            "{\"flavor_id\": \"f\",\n \"node_number\": 0}",
        );
        let v: Value = serde_json::from_str(&report_json(&r)).unwrap();
        assert_eq!(v["valid"], json!(false));
        let d = &v["diagnostics"][0];
        assert_eq!(d["pointer"], json!("/node_number"));
        assert_eq!(d["line"], json!(2));
        assert!(d.get("endColumn").is_some() && d.get("end_column").is_none());
        assert!(d["params"].is_object());
    }

    #[test]
    fn report_json_is_the_serialized_report_in_camel_case() {
        let linter = Linter::new(Config::default()).unwrap();
        // Quotes, backslashes, control characters and non-ASCII in keys, values and messages.
        let text = "{\"name\": \"a\\\"b\\\\c\\u0001\\t\u{e9}\u{1F600}\",\n \"x\\u001f\": [1, 2.5e3, null, true],\n \"mode\": \"Cl\\nuster\"}";
        for report in [
            linter.check_str(Api::GeminidbCreateInstance, text),
            linter.check_value(
                Api::GeminidbCreateInstance,
                &serde_json::from_str(text).unwrap(),
            ),
        ] {
            assert!(report.diagnostics.len() > 3, "{report:?}");
            let expected = json!({
                "valid": !report.has_errors(),
                "diagnostics": report
                    .diagnostics
                    .iter()
                    .map(|d| camel_keys(to_value(d)))
                    .collect::<Vec<_>>(),
                "unknown": [],
            });
            let written = report_json(&report);
            let read: Value = serde_json::from_str(&written).unwrap();
            assert_eq!(read, expected, "{written}");
        }
        assert_eq!(
            json_text(&json!({"a\u{7f}\u{0}": [1, -2, 0.5, "\u{2028}"], "b": {}})),
            "{\"a\u{7f}\\u0000\":[1,-2,0.5,\"\u{2028}\"],\"b\":{}}"
        );
    }

    #[test]
    fn fixes_are_written_as_serialized_and_options_are_strict() {
        let linter = Linter::new(Config::default()).unwrap();
        let text = "{\r\n\t\"flavor_id\": \"规格\",\r\n\t\"node_number\": \"2\", \"is_auto_pay\": \"true\",\r\n\t\"group_idd\": \"g\"}";
        let report = linter.check_str(Api::DdmScaleOut, text);
        assert!(
            report
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
                .count()
                >= 3
        );
        let expected = json!({
            "valid": !report.has_errors(),
            "diagnostics": report.diagnostics.iter().map(|d| camel_keys(to_value(d))).collect::<Vec<_>>(),
            "unknown": [],
        });
        let read: Value = serde_json::from_str(&report_json(&report)).unwrap();
        assert_eq!(read, expected);
        let fixed = linter.fix(Some(Api::DdmScaleOut), text, FixOptions::default());
        let read: Value = serde_json::from_str(&fixed_json(&fixed)).unwrap();
        assert_eq!(read["text"], fixed.text.as_str());
        assert_eq!(read["fixed"], 3);
        assert_eq!(read["report"]["valid"], true);
        assert_eq!(
            fix_options(Some(&json!({"api": "ddm-scale-out", "unsafeFixes": true}))).unwrap(),
            (Some(Api::DdmScaleOut), FixOptions { unsafe_fixes: true })
        );
        assert_eq!(fix_options(None).unwrap(), (None, FixOptions::default()));
        assert!(fix_options(Some(&json!({"unsafe_fixes": true})))
            .unwrap_err()
            .contains("unknown field"));
        assert!(fix_options(Some(&json!({"api": "x"})))
            .unwrap_err()
            .contains("options.api"));
        assert!(fix_options(Some(&json!([]))).is_err());
    }

    #[test]
    fn templates_are_an_option_and_reports_list_unknowns() {
        let c = config(Some(
            json!({"templates": {"vars": {"N": "2"}, "failOnUnknown": true}}),
        ))
        .unwrap();
        let t = c.templates.clone().unwrap();
        assert!(t.fail_on_unknown && t.vars["N"] == "2");
        assert!(config(Some(json!({"templates": false})))
            .unwrap()
            .templates
            .is_none());
        assert!(config(Some(json!({"templates": true})))
            .unwrap()
            .templates
            .is_some());
        let e = config(Some(json!({"templates": {"vars": {"PW": 3}}}))).unwrap_err();
        assert!(e.contains("templates.vars.PW"), "{e}");
        let linter = Linter::new(config(Some(json!({"templates": true}))).unwrap()).unwrap();
        let text = "{\"flavor_id\": \"f\", \"node_number\": ${N}}";
        let read: Value =
            serde_json::from_str(&report_json(&linter.check_str(Api::DdmScaleOut, text))).unwrap();
        assert_eq!(
            read["unknown"],
            json!([{"pointer": "/node_number", "expression": "${N}", "line": 1, "column": 35}])
        );
        // Off by default: a form field holding `${x}` is just a bad value.
        let plain = Linter::new(Config::default()).unwrap();
        let read: Value =
            serde_json::from_str(&report_json(&plain.check_str(Api::DdmScaleOut, text))).unwrap();
        assert_eq!(
            (read["valid"].clone(), read["unknown"].clone()),
            (json!(false), json!([]))
        );
    }

    #[test]
    fn config_is_camel_case_and_strict() {
        let c = config(Some(json!({"lang": "zh", "maxDepth": 8}))).unwrap();
        assert_eq!(c.lang, Lang::Zh);
        assert_eq!(c.max_depth, 8);
        let e = config(Some(json!({"max_depth": 8}))).unwrap_err();
        assert!(e.contains("unknown field `max_depth`"), "{e}");
        assert!(config(Some(json!([1]))).unwrap_err().contains("an array"));
        assert_eq!(config(None).unwrap(), Config::default());
    }

    #[test]
    fn written_rules_and_fields_are_the_serialized_ones_in_camel_case() {
        for lang in [Lang::En, Lang::Zh] {
            let mut cfg =
                config(Some(json!({"rules": {"HC001": "off", "GDB120": "info"}}))).unwrap();
            cfg.lang = lang;
            let linter = Linter::new(cfg).unwrap();
            let docs: Value = serde_json::from_str(&docs_json(&linter)).unwrap();
            assert_eq!(docs.as_object().unwrap().len(), linter.rules().len());
            for api in [
                None,
                Some(Api::DdmCreateInstance),
                Some(Api::DdmScaleOut),
                Some(Api::GeminidbCreateInstance),
            ] {
                // What rules() gives in JS: the module's list with the docs file's members.
                let mut written: Value = serde_json::from_str(&rules_json(&linter, api)).unwrap();
                for r in written.as_array_mut().unwrap() {
                    let id = r["id"].as_str().unwrap().to_string();
                    let r = r.as_object_mut().unwrap();
                    for k in DOC_KEYS {
                        assert!(!r.contains_key(k), "{id}: {k} in the module's list");
                        r.insert(k.to_string(), docs[&id][k].clone());
                    }
                }
                assert_eq!(written, Value::Array(rules(&linter, api)), "{api:?}");
            }
            for api in Api::ALL {
                let metas = linter.fields(api);
                let written: Value = serde_json::from_str(&fields_json(&metas)).unwrap();
                assert_eq!(written, Value::Array(fields(&metas)), "{api:?}");
            }
        }
    }

    #[test]
    fn rules_for_an_api_include_common_ones_only() {
        let linter = Linter::new(Config::default()).unwrap();
        let scale: Vec<Value> =
            serde_json::from_str(&rules_json(&linter, Some(Api::DdmScaleOut))).unwrap();
        assert!(scale.iter().any(|r| r["api"].is_null()));
        assert!(scale.iter().any(|r| r["api"] == json!("ddm-scale-out")));
        assert!(scale
            .iter()
            .all(|r| r["api"].is_null() || r["api"] == json!("ddm-scale-out")));
        let all: Vec<Value> = serde_json::from_str(&rules_json(&linter, None)).unwrap();
        assert!(scale.len() < all.len());
        assert!(scale[0].get("defaultSeverity").is_some());
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(require_object(Some("{}"), "body").is_ok());
        let e = require_object(Some("[]"), "body").unwrap_err();
        assert!(e.starts_with("body must be a plain object"), "{e}");
        // What it is, told from the JSON text as JSON.stringify writes each kind of value.
        for (text, got) in [
            (None, "undefined"),
            (Some("null"), "null"),
            (Some("true"), "a boolean"),
            (Some("false"), "a boolean"),
            (Some("\"{}\""), "a string"),
            (Some("[{}]"), "an array"),
            (Some("-1.5e3"), "a number"),
            (Some("7"), "a number"),
        ] {
            let e = require_object(text, "body").unwrap_err();
            assert!(e.contains(&format!("got {got};")), "{text:?}: {e}");
        }
    }
}
