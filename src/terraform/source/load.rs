//! Reading the files of a module: `*.tf` with hcl-edit (a byte span on every expression, so
//! findings point at the attribute and fixes edit the exact bytes), `*.tf.json` and
//! `*.tfvars.json` with the crate's own span-aware JSON parser, turned into an owned tree.

use crate::json::{self, Kind, ParseOptions};
use hcl_edit::structure::Body;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One file of the read, as the user names it.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    /// How outputs name it (relative to where the run started, as given).
    pub display: String,
    pub text: String,
    pub parsed: Parsed,
}

#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    Hcl(Body),
    Json(JNode),
    /// A syntax error (or a file that could not be read): the rest of the module is still read.
    Failed(SyntaxError),
}

/// A file that is not HCL or JSON: where, and why (the parser's message only, never the line's
/// text, which may hold a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// A JSON value with its span, owned (the `.tf.json` syntax).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JNode {
    pub span: Range<usize>,
    pub kind: JKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JKind {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<JNode>),
    Obj(Vec<(String, JNode)>),
}

impl JNode {
    pub fn get(&self, key: &str) -> Option<&JNode> {
        match &self.kind {
            JKind::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn members(&self) -> &[(String, JNode)] {
        match &self.kind {
            JKind::Obj(m) => m,
            _ => &[],
        }
    }
}

fn jnode(v: &json::Value<'_>) -> JNode {
    let kind = match &v.kind {
        Kind::Null | Kind::Unknown(_) => JKind::Null,
        Kind::Bool(b) => JKind::Bool(*b),
        Kind::Number(n) => JKind::Num(n.as_f64()),
        Kind::String(s) => JKind::Str(s.to_string()),
        Kind::Array(items) => JKind::Arr(items.iter().map(jnode).collect()),
        Kind::Object(members) => JKind::Obj(
            members
                .iter()
                .map(|m| (m.key.to_string(), jnode(&m.value)))
                .collect(),
        ),
    };
    JNode {
        span: v.span.start..v.span.end,
        kind,
    }
}

/// Whether the file name is Terraform's JSON syntax.
pub(crate) fn is_json_name(name: &str) -> bool {
    name.ends_with(".tf.json") || name.ends_with(".tfvars.json")
}

/// Parses a file's text by its name.
pub(crate) fn parse(name: &str, text: &str) -> Parsed {
    if is_json_name(name) {
        return match json::parse_with(text, &ParseOptions::default()) {
            Ok(v) => Parsed::Json(jnode(&v)),
            Err(e) => Parsed::Failed(SyntaxError {
                offset: char_start(text, e.offset),
                message: e.kind.describe("en"),
            }),
        };
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Parsed::Hcl(body),
        Err(e) => Parsed::Failed(SyntaxError {
            offset: char_start(text, e.location().offset()),
            message: e.message().to_string(),
        }),
    }
}

/// Parses a file whose text is at hand.
pub(crate) fn from_text(path: &Path, display: String, text: String) -> SourceFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = parse(&name, &text);
    SourceFile {
        path: path.to_path_buf(),
        display,
        text,
        parsed,
    }
}

/// The start of the character at `offset` (parsers may report an offset inside one).
fn char_start(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Reads and parses one file; one that cannot be read is a failed file with the reason.
pub(crate) fn read(path: &Path, display: String) -> SourceFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (text, parsed) = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let parsed = parse(&name, &text);
                (text, parsed)
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let failed = Parsed::Failed(SyntaxError {
                    offset,
                    message: "the file is not UTF-8".into(),
                });
                (text, failed)
            }
        },
        Err(e) => (
            String::new(),
            Parsed::Failed(SyntaxError {
                offset: 0,
                message: format!("cannot read the file: {e}"),
            }),
        ),
    };
    SourceFile {
        path: path.to_path_buf(),
        display,
        text,
        parsed,
    }
}

/// The module's files in a directory: `*.tf` and `*.tf.json`, sorted by name as Terraform
/// loads them (override files included; their merging is not modelled).
pub(crate) fn module_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                !name.starts_with('.')
                    && (name.ends_with(".tf") || name.ends_with(".tf.json"))
                    && p.is_file()
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_a_position_and_no_line_text() {
        let text = "variable \"p\" {\n  default = \"S3cret!\" +\n}\n";
        let Parsed::Failed(e) = parse("main.tf", text) else {
            panic!("a syntax error");
        };
        assert!(e.offset > 20 && e.offset <= text.len(), "{}", e.offset);
        assert!(!e.message.contains("S3cret"));
    }

    #[test]
    fn syntax_errors_inside_a_character_point_at_its_start() {
        // Found by the fuzz target: the parser's offset fell inside `ى` (two bytes).
        let text = "\npwd g\u{649}";
        let Parsed::Failed(e) = parse("main.tf", text) else {
            panic!("a syntax error");
        };
        assert!(text.is_char_boundary(e.offset), "{}", e.offset);
    }

    #[test]
    fn json_syntax_keeps_spans() {
        let text = r#"{"variable": {"x": {"default": 3}}}"#;
        let Parsed::Json(j) = parse("a.tf.json", text) else {
            panic!("parsed");
        };
        let d = j
            .get("variable")
            .and_then(|v| v.get("x"))
            .and_then(|x| x.get("default"));
        assert_eq!(d.map(|d| &text[d.span.clone()]), Some("3"));
    }
}
