//! Findings on a body built from a resource: placed in the reader's text, named for the
//! resource and its attribute, and worded as the provider's doing where the provider decided
//! the value (one step less severe, a warning at most: the configuration cannot change it).

use super::mapping::{Build, Built, MemberSource};
use super::PlanReport;
use crate::json::{self, LineIndex};
use crate::linter::{value_at, ReaderRule};
use crate::report::{Diagnostic, Origin, ResourceRef};
use crate::template::Unknown;
use crate::Linter;
use crate::Severity;

/// The resource a body was built from, as the reader knows it.
pub(crate) struct Resource<'r> {
    pub address: &'r str,
    pub resource_type: &'r str,
    /// Whether an attribute's value is sensitive (the plan's marks).
    pub sensitive: &'r dyn Fn(&str) -> bool,
    /// Whether the configuration writes the attribute as a literal (`None`: not known).
    pub literal: &'r dyn Fn(&str) -> Option<bool>,
}

impl Resource<'_> {
    fn at(&self, attribute: Option<&str>, origin: Origin) -> ResourceRef {
        ResourceRef {
            address: self.address.to_string(),
            resource_type: self.resource_type.to_string(),
            attribute: attribute.map(str::to_string),
            origin,
        }
    }
}

/// Judge `built` with `linter` and add what it finds to `out`.
pub(crate) fn judge(
    linter: &Linter,
    built: &Built<'_>,
    res: &Resource,
    text: &str,
    index: &LineIndex,
    out: &mut PlanReport,
) {
    let secret = |pointer: &str| {
        source_of(built, pointer)
            .is_some_and(|s| s.secret || s.attribute.is_some_and(|a| (res.sensitive)(a)))
    };
    let report = linter.check_read(built.api(), &built.body, text, index, &secret);
    for mut d in report.diagnostics {
        let src = source_of(built, &d.pointer);
        let attribute = src
            .and_then(|s| s.attribute)
            .or_else(|| mapped_attribute(built.build, &d.pointer));
        // The plan holds every password in clear text: only one written in the configuration
        // is a password in a file.
        if linter.is_plaintext_rule(&d.rule)
            && !attribute.and_then(|a| (res.literal)(a)).unwrap_or(false)
        {
            continue;
        }
        let origin = src.map_or(Origin::User, |s| s.origin);
        let converted = src.is_some_and(|s| s.converted) && linter.is_type_rule(&d.rule);
        if origin != Origin::User || converted {
            provider_wording(linter, &mut d, origin, attribute);
        }
        d.resource = Some(res.at(attribute, origin));
        out.diagnostics.push(d);
    }
    for s in built.sources.iter().filter(|s| s.note == Some("group-id")) {
        let span = value_at(&built.body, s.pointer).map_or(built.body.span, |v| v.span);
        let quirk = ReaderRule::ProviderQuirk;
        if let Some(mut d) =
            linter.reader_diagnostic(quirk, s.pointer, Vec::new(), span, text, index)
        {
            d.resource = Some(res.at(s.attribute, s.origin));
            out.diagnostics.push(d);
        }
    }
    let mut unknown = Vec::new();
    unknowns(&built.body, &mut String::new(), &mut unknown);
    for (pointer, expression, span) in unknown {
        let Some(src) = source_of(built, &pointer).filter(|s| s.origin == Origin::User) else {
            continue;
        };
        let (line, column) = index.line_col(text, span.start);
        out.unknown.push(Unknown {
            pointer,
            expression,
            line: Some(line),
            column: Some(column),
            resource: Some(res.at(src.attribute, src.origin)),
        });
    }
}

/// The member a pointer is in: the one it names, or the nearest that holds it.
fn source_of<'b>(built: &'b Built<'_>, pointer: &str) -> Option<&'b MemberSource> {
    built
        .sources
        .iter()
        .filter(|s| {
            pointer == s.pointer
                || pointer
                    .strip_prefix(s.pointer)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|s| s.pointer.len())
}

/// The attribute behind a member the provider left out, or behind an object of the body (its
/// block's name).
fn mapped_attribute(build: &'static Build, pointer: &str) -> Option<&'static str> {
    let members = || build.members.iter().filter(|m| m.attribute.is_some());
    if let Some(m) = members().find(|m| m.pointer == pointer) {
        return m.attribute.as_deref();
    }
    let under = format!("{pointer}/");
    members()
        .find(|m| m.pointer.starts_with(&under))
        .and_then(|m| m.attribute.as_deref())
        .map(|a| a.split(['.', '[']).next().unwrap_or(a))
}

fn provider_wording(linter: &Linter, d: &mut Diagnostic, origin: Origin, attribute: Option<&str>) {
    let code = match origin {
        Origin::ProviderConstant => "provider_constant",
        Origin::ProviderDefault => "provider_default",
        Origin::User => "provider_converted",
    };
    let note = linter.vocabulary_text(code, &[("attribute", attribute.unwrap_or_default())]);
    d.message = note + &d.message;
    d.help = linter.vocabulary_text("provider_help", &[]);
    // One step down: an error the service may raise is a warning, a note is an info.
    d.severity = match d.severity {
        Severity::Error => Severity::Warning,
        _ => Severity::Info,
    };
}

/// Every unknown value of a body: its pointer, its expression and its span.
fn unknowns(
    v: &json::Value<'_>,
    pointer: &mut String,
    out: &mut Vec<(String, String, json::Span)>,
) {
    let mark = pointer.len();
    match &v.kind {
        json::Kind::Unknown(e) => out.push((pointer.clone(), e.to_string(), v.span)),
        json::Kind::Object(members) => {
            for m in members {
                pointer.push('/');
                json::push_token(pointer, &m.key);
                unknowns(&m.value, pointer, out);
                pointer.truncate(mark);
            }
        }
        json::Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                unknowns(item, pointer, out);
                pointer.truncate(mark);
            }
        }
        _ => {}
    }
}
