//! Byte offset -> (line, column) conversion.

const BOM_LEN: usize = 3;

/// Clamps `offset` to the input and rounds it down to a char boundary.
fn clamp_offset(input: &str, offset: usize) -> usize {
    let mut off = offset.min(input.len());
    while off > 0 && !input.is_char_boundary(off) {
        off -= 1;
    }
    off
}

/// Column (1-based, in chars) of `off` on the line starting at `line_start`.
fn column(input: &str, line_start: usize, off: usize) -> usize {
    let mut from = line_start;
    if from == 0 && input.starts_with('\u{feff}') {
        // A leading BOM is not a column; offsets inside/at it are column 1.
        from = BOM_LEN.min(off);
    }
    let text = input.get(from..off).unwrap_or("");
    let mut col = text.chars().count() + 1;
    // A '\r' right before '\n' (CRLF) is not a column of its own.
    if text.ends_with('\r') && input.as_bytes().get(off) == Some(&b'\n') {
        col -= 1;
    }
    col
}

/// 1-based line and column of a byte offset. Columns count Unicode scalar
/// values (chars), not bytes. Lines break at `\n`; a `\r` immediately before
/// `\n` is not counted as a column (CRLF files). A leading BOM does not count as
/// a column on line 1. Offsets past the end clamp to the end; offsets inside a
/// multi-byte char round down to that char.
pub fn line_col(input: &str, offset: usize) -> (usize, usize) {
    let off = clamp_offset(input, offset);
    let before = &input.as_bytes()[..off];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, column(input, line_start, off))
}

/// Precomputed line starts for many [`line_col`] lookups on the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of each line; `starts[0] == 0`.
    starts: Vec<usize>,
    len: usize,
    /// Offsets up to this one are answered from `starts`; later ones by a scan.
    covered: usize,
}

impl LineIndex {
    pub fn new(input: &str) -> Self {
        Self::up_to(input, input.len())
    }

    /// An index of the lines that start at or before `end`: lookups of offsets up to `end` are
    /// as fast as with [`LineIndex::new`], later ones scan the text. For a few diagnostics near
    /// the top of a long input, it indexes only what they need.
    pub fn up_to(input: &str, end: usize) -> Self {
        let covered = end.min(input.len());
        let bytes = &input.as_bytes()[..covered];
        // Room for lines of 16 bytes on average (pretty-printed bodies run 20 to 30): one
        // allocation, no regrowth.
        let mut starts = Vec::with_capacity(bytes.len() / 16 + 2);
        starts.push(0);
        // Eight bytes at a time: an exact mask of the '\n' bytes of each word (no false hits,
        // unlike the borrow-based zero-byte test), then one step per newline found.
        const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let mut chunks = bytes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let v = u64::from_le_bytes(word) ^ 0x0a0a_0a0a_0a0a_0a0a;
            // High bit of each byte set where that byte of `v` is zero (the input byte is '\n').
            let mut zeros = !(((v & LO7).wrapping_add(LO7)) | v | LO7);
            while zeros != 0 {
                let at = zeros.trailing_zeros() as usize / 8;
                starts.push(base + at + 1);
                zeros &= zeros - 1;
            }
            base += 8;
        }
        for (i, &b) in chunks.remainder().iter().enumerate() {
            if b == b'\n' {
                starts.push(base + i + 1);
            }
        }
        LineIndex {
            starts,
            len: input.len(),
            covered,
        }
    }

    /// Number of lines indexed (all of them for [`LineIndex::new`]; a trailing newline starts a
    /// final empty line).
    #[cfg(test)]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Same as [`line_col`]; `input` must be the text this index was built from
    /// (if it is not, the result is still computed without panicking).
    pub fn line_col(&self, input: &str, offset: usize) -> (usize, usize) {
        if input.len() != self.len || offset > self.covered {
            return line_col(input, offset);
        }
        let off = clamp_offset(input, offset);
        // Number of line starts <= off; at least 1 because starts[0] == 0.
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0);
        (line, column(input, line_start, off))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_at_a_time_index_agrees_with_line_col_at_every_offset() {
        // Newlines at every position of a word, beside bytes one bit away from '\n' (0x0b,
        // 0x0e, 0x8a inside 'Ê') and multi-byte characters.
        let mut inputs = Vec::new();
        for gap in 0..20 {
            let line = format!("{}\n", "a".repeat(gap));
            inputs.push(line.repeat(5));
            inputs.push(format!("\u{b}\n\u{e}Ê{}\n\n{}", "é".repeat(gap), line));
        }
        for input in &inputs {
            let idx = LineIndex::new(input);
            let half = LineIndex::up_to(input, input.len() / 2);
            for off in 0..=input.len() {
                assert_eq!(half.line_col(input, off), line_col(input, off));
            }
            assert_eq!(idx.line_count(), input.matches('\n').count() + 1);
            for off in 0..=input.len() {
                assert_eq!(
                    idx.line_col(input, off),
                    line_col(input, off),
                    "{input:?} @ {off}"
                );
            }
        }
    }
}
