//! The value a check reads ([`Val`], after the type coercion of
//! docs/reading-the-pages.md#types) and how it reads as text, plus how a character is named in a
//! finding.

use std::borrow::Cow;

/// A value after the type coercion of docs/reading-the-pages.md#types.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'d> {
    Str(Cow<'d, str>),
    Int(i64),
    Bool(bool),
    /// An object or array (the node itself carries the content).
    Composite,
}

impl Val<'_> {
    /// The value's text (an integer's decimal digits, a boolean's JSON word, nothing for a
    /// composite).
    #[inline(always)]
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Val::Str(s) => Cow::Borrowed(s.as_ref()),
            Val::Int(i) => Cow::Owned(i.to_string()),
            Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Val::Composite => Cow::Borrowed(""),
        }
    }

    /// [`Val::text`] without allocating: an integer is written into `buf`. For the comparisons
    /// every value of an enum-like check goes through.
    #[inline(always)]
    pub fn text_in<'a>(&'a self, buf: &'a mut [u8; 20]) -> &'a str {
        match self {
            Val::Str(s) => s,
            Val::Int(i) => int_text(*i, buf),
            Val::Bool(b) => {
                if *b {
                    "true"
                } else {
                    "false"
                }
            }
            Val::Composite => "",
        }
    }

    /// [`Val::text_in`] as a `Cow`, for a check that may keep the text in its finding.
    #[inline(always)]
    pub fn text_buf<'a>(&'a self, buf: &'a mut [u8; 20]) -> Cow<'a, str> {
        Cow::Borrowed(self.text_in(buf))
    }
}

/// `i.to_string()` written into `buf` (20 bytes hold `i64::MIN`).
fn int_text(i: i64, buf: &mut [u8; 20]) -> &str {
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// A character as a finding names it: `space`, a control character by its code point, any other
/// as itself.
pub fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".into(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_read_as_their_decimal_text() {
        let mut ints = vec![
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let mut x = 3u64;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = ((x >> 33) % 19) as u32;
            let n = (x >> 1) as i64 % 10i64.pow(digits).max(1);
            ints.push(if x & 1 == 0 { n } else { -n });
        }
        for i in ints {
            assert_eq!(Val::Int(i).text_in(&mut [0; 20]), i.to_string());
            assert_eq!(Val::Int(i).text(), i.to_string());
        }
        assert_eq!(Val::Bool(true).text_in(&mut [0; 20]), "true");
        assert_eq!(Val::Composite.text(), "");
    }

    #[test]
    fn characters_are_named_readably() {
        assert_eq!(describe_char(' '), "space");
        assert_eq!(describe_char('\t'), "U+0009");
        assert_eq!(describe_char('é'), "é");
    }
}
