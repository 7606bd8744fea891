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
}

impl LineIndex {
    pub fn new(input: &str) -> Self {
        let mut starts = Vec::with_capacity(input.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            input
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: input.len(),
        }
    }

    /// Number of lines (a trailing newline starts a final empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Same as [`line_col`]; `input` must be the text this index was built from
    /// (if it is not, the result is still computed without panicking).
    pub fn line_col(&self, input: &str, offset: usize) -> (usize, usize) {
        if input.len() != self.len {
            return line_col(input, offset);
        }
        let off = clamp_offset(input, offset);
        // Number of line starts <= off; at least 1 because starts[0] == 0.
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0);
        (line, column(input, line_start, off))
    }
}
