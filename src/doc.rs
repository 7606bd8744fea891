//! One read-only view over the two trees the engine checks: `serde_json::Value` (values handed in
//! by Rust callers and the browser) and the span-carrying tree of [`crate::json`] (text input).
//! The engine is generic over [`Doc`], so both paths run the same compiled rules.

use crate::json;
use std::borrow::Cow;

/// The JSON type of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
    /// A value a template fills in (text read with templates only): given, not known. Presence
    /// rules see it; value rules, and rules whose condition reads it, stay silent.
    Unknown,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::Unknown => "unknown",
        }
    }
}

/// A JSON number as the engine sees it. Whether it is whole, and whether it is within `i64`, is
/// decided here once, on the number as written: the digits of a text literal
/// ([`Num::of_literal`]) or the exact value of a float handed in ([`Num::of_f64`]), never on a
/// rounded copy. So `3048335780245499.1` is not whole on any path, though the nearest `f64` is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// Written as an integer (no fraction, no exponent) within `i64`.
    Int(i64),
    /// Anything else: the nearest `f64` (for messages and comparisons) and, if the number is
    /// whole and within `i64`, that integer (`3.0` and `1e2` are whole; `2.5`, `1e400` are not).
    Float { value: f64, whole: Option<i64> },
}

/// 2^63 as `f64`. A number written with a fraction or exponent, or handed in as a float, is
/// whole in range if its magnitude is below 2^63: `i64`'s range less `i64::MIN`, whose float's
/// text as serde_json writes it (`-9.223372036854776e18`) is below `i64::MIN`.
const I64_END: f64 = 9_223_372_036_854_775_808.0;

impl Num {
    /// A JSON number literal (already validated by the parser).
    pub fn of_literal(raw: &str) -> Num {
        let integer_text = !raw.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
        match raw.parse::<i64>() {
            Ok(i) if integer_text => Num::Int(i),
            _ => Num::Float {
                value: raw.parse().unwrap_or(f64::NAN),
                whole: whole_of_literal(raw),
            },
        }
    }

    /// A float handed in as a value: its exact value is what was written.
    pub fn of_f64(value: f64) -> Num {
        let whole = (value.is_finite() && value.fract() == 0.0 && value.abs() < I64_END)
            .then_some(value as i64);
        Num::Float { value, whole }
    }

    /// The number as a whole `i64`, if it is one.
    pub fn whole(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Float { whole, .. } => whole,
        }
    }

    /// The number as `f64` (the nearest one).
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float { value, .. } => value,
        }
    }

    pub fn to_text(self) -> String {
        match self {
            Num::Int(i) => i.to_string(),
            Num::Float { value, .. } => value.to_string(),
        }
    }
}

