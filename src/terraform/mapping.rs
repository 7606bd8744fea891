//! The mapping: which request body the huaweicloud provider builds from a resource's
//! attributes, member by member. It is data (`rules/terraform/*.json`, one file per provider
//! resource family, pinned to the provider version it was read from); this module reads it and
//! applies it to a resource's attributes. Adding a resource type or a provider version is a
//! change of those files, not of this code.

use crate::json::{Kind, Member, Number, Span, Value};
use crate::report::Origin;
use crate::Api;
use bumpalo::Bump;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/terraform_maps.rs"));

/// One provider resource family's file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Family {
    pub family: String,
    /// The provider's source address without its registry host (`huaweicloud/huaweicloud`).
    pub provider: String,
    /// The provider release the entries were read from.
    pub provider_version: String,
    pub resources: Vec<ResourceMap>,
}

/// One resource type: the bodies the provider builds from it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceMap {
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The provider's source file of the resource (under the provider repository's root).
    pub source: String,
    pub builds: Vec<Build>,
}

/// A request body the provider sends for a change of the resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Build {
    /// `create`, or `increase:<attribute>` for an update that raises that attribute.
    pub on: String,
    pub api: Api,
    /// The provider's function that builds the body.
    pub builder: String,
    /// Read from another provider release than the file's (an older schema of the same type).
    #[serde(default)]
    pub provider_version: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Which schema of the type this is, told by the shape of one attribute.
    #[serde(default)]
    pub shape: Option<Shape>,
    pub members: Vec<MemberMap>,
    /// Attributes deliberately not in this body (sent by other calls, or not sent at all).
    #[serde(default)]
    pub not_sent: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Shape {
    pub attribute: String,
    /// A JSON type name: `string`, `number`, `boolean`, `array`, `object`.
    #[serde(rename = "type")]
    pub json_type: String,
}

/// One body member and where its value comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberMap {
    /// The member's JSON Pointer in the body.
    pub pointer: String,
    /// The attribute, in Terraform's notation (`flavor[0].num`).
    #[serde(default)]
    pub attribute: Option<String>,
    /// A value the provider always sends.
    #[serde(default)]
    pub constant: Option<serde_json::Value>,
    /// The raise of this attribute in an update (after minus before).
    #[serde(default)]
    pub increase: Option<String>,
    /// The attribute's type in the provider's schema, for the scalars Terraform converts: a
    /// `"3"` written for a number attribute is the number 3 by the time the provider reads it.
    #[serde(default, rename = "type")]
    pub schema_type: Option<SchemaType>,
    /// The provider sends the value as another JSON type.
    #[serde(default, rename = "as")]
    pub convert: Option<Convert>,
    /// The provider sends these values for these attribute values (written as text), and
    /// nothing for any other.
    #[serde(default)]
    pub map: Option<BTreeMap<String, serde_json::Value>>,
    /// What the provider sends when the attribute is not set.
    #[serde(default)]
    pub unset: Fill,
    /// What it sends when the attribute holds its type's empty value (`""`, `0`, `[]`); as
    /// given when absent.
    #[serde(default)]
    pub empty: Option<Fill>,
    /// Optional and computed in the provider's schema: a plan shows it unknown when unset.
    #[serde(default)]
    pub computed: bool,
    /// A secret: never echoed, whatever the plan's sensitive marks say.
    #[serde(default)]
    pub secret: bool,
    /// Sent only when this holds.
    #[serde(default)]
    pub when: Option<When>,
    /// A provider quirk worth its own finding (`group-id`).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SchemaType {
    Number,
    Bool,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Convert {
    /// Numbers and booleans as their text.
    String,
}

