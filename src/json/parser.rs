//! The iterative, byte-level parser.

use std::borrow::Cow;
use std::cell::Cell;

use super::error::{ParseError, ParseErrorKind};
use super::scan::{scan_plain, skip_ws_run};
use super::{Extension, Kind, Member, Number, Span, Value};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The scratch stacks, kept per thread between parses with nothing in them (so no borrowed
/// lifetime: see [`recycle`]).
#[derive(Default)]
struct Scratch {
    frames: Vec<Frame<'static>>,
    vals: Vec<Value<'static>>,
    mems: Vec<Member<'static>>,
}

thread_local! {
    static SCRATCH: Cell<Scratch> = const {
        Cell::new(Scratch {
            frames: Vec::new(),
            vals: Vec::new(),
            mems: Vec::new(),
        })
    };
}

/// An emptied `Vec<T>` as a `Vec<U>` with the same allocation, for `T` and `U` of one layout
/// (here: one type under two lifetimes). Safe code: the standard library collects a mapped
/// `IntoIter` in place when the layouts match, and the map never runs (the vector is empty).
#[inline]
pub(super) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| -> U { unreachable!() }).collect()
}

/// The items from `base` on, moved out into an exactly sized `Vec` (the scratch stack keeps
/// its allocation, also when `base` is 0).
fn take_tail<T>(v: &mut Vec<T>, base: usize) -> Vec<T> {
    if base > 0 {
        v.split_off(base)
    } else {
        // `split_off(0)` would hand over the scratch allocation itself.
        let mut out = Vec::with_capacity(v.len());
        out.append(v);
        out
    }
}

/// An open container on the explicit parse stack.
enum Frame<'a> {
    Array {
        start: usize,
        /// Length of the shared value scratch stack when the array was opened.
        base: usize,
    },
    Object {
        start: usize,
        /// Length of the shared member scratch stack when the object was opened.
        base: usize,
        /// The key whose value is being parsed.
        key: Cow<'a, str>,
        key_span: Span,
    },
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Whether to look for duplicate keys as objects close ([`parse_document_noting`]).
    note_duplicates: bool,
    /// An object closed so far has a key twice (looked for only with `note_duplicates`).
    duplicates: bool,
    /// The reader that extends JSON, if any ([`parse_document_extended`]); asked only where
    /// plain JSON fails, so the plain parse pays nothing for it.
    ext: Option<&'static dyn Extension>,
}

type PResult<T> = Result<T, ParseError>;

pub(crate) fn parse_document(src: &str, max_depth: usize) -> PResult<Value<'_>> {
    parse_document_with(src, max_depth, false, None).map(|(v, _)| v)
}

/// [`parse_document_noting`] with a reader that extends JSON (see [`super::parse_extended`]).
pub(crate) fn parse_document_extended<'a>(
    src: &'a str,
    max_depth: usize,
    ext: &'static dyn Extension,
) -> PResult<(Value<'a>, bool)> {
    parse_document_with(src, max_depth, true, Some(ext))
}

/// [`parse_document`], and whether some object has a key twice (what
/// `find_duplicates(&value).is_empty()` denies), found as each object closes while its members
/// are at hand.
pub(crate) fn parse_document_noting(src: &str, max_depth: usize) -> PResult<(Value<'_>, bool)> {
    parse_document_with(src, max_depth, true, None)
}

#[inline(always)]
fn parse_document_with<'a>(
    src: &'a str,
    max_depth: usize,
    note: bool,
    ext: Option<&'static dyn Extension>,
) -> PResult<(Value<'a>, bool)> {
    let mut p = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        note_duplicates: note,
        duplicates: false,
        ext,
    };
    let v = document(&mut p, max_depth)?;
    Ok((v, p.duplicates))
}

/// One whole document: an optional BOM, one value, nothing after it but whitespace.
#[inline(always)]
fn document<'a>(p: &mut Parser<'a>, max_depth: usize) -> PResult<Value<'a>> {
    if p.bytes.starts_with(BOM) {
        p.pos = BOM.len();
    }
    p.skip_ws();
    if p.pos >= p.bytes.len() {
        return Err(ParseError::new(ParseErrorKind::Empty, 0));
    }
    let value = p.parse_value_tree_scratch(max_depth)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        let kind = if p.at_comment() {
            ParseErrorKind::Comment
        } else {
            ParseErrorKind::TrailingCharacters
        };
        return Err(ParseError::new(kind, p.pos));
    }
    Ok(value)
}

