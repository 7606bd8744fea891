//! Embeds the rule packs (`rules/*.json`, the single source of truth) with the whitespace
//! between JSON tokens removed: the same data, a fifth smaller in the binary. The minifier only
//! drops whitespace outside strings.
//!
//! For the browser package (`compact`) it also writes the packs in a binary form that the crate
//! reads without a JSON reader or the packs' field readers (`src/engine/packbin.rs` is the
//! decoder and documents the format). The native build reads the JSON and validates it; a test
//! decodes the binary form and compares it with what the JSON reads to, pack for pack.

use serde_json::Value;
use std::path::Path;

const PACKS: [&str; 4] = [
    "common.json",
    "ddm-create-instance.json",
    "ddm-scale-out.json",
    "geminidb-create-instance.json",
];

/// `text` without the whitespace outside JSON strings.
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // `packs.bin` has everything; `packs-browser.bin`, which the browser package embeds, leaves
    // out what its API never shows (pack titles and source lists, field sources, the
    // unchecked-parameter lists) and the rule documentation it serves from a separate file
    // (summaries, reasons, examples, rule sources): written empty.
    let mut bin = Bin::new(false);
    let mut lean = Bin::new(true);
    for name in PACKS {
        let src = Path::new("rules").join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
        std::fs::write(Path::new(&out_dir).join(name), minify(&text))
            .unwrap_or_else(|e| panic!("cannot write the minified {name}: {e}"));
        // A pack that is not JSON is reported by the crate's own reader (tests, CLI), with the
        // position; the binary form is then left empty.
        match serde_json::from_str::<Value>(&text) {
            Ok(pack) => {
                bin.pack(&pack);
                lean.pack(&pack);
            }
            Err(_) => {
                bin.out.clear();
                lean.out.clear();
            }
        }
    }
    for (file, b) in [("packs.bin", &bin), ("packs-browser.bin", &lean)] {
        std::fs::write(Path::new(&out_dir).join(file), &b.out)
            .unwrap_or_else(|e| panic!("cannot write {file}: {e}"));
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// The encoder of the binary pack form (see `src/engine/packbin.rs` for the format). It walks
/// the JSON as the crate's pack readers do: absent and `null` optional members are the same,
/// defaults are applied. It does not validate: the crate's readers do, natively.
struct Bin {
    out: Vec<u8>,
    /// The browser's form: what the browser package never shows, or serves from its docs
    /// file, is written empty.
    lean: bool,
}

impl Bin {
    fn new(lean: bool) -> Bin {
        Bin {
            out: Vec::new(),
            lean,
        }
    }

    fn uint(&mut self, mut n: u64) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(b);
                return;
            }
            self.out.push(b | 0x80);
        }
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    fn flag(&mut self, b: bool) {
        self.out.push(u8::from(b));
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.out.push(0),
            Value::Bool(false) => self.out.push(1),
            Value::Bool(true) => self.out.push(2),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.out.push(3);
                    // Zigzag: small magnitudes of either sign stay short.
                    self.uint(((i << 1) ^ (i >> 63)) as u64);
                } else if let Some(u) = n.as_u64() {
                    self.out.push(4);
                    self.uint(u);
                } else {
                    self.out.push(5);
                    self.out
                        .extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
                }
            }
            Value::String(s) => {
                self.out.push(6);
                self.str(s);
            }
            Value::Array(items) => {
                self.out.push(7);
                self.uint(items.len() as u64);
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(map) => {
                self.out.push(8);
                self.uint(map.len() as u64);
                for (k, v) in map {
                    self.str(k);
                    self.value(v);
                }
            }
        }
    }

    /// An optional member: absent and `null` are both "none" (tag 0), else tag 1 and the value.
    fn opt<'v>(&mut self, obj: &'v Value, key: &str) -> Option<&'v Value> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.out.push(0);
                None
            }
            Some(v) => {
                self.out.push(1);
                Some(v)
            }
        }
    }

    fn opt_str(&mut self, obj: &Value, key: &str) {
        if let Some(v) = self.opt(obj, key) {
            self.str(v.as_str().unwrap_or_default());
        }
    }

    fn strs(&mut self, v: Option<&Value>) {
        self.list(v, |b, s| b.str(s.as_str().unwrap_or_default()));
    }

    fn list(&mut self, v: Option<&Value>, mut each: impl FnMut(&mut Bin, &Value)) {
        let items = v
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.uint(items.len() as u64);
        for item in items {
            each(self, item);
        }
    }

    fn text(&mut self, v: &Value) {
        self.str(v["en"].as_str().unwrap_or_default());
        self.str(v["zh"].as_str().unwrap_or_default());
    }

    /// A source, or three empty strings when `keep` is false.
    fn source(&mut self, v: &Value, keep: bool) {
        for k in ["page", "table", "parameter"] {
            if !keep {
                self.str("");
                continue;
            }
            self.str(v[k].as_str().unwrap_or_default());
        }
    }

    /// A variant by its index in `names`.
    fn variant(&mut self, v: Option<&Value>, names: &[&str], default: u8) {
        let s = v.and_then(Value::as_str);
        let i = names.iter().position(|n| Some(*n) == s);
        self.out.push(i.map_or(default, |i| i as u8));
    }

    fn cond(&mut self, c: &Value) {
        for key in ["all", "any"] {
            if let Some(list) = self.opt(c, key) {
                self.list(Some(list), Bin::cond);
            }
        }
        if let Some(not) = self.opt(c, "not") {
            self.cond(not);
        }
        self.opt_str(c, "field");
        self.opt_str(c, "context");
        if let Some(v) = self.opt(c, "eq") {
            self.value(v);
        }
        if let Some(list) = self.opt(c, "in") {
            self.list(Some(list), Bin::value);
        }
        self.opt_str(c, "in_table");
        if let Some(v) = self.opt(c, "present") {
            self.flag(v.as_bool().unwrap_or_default());
        }
        self.opt_str(c, "contains");
        if let Some(v) = self.opt(c, "gt") {
            self.out
                .extend_from_slice(&v.as_f64().unwrap_or_default().to_le_bytes());
        }
    }

    fn pack(&mut self, p: &Value) {
        let lean = self.lean;
        self.str(p["api"].as_str().unwrap_or_default());
        self.str(if lean {
            ""
        } else {
            p["title"].as_str().unwrap_or_default()
        });
        self.strs(if lean { None } else { p.get("sources") });
        match p.get("tables") {
            Some(t @ Value::Object(_)) => self.value(t),
            _ => self.value(&Value::Object(Default::default())),
        }
        let vocabulary = p.get("vocabulary").and_then(Value::as_object);
        self.uint(vocabulary.map_or(0, |v| v.len()) as u64);
        for (k, t) in vocabulary.into_iter().flatten() {
            self.str(k);
            self.text(t);
        }
        self.list(p.get("fields"), |b, f| {
            b.str(f["pointer"].as_str().unwrap_or_default());
            let types = [
                "string",
                "integer",
                "boolean",
                "bool_string",
                "object",
                "array",
            ];
            b.variant(f.get("type"), &types, 0);
            b.flag(f.get("required").and_then(Value::as_bool).unwrap_or(false));
            b.variant(f.get("coerce"), &["warn", "silent"], 0);
            b.flag(f.get("secret").and_then(Value::as_bool).unwrap_or(false));
            b.text(&f["label"]);
            if let Some(v) = b.opt(f, "default") {
                b.value(v);
            }
            if let Some(t) = b.opt(f, "default_note") {
                b.text(t);
            }
            if let Some(c) = b.opt(f, "null_ok") {
                b.cond(c);
            }
            b.source(&f["source"], !lean);
        });
        self.list(p.get("rules"), |b, r| {
            b.str(r["id"].as_str().unwrap_or_default());
            b.str(r["name"].as_str().unwrap_or_default());
            b.variant(r.get("severity"), &["info", "warning", "error"], 0);
            b.flag(
                r.get("member_ignored")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            );
            // Observed acceptances word their findings: kept in the browser's form too.
            b.list(r.get("observed"), |b, o| {
                if let Some(c) = b.opt(o, "when") {
                    b.cond(c);
                }
                b.value(&o["accepts"]);
                b.text(&o["documented"]);
                b.text(&o["accepted"]);
                for k in ["project", "file", "date"] {
                    b.str(o["source"][k].as_str().unwrap_or_default());
                }
            });
            b.strs(r.get("targets"));
            if let Some(c) = b.opt(r, "when") {
                b.cond(c);
            }
            b.value(&r["check"]);
            if let Some(f) = b.opt(r, "fix") {
                // In the order of `FixEdit::ALL` and `Applicability::ALL`.
                let edits = ["suggestion", "rename", "documented_type", "remove", "check"];
                b.variant(f.get("edit"), &edits, 0);
                b.variant(f.get("applicability"), &["safe", "unsafe"], 0);
                b.text(&f["message"]);
            }
            for k in ["summary", "message", "help", "why"] {
                // The browser package serves the rule documentation from a file of its own
                // (hcdb_lint_docs.json, loaded by `rules()`): summary, why, examples, source.
                if lean && (k == "summary" || k == "why") {
                    b.str("");
                    b.str("");
                } else {
                    b.text(&r[k]);
                }
            }
            if lean {
                b.value(&Value::Null);
                b.value(&Value::Null);
            } else {
                b.value(&r["examples"]["invalid"]);
                b.value(&r["examples"]["valid"]);
            }
            b.source(&r["source"], !lean);
        });
        self.list(if lean { None } else { p.get("unchecked") }, |b, u| {
            b.str(u["parameter"].as_str().unwrap_or_default());
            b.text(&u["reason"]);
            b.source(&u["source"], true);
        });
    }
}