/// The integer a JSON number literal denotes, if it is whole and within `i64`, from its digits:
/// the literal is `-? digits [. digits] [e exponent]`, its value `significant × 10^shift`.
fn whole_of_literal(raw: &str) -> Option<i64> {
    let (negative, rest) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (mantissa, exponent) = rest.split_once(['e', 'E']).unwrap_or((rest, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = || int.bytes().chain(frac.bytes());
    let trailing_zeros = digits().rev().take_while(|&b| b == b'0').count();
    let significant = int.len() + frac.len() - trailing_zeros;
    if significant == 0 {
        return Some(0);
    }
    // Saturated far beyond any exponent that matters: an `i64` has 19 digits.
    let magnitude = exponent
        .trim_start_matches(['+', '-'])
        .bytes()
        .fold(0i64, |e, b| (e * 10 + i64::from(b - b'0')).min(1 << 32));
    let exponent = if exponent.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    let shift = exponent - frac.len() as i64 + trailing_zeros as i64;
    if shift < 0 {
        return None; // a nonzero digit after the point
    }
    let mut value: i128 = 0;
    for b in digits().take(significant) {
        value = value.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        if value >= 1 << 63 {
            return None;
        }
    }
    for _ in 0..shift {
        value = value.checked_mul(10).filter(|&v| v < 1 << 63)?;
    }
    i64::try_from(if negative { -value } else { value }).ok()
}

/// Read-only access to a JSON tree.
pub trait Doc: Sized {
    type Members<'a>: Iterator<Item = (&'a str, &'a Self)>
    where
        Self: 'a;

    fn kind(&self) -> Kind;
    fn as_str(&self) -> Option<&str>;
    fn as_bool(&self) -> Option<bool>;
    fn as_num(&self) -> Option<Num>;
    /// Member of an object (the last one, where a key is duplicated).
    fn get(&self, key: &str) -> Option<&Self>;
    /// Items of an array; empty for anything else.
    fn items(&self) -> &[Self];
    /// Members of an object in document order; `None` for anything else.
    fn members(&self) -> Option<Self::Members<'_>>;
    /// Number of members of an object (0 for anything else).
    fn member_count(&self) -> usize;

    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// A value a template fills in ([`Kind::Unknown`]).
    fn is_unknown(&self) -> bool {
        self.kind() == Kind::Unknown
    }

    /// A text form of a scalar for messages (`None` for arrays and objects).
    fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match self.kind() {
            Kind::String => self.as_str().map(Cow::Borrowed),
            Kind::Number => self.as_num().map(|n| Cow::Owned(n.to_text())),
            Kind::Bool => self
                .as_bool()
                .map(|b| Cow::Borrowed(if b { "true" } else { "false" })),
            Kind::Null => Some(Cow::Borrowed("null")),
            _ => None,
        }
    }
}

type SerdeMembers<'a> = std::iter::Map<
    serde_json::map::Iter<'a>,
    fn((&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value),
>;

fn serde_member<'a>(m: (&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value) {
    (m.0.as_str(), m.1)
}

impl Doc for serde_json::Value {
    type Members<'a> = SerdeMembers<'a>;

    fn kind(&self) -> Kind {
        match self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::String,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }
    fn as_str(&self) -> Option<&str> {
        serde_json::Value::as_str(self)
    }
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }
    fn as_num(&self) -> Option<Num> {
        let serde_json::Value::Number(n) = self else {
            return None;
        };
        Some(if let Some(i) = n.as_i64() {
            Num::Int(i)
        } else if let Some(u) = n.as_u64() {
            // Whole, but beyond i64.
            Num::Float {
                value: u as f64,
                whole: None,
            }
        } else {
            Num::of_f64(n.as_f64()?)
        })
    }
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            serde_json::Value::Object(m) => m.get(key),
            _ => None,
        }
    }
    fn items(&self) -> &[Self] {
        match self {
            serde_json::Value::Array(a) => a,
            _ => &[],
        }
    }
    fn members(&self) -> Option<Self::Members<'_>> {
        match self {
            serde_json::Value::Object(m) => Some(m.iter().map(serde_member as fn(_) -> _)),
            _ => None,
        }
    }
    fn member_count(&self) -> usize {
        match self {
            serde_json::Value::Object(m) => m.len(),
            _ => 0,
        }
    }
}

