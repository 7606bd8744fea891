//! `check --fix`, `--unsafe-fixes` and `--diff`: the fixed text of one input, written in place,
//! to stdout (stdin) or shown as a unified diff.

use super::paths::Input;
use super::redact::mask_secrets;
use hcdb_lint::{Api, Diagnostic, FixOptions, Lang, Linter, Report};

/// What `check` does with the fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write the fixed text (in place; stdin's to stdout).
    Write,
    /// Print a unified diff; write nothing.
    Diff,
}

/// What fixing did with one input.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings fixed.
    pub fixed: usize,
    /// `--diff`: the unified diff (empty when nothing would change).
    pub diff: String,
    /// `--fix` on stdin: the body to write to stdout (fixed or not).
    pub body: Option<String>,
    /// The file could not be written.
    pub write_error: Option<String>,
    /// The report and text after fixing, taken by the caller.
    pub report: Option<Report>,
    pub text: Option<String>,
}

/// Fix one input's text (the fixes of `ignored` diagnostics left alone), then write it in
/// place, keep it for stdout (stdin) or diff it, as `mode` says.
pub fn fix_one(
    linter: &Linter,
    api: Option<Api>,
    text: &str,
    options: FixOptions,
    mode: Mode,
    input: &Input,
    ignored: impl Fn(&Diagnostic) -> bool,
) -> Outcome {
    let fixed = linter.fix_where(api, text, options, |d| !ignored(d));
    let mut out = Outcome {
        fixed: fixed.fixed,
        ..Outcome::default()
    };
    let changed = fixed.changed(text);
    match (mode, &input.path) {
        (Mode::Diff, _) => out.diff = unified_diff(&input.display, text, &fixed.text),
        (Mode::Write, Some(path)) if changed => {
            if let Err(e) = std::fs::write(path, &fixed.text) {
                out.write_error = Some(format!(
                    "{}: cannot write the fixed text: {}",
                    input.display,
                    super::io_reason(&e, path)
                ));
            }
        }
        (Mode::Write, Some(_)) => {}
        (Mode::Write, None) => out.body = Some(fixed.text.clone()),
    }
    out.report = Some(fixed.report);
    out.text = Some(fixed.text);
    out
}

/// `--diff`'s totals.
#[derive(Debug, Default)]
pub struct Diffs {
    pub files: usize,
    pub fixes: usize,
    pub write_errors: usize,
}

impl Diffs {
    pub fn add(&mut self, o: &Outcome) {
        if !o.diff.is_empty() {
            self.files += 1;
            self.fixes += o.fixed;
        }
    }

    pub fn summary(&self, lang: Lang) -> String {
        match lang {
            Lang::En if self.files == 0 => "no fixes to apply".into(),
            Lang::En => format!(
                "{} would be fixed in {}",
                plural(self.fixes, "finding", "findings"),
                plural(self.files, "file", "files")
            ),
            Lang::Zh if self.files == 0 => "没有可应用的修复".into(),
            Lang::Zh => format!("将在 {} 个文件中修复 {} 条问题", self.files, self.fixes),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The unified diff of one input, with every secret value masked on both sides (the masking
/// keeps the length of each line, so the diff is the same as the real one but for the masked
/// characters). Empty when nothing changes.
///
/// The diff is `similar`'s (Myers' algorithm with the usual unified layout and the "No newline
/// at end of file" marker) rather than a hand-written one: a well-kept crate that insta already
/// brings into the lock file.
pub fn unified_diff(display: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let (before, after) = (mask_secrets(before), mask_secrets(after));
    similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn diff_masks_secrets_on_both_sides_and_keeps_crlf() {
        let before = "{\r\n  \"pasword\": \"Secr3t!x\",\r\n  \"mode\": \"cluster\"\r\n}\r\n";
        let after = "{\r\n  \"password\": \"Secr3t!x\",\r\n  \"mode\": \"Cluster\"\r\n}\r\n";
        let d = unified_diff("req.json", before, after);
        assert!(d.starts_with("--- a/req.json\n+++ b/req.json\n"), "{d}");
        assert!(!d.contains("Secr3t"), "{d}");
        assert!(d.contains("-  \"mode\": \"cluster\"\r\n"), "{d:?}");
        assert!(d.contains("+  \"mode\": \"Cluster\"\r\n"), "{d:?}");
        assert_eq!(unified_diff("x", before, before), "");
    }
}
