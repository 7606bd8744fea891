//! File globs for `hcdb-lint.json` (`files`, `apis`, `ignore`).
//!
//! Hand-written rather than the `globset` crate: the config needs four forms only, and a few
//! dozen lines keep the binary's start-up and dependency tree small.
//! - `*` any run of characters within one path segment, `?` one character;
//! - `**` as a whole segment: any number of segments (`requests/**/*.json`);
//! - `{a,b}` is not supported; `[...]` neither: write two entries instead;
//! - a glob without `/` matches the file name in any directory (`*.ddm.json`), as in .gitignore.
//!
//! Paths are matched with `/` separators, relative to the config file's directory.

/// A compiled glob.
#[derive(Debug, Clone)]
pub struct Glob {
    text: String,
    segments: Vec<String>,
    basename_only: bool,
}

impl Glob {
    pub fn new(text: &str) -> Result<Glob, String> {
        let trimmed = text.strip_prefix("./").unwrap_or(text);
        if trimmed.is_empty() {
            return Err("empty glob".into());
        }
        for bad in ['[', ']', '{', '}'] {
            if trimmed.contains(bad) {
                return Err(format!(
                    "`{text}`: `{bad}` is not supported (only *, ? and **)"
                ));
            }
        }
        let trimmed = trimmed.trim_end_matches('/');
        Ok(Glob {
            text: text.to_string(),
            segments: trimmed.split('/').map(str::to_string).collect(),
            basename_only: !trimmed.contains('/'),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `path` (relative, `/`-separated) matches.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        if self.basename_only {
            let name = path.rsplit('/').next().unwrap_or(path);
            return segment_matches(&self.segments[0], name);
        }
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let segs: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        segments_match(&segs, &parts)
    }

    /// The leading segments without wildcards: where a walk for this glob can start.
    pub fn literal_prefix(&self) -> Option<String> {
        if self.basename_only {
            return None;
        }
        let lit: Vec<&str> = self
            .segments
            .iter()
            .take_while(|s| !has_wildcard(s))
            .map(String::as_str)
            .collect();
        if lit.is_empty() {
            None
        } else {
            Some(lit.join("/"))
        }
    }

    /// A glob without any wildcard names one path.
    pub fn is_literal(&self) -> bool {
        !has_wildcard(&self.text)
    }
}

pub fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

fn segments_match(globs: &[&str], parts: &[&str]) -> bool {
    match globs.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => (0..=parts.len()).any(|i| segments_match(rest, &parts[i..])),
        Some((g, rest)) => match parts.split_first() {
            Some((p, more)) => segment_matches(g, p) && segments_match(rest, more),
            None => false,
        },
    }
}

/// `*` and `?` within one segment, by Unicode scalar value.
fn segment_matches(glob: &str, name: &str) -> bool {
    let g: Vec<char> = glob.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matcher with one backtrack point for the last `*`: linear for practical globs.
    let (mut gi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if gi < g.len() && (g[gi] == '?' || g[gi] == n[ni]) {
            gi += 1;
            ni += 1;
        } else if gi < g.len() && g[gi] == '*' {
            star = Some((gi, ni));
            gi += 1;
        } else if let Some((sg, sn)) = star {
            gi = sg + 1;
            ni = sn + 1;
            star = Some((sg, sn + 1));
        } else {
            return false;
        }
    }
    while gi < g.len() && g[gi] == '*' {
        gi += 1;
    }
    gi == g.len()
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(glob: &str, path: &str) -> bool {
        Glob::new(glob).unwrap().matches(path)
    }

    #[test]
    fn star_stays_in_one_segment() {
        assert!(m("requests/*.json", "requests/a.json"));
        assert!(!m("requests/*.json", "requests/sub/a.json"));
        assert!(!m("requests/*.json", "other/a.json"));
    }

    #[test]
    fn double_star_spans_segments() {
        assert!(m("requests/**/*.json", "requests/a.json"));
        assert!(m("requests/**/*.json", "requests/x/y/a.json"));
        assert!(m("**/ddm/*.json", "a/b/ddm/c.json"));
        assert!(!m("requests/**/*.json", "requests/x/a.yaml"));
    }

    #[test]
    fn slashless_glob_matches_the_file_name_anywhere() {
        assert!(m("*.ddm.json", "deep/dir/x.ddm.json"));
        assert!(!m("*.ddm.json", "deep/dir/x.gdb.json"));
        assert!(m("ddm-?.json", "ddm-1.json"));
        assert!(!m("ddm-?.json", "ddm-12.json"));
    }

    #[test]
    fn star_backtracks() {
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("*", ""));
    }

    #[test]
    fn literal_prefix_and_rejections() {
        assert_eq!(
            Glob::new("req/ddm/**/*.json").unwrap().literal_prefix(),
            Some("req/ddm".into())
        );
        assert_eq!(Glob::new("*.json").unwrap().literal_prefix(), None);
        assert!(Glob::new("a/[ab].json").is_err());
        assert!(Glob::new("").is_err());
        assert!(Glob::new("./x/a.json").unwrap().matches("x/a.json"));
    }
}
