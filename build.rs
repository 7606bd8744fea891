//! The rule packs (`rules/*.json`, the single source of truth) drive the crate:
//!
//! - every file but `common.json` is an API pack, its file stem the API id. This script writes
//!   `apis.rs` into OUT_DIR (included by `src/api.rs`): the `Api` enum (one variant per pack, the
//!   id in CamelCase), `Api::ALL`, the ids, the detection keys in order of precedence (each API
//!   pack's `detect` member) and the embedded pack sources. Adding an API is adding a pack: no
//!   Rust file names one.
//! - each pack is read with the crate's own pack model (`src/engine/pack.rs`, included below:
//!   one description of the pack schema), strictly: a member given twice, unknown, missing or of
//!   the wrong type stops the build with an error naming the file and the member. The pack is
//!   then embedded in the model's binary form (`packs/<stem>.bin`), which is all the crate reads
//!   at run time. Without the `docs` feature (the browser package) the documentation members are
//!   left out first (see [`strip_docs`]) and read as empty. Both forms are written (`full/`,
//!   `nodocs/`) for the tests that compare them with the files.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The crate's pack model and the scales it names, the same files the crate compiles: the pack
// schema is described once. This script uses the JSON reader and the binary writer; the rest is
// the crate's.
#[allow(dead_code)]
#[path = "src/levels.rs"]
mod levels;
#[allow(dead_code)]
#[path = "src/engine/pack.rs"]
mod pack;

/// A build error about a pack: said once, with the file, and the build stops.
fn fail(file: &Path, message: impl std::fmt::Display) -> ! {
    eprintln!("error: {}: {message}", file.display());
    println!("cargo:warning={}: {message}", file.display());
    std::process::exit(1);
}

/// The pack without its documentation members: the pack's `title`, `sources` and `unchecked`
/// ledger, each field's `source`, each rule's `summary`, `why`, `examples` and `source`. What
/// the checks and the wording of findings need (labels, messages, help, fixes, observed
/// acceptances) stays.
fn strip_docs(pack: &mut Value) {
    let Some(p) = pack.as_object_mut() else {
        return;
    };
    for k in ["title", "sources", "unchecked"] {
        p.remove(k);
    }
    for f in p
        .get_mut("fields")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(f) = f.as_object_mut() {
            f.remove("source");
        }
    }
    for r in p
        .get_mut("rules")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(r) = r.as_object_mut() {
            for k in ["summary", "why", "examples", "source"] {
                r.remove(k);
            }
        }
    }
}

/// `text` on one line with Markdown's punctuation escaped: read as plain text in a doc comment.
fn markdown_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '[' | ']' | '<' | '>' | '`' | '*' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An API id in CamelCase: `ddm-scale-out` -> `DdmScaleOut`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// An API pack, as the generated code needs it.
struct ApiPack {
    id: String,
    variant: String,
    title: String,
    /// The top-level member that tells this API's bodies, and its precedence (lower first).
    member: String,
    order: u64,
    /// The pack's fields as recognition reads them: pointer, type, whether another JSON type is
    /// accepted silently.
    fields: Vec<(String, pack::FieldType, bool)>,
    /// How many of its members a body must show, with their types (see [`need`]).
    need: usize,
    /// The pointers of its secret members.
    secrets: Vec<String>,
}