/// What the provider sends in place of a value.
#[derive(Debug, Deserialize, Default, Clone, PartialEq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Fill {
    /// Nothing: the member is left out.
    #[default]
    Omit,
    /// A value from the provider's own configuration (its region, its enterprise project).
    Unknown,
    /// This value, as it is.
    Send(serde_json::Value),
    /// The schema's default, converted as a set value would be.
    Default(serde_json::Value),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct When {
    pub attribute: String,
    #[serde(default)]
    pub equals: Option<serde_json::Value>,
    #[serde(default)]
    pub present: Option<bool>,
}

/// Every family embedded, and the files that could not be read (a test keeps it empty).
#[derive(Debug)]
pub(crate) struct Mapping {
    pub families: Vec<Family>,
    pub errors: Vec<String>,
}

/// The embedded mapping, read once.
pub(crate) fn mapping() -> &'static Mapping {
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    MAPPING.get_or_init(|| {
        let mut m = Mapping {
            families: Vec::new(),
            errors: Vec::new(),
        };
        for (name, text) in MAPPINGS {
            match serde_json::from_str::<Family>(text) {
                Ok(f) => m.families.push(f),
                Err(e) => m.errors.push(format!("rules/terraform/{name}: {e}")),
            }
        }
        m
    })
}

impl Mapping {
    /// What every covered type starts with (`huaweicloud_`): a resource change whose text does
    /// not hold it is of no covered type.
    pub(crate) fn type_prefix(&self) -> &str {
        static PREFIX: OnceLock<String> = OnceLock::new();
        PREFIX.get_or_init(|| {
            let mut types = self
                .families
                .iter()
                .flat_map(|f| &f.resources)
                .map(|r| r.resource_type.as_str());
            let first = types.next().unwrap_or_default();
            let len = types.fold(first.len(), |len, t| {
                first
                    .bytes()
                    .zip(t.bytes())
                    .take(len)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            first[..len].to_string()
        })
    }

    /// The family and entry of a resource type, if mapped.
    pub(crate) fn resource(&self, resource_type: &str) -> Option<(&Family, &ResourceMap)> {
        self.families.iter().find_map(|f| {
            f.resources
                .iter()
                .find(|r| r.resource_type == resource_type)
                .map(|r| (f, r))
        })
    }
}

/// A resource's attributes as a reader found them.
pub(crate) struct Attrs<'v, 'a> {
    /// The attributes as a plan's `change.after` holds them: blocks as arrays of objects,
    /// unset attributes absent or null, values not known before apply as [`Kind::Unknown`].
    pub after: &'v Value<'a>,
    /// The attributes before an update.
    pub before: Option<&'v Value<'a>>,
    /// Whether the configuration sets a top-level attribute (`None`: not known).
    pub configured: Option<&'v dyn Fn(&str) -> bool>,
}

/// Why a change builds no body that is linted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// An update that raises no mapped attribute (not a scale-out).
    Update,
    /// The node count goes down: the provider calls the reduce API.
    Decrease,
    /// The node count after the change is not known before apply.
    CountUnknown,
    /// No build of the type fits the attributes' shape.
    Shape,
}

/// The build for a create of this resource (the first whose shape fits).
pub(crate) fn select_create(
    res: &'static ResourceMap,
    attrs: &Attrs,
) -> Result<&'static Build, Skip> {
    res.builds
        .iter()
        .filter(|b| b.on == "create")
        .find(|b| b.shape.as_ref().is_none_or(|s| shape_fits(s, attrs.after)))
        .ok_or(Skip::Shape)
}

/// The build for an update: one whose attribute the update raises.
pub(crate) fn select_update(
    res: &'static ResourceMap,
    attrs: &Attrs,
) -> Result<&'static Build, Skip> {
    let mut why = Skip::Update;
    for b in &res.builds {
        let Some(attr) = b.on.strip_prefix("increase:") else {
            continue;
        };
        match (raise(attr, attrs), why) {
            (Some(Ok(_)), _) => return Ok(b),
            (Some(Err(skip)), _) => why = skip,
            (None, _) => {}
        }
    }
    Err(why)
}

