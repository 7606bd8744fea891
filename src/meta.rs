//! Constraints as data, for forms (`fields`) and editors (`json_schema`), derived from the same
//! packs the checks come from.

use crate::engine::check::{Check, TableNode};
use crate::engine::pack::{FieldType, Text};
use crate::engine::path::PathSeg;
use crate::{Api, Linter};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One field of a request body, with its constraints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldMeta {
    /// JSON Pointer, `*` for every array item (`/flavor/*/num`).
    pub pointer: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// Required only under a condition (e.g. `period_type` under prePaid).
    pub required_when: bool,
    pub secret: bool,
    pub label: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Allowed values (the union over engines and modes where they depend on them).
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<Vec<EnumValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// Allowed characters, as a class body (`A-Za-z0-9-`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_chars: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_char: Option<String>,
    /// Fields whose values change what is allowed here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EnumValue {
    pub value: String,
    pub label: Text,
}

pub(crate) fn fields(linter: &Linter, api: Api) -> Vec<FieldMeta> {
    let Ok(packs) = crate::packs::packs() else {
        return Vec::new();
    };
    let pack = &packs.apis[api.index()];
    let engine = linter.engine(api);
    let labels = engine.tables.get("labels").and_then(Value::as_object);
    let label_of = |v: &str| -> Text {
        labels
            .and_then(|l| l.get(v))
            .and_then(|t| Text::from_value(t).ok())
            .unwrap_or_else(|| Text {
                en: v.to_string(),
                zh: v.to_string(),
            })
    };
    let mut out = Vec::new();
    for (fi, def) in pack.fields.iter().enumerate() {
        let mut m = FieldMeta {
            pointer: def.pointer.clone(),
            ty: def.ty.name().to_string(),
            required: def.required,
            required_when: false,
            secret: def.secret,
            label: def.label.clone(),
            default: def.default.clone(),
            enumeration: None,
            min_length: None,
            max_length: None,
            length_unit: None,
            minimum: None,
            maximum: None,
            allowed_chars: None,
            first_char: None,
            depends_on: Vec::new(),
        };
        for rule in &engine.rules {
            if linter.levels()[rule.global] != Some(crate::Severity::Error) {
                continue;
            }
            if !rule.targets.iter().any(|(_, f)| *f == Some(fi)) {
                continue;
            }
            let conditional = rule.when.is_some();
            match &rule.check {
                Check::Required if conditional => m.required_when = true,
                Check::Length { min, max, unit } if !conditional => {
                    m.min_length = *min;
                    m.max_length = *max;
                    m.length_unit = Some(
                        match unit {
                            crate::engine::check::Unit::Chars => "chars",
                            crate::engine::check::Unit::Bytes => "bytes",
                        }
                        .into(),
                    );
                }
                Check::Enum { values } if !conditional => {
                    m.enumeration = Some(
                        values
                            .iter()
                            .map(|v| EnumValue {
                                value: v.clone(),
                                label: label_of(v),
                            })
                            .collect(),
                    );
                }
                Check::LookupEnum { lookup } => {
                    let empty = Value::Object(Map::new());
                    let mut all: Vec<&str> = Vec::new();
                    lookup.for_each(&engine.tables, &empty, &mut |leaf| match leaf.node() {
                        Value::Array(a) => all.extend(a.iter().filter_map(Value::as_str)),
                        Value::Object(o) => {
                            all.extend(o.keys().map(String::as_str).filter(|k| *k != "*"))
                        }
                        _ => {}
                    });
                    let mut seen = Vec::new();
                    for v in all {
                        if !seen.contains(&v) {
                            seen.push(v);
                        }
                    }
                    m.enumeration = Some(
                        seen.into_iter()
                            .map(|v| EnumValue {
                                value: v.to_string(),
                                label: label_of(v),
                            })
                            .collect(),
                    );
                    m.depends_on.extend(lookup.fields().map(String::from));
                }
                Check::Range { min, max } if !conditional => {
                    m.minimum = *min;
                    m.maximum = *max;
                }
                Check::Charset { set, .. } if !conditional => {
                    m.allowed_chars = Some(set.describe())
                }
                Check::FirstChar { set, .. } if !conditional => m.first_char = Some(set.describe()),
                _ => {}
            }
        }
        m.depends_on.dedup();
        out.push(m);
    }
    out
}