#[inline(always)]
fn hex_val(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u16),
        b'a'..=b'f' => Some((b - b'a' + 10) as u16),
        b'A'..=b'F' => Some((b - b'A' + 10) as u16),
        _ => None,
    }
}

impl<'a> Parser<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace: one compare when there is none (the common case between tokens), two
    /// for the one space of `": "`, else the run (indentation) through [`skip_ws_run`].
    #[inline(always)]
    fn skip_ws(&mut self) {
        match self.bytes.get(self.pos) {
            Some(&b) if b > b' ' => {}
            None => {}
            Some(b' ') if matches!(self.bytes.get(self.pos + 1), Some(&c) if c > b' ') => {
                self.pos += 1
            }
            Some(_) => self.pos = skip_ws_run(self.bytes, self.pos),
        }
    }

    fn err<T>(&self, kind: ParseErrorKind, offset: usize) -> PResult<T> {
        Err(ParseError::new(kind, offset))
    }

    /// True if a `//` or `/*` comment starts at the current position.
    fn at_comment(&self) -> bool {
        self.peek() == Some(b'/') && matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*'))
    }

    /// The character starting at byte `i` (U+FFFD if `i` is not a char boundary, which
    /// the parser never produces, or past the end).
    fn char_at(&self, i: usize) -> char {
        self.src
            .get(i..)
            .and_then(|s| s.chars().next())
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// The generic error at the current position: end, comment or unexpected char.
    fn unexpected<T>(&self) -> PResult<T> {
        let kind = if self.pos >= self.bytes.len() {
            ParseErrorKind::UnexpectedEnd
        } else if self.at_comment() {
            ParseErrorKind::Comment
        } else {
            ParseErrorKind::UnexpectedChar(self.char_at(self.pos))
        };
        self.err(kind, self.pos)
    }

    /// Error for a position where an object key was expected.
    fn expected_key<T>(&self) -> PResult<T> {
        if self.pos >= self.bytes.len() || self.at_comment() {
            self.unexpected()
        } else {
            self.err(ParseErrorKind::ExpectedKey, self.pos)
        }
    }

    /// Error for a position where a value was expected.
    fn expected_value<T>(&self) -> PResult<T> {
        match self.peek() {
            Some(b',' | b']' | b'}' | b':') => self.err(ParseErrorKind::ExpectedValue, self.pos),
            Some(b'.' | b'+') => self.err(ParseErrorKind::InvalidNumber, self.pos),
            Some(b'N') if self.bytes[self.pos..].starts_with(b"NaN") => {
                self.err(ParseErrorKind::InvalidNumber, self.pos)
            }
            Some(b'I') if self.bytes[self.pos..].starts_with(b"Infinity") => {
                self.err(ParseErrorKind::InvalidNumber, self.pos)
            }
            _ => self.unexpected(),
        }
    }

    /// [`Parser::parse_value_tree`] with the thread's scratch stacks: taken empty from
    /// [`SCRATCH`], given back emptied, so a parse allocates only the tree itself.
    fn parse_value_tree_scratch(&mut self, max_depth: usize) -> PResult<Value<'a>> {
        let s = SCRATCH.with(Cell::take);
        // Given back emptied (below), so taken as they are: a stack of `'static` items is one
        // of `'a` items (the item types are covariant), and only the way back needs `recycle`.
        let (mut frames, mut vals, mut mems) = (s.frames, s.vals, s.mems);
        if mems.capacity() == 0 {
            // First parse on this thread: sized for a typical request body (a few levels, a root
            // of ~20 members), so they rarely regrow.
            frames.reserve(8);
            vals.reserve(8);
            mems.reserve(32);
        }
        let result = self.parse_value_tree(max_depth, &mut frames, &mut vals, &mut mems);
        SCRATCH.with(|c| {
            c.set(Scratch {
                frames: recycle(frames),
                vals: recycle(vals),
                mems: recycle(mems),
            })
        });
        result
    }

    /// Parses one complete value (with all nested containers) starting at the
    /// current position, without native recursion. The three stacks are scratch (open
    /// containers, array items and object members not yet closed); they come in empty.
    fn parse_value_tree(
        &mut self,
        max_depth: usize,
        frames: &mut Vec<Frame<'a>>,
        vals: &mut Vec<Value<'a>>,
        mems: &mut Vec<Member<'a>>,
    ) -> PResult<Value<'a>> {
        'value: loop {
            self.skip_ws();
            let start = self.pos;
            let mut value = match self.peek() {
                Some(b'"') => {
                    let s = self.parse_string()?;
                    Value {
                        span: Span::new(start, self.pos),
                        kind: Kind::String(s),
                    }
                }
                Some(b'-' | b'0'..=b'9') => self.parse_number()?,
                Some(b't') => self.parse_literal(b"true", Kind::Bool(true))?,
                Some(b'f') => self.parse_literal(b"false", Kind::Bool(false))?,
                Some(b'n') => self.parse_literal(b"null", Kind::Null)?,
                Some(b'[') => {
                    if frames.len() >= max_depth {
                        return self.err(ParseErrorKind::TooDeep { limit: max_depth }, start);
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Value {
                            span: Span::new(start, self.pos),
                            kind: Kind::Array(Vec::new()),
                        }
                    } else {
                        frames.push(Frame::Array {
                            start,
                            base: vals.len(),
                        });
                        continue 'value;
                    }
                }
                Some(b'{') => {
                    if frames.len() >= max_depth {
                        return self.err(ParseErrorKind::TooDeep { limit: max_depth }, start);
                    }
                    self.pos += 1;
                    self.skip_ws();
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            Value {
                                span: Span::new(start, self.pos),
                                kind: Kind::Object(Vec::new()),
                            }
                        }
                        Some(b'"') => {
                            let (key, key_span) = self.parse_key_and_colon()?;
                            frames.push(Frame::Object {
                                start,
                                base: mems.len(),
                                key,
                                key_span,
                            });
                            continue 'value;
                        }
                        _ => self.brace_extension(start)?,
                    }
                }
                _ => self.bare_extension()?,
            };

            // `value` is complete: attach it to the innermost open container,
            // closing containers as long as their closing bracket follows.
            loop {
                match frames.last_mut() {
                    None => return Ok(value),
                    Some(Frame::Array { start, base }) => {
                        let (start, base) = (*start, *base);
                        vals.push(value);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                let comma = self.pos;
                                self.pos += 1;
                                self.skip_ws();
                                if self.peek() == Some(b']') {
                                    return self.err(ParseErrorKind::TrailingComma, comma);
                                }
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let items = take_tail(vals, base);
                                frames.pop();
                                value = Value {
                                    span: Span::new(start, self.pos),
                                    kind: Kind::Array(items),
                                };
                            }
                            _ => return self.unexpected_extended(),
                        }
                    }
                    Some(Frame::Object {
                        start,
                        base,
                        key,
                        key_span,
                    }) => {
                        let (start, base) = (*start, *base);
                        mems.push(Member {
                            key: std::mem::take(key),
                            key_span: *key_span,
                            value,
                        });
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                let comma = self.pos;
                                self.pos += 1;
                                self.skip_ws();
                                match self.peek() {
                                    Some(b'"') => {
                                        let (k, ks) = self.parse_key_and_colon()?;
                                        *key = k;
                                        *key_span = ks;
                                        // A string value (the most common member) is parsed
                                        // here and attached at once, without the dispatch.
                                        self.skip_ws();
                                        if self.peek() == Some(b'"') {
                                            let vstart = self.pos;
                                            let s = self.parse_string()?;
                                            value = Value {
                                                span: Span::new(vstart, self.pos),
                                                kind: Kind::String(s),
                                            };
                                            continue;
                                        }
                                        continue 'value;
                                    }
                                    Some(b'}') => {
                                        return self.err(ParseErrorKind::TrailingComma, comma)
                                    }
                                    _ => return self.expected_key_extended(),
                                }
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let members = take_tail(mems, base);
                                if self.note_duplicates && !self.duplicates {
                                    self.duplicates = super::dups::object_has_duplicates(&members);
                                }
                                frames.pop();
                                value = Value {
                                    span: Span::new(start, self.pos),
                                    kind: Kind::Object(members),
                                };
                            }
                            _ => return self.unexpected_extended(),
                        }
                    }
                }
            }
        }
    }

    /// Where a value is expected and none starts: a value the extending reader reads there
    /// (given, not known), its error, else the syntax error.
    #[cold]
    #[inline(never)]
    fn bare_extension(&mut self) -> PResult<Value<'a>> {
        if let Some(ext) = self.ext {
            let start = self.pos;
            match ext.value(self.src.get(start..).unwrap_or("")) {
                Ok(Some(len)) => {
                    self.pos = start + len;
                    return Ok(Value {
                        span: Span::new(start, self.pos),
                        kind: Kind::Unknown(Cow::Borrowed(
                            self.src.get(start..self.pos).unwrap_or(""),
                        )),
                    });
                }
                Err(e) => return self.err(ParseErrorKind::Extension(e), start),
                Ok(None) => {}
            }
        }
        self.expected_value()
    }

    /// After a `{` at `start` (whitespace skipped) where no key or `}` follows: the extending
    /// reader's text opening at `start` (`{{ x }}` for templates) is a value it reads; else
    /// the key error.
    #[cold]
    #[inline(never)]
    fn brace_extension(&mut self, start: usize) -> PResult<Value<'a>> {
        if self.ext.is_some_and(|ext| ext.opens(&self.bytes[start..])) {
            self.pos = start;
            return self.bare_extension();
        }
        self.expected_key_extended()
    }

    /// [`Parser::expected_key`], or the extending reader's error for its text standing where
    /// a key is expected.
    #[cold]
    #[inline(never)]
    fn expected_key_extended<T>(&self) -> PResult<T> {
        match self.misplaced_extension() {
            Some(kind) => self.err(kind, self.pos),
            None => self.expected_key(),
        }
    }

    /// The extending reader's error for its text opening at the current position, where JSON
    /// structure (a key, `,`, `]`, `}`) is expected.
    fn misplaced_extension(&self) -> Option<ParseErrorKind> {
        let ext = self.ext?;
        let rest = self.src.get(self.pos..).unwrap_or("");
        ext.opens(rest.as_bytes())
            .then(|| ParseErrorKind::Extension(ext.misplaced(rest)))
    }

    /// [`Parser::unexpected`], or the extending reader's error for its text standing where a
    /// `,` or closing bracket is expected.
    #[cold]
    #[inline(never)]
    fn unexpected_extended<T>(&self) -> PResult<T> {
        match self.misplaced_extension() {
            Some(kind) => self.err(kind, self.pos),
            None => self.unexpected(),
        }
    }

    /// Parses `"key"` (at the current `"`), whitespace and the `:`.
    #[inline(always)]
    fn parse_key_and_colon(&mut self) -> PResult<(Cow<'a, str>, Span)> {
        let start = self.pos;
        let key = self.parse_string()?;
        let span = Span::new(start, self.pos);
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok((key, span))
            }
            None => self.unexpected(),
            Some(_) if self.at_comment() => self.unexpected(),
            Some(_) => self.err(ParseErrorKind::ExpectedColon, self.pos),
        }
    }

    fn parse_literal(&mut self, lit: &'static [u8], kind: Kind<'a>) -> PResult<Value<'a>> {
        let start = self.pos;
        for (k, &expected) in lit.iter().enumerate() {
            let i = start + k;
            match self.bytes.get(i) {
                None => return self.err(ParseErrorKind::UnexpectedEnd, i),
                Some(&b) if b != expected => {
                    return self.err(ParseErrorKind::UnexpectedChar(self.char_at(i)), i)
                }
                Some(_) => {}
            }
        }
        self.pos = start + lit.len();
        Ok(Value {
            span: Span::new(start, self.pos),
            kind,
        })
    }

    #[inline]
    fn skip_digits(&self, mut i: usize) -> usize {
        while let Some(b'0'..=b'9') = self.bytes.get(i) {
            i += 1;
        }
        i
    }

    /// Validates a number (current byte is `-` or a digit) and returns it raw.
    fn parse_number(&mut self) -> PResult<Value<'a>> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = bytes.get(i) {
                    return self.err(ParseErrorKind::InvalidNumber, i);
                }
            }
            Some(b'1'..=b'9') => i = self.skip_digits(i + 1),
            _ => return self.err(ParseErrorKind::InvalidNumber, i),
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(bytes.get(i), Some(b'0'..=b'9')) {
                return self.err(ParseErrorKind::InvalidNumber, i);
            }
            i = self.skip_digits(i + 1);
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !matches!(bytes.get(i), Some(b'0'..=b'9')) {
                return self.err(ParseErrorKind::InvalidNumber, i);
            }
            i = self.skip_digits(i + 1);
        }
        self.pos = i;
        // All bytes in start..i are ASCII, so both ends are char boundaries.
        let raw = self.src.get(start..i).unwrap_or("0");
        Ok(Value {
            span: Span::new(start, i),
            kind: Kind::Number(Number { raw }),
        })
    }

    /// Parses a string whose opening quote is at the current position: the common string (no
    /// escape) inline, the rest through [`Parser::parse_string_slow`].
    #[inline(always)]
    fn parse_string(&mut self) -> PResult<Cow<'a, str>> {
        let src = self.src;
        let body = self.pos + 1;
        let i = scan_plain(self.bytes, body);
        // Read through `src` so that the boundary checks of the slice below fold away: `body`
        // follows the opening quote and `i` is at the closing one, both ASCII.
        if src.as_bytes().get(i) == Some(&b'"') {
            if let Some(s) = src.get(body..i) {
                self.pos = i + 1;
                return Ok(Cow::Borrowed(s));
            }
        }
        self.parse_string_slow()
    }

    /// Parses a string whose opening quote is at the current position, whatever it holds.
    #[inline(never)]
    #[cold]
    fn parse_string_slow(&mut self) -> PResult<Cow<'a, str>> {
        let body = self.pos + 1;
        let i = scan_plain(self.bytes, body);
        match self.bytes.get(i) {
            Some(b'"') => {
                self.pos = i + 1;
                // `body` follows an ASCII quote and `i` is an ASCII quote.
                Ok(Cow::Borrowed(self.src.get(body..i).unwrap_or("")))
            }
            Some(b'\\') => self.parse_string_escaped(body, i).map(Cow::Owned),
            Some(_) => self.err(ParseErrorKind::ControlCharacter, i),
            None => self.err(ParseErrorKind::UnexpectedEnd, self.bytes.len()),
        }
    }

    /// Slow path: the string starting at `body` has an escape at `i`.
    fn parse_string_escaped(&mut self, body: usize, mut i: usize) -> PResult<String> {
        let mut out = String::with_capacity(i - body + 16);
        out.push_str(self.src.get(body..i).unwrap_or(""));
        loop {
            // Invariant: bytes[i] is a special byte or i == len.
            match self.bytes.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    i = self.parse_escape(i, &mut out)?;
                }
                Some(_) => return self.err(ParseErrorKind::ControlCharacter, i),
                None => return self.err(ParseErrorKind::UnexpectedEnd, self.bytes.len()),
            }
            let run = i;
            i = scan_plain(self.bytes, i);
            // Runs start after an ASCII escape and end at an ASCII byte (or the end).
            out.push_str(self.src.get(run..i).unwrap_or(""));
        }
    }

    /// Reads 4 hex digits at `i`; `backslash` is the offset reported on error.
    fn read_hex4(&self, i: usize, backslash: usize) -> PResult<u16> {
        let mut v: u16 = 0;
        for k in 0..4 {
            match self.bytes.get(i + k) {
                None => return self.err(ParseErrorKind::UnexpectedEnd, self.bytes.len()),
                Some(&b) => match hex_val(b) {
                    Some(d) => v = (v << 4) | d,
                    None => return self.err(ParseErrorKind::InvalidEscape, backslash),
                },
            }
        }
        Ok(v)
    }

    /// Decodes the escape whose backslash is at `i`, appends it to `out` and
    /// returns the index just after it.
    fn parse_escape(&self, i: usize, out: &mut String) -> PResult<usize> {
        let c = match self.bytes.get(i + 1) {
            None => return self.err(ParseErrorKind::UnexpectedEnd, self.bytes.len()),
            Some(&c) => c,
        };
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.parse_unicode_escape(i, out),
            _ => return self.err(ParseErrorKind::InvalidEscape, i),
        };
        out.push(decoded);
        Ok(i + 2)
    }

    fn parse_unicode_escape(&self, i: usize, out: &mut String) -> PResult<usize> {
        let hi = self.read_hex4(i + 2, i)?;
        let after = i + 6;
        match hi {
            0xD800..=0xDBFF => {
                // Needs `\uDC00`-`\uDFFF` right after.
                match (self.bytes.get(after), self.bytes.get(after + 1)) {
                    (None, _) | (Some(b'\\'), None) => {
                        self.err(ParseErrorKind::UnexpectedEnd, self.bytes.len())
                    }
                    (Some(b'\\'), Some(b'u')) => {
                        let lo = self.read_hex4(after + 2, after)?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return self.err(ParseErrorKind::LoneSurrogate, i);
                        }
                        let cp = 0x10000 + (((hi as u32) - 0xD800) << 10) + ((lo as u32) - 0xDC00);
                        out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                        Ok(after + 6)
                    }
                    _ => self.err(ParseErrorKind::LoneSurrogate, i),
                }
            }
            0xDC00..=0xDFFF => self.err(ParseErrorKind::LoneSurrogate, i),
            _ => {
                out.push(char::from_u32(hi as u32).unwrap_or(char::REPLACEMENT_CHARACTER));
                Ok(after)
            }
        }
    }
}
