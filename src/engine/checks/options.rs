//! Reading a check's parameters: the `check` object of a rule (with a config's `options` merged
//! in) as JSON, read by each kind into its own typed parameters, and [`CheckError`], the error a
//! parameter that is missing, ill-typed, unknown to the kind or out of range gives. Every error
//! names the key it is about, so a config error can name the rule and the key without matching
//! message text.

use serde_json::{Map, Value};

/// A check that does not compile: the key it is about (`kind` for the kind itself) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct CheckError {
    /// The parameter (option) key, e.g. `min`; `kind` when the kind is unknown or missing; for a
    /// check inside `any_of`, `alternatives`.
    pub key: String,
    pub reason: Reason,
}

/// Why a check does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// The definition is not an object.
    #[error("invalid type: {found}, expected a check object")]
    NotAnObject { found: String },
    /// No `kind`, or not a string.
    #[error("a check needs `kind`, a string")]
    NoKind,
    #[error("unknown check kind `{kind}`")]
    UnknownKind { kind: String },
    /// The kind needs a parameter that is not given.
    #[error("check `{kind}` needs `{key}`")]
    Missing {
        kind: &'static str,
        key: &'static str,
    },
    /// A parameter the kind does not read: it would be dropped silently (a config's `options`
    /// that look applied but change nothing).
    #[error("option `{key}` does not apply to a check of kind `{kind}` (it reads: {reads})")]
    NotRead {
        key: String,
        kind: &'static str,
        reads: String,
    },
    /// A parameter of the wrong JSON type.
    #[error("{key}: invalid type: {found}, expected {expected}")]
    WrongType {
        key: &'static str,
        found: String,
        expected: &'static str,
    },
    /// A parameter of the right type that the kind cannot use (a negative count, a separator of
    /// two characters, a pattern that does not compile, ...): the text says which and why.
    #[error("{0}")]
    Invalid(String),
    /// A check inside `any_of` that does not compile.
    #[error("alternatives[{alternative}][{index}]: {inner}")]
    Inner {
        alternative: usize,
        index: usize,
        inner: Box<CheckError>,
    },
    /// The kind needs a cargo feature this build leaves out.
    #[cfg_attr(feature = "pattern", allow(dead_code))]
    #[error(
        "check `{kind}` needs {what}, which this build of hcdb-lint leaves out \
             (cargo feature `{feature}`)"
    )]
    LeftOut {
        kind: &'static str,
        what: &'static str,
        feature: &'static str,
    },
}

impl CheckError {
    pub fn new(key: impl Into<String>, reason: Reason) -> CheckError {
        CheckError {
            key: key.into(),
            reason,
        }
    }

    /// A parameter of the right type that the kind cannot use, and why.
    pub fn invalid(key: &str, reason: impl Into<String>) -> CheckError {
        CheckError::new(key, Reason::Invalid(reason.into()))
    }
}

/// What a JSON value is, for an error (the value itself only where it is short and harmless: a
/// number or boolean of the check's own definition).
pub fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a sequence".into(),
        Value::Object(_) => "a map".into(),
    }
}

/// A check's definition being read by its kind: typed getters that name the key in their errors.
/// A member given as `null` reads as absent.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    kind: &'static str,
    map: &'a Map<String, Value>,
}

impl<'a> Options<'a> {
    /// `map` read by the kind `kind`, refusing every key (besides `kind`) that `reads` does not
    /// list.
    pub fn new(
        kind: &'static str,
        map: &'a Map<String, Value>,
        reads: &[&str],
    ) -> Result<Options<'a>, CheckError> {
        // Of several keys the kind does not read, the one named is a key no kind reads (a typo,
        // most likely), else the first in the kinds' order.
        if let Some(extra) = map
            .keys()
            .filter(|k| *k != "kind" && !reads.contains(&k.as_str()))
            .min_by_key(|k| super::param_rank(k))
        {
            let reads = if reads.is_empty() {
                "none".to_string()
            } else {
                let quoted: Vec<String> = reads.iter().map(|t| format!("`{t}`")).collect();
                quoted.join(", ")
            };
            return Err(CheckError::new(
                extra.clone(),
                Reason::NotRead {
                    key: extra.clone(),
                    kind,
                    reads,
                },
            ));
        }
        Ok(Options { kind, map })
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// `Some` of a parameter that must be there.
    pub fn need<T>(&self, key: &'static str, v: Option<T>) -> Result<T, CheckError> {
        v.ok_or_else(|| {
            CheckError::new(
                key,
                Reason::Missing {
                    kind: self.kind,
                    key,
                },
            )
        })
    }

    fn wrong(&self, key: &'static str, v: &Value, expected: &'static str) -> CheckError {
        CheckError::new(
            key,
            Reason::WrongType {
                key,
                found: kind_of(v),
                expected,
            },
        )
    }

