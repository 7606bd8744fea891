//! Hover, completion and code actions, from the linter's field data (`Linter::fields`), its
//! tables (`Linter::tables`: engines, modes, versions, node counts) and the last diagnostics.

use super::edits;
use super::scan::{self, Outline, Slot};
use super::text::{Encoding, Lines};
use hcdb_lint::FieldMeta;
use hcdb_lint::{Api, Lang, Linter};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionTextEdit, Documentation, Hover, HoverContents, MarkupContent, MarkupKind, Position,
    TextEdit, Url, WorkspaceEdit,
};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What a feature needs of a document.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub lines: &'a Lines,
    pub enc: Encoding,
    pub linter: &'a Linter,
    pub api: Option<Api>,
    pub diagnostics: &'a [hcdb_lint::Diagnostic],
}

impl Ctx<'_> {
    pub fn offset(&self, p: Position) -> usize {
        self.lines.offset(self.text, p, self.enc)
    }

    fn range(&self, s: (usize, usize)) -> lsp_types::Range {
        self.lines.range(self.text, s.0, s.1, self.enc)
    }

    fn lang(&self) -> Lang {
        self.linter.lang()
    }
}

/// The API the members of a body being written show (`Api::detect_by_member`): each member's
/// pointer with its array indices read as `*`.
pub fn detect_in_outline(o: &Outline) -> Option<Api> {
    let pointers: Vec<String> = o
        .members
        .iter()
        .map(|m| {
            m.pointer
                .split('/')
                .map(|s| {
                    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                        "*"
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    Api::detect_by_member(|p| pointers.iter().any(|q| q == p))
}

/// Does a field pointer (`/flavor/*/num`) name this value pointer (`/flavor/0/num`)?
fn pattern_matches(pattern: &str, pointer: &str) -> bool {
    let mut a = pattern.split('/');
    let mut b = pointer.split('/');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some("*"), Some(t)) if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) => {}
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// A body member's description for a hover outside the body (a Terraform attribute): as on
/// the member itself, with values that depend on the engine given over every engine.
pub fn describe_member(linter: &Linter, api: Api, pointer: &str) -> Option<String> {
    let fields = linter.fields(api);
    let f = field_for(&fields, pointer)?;
    let view = EngineView {
        engine: None,
        mode: None,
        type_name: None,
        mode_name: None,
    };
    Some(describe_field(f, &view, linter.lang()))
}

fn field_for<'f>(fields: &'f [FieldMeta], pointer: &str) -> Option<&'f FieldMeta> {
    fields.iter().find(|f| pattern_matches(&f.pointer, pointer))
}

fn label(t: &hcdb_lint::Text, lang: Lang) -> &str {
    match lang {
        Lang::En => &t.en,
        Lang::Zh => &t.zh,
    }
}

/// What the tables allow here for this body, where they depend on the engine and mode.
struct EngineView<'a> {
    engine: Option<&'a serde_json::Map<String, Value>>,
    mode: Option<&'a Value>,
    type_name: Option<String>,
    mode_name: Option<String>,
}

fn engine_view<'a>(ctx: &Ctx<'a>, outline: &Outline, api: Api) -> EngineView<'a> {
    let mut v = EngineView {
        engine: None,
        mode: None,
        type_name: None,
        mode_name: None,
    };
    // Only a pack with an `engines` table (keyed by `/datastore/type`) has engine-dependent
    // values.
    let Some(engines) = ctx
        .linter
        .tables(api)
        .get("engines")
        .and_then(Value::as_object)
    else {
        return v;
    };
    v.type_name = outline.value_text("/datastore/type").map(str::to_string);
    v.mode_name = outline.value_text("/mode").map(str::to_string);
    v.engine = v
        .type_name
        .as_deref()
        .and_then(|t| engines.get(t))
        .and_then(Value::as_object);
    let modes = v
        .engine
        .and_then(|e| e.get("modes"))
        .and_then(Value::as_object);
    v.mode = modes.and_then(|m| {
        v.mode_name
            .as_deref()
            .and_then(|n| m.get(n))
            .or_else(|| m.get("*"))
    });
    v
}

