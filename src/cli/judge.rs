//! What each input was judged as: the API it was checked against and what decided it, or why it
//! was skipped. Only request bodies of the covered APIs are judged; JSON that is not one is
//! skipped and counted, unless the API was named (`--api`, the config file's `apis`) or the
//! config file asks for an error (`"unrecognized": "error"`).

use super::glob::Glob;
use super::server::{features, scan};
use hcdb_lint::{Api, Diagnostic, Lang, Report, Verdict};

/// Why an input was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// JSON that is not a request body (or text that does not parse and shows no API's members).
    NotBody,
    /// A body of a neighbouring API hcdb-lint does not cover.
    Uncovered { id: String, title: String },
}

/// How the API of an input is known before it is read: `--api`, or the config file's `apis`
/// entry (its glob).
#[derive(Debug, Clone)]
pub enum Given {
    Flag,
    Config(String),
}

/// The API an input is checked against before it is read, and how it is known: `--api`, else
/// the first of the config file's `apis` globs that matches its path.
pub fn given(forced: Option<Api>, apis: &[(Glob, Api)], rel: &str) -> (Option<Api>, Option<Given>) {
    match forced {
        Some(a) => (Some(a), Some(Given::Flag)),
        None => apis
            .iter()
            .find(|(g, _)| g.matches(rel))
            .map_or((None, None), |(g, a)| {
                (Some(*a), Some(Given::Config(g.as_str().to_string())))
            }),
    }
}

impl Given {
    pub fn detected_by(&self) -> String {
        match self {
            Given::Flag => "--api".to_string(),
            Given::Config(glob) => format!("hcdb-lint.json apis: {glob}"),
        }
    }
}

/// The judgement on one read input (see [`Judged`]).
pub fn judge(
    given: Option<&Given>,
    report: &Report,
    text: &str,
    unrecognized_error: bool,
    lang: Lang,
) -> Judged {
    if let Some(g) = given {
        return Judged {
            detected_by: Some(g.detected_by()),
            ..Judged::default()
        };
    }
    let skip = match report.recognition.as_ref().map(|r| &r.verdict) {
        Some(Verdict::Body(_)) => None,
        Some(Verdict::Uncovered { id, title }) => Some(Skip::Uncovered {
            id: id.to_string(),
            title: title.to_string(),
        }),
        Some(Verdict::NotBody) => Some(Skip::NotBody),
        // Not parsed: a syntax error in a body is reported when its members show its API.
        None if is_syntax_error(&report.diagnostics) => {
            match features::detect_in_outline(&scan::outline(text)) {
                Some(api) => {
                    return Judged {
                        api: Some(api),
                        detected_by: Some(match lang {
                            Lang::En => "its members, read from text that does not parse".into(),
                            Lang::Zh => "其成员(取自无法解析的文本)".into(),
                        }),
                        skip: None,
                    }
                }
                None => Some(Skip::NotBody),
            }
        }
        None => None,
    };
    Judged {
        api: report.api,
        detected_by: report.recognition.as_ref().map(|r| r.detected_by_in(lang)),
        skip: skip.filter(|_| !unrecognized_error),
    }
}

/// What an input was judged as.
#[derive(Debug, Default)]
pub struct Judged {
    /// The API it was checked against, or that its members show when it does not parse.
    pub api: Option<Api>,
    /// What decided it.
    pub detected_by: Option<String>,
    /// Why it is not checked.
    pub skip: Option<Skip>,
}

fn is_syntax_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.name == "invalid-json")
}

/// A skipped input's line in the human format.
pub fn skip_line(display: &str, skip: &Skip, lang: Lang) -> String {
    match (skip, lang) {
        (Skip::NotBody, Lang::En) => format!("{display}: not a request body: skipped"),
        (Skip::NotBody, Lang::Zh) => format!("{display}:不是请求体，已跳过"),
        (Skip::Uncovered { title, .. }, Lang::En) => {
            format!("{display}: a body of {title}, which hcdb-lint does not cover: skipped")
        }
        (Skip::Uncovered { title, .. }, Lang::Zh) => {
            format!("{display}:{title} 的请求体，hcdb-lint 未覆盖，已跳过")
        }
    }
}

/// The summary's words on skipped inputs, `None` when there were none.
pub fn summary_part(not_bodies: usize, uncovered: usize, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    match lang {
        Lang::En => {
            if not_bodies > 0 {
                parts.push(match not_bodies {
                    1 => "1 JSON file is not a request body: skipped".to_string(),
                    n => format!("{n} JSON files are not request bodies: skipped"),
                });
            }
            if uncovered > 0 {
                parts.push(match uncovered {
                    1 => "1 body is for an API hcdb-lint does not cover: skipped".to_string(),
                    n => format!("{n} bodies are for APIs hcdb-lint does not cover: skipped"),
                });
            }
        }
        Lang::Zh => {
            if not_bodies > 0 {
                parts.push(format!("{not_bodies} 个 JSON 文件不是请求体，已跳过"));
            }
            if uncovered > 0 {
                parts.push(format!(
                    "{uncovered} 个请求体属于 hcdb-lint 未覆盖的接口，已跳过"
                ));
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join(if lang == Lang::En { "; " } else { ";" }))
}
