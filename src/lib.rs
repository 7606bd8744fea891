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
mod docs;
pub mod engine;
mod fix;
pub mod json;
mod linter;
mod meta;
mod packs;
mod report;
mod sort;
mod template;

pub use api::{detect_api, Api, ParseApiError};
pub use config::{Config, ConfigError, Lang, Level, RuleSetting, Severity};
pub use docs::{
    reading_anchor, reading_url, reality_markdown, rule_markdown, rules_markdown, READING_PAGE,
};
pub use fix::{
    apply_fixes, Applicability, Applied, Edit, Fix, FixOptions, Fixed, Position, MAX_ROUNDS,
};
pub use json::Span;
pub use linter::Linter;
pub use meta::FieldMeta;
pub use packs::RuleDoc;
pub use report::{Diagnostic, Report};
pub use template::{Templates, Unknown};

/// Check JSON text with the default configuration.
pub fn check(api: Api, text: &str) -> Report {
    Linter::default_ref().check_str(api, text)
}

/// Check a parsed value with the default configuration.
pub fn check_value(api: Api, value: &serde_json::Value) -> Report {
    Linter::default_ref().check_value(api, value)
}