fn api_pack(file: &Path, id: &str, pack: &pack::Pack) -> ApiPack {
    let valid_id = !id.is_empty()
        && id.split('-').all(|w| {
            w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !valid_id {
        fail(
            file,
            "an API pack's file stem is its id: lowercase words of letters and digits joined by `-`",
        );
    }
    if pack.api != id {
        fail(file, format!("`api` must be the file stem, \"{id}\""));
    }
    if pack.title.is_empty() {
        fail(file, "an API pack needs a `title`");
    }
    let detect = pack
        .detect
        .as_ref()
        .unwrap_or_else(|| fail(file, "an API pack needs `detect` (see rules/README.md)"));
    if detect.member.is_empty() {
        fail(file, "`detect.member` must be a non-empty string");
    }
    ApiPack {
        id: id.to_string(),
        variant: camel(id),
        title: pack.title.clone(),
        member: detect.member.clone(),
        order: detect.order,
        fields: pack
            .fields
            .iter()
            .map(|f| (f.pointer.clone(), f.ty, f.coerce == pack::Coerce::Silent))
            .collect(),
        need: need(&pack.fields),
        secrets: pack
            .fields
            .iter()
            .filter(|f| f.secret)
            .map(|f| f.pointer.clone())
            .collect(),
    }
}

/// How many of an API's members a body must show, with their types, to be that API's: half of
/// the members every body has (required, under required members only), at least 2.
fn need(fields: &[pack::FieldDef]) -> usize {
    let required = |p: &str| fields.iter().any(|f| f.pointer == p && f.required);
    let always = fields
        .iter()
        .filter(|f| f.required)
        .filter(|f| {
            let segs: Vec<&str> = f.pointer.split('/').collect();
            (2..segs.len()).all(|n| segs[n - 1] == "*" || required(&segs[..n].join("/")))
        })
        .count();
    always.div_ceil(2).max(2)
}

/// The pack in `value` read with the crate's pack model, in its binary form.
fn binary(file: &Path, value: &Value) -> (pack::Pack, Vec<u8>) {
    let pack = pack::Pack::from_value(value).unwrap_or_else(|e| fail(file, e));
    let bin = pack.to_bin();
    (pack, bin)
}

fn write(path: PathBuf, bytes: &[u8]) {
    std::fs::write(&path, bytes).unwrap_or_else(|e| fail(&path, format!("cannot write: {e}")));
}
fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let docs = std::env::var_os("CARGO_FEATURE_DOCS").is_some();
    println!("cargo:rerun-if-changed=build.rs");
    // The directory itself: a pack added or removed reruns the script.
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<String> = std::fs::read_dir("rules")
        .unwrap_or_else(|e| fail(Path::new("rules"), format!("cannot list: {e}")))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    if !names.iter().any(|n| n == "common.json") {
        fail(Path::new("rules/common.json"), "missing");
    }
    for dir in ["packs", "full", "nodocs"] {
        let d = out_dir.join(dir);
        std::fs::create_dir_all(&d).unwrap_or_else(|e| fail(&d, format!("cannot create: {e}")));
    }
    let mut apis = Vec::new();
    for name in &names {
        let src = Path::new("rules").join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src)
            .unwrap_or_else(|e| fail(&src, format!("cannot read: {e}")));
        let mut value = pack::parse_json(&text).unwrap_or_else(|e| fail(&src, e));
        let (pack, full) = binary(&src, &value);
        let stem = name.strip_suffix(".json").unwrap_or(name);
        if stem != "common" {
            apis.push(api_pack(&src, stem, &pack));
        }
        strip_docs(&mut value);
        let (_, nodocs) = binary(&src, &value);
        let bin = format!("{stem}.bin");
        write(
            out_dir.join("packs").join(&bin),
            if docs { &full } else { &nodocs },
        );
        write(out_dir.join("full").join(&bin), &full);
        write(out_dir.join("nodocs").join(&bin), &nodocs);
    }
    let mut by_order: Vec<&ApiPack> = apis.iter().collect();
    by_order.sort_by_key(|a| a.order);
    for w in by_order.windows(2) {
        if w[0].order == w[1].order {
            fail(
                Path::new("rules"),
                format!(
                    "`detect.order` {} is given twice ({} and {}): the precedence must be total",
                    w[0].order, w[0].id, w[1].id
                ),
            );
        }
        if w[0].member == w[1].member {
            fail(
                Path::new("rules"),
                format!(
                    "`detect.member` `{}` is given twice ({} and {})",
                    w[0].member, w[0].id, w[1].id
                ),
            );
        }
    }
    let neighbours_file = Path::new(NEIGHBOURS);
    println!("cargo:rerun-if-changed={}", neighbours_file.display());
    let mut code = generate(&apis, &by_order);
    code.push_str(&recognition(&apis, &neighbours(neighbours_file)));
    write(out_dir.join("apis.rs"), code.as_bytes());
    write(
        out_dir.join("terraform_maps.rs"),
        terraform_maps().as_bytes(),
    );
}

