//! Wording: a finding becomes a [`Diagnostic`] in the linter's language, its message and help
//! rendered from compiled templates, its terms from the packs' vocabulary.

use super::Linter;
use crate::config::{Lang, Severity};
use crate::engine::{Finding, Param};
use crate::json::{LineIndex, Span};
use crate::packs::RuleDoc;
use crate::report::{Diagnostic, Report};
use serde_json::Value;
use std::borrow::Cow;

impl Linter {
    pub(super) fn push(
        &self,
        report: &mut Report,
        mut f: Finding,
        text: Option<(Span, &str, &LineIndex)>,
    ) {
        let Some(mut severity) = self.levels.get(f.rule).copied().flatten() else {
            return;
        };
        let docs: &'static [RuleDoc] = self.docs;
        let doc = &docs[f.rule];
        // An observed acceptance (the engine names it by its index in the rule's list): a
        // warning at most, worded from the entry with its evidence.
        let observed = match f.params.last() {
            Some(&("observed", Param::Int(i))) => doc.observed.get(i as usize),
            _ => None,
        };
        let mut evidence = None;
        let [mut message, help] = match observed {
            Some(o) => {
                f.params.pop();
                severity = severity.min(Severity::Warning);
                let lang = self.lang;
                let evidence_params = [
                    ("documented", Param::Str(o.documented.get(lang).to_string())),
                    ("accepted", Param::Str(o.accepted.get(lang).to_string())),
                    ("evidence_project", Param::Str(o.source.project.clone())),
                    ("evidence_file", Param::Str(o.source.file.clone())),
                    ("evidence_date", Param::Str(o.source.date.clone())),
                ];
                evidence = Some((o, lang));
                let [m, h] = &*self.observed_templates;
                [
                    self.render(m, &f.params, &evidence_params, &f.pointer),
                    self.render(h, &f.params, &evidence_params, &f.pointer),
                ]
            }
            None => {
                let [m, h] = &self.templates[f.rule];
                [
                    self.render(m, &f.params, &[], &f.pointer),
                    self.render(h, &f.params, &[], &f.pointer),
                ]
            }
        };
        if message.is_empty() {
            // Every chunk named a parameter that is not given (a secret member's finding keeps
            // no quoted text): the rule's summary still says what is wrong (the browser
            // package's packs carry no summary: then the help, then the rule's name).
            message = [doc.summary.get(self.lang), &help, &doc.name]
                .into_iter()
                .find(|t| !t.is_empty())
                .unwrap_or_default()
                .to_string();
        }
        // Inserted one by one: a collect into a map would sort (one more sort in the module).
        let mut params = serde_json::Map::new();
        for (k, v) in &f.params {
            params.insert(k.to_string(), param_json(v));
        }
        if let Some((o, lang)) = evidence {
            params.insert("documented".into(), o.documented.get(lang).into());
            params.insert("accepted".into(), o.accepted.get(lang).into());
            let mut source = serde_json::Map::new();
            source.insert("project".into(), o.source.project.as_str().into());
            source.insert("file".into(), o.source.file.as_str().into());
            source.insert("date".into(), o.source.date.as_str().into());
            params.insert("evidence".into(), Value::Object(source));
        }
        let (span, line, column, end_line, end_column) = match text {
            Some((span, text, index)) => {
                let (l, c) = index.line_col(text, span.start);
                let (el, ec) = index.line_col(text, span.end);
                (Some(span), Some(l), Some(c), Some(el), Some(ec))
            }
            None => (None, None, None, None, None),
        };
        report.diagnostics.push(Diagnostic {
            rule: Cow::Borrowed(doc.id.as_str()),
            name: Cow::Borrowed(doc.name.as_str()),
            severity,
            pointer: f.pointer,
            message,
            help,
            params,
            span,
            line,
            column,
            end_line,
            end_column,
            fix: None,
            #[cfg(feature = "terraform")]
            resource: None,
        });
    }

