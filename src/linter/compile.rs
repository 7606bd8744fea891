//! Config compilation: a [`Config`] and the packs become a [`Linter`] (levels, option
//! overrides, merged tables, context keys, the wording vocabulary and templates).

use super::{builtin, Linter, Template};
use crate::config::{Config, ConfigError, RuleSetting, Severity};
use crate::engine::check::Check;
use crate::engine::checks::options::CheckDef;
use crate::engine::pack::CondDef;
use crate::engine::{Engine, Placeholders, RuleIndex};
use crate::packs::{packs, RuleDoc};
use crate::template::Vars;
use crate::Api;
use serde_json::{Map, Value};
use std::sync::Arc;

impl Linter {
    /// Compile the packs with a configuration. Fails on an unknown rule, a bad option, table or
    /// context key, naming it.
    pub fn new(config: Config) -> Result<Linter, ConfigError> {
        let packs = packs()?;
        let (generic, special) = builtin::resolve(&packs.docs)?;
        let mut levels: Vec<Option<Severity>> = packs
            .docs
            .iter()
            .map(|d| Some(d.default_severity))
            .collect();
        // Per rule, the check a config's options make of it, compiled here (an error names the
        // rule as the config does) and moved into its engine.
        let mut overrides: Vec<Option<Check>> = levels.iter().map(|_| None).collect();
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
                    return Err(ConfigError::NoOptions { rule: key.clone() });
                }
                let check = with_options(&packs.docs[idx].check, opts);
                let check =
                    Check::compile(&CheckDef(&check)).map_err(|e| ConfigError::option(key, e))?;
                overrides[idx] = Some(check);
            }
        }
        for key in config.tables.keys() {
            key.parse::<Api>().map_err(|e| ConfigError::TablesApi {
                api: key.clone(),
                reason: e.to_string(),
            })?;
        }
        let placeholders = Placeholders::from_table(packs.common.tables.get("placeholders"));
        let mut engines = Vec::with_capacity(3);
        for (api, pack) in Api::ALL.iter().zip(&packs.apis) {
            let mut tables = pack.tables.clone();
            if let Some(over) = config.tables.get(api.id()) {
                for k in over.keys() {
                    if !tables.contains_key(k) {
                        return Err(ConfigError::UnknownTable {
                            api: api.id().into(),
                            table: k.clone(),
                        });
                    }
                }
                deep_merge(&mut tables, over);
            }
            let engine = Engine::compile(
                pack,
                &RuleIndex {
                    docs: &packs.docs,
                    api: *api,
                },
                &mut overrides,
                tables,
                placeholders.clone(),
                config.strict,
            )
            // Every override compiled above: what fails here is the pack's own.
            .map_err(|message| ConfigError::Pack {
                pack: api.id().into(),
                message,
            })?;
            engines.push(engine);
        }
        let known_context = context_keys(&packs.docs);
        for (k, v) in &config.context {
            if !known_context.contains(&k.as_str()) {
                return Err(ConfigError::Context {
                    key: k.clone(),
                    reason: format!("unknown context key; known: {}", known_context.join(", ")),
                });
            }
            check_context_value(k, v)?;
        }
        for (key, limit) in [
            ("max_depth", config.max_depth),
            ("max_input_bytes", config.max_input_bytes),
        ] {
            if limit == 0 {
                return Err(ConfigError::Limit { key: key.into() });
            }
        }
        // The codes and their wording in this linter's language, borrowed from the packs, sorted
        // by code. Of equal codes, the last given wins (an API's wording over the common pack's):
        // read backwards, it is the first after a stable sort, the one `dedup` keeps.
        let mut vocabulary: Vec<(&'static str, &'static str)> = packs
            .common
            .vocabulary
            .iter()
            .chain(packs.apis.iter().flat_map(|p| &p.vocabulary))
            .rev()
            .map(|(code, text)| (code.as_str(), text.get(config.lang)))
            .collect();
        vocabulary.sort_by(|a, b| a.0.cmp(b.0));
        vocabulary.dedup_by_key(|(code, _)| *code);
        Ok(Linter {
            lang: config.lang,
            strict: config.strict,
            engines,
            docs: &packs.docs,
            error_levels: levels
                .iter()
                .map(|l| l.filter(|s| *s == Severity::Error))
                .collect(),
            levels,
            generic,
            special,
            vocabulary: Arc::new(vocabulary),
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
            vars: config.templates.map(|t| Arc::new(Vars::new(t))),
        })
    }
}

