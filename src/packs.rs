//! The rule packs as the crate embeds them (build.rs reads `rules/*.json` and writes them in the
//! pack model's binary form), read once and shared by every linter: the packs, each rule's
//! documentation, and rule ids and names to rule indexes.

use crate::config::ConfigError;
use crate::engine::pack::Pack;
pub use crate::engine::rule_doc::RuleDoc;
use crate::Api;
use std::sync::OnceLock;

// The packs as build.rs embeds them: rules/*.json read and checked, in the pack model's binary
// form, without the documentation members unless the `docs` feature is on. The API packs are
// `crate::api::PACK_SOURCES`, generated with the API list.
const COMMON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/packs/common.bin"));
#[cfg(test)]
const COMMON_FULL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/full/common.bin"));
#[cfg(test)]
const COMMON_NO_DOCS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nodocs/common.bin"));

/// The parsed packs, shared by every linter.
pub(crate) struct Packs {
    /// The packs without their rules, which are moved into `docs`, the one rule table.
    pub common: Pack,
    pub apis: Vec<Pack>,
    /// Every rule, the common pack's first, then each API pack's in the order of `Api::ALL`: a
    /// rule's index here is its global index.
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
        keys.sort_by(|a, b| a.0.cmp(&b.0));
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

/// The common pack and the API packs as embedded: the one pack reader of every build.
fn read_embedded_packs() -> Result<(Pack, Vec<Pack>), ConfigError> {
    read_packs_from(COMMON, &crate::api::PACK_SOURCES)
}

/// The packs from their binary form. build.rs checked them when it wrote them (an error in a
/// pack stops the build, naming the member), so all that can go wrong here is damage.
fn read_packs_from(common: &[u8], apis: &[(Api, &[u8])]) -> Result<(Pack, Vec<Pack>), ConfigError> {
    let read = |name: &str, bytes: &[u8]| {
        Pack::from_bin(bytes).ok_or_else(|| ConfigError::Pack {
            pack: name.to_string(),
            message: "the embedded pack is damaged: rebuild the crate".into(),
        })
    };
    let common = read("common", common)?;
    let apis = apis
        .iter()
        .map(|(api, bytes)| read(api.id(), bytes))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((common, apis))
}

fn load_packs() -> Result<Packs, ConfigError> {
    let (mut common, mut apis) = read_embedded_packs()?;
    let mut docs = Vec::new();
    let mut keys = Vec::new();
    let all = std::iter::once((None, &mut common))
        .chain(apis.iter_mut().zip(Api::ALL).map(|(p, a)| (Some(a), p)));
    for (api, pack) in all {
        for r in std::mem::take(&mut pack.rules) {
            keys.push((r.id.clone(), docs.len()));
            keys.push((r.name.clone(), docs.len()));
            docs.push(RuleDoc {
                id: r.id,
                name: r.name,
                api,
                default_severity: r.severity,
                member_ignored: r.member_ignored,
                observed: r.observed,
                summary: r.summary,
                message: r.message,
                help: r.help,
                why: r.why,
                examples: r.examples,
                source: r.source,
                targets: r.targets,
                when: r.when,
                check: r.check,
                fix: r.fix,
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

    /// Without the `docs` feature the packs are embedded without their documentation members:
    /// they read to the full packs with exactly those members empty, and nothing else differs.
    #[test]
    fn docs_less_packs_are_the_full_packs_with_the_documentation_blank() {
        use super::{read_packs_from, COMMON_FULL, COMMON_NO_DOCS};
        use crate::api::{PACK_SOURCES_FULL, PACK_SOURCES_NO_DOCS};
        use crate::engine::pack::{FieldDef, Pack, RuleDef};
        let (common, apis) = read_packs_from(COMMON_FULL, &PACK_SOURCES_FULL).unwrap();
        let (bare_common, bare_apis) =
            read_packs_from(COMMON_NO_DOCS, &PACK_SOURCES_NO_DOCS).unwrap();
        let blank = |p: &Pack| Pack {
            title: String::new(),
            sources: Vec::new(),
            unchecked: Vec::new(),
            rules: p
                .rules
                .iter()
                .map(|r| RuleDef {
                    summary: Default::default(),
                    why: Default::default(),
                    examples: Default::default(),
                    source: Default::default(),
                    ..r.clone()
                })
                .collect(),
            fields: p
                .fields
                .iter()
                .map(|f| FieldDef {
                    source: Default::default(),
                    ..f.clone()
                })
                .collect(),
            ..p.clone()
        };
        assert_eq!(bare_common, blank(&common));
        assert_eq!(bare_apis.len(), apis.len());
        for (b, j) in bare_apis.iter().zip(&apis) {
            // Field by field first, for a readable failure.
            assert_eq!(b.rules, blank(j).rules, "{}", j.api);
            assert_eq!(b.fields, blank(j).fields, "{}", j.api);
            assert_eq!(*b, blank(j), "{}", j.api);
            // The documentation was there to leave out, and it is left out.
            assert!(!j.title.is_empty() && !j.unchecked.is_empty(), "{}", j.api);
            assert!(
                j.rules.iter().all(|r| !r.summary.en.is_empty()),
                "{}",
                j.api
            );
        }
        let full: usize = PACK_SOURCES_FULL.iter().map(|(_, s)| s.len()).sum();
        let bare: usize = PACK_SOURCES_NO_DOCS.iter().map(|(_, s)| s.len()).sum();
        assert!(bare < full / 2, "{bare} of {full} bytes");
        // The build embeds the form its features ask for.
        let embedded = if cfg!(feature = "docs") {
            PACK_SOURCES_FULL
        } else {
            PACK_SOURCES_NO_DOCS
        };
        assert_eq!(crate::api::PACK_SOURCES, embedded);
        assert_eq!(
            COMMON,
            if cfg!(feature = "docs") {
                COMMON_FULL
            } else {
                COMMON_NO_DOCS
            }
        );
        // Each API pack is read as its API, and the generated detection is its `detect`.
        for (api, pack) in Api::ALL.into_iter().zip(&apis) {
            assert_eq!(pack.api, api.id());
            let detect = pack.detect.as_ref().expect("an API pack has `detect`");
            assert_eq!(api.detect_member(), detect.member);
        }
        assert!(common.detect.is_none());
    }

    /// Damage to the embedded form is an error naming the pack, never a panic: a pack cut
    /// short anywhere, or with a byte left over.
    #[test]
    fn a_damaged_pack_is_an_error_naming_the_pack() {
        let api = Api::ALL[0];
        let whole = crate::api::PACK_SOURCES[0].1;
        assert!(read_packs_from(COMMON, &[(api, whole)]).is_ok());
        let step = whole.len() / 97 + 1;
        let cuts = (0..whole.len()).step_by(step).chain([whole.len() - 1]);
        for cut in cuts {
            match read_packs_from(COMMON, &[(api, &whole[..cut])]) {
                Err(ConfigError::Pack { pack, message }) => {
                    assert_eq!(pack, api.id(), "cut at {cut}");
                    assert!(message.contains("damaged"), "{message}");
                }
                other => panic!("cut at {cut}: {:?}", other.map(|_| ())),
            }
        }
        let mut longer = COMMON.to_vec();
        longer.push(0);
        match read_packs_from(&longer, &[]) {
            Err(ConfigError::Pack { pack, .. }) => assert_eq!(pack, "common"),
            other => panic!("{:?}", other.map(|_| ())),
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

    /// The embedded packs are the files' data, value for value: each file read as JSON with
    /// the pack model is what the crate reads from the binary form build.rs wrote, and writing
    /// that again gives the same bytes.
    #[test]
    fn embedded_packs_are_the_files() {
        use crate::engine::pack::{parse_json, Pack};
        let read = |name: &str| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .join(format!("{name}.json"));
            let text = std::fs::read_to_string(path).unwrap();
            Pack::from_value(&parse_json(&text).unwrap()).unwrap()
        };
        let files = std::iter::once(read("common")).chain(Api::ALL.map(|a| read(a.id())));
        let embedded = std::iter::once(COMMON_FULL)
            .chain(crate::api::PACK_SOURCES_FULL.iter().map(|(_, s)| *s));
        for (file, embedded) in files.zip(embedded) {
            let pack = Pack::from_bin(embedded).unwrap();
            assert_eq!(pack, file, "{}", file.api);
            assert_eq!(pack.to_bin(), embedded, "{}", file.api);
        }
    }
}
