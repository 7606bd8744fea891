//! The module tree: a root directory's files, its variables, and the local modules it calls,
//! read in two passes. The first loads every file (the root's, its variable files', and each
//! local child module's, once per directory); the second evaluates, module instance by module
//! instance, into the resources of the covered types with their attributes.

use super::eval::{Ex, Scope};
use super::load::{self, JKind, JNode, Parsed, SourceFile};
use super::value::{Place, Val, V};
use super::vars::{self, VarDecl, VarInputs};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// How deep local modules may call local modules (a loop through `source = "../x"` stops here).
const MAX_MODULE_DEPTH: usize = 16;

/// One directory's files in the file table.
#[derive(Debug, Clone)]
pub(crate) struct ModuleDir {
    pub dir: PathBuf,
    pub display: String,
    pub files: Vec<usize>,
}

/// A resource instance of a covered type, as a plan would hold it.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub address: String,
    pub rtype: String,
    /// The file and span of the resource block's labels (findings on the whole resource).
    pub file: usize,
    pub span: Range<usize>,
    /// The attributes as `change.after` holds them (blocks as arrays of objects).
    pub after: Val,
    pub attrs: Vec<AttrInfo>,
}

/// Where one attribute (`flavor[0].num`) is written and what it holds.
#[derive(Debug, Clone)]
pub(crate) struct AttrInfo {
    pub path: String,
    pub file: usize,
    /// Where the attribute's name starts (its value's start in the JSON syntax).
    pub key_start: usize,
    /// The attribute's expression.
    pub span: Range<usize>,
    /// Written as a literal there (a fix may edit it).
    pub literal: bool,
    pub value: Val,
}

/// Something the reader saw and did not read or lint, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    pub address: String,
    pub file: usize,
    pub span: Range<usize>,
    /// `no-instance` (count 0, an empty for_each), `module-not-local` (a registry or git
    /// source), `module-source-unknown`, `module-not-found`, `module-too-deep`.
    pub reason: String,
}

/// Everything read from one root module.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub files: Vec<SourceFile>,
    pub dirs: Vec<ModuleDir>,
    pub instances: Vec<Instance>,
    pub skipped: Vec<Skipped>,
    /// A file's text as an editor holds it, read instead of the disk's.
    pub overlay: Option<(PathBuf, String)>,
}

/// Lexical normalisation (`a/./b/../c` is `a/c`), for naming files of child modules.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn join_display(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), name)
    }
}

pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    a == b || (a.canonicalize().ok().is_some() && a.canonicalize().ok() == b.canonicalize().ok())
}

/// Whether a module `source` is a local path Terraform reads from disk.
pub(crate) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

impl Read {
    /// The first pass: loads a directory's module files (once) and, recursively, its local
    /// child modules'. Returns the index in `dirs`.
    pub(crate) fn load_dir(&mut self, dir: &Path, display: &str, depth: usize) -> usize {
        let key = dir.canonicalize().unwrap_or_else(|_| normalize(dir));
        if let Some(i) = self
            .dirs
            .iter()
            .position(|d| d.dir.canonicalize().unwrap_or_else(|_| normalize(&d.dir)) == key)
        {
            return i;
        }
        let mut ids = Vec::new();
        let mut paths = load::module_files(dir);
        // An editor's buffer not yet saved is a file of its directory's module too.
        if let Some((p, _)) = &self.overlay {
            let here = p.parent().is_some_and(|d| same_file(d, dir));
            if here && !paths.iter().any(|q| same_file(q, p)) {
                paths.push(p.clone());
                paths.sort();
            }
        }
        for path in paths {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            ids.push(self.files.len());
            let shown = join_display(display, &name.unwrap_or_default());
            let file = match &self.overlay {
                Some((p, text)) if same_file(p, &path) => {
                    load::from_text(&path, shown, text.clone())
                }
                _ => load::read(&path, shown),
            };
            self.files.push(file);
        }
        let index = self.dirs.len();
        self.dirs.push(ModuleDir {
            dir: dir.to_path_buf(),
            display: display.to_string(),
            files: ids.clone(),
        });
        if depth >= MAX_MODULE_DEPTH {
            return index;
        }
        let sources: Vec<String> = ids
            .iter()
            .flat_map(|id| module_calls(&self.files[*id]))
            .filter_map(|(_, source, _)| source)
            .filter(|s| is_local(s))
            .collect();
        for s in sources {
            let child = normalize(&dir.join(&s));
            let shown = normalize(Path::new(&join_display(display, &s)));
            self.load_dir(
                &child,
                &shown.to_string_lossy().replace('\\', "/"),
                depth + 1,
            );
        }
        index
    }

