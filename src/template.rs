//! Request bodies kept as templates: the expressions of the template languages bodies are
//! written in, the variables a user gives, and the pass that turns each string or bare value
//! holding an expression into a known value (every expression in it has a value) or an unknown
//! one (the engine's third state beside present and absent: given, not judged).
//!
//! Recognised: `${NAME}`, `${NAME:-default}`, `${NAME-default}` (shell, envsubst, Terraform),
//! `{{ ... }}` and `{{{ ... }}}` (Jinja, Go templates, Helm, Ansible, Mustache), `${{ ... }}`
//! (GitHub Actions), `$(NAME)` (Azure Pipelines, make). A bare `$NAME` is not one: passwords may
//! hold `$`. Control blocks (`{% %}`, `{# #}`, `{{ if }}`, `{{ range }}`, `{{- ... -}}`,
//! Mustache sections) decide the body's shape; the parser reports them where a value is expected.

use crate::json::{self, Kind, Span, Value};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// How templates are read (the crate's [`crate::Config::templates`]; the CLI turns it on by
/// default). A value substituted from `vars` or the environment is never echoed: this type's
/// `Debug` shows the names only.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Templates {
    /// Values of template variables by name: the expression's inner text trimmed (`NAME`,
    /// `.Values.password`, `secrets.DB_PASSWORD`).
    pub vars: BTreeMap<String, String>,
    /// Also look every name up in the process environment (`vars` win).
    pub env: bool,
    /// Report every unknown value as an error (`unknown-value`), for teams that render their
    /// templates before linting.
    pub fail_on_unknown: bool,
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Templates")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("env", &self.env)
            .field("fail_on_unknown", &self.fail_on_unknown)
            .finish()
    }
}

// Report data (the report lists it); re-exported here, where templates are read.
pub use crate::report::Unknown;

/// The variables a linter substitutes: the given ones over the environment's (read once, when
/// the linter is built). `Debug` shows the names only.
#[derive(Clone, Default)]
pub(crate) struct Vars {
    map: BTreeMap<String, String>,
    pub fail_on_unknown: bool,
}

impl fmt::Debug for Vars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vars")
            .field("names", &self.map.len())
            .field("fail_on_unknown", &self.fail_on_unknown)
            .finish()
    }
}

impl Vars {
    pub(crate) fn new(t: Templates) -> Vars {
        let mut map = t.vars;
        if t.env {
            // The given variables win over the environment's.
            for (name, value) in std::env::vars() {
                map.entry(name).or_insert(value);
            }
        }
        Vars {
            map,
            fail_on_unknown: t.fail_on_unknown,
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }
}

/// Parses a request body kept as a template: besides JSON, a template expression written bare
/// in a value position (`${NODE_NUM}`, `{{ .Values.num }}`, `$(N)`, `${{ vars.N }}`) is read as
/// a [`Kind::Unknown`] value with its span; a control block (`{% if %}`, `{{ range }}`) or an
/// expression where a key or member is expected is a syntax error that says to render the
/// template first. And whether some object may have a key twice. The JSON parser is hooked,
/// not changed: it asks [`Syntax`] only where plain JSON fails.
pub(crate) fn parse<'a>(
    text: &'a str,
    opts: &json::ParseOptions,
) -> Result<(Value<'a>, bool), json::ParseError> {
    json::parse_extended(text, opts, &Syntax)
}

/// Template text as the JSON parser's extension.
struct Syntax;

const CONTROL: json::ExtensionError = json::ExtensionError {
    en: "a template control block (`{% ... %}`, `{{ if }}`, `{{ range }}`, `{{- ... -}}`) \
         decides the body's shape and cannot be checked as it is: render the template first \
         (e.g. `helm template`, `jinja2`, `envsubst`) and check its output",
    zh: "模板控制块（`{% ... %}`、`{{ if }}`、`{{ range }}`、`{{- ... -}}`）决定请求体的结构，\
         无法直接检查：请先渲染模板（例如 `helm template`、`jinja2`、`envsubst`），再检查渲染结果",
};

const STRUCTURE: json::ExtensionError = json::ExtensionError {
    en: "a template expression stands where an object key or a member is expected and cannot \
         be checked as it is: render the template first (e.g. `helm template`, `jinja2`, \
         `envsubst`) and check its output",
    zh: "模板表达式出现在对象键或成员的位置，无法直接检查：请先渲染模板\
         （例如 `helm template`、`jinja2`、`envsubst`），再检查渲染结果",
};

impl json::Extension for Syntax {
    fn opens(&self, rest: &[u8]) -> bool {
        opens(rest)
    }

