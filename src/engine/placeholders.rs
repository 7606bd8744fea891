//! Values that look copied from the reference pages (the common pack table `placeholders`):
//! `xxx`, `{project_id}`, `TODO` and the like, told apart from real values mostly by their first
//! byte.

use serde_json::Value;

/// Values that look copied from the reference pages (common pack table `placeholders`).
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    repeated: Vec<char>,
    repeated_min: usize,
    equals: Vec<String>,
    contains: Vec<String>,
    /// The bytes of the `contains` needles (a 256-bit set) and the shortest needle's length.
    contains_bytes: [u64; 4],
    contains_min: usize,
    braced: bool,
    /// The first bytes of the values `repeated`, `equals` and `braced` can match (a 256-bit
    /// set): most values are told apart by their first byte.
    starts: [u64; 4],
}

fn add_byte(set: &mut [u64; 4], b: u8) {
    set[usize::from(b >> 6)] |= 1 << (b & 63);
}

fn has_byte(set: &[u64; 4], b: u8) -> bool {
    set[usize::from(b >> 6)] & (1 << (b & 63)) != 0
}

impl Placeholders {
    pub fn from_table(t: Option<&Value>) -> Placeholders {
        let Some(t) = t else {
            return Placeholders::default();
        };
        let strs = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let contains = strs("contains");
        let mut set = [0u64; 4];
        for b in contains.iter().flat_map(|c| c.bytes()) {
            add_byte(&mut set, b);
        }
        let repeated: Vec<char> = t
            .get("repeated")
            .and_then(Value::as_str)
            .unwrap_or("")
            .chars()
            .collect();
        let equals = strs("equals");
        let braced = t.get("braced").and_then(Value::as_bool).unwrap_or(false);
        let mut starts = [0u64; 4];
        let mut utf8 = [0u8; 4];
        for c in &repeated {
            add_byte(&mut starts, c.encode_utf8(&mut utf8).as_bytes()[0]);
        }
        for b in equals.iter().filter_map(|e| e.bytes().next()) {
            add_byte(&mut starts, b);
        }
        if braced {
            add_byte(&mut starts, b'{');
        }
        Placeholders {
            contains_min: contains.iter().map(String::len).min().unwrap_or(0),
            contains_bytes: set,
            repeated,
            repeated_min: t.get("repeated_min").and_then(Value::as_u64).unwrap_or(3) as usize,
            equals,
            contains,
            braced,
            starts,
        }
    }

    #[inline(always)]
    pub fn matches(&self, s: &str) -> bool {
        // A non-empty value whose first byte starts no `repeated`, `equals` or `braced` match
        // can only be a `contains` match (the common case: one table read, a few probes).
        if s.as_bytes()
            .first()
            .is_some_and(|&b| !has_byte(&self.starts, b))
        {
            return self.contains_needle(s.as_bytes());
        }
        let mut chars = s.chars();
        if let Some(first) = chars.next() {
            if self.repeated.contains(&first)
                && s.chars().count() >= self.repeated_min
                && chars.all(|c| c == first)
            {
                return true;
            }
        }
        self.equals.iter().any(|e| e == s)
            || self.contains_needle(s.as_bytes())
            || (self.braced
                && s.len() > 2
                && s.starts_with('{')
                && s.ends_with('}')
                && !s[1..s.len() - 1].contains(['{', '}']))
    }
}

impl Placeholders {
    /// Whether one of the `contains` needles occurs in `hay`.
    #[inline(always)]
    fn contains_needle(&self, hay: &[u8]) -> bool {
        self.may_contain(hay)
            && self
                .contains
                .iter()
                .any(|c| contains_bytes(hay, c.as_bytes()))
    }

    /// A quick pre-test for the `contains` needles: any occurrence of a needle at least
    /// `contains_min` bytes long covers one of the bytes at `contains_min - 1`, `2 * contains_min
    /// - 1`, ...; when none of those bytes occurs in a needle, no needle occurs in `hay`.
    #[inline(always)]
    fn may_contain(&self, hay: &[u8]) -> bool {
        let step = self.contains_min;
        if step == 0 {
            return !self.contains.is_empty();
        }
        let mut i = step - 1;
        while let Some(&b) = hay.get(i) {
            if has_byte(&self.contains_bytes, b) {
                return true;
            }
            i += step;
        }
        false
    }
}

/// `hay.contains(needle)` without the standard library's substring searcher: that one is built
/// for long needles, and these are a few bytes long (its size in the browser package:
/// docs/performance.md).
pub(crate) fn contains_str(hay: &str, needle: &str) -> bool {
    needle.is_empty() || contains_bytes(hay.as_bytes(), needle.as_bytes())
}

/// Whether `needle` occurs in `hay`: candidates by the needle's first byte, then a slice
/// comparison (the needles are short; no searcher is set up per call).
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return false;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    let mut from = 0;
    while from <= last_start {
        match hay[from..=last_start].iter().position(|&b| b == first) {
            Some(i) => {
                if hay[from + i..].starts_with(needle) {
                    return true;
                }
                from += i + 1;
            }
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_first_byte_filter_keeps_every_match() {
        let table = serde_json::json!({
            "repeated": "*x＊", "repeated_min": 3, "equals": ["aaa", "", "{x}"],
            "contains": ["xxxxxxxx", "TODO"], "braced": true
        });
        let p = Placeholders::from_table(Some(&table));
        // The same tests without the first-byte filter.
        let slow = |s: &str| {
            let first = s.chars().next();
            first.is_some_and(|f| {
                p.repeated.contains(&f)
                    && s.chars().count() >= p.repeated_min
                    && s.chars().all(|c| c == f)
            }) || p.equals.iter().any(|e| e == s)
                || p.contains.iter().any(|c| s.contains(c.as_str()))
                || (p.braced
                    && s.len() > 2
                    && s.starts_with('{')
                    && s.ends_with('}')
                    && !s[1..s.len() - 1].contains(['{', '}']))
        };
        let cases = [
            "",
            "a",
            "aaa",
            "aaaa",
            "***",
            "**",
            "xxx",
            "＊＊＊",
            "＊＊",
            "{project_id}",
            "{a}{b}",
            "{}",
            "{x}",
            "orders-01",
            "axxxxxxxxb",
            "my TODO list",
            "TOD",
            "ñaaa",
            "bbb",
        ];
        let mut hits = 0;
        for s in cases {
            assert_eq!(p.matches(s), slow(s), "{s:?}");
            hits += usize::from(slow(s));
        }
        assert!(hits >= 8, "the cases must exercise matches: {hits}");
    }
}
