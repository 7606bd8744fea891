//! Shared pieces of the fuzz targets: a structured JSON generator biased toward the packs'
//! field names and values, and the invariants every report must hold.

use arbitrary::{Result, Unstructured};
use hcdb_lint::{Api, Linter, Report, Severity};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Rules that only text input can produce (syntax, duplicates, size, depth, encoding).
pub const TEXT_ONLY: [&str; 5] = ["HC001", "HC003", "HC011", "HC012", "HC013"];

/// Where the two secrets live.
pub const SECRET_POINTERS: [&str; 2] = ["/password", "/instance/admin_user_password"];

// `PACKS` (every rule pack) and `EXAMPLE_TEXTS` (every example body), found by build.rs.
include!(concat!(env!("OUT_DIR"), "/seeds.rs"));

/// The example bodies (valid and invalid) that structured inputs start from, each with the API
/// detected from it (an example whose API cannot be told is left out).
pub fn examples() -> &'static [(Api, &'static str)] {
    static E: OnceLock<Vec<(Api, &'static str)>> = OnceLock::new();
    E.get_or_init(|| {
        EXAMPLE_TEXTS
            .iter()
            .filter_map(|text| {
                let body = serde_json::from_str::<Value>(text).ok()?;
                Some((hcdb_lint::detect_api(&body)?, *text))
            })
            .collect()
    })
}

/// Keys, values and pointers harvested from the packs and examples.
pub struct Dictionary {
    pub keys: Vec<String>,
    pub strings: Vec<String>,
    pub pointers: Vec<String>,
    pub examples: Vec<(Api, Value)>,
}

pub fn dictionary() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| {
        let mut keys = BTreeSet::new();
        let mut strings = BTreeSet::new();
        let mut pointers = BTreeSet::new();
        let mut examples = Vec::new();
        for &(api, text) in self::examples() {
            if let Ok(v) = serde_json::from_str::<Value>(text) {
                harvest(&v, &mut keys, &mut strings);
                examples.push((api, v));
            }
        }
        for src in PACKS {
            let Ok(pack) = serde_json::from_str::<Value>(src) else {
                continue;
            };
            for rule in pack["rules"].as_array().into_iter().flatten() {
                for t in rule["targets"].as_array().into_iter().flatten() {
                    if let Some(t) = t.as_str().filter(|t| !t.is_empty()) {
                        pointers.insert(t.replace('*', "0"));
                        for k in t.split('/').filter(|k| !k.is_empty() && *k != "*") {
                            keys.insert(k.to_string());
                        }
                    }
                }
                harvest_values(&rule["check"], &mut strings);
                harvest_values(&rule["when"], &mut strings);
            }
            harvest(&pack["tables"], &mut keys, &mut strings);
        }
        Dictionary {
            keys: keys.into_iter().collect(),
            strings: strings.into_iter().collect(),
            pointers: pointers.into_iter().collect(),
            examples,
        }
    })
}

fn harvest(v: &Value, keys: &mut BTreeSet<String>, strings: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            strings.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| harvest(x, keys, strings)),
        Value::Object(o) => {
            for (k, x) in o {
                keys.insert(k.clone());
                strings.insert(k.clone());
                harvest(x, keys, strings);
            }
        }
        _ => {}
    }
}

fn harvest_values(v: &Value, strings: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            strings.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| harvest_values(x, strings)),
        Value::Object(o) => o.values().for_each(|x| harvest_values(x, strings)),
        _ => {}
    }
}

/// A linter that reads bodies as templates, with one variable given (the template leg of the
/// targets).
pub fn template_linter() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| {
        let mut templates = hcdb_lint::Templates::default();
        templates.vars.insert("N".into(), "2".into());
        Linter::new(hcdb_lint::Config {
            templates: Some(templates),
            ..hcdb_lint::Config::default()
        })
        .expect("the template configuration compiles")
    })
}

/// An API from a byte, or none (detection from the body) for one value in `Api::ALL.len() + 1`.
pub fn api_from(b: u8) -> Option<Api> {
    Api::ALL.get(usize::from(b) % (Api::ALL.len() + 1)).copied()
}

/// A string: mostly one the packs know (possibly bent), sometimes anything.
pub fn gen_string(u: &mut Unstructured<'_>) -> Result<String> {
    let d = dictionary();
    Ok(match u.int_in_range(0u8..=9)? {
        0..=4 => u.choose(&d.strings)?.clone(),
        5 => {
            let s = u.choose(&d.strings)?;
            match u.int_in_range(0u8..=4)? {
                0 => s.to_uppercase(),
                1 => s.to_lowercase(),
                2 => format!("{s}{}", char::from(u.int_in_range(b' '..=b'~')?)),
                3 => s.chars().skip(1).collect(),
                _ => format!(" {s}"),
            }
        }
        6 => gen_password(u)?,
        7 => "x".repeat(u.int_in_range(0usize..=70)?),
        _ => String::arbitrary_take(u)?,
    })
}