    /// Loads a variables file into the file table.
    pub(crate) fn load_file(&mut self, path: &Path, display: String) -> usize {
        self.files.push(load::read(path, display));
        self.files.len() - 1
    }

    fn dir_of(&self, dir: &Path) -> Option<usize> {
        let key = dir.canonicalize().unwrap_or_else(|_| normalize(dir));
        self.dirs
            .iter()
            .position(|d| d.dir.canonicalize().unwrap_or_else(|_| normalize(&d.dir)) == key)
    }
}

/// A module block's name, its `source` when written as a string, and the block's label span.
fn module_calls(f: &SourceFile) -> Vec<(String, Option<String>, Range<usize>)> {
    let mut out = Vec::new();
    match &f.parsed {
        Parsed::Hcl(body) => {
            for b in body.blocks().filter(|b| b.ident.as_str() == "module") {
                let source = b
                    .body
                    .attributes()
                    .find(|a| a.key.as_str() == "source")
                    .and_then(|a| a.value.as_str().map(str::to_string));
                out.push((label(b, 0), source, label_span(b)));
            }
        }
        Parsed::Json(j) => {
            for (name, m) in json_blocks(j.get("module")) {
                let source = m.get("source").and_then(|s| match &s.kind {
                    JKind::Str(t) => Some(t.clone()),
                    _ => None,
                });
                out.push((name, source, m.span.clone()));
            }
        }
        Parsed::Failed(_) => {}
    }
    out
}

fn label(b: &Block, i: usize) -> String {
    b.labels
        .get(i)
        .map(|l| l.as_str().to_string())
        .unwrap_or_default()
}

fn label_span(b: &Block) -> Range<usize> {
    let start = b.ident.span().map(|s| s.start).unwrap_or(0);
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .map(|s| s.end)
        .unwrap_or(start);
    start..end
}

/// `{"name": {...}}` or `{"name": [{...}]}` in the JSON syntax: the named bodies.
fn json_blocks(j: Option<&JNode>) -> Vec<(String, &JNode)> {
    let mut out = Vec::new();
    for (k, v) in j.map(JNode::members).unwrap_or(&[]) {
        match &v.kind {
            JKind::Arr(items) => out.extend(items.iter().map(|i| (k.clone(), i))),
            _ => out.push((k.clone(), v)),
        }
    }
    out
}

/// The declarations of one module directory's files.
#[derive(Default)]
struct Decls<'m> {
    vars: Vec<VarDecl<'m>>,
    locals: HashMap<String, (Ex<'m>, usize)>,
    resources: Vec<ResourceDecl<'m>>,
    modules: Vec<ModuleDecl<'m>>,
}

/// A resource body in either syntax.
#[derive(Clone, Copy)]
enum BodyRef<'m> {
    Hcl(&'m Body),
    Json(&'m JNode),
}

struct ResourceDecl<'m> {
    rtype: String,
    name: String,
    file: usize,
    span: Range<usize>,
    body: BodyRef<'m>,
}

struct ModuleDecl<'m> {
    name: String,
    file: usize,
    span: Range<usize>,
    body: BodyRef<'m>,
}

fn hcl_attr<'m>(body: &'m Body, key: &str) -> Option<&'m Expression> {
    body.attributes()
        .find(|a| a.key.as_str() == key)
        .map(|a| &a.value)
}

fn body_attr<'m>(body: BodyRef<'m>, key: &str) -> Option<Ex<'m>> {
    match body {
        BodyRef::Hcl(b) => hcl_attr(b, key).map(Ex::Hcl),
        BodyRef::Json(j) => j.get(key).map(Ex::Json),
    }
}

fn decls<'m>(files: &'m [SourceFile], ids: &[usize]) -> Decls<'m> {
    let mut d = Decls::default();
    for &id in ids {
        match &files[id].parsed {
            Parsed::Hcl(body) => hcl_decls(body, id, &mut d),
            Parsed::Json(j) => json_decls(j, id, &mut d),
            Parsed::Failed(_) => {}
        }
    }
    d
}

