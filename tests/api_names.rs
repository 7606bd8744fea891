//! Adding an API is adding a rule pack: no Rust source outside tests and generated code names an
//! API, by its id (`ddm-scale-out`) or by its `Api` variant (`DdmScaleOut`). This test reads the
//! crate's, the browser package's and the fuzz crate's sources and fails on a hit, skipping
//! comments (doc comments included) and `#[cfg(test)]` items.

use hcdb_lint::Api;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("target" | "corpus" | "artifacts" | "node_modules" | "pkg")
            ) {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a Rust source: comments, string-literal contents kept (they name ids), and the
/// items under `#[cfg(test)]` replaced by spaces; line breaks kept, so that hits have lines.
fn code_outside_tests(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    // Copies or blanks b[from..to], keeping newlines.
    let emit = |out: &mut String, text: &str, keep: bool| {
        if keep {
            out.push_str(text);
        } else {
            out.extend(text.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        }
    };
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(src.len(), |n| i + n);
            emit(&mut out, &src[i..end], false);
            i = end;
        } else if let Some(body) = rest.strip_prefix("/*") {
            let end = body.find("*/").map_or(src.len(), |n| i + 2 + n + 2);
            emit(&mut out, &src[i..end], false);
            i = end;
        } else if rest.starts_with("#[cfg(test)]") {
            let end = i + item_len(rest);
            emit(&mut out, &src[i..end], false);
            i = end;
        } else {
            let len = token_len(rest);
            emit(&mut out, &src[i..i + len], true);
            i += len;
        }
    }
    out
}

/// The length of the token at the start of `s`: a string literal (plain or raw) or a character
/// literal whole, else one character.
fn token_len(s: &str) -> usize {
    let b = s.as_bytes();
    let raw = s.strip_prefix('b').unwrap_or(s);
    let prefix = s.len() - raw.len();
    if let Some(r) = raw.strip_prefix('r') {
        let hashes = r.bytes().take_while(|&c| c == b'#').count();
        if r[hashes..].starts_with('"') {
            let close = format!("\"{}", "#".repeat(hashes));
            let body = prefix + 1 + hashes + 1;
            return s[body..]
                .find(&close)
                .map_or(s.len(), |n| body + n + close.len());
        }
    }
    if raw.starts_with('"') {
        let mut j = prefix + 1;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 2,
                b'"' => return j + 1,
                _ => j += 1,
            }
        }
        return s.len();
    }
    if let Some(r) = raw.strip_prefix('\'') {
        // '{', '\'', '\n', '\u{..}': a character literal; else a lifetime's quote.
        let lit = if r.starts_with('\\') {
            r.find('\'')
                .filter(|&n| n > 0)
                .or_else(|| r[2..].find('\'').map(|n| n + 2))
        } else {
            r.chars()
                .next()
                .filter(|c| r[c.len_utf8()..].starts_with('\''))
                .map(char::len_utf8)
        };
        if let Some(n) = lit {
            return prefix + 1 + n + 1;
        }
    }
    s.chars().next().map_or(1, char::len_utf8)
}

/// The length of the item that starts with its `#[cfg(test)]` attribute at the start of `s`: up
/// to its `;` or the end of its `{ ... }` body, outside brackets, strings and comments.
fn item_len(s: &str) -> usize {
    let mut depth = 0usize;
    let mut i = "#[cfg(test)]".len();
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        }
        let len = token_len(rest);
        match rest.as_bytes()[0] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b';' if depth == 0 => return i + 1,
            _ => {}
        }
        i += len;
    }
    s.len()
}

#[test]
fn the_scanner_skips_comments_and_test_items_only() {
    let src = "fn a() { x(\"ddm-scale-out\") } // ddm-create-instance\n\
               /// DdmScaleOut\n#[cfg(test)]\nconst T: [(u8, &str); 1] = [(1, \"}{\")];\n\
               #[cfg(test)]\nmod tests { fn f() { let c = '}'; g(r#\"}\"#, \"\\\"}\"); DdmScaleOut } }\n\
               fn b<'a>(s: &'a str) -> char { '{' } const K: &str = \"geminidb-create-instance\";";
    let code = code_outside_tests(src);
    assert!(code.contains("x(\"ddm-scale-out\")"), "{code}");
    assert!(!code.contains("ddm-create-instance"), "{code}");
    assert!(!code.contains("DdmScaleOut"), "{code}");
    assert!(!code.contains("const T"), "{code}");
    assert!(
        code.contains("fn b<'a>(s: &'a str) -> char { '{' }"),
        "{code}"
    );
    assert!(code.contains("\"geminidb-create-instance\""), "{code}");
    assert_eq!(code.lines().count(), src.lines().count());
}

#[test]
fn no_source_outside_tests_names_an_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("build.rs"), root.join("wasm").join("build.rs")];
    for dir in ["src", "wasm/src", "wasm/examples", "fuzz"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 40, "{} files", files.len());
    let mut names: Vec<String> = Vec::new();
    for api in Api::ALL {
        names.push(api.id().to_string());
        names.push(format!("{api:?}"));
    }
    // Files that are `#[cfg(test)] mod name;` modules of another are tests.
    let mut test_modules = Vec::new();
    for file in &files {
        let src = std::fs::read_to_string(file).unwrap();
        let dir = match file.file_stem().and_then(|s| s.to_str()) {
            Some("mod" | "lib" | "main" | "build") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for (at, _) in src.match_indices("#[cfg(test)]") {
            let rest = src[at + "#[cfg(test)]".len()..].trim_start();
            if let Some(name) = rest
                .strip_prefix("mod ")
                .and_then(|r| r.split_once(';'))
                .map(|(name, _)| name.trim())
                .filter(|name| name.chars().all(|c| c.is_alphanumeric() || c == '_'))
            {
                test_modules.push(dir.join(format!("{name}.rs")));
                test_modules.push(dir.join(name).join("mod.rs"));
            }
        }
    }
    assert!(test_modules.iter().any(|m| m.ends_with("server/tests.rs")));
    let mut hits = Vec::new();
    for file in files.iter().filter(|f| !test_modules.contains(f)) {
        let src = std::fs::read_to_string(file).unwrap();
        let code = code_outside_tests(&src);
        for (n, line) in code.lines().enumerate() {
            for name in &names {
                let found = line.match_indices(name.as_str()).any(|(at, _)| {
                    // A whole word: `DdmScaleOut`, not `DdmScaleOutput`.
                    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
                    !line[..at].ends_with(word) && !line[at + name.len()..].starts_with(word)
                });
                if found {
                    hits.push(format!(
                        "{}:{}: {name}: {}",
                        file.strip_prefix(root).unwrap_or(file).display(),
                        n + 1,
                        src.lines().nth(n).unwrap_or("").trim()
                    ));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "sources name an API (take it from the packs: `Api::ALL`, detection, `id()`):\n{}",
        hits.join("\n")
    );
}
