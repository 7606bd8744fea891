//! Writing JSON strings: the one writer of the crate and the browser package (a fix's
//! replacement text, the package's results), escaping as serde_json does.

/// Append `s` to `out` as a JSON string: `"` and `\` escaped, the control characters as their
/// short escapes (`\n`, `\t`, ...) or `\u00XX`, everything else as it is.
pub fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte: a character boundary.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::write_string;

    /// The same text as serde_json writes, for every ASCII character and some beyond.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let ascii: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "plain",
            ascii.as_str(),
            "say \"hi\" \\ back",
            "集群 ünï 😀 \u{2028}",
            "\u{7f}\u{80}\u{9f}",
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
}