fn type_text(files: &[SourceFile], ex: Option<Ex<'_>>, file: usize) -> String {
    match ex {
        Some(Ex::Hcl(e)) => e
            .span()
            .and_then(|s| files[file].text.get(s))
            .unwrap_or("")
            .replace(' ', ""),
        Some(Ex::Json(j)) => match &j.kind {
            JKind::Str(t) => t
                .trim_start_matches("${")
                .trim_end_matches('}')
                .replace(' ', ""),
            _ => String::new(),
        },
        None => String::new(),
    }
}

fn hcl_decls<'m>(body: &'m Body, id: usize, d: &mut Decls<'m>) {
    for b in body.blocks() {
        match b.ident.as_str() {
            "variable" => d.vars.push(VarDecl {
                name: label(b, 0),
                default: hcl_attr(&b.body, "default").map(|e| (Ex::Hcl(e), id)),
                sensitive: hcl_attr(&b.body, "sensitive").and_then(Expression::as_bool)
                    == Some(true),
                ty: String::new(),
            }),
            "locals" => {
                for a in b.body.attributes() {
                    d.locals
                        .insert(a.key.as_str().to_string(), (Ex::Hcl(&a.value), id));
                }
            }
            "resource" => d.resources.push(ResourceDecl {
                rtype: label(b, 0),
                name: label(b, 1),
                file: id,
                span: label_span(b),
                body: BodyRef::Hcl(&b.body),
            }),
            "module" => d.modules.push(ModuleDecl {
                name: label(b, 0),
                file: id,
                span: label_span(b),
                body: BodyRef::Hcl(&b.body),
            }),
            _ => {}
        }
    }
}

fn json_decls<'m>(j: &'m JNode, id: usize, d: &mut Decls<'m>) {
    for (name, v) in json_blocks(j.get("variable")) {
        d.vars.push(VarDecl {
            name,
            default: v.get("default").map(|e| (Ex::Json(e), id)),
            sensitive: v.get("sensitive").map(|s| &s.kind) == Some(&JKind::Bool(true)),
            ty: String::new(),
        });
    }
    let locals: Vec<&JNode> = match j.get("locals").map(|l| &l.kind) {
        Some(JKind::Arr(items)) => items.iter().collect(),
        Some(_) => j.get("locals").into_iter().collect(),
        None => Vec::new(),
    };
    for l in locals {
        for (k, v) in l.members() {
            d.locals.insert(k.clone(), (Ex::Json(v), id));
        }
    }
    for (rtype, named) in j.get("resource").map(JNode::members).unwrap_or(&[]) {
        for (name, body) in json_blocks(Some(named)) {
            d.resources.push(ResourceDecl {
                rtype: rtype.clone(),
                name,
                file: id,
                span: body.span.clone(),
                body: BodyRef::Json(body),
            });
        }
    }
    for (name, body) in json_blocks(j.get("module")) {
        d.modules.push(ModuleDecl {
            name,
            file: id,
            span: body.span.clone(),
            body: BodyRef::Json(body),
        });
    }
}

/// The second pass's context: the file table, which types to build, and what is collected.
pub(crate) struct Walk<'r> {
    pub read: &'r Read,
    pub covered: &'r dyn Fn(&str) -> bool,
    pub instances: Vec<Instance>,
    pub skipped: Vec<Skipped>,
}

/// The variables of a module instance: a root module's from its variable files and the command
/// line, a child's from its caller's arguments (`None` for a root).
pub(crate) enum Inputs<'a> {
    Root {
        tfvars: &'a [usize],
        inputs: &'a VarInputs,
        env: &'a dyn Fn(&str) -> Option<String>,
    },
    Child(HashMap<String, Val>),
}

