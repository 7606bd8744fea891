//! Constraints as data, for forms (`fields`) and editors (`json_schema`), derived from the same
//! packs the checks come from.

use crate::engine::check::Hints;
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
            .and_then(|t| {
                // A config may replace the table: a label that is not two texts is not used.
                let text = |lang: &str| t.get(lang)?.as_str().map(str::to_string);
                Some(Text {
                    en: text("en")?,
                    zh: text("zh")?,
                })
            })
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
        let h = hints(linter, api, fi);
        m.required_when = h.required_when;
        if let Some((min, max, unit)) = h.length {
            m.min_length = min;
            m.max_length = max;
            m.length_unit = Some(unit.into());
        }
        m.enumeration = h.values.map(|values| {
            values
                .iter()
                .map(|v| EnumValue {
                    value: v.clone(),
                    label: label_of(v),
                })
                .collect()
        });
        if let Some((min, max)) = h.range {
            m.minimum = min;
            m.maximum = max;
        }
        m.allowed_chars = h.chars.map(|set| set.describe());
        m.first_char = h.first_char.map(|set| set.describe());
        m.depends_on = h.depends_on;
        m.depends_on.dedup();
        out.push(m);
    }
    out
}

/// What a schema lets through beyond the documented types, as the linter does.
struct Tolerance {
    /// The other scalar type where the linter coerces it (`coerced-type` is not an error).
    coercion: bool,
    /// `null` in an optional member (`null-member` is not an error).
    null: bool,
}

/// `ty` (a type name or a list of them) with `"null"` added.
fn with_null(ty: Value) -> Value {
    match ty {
        Value::Array(mut a) => {
            a.push(json!("null"));
            Value::Array(a)
        }
        t => json!([t, "null"]),
    }
}

/// An allowed value (as the field's metadata writes it, in text) in the field's JSON type.
fn typed_value(ty: FieldType, text: &str) -> Value {
    match ty {
        FieldType::Integer => text
            .parse::<i64>()
            .map_or_else(|_| json!(text), |n| json!(n)),
        FieldType::Boolean => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(text),
        },
        _ => json!(text),
    }
}

/// An allowed value and its forms of the other scalar type that the linter coerces to it.
fn coerced_forms(ty: FieldType, v: &Value) -> Vec<Value> {
    let mut out = vec![v.clone()];
    match (ty, v) {
        (FieldType::Integer, Value::Number(n)) => out.push(json!(n.to_string())),
        (FieldType::String, Value::String(s)) => {
            if let Ok(n) = s.parse::<i64>() {
                if n.to_string() == *s {
                    out.push(json!(n));
                }
            }
        }
        (FieldType::BoolString, Value::String(s)) if s == "true" || s == "false" => {
            out.push(json!(s == "true"));
        }
        _ => {}
    }
    out
}

/// A member's `type`, `title` and `enum`, as the linter's configuration accepts them.
fn typed_schema(
    def: &crate::engine::pack::FieldDef,
    meta: &FieldMeta,
    tolerance: &Tolerance,
) -> Map<String, Value> {
    let mut s = Map::new();
    let silent = def.coerce == crate::engine::pack::Coerce::Silent;
    // What the linter does not hold as an error, the schema does not reject: the other
    // scalar type where the linter coerces it with a warning, `null` in an optional member
    // (a warning too). Strict, or with those rules made errors, the schema says the
    // documented type only.
    let coerces = silent || tolerance.coercion;
    let ty: Value = match (def.ty, coerces) {
        (FieldType::Integer, true) => json!(["integer", "string"]),
        (FieldType::Integer, false) => json!("integer"),
        (FieldType::String, true) => json!(["string", "number"]),
        (FieldType::BoolString, true) => json!(["string", "boolean"]),
        (FieldType::Boolean, true) => json!(["boolean", "string"]),
        (FieldType::String | FieldType::BoolString, false) => json!("string"),
        (FieldType::Boolean, false) => json!("boolean"),
        (FieldType::Object, _) => json!("object"),
        (FieldType::Array, _) => json!("array"),
    };
    let nullable = def.null_ok.is_some() || (tolerance.null && !meta.required);
    s.insert("type".into(), if nullable { with_null(ty) } else { ty });
    s.insert("title".into(), json!(meta.label.en));
    if let Some(e) = &meta.enumeration {
        if meta.depends_on.is_empty() && !silent {
            let mut values: Vec<Value> = e.iter().map(|v| typed_value(def.ty, &v.value)).collect();
            if coerces {
                values = values
                    .iter()
                    .flat_map(|v| coerced_forms(def.ty, v))
                    .collect();
            }
            if nullable {
                values.push(Value::Null);
            }
            s.insert("enum".into(), Value::from(values));
        }
    }
    if def.ty == FieldType::Boolean && coerces {
        s.insert("enum".into(), json!([true, false, "true", "false"]));
    }
    s
}