    /// Word a compiled template: each chunk is appended whole, or not at all when it names a
    /// parameter that is not given. `params` are the finding's, `extra` those its wording adds
    /// (an observed acceptance's evidence, a fix's replacement).
    pub(super) fn render(
        &self,
        t: &Template,
        params: &[(&'static str, Param)],
        extra: &[(&'static str, Param)],
        pointer: &str,
    ) -> String {
        let mut out = String::with_capacity(t.len + 32);
        for chunk in &t.chunks {
            let mark = out.len();
            for part in chunk {
                match part {
                    Part::Lit(text) => out.push_str(text),
                    Part::Pointer => out.push_str(pointer),
                    Part::Param(name) => {
                        match params.iter().chain(extra).find(|(k, _)| k == name) {
                            Some((_, p)) => self.write_param(&mut out, p),
                            None => {
                                out.truncate(mark);
                                break;
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn write_param(&self, out: &mut String, p: &Param) {
        let sep = match self.lang {
            Lang::En => ", ",
            Lang::Zh => "、",
        };
        match p {
            Param::Int(i) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{i}");
            }
            Param::Str(s) => out.push_str(s),
            Param::List(l) => {
                for (i, item) in l.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push_str(item);
                }
            }
            Param::Term(term) => self.write_term(out, term),
            Param::Terms(t) => {
                for (i, term) in t.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    self.write_term(out, term);
                }
            }
        }
    }

    /// A vocabulary code in this linter's language (the code itself when the vocabulary has no
    /// entry).
    fn write_term(&self, out: &mut String, term: &str) {
        match self.vocabulary.binary_search_by(|(k, _)| k.cmp(&term)) {
            Ok(i) => out.push_str(self.vocabulary[i].1),
            Err(_) => out.push_str(term),
        }
    }
}

/// A message or help template, read once: `{name}` takes a parameter (`{pointer}` the
/// diagnostic's pointer), `[[ ... ]]` is kept only when every parameter inside it is given, and
/// text outside sections is dropped as a whole when it names a missing parameter.
#[derive(Debug, Clone)]
pub(super) struct Template {
    /// Appended in order, each whole or not at all. A chunk with an unclosed `{` is never
    /// appended, so it is not kept.
    chunks: Vec<Vec<Part>>,
    len: usize,
}

#[derive(Debug, Clone)]
enum Part {
    Lit(&'static str),
    Param(&'static str),
    Pointer,
}

impl Template {
    pub(super) fn compile(t: &'static str) -> Template {
        let mut chunks = Vec::new();
        let mut rest = t;
        while let Some(start) = find_pair(rest, b'[') {
            chunks.push(Template::chunk(&rest[..start]));
            let after = &rest[start + 2..];
            let Some(end) = find_pair(after, b']') else {
                // An unclosed `[[` is dropped; what follows is outside text.
                rest = after;
                break;
            };
            chunks.push(Template::chunk(&after[..end]));
            rest = &after[end + 2..];
        }
        chunks.push(Template::chunk(rest));
        Template {
            chunks: chunks
                .into_iter()
                .flatten()
                .filter(|c| !c.is_empty())
                .collect(),
            len: t.len(),
        }
    }

    fn chunk(text: &'static str) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = find_byte(rest, b'{') {
            if open > 0 {
                parts.push(Part::Lit(&rest[..open]));
            }
            let after = &rest[open + 1..];
            let close = find_byte(after, b'}')?;
            let name = &after[..close];
            parts.push(if name == "pointer" {
                Part::Pointer
            } else {
                Part::Param(name)
            });
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest));
        }
        Some(parts)
    }
}

/// The first `c` (ASCII) in `s`. Templates are short: a plain scan beats setting up a searcher.
fn find_byte(s: &str, c: u8) -> Option<usize> {
    s.bytes().position(|b| b == c)
}

/// The first `cc` (`c` twice, ASCII) in `s`.
fn find_pair(s: &str, c: u8) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w[0] == c && w[1] == c)
}

fn param_json(p: &Param) -> Value {
    match p {
        Param::Int(i) => Value::from(*i),
        Param::Str(s) => Value::from(s.clone()),
        Param::List(l) => Value::from(l.clone()),
        Param::Term(t) => Value::from(*t),
        Param::Terms(t) if t.len() == 1 => Value::from(t[0].clone()),
        Param::Terms(t) => Value::from(t.clone()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compiled_templates_word_as_the_template_reads() {
        use super::{find_byte, find_pair, Linter, Param, Template};
        use crate::config::{Config, Lang};
        // The wording as first written: the template scanned on every call.
        fn fill(l: &Linter, out: &mut String, text: &str, params: &[(&'static str, Param)]) {
            let mark = out.len();
            let mut rest = text;
            while let Some(open) = find_byte(rest, b'{') {
                out.push_str(&rest[..open]);
                let after = &rest[open + 1..];
                let Some(close) = find_byte(after, b'}') else {
                    out.truncate(mark);
                    return;
                };
                let name = &after[..close];
                if name == "pointer" {
                    out.push_str("/p/0");
                } else {
                    match params.iter().find(|(k, _)| *k == name) {
                        Some((_, p)) => l.write_param(out, p),
                        None => {
                            out.truncate(mark);
                            return;
                        }
                    }
                }
                rest = &after[close + 1..];
            }
            out.push_str(rest);
        }
        fn reference(l: &Linter, template: &str, params: &[(&'static str, Param)]) -> String {
            let mut out = String::new();
            let mut rest = template;
            while let Some(start) = find_pair(rest, b'[') {
                fill(l, &mut out, &rest[..start], params);
                let after = &rest[start + 2..];
                let Some(end) = find_pair(after, b']') else {
                    rest = after;
                    break;
                };
                fill(l, &mut out, &after[..end], params);
                rest = &after[end + 2..];
            }
            fill(l, &mut out, rest, params);
            out
        }
        const NAMES: [&str; 12] = [
            "actual",
            "min",
            "max",
            "allowed",
            "value",
            "unit",
            "char",
            "position",
            "member",
            "suggestion",
            "problem",
            "other",
        ];
        let odd: [&'static str; 6] = [
            "plain",
            "{min} to [[{max}]]",
            "[[a {x}]] b {y",
            "c [[{min}",
            "{",
            "x]]{max}[[",
        ];
        let mut worded = 0;
        for lang in [Lang::En, Lang::Zh] {
            let l = Linter::new(Config {
                lang,
                ..Config::default()
            })
            .unwrap();
            let templates = l
                .docs
                .iter()
                .flat_map(|d| [d.message.get(lang), d.help.get(lang)]);
            for t in templates.chain(odd) {
                let compiled = Template::compile(t);
                for skip in 0..=NAMES.len() {
                    let params: Vec<(&'static str, Param)> = NAMES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(i, n)| match i % 4 {
                            0 => (*n, Param::Int(i as i64)),
                            1 => (*n, Param::Str(format!("v{i}"))),
                            2 => (*n, Param::Term("chars")),
                            _ => (*n, Param::List(vec!["x".into(), "y".into()])),
                        })
                        .collect();
                    let want = reference(&l, t, &params);
                    assert_eq!(l.render(&compiled, &params, &[], "/p/0"), want, "{t}");
                    worded += usize::from(want != t);
                }
            }
        }
        assert!(worded > 1000, "templates with parameters: {worded}");
    }

    #[test]
    fn terms_are_worded_by_the_api_packs_over_the_common_pack() {
        use super::Linter;
        use crate::config::{Config, Lang};
        use crate::packs::packs;
        let packs = packs().unwrap();
        let mut expected = std::collections::BTreeMap::new();
        for (k, t) in packs
            .common
            .vocabulary
            .iter()
            .chain(packs.apis.iter().flat_map(|p| &p.vocabulary))
        {
            expected.insert(k.as_str(), t);
        }
        assert!(expected.len() > 10);
        for lang in [Lang::En, Lang::Zh] {
            let l = Linter::new(Config {
                lang,
                ..Config::default()
            })
            .unwrap();
            for (k, t) in &expected {
                let mut out = String::new();
                l.write_term(&mut out, k);
                assert_eq!(out, t.get(lang), "{k}");
            }
            let mut out = String::new();
            l.write_term(&mut out, "no-such-code");
            assert_eq!(out, "no-such-code");
        }
    }
}
