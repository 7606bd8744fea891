//! `hcdb-lint.json`: the core's configuration plus what only the CLI needs (which files, which
//! API for which file, what to ignore). Unknown keys are errors that name the key and the file.

use super::glob::Glob;
use hcdb_lint::{Api, Config, Lang, Linter, RuleSetting};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "hcdb-lint.json";

/// The file as written.
#[derive(Debug, Default)]
pub struct FileConfig {
    pub lang: Option<Lang>,
    pub rules: BTreeMap<String, RuleSetting>,
    pub tables: BTreeMap<String, serde_json::Map<String, Value>>,
    pub context: serde_json::Map<String, Value>,
    pub max_input_bytes: Option<usize>,
    pub max_depth: Option<usize>,
    /// The documented contract only (observed acceptances are errors again).
    pub strict: bool,
    /// Show info findings in the human and github formats.
    pub show_infos: bool,
    /// Globs of the files to check when no path is given.
    pub files: Vec<String>,
    /// Glob -> API, tried in the order written; the first match wins.
    pub apis: Vec<(String, String)>,
    pub ignore: Vec<IgnoreEntry>,
    /// `"templates": false` reads bodies as plain JSON.
    pub templates: Option<bool>,
    /// Template variables (values never echoed).
    pub vars: BTreeMap<String, String>,
    /// Look template variables up in the environment.
    pub env: bool,
    /// Every unknown value is an error.
    pub fail_on_unknown: bool,
    /// `"unrecognized": "error"`: JSON that is not a covered API's request body is an error
    /// (HC014) rather than skipped.
    pub unrecognized_error: bool,
    /// Where the documentation site is hosted (rule links in SARIF and `explain`).
    pub docs_url: Option<String>,
    /// `"terraform": false` reads plan documents as plain JSON.
    pub terraform: Option<bool>,
    /// Rules per Terraform resource address glob, in the order written.
    pub terraform_rules: AddressRules,
}

/// Every top-level key, for the error on an unknown one.
pub const KEYS: [&str; 19] = [
    "$schema",
    "lang",
    "rules",
    "tables",
    "context",
    "max_input_bytes",
    "max_depth",
    "strict",
    "show_infos",
    "files",
    "apis",
    "ignore",
    "templates",
    "vars",
    "env",
    "fail_on_unknown",
    "unrecognized",
    "docs_url",
    "terraform",
];

/// Parse the file key by key, so that every error names its key (`rules.GDB120`,
/// `ignore[2].pointer`), which serde's untagged enums and nested structs would not.
fn parse_file(text: &str) -> Result<FileConfig, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(root) = root else {
        return Err("the file must hold a JSON object".into());
    };
    fn typed<T: serde::de::DeserializeOwned>(key: &str, v: &Value) -> Result<T, String> {
        serde_json::from_value(v.clone()).map_err(|e| format!("{key}: {e}"))
    }
    fn object<'a>(key: &str, v: &'a Value) -> Result<&'a serde_json::Map<String, Value>, String> {
        v.as_object()
            .ok_or_else(|| format!("{key}: expected an object"))
    }
    let mut out = FileConfig::default();
    for (key, v) in &root {
        match key.as_str() {
            "$schema" => {}
            "lang" => out.lang = Some(typed(key, v)?),
            "rules" => out.rules = parse_rules(key, v)?,
            "tables" => out.tables = typed(key, v)?,
            "context" => out.context = object(key, v)?.clone(),
            "max_input_bytes" => out.max_input_bytes = Some(typed(key, v)?),
            "max_depth" => out.max_depth = Some(typed(key, v)?),
            "strict" => out.strict = typed(key, v)?,
            "show_infos" => out.show_infos = typed(key, v)?,
            "files" => out.files = typed(key, v)?,
            "apis" => {
                for (glob, api) in object(key, v)? {
                    if !api.is_string() {
                        return Err(format!("apis.{glob}: expected an API id string"));
                    }
                }
                // serde_json's map is sorted; read the entries again in the order written.
                let ordered: ApisInOrder =
                    serde_json::from_str(text).map_err(|e| format!("apis: {e}"))?;
                out.apis = ordered.apis;
            }
            "ignore" => {
                let list = v
                    .as_array()
                    .ok_or_else(|| "ignore: expected an array".to_string())?;
                for (i, e) in list.iter().enumerate() {
                    out.ignore.push(typed(&format!("ignore[{i}]"), e)?);
                }
            }
            "templates" => out.templates = Some(typed(key, v)?),
            "vars" => out.vars = vars_object(key, v)?,
            "env" => out.env = typed(key, v)?,
            "fail_on_unknown" => out.fail_on_unknown = typed(key, v)?,
            "unrecognized" => {
                out.unrecognized_error = match v.as_str() {
                    Some("skip") => false,
                    Some("error") => true,
                    _ => return Err("unrecognized: expected \"skip\" or \"error\"".into()),
                }
            }
            "docs_url" => out.docs_url = Some(docs_url(key, v)?),
            "terraform" => match v {
                Value::Bool(b) => out.terraform = Some(*b),
                Value::Object(_) => out.terraform_rules = terraform_rules(text)?,
                _ => return Err(TERRAFORM_SHAPE.into()),
            },
            other => {
                return Err(format!(
                    "{other}: unknown key; expected one of {}",
                    KEYS.join(", ")
                ))
            }
        }
    }
    Ok(out)
}