impl Walk<'_> {
    /// Evaluates one module instance (`prefix`: `""` or `module.db.`) and its local children.
    pub(crate) fn module(&mut self, dir: usize, prefix: &str, inputs: Inputs<'_>, depth: usize) {
        let read = self.read;
        let files = &read.files;
        let d = decls(files, &read.dirs[dir].files);
        let typed: Vec<VarDecl<'_>> = d
            .vars
            .iter()
            .map(|v| VarDecl {
                name: v.name.clone(),
                default: v.default,
                sensitive: v.sensitive,
                ty: var_type(files, &self.read.dirs[dir].files, &v.name),
            })
            .collect();
        let module_path = self.read.dirs[dir].display.clone();
        let mut scope = Scope::new(
            files,
            if module_path.is_empty() {
                ".".into()
            } else {
                module_path
            },
        );
        scope.vars = match inputs {
            Inputs::Root {
                tfvars,
                inputs,
                env,
            } => vars::root_values(&typed, files, tfvars, inputs, env),
            Inputs::Child(given) => child_values(&typed, files, given),
        };
        scope.locals = d.locals.clone();
        for r in &d.resources {
            if (self.covered)(&r.rtype) {
                self.resource(&mut scope, r, prefix);
            }
        }
        for m in &d.modules {
            self.call(&scope, m, dir, prefix, depth);
        }
    }

    fn resource(&mut self, scope: &mut Scope<'_>, r: &ResourceDecl<'_>, prefix: &str) {
        let base = format!("{prefix}{}.{}", r.rtype, r.name);
        let Some(address) = self.repeat(scope, r.body, &base, r.file, &r.span) else {
            return;
        };
        let mut attrs = Vec::new();
        let after = match r.body {
            BodyRef::Hcl(b) => hcl_body(scope, b, r.file, "", &mut attrs),
            BodyRef::Json(j) => json_body(scope, j, r.file, "", &mut attrs),
        };
        scope.count_index = None;
        scope.each = None;
        self.instances.push(Instance {
            address,
            rtype: r.rtype.clone(),
            file: r.file,
            span: r.span.clone(),
            after,
            attrs,
        });
    }

    /// `count` and `for_each`: sets `count.index` / `each.*` in the scope for the one instance
    /// linted and returns its address, or `None` (recorded as skipped) when there is none.
    fn repeat(
        &mut self,
        scope: &mut Scope<'_>,
        body: BodyRef<'_>,
        base: &str,
        file: usize,
        span: &Range<usize>,
    ) -> Option<String> {
        if let Some(ex) = body_attr(body, "count") {
            let count = scope.eval_ex(ex, file);
            return match count.v {
                V::Num(n) if n < 1.0 => {
                    self.skip(base, file, span, "no-instance");
                    None
                }
                V::Num(_) => {
                    scope.count_index = Some(Val::new(V::Num(0.0), None));
                    Some(format!("{base}[0]"))
                }
                _ => {
                    scope.count_index = Some(Val::unknown("count.index", None));
                    Some(base.to_string())
                }
            };
        }
        let Some(ex) = body_attr(body, "for_each") else {
            return Some(base.to_string());
        };
        let each = scope.eval_ex(ex, file);
        let first = match &each.v {
            V::Obj(m) => m.first().map(|(k, v)| (k.clone(), v.clone())),
            V::List(items) => match items.first() {
                Some(v) => Some((v.to_text()?, v.clone())),
                None => None,
            },
            _ => {
                scope.each = Some((
                    Val::unknown("each.key", None),
                    Val::unknown("each.value", None),
                ));
                return Some(base.to_string());
            }
        };
        let Some((key, value)) = first else {
            self.skip(base, file, span, "no-instance");
            return None;
        };
        scope.each = Some((Val::new(V::Str(key.clone()), None), value));
        Some(format!("{base}[{}]", serde_json::Value::String(key)))
    }

    fn skip(&mut self, address: &str, file: usize, span: &Range<usize>, reason: &str) {
        self.skipped.push(Skipped {
            address: address.to_string(),
            file,
            span: span.clone(),
            reason: reason.to_string(),
        });
    }

    /// A `module` block: a local source is read with its arguments bound to the callee's
    /// variables; any other source is listed as not read.
    fn call(
        &mut self,
        caller: &Scope<'_>,
        m: &ModuleDecl<'_>,
        dir: usize,
        prefix: &str,
        depth: usize,
    ) {
        let base = format!("{prefix}module.{}", m.name);
        let source =
            body_attr(m.body, "source").and_then(|ex| caller.eval_ex(ex, m.file).to_text());
        let source = match source {
            Some(s) if is_local(&s) => s,
            Some(_) => return self.skip(&base, m.file, &m.span, "module-not-local"),
            None => return self.skip(&base, m.file, &m.span, "module-source-unknown"),
        };
        let child_dir = normalize(&self.read.dirs[dir].dir.join(&source));
        let Some(child) = self.read.dir_of(&child_dir) else {
            return self.skip(&base, m.file, &m.span, "module-not-found");
        };
        if self.read.dirs[child].files.is_empty() {
            return self.skip(&base, m.file, &m.span, "module-not-found");
        }
        if depth >= MAX_MODULE_DEPTH {
            return self.skip(&base, m.file, &m.span, "module-too-deep");
        }
        let mut scope = Scope::new(caller.files, caller.module_path.clone());
        scope.vars = caller.vars.clone();
        scope.locals = caller.locals.clone();
        let Some(address) = self.repeat(&mut scope, m.body, &base, m.file, &m.span) else {
            return;
        };
        let args = module_args(&scope, m);
        self.module(
            child,
            &format!("{address}."),
            Inputs::Child(args),
            depth + 1,
        );
    }
}

