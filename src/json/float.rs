//! Decimal text ↔ `f64`, in every build, without core's `dec2flt` and `flt2dec`: the browser
//! package would otherwise ship the standard library's tables and code next to serde_json's own
//! float writer (docs/performance.md). Both functions give exactly what the standard library
//! gives (`str::parse::<f64>`, `f64`'s `Display`); the tests compare them over a million values,
//! ties and subnormals included.

use std::cmp::Ordering;

/// `text` read as `f64::from_str` reads it: the same grammar (optional sign; `inf`, `infinity`
/// or `nan` in any case; or digits with an optional `.` and exponent, at least one digit), and
/// the nearest `f64`, ties to even. `None` exactly where the standard library gives an error.
pub fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let signed = |x: f64| if neg { -x } else { x };
    for (word, x) in [
        (&b"inf"[..], f64::INFINITY),
        (b"infinity", f64::INFINITY),
        (b"nan", f64::NAN),
    ] {
        if b.eq_ignore_ascii_case(word) {
            return Some(signed(x));
        }
    }
    // Significant digits (at most MAX_DIGITS, the rest folded into a sticky digit) and the
    // position of the decimal point among them.
    const MAX_DIGITS: usize = 800;
    let mut digits: Vec<u8> = Vec::new();
    let mut sticky = false;
    let mut point: i64 = 0;
    let mut seen_digit = false;
    let mut i = 0;
    let mut in_frac = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                if !in_frac {
                    point += 1;
                }
                if digits.is_empty() && c == b'0' {
                    // A leading zero: before the point it adds nothing, after it moves the
                    // point.
                    point -= 1;
                } else if digits.len() < MAX_DIGITS {
                    digits.push(c - b'0');
                } else if c != b'0' {
                    sticky = true;
                }
            }
            b'.' if !in_frac => in_frac = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i >= b.len() {
            return None;
        }
        let mut e: i64 = 0;
        for &c in &b[i..] {
            if !c.is_ascii_digit() {
                return None;
            }
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        point += if eneg { -e } else { e };
    }
    while digits.last() == Some(&0) && !sticky {
        digits.pop();
    }
    if digits.is_empty() {
        return Some(signed(0.0));
    }
    // The value is 0.d1d2... × 10^point.
    if point > 310 {
        return Some(signed(f64::INFINITY));
    }
    if point < -330 {
        return Some(signed(0.0));
    }
    if sticky {
        digits.push(1);
    }
    let q = point - digits.len() as i64;
    // Exact operands, one rounding: the result is correctly rounded.
    if digits.len() <= 15 && (-22..=22).contains(&q) {
        let w = digits.iter().fold(0u64, |w, &d| w * 10 + u64::from(d)) as f64;
        let p = POW10[q.unsigned_abs() as usize];
        return Some(signed(if q < 0 { w / p } else { w * p }));
    }
    // The smallest bit pattern whose upper midpoint the value does not pass (ties to even).
    let q = q as i32;
    let mut d = Big::default();
    for chunk in digits.chunks(19) {
        let mut w = 0u64;
        for &x in chunk {
            w = w * 10 + u64::from(x);
        }
        d.mul_small(10u64.pow(chunk.len() as u32));
        d.add_small(w);
    }
    let mut lhs5 = d;
    let mut rhs5 = Big::from(1);
    if q >= 0 {
        lhs5.mul_pow5(q as u32);
    } else {
        rhs5.mul_pow5(q.unsigned_abs());
    }
    let rounds_to = |bits: u64| -> bool {
        let (m, e) = decode(bits);
        // Upper midpoint (2m+1)·2^(e-1) against the value d·5^q·2^q.
        let mut rhs = rhs5.clone();
        rhs.mul_small(2 * m + 1);
        let mut lhs = lhs5.clone();
        let p2 = q - (e - 1);
        if p2 >= 0 {
            lhs.shl(p2 as u32);
        } else {
            rhs.shl(p2.unsigned_abs());
        }
        match lhs.cmp(&rhs) {
            Ordering::Less => true,
            Ordering::Equal => m % 2 == 0,
            Ordering::Greater => false,
        }
    };
    let (mut lo, mut hi) = (0u64, f64::INFINITY.to_bits());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if rounds_to(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(signed(f64::from_bits(lo)))
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A finite non-negative `f64` bit pattern as `m · 2^e` (subnormals included).
fn decode(bits: u64) -> (u64, i32) {
    let exp = (bits >> 52) as i32;
    let frac = bits & ((1 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    }
}

/// An unsigned big integer, little-endian 64-bit limbs, no high zero limbs.
#[derive(Clone, Default)]
struct Big(Vec<u64>);

impl From<u64> for Big {
    fn from(x: u64) -> Self {
        let mut b = Big(vec![x]);
        b.trim();
        b
    }
}

impl Big {
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn mul_small(&mut self, k: u64) {
        let mut carry = 0u128;
        for limb in &mut self.0 {
            let t = u128::from(*limb) * u128::from(k) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
        if carry != 0 {
            self.0.push(carry as u64);
        }
        self.trim();
    }

    fn add_small(&mut self, k: u64) {
        let mut carry = k;
        for limb in &mut self.0 {
            let (s, o) = limb.overflowing_add(carry);
            *limb = s;
            carry = u64::from(o);
            if carry == 0 {
                return;
            }
        }
        if carry != 0 {
            self.0.push(carry);
        }
    }

    fn mul_pow5(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(27);
            self.mul_small(5u64.pow(step));
            k -= step;
        }
    }

    fn shl(&mut self, bits: u32) {
        let (words, bits) = ((bits / 64) as usize, bits % 64);
        if bits != 0 {
            let mut carry = 0u64;
            for limb in &mut self.0 {
                let next = *limb >> (64 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if !self.0.is_empty() {
            self.0.splice(0..0, std::iter::repeat_n(0, words));
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

/// `f`'s `Display` text (`2.5`, `3`, `1e21` as `1000000000000000000000`, `inf`, `NaN`), built
/// from serde_json's shortest round-trip digits. Where two shortest candidates are equally near
/// `f`, `Display` takes the upper one and serde_json's writer the lower, so ties are detected
/// exactly and moved up.
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let Some(n) = serde_json::Number::from_f64(f.abs()) else {
        return format!("{sign}inf");
    };
    let text = n.to_string();
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|c| c - b'0').collect();
    // The value is 0.digits × 10^point.
    let mut point = int.len() as i64 + exp;
    while digits.last() == Some(&0) {
        digits.pop();
    }
    while digits.first() == Some(&0) {
        digits.remove(0);
        point -= 1;
    }
    if digits.is_empty() {
        return format!("{sign}0");
    }
    let q = point - digits.len() as i64;
    let w = digits.iter().fold(0u64, |w, &d| w * 10 + u64::from(d));
    // Is `f` exactly halfway between `w·10^q` and the next candidate up? Then `Display` takes the
    // upper one.
    if is_exactly(f.abs(), 2 * w + 1, q) {
        let mut k = digits.len();
        // Add one in the last place, carrying through nines.
        loop {
            k -= 1;
            if digits[k] == 9 {
                digits[k] = 0;
                if k == 0 {
                    digits.insert(0, 1);
                    point += 1;
                    break;
                }
            } else {
                digits[k] += 1;
                break;
            }
        }
        while digits.last() == Some(&0) {
            digits.pop();
        }
    }
    let digits: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

/// True if `x` (finite, positive) is exactly `h · 10^q / 2`.
fn is_exactly(x: f64, h: u64, q: i64) -> bool {
    let (m, e) = decode(x.to_bits());
    if m == 0 || !(-400..=400).contains(&q) {
        return false;
    }
    // x = m·2^e; candidate = h·5^q·2^(q-1). Compare as big integers.
    let q = q as i32;
    let (mut lhs, mut rhs) = (Big::from(m), Big::from(h));
    if q >= 0 {
        rhs.mul_pow5(q as u32);
    } else {
        lhs.mul_pow5(q.unsigned_abs());
    }
    let p2 = e - (q - 1);
    if p2 >= 0 {
        lhs.shl(p2 as u32);
    } else {
        rhs.shl(p2.unsigned_abs());
    }
    lhs.cmp(&rhs) == Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::{float_text, parse_f64};

    /// A deterministic xorshift stream.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Values per family; `HCDB_FLOAT_CASES` raises it for a long run.
    fn cases() -> usize {
        std::env::var("HCDB_FLOAT_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000)
    }

    fn values() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.5,
            0.1,
            0.3,
            1e21,
            1e22,
            1.5e-7,
            1e-7,
            123456.789,
            1e300,
            -1e-300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            9.0e15,
            1e15,
            0.000123,
            100.0,
            1234.5e10,
            1658206780088562.2,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        // Every bit pattern is equally likely: all exponents, subnormals, NaNs.
        for _ in 0..cases() {
            v.push(f64::from_bits(r.next()));
        }
        // Few mantissa bits at every scale: the values whose shortest digits tie.
        for _ in 0..cases() {
            let m = r.next() >> (11 + r.next() % 50);
            let e = (r.next() % 2200) as i32 - 1100;
            v.push(m as f64 * 2f64.powi(e));
        }
        // Quarter and half steps just below 2^53, all of them ties or exact.
        for _ in 0..cases() {
            let k = (1u64 << 50) + r.next() % (1 << 50);
            v.push(k as f64 + [0.25, 0.5, 0.75][(r.next() % 3) as usize]);
        }
        v
    }

    #[test]
    fn float_text_is_display() {
        for f in values() {
            assert_eq!(float_text(f), f.to_string(), "{:#x}", f.to_bits());
        }
    }

    fn same(text: &str) {
        let ours = parse_f64(text);
        let std = text.parse::<f64>().ok();
        let agree = match (ours, std) {
            (Some(a), Some(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            (None, None) => true,
            _ => false,
        };
        assert!(agree, "{text:?}: ours {ours:?}, std {std:?}");
    }

    #[test]
    fn parse_f64_is_from_str() {
        for text in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.",
            ".5",
            "+.5",
            "-.5e-3",
            "1_0",
            " 1",
            "1 ",
            "inf",
            "-inf",
            "+Infinity",
            "INF",
            "nan",
            "-NaN",
            "infinit",
            "0",
            "-0",
            "00.00e0",
            "1e400",
            "-1e400",
            "1e-400",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.797693134862315807e308",
            "179769313486231580793728971405301e276",
            "0x10",
            "1e5x",
            "1..2",
            "1.2.3",
            "--1",
            "1e--5",
            "1E5",
            "9007199254740993",
            "1658206780088562.25",
            "0.000000000000000000000000000000000000000000000001e48",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999999999999999999",
        ] {
            same(text);
        }
        // A long mantissa, whose tail decides a tie.
        let mut long = String::from("9007199254740993");
        long.push_str(&"0".repeat(900));
        same(&long);
        long.push('1');
        same(&long);
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        for f in values() {
            same(&format!("{f:e}"));
            same(&f.to_string());
        }
        // Random decimal strings of every length and exponent, and random near-grammar text.
        for _ in 0..cases() {
            let n = 1 + r.next() % 30;
            let mut s: String = (0..n)
                .map(|_| char::from(b'0' + (r.next() % 10) as u8))
                .collect();
            if r.next() % 2 == 0 {
                let at = (r.next() % (n + 1)) as usize;
                s.insert(at, '.');
            }
            s.push_str(&format!("e{}", (r.next() % 700) as i64 - 350));
            same(&s);
            let alphabet = b"0123456789.eE+-inaf";
            let t: String = (0..r.next() % 8)
                .map(|_| char::from(alphabet[(r.next() % alphabet.len() as u64) as usize]))
                .collect();
            same(&t);
        }
    }
}
