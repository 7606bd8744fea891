//! The parser's fast path: string bodies and whitespace runs scanned eight bytes at a time.
//!
//! Most of a request body's bytes are inside strings (names, descriptions, long flavor lists) or
//! indentation, and almost none of the first are `"`, `\` or control characters: testing a word
//! per step instead of a byte per step is what keeps the parse near serde_json's
//! (docs/performance.md has the measurements). The oracle tests below compare both scans with a
//! plain search over arbitrary inputs.

/// Bytes that end a string body's plain run: `"`, `\` and control characters.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
static SPECIAL: [bool; 256] = special_table();

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte lane of `w` that is `"`, `\` or < 0x20. Lanes above the first true
/// hit may be false positives (borrow propagation), but the lowest set lane is always exact,
/// which is all that is used.
#[inline(always)]
fn special_mask(w: u64) -> u64 {
    let q = w ^ (ONES * b'"' as u64);
    let b = w ^ (ONES * b'\\' as u64);
    let zq = q.wrapping_sub(ONES) & !q;
    let zb = b.wrapping_sub(ONES) & !b;
    let ctl = w.wrapping_sub(ONES * 0x20) & !w;
    (zq | zb | ctl) & HIGHS
}

/// The index of the first `"`, `\` or control byte at or after `i` (or `bytes.len()`).
#[inline(always)]
pub(super) fn scan_plain(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i..i + 8) {
            Some(chunk) => {
                let w = u64::from_le_bytes([
                    chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
                ]);
                let m = special_mask(w);
                if m != 0 {
                    return i + (m.trailing_zeros() / 8) as usize;
                }
                i += 8;
            }
            None => {
                // The tail, shorter than a word.
                while let Some(&b) = bytes.get(i) {
                    if SPECIAL[b as usize] {
                        return i;
                    }
                    i += 1;
                }
                return i;
            }
        }
    }
}

/// The index of the first non-whitespace byte at or after `i` (or `bytes.len()`). Runs of spaces
/// (indentation) are skipped eight bytes at a time.
#[inline]
pub(super) fn skip_ws_run(bytes: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = ONES * b' ' as u64;
    loop {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes([
                chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
            ]);
            // The spaces before the first other byte: 0 to 8 (8 when all are).
            i += ((w ^ SPACES).trailing_zeros() / 8) as usize;
        }
        match bytes.get(i) {
            Some(b' ' | b'\n' | b'\r' | b'\t') => i += 1,
            _ => return i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{scan_plain, skip_ws_run};
    use proptest::prelude::*;

    /// Bytes drawn mostly from the ones that matter: the three kinds of special byte, their
    /// neighbours (`!`, `#`, `[`, `]`, 0x1f, 0x20), high bytes (borrows across lanes) and letters.
    fn byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            prop::sample::select(vec![
                b'"', b'\\', 0x00, 0x1f, 0x20, b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff, b'a'
            ]),
            any::<u8>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The word-at-a-time scan finds exactly the byte a plain search finds, from every start.
        #[test]
        fn scan_plain_is_a_plain_search(bytes in prop::collection::vec(byte(), 0..40)) {
            for start in 0..=bytes.len() {
                let plain = bytes[start..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                    .map_or(bytes.len(), |k| start + k);
                prop_assert_eq!(scan_plain(&bytes, start), plain, "{:?} from {}", bytes, start);
            }
        }

        /// The word-at-a-time whitespace skip stops exactly where a plain loop stops, from every
        /// start (runs of spaces, tabs, newlines and returns, then anything).
        #[test]
        fn skip_ws_run_is_a_plain_loop(
            bytes in prop::collection::vec(
                prop_oneof![
                    4 => Just(b' '),
                    1 => prop::sample::select(vec![b'\n', b'\r', b'\t']),
                    1 => byte(),
                ],
                0..40,
            )
        ) {
            for start in 0..=bytes.len() {
                let plain = bytes[start..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
                    .map_or(bytes.len(), |k| start + k);
                prop_assert_eq!(skip_ws_run(&bytes, start), plain, "{:?} from {}", bytes, start);
            }
        }
    }
}