/// The documentation site's address: an absolute http(s) URL, so that the links built from it
/// work wherever the output is read (a SARIF viewer, a CI log).
pub fn docs_url(key: &str, v: &Value) -> Result<String, String> {
    let url = v
        .as_str()
        .ok_or_else(|| format!("{key}: expected a URL string"))?;
    let ok = ["https://", "http://"]
        .iter()
        .any(|s| url.starts_with(s) && url.len() > s.len());
    if !ok || url.contains(char::is_whitespace) {
        return Err(format!(
            "{key}: expected an absolute http(s) URL such as https://docs.example.com/hcdb-lint/"
        ));
    }
    Ok(url.to_string())
}

/// Terraform resource address globs and their rules, in the order written.
pub type AddressRules = Vec<(String, BTreeMap<String, RuleSetting>)>;

const TERRAFORM_SHAPE: &str = "terraform: expected false, true or an object of resource address \
     globs, each {\"rules\": {...}}";

/// A `rules` object: rule id or name -> setting, every error naming its key.
fn parse_rules(key: &str, v: &Value) -> Result<BTreeMap<String, RuleSetting>, String> {
    let map = v
        .as_object()
        .ok_or_else(|| format!("{key}: expected an object"))?;
    let mut out = BTreeMap::new();
    for (rule, setting) in map {
        let parsed: RuleSetting = serde_json::from_value(setting.clone()).map_err(|_| {
            format!(
                "{key}.{rule}: expected \"off\", \"info\", \"warning\", \"error\" or \
                 {{\"severity\": ..., \"options\": {{...}}}}"
            )
        })?;
        if let (RuleSetting::Full { .. }, Some(m)) = (&parsed, setting.as_object()) {
            // untagged enums accept unknown keys; reject them here.
            if let Some(k) = setting_unknown_key(m) {
                return Err(format!(
                    "{key}.{rule}.{k}: unknown key; expected severity or options"
                ));
            }
        }
        out.insert(rule.clone(), parsed);
    }
    Ok(out)
}

/// The `terraform` object's entries in the order written: address glob -> `{"rules": {...}}`.
fn terraform_rules(text: &str) -> Result<AddressRules, String> {
    #[derive(Deserialize)]
    struct InOrder {
        #[serde(deserialize_with = "entries_in_order")]
        terraform: Vec<(String, Value)>,
    }
    let ordered: InOrder = serde_json::from_str(text).map_err(|_| TERRAFORM_SHAPE.to_string())?;
    let mut out = Vec::new();
    for (glob, entry) in ordered.terraform {
        let key = format!("terraform.{glob}");
        let Some(entry) = entry.as_object() else {
            return Err(format!("{key}: expected {{\"rules\": {{...}}}}"));
        };
        if let Some(k) = entry.keys().find(|k| *k != "rules") {
            return Err(format!("{key}.{k}: unknown key; expected rules"));
        }
        let rules = match entry.get("rules") {
            Some(r) => parse_rules(&format!("{key}.rules"), r)?,
            None => BTreeMap::new(),
        };
        out.push((glob, rules));
    }
    Ok(out)
}