/// How much an update raises an attribute: `None` when it does not change, an error when it
/// goes down or is not known.
fn raise(attr: &str, attrs: &Attrs) -> Option<Result<i64, Skip>> {
    let before = attrs.before.and_then(|b| find(b, attr).value())?;
    let after = match find(attrs.after, attr) {
        Found::Value(v) => v,
        Found::Unknown(_) => return Some(Err(Skip::CountUnknown)),
        Found::Unset => return None,
    };
    let (a, b) = (whole(after)?, whole(before)?);
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Some(Ok(a - b)),
        std::cmp::Ordering::Less => Some(Err(Skip::Decrease)),
        std::cmp::Ordering::Equal => None,
    }
}

fn whole(v: &Value) -> Option<i64> {
    v.as_number().and_then(|n| n.as_i64())
}

fn shape_fits(s: &Shape, after: &Value) -> bool {
    match find(after, &s.attribute) {
        Found::Value(v) => v.type_name() == s.json_type,
        _ => false,
    }
}

/// What a body member came from.
#[derive(Debug, Clone)]
pub(crate) struct MemberSource {
    pub pointer: &'static str,
    pub attribute: Option<&'static str>,
    pub origin: Origin,
    /// The provider changed the value's JSON type (or mapped it to another value).
    pub converted: bool,
    pub secret: bool,
    pub note: Option<&'static str>,
}

/// The body the provider sends, and where each member came from.
#[derive(Debug)]
pub(crate) struct Built<'a> {
    pub build: &'static Build,
    pub body: Value<'a>,
    pub sources: Vec<MemberSource>,
}

impl Built<'_> {
    pub(crate) fn api(&self) -> Api {
        self.build.api
    }
}

/// The body `build` makes of `attrs`. `span` locates what no attribute gives (constants, the
/// objects that hold members): the resource as the reader found it.
pub(crate) fn build<'a>(
    build: &'static Build,
    attrs: &Attrs<'_, 'a>,
    span: Span,
    arena: &'a Bump,
) -> Built<'a> {
    let mut body = Value {
        span,
        kind: Kind::Object(Vec::new()),
    };
    let mut sources = Vec::new();
    for m in &build.members {
        let Some((value, origin)) = member_value(m, attrs, span, arena) else {
            continue;
        };
        let tokens: Vec<&'static str> = m.pointer.split('/').skip(1).collect();
        insert(&mut body, &tokens, value, span);
        sources.push(MemberSource {
            pointer: &m.pointer,
            attribute: m.attribute.as_deref().or(m.increase.as_deref()),
            origin,
            converted: m.convert.is_some() || m.map.is_some(),
            secret: m.secret,
            note: m.note.as_deref(),
        });
    }
    Built {
        build,
        body,
        sources,
    }
}

/// A member's value and who decided it, or `None` when the provider leaves it out.
fn member_value<'a>(
    m: &'static MemberMap,
    attrs: &Attrs<'_, 'a>,
    span: Span,
    arena: &'a Bump,
) -> Option<(Value<'a>, Origin)> {
    if let Some(w) = &m.when {
        match holds(w, attrs) {
            Some(true) => {}
            Some(false) => return None,
            None => return Some((unknown_value(&w.attribute, span), Origin::User)),
        }
    }
    if let Some(c) = &m.constant {
        return Some((from_json(c, span, arena), Origin::ProviderConstant));
    }
    if let Some(attr) = &m.increase {
        let n = raise(attr, attrs)?.ok()?;
        let at = find(attrs.after, attr).value().map_or(span, |v| v.span);
        let raw = arena.alloc_str(&n.to_string());
        return Some((
            Value {
                span: at,
                kind: Kind::Number(Number { raw }),
            },
            Origin::User,
        ));
    }
    let attr = m.attribute.as_deref()?;
    let found = match find(attrs.after, attr) {
        Found::Unknown(_) if m.computed && !configured(attrs, attr).unwrap_or(true) => Found::Unset,
        f => f,
    };
    match found {
        Found::Unset => fill(m, &m.unset, span, arena).map(|v| (v, Origin::ProviderDefault)),
        Found::Unknown(v) => Some((v.clone(), Origin::User)),
        Found::Value(v) => {
            // A schema default that Terraform wrote into the plan itself.
            let defaulted =
                matches!(m.unset, Fill::Default(_)) && configured(attrs, attr) == Some(false);
            let origin = if defaulted {
                Origin::ProviderDefault
            } else {
                Origin::User
            };
            let v = &as_schema_type(m.schema_type, v, arena);
            if let (true, Some(e)) = (is_empty(v), &m.empty) {
                return fill(m, e, v.span, arena).map(|x| (x, origin));
            }
            let sent = match &m.map {
                Some(map) => from_json(map.get(&*text_of(v)?)?, v.span, arena),
                None => v.clone(),
            };
            Some((convert(m.convert, sent), origin))
        }
    }
}