    fn value(&self, rest: &str) -> Result<Option<usize>, json::ExtensionError> {
        match bare(rest) {
            Bare::Expr(len) => Ok(Some(len)),
            Bare::Control => Err(CONTROL),
            Bare::None => Ok(None),
        }
    }

    fn misplaced(&self, rest: &str) -> json::ExtensionError {
        match bare(rest) {
            Bare::Control => CONTROL,
            _ => STRUCTURE,
        }
    }
}

/// What a bare template text at a value position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bare {
    None,
    /// An expression this many bytes long.
    Expr(usize),
    /// A control block.
    Control,
}

/// Whether a template expression or block opens at the start of `b`.
pub(crate) fn opens(b: &[u8]) -> bool {
    matches!(b, [b'$', b'{' | b'(', ..] | [b'{', b'{' | b'%' | b'#', ..])
}

/// The template text at the start of `s`, as the parser reads it in a value position.
pub(crate) fn bare(s: &str) -> Bare {
    match expr_at(s, 0) {
        Some(e) if e.name.is_none() => Bare::Control,
        Some(e) => Bare::Expr(e.end),
        None => Bare::None,
    }
}

/// One expression in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expr<'t> {
    pub start: usize,
    pub end: usize,
    /// The variable's name; `None` for a control block.
    pub name: Option<&'t str>,
    pub default: Option<&'t str>,
}

/// The first index `>= from` where `pat` (2 or 3 bytes) occurs in `b`. Byte loops, not the
/// standard library's substring searcher (kilobytes of the browser package).
fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    (from..(b.len() + 1).saturating_sub(pat.len())).find(|&i| b[i..].starts_with(pat))
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'[' | b']')
}

/// Words that open or close a block in Go templates, Helm and Jinja: such a `{{ }}` is control.
const CONTROL_WORDS: [&str; 12] = [
    "if", "else", "end", "range", "with", "define", "block", "for", "endfor", "endif", "elif",
    "break",
];

/// The expression starting at byte `at` of `s`, if one does (and is closed).
pub(crate) fn expr_at(s: &str, at: usize) -> Option<Expr<'_>> {
    let b = s.as_bytes();
    let rest = b.get(at..)?;
    let inner = |from: usize, to: usize| s.get(from..to).unwrap_or("");
    let control = |end: usize| {
        Some(Expr {
            start: at,
            end,
            name: None,
            default: None,
        })
    };
    fn named(start: usize, end: usize, name: &str) -> Expr<'_> {
        Expr {
            start,
            end,
            name: Some(name.trim()),
            default: None,
        }
    }
    let expr = |end: usize, name| named(at, end, name);
    match rest {
        [b'$', b'{', b'{', ..] => {
            let close = find(b, at + 3, b"}}")?;
            Some(expr(close + 2, inner(at + 3, close)))
        }
        [b'$', b'{', ..] => {
            let close = at + 2 + b[at + 2..].iter().position(|&c| c == b'}')?;
            let text = inner(at + 2, close);
            let tb = text.as_bytes();
            if !tb.first().copied().is_some_and(is_name_start) {
                return None;
            }
            let n = tb.iter().take_while(|&&c| is_name_byte(c)).count();
            let (name, after) = text.split_at(n);
            let default = after.strip_prefix(":-").or_else(|| after.strip_prefix('-'));
            Some(match default {
                Some(d) => Expr {
                    default: Some(d),
                    ..expr(close + 1, name)
                },
                None => expr(close + 1, text),
            })
        }
        [b'$', b'(', ..] => {
            let close = at + 2 + b[at + 2..].iter().position(|&c| c == b')')?;
            let text = inner(at + 2, close).trim();
            let tb = text.as_bytes();
            let ok = tb.first().copied().is_some_and(is_name_start)
                && tb
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
            ok.then(|| expr(close + 1, text))
        }
        [b'{', b'{', b'{', ..] => {
            let close = find(b, at + 3, b"}}}")?;
            Some(expr(close + 3, inner(at + 3, close)))
        }
        [b'{', b'{', ..] => {
            let close = find(b, at + 2, b"}}")?;
            let text = inner(at + 2, close);
            let t = text.trim();
            let word = t
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("");
            // Trim markers (`{{-`, `-}}`) lay out blocks; `#`, `^`, `/`, `!`, `>` open, close,
            // comment or include Mustache sections; `/*` is a Go template comment.
            if text.starts_with('-')
                || text.ends_with('-')
                || t.starts_with(['#', '^', '/', '!', '>'])
                || CONTROL_WORDS.contains(&word)
            {
                control(close + 2)
            } else {
                Some(expr(close + 2, text))
            }
        }
        [b'{', b'%', ..] => control(find(b, at + 2, b"%}")? + 2),
        [b'{', b'#', ..] => control(find(b, at + 2, b"#}")? + 2),
        _ => None,
    }
}

