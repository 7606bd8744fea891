//! Positions: LSP lines and characters (UTF-16 code units by default, UTF-8 bytes when the client
//! offers it) to and from byte offsets in the document, and incremental edits.

use lsp_types::{Position, Range};

/// How the client counts a line's characters (negotiated at `initialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf8,
}

impl Encoding {
    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf8 => c.len_utf8() as u32,
        }
    }
}

/// Byte offsets of line starts (after each `\n`).
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        Lines { starts }
    }

    /// The line and character of a byte offset (clamped to the text, moved back to a char
    /// boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = match enc {
            Encoding::Utf8 => (offset - start) as u32,
            Encoding::Utf16 => text[start..offset].chars().map(|c| enc.units(c)).sum(),
        };
        Position::new(line as u32, character)
    }

    pub fn range(&self, text: &str, start: usize, end: usize, enc: Encoding) -> Range {
        Range::new(
            self.position(text, start, enc),
            self.position(text, end, enc),
        )
    }

    /// The byte offset of a position. A line past the end is the end of the text; a character
    /// past the line's end is the line's end (before its `\r\n` or `\n`), as the protocol says;
    /// a character inside a surrogate pair or a multi-byte character is the character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map(|&n| n - 1)
            .unwrap_or(text.len());
        let content = &text[start..end];
        let content = content.strip_suffix('\r').unwrap_or(content);
        let mut units = 0u32;
        for (i, c) in content.char_indices() {
            let next = units + enc.units(c);
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// Apply one `didChange` content change: the whole text when `range` is absent.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str, enc: Encoding) {
    match range {
        None => {
            text.clear();
            text.push_str(new_text);
        }
        Some(r) => {
            let lines = Lines::new(text);
            let a = lines.offset(text, r.start, enc);
            let b = lines.offset(text, r.end, enc).max(a);
            text.replace_range(a..b, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        // 名 is one UTF-16 unit and 3 bytes; 😀 is two units and 4 bytes.
        let text = "{\"名😀\": 1,\r\n \"x\": 2}";
        let lines = Lines::new(text);
        let one = text.find('1').unwrap_or(0);
        assert_eq!(
            lines.position(text, one, Encoding::Utf16),
            Position::new(0, 8)
        );
        assert_eq!(
            lines.position(text, one, Encoding::Utf8),
            Position::new(0, 12)
        );
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let p = lines.position(text, one, enc);
            assert_eq!(lines.offset(text, p, enc), one);
        }
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            lines.position(text, x, Encoding::Utf16),
            Position::new(1, 2)
        );
        // Past the line's end: before the \r\n.
        assert_eq!(
            lines.offset(text, Position::new(0, 99), Encoding::Utf16),
            text.find('\r').unwrap_or(0)
        );
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(
            lines.offset(text, Position::new(0, 4), Encoding::Utf16),
            text.find('😀').unwrap_or(0)
        );
        assert_eq!(
            lines.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn incremental_changes_apply_in_the_client_encoding() {
        let mut t = String::from("{\"name\": \"名字\"}");
        // Replace 字 (UTF-16 column 11..12) with 称.
        apply_change(
            &mut t,
            Some(Range::new(Position::new(0, 11), Position::new(0, 12))),
            "称",
            Encoding::Utf16,
        );
        assert_eq!(t, "{\"name\": \"名称\"}");
        apply_change(&mut t, None, "{}", Encoding::Utf16);
        assert_eq!(t, "{}");
        // A range past the end is clamped, not a panic.
        apply_change(
            &mut t,
            Some(Range::new(Position::new(5, 5), Position::new(9, 9))),
            "\n",
            Encoding::Utf8,
        );
        assert_eq!(t, "{}\n");
    }
}