/// A scalar as Terraform converts it to the attribute's schema type (a string that reads as one);
/// anything else as it is, for the rules to judge.
fn as_schema_type<'a>(ty: Option<SchemaType>, v: &Value<'a>, arena: &'a Bump) -> Value<'a> {
    let kind = match (ty, &v.kind) {
        (Some(SchemaType::Number), Kind::String(s)) => {
            let t = s.trim();
            match t.parse::<f64>() {
                Ok(n) if n.is_finite() && !t.is_empty() => Kind::Number(Number {
                    raw: arena.alloc_str(t),
                }),
                _ => return v.clone(),
            }
        }
        (Some(SchemaType::Bool), Kind::String(s)) => match s.as_ref() {
            "true" => Kind::Bool(true),
            "false" => Kind::Bool(false),
            _ => return v.clone(),
        },
        _ => return v.clone(),
    };
    Value { span: v.span, kind }
}

/// Whether the configuration sets the attribute's top-level name.
fn configured(attrs: &Attrs, attr: &str) -> Option<bool> {
    let top = attr.split(['.', '[']).next().unwrap_or(attr);
    attrs.configured.map(|f| f(top))
}

fn fill<'a>(m: &MemberMap, f: &Fill, span: Span, arena: &'a Bump) -> Option<Value<'a>> {
    match f {
        Fill::Omit => None,
        Fill::Unknown => Some(Value {
            span,
            kind: Kind::Unknown(Cow::Borrowed("(the provider's configuration)")),
        }),
        Fill::Send(v) => Some(from_json(v, span, arena)),
        Fill::Default(v) => Some(convert(m.convert, from_json(v, span, arena))),
    }
}

/// Whether a `when` holds (`None`: its attribute is not known before apply).
fn holds(w: &When, attrs: &Attrs) -> Option<bool> {
    let found = find(attrs.after, &w.attribute);
    if let Found::Unknown(_) = found {
        return None;
    }
    let v = found.value();
    if let Some(p) = w.present {
        return Some(v.is_some() == p);
    }
    let want = w.equals.as_ref()?;
    Some(v.is_some_and(|v| v.to_serde() == *want))
}

fn unknown_value<'a>(attribute: &str, span: Span) -> Value<'a> {
    Value {
        span,
        kind: Kind::Unknown(Cow::Owned(format!("(depends on `{attribute}`)"))),
    }
}

