//! hcdb-lint: an offline validator and linter for Huawei Cloud DDM and GeminiDB instance requests.
//!
//! ```
//! use hcdb_lint::{check, Api};
//! let report = check(Api::DdmScaleOut, r#"{"flavor_id": "f1", "node_number": 0}"#);
//! assert!(report.has_errors());
//! assert_eq!(report.diagnostics[0].pointer, "/node_number");
//! ```

mod api;
mod config;
mod doc;
mod docs;
mod edit;
// The engine and the JSON reader are internals: what belongs to the public API is re-exported
// below, and what the browser package and the CLI need besides is in `__private`.
mod engine;
mod fix;
mod json;
mod levels;
mod linter;
mod meta;
mod packs;
mod report;
mod template;
#[cfg(feature = "terraform")]
pub mod terraform;

pub use api::{detect_api, recognize, Api, ParseApiError, Recognition, Verdict};
pub use config::{Config, ConfigError, Lang, Level, RuleSetting, Severity};
pub use docs::{
    docs_page_url, reading_anchor, reading_url, reality_markdown, rule_markdown, rule_url,
    rules_markdown, DOCS_URL, READING_PAGE,
};
pub use engine::pack::{
    CondDef, Evidence, Examples, FixDef, FixEdit, Observed, Source, Text, Unchecked,
};
pub use fix::{
    apply_fixes, Applicability, Applied, Edit, Fix, FixOptions, Fixed, Position, MAX_ROUNDS,
};
pub use json::Span;
pub use linter::Linter;
pub use meta::FieldMeta;
pub use packs::RuleDoc;
pub use report::{Diagnostic, Origin, Report, ResourceRef, SourceRef};
pub use template::{Templates, Unknown};

/// What the crate's own browser package and CLI use of its internals: not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::engine::suggest;
    pub use crate::json::{parse_with, write_string, ParseOptions};
}

/// Check JSON text with the default configuration.
pub fn check(api: Api, text: &str) -> Report {
    Linter::default_ref().check_str(api, text)
}

/// Check a parsed value with the default configuration.
pub fn check_value(api: Api, value: &serde_json::Value) -> Report {
    Linter::default_ref().check_value(api, value)
}