impl EngineView<'_> {
    fn modes(&self) -> Option<Vec<String>> {
        let m = self.engine?.get("modes")?.as_object()?;
        Some(m.keys().filter(|k| *k != "*").cloned().collect())
    }

    /// Versions for the chosen mode, else every mode's; `None` (JSON null) means "absent".
    fn versions(&self) -> Option<Vec<Option<String>>> {
        let from = |m: &Value| -> Vec<Option<String>> {
            m.get("versions")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let mut out = match self.mode {
            Some(m) => from(m),
            None => self
                .engine?
                .get("modes")?
                .as_object()?
                .values()
                .flat_map(from)
                .collect(),
        };
        out.dedup();
        Some(out)
    }

    fn nodes(&self) -> Option<(Option<i64>, Option<i64>)> {
        let n = self.mode?.get("num")?;
        Some((
            n.get("min").and_then(Value::as_i64),
            n.get("max").and_then(Value::as_i64),
        ))
    }

    fn size_min(&self) -> Option<i64> {
        self.engine?.get("size")?.get("min")?.as_i64()
    }
}

/// The allowed values of an enumerated member, engine-aware where the tables say so.
fn allowed_values(
    field: &FieldMeta,
    view: &EngineView,
    lang: Lang,
) -> Option<Vec<(Value, String)>> {
    let labelled = |v: &str| -> (Value, String) {
        let l = field
            .enumeration
            .iter()
            .flatten()
            .find(|e| e.value == v)
            .map(|e| label(&e.label, lang).to_string())
            .unwrap_or_default();
        (Value::String(v.to_string()), l)
    };
    match field.pointer.as_str() {
        "/mode" => {
            if let Some(m) = view.modes() {
                return Some(m.iter().map(|v| labelled(v)).collect());
            }
        }
        "/datastore/version" => {
            if let Some(vs) = view.versions() {
                return Some(
                    vs.into_iter()
                        .map(|v| match v {
                            Some(v) => labelled(&v),
                            None => (Value::Null, String::new()),
                        })
                        .collect(),
                );
            }
        }
        _ => {}
    }
    if let Some(e) = &field.enumeration {
        return Some(
            e.iter()
                .map(|e| {
                    (
                        Value::String(e.value.clone()),
                        label(&e.label, lang).to_string(),
                    )
                })
                .collect(),
        );
    }
    (field.ty == "boolean").then(|| {
        vec![
            (Value::Bool(true), String::new()),
            (Value::Bool(false), String::new()),
        ]
    })
}

fn type_words(ty: &str, lang: Lang) -> &str {
    match (ty, lang) {
        ("bool_string", Lang::En) => "string \"true\" or \"false\"",
        ("bool_string", Lang::Zh) => "字符串 \"true\" 或 \"false\"",
        (t, _) => t,
    }
}