fn is_empty(v: &Value) -> bool {
    match &v.kind {
        Kind::String(s) => s.is_empty(),
        Kind::Number(n) => n.as_f64() == 0.0,
        Kind::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A scalar as the text `map` keys are written in.
fn text_of<'v>(v: &'v Value) -> Option<Cow<'v, str>> {
    match &v.kind {
        Kind::String(s) => Some(Cow::Borrowed(s)),
        Kind::Number(n) => Some(Cow::Borrowed(n.raw)),
        Kind::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

fn convert(c: Option<Convert>, v: Value<'_>) -> Value<'_> {
    match (c, &v.kind) {
        (Some(Convert::String), Kind::Number(_) | Kind::Bool(_)) => Value {
            span: v.span,
            kind: Kind::String(Cow::Owned(text_of(&v).unwrap_or_default().into_owned())),
        },
        _ => v,
    }
}

/// A value of the mapping's data as a body value, located at `span`.
fn from_json<'a>(v: &serde_json::Value, span: Span, arena: &'a Bump) -> Value<'a> {
    use serde_json::Value as J;
    let kind = match v {
        J::Null => Kind::Null,
        J::Bool(b) => Kind::Bool(*b),
        J::Number(n) => Kind::Number(Number {
            raw: arena.alloc_str(&n.to_string()),
        }),
        J::String(s) => Kind::String(Cow::Owned(s.clone())),
        J::Array(items) => Kind::Array(items.iter().map(|i| from_json(i, span, arena)).collect()),
        J::Object(members) => Kind::Object(
            members
                .iter()
                .map(|(k, v)| Member {
                    key: Cow::Owned(k.clone()),
                    key_span: span,
                    value: from_json(v, span, arena),
                })
                .collect(),
        ),
    };
    Value { span, kind }
}

/// Put `value` at the pointer `tokens` in `node`, making the objects and arrays on the way (a
/// token of digits under a new member makes an array).
fn insert<'a>(node: &mut Value<'a>, tokens: &[&'static str], value: Value<'a>, span: Span) {
    let Some((first, rest)) = tokens.split_first() else {
        *node = value;
        return;
    };
    let fresh = || Value {
        span,
        kind: match rest.first() {
            Some(t) if t.parse::<usize>().is_ok() => Kind::Array(Vec::new()),
            _ => Kind::Object(Vec::new()),
        },
    };
    match &mut node.kind {
        Kind::Object(members) => {
            let i = match members.iter().position(|m| m.key == *first) {
                Some(i) => i,
                None => {
                    members.push(Member {
                        key: Cow::Borrowed(first),
                        key_span: value.span,
                        value: fresh(),
                    });
                    members.len() - 1
                }
            };
            insert(&mut members[i].value, rest, value, span);
        }
        Kind::Array(items) => {
            let i = first.parse::<usize>().unwrap_or(0);
            while items.len() <= i {
                items.push(fresh());
            }
            insert(&mut items[i], rest, value, span);
        }
        // The mapping puts no member under a value (tested over every entry).
        _ => {}
    }
}

/// An attribute's value as found.
pub(crate) enum Found<'v, 'a> {
    Value(&'v Value<'a>),
    Unknown(&'v Value<'a>),
    Unset,
}

impl<'v, 'a> Found<'v, 'a> {
    pub(crate) fn value(&self) -> Option<&'v Value<'a>> {
        match self {
            Found::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// The value at an attribute path (`flavor[0].num`): unknown as soon as a step is, unset when a
/// step is missing or null.
pub(crate) fn find<'v, 'a>(root: &'v Value<'a>, path: &str) -> Found<'v, 'a> {
    let mut node = root;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        node = match enter(node, |v| v.get(name)) {
            Ok(v) => v,
            Err(f) => return f,
        };
        if let Some(i) = index {
            node = match enter(node, |v| v.as_array().and_then(|items| items.get(i))) {
                Ok(v) => v,
                Err(f) => return f,
            };
        }
    }
    match node.kind {
        Kind::Unknown(_) => Found::Unknown(node),
        _ => Found::Value(node),
    }
}

/// One step of [`find`]: into a known value, or the verdict when the step cannot be taken.
fn enter<'v, 'a>(
    node: &'v Value<'a>,
    step: impl Fn(&'v Value<'a>) -> Option<&'v Value<'a>>,
) -> Result<&'v Value<'a>, Found<'v, 'a>> {
    if let Kind::Unknown(_) = node.kind {
        return Err(Found::Unknown(node));
    }
    match step(node) {
        Some(v) if !v.is_null() => Ok(v),
        _ => Err(Found::Unset),
    }
}

/// The mapping as Markdown: per resource type, the body each change sends, member by member,
/// with the provider release and source it was read from.
pub(crate) fn markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in &mapping().families {
        for r in &f.resources {
            let _ = writeln!(out, "## `{}` ({})\n", r.resource_type, f.family);
            for b in &r.builds {
                let version = b.provider_version.as_deref().unwrap_or(&f.provider_version);
                let source = b.source.as_deref().unwrap_or(&r.source);
                let shape = b.shape.as_ref().map_or(String::new(), |s| {
                    format!(", when `{}` is a {}", s.attribute, s.json_type)
                });
                let _ = writeln!(
                    out,
                    "**{}** sends `{}`{shape}: read from {} v{version}, `{source}` (`{}`).\n",
                    b.on, b.api, f.provider, b.builder
                );
                out.push_str("| body member | from | when unset |\n|---|---|---|\n");
                for m in &b.members {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} |",
                        m.pointer,
                        from_text(m),
                        unset_text(m)
                    );
                }
                if !b.not_sent.is_empty() {
                    let list: Vec<String> = b.not_sent.iter().map(|a| format!("`{a}`")).collect();
                    let _ = writeln!(out, "\nNot in this body: {}.", list.join(", "));
                }
                out.push('\n');
            }
        }
    }
    out
}