/// The Terraform mappings (`rules/terraform/*.json`, one per provider resource family), embedded
/// by name: adding a family is adding a file. The crate reads them with its mapping model
/// (src/terraform/mapping.rs), where a test holds every embedded file to it.
fn terraform_maps() -> String {
    let dir = Path::new("rules").join("terraform");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| fail(&dir, format!("cannot list: {e}")))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut g =
        String::from("// Generated by build.rs from rules/terraform/*.json: do not edit.\n");
    g.push_str("pub(crate) static MAPPINGS: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = Path::new(&root).join(&dir).join(n);
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        let _ = writeln!(
            g,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    g.push_str("];\n");
    g
}

/// The file beside the packs that tells the bodies of neighbouring APIs (not covered). In a
/// directory of its own: every `rules/*.json` is a rule pack.
const NEIGHBOURS: &str = "rules/neighbours/neighbours.json";

/// A neighbouring API: its id, title, the evidence it needs and its telltales (pointer and
/// either a type or the values that tell it, each worth `weight`).
struct Neighbour {
    id: String,
    title: String,
    need: u64,
    telltales: Vec<(String, String, Vec<String>, u64)>,
}

/// A type as the packs name it.
fn field_type(name: &str) -> Option<pack::FieldType> {
    use pack::FieldType as T;
    Some(match name {
        "string" => T::String,
        "integer" => T::Integer,
        "boolean" => T::Boolean,
        "bool_string" => T::BoolString,
        "object" => T::Object,
        "array" => T::Array,
        _ => return None,
    })
}

/// `rules/neighbours/neighbours.json`, read strictly: every error names the member.
fn neighbours(file: &Path) -> Vec<Neighbour> {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| fail(file, format!("cannot read: {e}")));
    let root = pack::parse_json(&text).unwrap_or_else(|e| fail(file, e));
    let list = root
        .get("neighbours")
        .and_then(Value::as_array)
        .unwrap_or_else(|| fail(file, "`neighbours` must be an array"));
    let text_of = |v: &Value, key: &str, at: &str| -> String {
        match v.get(key).and_then(Value::as_str) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => fail(file, format!("{at}.{key}: expected a non-empty string")),
        }
    };
    let mut out = Vec::new();
    for (i, n) in list.iter().enumerate() {
        let at = format!("neighbours[{i}]");
        let telltales = n
            .get("telltales")
            .and_then(Value::as_array)
            .unwrap_or_else(|| fail(file, format!("{at}.telltales: expected an array")));
        let mut tells = Vec::new();
        for (j, t) in telltales.iter().enumerate() {
            let at = format!("{at}.telltales[{j}]");
            let pointer = text_of(t, "pointer", &at);
            let ty = t
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let values: Vec<String> = t
                .get("in")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if ty.is_empty() == values.is_empty() {
                fail(
                    file,
                    format!("{at}: give either `type` or `in` (a list of strings)"),
                );
            }
            if !ty.is_empty() && field_type(&ty).is_none() {
                fail(file, format!("{at}.type: unknown type `{ty}`"));
            }
            let weight = t.get("weight").map_or(Some(1), Value::as_u64);
            let weight = weight
                .unwrap_or_else(|| fail(file, format!("{at}.weight: expected a whole number")));
            tells.push((pointer, ty, values, weight));
        }
        let need = n
            .get("need")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| fail(file, format!("{at}.need: expected a whole number")));
        out.push(Neighbour {
            id: text_of(n, "id", &at),
            title: text_of(n, "title", &at),
            need,
            telltales: tells,
        });
    }
    out
}