type SpannedMembers<'a, 'src> = std::iter::Map<
    std::slice::Iter<'a, json::Member<'src>>,
    fn(&'a json::Member<'src>) -> (&'a str, &'a json::Value<'src>),
>;

fn spanned_member<'a, 'src>(m: &'a json::Member<'src>) -> (&'a str, &'a json::Value<'src>) {
    (m.key.as_ref(), &m.value)
}

impl<'src> Doc for json::Value<'src> {
    type Members<'a>
        = SpannedMembers<'a, 'src>
    where
        Self: 'a;

    fn kind(&self) -> Kind {
        match &self.kind {
            json::Kind::Null => Kind::Null,
            json::Kind::Bool(_) => Kind::Bool,
            json::Kind::Number(_) => Kind::Number,
            json::Kind::String(_) => Kind::String,
            json::Kind::Array(_) => Kind::Array,
            json::Kind::Object(_) => Kind::Object,
            json::Kind::Unknown(_) => Kind::Unknown,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match &self.kind {
            json::Kind::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            json::Kind::Bool(b) => Some(*b),
            _ => None,
        }
    }
    #[inline]
    fn as_num(&self) -> Option<Num> {
        match &self.kind {
            json::Kind::Number(n) => Some(Num::of_literal(n.raw)),
            _ => None,
        }
    }
    fn get(&self, key: &str) -> Option<&Self> {
        json::Value::get(self, key)
    }
    fn items(&self) -> &[Self] {
        match &self.kind {
            json::Kind::Array(a) => a,
            _ => &[],
        }
    }
    fn members(&self) -> Option<Self::Members<'_>> {
        match &self.kind {
            json::Kind::Object(m) => Some(m.iter().map(spanned_member as fn(_) -> _)),
            _ => None,
        }
    }
    fn member_count(&self) -> usize {
        match &self.kind {
            json::Kind::Object(m) => m.len(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_is_decided_on_the_digits_as_written() {
        for (raw, whole) in [
            ("3", Some(3)),
            ("-0", Some(0)),
            ("0.0e7", Some(0)),
            ("3.0", Some(3)),
            ("1e2", Some(100)),
            ("1.50e1", Some(15)),
            ("150e-1", Some(15)),
            ("1500000e-5", Some(15)),
            ("1500001e-5", None),
            ("2.5", None),
            // The nearest f64 of these is whole; the numbers are not.
            ("3048335780245499.1783999353824676561", None),
            ("4503599627370496.5", None),
            ("9007199254740993.0000000000000001", None),
            ("9007199254740993.000", Some(9_007_199_254_740_993)),
            ("1e16", Some(10_000_000_000_000_000)),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775807.0", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("-9.223372036854775807e18", Some(-i64::MAX)),
            ("-9.223372036854775808e18", None),
            ("9223372036854775808", None),
            ("9.223372036854775808e18", None),
            ("1e19", None),
            ("1e400", None),
            ("1e99999999999999999999999", None),
            ("0e99999999999999999999999", Some(0)),
            ("1e-99999999999999999999999", None),
        ] {
            assert_eq!(Num::of_literal(raw).whole(), whole, "{raw}");
        }
        assert_eq!(Num::of_literal("3"), Num::Int(3));
        assert!(matches!(Num::of_literal("3.0"), Num::Float { .. }));
    }

    /// A float handed in as a value and the same float written as text (as serde_json writes
    /// it) are one number, with one verdict.
    #[test]
    fn a_float_and_its_text_agree() {
        let mut floats = vec![
            0.0,
            -0.0,
            0.5,
            1.0,
            -1.0,
            1e15,
            9e15,
            9.1e15,
            1e16,
            1e300,
            f64::MAX,
        ];
        floats.extend([I64_END, -I64_END, I64_END / 2.0, 4_503_599_627_370_495.5]);
        // A spread of magnitudes and bit patterns around them.
        let mut bits = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let f = f64::from_bits(bits);
            floats.push(if f.is_finite() { f } else { 1.0 });
            let exp = (bits % 70) as i32 - 5;
            floats.push((bits >> 11) as f64 / 2f64.powi(53 - exp));
        }
        for f in floats {
            for f in [f, -f, f.trunc(), f.trunc() + 0.5] {
                let text = serde_json::Number::from_f64(f).unwrap().to_string();
                let (a, b) = (Num::of_f64(f), Num::of_literal(&text));
                assert_eq!(a.whole().is_some(), b.whole().is_some(), "{text}");
                // Beyond 2^53 the shortest text of a float is another integer nearby.
                if f.abs() <= 9_007_199_254_740_992.0 {
                    assert_eq!(a.whole(), b.whole(), "{text}");
                }
                assert_eq!(a.as_f64().to_bits(), b.as_f64().to_bits(), "{text}");
            }
        }
    }
}