use arbitrary::Arbitrary;

trait TakeString {
    fn arbitrary_take(u: &mut Unstructured<'_>) -> Result<String>;
}
impl TakeString for String {
    fn arbitrary_take(u: &mut Unstructured<'_>) -> Result<String> {
        <String as Arbitrary>::arbitrary(u)
    }
}

/// A password-shaped string: drawn from the classes the password rules count.
pub fn gen_password(u: &mut Unstructured<'_>) -> Result<String> {
    const POOLS: [&str; 6] = [
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789",
        "~!@#%^*-_=+?",
        "$&()",
        " =é密\"\\/`'{}[]",
    ];
    let n = u.int_in_range(0usize..=40)?;
    let mut s = String::new();
    for _ in 0..n {
        let pool = *u.choose(&POOLS)?;
        let n = pool.chars().count();
        let i = u.choose_index(n)?;
        s.extend(pool.chars().nth(i));
    }
    Ok(s)
}

fn gen_number(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0u8..=7)? {
        0 => Value::from(u.int_in_range(-2i64..=70)?),
        1 => Value::from(*u.choose(&[
            0i64, 1, 3, 9, 10, 12, 16, 35, 36, 60, 61, 100, 1023, 1024, 6379, 8635, 65535, 65536,
        ])?),
        2 => Value::from(i64::arbitrary(u)?),
        3 => Value::from(u64::arbitrary(u)?),
        4 => serde_json::Number::from_f64(f64::arbitrary(u)?)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        5 => Value::from(u.int_in_range(0i64..=40)? as f64 + 0.5),
        6 => Value::from(u.int_in_range(0i64..=40)? as f64),
        _ => Value::from(1_700_000_000_000i64 + i64::from(u.int_in_range(-1000i32..=1000)?)),
    })
}

/// A JSON value, depth-bounded, biased toward the packs' keys and values.
pub fn gen_value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let top = if depth >= 5 { 4 } else { 7 };
    Ok(match u.int_in_range(0u8..=top)? {
        0 => Value::Null,
        1 => Value::Bool(bool::arbitrary(u)?),
        2 => gen_number(u)?,
        3 | 4 => Value::String(gen_string(u)?),
        5 => {
            let n = u.int_in_range(0usize..=4)?;
            let mut a = Vec::with_capacity(n);
            for _ in 0..n {
                a.push(gen_value(u, depth + 1)?);
            }
            Value::Array(a)
        }
        _ => Value::Object(gen_object(u, depth + 1)?),
    })
}

fn gen_key(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(9u8, 10u8)? {
        Ok(u.choose(&dictionary().keys)?.clone())
    } else {
        String::arbitrary_take(u)
    }
}

fn gen_object(u: &mut Unstructured<'_>, depth: u32) -> Result<Map<String, Value>> {
    let n = u.int_in_range(0usize..=8)?;
    let mut m = Map::new();
    for _ in 0..n {
        let k = gen_key(u)?;
        let v = gen_value(u, depth)?;
        m.insert(k, v);
    }
    Ok(m)
}

/// A pointer: a pack target (with `*` as 0) or its parent, sometimes anything.
pub fn gen_pointer(u: &mut Unstructured<'_>) -> Result<String> {
    let d = dictionary();
    Ok(match u.int_in_range(0u8..=10)? {
        0..=6 => u.choose(&d.pointers)?.clone(),
        7 => {
            let p = u.choose(&d.pointers)?;
            p.rsplit_once('/')
                .map(|(a, _)| a.to_string())
                .unwrap_or_default()
        }
        8 => format!("/{}", gen_key(u)?.replace('~', "~0").replace('/', "~1")),
        // Raw tokens: `~` escapes valid or not, empty tokens, indexes.
        9 => format!("/{}", String::arbitrary_take(u)?),
        _ => String::arbitrary_take(u)?,
    })
}

/// Whether `p` is an RFC 6901 JSON Pointer: empty, or `/`-separated tokens in which `~` is
/// always followed by `0` or `1`.
pub fn is_json_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    let Some(rest) = p.strip_prefix('/') else {
        return false;
    };
    let b = rest.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, c)| *c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// Assign `v` at `pointer`, creating missing parent objects; gives up on odd paths.
