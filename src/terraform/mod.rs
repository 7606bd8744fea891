//! Terraform input: the huaweicloud provider's resources read as the request bodies the
//! provider sends for them.
//!
//! A reader turns its input into bodies and says where each member came from; the engine
//! judges the bodies as it judges any other (it knows nothing of Terraform), and `judge`
//! words the findings for the resource: its address, the attribute, and whether the value is
//! the user's or the provider's. Which attribute becomes which member is data
//! (`mapping`, from `rules/terraform/*.json`).

mod judge;
pub(crate) mod mapping;
mod plan;

pub use plan::{check_plan_with, is_plan};

use crate::report::Diagnostic;
use crate::template::Unknown;
use crate::Api;
use crate::Severity;
use serde::{Deserialize, Serialize};

/// The verdict on a Terraform plan document: the findings on every body its changes would
/// send, and what was and was not checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PlanReport {
    /// Sorted by position in the plan; each names its resource (`Diagnostic::resource`), but
    /// the findings about the plan itself.
    pub diagnostics: Vec<Diagnostic>,
    /// Values not known before apply, by resource and attribute.
    pub unknown: Vec<Unknown>,
    /// Every change of a resource type the mapping covers, linted or not.
    pub resources: Vec<ResourceVerdict>,
}

impl PlanReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// One resource change of a covered type, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceVerdict {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The change's actions as the plan gives them (`["delete", "create"]`).
    pub actions: Vec<String>,
    /// The request the change sends, when it was linted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub api: Option<Api>,
    /// Why it was not linted, when it was not: `no-op`, `delete`, `read`, `forget` (the
    /// action), `update` (an update that is not a scale-out), `node-decrease`,
    /// `node-count-unknown`, `deferred`, `other-provider`, `unreadable`, `schema-shape`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub not_linted: Option<String>,
}

impl ResourceVerdict {
    pub fn linted(&self) -> bool {
        self.not_linted.is_none()
    }
}

/// Every resource type the mapping covers, with the request its create sends.
pub fn covered_types() -> Vec<(&'static str, Api)> {
    mapping::mapping()
        .families
        .iter()
        .flat_map(|f| &f.resources)
        .filter_map(|r| {
            let create = r.builds.iter().find(|b| b.on == "create")?;
            Some((r.resource_type.as_str(), create.api))
        })
        .collect()
}

/// The mapping as Markdown: per resource type, the request each change sends, member by member,
/// each with the attribute it comes from and what the provider sends when it is unset.
pub fn mapping_markdown() -> String {
    mapping::markdown()
}
