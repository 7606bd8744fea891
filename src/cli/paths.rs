//! Which inputs a `check` run reads: command-line paths, directories (recursing into `*.json`
//! in sorted order), the config file's `files` globs, or stdin.

use super::glob::Glob;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// One input to check.
#[derive(Debug, Clone)]
pub struct Input {
    /// How the file is named in every output.
    pub display: String,
    /// Where it is read from (`None`: stdin).
    pub path: Option<PathBuf>,
    /// Known before reading: why the file cannot be read (walks do not open FIFOs, say).
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    NotFound,
    NotRegular,
    UnreadableDir,
    /// Symbolic links that lead back to themselves.
    LinkLoop,
    /// A symbolic link to nothing.
    Dangling,
    PermissionDenied,
}

/// Why `metadata(path)` failed, told apart for the message.
fn problem_of(path: &Path, e: &std::io::Error) -> Problem {
    // ELOOP: too many levels of symbolic links.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const ELOOP: i32 = 40;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const ELOOP: i32 = 62;
    if e.raw_os_error() == Some(ELOOP) {
        return Problem::LinkLoop;
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => Problem::PermissionDenied,
        std::io::ErrorKind::NotFound
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            Problem::Dangling
        }
        _ => Problem::NotFound,
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system (symlinks are kept as named).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path with `/` separators, as globs and outputs want it.
pub fn slashed(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The path globs are matched against: relative to `base` when under it.
pub fn relative_to(path: &Path, cwd: &Path, base: &Path) -> String {
    let abs = normalize(&cwd.join(path));
    match abs.strip_prefix(base) {
        Ok(rel) => slashed(rel),
        Err(_) => slashed(&abs),
    }
}

/// Collects inputs, each file once, in the order found.
pub struct Collector {
    pub inputs: Vec<Input>,
    seen_files: HashSet<PathBuf>,
    seen_dirs: HashSet<PathBuf>,
    cwd: PathBuf,
    skip: Option<PathBuf>,
    skip_name: &'static str,
}

impl Collector {
    /// `skip`: a file never to check (the config file, when a walk meets it); `skip_name`: the
    /// name of files a walk without globs leaves out (config files, wherever they are).
    pub fn new(cwd: &Path, skip: Option<PathBuf>, skip_name: &'static str) -> Collector {
        Collector {
            inputs: Vec::new(),
            seen_files: HashSet::new(),
            seen_dirs: HashSet::new(),
            cwd: cwd.to_path_buf(),
            skip: skip.and_then(|p| p.canonicalize().ok()),
            skip_name,
        }
    }

    pub fn stdin(&mut self, name: &str) {
        self.inputs.push(Input {
            display: name.to_string(),
            path: None,
            problem: None,
        });
    }

    /// A path named by the user: a directory is walked, anything else is read as given
    /// (a FIFO or `/dev/stdin` included), and a missing path is a finding for that path.
    pub fn explicit(&mut self, path: &Path, display: String) {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => self.walk(path, &display, None),
            Ok(_) => self.push_file(path, display, None, false),
            Err(e) => self.push_file(path, display, Some(problem_of(path, &e)), false),
        }
    }

    fn push_file(&mut self, path: &Path, display: String, problem: Option<Problem>, walked: bool) {
        let key = path
            .canonicalize()
            .unwrap_or_else(|_| normalize(&self.cwd.join(path)));
        if walked && self.skip.as_ref() == Some(&key) {
            return;
        }
        if self.seen_files.insert(key) {
            self.inputs.push(Input {
                display,
                path: Some(path.to_path_buf()),
                problem,
            });
        }
    }

    /// Recurse into `dir` in sorted order. Hidden entries are skipped, symlinks are followed,
    /// and a directory already visited (a symlink loop) is not entered again. With a `filter`,
    /// a file is taken when its path relative to the filter's base matches a glob; without,
    /// when it ends in `.json` and is not a config file.
    pub fn walk(&mut self, dir: &Path, display: &str, filter: Option<(&[Glob], &Path)>) {
        let Ok(canon) = dir.canonicalize() else {
            return;
        };
        if !self.seen_dirs.insert(canon) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            // An unreadable directory is a finding on the directory itself.
            self.push_file(
                dir,
                display.to_string(),
                Some(Problem::UnreadableDir),
                false,
            );
            return;
        };
        let mut names: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let name_str = name.to_string_lossy().into_owned();
            if name_str.starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            let shown = if display.is_empty() || display == "." {
                name_str.clone()
            } else {
                format!("{}/{}", display.trim_end_matches('/'), name_str)
            };
            let meta = std::fs::metadata(&path);
            if let Ok(m) = &meta {
                if m.is_dir() {
                    self.walk(&path, &shown, filter);
                    continue;
                }
            }
            let wanted = match filter {
                Some((globs, base)) => {
                    let rel = relative_to(&path, &self.cwd, base);
                    globs.iter().any(|g| g.matches(&rel))
                }
                None => {
                    (name_str.ends_with(".json") && name_str != self.skip_name)
                        || terraform_file(&name_str)
                }
            };
            if !wanted {
                continue;
            }
            let problem = match &meta {
                Ok(m) if m.is_file() => None,
                Ok(_) => Some(Problem::NotRegular),
                Err(e) => Some(problem_of(&path, e)),
            };
            self.push_file(&path, shown, problem, true);
        }
    }
}

/// Whether a walk takes this file name beside `*.json`: a Terraform module's files.
pub fn terraform_file(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tfvars")
}