fn from_text(m: &MemberMap) -> String {
    let mut t = match (&m.constant, &m.increase, &m.attribute) {
        (Some(c), _, _) => format!("constant `{c}`"),
        (_, Some(a), _) => format!("the raise of `{a}`"),
        (_, _, Some(a)) => format!("`{a}`"),
        _ => String::new(),
    };
    if m.convert.is_some() {
        t.push_str(", as a string");
    }
    if let Some(map) = &m.map {
        let pairs: Vec<String> = map.iter().map(|(k, v)| format!("`{k}` → `{v}`")).collect();
        t.push_str(&format!(", mapped {}", pairs.join(", ")));
    }
    if let Some(w) = &m.when {
        let cond = match (&w.equals, w.present) {
            (Some(v), _) => format!("`{}` is `{v}`", w.attribute),
            (_, Some(true)) => format!("`{}` is set", w.attribute),
            _ => format!("`{}` is not set", w.attribute),
        };
        t.push_str(&format!(", only when {cond}"));
    }
    if m.secret {
        t.push_str(" (secret)");
    }
    t
}

fn unset_text(m: &MemberMap) -> String {
    let fill = |f: &Fill| match f {
        Fill::Omit => "left out".to_string(),
        Fill::Unknown => "the provider's own setting".to_string(),
        Fill::Send(v) => format!("`{v}`"),
        Fill::Default(v) => format!("default `{v}`"),
    };
    if m.constant.is_some() || m.increase.is_some() {
        return String::new();
    }
    let mut t = fill(&m.unset);
    if let Some(e) = &m.empty {
        t.push_str(&format!("; empty: {}", fill(e)));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse_with, ParseOptions};
    use crate::Linter;

    fn tree(text: &str) -> Value<'_> {
        parse_with(text, &ParseOptions::default()).unwrap()
    }

    #[test]
    fn every_embedded_file_reads() {
        assert!(mapping().errors.is_empty(), "{:?}", mapping().errors);
        assert_eq!(mapping().families.len(), MAPPINGS.len());
        let types: Vec<&str> = crate::terraform::covered_types()
            .iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(types.len(), 6, "{types:?}");
    }

    /// Every member the mapping writes is a member the API's pack declares, a secret exactly
    /// where the pack has one, and no two entries write the same member of one body.
    #[test]
    fn every_member_is_declared_by_its_api() {
        let linter = Linter::default_ref();
        for f in &mapping().families {
            for r in &f.resources {
                for b in &r.builds {
                    let fields = linter.fields(b.api);
                    let mut seen = std::collections::BTreeSet::new();
                    for m in &b.members {
                        let starred: Vec<&str> = m
                            .pointer
                            .split('/')
                            .map(|t| if t.parse::<usize>().is_ok() { "*" } else { t })
                            .collect();
                        let starred = starred.join("/");
                        let field = fields.iter().find(|x| x.pointer == starred);
                        let field = field.unwrap_or_else(|| {
                            panic!(
                                "{} {}: {} is not a member of {}",
                                r.resource_type, b.on, m.pointer, b.api
                            )
                        });
                        assert_eq!(field.secret, m.secret, "{}: {}", r.resource_type, m.pointer);
                        assert!(
                            seen.insert(&m.pointer),
                            "{}: {} twice",
                            r.resource_type,
                            m.pointer
                        );
                        let sources = [
                            m.attribute.is_some(),
                            m.constant.is_some(),
                            m.increase.is_some(),
                        ];
                        assert_eq!(sources.iter().filter(|s| **s).count(), 1, "{}", m.pointer);
                    }
                }
            }
        }
    }

    #[test]
    fn the_type_prefix_starts_every_covered_type() {
        let prefix = mapping().type_prefix();
        assert_eq!(prefix, "huaweicloud_");
        for (t, _) in crate::terraform::covered_types() {
            assert!(t.starts_with(prefix), "{t}");
        }
    }

    #[test]
    fn attribute_paths_step_into_blocks_and_stop_at_unknown() {
        let after = tree(r#"{"flavor": [{"num": 3}], "datastore": [], "b": null, "u": {"x": 1}}"#);
        assert!(
            matches!(find(&after, "flavor[0].num"), Found::Value(v) if v.as_number().is_some())
        );
        assert!(matches!(find(&after, "flavor[1].num"), Found::Unset));
        assert!(matches!(find(&after, "datastore[0].engine"), Found::Unset));
        assert!(matches!(find(&after, "b"), Found::Unset));
        assert!(matches!(find(&after, "missing.x"), Found::Unset));
        let mut marked = after.clone();
        if let Kind::Object(ms) = &mut marked.kind {
            ms[3].value.kind = Kind::Unknown(Cow::Borrowed("x"));
        }
        assert!(matches!(find(&marked, "u.x"), Found::Unknown(_)));
    }

    fn ddm() -> &'static ResourceMap {
        mapping().resource("huaweicloud_ddm_instance").unwrap().1
    }

    #[test]
    fn an_update_is_a_scale_out_only_when_the_count_rises() {
        let before = tree(r#"{"node_num": 2, "flavor_id": "f"}"#);
        for (after, want) in [
            (
                r#"{"node_num": 4, "flavor_id": "f"}"#,
                Ok("increase:node_num"),
            ),
            (r#"{"node_num": 1, "flavor_id": "f"}"#, Err(Skip::Decrease)),
            (r#"{"node_num": 2, "flavor_id": "g"}"#, Err(Skip::Update)),
        ] {
            let after = tree(after);
            let attrs = Attrs {
                after: &after,
                before: Some(&before),
                configured: None,
            };
            assert_eq!(select_update(ddm(), &attrs).map(|b| b.on.as_str()), want);
        }
    }

    #[test]
    fn a_scale_out_body_carries_the_raise_and_the_new_flavor() {
        let before = tree(r#"{"node_num": 2, "flavor_id": "f", "param_group_id": ""}"#);
        let after = tree(r#"{"node_num": 5, "flavor_id": "g", "param_group_id": ""}"#);
        let attrs = Attrs {
            after: &after,
            before: Some(&before),
            configured: None,
        };
        let arena = Bump::new();
        let b = select_update(ddm(), &attrs).unwrap();
        let built = build(b, &attrs, after.span, &arena);
        assert_eq!(
            built.body.to_serde(),
            serde_json::json!({"flavor_id": "g", "group_id": null, "node_number": 3, "is_auto_pay": true})
        );
    }

    #[test]
    fn unset_attributes_take_what_the_provider_sends() {
        let after = tree(
            r#"{"name": "n", "node_num": 0, "availability_zones": ["a"], "auto_renew": null}"#,
        );
        let configured = |a: &str| a == "name";
        let attrs = Attrs {
            after: &after,
            before: None,
            configured: Some(&configured),
        };
        let arena = Bump::new();
        let b = select_create(ddm(), &attrs).unwrap();
        let built = build(b, &attrs, after.span, &arena);
        let body = built.body.to_serde();
        // Empty values left out, the empty auto_renew sent, the constant always.
        assert_eq!(body["instance"].get("node_num"), None);
        assert_eq!(body["extend_param"]["is_auto_renew"], "");
        assert_eq!(body["extend_param"]["is_auto_pay"], "true");
        let origin = |p: &str| {
            built
                .sources
                .iter()
                .find(|s| s.pointer == p)
                .map(|s| s.origin)
        };
        assert_eq!(
            origin("/extend_param/is_auto_renew"),
            Some(Origin::ProviderDefault)
        );
        assert_eq!(
            origin("/extend_param/is_auto_pay"),
            Some(Origin::ProviderConstant)
        );
        assert_eq!(origin("/instance/name"), Some(Origin::User));
    }

    #[test]
    fn a_number_written_as_a_string_is_the_number_terraform_sends() {
        let after = tree(r#"{"node_num": "4", "period": " 2 ", "name": "7"}"#);
        let attrs = Attrs {
            after: &after,
            before: None,
            configured: None,
        };
        let arena = Bump::new();
        let built = build(
            select_create(ddm(), &attrs).unwrap(),
            &attrs,
            after.span,
            &arena,
        );
        let body = built.body.to_serde();
        assert_eq!(body["instance"]["node_num"], 4);
        assert_eq!(body["extend_param"]["period_num"], 2);
        // A string attribute stays a string; a number attribute that does not read as one is
        // left for the rules to judge.
        assert_eq!(body["instance"]["name"], "7");
        let bad = tree(r#"{"node_num": "four"}"#);
        let attrs = Attrs {
            after: &bad,
            before: None,
            configured: None,
        };
        let built = build(
            select_create(ddm(), &attrs).unwrap(),
            &attrs,
            bad.span,
            &arena,
        );
        assert_eq!(built.body.to_serde()["instance"]["node_num"], "four");
    }

    #[test]
    fn legacy_defaults_and_string_typed_numbers() {
        let res = mapping()
            .resource("huaweicloud_gaussdb_influx_instance")
            .unwrap()
            .1;
        let after =
            tree(r#"{"name": "n", "node_num": 3, "volume_size": 100, "ssl": true, "flavor": "s"}"#);
        let configured = |a: &str| a != "node_num";
        let attrs = Attrs {
            after: &after,
            before: None,
            configured: Some(&configured),
        };
        let arena = Bump::new();
        let built = build(
            select_create(res, &attrs).unwrap(),
            &attrs,
            after.span,
            &arena,
        );
        let body = built.body.to_serde();
        assert_eq!(
            body["datastore"],
            serde_json::json!({"type": "influxdb", "version": "1.7", "storage_engine": "rocksDB"})
        );
        assert_eq!(body["flavor"][0]["num"], "3");
        assert_eq!(body["flavor"][0]["size"], 100);
        assert_eq!(body["ssl_option"], "1");
        assert_eq!(body["mode"], "Cluster");
        let num = built
            .sources
            .iter()
            .find(|s| s.pointer == "/flavor/0/num")
            .unwrap();
        assert_eq!((num.origin, num.converted), (Origin::ProviderDefault, true));
    }
}