/// The expressions in a string value, in order (none for almost every string: one byte scan).
pub(crate) fn scan(s: &str) -> Vec<Expr<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'$' || c == b'{') {
        let at = i + off;
        match expr_at(s, at) {
            Some(e) => {
                i = e.end;
                out.push(e);
            }
            None => i = at + 1,
        }
    }
    out
}

/// What the template pass found in one body.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Members left unknown, in document order.
    pub unknown: Vec<Unknown>,
    /// Members whose value came (in part) from a given variable: not written in the file.
    pub injected: Vec<String>,
    /// Bare expressions whose variable's value does not read as one JSON value: (pointer,
    /// variable name). The value itself is never kept.
    pub invalid: Vec<(String, String)>,
}

/// The value of an expression: the variable's, else its default (`None`: unknown), and
/// whether it came from a variable.
fn value_of<'v>(e: &Expr<'v>, vars: &'v Vars) -> Option<(&'v str, bool)> {
    let name = e.name?;
    match vars.get(name) {
        Some(v) => Some((v, true)),
        None => e.default.map(|d| (d, false)),
    }
}

/// The expressions' own text, for the report.
fn expressions(s: &str, exprs: &[Expr<'_>]) -> String {
    let mut out = String::new();
    for e in exprs {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s.get(e.start..e.end).unwrap_or(""));
    }
    out
}

/// Give every node under `v` the span `span` (a substituted value sits at its expression).
fn respan(v: &mut Value<'_>, span: Span) {
    let mut stack = vec![v];
    while let Some(n) = stack.pop() {
        n.span = span;
        match &mut n.kind {
            Kind::Array(items) => stack.extend(items.iter_mut()),
            Kind::Object(members) => {
                for m in members.iter_mut() {
                    m.key_span = span;
                    stack.push(&mut m.value);
                }
            }
            _ => {}
        }
    }
}

