//! The rule packs as the crate embeds them (build.rs minifies `rules/*.json`), read once and
//! shared by every linter: the packs, each rule's documentation, and rule ids and names to
//! rule indexes.

use crate::config::{ConfigError, Severity};
use crate::engine::pack::{CondDef, Examples, Pack, Source, Text};
use crate::json;
use crate::Api;
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

// The packs as build.rs embeds them: rules/*.json without the whitespace between tokens.
const COMMON: &str = include_str!(concat!(env!("OUT_DIR"), "/common.json"));
const PACK_SOURCES: [(Api, &str); 3] = [
    (
        Api::DdmCreateInstance,
        include_str!(concat!(env!("OUT_DIR"), "/ddm-create-instance.json")),
    ),
    (
        Api::DdmScaleOut,
        include_str!(concat!(env!("OUT_DIR"), "/ddm-scale-out.json")),
    ),
    (
        Api::GeminidbCreateInstance,
        include_str!(concat!(env!("OUT_DIR"), "/geminidb-create-instance.json")),
    ),
];

/// A rule's documentation and data, as the packs give it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    pub id: String,
    pub name: String,
    /// `None` for the linter rules common to every API.
    pub api: Option<Api>,
    pub default_severity: Severity,
    /// When it fires, the member it reports is ignored by the service (its other rules are
    /// silent).
    pub member_ignored: bool,
    /// Values the pages forbid that the service is known to accept, with the evidence: a
    /// warning instead of this rule's error, unless the configuration is `strict`.
    pub observed: Vec<crate::engine::pack::Observed>,
    pub summary: Text,
    pub message: Text,
    pub help: Text,
    pub why: Text,
    pub examples: Examples,
    pub source: Source,
    pub targets: Vec<String>,
    pub when: Option<CondDef>,
    pub check: Value,
    /// The fix the rule offers, as the pack declares it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::engine::pack::FixDef>,
}

/// The parsed packs, shared by every linter.
pub(crate) struct Packs {
    pub common: Pack,
    pub apis: Vec<Pack>,
    pub docs: Vec<RuleDoc>,
    pub ids: RuleIds,
}

/// Rule ids and names to rule indexes: sorted, searched by halving (no hash table in the
/// browser package).
#[derive(Debug, Default)]
pub struct RuleIds(Vec<(String, usize)>);

impl RuleIds {
    /// From (key, index) pairs; `Err(key)` for a key given twice.
    fn new(mut keys: Vec<(String, usize)>) -> Result<RuleIds, String> {
        crate::sort::sort_by(&mut keys, |a, b| a.0.cmp(&b.0));
        if let Some(w) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(w[0].0.clone());
        }
        Ok(RuleIds(keys))
    }

    pub fn get(&self, key: &str) -> Option<usize> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1)
    }
}

/// The packs in binary form (build.rs), all of them: tested against the JSON.
#[cfg(test)]
const PACKS_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/packs.bin"));

/// The packs in binary form without what the browser package never shows (pack titles and
/// source lists, field sources, unchecked parameters) and without the rule documentation it
/// serves from a file of its own (summaries, reasons, examples, rule sources): read by the
/// browser package instead of the JSON.
#[cfg(any(feature = "compact", test))]
const PACKS_BROWSER_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/packs-browser.bin"));

/// The common pack and the API packs, from their binary form: the browser package carries no
/// pack readers (the native build reads and validates the JSON; a test compares the two).
#[cfg(feature = "compact")]
fn read_packs() -> Result<(Pack, Vec<Pack>), ConfigError> {
    crate::engine::packbin::decode(PACKS_BROWSER_BIN, Api::ALL.len()).ok_or_else(|| {
        ConfigError::Pack {
            pack: "packs.bin".into(),
            message: "the binary rule packs do not decode (a build defect)".into(),
        }
    })
}

/// The common pack and the API packs, read from the JSON and validated.
#[cfg(not(feature = "compact"))]
fn read_packs() -> Result<(Pack, Vec<Pack>), ConfigError> {
    read_json_packs()
}

#[cfg_attr(feature = "compact", allow(dead_code))]
fn read_json_packs() -> Result<(Pack, Vec<Pack>), ConfigError> {
    // Read with the crate's own JSON parser and the packs' hand-written readers (no derived
    // deserializer).
    let parse = |name: &str, src: &str| -> Result<Pack, ConfigError> {
        let fail = |message: String| ConfigError::Pack {
            pack: name.to_string(),
            message,
        };
        let opts = json::ParseOptions {
            max_depth: usize::MAX,
        };
        let root = json::parse_with(src, &opts).map_err(|e| fail(e.to_string()))?;
        if let Some((path, _)) = json::find_duplicates(&root).into_iter().next() {
            return Err(fail(format!(
                "duplicate member `{}`",
                json::to_pointer(&path)
            )));
        }
        Pack::from_value(&root.to_serde()).map_err(fail)
    };
    let common = parse("common", COMMON)?;
    let apis = PACK_SOURCES
        .iter()
        .map(|(api, src)| parse(api.id(), src))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((common, apis))
}