/// Draft 2020-12 schema of the unconditional error-level constraints.
pub(crate) fn json_schema(linter: &Linter, api: Api) -> Value {
    let metas = fields(linter, api);
    let Ok(packs) = crate::packs::packs() else {
        return json!({});
    };
    let pack = &packs.apis[api.index()];
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://hcdb-lint.invalid/schema/{api}.json"),
        "title": pack.title,
        "type": "object",
    });
    for (fi, (meta, def)) in metas.iter().zip(&pack.fields).enumerate() {
        let Some(path) = crate::engine::path::Path::parse(&meta.pointer) else {
            continue;
        };
        let mut node = &mut root;
        let (last, init) = match path.segs.split_last() {
            Some(x) => x,
            None => continue,
        };
        for seg in init {
            node = child_schema(node, seg);
        }
        let mut s = Map::new();
        let silent = def.coerce == crate::engine::pack::Coerce::Silent;
        let ty: Value = match (def.ty, silent) {
            (FieldType::Integer, true) => json!(["integer", "string"]),
            (FieldType::Integer, false) => json!("integer"),
            (FieldType::String, true) => json!(["string", "integer"]),
            (FieldType::BoolString, true) => json!(["string", "boolean"]),
            (FieldType::String | FieldType::BoolString, false) => json!("string"),
            (FieldType::Boolean, _) => json!("boolean"),
            (FieldType::Object, _) => json!("object"),
            (FieldType::Array, _) => json!("array"),
        };
        let nullable = def.null_ok.is_some();
        s.insert(
            "type".into(),
            if nullable { json!([ty, "null"]) } else { ty },
        );
        s.insert("title".into(), json!(meta.label.en));
        if let Some(e) = &meta.enumeration {
            if meta.depends_on.is_empty() && !silent {
                s.insert(
                    "enum".into(),
                    Value::from(e.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
                );
            }
        }
        if meta.length_unit.as_deref() == Some("chars") || meta.allowed_chars.is_some() {
            if let Some(n) = meta.min_length {
                s.insert("minLength".into(), json!(n));
            }
            if let Some(n) = meta.max_length {
                s.insert("maxLength".into(), json!(n));
            }
        }
        if def.ty == FieldType::Integer && !silent {
            if let Some(n) = meta.minimum {
                s.insert("minimum".into(), json!(n));
            }
            if let Some(n) = meta.maximum {
                s.insert("maximum".into(), json!(n));
            }
        }
        // The classes are built from the character sets themselves: `allowed_chars` is a
        // human description in which a `-` may be a range or a member.
        let (first, chars) = char_classes(linter, api, fi);
        if let Some(chars) = chars {
            s.insert(
                "pattern".into(),
                json!(format!("^{}{}*$", first.unwrap_or_default(), chars)),
            );
        }
        if def.ty == FieldType::Array {
            // From the field's `min_items` rule (pack data), not a number written here.
            let min = unconditional_checks(linter, api, fi).find_map(|c| match c {
                Check::MinItems { min } => Some(*min),
                _ => None,
            });
            if let Some(min) = min {
                s.insert("minItems".into(), json!(min));
            }
        }
        let merged = match last {
            PathSeg::Any => {
                let obj = node.as_object_mut().expect("schema nodes are objects");
                obj.entry("items").or_insert_with(|| json!({}))
            }
            PathSeg::Key(k) => {
                let obj = node.as_object_mut().expect("schema nodes are objects");
                if meta.required {
                    let req = obj.entry("required").or_insert_with(|| json!([]));
                    if let Some(a) = req.as_array_mut() {
                        a.push(json!(k));
                    }
                }
                let props = obj.entry("properties").or_insert_with(|| json!({}));
                props
                    .as_object_mut()
                    .expect("properties is an object")
                    .entry(k.clone())
                    .or_insert_with(|| json!({}))
            }
        };
        if let Some(o) = merged.as_object_mut() {
            for (k, v) in s {
                o.insert(k, v);
            }
        }
    }
    root
}

/// The checks of a field's unconditional error-level rules: what JSON Schema can say.
fn unconditional_checks(linter: &Linter, api: Api, fi: usize) -> impl Iterator<Item = &Check> {
    linter.engine(api).rules.iter().filter_map(move |rule| {
        let on = linter.levels()[rule.global] == Some(crate::Severity::Error);
        let targets = rule.targets.iter().any(|(_, f)| *f == Some(fi));
        (on && rule.when.is_none() && targets).then_some(&rule.check)
    })
}

/// The regex classes of a field's unconditional error-level first-character and charset rules.
fn char_classes(linter: &Linter, api: Api, fi: usize) -> (Option<String>, Option<String>) {
    let (mut first, mut chars) = (None, None);
    for check in unconditional_checks(linter, api, fi) {
        match check {
            Check::FirstChar { set, .. } => first = Some(set.to_regex_class()),
            Check::Charset { set, .. } => chars = Some(set.to_regex_class()),
            _ => {}
        }
    }
    (first, chars)
}

fn child_schema<'a>(node: &'a mut Value, seg: &PathSeg) -> &'a mut Value {
    let obj = node.as_object_mut().expect("schema nodes are objects");
    match seg {
        PathSeg::Any => obj.entry("items").or_insert_with(|| json!({})),
        PathSeg::Key(k) => obj
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("properties is an object")
            .entry(k.clone())
            .or_insert_with(|| json!({})),
    }
}
