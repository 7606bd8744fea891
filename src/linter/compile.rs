//! Config compilation: a [`Config`] and the packs become a [`Linter`] (levels, option
//! overrides, merged tables, context keys, the wording vocabulary and templates).

use super::{Linter, Special, Template};
use crate::config::{Config, ConfigError, RuleSetting, Severity};
use crate::engine::pack::{CondDef, Text};
use crate::engine::{Engine, Generic, Placeholders, RuleIndex};
use crate::packs::{packs, RuleDoc};
use crate::template::Vars;
use crate::Api;
use serde_json::Value;
use std::sync::Arc;

impl Linter {
    /// Compile the packs with a configuration. Fails on an unknown rule, a bad option, table or
    /// context key, naming it.
    pub fn new(config: Config) -> Result<Linter, ConfigError> {
        let packs = packs()?;
        let mut levels: Vec<Option<Severity>> = packs
            .docs
            .iter()
            .map(|d| Some(d.default_severity))
            .collect();
        let mut overrides: Vec<Option<serde_json::Map<String, Value>>> = vec![None; levels.len()];
        for (key, setting) in &config.rules {
            let idx = packs
                .ids
                .get(key)
                .ok_or_else(|| ConfigError::UnknownRule { key: key.clone() })?;
            let (level, options) = match setting {
                RuleSetting::Level(l) => (Some(*l), None),
                RuleSetting::Full { severity, options } => (*severity, Some(options)),
            };
            if let Some(l) = level {
                levels[idx] = l.severity();
            }
            if let Some(opts) = options.filter(|o| !o.is_empty()) {
                // The engine's own rules have no check parameters: options would do nothing.
                if packs.docs[idx].api.is_none() {
                    return Err(ConfigError::BadOptions {
                        key: key.clone(),
                        message: "this rule is built into the engine and takes no options".into(),
                    });
                }
                overrides[idx] = Some(opts.clone());
            }
        }
        for key in config.tables.keys() {
            key.parse::<Api>().map_err(|e| ConfigError::BadTables {
                key: key.clone(),
                message: e.to_string(),
            })?;
        }
        let placeholders = Placeholders::from_table(packs.common.tables.get("placeholders"));
        let index = RuleIndex { ids: &packs.ids };
        let mut engines = Vec::with_capacity(3);
        for (api, pack) in Api::ALL.iter().zip(&packs.apis) {
            let mut tables = Value::Object(pack.tables.clone());
            if let Some(over) = config.tables.get(api.id()) {
                for k in over.keys() {
                    if !pack.tables.contains_key(k) {
                        return Err(ConfigError::BadTables {
                            key: format!("{api}.{k}"),
                            message: "the pack has no such table".into(),
                        });
                    }
                }
                deep_merge(&mut tables, &Value::Object(over.clone()));
            }
            let Value::Object(tables) = tables else {
                unreachable!("tables stay an object")
            };
            let engine = Engine::compile(
                pack,
                &index,
                &overrides,
                tables,
                placeholders.clone(),
                config.strict,
            )
            .map_err(|message| {
                // An override is the likeliest cause: name the rule key if one is involved.
                let key = config
                    .rules
                    .keys()
                    .find(|k| {
                        packs.ids.get(k).is_some_and(|i| {
                            crate::engine::contains_str(
                                &message,
                                &format!("rule {}:", packs.docs[i].id),
                            )
                        })
                    })
                    .cloned();
                match key {
                    Some(key) => ConfigError::BadOptions { key, message },
                    None => ConfigError::Pack {
                        pack: api.id().into(),
                        message,
                    },
                }
            })?;
            engines.push(engine);
        }
        let known_context = context_keys(&packs.docs);
        for (k, v) in &config.context {
            if !known_context.contains(&k.as_str()) {
                return Err(ConfigError::BadContext {
                    key: k.clone(),
                    message: format!("unknown context key; known: {}", known_context.join(", ")),
                });
            }
            check_context_value(k, v)?;
        }
        if config.max_depth == 0 || config.max_input_bytes == 0 {
            return Err(ConfigError::BadValue {
                key: "max_depth/max_input_bytes".into(),
                message: "must be greater than 0".into(),
            });
        }
        let id = |s: &str| packs.ids.get(s).unwrap_or(usize::MAX);
        // Common entries first, then each API's; sorted stably and the last of equal codes
        // kept, so that an API's wording wins.
        let mut vocabulary: Vec<(String, Text)> = packs
            .common
            .vocabulary
            .iter()
            .chain(packs.apis.iter().flat_map(|p| &p.vocabulary))
            .cloned()
            .collect();
        crate::sort::sort_by(&mut vocabulary, |a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, Text)> = Vec::with_capacity(vocabulary.len());
        for entry in vocabulary {
            match merged.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => merged.push(entry),
            }
        }
        Ok(Linter {
            lang: config.lang,
            engines,
            docs: &packs.docs,
            error_levels: levels
                .iter()
                .map(|l| l.filter(|s| *s == Severity::Error))
                .collect(),
            levels,
            generic: Generic {
                missing_required: id("missing-required"),
                wrong_type: id("wrong-type"),
                coerced_type: id("coerced-type"),
                null_value: id("null-member"),
                unknown_member: id("unknown-member"),
                placeholder: id("placeholder-value"),
                plaintext_password: id("plaintext-password"),
            },
            special: Special {
                invalid_json: id("invalid-json"),
                not_object: id("not-an-object"),
                duplicate_key: id("duplicate-key"),
                too_large: id("input-too-large"),
                too_deep: id("nesting-too-deep"),
                invalid_utf8: id("invalid-utf8"),
                unknown_api: id("unknown-api"),
                template_value: id("template-value"),
                unknown_value: id("unknown-value"),
            },
            vocabulary: Arc::new(merged),
            observed_templates: Arc::new(["observed_message", "observed_help"].map(|code| {
                let text = packs.common.vocabulary.iter().find(|(k, _)| k == code);
                Template::compile(text.map_or("", |(_, t)| t.get(config.lang)))
            })),
            templates: Arc::new(
                packs
                    .docs
                    .iter()
                    .map(|d| {
                        [
                            Template::compile(d.message.get(config.lang)),
                            Template::compile(d.help.get(config.lang)),
                        ]
                    })
                    .collect(),
            ),
            context: config.context,
            max_input_bytes: config.max_input_bytes,
            max_depth: config.max_depth,
            vars: config.templates.as_ref().map(|t| Arc::new(Vars::new(t))),
        })
    }
}

