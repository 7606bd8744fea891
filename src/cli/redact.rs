//! The human format shows the file's own text in its code frames, and a request body holds its
//! password in plain text. Before the text goes to miette, every value of a member whose name
//! ends in `password` is masked with `*`, byte for byte, so that every span stays where it was.
//!
//! This is a lexical scan rather than a parse: it must also work on files that are not valid
//! JSON (a syntax error's frame shows the lines around it), at any depth.

/// Whether a member name holds a secret (`password`, `admin_user_password`, ...), or may be a
/// misspelt one (`pasword`, `admin_user_pwd`): a fix may rename it to the secret name, and a
/// diff shows the line before and after.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with("password")
        || k.contains("passw")
        || k.contains("pwd")
        || hcdb_lint::__private::suggest(&k, ["password", "admin_user_password"].into_iter())
            .is_some()
}

/// The text with every secret value masked. Same length in bytes, still UTF-8.
pub fn mask_secrets(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let end = string_end(bytes, i);
        let literal = &text[i..end];
        // A string followed by `:` is a member name.
        let mut j = skip_ws(bytes, end);
        let is_key = bytes.get(j) == Some(&b':');
        if is_key && is_secret_key(&decode(literal)) {
            j = skip_ws(bytes, j + 1);
            match bytes.get(j) {
                Some(b'"') => {
                    i = mask_string(bytes, &mut out, j);
                    continue;
                }
                Some(b'{') | Some(b'[') => {
                    // A password of the wrong type (`["Secr3t"]`): mask what it holds.
                    i = mask_composite(bytes, &mut out, j);
                    continue;
                }
                None => {}
                Some(_) => {
                    // A bare scalar (a number written as a password): mask up to the delimiter.
                    let mut k = j;
                    while k < bytes.len() && !matches!(bytes[k], b',' | b'}' | b']' | b'\n' | b'\r')
                    {
                        k += 1;
                    }
                    let trimmed = text[j..k].trim_end().len();
                    out[j..j + trimmed].iter_mut().for_each(|b| *b = b'*');
                    i = k;
                    continue;
                }
            }
        }
        i = end;
    }
    // Only ASCII bytes were written over whole UTF-8 sequences (string contents are whole
    // characters between two quotes), so this cannot fail; fall back to a full mask if it does.
    String::from_utf8(out).unwrap_or_else(|e| "*".repeat(e.into_bytes().len()))
}

/// Masks the contents of the string literal opening at `start` (its quotes stay); returns the
/// index just past it.
fn mask_string(bytes: &[u8], out: &mut [u8], start: usize) -> usize {
    let end = string_end(bytes, start);
    let inner_end = if end > start + 1 && bytes[end - 1] == b'"' {
        end - 1
    } else {
        end
    };
    out[start + 1..inner_end].iter_mut().for_each(|b| *b = b'*');
    end
}

/// Masks the strings and scalars of the array or object opening at `start`, keeping brackets,
/// commas and colons; returns the index just past its closing bracket (or the end of the text).
fn mask_composite(bytes: &[u8], out: &mut [u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = mask_string(bytes, out, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => out[i] = b'*',
        }
        i += 1;
    }
    bytes.len()
}

/// The index just past the string literal starting at `start` (or the end of the line or text
/// if it is not closed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn decode(literal: &str) -> String {
    serde_json::from_str::<String>(literal)
        .unwrap_or_else(|_| literal.trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::mask_secrets;

    #[test]
    fn masks_passwords_at_any_depth_keeping_length() {
        let text = r#"{"instance": {"admin_user_password" : "Secr3t!x", "name": "pass"}, "password":"Ab1~é"}"#;
        let masked = mask_secrets(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("Secr3t!x"));
        assert!(!masked.contains("Ab1~"));
        assert!(masked.contains(r#""name": "pass""#));
        assert!(masked.contains(r#""admin_user_password" : "********""#));
    }

    #[test]
    fn masks_escaped_keys_numbers_and_broken_json() {
        let masked = mask_secrets(
            "{\"pass\\u0077ord\": \"Zz9~zzzz\",\n \"password\": 12345678,\n \"password\": \"open",
        );
        assert!(!masked.contains("Zz9~zzzz"));
        assert!(!masked.contains("12345678"));
        assert!(!masked.contains("open"));
    }

    #[test]
    fn masks_passwords_of_the_wrong_type() {
        let text = "{\"password\": [\"Secr3t!x\", {\"k\": 98765}], \"name\": \"keep\"}";
        let masked = mask_secrets(text);
        assert_eq!(masked.len(), text.len());
        assert!(
            !masked.contains("Secr3t!x") && !masked.contains("98765"),
            "{masked}"
        );
        assert!(masked.ends_with(r#", "name": "keep"}"#), "{masked}");
    }

    #[test]
    fn escaped_quote_inside_value_is_masked_whole() {
        let masked = mask_secrets(r#"{"password": "a\"b,c", "x": 1}"#);
        assert!(!masked.contains("b,c"));
        assert!(masked.ends_with(r#", "x": 1}"#));
    }
}