/// A field's description in Markdown: label, type, presence, constraints for this body.
fn describe_field(field: &FieldMeta, view: &EngineView, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = format!("**{}** `{}`\n\n", label(&field.label, lang), field.pointer);
    let presence = match (field.required, field.required_when, zh) {
        (true, _, false) => "required",
        (true, _, true) => "必选",
        (false, true, false) => "required in some cases",
        (false, true, true) => "特定条件下必选",
        (false, false, false) => "optional",
        (false, false, true) => "可选",
    };
    let _ = writeln!(
        s,
        "- {}: {} · {presence}",
        if zh { "类型" } else { "type" },
        type_words(&field.ty, lang)
    );
    if let Some(vals) = allowed_values(field, view, lang) {
        let list = vals
            .iter()
            .map(|(v, _)| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let scope = match (&view.type_name, field.pointer.as_str()) {
            (Some(t), "/mode") if view.engine.is_some() => format!(" ({t})"),
            (Some(t), "/datastore/version") if view.engine.is_some() => match &view.mode_name {
                Some(m) if view.mode.is_some() => format!(" ({t}, {m})"),
                _ => format!(" ({t})"),
            },
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "- {}{scope}: {list}",
            if zh { "取值" } else { "allowed" }
        );
    }
    let (mut min, mut max) = (field.minimum, field.maximum);
    let mut scope = String::new();
    if pattern_matches("/flavor/*/num", &field.pointer.replace('*', "0")) {
        if let Some((a, b)) = view.nodes() {
            (min, max) = (a, b);
            scope = format!(
                " ({}{})",
                view.type_name.as_deref().unwrap_or_default(),
                view.mode_name
                    .as_deref()
                    .filter(|_| view.mode.is_some())
                    .map(|m| format!(", {m}"))
                    .unwrap_or_default()
            );
        }
    }
    if pattern_matches("/flavor/*/size", &field.pointer.replace('*', "0")) {
        if let Some(a) = view.size_min() {
            min = Some(a);
            scope = format!(" ({})", view.type_name.as_deref().unwrap_or_default());
        }
    }
    match (min, max) {
        (Some(a), Some(b)) => {
            let _ = writeln!(
                s,
                "- {}{scope}: {a} – {b}",
                if zh { "范围" } else { "range" }
            );
        }
        (Some(a), None) => {
            let _ = writeln!(s, "- {}{scope}: ≥ {a}", if zh { "范围" } else { "range" });
        }
        (None, Some(b)) => {
            let _ = writeln!(s, "- {}{scope}: ≤ {b}", if zh { "范围" } else { "range" });
        }
        (None, None) => {}
    }
    if field.min_length.is_some() || field.max_length.is_some() {
        let unit = match (field.length_unit.as_deref(), zh) {
            (Some("bytes"), false) => "bytes",
            (Some("bytes"), true) => "字节",
            (_, false) => "characters",
            (_, true) => "字符",
        };
        let _ = writeln!(
            s,
            "- {}: {} – {} {unit}",
            if zh { "长度" } else { "length" },
            field.min_length.map(|n| n.to_string()).unwrap_or_default(),
            field.max_length.map(|n| n.to_string()).unwrap_or_default()
        );
    }
    if let Some(c) = &field.allowed_chars {
        let _ = writeln!(s, "- {}: `{c}`", if zh { "允许字符" } else { "characters" });
    }
    if let Some(c) = &field.first_char {
        let _ = writeln!(
            s,
            "- {}: `{c}`",
            if zh { "首字符" } else { "first character" }
        );
    }
    if let Some(d) = &field.default {
        let _ = writeln!(s, "- {}: `{d}`", if zh { "默认值" } else { "default" });
    }
    if !field.depends_on.is_empty() {
        let _ = writeln!(
            s,
            "- {}: {}",
            if zh { "取决于" } else { "depends on" },
            field
                .depends_on
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if field.secret {
        let _ = writeln!(
            s,
            "- {}",
            if zh {
                "密码:其值从不显示"
            } else {
                "secret: its value is never shown"
            }
        );
    }
    s
}

/// Hover: the member's field description, and the rule's explanation on a diagnostic's range.
pub fn hover(ctx: &Ctx, offset: usize) -> Option<Hover> {
    let lang = ctx.lang();
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    let mut range = None;
    for d in ctx.diagnostics {
        let Some(sp) = d.span else { continue };
        if !(sp.start <= offset && offset <= sp.end) {
            continue;
        }
        range.get_or_insert((sp.start, sp.end));
        let Some(doc) = ctx.linter.rule(&d.rule) else {
            continue;
        };
        let mut s = format!(
            "**{} `{}`** ({}): {}\n\n",
            doc.id, doc.name, d.severity, d.message
        );
        for (title, t) in [
            ("", &doc.summary),
            (if zh { "原因:" } else { "Why: " }, &doc.why),
            (if zh { "建议:" } else { "Fix: " }, &doc.help),
        ] {
            let t = label(t, lang);
            if !t.is_empty() {
                let _ = write!(s, "{title}{t}\n\n");
            }
        }
        parts.push(s);
    }
    let outline = scan::outline(ctx.text);
    let api = ctx.api.or_else(|| detect_in_outline(&outline));
    if let (Some(api), Some(m)) = (api, outline.member_at(offset)) {
        let fields = ctx.linter.fields(api);
        if let Some(f) = field_for(&fields, &m.pointer) {
            let view = engine_view(ctx, &outline, api);
            parts.insert(0, describe_field(f, &view, lang));
            if range.is_none() {
                range = Some(m.key_span);
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n---\n\n"),
        }),
        range: range.map(|r| ctx.range(r)),
    })
}

/// The parent pattern of a field pointer: `/flavor/*/num` → `/flavor/*`.
fn parent(p: &str) -> &str {
    p.rfind('/').map(|i| &p[..i]).unwrap_or("")
}

fn name(p: &str) -> String {
    p.rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

/// A placeholder value for a field, for skeletons.
fn skeleton_value(fields: &[FieldMeta], f: &FieldMeta) -> Value {
    match f.ty.as_str() {
        "object" => Value::Object(skeleton_object(fields, &f.pointer)),
        "array" => {
            let item = format!("{}/*", f.pointer);
            match fields.iter().find(|g| g.pointer == item) {
                Some(g) if g.ty == "object" => {
                    Value::Array(vec![Value::Object(skeleton_object(fields, &item))])
                }
                Some(g) => Value::Array(vec![skeleton_value(fields, g)]),
                None => Value::Array(Vec::new()),
            }
        }
        "integer" | "number" => Value::from(f.minimum.unwrap_or(0)),
        "boolean" => Value::Bool(false),
        _ => match &f.enumeration {
            Some(e) if !e.is_empty() => Value::String(e[0].value.clone()),
            _ => Value::String(String::new()),
        },
    }
}

fn skeleton_object(fields: &[FieldMeta], at: &str) -> serde_json::Map<String, Value> {
    fields
        .iter()
        .filter(|f| parent(&f.pointer) == at && f.required && !f.pointer.ends_with("/*"))
        .map(|f| (name(&f.pointer), skeleton_value(fields, f)))
        .collect()
}

/// A completion's edit of the token being typed (`replace`) into `json_text`. When the token
/// starts with a quote, the edit starts after it and writes the rest with the closing quote:
/// editors that insert at the start of the word before the cursor (Neovim's omnifunc, which
/// takes the edits' common start only when items have no `filterText`) and editors that apply
/// the range (VS Code, nvim-cmp, Helix) then write the same text, and the label (the member
/// name or value, without quotes) matches what was typed after the quote.
fn quoted_edit(ctx: &Ctx, replace: scan::Span, json_text: String) -> TextEdit {
    let quoted = ctx.text.as_bytes().get(replace.0) == Some(&b'"');
    match json_text.strip_prefix('"') {
        Some(rest) if quoted => TextEdit::new(ctx.range((replace.0 + 1, replace.1)), rest.into()),
        _ => TextEdit::new(ctx.range(replace), json_text),
    }
}

/// The APIs that have every top-level member of a body being started (but the one at
/// `typing`) among their own.
fn consistent_apis(ctx: &Ctx, outline: &scan::Outline, typing: scan::Span) -> Vec<Api> {
    let top: Vec<&str> = outline
        .members
        .iter()
        .filter(|m| parent(&m.pointer).is_empty() && m.key_span != typing)
        .map(|m| m.key.as_str())
        .collect();
    Api::ALL
        .into_iter()
        .filter(|&api| {
            let fields = ctx.linter.fields(api);
            top.iter().all(|k| {
                fields
                    .iter()
                    .any(|f| f.pointer.strip_prefix('/') == Some(*k))
            })
        })
        .collect()
}

/// Completion: a whole body per API in an empty document; member names allowed and not yet
/// present; the values of enumerated members.
pub fn completion(ctx: &Ctx, offset: usize) -> Vec<CompletionItem> {
    let lang = ctx.lang();
    if ctx.text.trim().is_empty() {
        let all = (0, ctx.text.len());
        return Api::ALL
            .iter()
            .map(|&api| {
                let fields = ctx.linter.fields(api);
                let body = Value::Object(skeleton_object(&fields, ""));
                let text = serde_json::to_string_pretty(&body).unwrap_or_default() + "\n";
                CompletionItem {
                    label: format!("{} body", api.id()),
                    kind: Some(CompletionItemKind::SNIPPET),
                    detail: Some(match lang {
                        Lang::En => "the required members, to fill in".into(),
                        Lang::Zh => "必选成员,待填写".into(),
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        ctx.range(all),
                        text,
                    ))),
                    ..Default::default()
                }
            })
            .collect();
    }
    let outline = scan::outline(ctx.text);
    let detected = ctx.api.or_else(|| detect_in_outline(&outline)).or_else(|| {
        // A body being written: its members so far are one API's only.
        let apis = consistent_apis(ctx, &outline, (usize::MAX, usize::MAX));
        (apis.len() == 1 && !outline.members.is_empty()).then(|| apis[0])
    });
    match scan::slot_at(ctx.text, offset) {
        Slot::Key { object, replace } => {
            let apis: Vec<Api> = match detected {
                Some(a) => vec![a],
                // A body being started: the APIs whose top-level members include every one it
                // has so far (all of them in `{}`). Other JSON (package.json, tsconfig.json)
                // has members no API has, and is offered nothing.
                None if object.is_empty() => consistent_apis(ctx, &outline, replace),
                None => return Vec::new(),
            };
            let present: Vec<&str> = outline
                .members
                .iter()
                .filter(|m| parent(&m.pointer) == object && m.key_span != replace)
                .map(|m| m.key.as_str())
                .collect();
            // An existing key being renamed keeps its colon.
            let has_colon = ctx.text[replace.1..].trim_start().starts_with(':');
            let mut items = Vec::new();
            for api in apis {
                let fields = ctx.linter.fields(api);
                let view = engine_view(ctx, &outline, api);
                for f in &fields {
                    if f.pointer.ends_with("/*") || !pattern_matches(parent(&f.pointer), &object) {
                        continue;
                    }
                    let n = name(&f.pointer);
                    if present.contains(&n.as_str())
                        || items.iter().any(|i: &CompletionItem| i.label == n)
                    {
                        continue;
                    }
                    let key = serde_json::to_string(&n).unwrap_or_default();
                    let new_text = if has_colon { key } else { format!("{key}: ") };
                    let edit = quoted_edit(ctx, replace, new_text);
                    items.push(CompletionItem {
                        label: n.clone(),
                        kind: Some(CompletionItemKind::FIELD),
                        detail: Some(format!("{} · {}", type_words(&f.ty, lang), api.id())),
                        documentation: Some(Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: describe_field(f, &view, lang),
                        })),
                        // Required members first.
                        sort_text: Some(format!("{}{n}", if f.required { 0 } else { 1 })),
                        text_edit: Some(CompletionTextEdit::Edit(edit)),
                        ..Default::default()
                    });
                }
            }
            items
        }
        Slot::Value { pointer, replace } => {
            let Some(api) = detected else {
                return Vec::new();
            };
            let fields = ctx.linter.fields(api);
            let Some(f) = field_for(&fields, &pointer) else {
                return Vec::new();
            };
            // Never offer anything in a password's place.
            if f.secret {
                return Vec::new();
            }
            let view = engine_view(ctx, &outline, api);
            let Some(values) = allowed_values(f, &view, lang) else {
                return Vec::new();
            };
            values
                .into_iter()
                .enumerate()
                .map(|(i, (v, l))| {
                    let label = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    CompletionItem {
                        label,
                        kind: Some(CompletionItemKind::ENUM_MEMBER),
                        detail: (!l.is_empty()).then_some(l),
                        sort_text: Some(format!("{i:04}")),
                        text_edit: Some(CompletionTextEdit::Edit(quoted_edit(
                            ctx,
                            replace,
                            v.to_string(),
                        ))),
                        ..Default::default()
                    }
                })
                .collect()
        }
        Slot::Nothing => Vec::new(),
    }
}

