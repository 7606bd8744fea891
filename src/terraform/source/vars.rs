//! Input variables of a root module, in Terraform's order of precedence (later wins): the
//! `variable` block's default, `TF_VAR_name` from the environment, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order, then the
//! command line's `--var-file` files and `--var` values.

use super::eval::{Ex, Scope};
use super::load::{Parsed, SourceFile};
use super::value::{Val, V};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Values given outside the module's files.
#[derive(Debug, Clone, Default)]
pub struct VarInputs {
    /// `--var-file` files, in the order given.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, in the order given.
    pub vars: Vec<(String, String)>,
    /// Read `TF_VAR_name` from the environment.
    pub env: bool,
}

/// A `variable` block.
pub(crate) struct VarDecl<'m> {
    pub name: String,
    pub default: Option<(Ex<'m>, usize)>,
    pub sensitive: bool,
    /// The `type` constraint's text (`string`, `number`, `list(string)`), empty when unset.
    pub ty: String,
}

/// The variable files Terraform reads by itself in a root module's directory, in its order.
pub(crate) fn auto_files(dir: &Path) -> Vec<PathBuf> {
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    (n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")) && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    files.extend(auto);
    files
}

/// The assignments of a variables file, evaluated as constants.
fn file_values(scope: &Scope<'_>, files: &[SourceFile], id: usize) -> Vec<(String, Val)> {
    match &files[id].parsed {
        Parsed::Hcl(body) => body
            .attributes()
            .map(|a| (a.key.as_str().to_string(), scope.eval(&a.value, id)))
            .collect(),
        Parsed::Json(j) => j
            .members()
            .iter()
            .map(|(k, v)| (k.clone(), scope.eval_json(v, id)))
            .collect(),
        Parsed::Failed(_) => Vec::new(),
    }
}

/// A value given as text (`--var`, `TF_VAR_*`): a string for primitive types, an HCL
/// expression for collections, as Terraform reads them.
fn from_text(text: &str, ty: &str) -> Val {
    let primitive = matches!(ty, "" | "string" | "number" | "bool" | "any");
    if !primitive || (ty == "any" && text.starts_with(['[', '{'])) {
        if let Ok(e) = hcl_edit::parser::parse_expr(text) {
            let files = [];
            let scope = Scope::new(&files, ".".into());
            let mut v = scope.eval(&e, 0);
            v.from = None;
            return clear_places(v);
        }
    }
    Val::new(V::Str(text.to_string()), None)
}

fn clear_places(mut v: Val) -> Val {
    v.from = None;
    v.v = match v.v {
        V::List(items) => V::List(items.into_iter().map(clear_places).collect()),
        V::Obj(m) => V::Obj(m.into_iter().map(|(k, x)| (k, clear_places(x))).collect()),
        other => other,
    };
    v
}

/// Converts a value to a variable's primitive type, as Terraform does on assignment.
pub(crate) fn convert(v: Val, ty: &str) -> Val {
    let v2 = match (ty, &v.v) {
        ("number", V::Str(t)) => t.trim().parse::<f64>().ok().map(V::Num),
        ("string", V::Num(_) | V::Bool(_)) => v.to_text().map(V::Str),
        ("bool", V::Str(t)) if t == "true" || t == "false" => Some(V::Bool(t == "true")),
        _ => None,
    };
    match v2 {
        Some(k) => Val { v: k, ..v },
        None => v,
    }
}

/// The root module's variables. `tfvars` are the ids of the variable files in the file table,
/// in precedence order (auto files, then `--var-file`s).
pub(crate) fn root_values(
    decls: &[VarDecl<'_>],
    files: &[SourceFile],
    tfvars: &[usize],
    inputs: &VarInputs,
    env: &dyn Fn(&str) -> Option<String>,
) -> HashMap<String, Val> {
    let constants = Scope::new(files, ".".into());
    let mut out: HashMap<String, Val> = HashMap::new();
    for d in decls {
        let mut v = match &d.default {
            Some((ex, file)) => constants.eval_ex(*ex, *file),
            None => Val::unknown(format!("var.{}", d.name), None),
        };
        if inputs.env {
            if let Some(t) = env(&format!("TF_VAR_{}", d.name)) {
                v = from_text(&t, &d.ty);
            }
        }
        out.insert(d.name.clone(), v);
    }
    for id in tfvars {
        for (name, v) in file_values(&constants, files, *id) {
            if out.contains_key(&name) {
                out.insert(name, v);
            }
        }
    }
    for (name, text) in &inputs.vars {
        if let Some(d) = decls.iter().find(|d| &d.name == name) {
            out.insert(name.clone(), from_text(text, &d.ty));
        }
    }
    finish(decls, out)
}

/// Types converted and sensitivity marked.
pub(crate) fn finish(
    decls: &[VarDecl<'_>],
    mut vals: HashMap<String, Val>,
) -> HashMap<String, Val> {
    for d in decls {
        if let Some(v) = vals.remove(&d.name) {
            let mut v = convert(v, &d.ty);
            v.secret |= d.sensitive;
            vals.insert(d.name.clone(), v);
        }
    }
    vals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_follow_the_declared_type() {
        assert_eq!(convert(from_text("3", "number"), "number").v, V::Num(3.0));
        assert_eq!(from_text("RocksDB", "string").v, V::Str("RocksDB".into()));
        let l = from_text(r#"["az1", "az2"]"#, "list(string)");
        assert!(matches!(l.v, V::List(ref items) if items.len() == 2));
    }
}