/// Whether a resource address matches a glob: `*` stands for any text, `?` for one character.
pub fn address_matches(glob: &str, address: &str) -> bool {
    let (g, a): (Vec<char>, Vec<char>) = (glob.chars().collect(), address.chars().collect());
    // The classic two-pointer match, backtracking to the last `*`.
    let (mut gi, mut ai, mut star, mut mark) = (0, 0, None, 0);
    while ai < a.len() {
        match g.get(gi) {
            Some('*') => {
                star = Some(gi);
                mark = ai;
                gi += 1;
            }
            Some(&c) if c == '?' || c == a[ai] => {
                gi += 1;
                ai += 1;
            }
            _ => match star {
                Some(s) => {
                    gi = s + 1;
                    mark += 1;
                    ai = mark;
                }
                None => return false,
            },
        }
    }
    g[gi..].iter().all(|&c| c == '*')
}

/// Template variables from a JSON object: a string is the value itself, any other JSON value
/// its JSON text (`3`, `true`, `{"a": 1}`). Errors name the variable, never its value.
pub fn vars_object(key: &str, v: &Value) -> Result<BTreeMap<String, String>, String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{key}: expected an object of variable names and values"))?;
    let mut out = BTreeMap::new();
    for (name, value) in obj {
        if name.is_empty() {
            return Err(format!("{key}: a variable name is empty"));
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => return Err(format!("{key}.{name}: null is not a value")),
            other => other.to_string(),
        };
        out.insert(name.clone(), text);
    }
    Ok(out)
}

/// Only `apis`, as a list in document order.
#[derive(Deserialize)]
struct ApisInOrder {
    #[serde(default, deserialize_with = "entries_in_order")]
    apis: Vec<(String, String)>,
}

fn entries_in_order<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<(String, T)>, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<(String, T)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object mapping file globs to API ids")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, T>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V(std::marker::PhantomData))
}

fn setting_unknown_key(m: &serde_json::Map<String, Value>) -> Option<&str> {
    m.keys()
        .map(String::as_str)
        .find(|k| *k != "severity" && *k != "options")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    pub files: String,
    #[serde(default)]
    pub pointer: Option<String>,
    #[serde(default)]
    pub rule: Option<String>,
    /// Why the finding is accepted; for readers only.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A configuration ready to use.
pub struct Resolved {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Globs and relative paths are resolved against this directory.
    pub base: PathBuf,
    pub core: Config,
    pub files: Vec<Glob>,
    pub apis: Vec<(Glob, Api)>,
    pub ignore: Vec<Ignore>,
    /// The file's `show_infos`.
    pub show_infos: bool,
    /// The file's `"unrecognized": "error"`.
    pub unrecognized_error: bool,
    /// The file's `docs_url`.
    pub docs_url: Option<String>,
    /// Plan documents are read as Terraform plans (unless the file says `"terraform": false`).
    pub terraform: bool,
    /// Rules per Terraform resource address glob, in the order written (the first match wins).
    pub terraform_rules: AddressRules,
}

pub struct Ignore {
    pub files: Glob,
    pub pointer: Option<Vec<String>>,
    /// The rule id (names are resolved to ids).
    pub rule: Option<String>,
}

impl Ignore {
    pub fn covers(&self, rel_path: &str, rule: &str, pointer: &str) -> bool {
        self.files.matches(rel_path)
            && self.rule.as_deref().is_none_or(|r| r == rule)
            && self
                .pointer
                .as_ref()
                .is_none_or(|p| pointer_covers(p, pointer))
    }
}

/// An ignore pointer covers itself and everything under it; a `*` token matches any one token.
fn pointer_covers(pattern: &[String], pointer: &str) -> bool {
    let toks: Vec<&str> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer.split('/').skip(1).collect()
    };
    pattern.len() <= toks.len() && pattern.iter().zip(&toks).all(|(p, t)| p == "*" || p == t)
}

/// A configuration problem: exit 2.
#[derive(Debug)]
pub struct ConfigProblem(pub String);

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `hcdb-lint.json` in `start` or the nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn read_json_file(path: &Path, what: &str) -> Result<String, ConfigProblem> {
    std::fs::read_to_string(path).map_err(|e| {
        ConfigProblem(format!(
            "cannot read {what} {}: {}",
            path.display(),
            super::io_reason(&e, path)
        ))
    })
}