/// `over` merged into `base`: an object into an object member by member, anything else
/// replacing what is there.
fn deep_merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => deep_merge(b, o),
            (Some(slot), v) => *slot = v.clone(),
            (None, v) => {
                base.insert(k.clone(), v.clone());
            }
        }
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
    keys.sort();
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
        Err(ConfigError::Context {
            key: key.to_string(),
            reason: "expected a list of strings, a whole number, or an object of whole numbers"
                .into(),
        })
    }
}

/// A rule's check with a config's options merged in: options that name another kind replace the
/// check (the pack's parameters belong to its own kind and would not apply), others are set
/// over the pack's parameters. What the rule's check is compiled from.
fn with_options(
    check: &Value,
    options: &serde_json::Map<String, Value>,
) -> serde_json::Map<String, Value> {
    let mut out = match check {
        Value::Object(m) if options.get("kind").is_none_or(|k| m.get("kind") == Some(k)) => {
            m.clone()
        }
        _ => serde_json::Map::new(),
    };
    for (k, v) in options {
        out.insert(k.clone(), v.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, Level, RuleSetting};
    use crate::Linter;
    use serde_json::{json, Value};

    fn refused(config: Value) -> ConfigError {
        let config: Config = serde_json::from_value(config).unwrap();
        Linter::new(config).map(|_| ()).unwrap_err()
    }

    #[test]
    fn each_error_carries_the_rule_and_key_at_fault() {
        assert_eq!(
            refused(json!({"rules": {"GDB999": "off"}})),
            ConfigError::UnknownRule {
                key: "GDB999".into()
            }
        );
        // The rule as the config names it (by name here), the reason from check compilation.
        match refused(json!({"rules": {"geminidb-port-forbidden": {"options": {"min": 5}}}})) {
            ConfigError::Option { rule, reason, .. } => {
                assert_eq!(rule, "geminidb-port-forbidden");
                assert!(reason.contains("`min`"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            refused(json!({"rules": {"HC003": {"options": {"max": 1}}}})),
            ConfigError::NoOptions {
                rule: "HC003".into()
            }
        );
        assert!(matches!(
            refused(json!({"tables": {"no-such-api": {}}})),
            ConfigError::TablesApi { api, .. } if api == "no-such-api"
        ));
        assert_eq!(
            refused(json!({"tables": {"ddm-scale-out": {"no_such_table": {}}}})),
            ConfigError::UnknownTable {
                api: "ddm-scale-out".into(),
                table: "no_such_table".into()
            }
        );
        assert!(matches!(
            refused(json!({"context": {"no_such_key": 1}})),
            ConfigError::Context { key, .. } if key == "no_such_key"
        ));
        for key in ["max_depth", "max_input_bytes"] {
            let err = refused(json!({ key: 0 }));
            assert_eq!(err, ConfigError::Limit { key: key.into() });
            assert_eq!(err.to_string(), format!("{key}: must be greater than 0"));
        }
    }

    #[test]
    fn table_overrides_merge_objects_member_by_member_and_replace_the_rest() {
        let Value::Object(mut base) = json!({"a": {"x": 1, "y": {"p": 1}}, "b": [1, 2], "c": 3})
        else {
            unreachable!()
        };
        let Value::Object(over) = json!({"a": {"y": {"q": 2}, "z": 3}, "b": [9], "c": {"n": 1}})
        else {
            unreachable!()
        };
        super::deep_merge(&mut base, &over);
        assert_eq!(
            Value::Object(base),
            json!({"a": {"x": 1, "y": {"p": 1, "q": 2}, "z": 3}, "b": [9], "c": {"n": 1}})
        );
    }

    #[test]
    fn an_option_error_reads_as_a_path_into_the_config() {
        let err = ConfigError::Option {
            rule: "GDB150".into(),
            key: Some("min".into()),
            reason: "not read".into(),
        };
        assert_eq!(err.to_string(), "rules.GDB150.options.min: not read");
        let err = ConfigError::Option {
            rule: "GDB150".into(),
            key: None,
            reason: "not read".into(),
        };
        assert_eq!(err.to_string(), "rules.GDB150.options: not read");
        // A level alone compiles nothing and is no error.
        let mut config = Config::default();
        config
            .rules
            .insert("GDB150".into(), RuleSetting::Level(Level::Warning));
        assert!(Linter::new(config).is_ok());
    }
}
