//! `check` on Terraform sources: the inputs that are a module's files (`*.tf`, `*.tf.json`, and
//! its variables files) are gathered by directory, each directory read as a module with its
//! variables, and the findings reported per file.

use super::fix::{Mode, Outcome};
use super::paths::Input;
use super::{config::Resolved, FileResult, Linters};
use hcdb_lint::terraform::{self, SourceFileReport, SourceReport, VarInputs};
use hcdb_lint::{Diagnostic, FixOptions};
use std::path::{Path, PathBuf};

/// A directory to read as a module, as the inputs named it.
#[derive(Debug)]
pub struct Module {
    pub dir: PathBuf,
    pub display: String,
    /// Named on the command line (not found by a directory walk).
    pub explicit: bool,
}

fn is_vars_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Splits the inputs into the modules their Terraform files belong to, and the rest.
pub fn split(inputs: Vec<Input>, explicit: &[PathBuf]) -> (Vec<Module>, Vec<Input>) {
    let mut modules: Vec<Module> = Vec::new();
    let mut rest = Vec::new();
    for input in inputs {
        let Some(path) = input.path.clone().filter(|_| input.problem.is_none()) else {
            rest.push(input);
            continue;
        };
        if !terraform::is_module_file(&path) && !is_vars_file(&path) {
            rest.push(input);
            continue;
        }
        let named = explicit.iter().any(|e| e == &path);
        if is_vars_file(&path) && !named {
            // Read with its module, as Terraform reads it.
            continue;
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let display = match input.display.rsplit_once('/') {
            Some((d, _)) => d.to_string(),
            None => String::new(),
        };
        match modules.iter_mut().find(|m| m.dir == dir) {
            Some(m) => m.explicit |= named,
            None => modules.push(Module {
                dir,
                display,
                explicit: named,
            }),
        }
    }
    (modules, rest)
}

/// What `check` passes to the Terraform reading.
pub struct Run<'a> {
    pub linters: &'a Linters,
    pub cfg: &'a Resolved,
    pub inputs: VarInputs,
    pub keep_source: bool,
    pub fixing: Option<(Mode, FixOptions)>,
}

/// Checks the modules: one result per file read. A directory that another module of the run
/// reads as its local child is not read again as a root, unless it was named.
pub fn check(modules: &[Module], run: &Run<'_>) -> Vec<FileResult> {
    let env = |k: &str| std::env::var(k).ok();
    let linter_for = |a: &str| run.linters.for_address(a);
    let reports: Vec<(&Module, SourceReport)> = modules
        .iter()
        .zip(super::par_map(modules, |m| {
            let dir = if m.dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                m.dir.as_path()
            };
            terraform::check_module(dir, &m.display, &run.inputs, &env, &linter_for, None)
        }))
        .collect();
    let children: Vec<PathBuf> = reports
        .iter()
        .flat_map(|(m, r)| {
            r.files
                .iter()
                .filter_map(|f| f.path.parent().map(Path::to_path_buf))
                .filter(move |d| !same_dir(d, &m.dir))
        })
        .collect();
    let mut out: Vec<FileResult> = Vec::new();
    for (m, r) in reports {
        if !m.explicit && children.iter().any(|c| same_dir(c, &m.dir)) {
            continue;
        }
        for f in r.files {
            let result = file_result(f, run);
            match out.iter_mut().find(|o| o.display == result.display) {
                Some(o) => {
                    o.diagnostics.extend(result.diagnostics);
                    o.unknown.extend(result.unknown);
                    o.ignored += result.ignored;
                    if let (Some(a), Some(b)) = (&mut o.resources, result.resources) {
                        a.extend(b);
                    }
                }
                None => out.push(result),
            }
        }
    }
    out
}

fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
    };
    canon(a) == canon(b)
}

/// One file's result: the config's `ignore` applied, fixes written or diffed when asked.
fn file_result(f: SourceFileReport, run: &Run<'_>) -> FileResult {
    let rel = f.display.clone();
    let ignored = |d: &Diagnostic| {
        run.cfg
            .ignore
            .iter()
            .any(|i| i.covers(&rel, &d.rule, &d.pointer))
    };
    let before = f.diagnostics.len();
    let diagnostics: Vec<Diagnostic> = f.diagnostics.into_iter().filter(|d| !ignored(d)).collect();
    let mut fix = Outcome::default();
    if let Some((mode, options)) = run.fixing {
        fix = fix_file(
            &f.path,
            &f.display,
            &f.text,
            &f.masked,
            &diagnostics,
            mode,
            options,
        );
    }
    let source = (run.keep_source && !diagnostics.is_empty()).then_some(f.masked);
    let resources = (!f.resources.is_empty()).then_some(f.resources);
    FileResult {
        display: f.display,
        api: None,
        ignored: before - diagnostics.len(),
        diagnostics,
        unknown: f.unknown,
        source,
        fix,
        resources,
        detected_by: Some("a Terraform module".to_string()),
        skipped: None,
    }
}

/// `--fix` and `--diff` on a module's file. The diff is of the masked texts (the edits never
/// touch a secret, and masking keeps every offset), so no password shows in its context lines.
fn fix_file(
    path: &Path,
    display: &str,
    text: &str,
    masked: &str,
    diagnostics: &[Diagnostic],
    mode: Mode,
    options: FixOptions,
) -> Outcome {
    let applied = hcdb_lint::apply_fixes(text, diagnostics, options);
    let mut out = Outcome {
        fixed: applied.applied,
        ..Outcome::default()
    };
    if applied.text == text {
        return out;
    }
    match mode {
        Mode::Diff => {
            let after = hcdb_lint::apply_fixes(masked, diagnostics, options).text;
            out.diff = similar::TextDiff::from_lines(masked, &after)
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{display}"), &format!("b/{display}"))
                .to_string();
        }
        Mode::Write => {
            if let Err(e) = std::fs::write(path, &applied.text) {
                out.write_error = Some(format!(
                    "{display}: cannot write the fixed text: {}",
                    super::io_reason(&e, path)
                ));
            }
        }
    }
    out
}