    /// The raw member, for a kind that reads it in its own way (`any_of`'s nested checks).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.get(key)
    }

    pub fn string(&self, key: &'static str) -> Result<Option<String>, CheckError> {
        self.get(key)
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.wrong(key, v, "a string"))
            })
            .transpose()
    }

    pub fn int(&self, key: &'static str) -> Result<Option<i64>, CheckError> {
        self.get(key)
            .map(|v| v.as_i64().ok_or_else(|| self.wrong(key, v, "i64")))
            .transpose()
    }

    /// A count or size: a whole number, 0 or more.
    pub fn count(&self, key: &'static str) -> Result<Option<usize>, CheckError> {
        self.int(key)?
            .map(|n| {
                usize::try_from(n)
                    .map_err(|_| CheckError::invalid(key, format!("`{key}` must be 0 or more")))
            })
            .transpose()
    }

    /// A list, each item read by `item` (`None`: not the `expected` kind of item).
    fn list<T>(
        &self,
        key: &'static str,
        expected: &'static str,
        item: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>, CheckError> {
        self.get(key)
            .map(|v| {
                let list = v
                    .as_array()
                    .ok_or_else(|| self.wrong(key, v, "a sequence"))?;
                list.iter()
                    .map(|x| item(x).ok_or_else(|| self.wrong(key, x, expected)))
                    .collect()
            })
            .transpose()
    }

    /// A list of strings.
    pub fn strings(&self, key: &'static str) -> Result<Option<Vec<String>>, CheckError> {
        self.list(key, "a string", |x| x.as_str().map(str::to_string))
    }

    /// A list of lists of strings.
    pub fn string_lists(&self, key: &'static str) -> Result<Option<Vec<Vec<String>>>, CheckError> {
        let Some(lists) = self.list(key, "a sequence", |x| x.as_array().cloned())? else {
            return Ok(None);
        };
        lists
            .iter()
            .map(|inner| {
                inner
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| self.wrong(key, x, "a string"))
                    })
                    .collect()
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A list of values compared as text: strings, and numbers by their JSON text.
    pub fn texts(&self, key: &'static str) -> Result<Option<Vec<String>>, CheckError> {
        self.list(key, "a string or number", |x| match x {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }

    /// A list of whole numbers of 0 or more that fit in `u32`.
    pub fn u32s(&self, key: &'static str) -> Result<Option<Vec<u32>>, CheckError> {
        self.list(key, "a whole number of 0 or more (u32)", |x| {
            x.as_u64().and_then(|n| u32::try_from(n).ok())
        })
    }

    /// A JSON Pointer, as a string.
    pub fn pointer(
        &self,
        key: &'static str,
    ) -> Result<Option<crate::engine::path::Path>, CheckError> {
        self.string(key)?
            .map(|s| {
                crate::engine::path::Path::parse(&s).ok_or_else(|| {
                    CheckError::invalid(key, format!("`{key}` is not a JSON Pointer"))
                })
            })
            .transpose()
    }
}

/// A check's definition as written under `check` in a rule (a config's `options` merged in): the
/// JSON object each check kind reads its own typed parameters from
/// ([`super::Check::compile`]), borrowed from the rule (compiling reads it, keeps nothing of
/// it). Only its being an object with a `kind` is checked here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckDef<'a>(pub &'a Map<String, Value>);

impl<'a> CheckDef<'a> {
    /// A rule's `check` object (with a config's `options` merged in).
    pub fn from_value(v: &'a Value) -> Result<CheckDef<'a>, CheckError> {
        let m = v
            .as_object()
            .ok_or_else(|| CheckError::new("kind", Reason::NotAnObject { found: kind_of(v) }))?;
        if !m.get("kind").is_some_and(Value::is_string) {
            return Err(CheckError::new("kind", Reason::NoKind));
        }
        Ok(CheckDef(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn every_error_names_its_key() {
        let m = map(json!({"kind": "x", "min": "a", "len": -1, "list": [1], "p": "no/slash"}));
        let o = Options::new("x", &m, &["min", "len", "list", "p"]).unwrap();
        assert_eq!(o.int("min").unwrap_err().key, "min");
        assert_eq!(
            o.int("min").unwrap_err().to_string(),
            "min: invalid type: a string, expected i64"
        );
        let e = o.count("len").unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.to_string()),
            ("len", "`len` must be 0 or more".into())
        );
        assert_eq!(o.strings("list").unwrap_err().key, "list");
        assert_eq!(o.pointer("p").unwrap_err().key, "p");
        let e = o.need::<()>("other", None).unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.to_string()),
            ("other", "check `x` needs `other`".into())
        );
        // A key no kind reads (`list`, `p`) is named before another kind's (`len`).
        let e = Options::new("x", &m, &["min"]).err().unwrap();
        assert_eq!(e.key, "list");
        assert_eq!(
            e.to_string(),
            "option `list` does not apply to a check of kind `x` (it reads: `min`)"
        );
        let e = Options::new("x", &m, &["min", "list", "p"]).err().unwrap();
        assert_eq!(e.key, "len");
        let none = map(json!({"kind": "x", "min": null}));
        let o = Options::new("x", &none, &["min"]).unwrap();
        assert_eq!(o.int("min").unwrap(), None);
    }
}