pub fn set_at(doc: &mut Value, pointer: &str, v: Value) {
    let Some(rest) = pointer.strip_prefix('/') else {
        if pointer.is_empty() {
            *doc = v;
        }
        return;
    };
    let toks: Vec<String> = rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut node = doc;
    for (i, t) in toks.iter().enumerate() {
        let last = i + 1 == toks.len();
        node = match node {
            Value::Object(m) => {
                if last {
                    m.insert(t.clone(), v);
                    return;
                }
                m.entry(t.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Value::Array(a) => {
                let Ok(i) = t.parse::<usize>() else { return };
                if i >= a.len() {
                    if i > a.len() + 4 {
                        return;
                    }
                    a.resize(i + 1, Value::Object(Map::new()));
                }
                if last {
                    a[i] = v;
                    return;
                }
                &mut a[i]
            }
            _ => return,
        };
    }
}

pub fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// A body: an example with edits (the way the fixtures build cases), or a fresh object.
pub fn gen_body(u: &mut Unstructured<'_>) -> Result<(Api, Value)> {
    let d = dictionary();
    if u.ratio(3u8, 4u8)? {
        let (api, base) = u.choose(&d.examples)?;
        let mut body = base.clone();
        let n = u.int_in_range(0usize..=6)?;
        for _ in 0..n {
            let p = gen_pointer(u)?;
            if u.ratio(1u8, 4u8)? {
                remove_at(&mut body, &p);
            } else {
                let v = if p.ends_with("password") && u.ratio(1u8, 2u8)? {
                    Value::String(gen_password(u)?)
                } else {
                    gen_value(u, 2)?
                };
                set_at(&mut body, &p, v);
            }
        }
        Ok((*api, body))
    } else {
        let api = api_from(u8::arbitrary(u)?).unwrap_or(Api::ALL[Api::ALL.len() - 1]);
        let body = if u.ratio(9u8, 10u8)? {
            Value::Object(gen_object(u, 0)?)
        } else {
            gen_value(u, 0)?
        };
        Ok((api, body))
    }
}

// ---------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------

/// Every diagnostic's rule is known and has the severity the configuration gives it; pointers
/// are RFC 6901.
pub fn assert_well_formed(linter: &Linter, report: &Report) {
    for d in &report.diagnostics {
        let doc = linter
            .rule(&d.rule)
            .unwrap_or_else(|| panic!("unknown rule {}", d.rule));
        assert_eq!(doc.name, d.name);
        // An observed acceptance (its evidence in the params) is a warning at most; every
        // other finding has exactly the configured severity.
        let configured = linter.severity_of(&d.rule);
        if d.params.contains_key("evidence") {
            let most = configured.map(|s| s.min(Severity::Warning));
            assert_eq!(most, Some(d.severity), "severity of {} (observed)", d.rule);
        } else {
            assert_eq!(configured, Some(d.severity), "severity of {}", d.rule);
        }
        assert!(
            d.pointer.is_empty() || d.pointer.starts_with('/'),
            "pointer {:?}",
            d.pointer
        );
        assert!(!d.message.is_empty(), "empty message for {}", d.rule);
    }
}

/// 1-based line/column of a byte offset, computed independently of the crate: lines break at
/// `\n`; columns count chars; a `\r` before `\n` and a leading BOM are not columns.
pub fn expected_line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut seg = &text[line_start..off];
    if line_start == 0 {
        seg = seg.strip_prefix('\u{feff}').unwrap_or(seg);
    }
    let mut col = seg.chars().count() + 1;
    if seg.ends_with('\r') && text.as_bytes().get(off) == Some(&b'\n') {
        col -= 1;
    }
    (line, col)
}

/// Text input: every diagnostic has a span inside the input and the line/column of its ends;
/// diagnostics are sorted by position, then pointer.
pub fn assert_text_positions(report: &Report, text: &str) {
    for d in &report.diagnostics {
        let span = d.span.unwrap_or_else(|| panic!("{} has no span", d.rule));
        assert!(span.start <= span.end, "span {span:?}");
        assert!(
            span.end <= text.len().max(1),
            "span {span:?} past {}",
            text.len()
        );
        let (l, c) = (d.line.expect("line"), d.column.expect("column"));
        let (el, ec) = (
            d.end_line.expect("end_line"),
            d.end_column.expect("end_column"),
        );
        assert!(l >= 1 && c >= 1 && el >= 1 && ec >= 1);
        assert!((el, ec) >= (l, c), "end before start in {d:?}");
        assert_eq!(
            (l, c),
            expected_line_col(text, span.start),
            "start of {}",
            d.rule
        );
        assert_eq!(
            (el, ec),
            expected_line_col(text, span.end),
            "end of {}",
            d.rule
        );
    }
    let keys: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.span.map(|s| s.start), d.pointer.clone()))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by position: {keys:?}"
    );
}

