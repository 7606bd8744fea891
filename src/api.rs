use crate::engine::doc::{Doc, Kind};
use std::fmt;
use std::str::FromStr;

/// The request bodies hcdb-lint knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Api {
    /// DDM "Buying a DDM Instance", `POST /v1/{project_id}/instances`.
    #[serde(rename = "ddm-create-instance")]
    DdmCreateInstance,
    /// DDM "Scaling Out a DDM Instance", `POST /v2/{project_id}/instances/{instance_id}/action/enlarge`.
    #[serde(rename = "ddm-scale-out")]
    DdmScaleOut,
    /// GeminiDB "Creating an Instance", `POST /v3/{project_id}/instances`.
    #[serde(rename = "geminidb-create-instance")]
    GeminidbCreateInstance,
}

impl Api {
    pub const ALL: [Api; 3] = [
        Api::DdmCreateInstance,
        Api::DdmScaleOut,
        Api::GeminidbCreateInstance,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Api::DdmCreateInstance => "ddm-create-instance",
            Api::DdmScaleOut => "ddm-scale-out",
            Api::GeminidbCreateInstance => "geminidb-create-instance",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown API `{0}`: expected one of ddm-create-instance, ddm-scale-out, geminidb-create-instance")]
pub struct ParseApiError(pub String);

impl FromStr for Api {
    type Err = ParseApiError;
    fn from_str(s: &str) -> Result<Api, ParseApiError> {
        Api::ALL
            .into_iter()
            .find(|a| a.id() == s)
            .ok_or_else(|| ParseApiError(s.to_string()))
    }
}

/// Which API a body is for: `instance` means DDM create, `datastore` GeminiDB create,
/// `node_number` DDM scale-out.
pub fn detect_api(value: &serde_json::Value) -> Option<Api> {
    detect(value)
}

pub(crate) fn detect<D: Doc>(value: &D) -> Option<Api> {
    if value.kind() != Kind::Object {
        return None;
    }
    if value.get("instance").is_some() {
        Some(Api::DdmCreateInstance)
    } else if value.get("datastore").is_some() {
        Some(Api::GeminidbCreateInstance)
    } else if value.get("node_number").is_some() {
        Some(Api::DdmScaleOut)
    } else {
        None
    }
}