/// The recognition tables (see src/api.rs): each API pack's fields and the neighbours'
/// telltales.
fn recognition(apis: &[ApiPack], neighbours: &[Neighbour]) -> String {
    let mut g = String::new();
    g.push_str(
        "\n/// Each API's fields as recognition reads them (telltales of weight 1: a member of the\n\
         /// pack's type, or of another scalar type where the pack accepts it silently) and how\n\
         /// many a body must show, in the order of `Api::ALL`.\n\
         const RECOGNIZE: &[(Api, Telltales, usize)] = &[\n",
    );
    for a in apis {
        let fields: Vec<String> = a
            .fields
            .iter()
            .map(|(p, t, silent)| format!("({p:?}, Tell::Type(FieldType::{t:?}, {silent}), 1)"))
            .collect();
        let _ = writeln!(
            g,
            "    (Api::{}, &[{}], {}),",
            a.variant,
            fields.join(", "),
            a.need
        );
    }
    g.push_str("];\n\n/// Each API's secret members (their pack's `secret` fields).\n");
    g.push_str("const SECRETS: &[(Api, &str)] = &[\n");
    for a in apis {
        for p in &a.secrets {
            let _ = writeln!(g, "    (Api::{}, {p:?}),", a.variant);
        }
    }
    g.push_str("];\n\n/// The neighbouring APIs (rules/neighbours/neighbours.json).\npub(crate) const NEIGHBOURS: &[Neighbour] = &[\n");
    for n in neighbours {
        let tells: Vec<String> = n
            .telltales
            .iter()
            .map(|(p, ty, values, w)| {
                let tell = if ty.is_empty() {
                    format!("Tell::In(&{values:?})")
                } else {
                    let t = field_type(ty).unwrap_or_else(|| fail(Path::new(NEIGHBOURS), ty));
                    format!("Tell::Type(FieldType::{t:?}, false)")
                };
                format!("({p:?}, {tell}, {w})")
            })
            .collect();
        let _ = writeln!(
            g,
            "    Neighbour {{ id: {:?}, title: {:?}, need: {}, telltales: &[{}] }},",
            n.id,
            n.title,
            n.need,
            tells.join(", ")
        );
    }
    g.push_str("];\n");
    g
}

/// The generated Rust: the `Api` enum and its tables (see the module comment).
fn generate(apis: &[ApiPack], by_order: &[&ApiPack]) -> String {
    let n = apis.len();
    let mut g = String::new();
    g.push_str("// Generated by build.rs from rules/*.json: do not edit.\n\n");
    g.push_str(
        "/// The request bodies hcdb-lint knows: one per API pack (`rules/<id>.json`).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, \
         serde::Serialize, serde::Deserialize)]\npub enum Api {\n",
    );
    for a in apis {
        let _ = writeln!(
            g,
            "    /// {}.\n    #[serde(rename = {:?})]\n    {},",
            markdown_text(&a.title),
            a.id,
            a.variant
        );
    }
    g.push_str("}\n\nimpl Api {\n    /// Every API, in the order of their ids.\n");
    let _ = writeln!(
        g,
        "    pub const ALL: [Api; {n}] = [{}];\n",
        apis.iter()
            .map(|a| format!("Api::{}", a.variant))
            .collect::<Vec<_>>()
            .join(", ")
    );
    g.push_str("    /// The API's id: its pack's file stem.\n    pub fn id(self) -> &'static str {\n        match self {\n");
    for a in apis {
        let _ = writeln!(g, "            Api::{} => {:?},", a.variant, a.id);
    }
    g.push_str("        }\n    }\n}\n\n");
    let _ = writeln!(
        g,
        "/// The ids, for messages.\nconst API_ID_LIST: &str = {:?};\n",
        apis.iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        g,
        "/// The top-level member that tells each API's bodies, in order of precedence (each pack's\n\
         /// `detect`).\nconst DETECT: [(&str, Api); {n}] = [{}];\n",
        by_order
            .iter()
            .map(|a| format!("({:?}, Api::{})", a.member, a.variant))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sources = |dir: &str| {
        apis.iter()
            .map(|a| {
                format!(
                    "    (Api::{}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{dir}/{}.bin\"))),\n",
                    a.variant, a.id
                )
            })
            .collect::<String>()
    };
    let _ = write!(
        g,
        "/// The API packs as embedded (the pack model's binary form; without their documentation\n\
         /// members unless the `docs` feature is on), in the order of `Api::ALL`.\n\
         pub(crate) const PACK_SOURCES: [(Api, &[u8]); {n}] = [\n{}];\n\n",
        sources("packs")
    );
    let _ = write!(
        g,
        "/// The API packs in binary form, with their documentation, whatever the features.\n\
         #[cfg(test)]\npub(crate) const PACK_SOURCES_FULL: [(Api, &[u8]); {n}] = [\n{}];\n\n",
        sources("full")
    );
    let _ = write!(
        g,
        "/// The API packs without their documentation members, whatever the features.\n\
         #[cfg(test)]\npub(crate) const PACK_SOURCES_NO_DOCS: [(Api, &[u8]); {n}] = [\n{}];\n",
        sources("nodocs")
    );
    g
}
