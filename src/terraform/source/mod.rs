//! Reading Terraform sources (`.tf`, `.tf.json`, `.tfvars`) into the resources of the covered
//! types, with their attributes as a plan's `change.after` would hold them, where each was
//! written, and what could not be known before apply.

mod eval;
pub(crate) mod funcs;
mod lint;
mod load;
pub(crate) mod module;
pub(crate) mod text;
mod value;
mod vars;

pub use vars::VarInputs;

pub(crate) use module::Read;

use crate::report::Diagnostic;
use crate::template::Unknown;
use crate::terraform::ResourceVerdict;
use crate::Linter;
use module::{Inputs, Walk};
use std::path::{Path, PathBuf};

/// The verdict on a Terraform module read from its files: the findings and unknown values in
/// each file read (the module's, its variables files', its local child modules'), and every
/// resource of a covered type (and module not read) with what became of it.
#[derive(Debug, Clone, Default)]
pub struct SourceReport {
    pub files: Vec<SourceFileReport>,
}

/// One file of a module's read.
#[derive(Debug, Clone)]
pub struct SourceFileReport {
    /// The file as the run names it.
    pub display: String,
    pub path: PathBuf,
    /// The file's text (what fixes apply to).
    pub text: String,
    /// The text with passwords and sensitive values masked byte for byte (for code frames).
    pub masked: String,
    /// In the file's own positions (spans, lines, columns, fixes' edits).
    pub diagnostics: Vec<Diagnostic>,
    pub unknown: Vec<Unknown>,
    /// The resources of covered types written in this file (and modules not read), with what
    /// became of them.
    pub resources: Vec<ResourceVerdict>,
}

impl SourceReport {
    pub fn has_errors(&self) -> bool {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .any(|d| d.severity == crate::Severity::Error)
    }
}

/// Whether a file is one of a Terraform module's (`*.tf`, `*.tf.json`).
pub fn is_module_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Checks the Terraform module in `dir` (named `display` in the report) and the local modules
/// it calls. `env` looks `TF_VAR_*` up (when `inputs.env`); `linter_for` gives the linter for
/// a resource address. `overlay` is a file's text as an editor holds it, read instead of the
/// file on disk.
pub fn check_module<'l>(
    dir: &Path,
    display: &str,
    inputs: &VarInputs,
    env: &dyn Fn(&str) -> Option<String>,
    linter_for: &dyn Fn(&str) -> &'l Linter,
    overlay: Option<(PathBuf, String)>,
) -> SourceReport {
    let start = Read {
        overlay,
        ..Read::default()
    };
    let read = read_root_with(start, dir, display, inputs, env);
    report(&read, linter_for)
}

/// Where the attributes of a configuration's covered resources are written, for findings read
/// from a plan of it (`check plan.json --source DIR`).
#[derive(Debug, Default)]
pub struct SourceIndex {
    /// (address without instance keys, attribute, where it is written).
    places: Vec<(String, String, crate::SourceRef)>,
}

impl SourceIndex {
    /// Reads the module in `dir` (named `display`) with its variables files.
    pub fn read(dir: &Path, display: &str, inputs: &VarInputs) -> SourceIndex {
        let read = read_root_with(Read::default(), dir, display, inputs, &|_| None);
        let mut places = Vec::new();
        for inst in &read.instances {
            for a in &inst.attrs {
                let f = &read.files[a.file];
                let (line, column) = crate::json::LineIndex::up_to(&f.text, a.span.start + 1)
                    .line_col(&f.text, a.span.start);
                let at = crate::SourceRef {
                    file: f.display.clone(),
                    line,
                    column,
                };
                places.push((without_keys(&inst.address), a.path.clone(), at));
            }
        }
        SourceIndex { places }
    }

    /// Where an attribute of a resource instance (`module.db.x.this[0]`) is written.
    pub fn find(&self, address: &str, attribute: &str) -> Option<&crate::SourceRef> {
        let address = without_keys(address);
        self.places
            .iter()
            .find(|(a, attr, _)| *a == address && attr == attribute)
            .map(|(_, _, at)| at)
    }

    /// Sets `resource.source` of every finding on a user attribute that the sources hold.
    pub fn annotate(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            let Some(r) = d.resource.as_mut() else {
                continue;
            };
            if r.origin != crate::Origin::User || r.source.is_some() {
                continue;
            }
            if let Some(at) = r
                .attribute
                .as_deref()
                .and_then(|a| self.find(&r.address, a))
            {
                r.source = Some(at.clone());
            }
        }
    }
}

/// An address with its instance keys left out (`module.db[0].x.y["k"]` is `module.db.x.y`):
/// the sources write each resource once, whatever `count` or `for_each` make of it.
fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// An attribute of a covered resource, as the editor's hover tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeAt {
    pub address: String,
    pub resource_type: String,
    /// In Terraform's notation (`flavor[0].num`).
    pub attribute: String,
    /// From the attribute's name to the end of its value, in the file.
    pub span: (usize, usize),
    /// The request its create sends, and the body member the attribute becomes (`None`: the
    /// provider does not send it in that request).
    pub api: Option<crate::Api>,
    pub pointer: Option<String>,
}