/// Quick fixes for the diagnostics in (or touching) a range.
pub fn code_actions(ctx: &Ctx, uri: &Url, range: (usize, usize)) -> Vec<CodeActionOrCommand> {
    let outline = scan::outline(ctx.text);
    let mut out = Vec::new();
    for d in ctx.diagnostics {
        let Some(sp) = d.span else { continue };
        if sp.end < range.0 || sp.start > range.1 {
            continue;
        }
        for e in edits::fixes(d, ctx.text, &outline) {
            let lsp_diag = lsp_types::Diagnostic {
                range: ctx.range((sp.start, sp.end)),
                code: Some(lsp_types::NumberOrString::String(d.rule.to_string())),
                source: Some(super::SOURCE.into()),
                message: d.message.clone(),
                ..Default::default()
            };
            let edits = e
                .changes
                .into_iter()
                .map(|(span, text)| TextEdit::new(ctx.range(span), text))
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: e.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..Default::default()
                }),
                is_preferred: Some(e.preferred),
                ..Default::default()
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_patterns_match_array_items() {
        assert!(pattern_matches("/flavor/*/num", "/flavor/12/num"));
        assert!(!pattern_matches("/flavor/*/num", "/flavor/x/num"));
        assert!(!pattern_matches("/flavor/*/num", "/flavor/0"));
        assert!(pattern_matches("", ""));
        assert_eq!(parent("/flavor/*/num"), "/flavor/*");
        assert_eq!(name("/a~1b"), "a/b");
    }

    #[test]
    fn skeletons_hold_every_required_member() {
        let l = Linter::default_ref();
        for api in Api::ALL {
            let fields = l.fields(api);
            let body = Value::Object(skeleton_object(&fields, ""));
            for f in fields
                .iter()
                .filter(|f| f.required && !f.pointer.contains('*'))
            {
                let parent_present =
                    parent(&f.pointer).is_empty() || body.pointer(parent(&f.pointer)).is_some();
                if parent_present {
                    assert!(body.pointer(&f.pointer).is_some(), "{api}: {}", f.pointer);
                }
            }
        }
    }
}