const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn module_args(scope: &Scope<'_>, m: &ModuleDecl<'_>) -> HashMap<String, Val> {
    match m.body {
        BodyRef::Hcl(b) => b
            .attributes()
            .filter(|a| !MODULE_META.contains(&a.key.as_str()))
            .map(|a| (a.key.as_str().to_string(), scope.eval(&a.value, m.file)))
            .collect(),
        BodyRef::Json(j) => j
            .members()
            .iter()
            .filter(|(k, _)| !MODULE_META.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), scope.eval_json(v, m.file)))
            .collect(),
    }
}

/// A child module's variables: the caller's arguments over the defaults.
fn child_values(
    decls: &[VarDecl<'_>],
    files: &[SourceFile],
    mut given: HashMap<String, Val>,
) -> HashMap<String, Val> {
    let constants = Scope::new(files, ".".into());
    let mut out = HashMap::new();
    for d in decls {
        let v = match (given.remove(&d.name), &d.default) {
            (Some(v), _) => v,
            (None, Some((ex, file))) => constants.eval_ex(*ex, *file),
            (None, None) => Val::unknown(format!("var.{}", d.name), None),
        };
        out.insert(d.name.clone(), v);
    }
    vars::finish(decls, out)
}

/// A variable's `type` text, looked up in the files that declare it.
fn var_type(files: &[SourceFile], ids: &[usize], name: &str) -> String {
    for &id in ids {
        match &files[id].parsed {
            Parsed::Hcl(body) => {
                let found = body
                    .blocks()
                    .find(|b| b.ident.as_str() == "variable" && label(b, 0) == name);
                if let Some(b) = found {
                    return type_text(files, hcl_attr(&b.body, "type").map(Ex::Hcl), id);
                }
            }
            Parsed::Json(j) => {
                if let Some(v) = j.get("variable").and_then(|v| v.get(name)) {
                    return type_text(files, v.get("type").map(Ex::Json), id);
                }
            }
            Parsed::Failed(_) => {}
        }
    }
    String::new()
}

/// An attribute's value made ready for the body: a value given outside the files (`--var`,
/// `TF_VAR_*`) is placed at the attribute, and the unknown text of a password attribute keeps
/// only the references in it (its literal part may be the password's).
fn settle(mut v: Val, path: &str, file: usize, span: &Range<usize>) -> Val {
    fn place(v: &mut Val, at: &Place) {
        if v.from.is_none() {
            v.from = Some(at.clone());
        }
        match &mut v.v {
            V::List(items) => items.iter_mut().for_each(|i| place(i, at)),
            V::Obj(m) => m.iter_mut().for_each(|(_, i)| place(i, at)),
            _ => {}
        }
    }
    place(
        &mut v,
        &Place {
            file,
            span: span.clone(),
        },
    );
    if is_secret_name(path) {
        if let V::Unknown(t) = &mut v.v {
            *t = references(t);
        }
    }
    v
}

/// The references in an expression's text (`var.x`, `random_password.p[0].result`).
pub(crate) fn references(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_string = false;
    let mut start = None;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let word = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']' | b'-');
        if b == b'"' {
            in_string = !in_string;
        }
        if b == b'{' && i > 0 && bytes[i - 1] == b'$' {
            in_string = false;
        }
        match (word && !in_string, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        if b == b'}' {
            in_string = true;
        }
    }
    if let Some(s) = start.filter(|_| !in_string) {
        out.push(&text[s..]);
    }
    out.retain(|t| t.contains('.') && t.starts_with(|c: char| c.is_ascii_alphabetic()));
    out.join(" ")
}