fn load_packs() -> Result<Packs, ConfigError> {
    let (common, apis) = read_packs()?;
    let mut docs = Vec::new();
    let mut keys = Vec::new();
    let all = std::iter::once((None, &common))
        .chain(apis.iter().zip(Api::ALL).map(|(p, a)| (Some(a), p)));
    for (api, pack) in all {
        for r in &pack.rules {
            keys.push((r.id.clone(), docs.len()));
            keys.push((r.name.clone(), docs.len()));
            docs.push(RuleDoc {
                id: r.id.clone(),
                name: r.name.clone(),
                api,
                default_severity: r.severity,
                member_ignored: r.member_ignored,
                observed: r.observed.clone(),
                summary: r.summary.clone(),
                message: r.message.clone(),
                help: r.help.clone(),
                why: r.why.clone(),
                examples: r.examples.clone(),
                source: r.source.clone(),
                targets: r.targets.clone(),
                when: r.when.clone(),
                check: r.check.clone(),
                fix: r.fix.clone(),
            });
        }
    }
    let ids = RuleIds::new(keys).map_err(|key| ConfigError::Pack {
        pack: "rules".into(),
        message: format!("rule id or name {key} is used twice"),
    })?;
    Ok(Packs {
        common,
        apis,
        docs,
        ids,
    })
}

pub(crate) fn packs() -> Result<&'static Packs, ConfigError> {
    static PACKS: OnceLock<Result<Packs, ConfigError>> = OnceLock::new();
    PACKS.get_or_init(load_packs).as_ref().map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_packs_are_the_json_packs() {
        use super::{read_json_packs, PACKS_BIN, PACKS_BROWSER_BIN};
        use crate::engine::pack::{Examples, FieldDef, Pack, RuleDef, Source, Text};
        use crate::engine::packbin::decode;
        let (common, apis) = read_json_packs().unwrap();
        let (bin_common, bin_apis) = decode(PACKS_BIN, apis.len()).expect("packs.bin decodes");
        assert_eq!(bin_common, common);
        assert_eq!(bin_apis.len(), apis.len());
        for (b, j) in bin_apis.iter().zip(&apis) {
            // Field by field first, for a readable failure.
            assert_eq!(b.rules, j.rules, "{}", j.api);
            assert_eq!(b.fields, j.fields, "{}", j.api);
            assert_eq!(b, j, "{}", j.api);
        }
        // Every truncation and a trailing byte are refused, never a panic.
        for n in (0..PACKS_BIN.len()).step_by(97) {
            assert!(decode(&PACKS_BIN[..n], apis.len()).is_none(), "{n}");
        }
        // The browser's form: the same packs with what the browser package never shows
        // written empty, and nothing else different.
        let blank = || Text {
            en: String::new(),
            zh: String::new(),
        };
        let no_source = || Source {
            page: String::new(),
            table: String::new(),
            parameter: String::new(),
        };
        let lean = |p: &Pack| Pack {
            title: String::new(),
            sources: Vec::new(),
            unchecked: Vec::new(),
            rules: p
                .rules
                .iter()
                .map(|r| RuleDef {
                    summary: blank(),
                    why: blank(),
                    examples: Examples {
                        invalid: serde_json::Value::Null,
                        valid: serde_json::Value::Null,
                    },
                    source: no_source(),
                    ..r.clone()
                })
                .collect(),
            fields: p
                .fields
                .iter()
                .map(|f| FieldDef {
                    source: no_source(),
                    ..f.clone()
                })
                .collect(),
            ..p.clone()
        };
        let (b_common, b_apis) = decode(PACKS_BROWSER_BIN, apis.len()).unwrap();
        assert_eq!(b_common, lean(&common));
        for (b, j) in b_apis.iter().zip(&apis) {
            assert_eq!(*b, lean(j), "{}", j.api);
        }
        let mut longer = PACKS_BIN.to_vec();
        longer.push(0);
        assert!(decode(&longer, apis.len()).is_none());
        // Changed bytes decode to something or to nothing, never a panic.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bytes = PACKS_BIN.to_vec();
            let at = (seed % bytes.len() as u64) as usize;
            bytes[at] = (seed >> 32) as u8;
            let _ = decode(&bytes, apis.len());
        }
    }

    #[test]
    fn rule_ids_find_every_key_and_refuse_a_key_twice() {
        let keys: Vec<(String, usize)> = (0..50).map(|i| (format!("r{}", i * 7 % 50), i)).collect();
        use super::{packs, RuleIds};
        let ids = RuleIds::new(keys.clone()).unwrap();
        for (k, i) in &keys {
            assert_eq!(ids.get(k), Some(*i));
        }
        assert_eq!(ids.get("r50"), None);
        assert_eq!(ids.get(""), None);
        let mut twice = keys;
        twice.push(("r3".into(), 99));
        assert_eq!(RuleIds::new(twice).unwrap_err(), "r3");
        let packs = packs().unwrap();
        for (i, d) in packs.docs.iter().enumerate() {
            assert_eq!(packs.ids.get(&d.id), Some(i));
            assert_eq!(packs.ids.get(&d.name), Some(i));
        }
    }

    /// build.rs only drops whitespace: the embedded packs are the files' data, value for value.
    #[test]
    fn embedded_packs_are_the_files_minified() {
        let files = [
            include_str!("../rules/common.json"),
            include_str!("../rules/ddm-create-instance.json"),
            include_str!("../rules/ddm-scale-out.json"),
            include_str!("../rules/geminidb-create-instance.json"),
        ];
        let embedded = std::iter::once(COMMON).chain(PACK_SOURCES.iter().map(|(_, s)| *s));
        for (file, embedded) in files.into_iter().zip(embedded) {
            assert!(embedded.len() < file.len());
            assert!(!embedded.contains('\n'));
            let a: serde_json::Value = serde_json::from_str(file).unwrap();
            let b: serde_json::Value = serde_json::from_str(embedded).unwrap();
            assert_eq!(a, b);
        }
    }
}
