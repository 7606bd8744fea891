use crate::{Api, Severity, Span};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One finding, worded. Never carries a password: checks on secret fields produce parameters
/// without the value, and messages are rendered from those parameters only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable rule id, e.g. `GDB104`. Borrowed from the rule packs (loaded once per process), so
    /// a diagnostic costs no copy of it; `&*d.rule` or `d.rule == "GDB104"` reads it.
    pub rule: Cow<'static, str>,
    /// Kebab-case rule name, e.g. `geminidb-name-charset` (borrowed like `rule`).
    pub name: Cow<'static, str>,
    pub severity: Severity,
    /// RFC 6901 pointer to the member that must change (`""` is the whole body).
    pub pointer: String,
    pub message: String,
    pub help: String,
    /// Structured parameters, for interfaces that word messages themselves.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Byte span in the input text (text input only).
    #[serde(skip)]
    pub span: Option<Span>,
    /// 1-based line and column (Unicode scalar values) of the span start and end.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_column: Option<usize>,
    /// The fix the rule offers for this finding (text input only; see [`crate::apply_fixes`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fix: Option<crate::Fix>,
    /// The Terraform resource whose request body this is (input read from a Terraform plan or
    /// source), and the attribute the member comes from. With the `terraform` feature.
    #[cfg(feature = "terraform")]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource: Option<ResourceRef>,
}

/// A Terraform resource instance and one of its attributes, as a finding or an unknown value
/// names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRef {
    /// The resource instance's address (`module.db.huaweicloud_ddm_instance.this[0]`).
    pub address: String,
    /// The resource type (`huaweicloud_ddm_instance`).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The attribute the body member comes from, in Terraform's notation (`flavor[0].num`);
    /// `None` for a member no attribute gives (a constant, or the body as a whole).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attribute: Option<String>,
    pub origin: Origin,
    /// Where the attribute is written in the configuration's `.tf` files, when they were read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<SourceRef>,
}

/// A place in a Terraform configuration's files: where an attribute is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The file, as the run names it.
    pub file: String,
    /// 1-based line and column (Unicode scalar values) of the attribute's expression.
    pub line: usize,
    pub column: usize,
}

/// Who decided a body member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The user's configuration: an attribute they set.
    User,
    /// The provider, for an attribute left unset (a default, or the empty value it sends).
    ProviderDefault,
    /// The provider, always: a value no attribute sets.
    ProviderConstant,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::User => "user",
            Origin::ProviderDefault => "provider-default",
            Origin::ProviderConstant => "provider-constant",
        }
    }
}

/// The verdict on one request body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// The API the body was checked against (`None` when it could not be told).
    pub api: Option<Api>,
    /// What the body was recognised as and why, when its API was not given (see
    /// [`crate::recognize`]); `None` when it was given or the text did not parse.
    #[serde(skip)]
    pub recognition: Option<crate::Recognition>,
    /// Sorted by position (text input) or by pointer (value input).
    pub diagnostics: Vec<Diagnostic>,
    /// The members whose values a template fills in and that were therefore not checked (only
    /// when templates are read: [`crate::Config::templates`]), in document order.
    #[serde(default)]
    pub unknown: Vec<Unknown>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The most severe diagnostic's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }

    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// A member whose value a template fills in and that was therefore not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unknown {
    /// RFC 6901 pointer of the member.
    pub pointer: String,
    /// The template expressions in it (`${GEMINIDB_PASSWORD}`; several separated by a space).
    /// Literal text around them is not repeated here (a password's literal part is never
    /// echoed).
    pub expression: String,
    /// 1-based line and column (Unicode scalar values) of the value (text input only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<usize>,
    /// The Terraform resource and attribute the value belongs to (Terraform input). With the
    /// `terraform` feature.
    #[cfg(feature = "terraform")]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource: Option<ResourceRef>,
}
