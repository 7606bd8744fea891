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
pub mod json;
mod linter;
mod meta;
mod report;
mod sort;

pub use api::{detect_api, Api, ParseApiError};
pub use config::{Config, ConfigError, Lang, Level, RuleSetting, Severity};
pub use docs::{reality_markdown, rule_markdown, rules_markdown};
pub use json::Span;
pub use linter::{Linter, RuleDoc};
pub use meta::FieldMeta;
pub use report::{Diagnostic, Report};

/// Check JSON text with the default configuration.
pub fn check(api: Api, text: &str) -> Report {
    Linter::default_ref().check_str(api, text)
}

/// Check a parsed value with the default configuration.
pub fn check_value(api: Api, value: &serde_json::Value) -> Report {
    Linter::default_ref().check_value(api, value)
}