fn deep_merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => deep_merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

/// The context keys the packs read.
fn context_keys(docs: &[RuleDoc]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    fn from_cond<'a>(c: &'a CondDef, keys: &mut Vec<&'a str>) {
        if let Some(k) = &c.context {
            keys.push(k);
        }
        for list in [&c.all, &c.any].into_iter().flatten() {
            for c in list {
                from_cond(c, keys);
            }
        }
        if let Some(n) = &c.not {
            from_cond(n, keys);
        }
    }
    for d in docs {
        if let Some(k) = d.check.get("key").and_then(Value::as_str) {
            keys.push(k);
        }
        if let Some(w) = &d.when {
            from_cond(w, &mut keys);
        }
    }
    crate::sort::sort_by(&mut keys, |a, b| a.cmp(b));
    keys.dedup();
    keys
}

fn check_context_value(key: &str, v: &Value) -> Result<(), ConfigError> {
    let ok = match v {
        Value::Array(a) => a.iter().all(Value::is_string),
        Value::Number(n) => n.as_i64().is_some(),
        Value::Object(o) => o.values().all(|x| x.as_i64().is_some()),
        Value::Null => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ConfigError::BadContext {
            key: key.to_string(),
            message: "expected a list of strings, a whole number, or an object of whole numbers"
                .into(),
        })
    }
}
