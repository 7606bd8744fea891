//! Writing values back into a module's files: the literal a fix puts in place of a literal, and
//! the copy of a file with its secrets masked for code frames.

use super::load::{JKind, JNode, Parsed};
use super::module::{is_secret_name, Read};
use hcl_edit::structure::Body;
use hcl_edit::Span;
use std::ops::Range;

/// The literal to write for a value given as JSON text (a fix's replacement in the body),
/// in the syntax of the file it goes into: an HCL quoted string escapes `"`, `\`, control
/// characters and the template sequences `${` and `%{`; `.tf.json` takes the JSON text as it
/// is, except that a string holding `${` or `%{` would be read as a template there: not written.
pub(crate) fn literal(json_text: &str, json_syntax: bool) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json_text).ok()?;
    match v {
        serde_json::Value::String(s) if json_syntax => {
            (!s.contains("${") && !s.contains("%{")).then(|| json_text.trim().to_string())
        }
        serde_json::Value::String(s) => Some(hcl_string(&s)),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(v.to_string()),
        _ => None,
    }
}

fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file's text with every secret masked with `*`, byte for byte (spans stay where they were):
/// the values of attributes and variables named like a password, `default`s of `sensitive`
/// variables, and wherever a sensitive value that reached a resource was written.
pub(crate) fn masked(read: &Read, file: usize) -> String {
    let f = &read.files[file];
    let mut spans: Vec<Range<usize>> = Vec::new();
    match &f.parsed {
        Parsed::Hcl(body) => hcl_secrets(body, false, &mut spans),
        Parsed::Json(j) => json_secrets(j, false, &mut spans),
        Parsed::Failed(_) => {
            // Unparsed: mask the rest of every line that names a password.
            let mut at = 0;
            for line in f.text.split_inclusive('\n') {
                if let Some(eq) = line.find(['=', ':']).filter(|_| is_secret_name(line)) {
                    spans.push(at + eq + 1..at + line.trim_end().len());
                }
                at += line.len();
            }
        }
    }
    for i in &read.instances {
        for a in &i.attrs {
            let secret = a.value.has_secret() || is_secret_name(&a.path);
            if let Some(p) = a.value.from.as_ref().filter(|p| secret && p.file == file) {
                spans.push(p.span.clone());
            }
        }
    }
    let mut out = f.text.clone().into_bytes();
    for s in spans {
        for b in out.get_mut(s).into_iter().flatten() {
            // Whole characters only: continuation bytes are masked along with their lead.
            if !b.is_ascii_whitespace() && *b != b'"' {
                *b = b'*';
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| "*".repeat(f.text.len()))
}

fn hcl_secrets(body: &Body, sensitive_var: bool, spans: &mut Vec<Range<usize>>) {
    for a in body.attributes() {
        let key = a.key.as_str();
        if is_secret_name(key) || (sensitive_var && key == "default") {
            spans.extend(a.value.span());
        }
    }
    for b in body.blocks() {
        let sensitive = b.ident.as_str() == "variable"
            && (b.labels.first().is_some_and(|l| is_secret_name(l.as_str()))
                || b.body
                    .attributes()
                    .any(|a| a.key.as_str() == "sensitive" && a.value.as_bool() == Some(true)));
        hcl_secrets(&b.body, sensitive, spans);
    }
}

fn json_secrets(j: &JNode, sensitive_var: bool, spans: &mut Vec<Range<usize>>) {
    if let JKind::Arr(items) = &j.kind {
        for i in items {
            json_secrets(i, sensitive_var, spans);
        }
    }
    for (k, v) in j.members() {
        let sensitive = v.get("sensitive").map(|s| &s.kind) == Some(&JKind::Bool(true));
        if is_secret_name(k) && !matches!(v.kind, JKind::Obj(_))
            || (sensitive_var && k == "default")
        {
            spans.push(v.span.clone());
        } else {
            json_secrets(v, sensitive || is_secret_name(k), spans);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_in_each_syntax() {
        assert_eq!(
            literal("\"rocksDB\"", false).as_deref(),
            Some("\"rocksDB\"")
        );
        assert_eq!(literal("\"a${b\"", false).as_deref(), Some("\"a$${b\""));
        assert_eq!(
            literal("\"q\\\"\\n\"", false).as_deref(),
            Some("\"q\\\"\\n\"")
        );
        assert_eq!(literal("3", false).as_deref(), Some("3"));
        assert_eq!(literal("\"a${b\"", true), None);
        assert_eq!(literal("\"x\"", true).as_deref(), Some("\"x\""));
        assert_eq!(literal("{}", false), None);
    }

    #[test]
    fn secrets_are_masked_in_place() {
        let text = "variable \"db\" {\n  sensitive = true\n  default = \"Hidden1!\"\n}\nresource \"huaweicloud_ddm_instance\" \"x\" {\n  admin_password = \"S3cret!\" # keep\n  name = \"ok\"\n}\n";
        let mut read = Read::default();
        read.files.push(super::super::load::from_text(
            std::path::Path::new("main.tf"),
            "main.tf".into(),
            text.into(),
        ));
        let m = masked(&read, 0);
        assert_eq!(m.len(), text.len());
        assert!(!m.contains("S3cret") && !m.contains("Hidden1"), "{m}");
        assert!(m.contains("# keep") && m.contains("\"ok\""));
    }
}
