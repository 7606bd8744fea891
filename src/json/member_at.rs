//! Whose value an offset is in, read from the text before it: for a syntax error, which stops
//! the parser, so that an error inside a secret member's value is worded without its characters.

/// The path of the member (keys, `*` for array items) whose value holds `offset`, read from
/// `text[..offset]` only; `None` when the offset is not inside a member's value (a key, between
/// members, the top level). The text before a syntax error is valid JSON up to it, so a plain
/// reading of brackets, strings, `:` and `,` is enough.
pub fn member_at(text: &str, offset: usize) -> Option<Vec<String>> {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    // One entry per open container: the key being read or of the value being read (objects;
    // `None` before the key's `:`), or `*` (arrays).
    let mut stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < end && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // A key is a string in an object before its `:`; its text, unescaped enough
                // for member names (escapes in keys are rare; they read as written).
                let key = text.get(start..i.min(end)).unwrap_or("").to_string();
                if let Some((true, k @ None)) = stack.last_mut() {
                    *k = Some(key);
                }
            }
            b'{' => stack.push((true, None)),
            b'[' => stack.push((false, Some("*".into()))),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some((true, k)) = stack.last_mut() {
                    *k = None;
                }
            }
            b':' => {}
            _ => {}
        }
        i += 1;
    }
    // Inside an object, the value is being read only after the key's `:`.
    if let Some((true, Some(_))) = stack.last() {
        let before = text[..end].trim_end();
        let after_colon = before.ends_with(':') || value_started(before);
        if !after_colon {
            return None;
        }
    }
    let path: Option<Vec<String>> = stack.into_iter().map(|(_, k)| k).collect();
    path.filter(|p| !p.is_empty())
}

/// Whether the text before the offset ends inside a member's value (after its `:`): the last
/// structural character outside strings is the `:`.
fn value_started(before: &str) -> bool {
    let mut in_string = false;
    let mut last = b' ';
    let mut escaped = false;
    for &b in before.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b':' | b',' | b'{' | b'[' => last = b,
            _ => {}
        }
    }
    last == b':'
}

#[cfg(test)]
mod tests {
    use super::member_at;

    fn at(text: &str, marker: char) -> Option<String> {
        let offset = text.find(marker).unwrap();
        member_at(text, offset).map(|p| p.join("/"))
    }

    #[test]
    fn the_member_whose_value_holds_the_offset() {
        assert_eq!(
            at(r#"{"password": Secr3t}"#, 'S').as_deref(),
            Some("password")
        );
        assert_eq!(
            at(r#"{"a": 1, "password": Secr3t}"#, 'S').as_deref(),
            Some("password")
        );
        assert_eq!(
            at(
                r#"{"instance": {"name": "x", "admin_user_password": Qa}}"#,
                'Q'
            )
            .as_deref(),
            Some("instance/admin_user_password")
        );
        assert_eq!(
            at(r#"{"flavor": [{"num": X}]}"#, 'X').as_deref(),
            Some("flavor/*/num")
        );
        assert_eq!(at(r#"{"password": "ok", X}"#, 'X'), None);
        assert_eq!(at(r#"{"a": {"b": 1}, X}"#, 'X'), None);
        assert_eq!(at("X", 'X'), None);
        assert_eq!(
            at(r#"{"pass\"word": Q}"#, 'Q').as_deref(),
            Some("pass\\\"word")
        );
    }
}