/// The attribute of a covered resource written at `offset` of `file` (whose text is `text`),
/// read with the rest of the module in `dir`.
pub fn attribute_at(dir: &Path, file: &Path, text: String, offset: usize) -> Option<AttributeAt> {
    let start = Read {
        overlay: Some((file.to_path_buf(), text)),
        ..Read::default()
    };
    let read = read_root_with(start, dir, "", &VarInputs::default(), &|_| None);
    let id = read
        .files
        .iter()
        .position(|f| module::same_file(&f.path, file))?;
    for inst in &read.instances {
        let hit = inst
            .attrs
            .iter()
            .find(|a| a.file == id && a.key_start <= offset && offset <= a.span.end);
        if let Some(a) = hit {
            let (api, pointer) = lint::member_of(inst, &a.path).unzip();
            return Some(AttributeAt {
                address: inst.address.clone(),
                resource_type: inst.rtype.clone(),
                attribute: a.path.clone(),
                span: (a.key_start, a.span.end),
                api,
                pointer: pointer.flatten(),
            });
        }
    }
    None
}

/// Checks one file's text as a module of its own (no variables files, no child modules).
pub fn check_text(name: &str, text: &str, linter: &Linter) -> SourceReport {
    report(&read_memory(name, text), &|_| linter)
}

fn report<'l>(read: &Read, linter_for: &dyn Fn(&str) -> &'l Linter) -> SourceReport {
    let linted = lint::lint(read, linter_for);
    let mut files: Vec<SourceFileReport> = read
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| SourceFileReport {
            display: f.display.clone(),
            path: f.path.clone(),
            text: f.text.clone(),
            masked: text::masked(read, i),
            diagnostics: Vec::new(),
            unknown: Vec::new(),
            resources: Vec::new(),
        })
        .collect();
    for d in linted.diagnostics {
        files[d.file].diagnostics.push(d.item);
    }
    for u in linted.unknown {
        files[u.file].unknown.push(u.item);
    }
    for r in linted.resources {
        files[r.file].resources.push(r.item);
    }
    for f in &mut files {
        f.diagnostics.sort_by(|a, b| {
            (a.span.map(|s| s.start), &a.pointer).cmp(&(b.span.map(|s| s.start), &b.pointer))
        });
        f.unknown.sort_by_key(|u| (u.line, u.column));
    }
    SourceReport { files }
}

/// The functions of Terraform's language that a module's expressions are evaluated with; any
/// other function call is an unknown value.
pub fn evaluated_functions() -> &'static [&'static str] {
    funcs::EVALUATED
}

/// Reads the root module in `dir` (shown as `display`) and the local modules it calls.
/// `env` looks up `TF_VAR_*` (only when `inputs.env`).
#[cfg(test)]
pub(crate) fn read_root(
    dir: &Path,
    display: &str,
    inputs: &VarInputs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Read {
    read_root_with(Read::default(), dir, display, inputs, env)
}

/// `read_root`, starting from a `Read` that may hold an editor's text of one file.
pub(crate) fn read_root_with(
    mut read: Read,
    dir: &Path,
    display: &str,
    inputs: &VarInputs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Read {
    let root = read.load_dir(dir, display, 0);
    let mut tfvars = Vec::new();
    for path in vars::auto_files(dir) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let shown = module::normalize(&Path::new(display).join(name.unwrap_or_default()));
        tfvars.push(read.load_file(&path, shown.to_string_lossy().replace('\\', "/")));
    }
    for path in &inputs.var_files {
        tfvars.push(read.load_file(path, path.to_string_lossy().replace('\\', "/")));
    }
    walk(read, root, &tfvars, inputs, env)
}

fn walk(
    mut read: Read,
    root: usize,
    tfvars: &[usize],
    inputs: &VarInputs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Read {
    let covered = |t: &str| crate::terraform::mapping::mapping().resource(t).is_some();
    let mut walk = Walk {
        read: &read,
        covered: &covered,
        instances: Vec::new(),
        skipped: Vec::new(),
    };
    let root_inputs = Inputs::Root {
        tfvars,
        inputs,
        env,
    };
    walk.module(root, "", root_inputs, 0);
    let (instances, skipped) = (walk.instances, walk.skipped);
    read.instances = instances;
    read.skipped = skipped;
    read
}

/// One file's text read as a module of its own, without the file system (no variable files,
/// no child modules): what the fuzz target drives.
pub(crate) fn read_memory(name: &str, text: &str) -> Read {
    let mut read = Read::default();
    read.files.push(load::from_text(
        Path::new(name),
        name.to_string(),
        text.to_string(),
    ));
    read.dirs.push(module::ModuleDir {
        dir: std::path::PathBuf::new(),
        display: String::new(),
        files: vec![0],
    });
    walk(read, 0, &[], &VarInputs::default(), &|_| None)
}

#[cfg(test)]
mod tests;
