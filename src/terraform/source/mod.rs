//! Reading Terraform sources (`.tf`, `.tf.json`, `.tfvars`) into the resources of the covered
//! types, with their attributes as a plan's `change.after` would hold them, where each was
//! written, and what could not be known before apply.

mod eval;
pub(crate) mod funcs;
mod load;
pub(crate) mod module;
pub(crate) mod text;
mod value;
mod vars;

pub use vars::VarInputs;

pub(crate) use load::{Parsed, SourceFile, SyntaxError};
pub(crate) use module::{AttrInfo, Instance, Read, Skipped};
pub(crate) use value::{Place, Val, V};

use module::{Inputs, Walk};
use std::path::Path;

/// The resource types whose create requests the linter knows.
pub(crate) const TYPES: &[&str] = &[
    "huaweicloud_ddm_instance",
    "huaweicloud_gaussdb_cassandra_instance",
    "huaweicloud_gaussdb_mongo_instance",
    "huaweicloud_gaussdb_influx_instance",
    "huaweicloud_gaussdb_redis_instance",
    "huaweicloud_geminidb_instance",
];

/// Reads the root module in `dir` (shown as `display`) and the local modules it calls.
/// `env` looks up `TF_VAR_*` (only when `inputs.env`).
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
    let covered = |t: &str| TYPES.contains(&t);
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