/// One step of [`resolve`]'s walk: a node to visit under its path segment, or the end of a
/// container (its segment leaves the path).
enum Step<'n, 'a> {
    Enter(&'n mut Value<'a>, Option<Seg<'n>>),
    Leave,
}

#[derive(Clone, Copy)]
enum Seg<'n> {
    Key(&'n str),
    Index(usize),
}

/// The pointer of a path, built only for the members the report names.
fn pointer_of(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => json::push_token(&mut out, k),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Substitute what the variables know and mark the rest unknown, over the whole tree (with an
/// explicit stack: the depth is the parser's limit, not the native stack's). A body without
/// expressions costs one byte scan per string: no pointer is built for it.
pub(crate) fn resolve<'a>(root: &mut Value<'a>, vars: &'a Vars, max_depth: usize) -> Outcome {
    let mut out = Outcome::default();
    let mut path: Vec<Seg<'_>> = Vec::new();
    let mut stack: Vec<Step<'_, 'a>> = vec![Step::Enter(root, None)];
    while let Some(step) = stack.pop() {
        let (node, seg) = match step {
            Step::Enter(node, seg) => (node, seg),
            Step::Leave => {
                path.pop();
                continue;
            }
        };
        let span = node.span;
        if let Kind::Object(_) | Kind::Array(_) = node.kind {
            if let Some(seg) = seg {
                path.push(seg);
                stack.push(Step::Leave);
            }
            match &mut node.kind {
                Kind::Object(members) => {
                    // Pushed in reverse so the unknown list comes out in document order.
                    for m in members.iter_mut().rev() {
                        let json::Member { key, value, .. } = m;
                        stack.push(Step::Enter(value, Some(Seg::Key(key))));
                    }
                }
                Kind::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate().rev() {
                        stack.push(Step::Enter(item, Some(Seg::Index(i))));
                    }
                }
                _ => {}
            }
            continue;
        }
        let here = |path: &[Seg<'_>]| {
            let mut p = pointer_of(path);
            if let Some(seg) = seg {
                p.push_str(&pointer_of(&[seg]));
            }
            p
        };
        let new_kind = match &node.kind {
            Kind::String(s) => {
                if !s.bytes().any(|c| c == b'$' || c == b'{') {
                    continue;
                }
                let exprs = scan(s);
                if exprs.is_empty() {
                    continue;
                }
                let values: Option<Vec<(&str, bool)>> =
                    exprs.iter().map(|e| value_of(e, vars)).collect();
                match values {
                    Some(values) => {
                        let mut text = String::with_capacity(s.len());
                        let mut last = 0;
                        for (e, (v, _)) in exprs.iter().zip(&values) {
                            text.push_str(s.get(last..e.start).unwrap_or(""));
                            text.push_str(v);
                            last = e.end;
                        }
                        text.push_str(s.get(last..).unwrap_or(""));
                        if values.iter().any(|(_, injected)| *injected) {
                            out.injected.push(here(&path));
                        }
                        Kind::String(Cow::Owned(text))
                    }
                    None => {
                        let expression = expressions(s, &exprs);
                        out.unknown.push(Unknown {
                            pointer: here(&path),
                            expression: expression.clone(),
                            line: None,
                            column: None,
                            #[cfg(feature = "terraform")]
                            resource: None,
                        });
                        Kind::Unknown(Cow::Owned(expression))
                    }
                }
            }
            Kind::Unknown(Cow::Borrowed(text)) => {
                let text: &'a str = text;
                let e = expr_at(text, 0).filter(|e| e.end == text.len());
                match e.and_then(|e| value_of(&e, vars).map(|v| (e, v))) {
                    Some((e, (value, injected))) => {
                        let opts = json::ParseOptions { max_depth };
                        match json::parse_with(value, &opts) {
                            Ok(mut v) => {
                                respan(&mut v, span);
                                if injected {
                                    out.injected.push(here(&path));
                                }
                                v.kind
                            }
                            Err(_) => {
                                let name = e.name.unwrap_or_default().to_string();
                                out.invalid.push((here(&path), name));
                                continue;
                            }
                        }
                    }
                    None => {
                        out.unknown.push(Unknown {
                            pointer: here(&path),
                            expression: text.to_string(),
                            line: None,
                            column: None,
                            #[cfg(feature = "terraform")]
                            resource: None,
                        });
                        continue;
                    }
                }
            }
            _ => continue,
        };
        node.kind = new_kind;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<Option<&str>> {
        scan(s).iter().map(|e| e.name).collect()
    }

    #[test]
    fn every_syntax_is_recognised_with_its_name() {
        assert_eq!(names("${GEMINIDB_PASSWORD}"), [Some("GEMINIDB_PASSWORD")]);
        assert_eq!(names("{{ .Values.password }}"), [Some(".Values.password")]);
        assert_eq!(names("{{{ pw }}}"), [Some("pw")]);
        assert_eq!(
            names("${{ secrets.DB_PASSWORD }}"),
            [Some("secrets.DB_PASSWORD")]
        );
        assert_eq!(names("$(DB_PW)"), [Some("DB_PW")]);
        assert_eq!(names("ddm-${ENV}-01"), [Some("ENV")]);
        assert_eq!(names("${A}{{ b }}"), [Some("A"), Some("b")]);
        let e = scan("${PORT:-6379}")[0];
        assert_eq!((e.name, e.default), (Some("PORT"), Some("6379")));
        let e = scan("${PORT-6379}")[0];
        assert_eq!((e.name, e.default), (Some("PORT"), Some("6379")));
        assert_eq!(names("{% if x %}a{% endif %}"), [None, None]);
        assert_eq!(names("{{ if .x }}"), [None]);
        assert_eq!(names("{{- .x -}}"), [None]);
    }

    #[test]
    fn what_is_not_an_expression() {
        // Bare `$NAME`, unclosed openers, `$(` around what is no name, a lone brace.
        for s in [
            "Pa$word1",
            "$HOME",
            "${",
            "${}",
            "${ A}",
            "{{ x",
            "$(a b)",
            "{x}",
            "{",
            "$",
            "a}}",
            "{project_id}",
        ] {
            assert!(scan(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn bare_values_and_blocks() {
        assert_eq!(bare("${NODE_NUM}, "), Bare::Expr(11));
        assert_eq!(bare("{{ .Values.num }}\n"), Bare::Expr(17));
        assert_eq!(bare("{% for x in y %}"), Bare::Control);
        assert_eq!(bare("{{ range .Values.x }}"), Bare::Control);
        assert_eq!(bare("{# note #}"), Bare::Control);
        assert_eq!(bare("{\"a\": 1}"), Bare::None);
        assert!(opens(b"{{") && opens(b"${") && opens(b"$(") && opens(b"{%"));
        assert!(!opens(b"{\"") && !opens(b"$a"));
    }

    #[test]
    fn variables_show_their_names_only_in_debug() {
        let t = Templates {
            vars: [("PW".to_string(), "Secr3t!pass".to_string())].into(),
            env: false,
            fail_on_unknown: false,
        };
        let shown = format!("{t:?} {:?}", Vars::new(t.clone()));
        assert!(shown.contains("PW") && !shown.contains("Secr3t"), "{shown}");
    }
}