/// Draft 2020-12 schema of the unconditional error-level constraints.
pub(crate) fn json_schema(linter: &Linter, api: Api) -> Value {
    let lenient = |rule: &str| {
        !linter.is_strict() && linter.severity_of(rule) != Some(crate::Severity::Error)
    };
    let tolerance = Tolerance {
        coercion: lenient("coerced-type"),
        null: lenient("null-member"),
    };
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
        // A member the service ignores under some condition (postPaid's period_type) is not
        // judged there, whatever its value or type: the schema, which has no conditions, says
        // nothing of its value.
        let ignorable = linter
            .rules()
            .iter()
            .any(|r| r.api == Some(api) && r.member_ignored && r.targets.contains(&def.pointer));
        if ignorable {
            s.insert("title".into(), json!(meta.label.en));
            merge(node, last, meta.required, s);
            continue;
        }
        let silent = def.coerce == crate::engine::pack::Coerce::Silent;
        s.extend(typed_schema(def, meta, &tolerance));
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
        let h = hints(linter, api, fi);
        if let Some(chars) = h.chars {
            let first = h.first_char.map(|set| set.to_regex_class());
            s.insert(
                "pattern".into(),
                json!(format!(
                    "^{}{}*$",
                    first.unwrap_or_default(),
                    chars.to_regex_class()
                )),
            );
        }
        if def.ty == FieldType::Array {
            // From the field's `min_items` rule (pack data), not a number written here.
            if let Some(min) = h.min_items {
                s.insert("minItems".into(), json!(min));
            }
        }
        merge(node, last, meta.required, s);
    }
    root
}

/// What the checks of a field's error-level rules say about it, rule by rule in pack order (each
/// check kind tells what it knows, [`crate::engine::check::Kind::hint`]).
fn hints(linter: &Linter, api: Api, fi: usize) -> Hints {
    let engine = linter.engine(api);
    let mut h = Hints::default();
    for rule in &engine.rules {
        if linter.levels()[rule.global] != Some(crate::Severity::Error) {
            continue;
        }
        if !rule.targets.iter().any(|(_, f)| *f == Some(fi)) {
            continue;
        }
        let conditional = rule.cond.is_some();
        let mut stated = Hints::default();
        rule.check.hint(conditional, &engine.tables, &mut stated);
        // What is valid is what the check passes or an observed acceptance accepts.
        for o in &rule.observed {
            let mut accepted = Hints::default();
            o.accepts.hint(conditional, &engine.tables, &mut accepted);
            stated.widen(&accepted);
        }
        h.add(stated);
    }
    h
}

/// Puts a member's schema `s` into its parent's `node`: under `items` for `*`, else under
/// `properties` (and `required` when it is).
fn merge(node: &mut Value, last: &PathSeg, required: bool, s: Map<String, Value>) {
    let obj = node.as_object_mut().expect("schema nodes are objects");
    let merged = match last {
        PathSeg::Any => obj.entry("items").or_insert_with(|| json!({})),
        PathSeg::Key(k) => {
            if required {
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
