//! ASCII character sets as 128-bit masks: the allowed-character and character-class primitives
//! need no regular expression, so checks stay linear and the wasm build stays small.

/// A set of ASCII characters. Non-ASCII characters are never members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CharSet(u128);

impl CharSet {
    pub const UPPER: CharSet = CharSet::range(b'A', b'Z');
    pub const LOWER: CharSet = CharSet::range(b'a', b'z');
    pub const DIGITS: CharSet = CharSet::range(b'0', b'9');

    pub const fn range(lo: u8, hi: u8) -> CharSet {
        let mut bits = 0u128;
        let mut c = lo;
        while c <= hi {
            bits |= 1u128 << c;
            c += 1;
        }
        CharSet(bits)
    }

    pub fn union(self, other: CharSet) -> CharSet {
        CharSet(self.0 | other.0)
    }

    pub fn contains(self, c: char) -> bool {
        u8::try_from(c).is_ok_and(|b| self.contains_byte(b))
    }

    /// Whether a byte of UTF-8 text is a member: the bytes of a non-ASCII char never are (nor
    /// is that char), so a set's test over the bytes is its test over the chars. One 64-bit
    /// half is picked and shifted, rather than the whole 128 bits by a variable amount.
    #[inline]
    pub fn contains_byte(self, b: u8) -> bool {
        let half = if b < 64 {
            self.0 as u64
        } else {
            (self.0 >> 64) as u64
        };
        b < 128 && (half >> (b & 63)) & 1 != 0
    }

    /// A named class (`upper`, `lower`, `letters`, `digits`) or, for any other text, its
    /// characters literally. `None` for an empty or non-ASCII literal.
    pub fn from_term(term: &str) -> Option<CharSet> {
        Some(match term {
            "upper" => Self::UPPER,
            "lower" => Self::LOWER,
            "letters" => Self::UPPER.union(Self::LOWER),
            "digits" => Self::DIGITS,
            lit if !lit.is_empty() && lit.is_ascii() => {
                let mut bits = 0u128;
                for b in lit.bytes() {
                    bits |= 1u128 << b;
                }
                CharSet(bits)
            }
            _ => return None,
        })
    }

    pub fn from_terms(terms: &[String]) -> Option<CharSet> {
        terms.iter().try_fold(CharSet::default(), |acc, t| {
            Some(acc.union(CharSet::from_term(t)?))
        })
    }

    /// A regular-expression character class for the JSON Schema export (`[A-Za-z0-9\-]`).
    pub fn to_regex_class(self) -> String {
        let mut out = String::from("[");
        let mut c = 0u8;
        while c < 128 {
            if self.contains(c as char) {
                let start = c;
                while c < 127 && self.contains((c + 1) as char) {
                    c += 1;
                }
                push_class_char(&mut out, start);
                if c > start + 1 {
                    out.push('-');
                }
                if c > start {
                    push_class_char(&mut out, c);
                }
            }
            c += 1;
        }
        out.push(']');
        out
    }

    /// The members, for form metadata (`"A-Za-z0-9-"` style).
    pub fn describe(self) -> String {
        let class = self.to_regex_class();
        class[1..class.len() - 1].replace('\\', "")
    }
}

fn push_class_char(out: &mut String, b: u8) {
    let c = b as char;
    if matches!(c, '\\' | ']' | '[' | '^' | '-') {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_literal_terms() {
        let set = CharSet::from_terms(&["letters".into(), "digits".into(), "-_".into()]).unwrap();
        assert!(set.contains('a') && set.contains('Z') && set.contains('5'));
        assert!(set.contains('-') && set.contains('_'));
        assert!(!set.contains(' ') && !set.contains('é') && !set.contains('.'));
        assert_eq!(set.to_regex_class(), r"[\-0-9A-Z_a-z]");
    }

    #[test]
    fn a_set_over_bytes_is_the_set_over_chars() {
        let set = CharSet::from_terms(&["letters".into(), "~!@#".into()]).unwrap();
        for text in ["abc", "a~b", "é", "aé", "日本", "A#\u{80}", "\u{7f}", ""] {
            let by_chars = text.chars().all(|c| set.contains(c));
            let by_bytes = text.bytes().all(|b| set.contains_byte(b));
            assert_eq!(by_chars, by_bytes, "{text:?}");
            let any_chars = text.chars().any(|c| set.contains(c));
            let any_bytes = text.bytes().any(|b| set.contains_byte(b));
            assert_eq!(any_chars, any_bytes, "{text:?}");
        }
        assert!(!set.contains_byte(0xC3) && set.contains_byte(b'~'));
    }

    #[test]
    fn membership_is_the_bit_of_the_set() {
        // Sets with members in both 64-bit halves, at their edges, and none.
        let sets = [
            CharSet::from_terms(&["letters".into(), "digits".into()]).unwrap(),
            CharSet::from_terms(&["\u{0}?@\u{7f}".into()]).unwrap(),
            CharSet::from_terms(&["~".into()]).unwrap(),
            CharSet(0),
            CharSet(u128::MAX),
        ];
        let mut members = 0;
        for set in sets {
            for b in 0..=255u8 {
                let bit = b < 128 && (set.0 >> b) & 1 == 1;
                assert_eq!(set.contains_byte(b), bit, "{b}");
                assert_eq!(set.contains(char::from(b)), bit, "{b}");
                members += usize::from(bit);
            }
            assert!(!set.contains('é') && !set.contains('日'));
        }
        assert!(members > 128 + 60, "{members}");
    }

    #[test]
    fn empty_or_non_ascii_terms_are_refused() {
        assert!(CharSet::from_term("").is_none());
        assert!(CharSet::from_term("é").is_none());
    }
}