/// Read and check a config file (or the defaults when `path` is `None`).
pub fn load(path: Option<&Path>, cwd: &Path) -> Result<Resolved, ConfigProblem> {
    let (file, base) = match path {
        Some(p) => {
            let text = read_json_file(p, "config file")?;
            let file =
                parse_file(&text).map_err(|e| ConfigProblem(format!("{}: {e}", p.display())))?;
            let abs = if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            };
            let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            (file, super::paths::normalize(&base))
        }
        None => (FileConfig::default(), cwd.to_path_buf()),
    };
    let name = path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(defaults)".into());
    let bad = |key: String, msg: String| ConfigProblem(format!("{name}: {key}: {msg}"));

    let defaults = Config::default();
    let core = Config {
        lang: file.lang.unwrap_or(defaults.lang),
        rules: file.rules,
        tables: file.tables,
        context: file.context,
        max_input_bytes: file.max_input_bytes.unwrap_or(defaults.max_input_bytes),
        max_depth: file.max_depth.unwrap_or(defaults.max_depth),
        // On unless the file turns templates off (the CLI's flags come on top).
        templates: (file.templates != Some(false)).then_some(hcdb_lint::Templates {
            vars: file.vars,
            env: file.env,
            fail_on_unknown: file.fail_on_unknown,
        }),
        strict: file.strict,
    };
    let files = file
        .files
        .iter()
        .enumerate()
        .map(|(i, g)| Glob::new(g).map_err(|e| bad(format!("files[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    let apis = file
        .apis
        .iter()
        .map(|(g, a)| {
            let glob = Glob::new(g).map_err(|e| bad(format!("apis.{g}"), e))?;
            let api = a
                .parse::<Api>()
                .map_err(|e| bad(format!("apis.{g}"), e.to_string()))?;
            Ok((glob, api))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ignore = file
        .ignore
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let _ = &e.reason;
            let files = Glob::new(&e.files).map_err(|m| bad(format!("ignore[{i}].files"), m))?;
            let rule = match &e.rule {
                None => None,
                Some(r) => Some(
                    Linter::default_ref()
                        .rule(r)
                        .map(|d| d.id.clone())
                        .ok_or_else(|| {
                            bad(
                                format!("ignore[{i}].rule"),
                                format!("no rule has the id or name `{r}`"),
                            )
                        })?,
                ),
            };
            let pointer = match &e.pointer {
                None => None,
                Some(p) if p.is_empty() => Some(Vec::new()),
                Some(p) if p.starts_with('/') => {
                    Some(p.split('/').skip(1).map(|t| t.to_string()).collect())
                }
                Some(p) => {
                    return Err(bad(
                        format!("ignore[{i}].pointer"),
                        format!("`{p}` is not a JSON Pointer (it must be empty or start with /)"),
                    ))
                }
            };
            Ok(Ignore {
                files,
                pointer,
                rule,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Resolved {
        path: path.map(Path::to_path_buf),
        base,
        core,
        files,
        apis,
        ignore,
        show_infos: file.show_infos,
        unrecognized_error: file.unrecognized_error,
        docs_url: file.docs_url,
        terraform: file.terraform != Some(false),
        terraform_rules: file.terraform_rules,
    })
}

/// Read a `--context FILE`: a JSON object of context keys (docs/reading-the-pages.md#decision-15).
pub fn load_context(path: &Path) -> Result<serde_json::Map<String, Value>, ConfigProblem> {
    let text = read_json_file(path, "context file")?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ConfigProblem(format!(
            "{}: the context file must be a JSON object",
            path.display()
        ))),
        Err(e) => Err(ConfigProblem(format!("{}: {e}", path.display()))),
    }
}

/// Read a `--vars FILE`: a JSON object (as the config file's `vars`), or `NAME=VALUE` lines as
/// in a `.env` file (blank lines and `#` comments skipped, an `export ` prefix and quotes around
/// the value removed). The file is only read. Errors name the file and line, never a value.
pub fn load_vars(path: &Path) -> Result<BTreeMap<String, String>, ConfigProblem> {
    let text = read_json_file(path, "vars file")?;
    let fail = |m: String| ConfigProblem(format!("{}: {m}", path.display()));
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let v: Value = serde_json::from_str(trimmed).map_err(|e| {
            fail(format!(
                "not valid JSON: line {}, column {}",
                e.line(),
                e.column()
            ))
        })?;
        return vars_object("vars", &v).map_err(fail);
    }
    let mut out = BTreeMap::new();
    for (i, line) in trimmed.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (name, value) = parse_assignment(line)
            .ok_or_else(|| fail(format!("line {}: expected NAME=VALUE", i + 1)))?;
        out.insert(name.to_string(), value.to_string());
    }
    Ok(out)
}

/// `NAME=VALUE` (also from `--var`): the name trimmed and non-empty, the value with one pair of
/// surrounding quotes removed.
pub fn parse_assignment(s: &str) -> Option<(&str, &str)> {
    let (name, value) = s.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let value = value.trim();
    let unquoted = [b'"', b'\''].iter().find_map(|&q| {
        let b = value.as_bytes();
        (b.len() >= 2 && b[0] == q && b[b.len() - 1] == q).then(|| &value[1..value.len() - 1])
    });
    Some((name, unquoted.unwrap_or(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_and_vars_files() {
        assert_eq!(parse_assignment("A=1"), Some(("A", "1")));
        assert_eq!(parse_assignment(" PW = \"x=y\" "), Some(("PW", "x=y")));
        assert_eq!(parse_assignment("E='it'"), Some(("E", "it")));
        assert_eq!(parse_assignment("=1"), None);
        assert_eq!(parse_assignment("novalue"), None);
        let d = tempfile::tempdir().unwrap();
        let env = d.path().join("a.env");
        std::fs::write(&env, "# comment\n\nexport A=1\nB=\"two words\"\n").unwrap();
        let v = load_vars(&env).unwrap();
        assert_eq!((v["A"].as_str(), v["B"].as_str()), ("1", "two words"));
        let json = d.path().join("v.json");
        std::fs::write(&json, r#"{"N": 3, "S": "s", "O": {"a": 1}}"#).unwrap();
        let v = load_vars(&json).unwrap();
        assert_eq!((v["N"].as_str(), v["S"].as_str()), ("3", "s"));
        assert_eq!(v["O"], r#"{"a":1}"#);
        std::fs::write(&env, "A=1\nSECRET_VALUE_NO_EQUALS\n").unwrap();
        let e = load_vars(&env).unwrap_err().0;
        assert!(e.contains("line 2") && !e.contains("SECRET_VALUE"), "{e}");
    }

    fn ptr(p: &str) -> Vec<String> {
        p.split('/').skip(1).map(str::to_string).collect()
    }

    #[test]
    fn ignore_pointers_cover_their_subtree_and_star_tokens() {
        assert!(pointer_covers(&ptr("/flavor"), "/flavor/0/num"));
        assert!(pointer_covers(&ptr("/flavor/*/num"), "/flavor/3/num"));
        assert!(!pointer_covers(&ptr("/flavor/*/num"), "/flavor/3/size"));
        assert!(!pointer_covers(&ptr("/flavor/0"), "/flavor"));
        assert!(!pointer_covers(&ptr("/name"), "/names"));
        assert!(pointer_covers(&[], ""));
        assert!(pointer_covers(&[], "/anything"));
    }

    #[test]
    fn config_errors_name_the_key() {
        let err = |t: &str| parse_file(t).err().unwrap_or_default();
        assert!(
            err(r#"{"rules": {"X": {"severity": "off", "bad": 1}}}"#).starts_with("rules.X.bad")
        );
        assert!(err(r#"{"ignore": {}}"#).starts_with("ignore:"));
        assert!(err(r#"{"apis": {"*.json": 3}}"#).starts_with("apis.*.json"));
        assert!(err(r#"{"max_depth": -1}"#).starts_with("max_depth"));
        assert!(parse_file(
            r#"{"$schema": "x", "apis": {"b": "ddm-scale-out", "a": "ddm-scale-out"}}"#
        )
        .is_ok_and(|f| f.apis[0].0 == "b"));
    }
}