/// Value input: no positions; sorted by pointer (array indexes numerically).
pub fn assert_value_order(report: &Report) {
    for d in &report.diagnostics {
        assert!(d.span.is_none() && d.line.is_none() && d.column.is_none());
    }
    let key = |p: &str| -> Vec<(u8, usize, String)> {
        p.split('/')
            .map(|t| match t.parse::<usize>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_string()),
            })
            .collect()
    };
    let keys: Vec<_> = report.diagnostics.iter().map(|d| key(&d.pointer)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by pointer"
    );
}

/// Every text a report can show, one string per surface.
pub fn surfaces(report: &Report) -> Vec<String> {
    let mut out = vec![format!("{report:?}")];
    out.push(serde_json::to_string(report).unwrap_or_default());
    for d in &report.diagnostics {
        out.push(d.message.clone());
        out.push(d.help.clone());
        out.push(serde_json::to_string(&d.params).unwrap_or_default());
        out.push(format!("{d:?}"));
    }
    out
}

/// The password values a body carries.
pub fn secrets(body: &Value) -> Vec<String> {
    SECRET_POINTERS
        .iter()
        .filter_map(|p| body.pointer(p).and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// A copy of the body with the secrets replaced by a neutral value.
pub fn without_secrets(body: &Value) -> Value {
    let mut b = body.clone();
    for p in SECRET_POINTERS {
        if let Some(slot) = b.pointer_mut(p) {
            if slot.is_string() {
                *slot = Value::String("\u{1}".into());
            }
        }
    }
    b
}

pub fn all_strings(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\u{0}');
        }
        Value::Array(a) => a.iter().for_each(|x| all_strings(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                out.push_str(k);
                out.push('\u{0}');
                all_strings(x, out);
            }
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\u{0}');
        }
        _ => {}
    }
}

/// Every rule's documentation as one string (wording a report may quote).
pub fn rule_texts() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        Linter::default_ref()
            .rules()
            .iter()
            .map(|d| serde_json::to_string(d).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\u{0}")
    })
}

/// The password never shows in any surface of a report. A password that a report could show
/// for another reason (it is also a key, another value, or a piece of the wording that the same
/// body without the password produces) is not distinctive and is skipped.
pub struct SecretCheck {
    secrets: Vec<(String, String)>,
}

impl SecretCheck {
    pub fn new(linter: &Linter, api: Api, body: &Value) -> SecretCheck {
        let found = secrets(body);
        if found.is_empty() {
            return SecretCheck {
                secrets: Vec::new(),
            };
        }
        let clean = without_secrets(body);
        let mut material = String::new();
        all_strings(&clean, &mut material);
        for s in surfaces(&linter.check_value(api, &clean)) {
            material.push_str(&s);
            material.push('\u{0}');
        }
        let secrets = found
            .into_iter()
            .filter(|s| s.chars().count() >= 4)
            .filter(|s| !material.contains(s.as_str()) && !rule_texts().contains(s.as_str()))
            .map(|s| {
                // JSON escaping could hide a secret in serde output: look for the escaped form too.
                let escaped = serde_json::to_string(&s).unwrap_or_default();
                let escaped = escaped.trim_matches('"').to_string();
                (s, escaped)
            })
            .collect();
        SecretCheck { secrets }
    }

    pub fn assert(&self, report: &Report) {
        if self.secrets.is_empty() {
            return;
        }
        // Positions are numbers derived from lengths, never from content; a digit-only
        // password could match them by chance (`Some(163`), so they are left out here.
        let mut report = report.clone();
        for d in &mut report.diagnostics {
            (d.span, d.line, d.column, d.end_line, d.end_column) = (None, None, None, None, None);
        }
        for shown in surfaces(&report) {
            for (secret, escaped) in &self.secrets {
                assert!(
                    !shown.contains(secret.as_str()),
                    "password {secret:?} leaked in {shown}"
                );
                assert!(
                    escaped.len() < 4 || !shown.contains(escaped.as_str()),
                    "password {secret:?} leaked (escaped) in {shown}"
                );
            }
        }
    }
}

pub fn assert_no_secret(linter: &Linter, api: Api, body: &Value, report: &Report) {
    SecretCheck::new(linter, api, body).assert(report);
}

/// (rule, pointer, severity) of every diagnostic, as a sorted multiset.
pub fn verdict(report: &Report, skip_text_only: bool) -> Vec<(String, String, Severity)> {
    let mut v: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| !skip_text_only || !TEXT_ONLY.contains(&&*d.rule))
        .map(|d| (d.rule.to_string(), d.pointer.clone(), d.severity))
        .collect();
    v.sort();
    v
}