/// Meta-arguments and blocks that are not the resource's attributes.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
];

fn is_literal(e: &Expression) -> bool {
    matches!(
        e,
        Expression::String(_) | Expression::Number(_) | Expression::Bool(_)
    )
}

/// An HCL resource body as `change.after` holds it, recording where each attribute is written.
fn hcl_body(
    scope: &Scope<'_>,
    body: &Body,
    file: usize,
    prefix: &str,
    attrs: &mut Vec<AttrInfo>,
) -> Val {
    let mut members: Vec<(String, Val)> = Vec::new();
    for a in body.attributes() {
        let key = a.key.as_str();
        if META.contains(&key) {
            continue;
        }
        let path = format!("{prefix}{key}");
        let span = a.value.span().unwrap_or(0..0);
        let value = settle(scope.eval(&a.value, file), &path, file, &span);
        attrs.push(AttrInfo {
            path,
            file,
            key_start: a.key.span().map_or(span.start, |k| k.start),
            span,
            literal: is_literal(&a.value),
            value: value.clone(),
        });
        members.push((key.to_string(), value));
    }
    let mut names: Vec<&str> = Vec::new();
    for b in body.blocks() {
        let name = b.ident.as_str();
        if !META.contains(&name) && !names.contains(&name) {
            names.push(name);
        }
    }
    for name in names {
        if name == "dynamic" {
            continue;
        }
        let mut items = Vec::new();
        for (i, b) in body
            .blocks()
            .filter(|b| b.ident.as_str() == name)
            .enumerate()
        {
            let path = format!("{prefix}{name}[{i}]");
            let mut v = hcl_body(scope, &b.body, file, &format!("{path}."), attrs);
            v.from = b.span().map(|span| Place { file, span });
            items.push(v);
        }
        let from = items.first().and_then(|v| v.from.clone());
        members.push((name.to_string(), Val::new(V::List(items), from)));
    }
    // `dynamic "x" { ... }` blocks: their content depends on a collection; unknown.
    for b in body.blocks().filter(|b| b.ident.as_str() == "dynamic") {
        let name = label(b, 0);
        let from = b.span().map(|span| Place { file, span });
        members.push((
            name.clone(),
            Val::unknown(format!("dynamic \"{name}\""), from),
        ));
    }
    Val::new(V::Obj(members), None)
}

/// A `.tf.json` resource body: an object (or an array of objects) under a name is a block,
/// except `tags`, a map.
fn json_body(
    scope: &Scope<'_>,
    j: &JNode,
    file: usize,
    prefix: &str,
    attrs: &mut Vec<AttrInfo>,
) -> Val {
    let mut members = Vec::new();
    for (key, v) in j.members() {
        if META.contains(&key.as_str()) {
            continue;
        }
        let blocks: Option<Vec<&JNode>> = match &v.kind {
            JKind::Obj(_) if key != "tags" => Some(vec![v]),
            JKind::Arr(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i.kind, JKind::Obj(_))) =>
            {
                Some(items.iter().collect())
            }
            _ => None,
        };
        let value = match blocks {
            Some(items) => {
                let list = items
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let mut v =
                            json_body(scope, b, file, &format!("{prefix}{key}[{i}]."), attrs);
                        v.from = Some(Place {
                            file,
                            span: b.span.clone(),
                        });
                        v
                    })
                    .collect();
                Val::new(
                    V::List(list),
                    Some(Place {
                        file,
                        span: v.span.clone(),
                    }),
                )
            }
            None => {
                let path = format!("{prefix}{key}");
                let value = settle(scope.eval_json(v, file), &path, file, &v.span);
                let literal = match &v.kind {
                    JKind::Str(t) => !t.contains("${") && !t.contains("%{"),
                    JKind::Num(_) | JKind::Bool(_) => true,
                    _ => false,
                };
                attrs.push(AttrInfo {
                    path,
                    file,
                    key_start: v.span.start,
                    span: v.span.clone(),
                    literal,
                    value: value.clone(),
                });
                value
            }
        };
        members.push((key.clone(), value));
    }
    Val::new(V::Obj(members), None)
}

/// Whether an attribute or variable name holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("passw") || n.contains("pwd") || n.contains("secret")
}
