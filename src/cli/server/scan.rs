//! A forgiving reader of JSON being typed: which member is where, and what the cursor is on.
//! The crate's parser stops at the first syntax error, which is the normal state of a document
//! in an editor; hover and completion still need the members around the cursor, so this reader
//! never fails: unterminated strings end at the line's end, a missing comma or colon is assumed,
//! a stray closing bracket closes what it can.

/// A byte range in the document.
pub type Span = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    /// A number, `true`, `false`, `null` or a bare word.
    Literal,
}

#[derive(Debug, Clone)]
pub struct Value {
    pub span: Span,
    pub kind: Kind,
    /// A string's decoded text, a literal's source text.
    pub text: Option<String>,
}

/// An object member, with the pointer of its value.
#[derive(Debug, Clone)]
pub struct Member {
    pub pointer: String,
    pub key: String,
    pub key_span: Span,
    pub value: Option<Value>,
}

/// Everything read from the document.
#[derive(Debug, Default)]
pub struct Outline {
    pub members: Vec<Member>,
}

impl Outline {
    /// The string or literal value at a pointer (e.g. `/datastore/type`).
    pub fn value_text(&self, pointer: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.pointer == pointer)
            .and_then(|m| m.value.as_ref())
            .and_then(|v| v.text.as_deref())
    }

    /// The innermost member whose key or scalar value holds the offset.
    pub fn member_at(&self, offset: usize) -> Option<&Member> {
        let inside = |s: Span| s.0 <= offset && offset <= s.1;
        self.members
            .iter()
            .filter(|m| {
                inside(m.key_span)
                    || m.value.as_ref().is_some_and(|v| {
                        inside(v.span) && !matches!(v.kind, Kind::Object | Kind::Array)
                    })
            })
            .max_by_key(|m| m.key_span.0)
    }
}

/// What the cursor is on, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A member name of the object at `object`; `replace` is the partial key typed so far.
    Key { object: String, replace: Span },
    /// The value of the member (or array item) at `pointer`.
    Value { pointer: String, replace: Span },
    /// Between members, or anywhere nothing can be offered.
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Open(u8),
    Close(u8),
    Colon,
    Comma,
    Str,
    Lit,
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

impl Iterator for Lexer<'_> {
    type Item = (Tok, Span);
    fn next(&mut self) -> Option<(Tok, Span)> {
        let b = self.b;
        while self.i < b.len() && matches!(b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
        let start = self.i;
        let c = *b.get(start)?;
        self.i += 1;
        let tok = match c {
            b'{' | b'[' => Tok::Open(c),
            b'}' | b']' => Tok::Close(c),
            b':' => Tok::Colon,
            b',' => Tok::Comma,
            b'"' => {
                while self.i < b.len() {
                    match b[self.i] {
                        b'\\' => self.i += 2,
                        b'"' => {
                            self.i += 1;
                            break;
                        }
                        b'\n' => break,
                        _ => self.i += 1,
                    }
                }
                self.i = self.i.min(b.len());
                Tok::Str
            }
            _ => {
                while self.i < b.len()
                    && !matches!(
                        b[self.i],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b':'
                            | b','
                            | b'"'
                    )
                {
                    self.i += 1;
                }
                Tok::Lit
            }
        };
        Some((tok, (start, self.i)))
    }
}

fn is_closed_string(text: &str, s: Span) -> bool {
    let t = &text.as_bytes()[s.0..s.1];
    t.len() >= 2 && t[t.len() - 1] == b'"' && {
        // An odd run of backslashes before the last quote escapes it.
        let slashes = t[1..t.len() - 1]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        slashes % 2 == 0
    }
}

/// A string token's text: decoded when it is closed, else what is typed after the quote.
fn string_text(text: &str, s: Span) -> String {
    let Some(raw) = text.get(s.0..s.1) else {
        return String::new();
    };
    if is_closed_string(text, s) {
        if let Ok(v) = serde_json::from_str::<String>(raw) {
            return v;
        }
    }
    raw.trim_start_matches('"')
        .trim_end_matches('"')
        .to_string()
}

pub fn escape_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Key,
    Colon,
    Value,
    After,
}

struct Frame {
    is_object: bool,
    pointer: String,
    state: State,
    /// Current member (objects) in `Outline::members`.
    member: Option<usize>,
    index: usize,
    /// The member whose value this container is.
    owner: Option<usize>,
}

struct Reader<'a> {
    text: &'a str,
    out: Outline,
    stack: Vec<Frame>,
    root_done: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            out: Outline::default(),
            stack: Vec::new(),
            root_done: false,
        }
    }

    /// The pointer of the value about to be read, if a value may come here.
    fn value_pointer(&self) -> Option<(String, Option<usize>)> {
        match self.stack.last() {
            None => (!self.root_done).then(|| (String::new(), None)),
            Some(f) if f.is_object => match (f.state, f.member) {
                (State::Value, Some(m)) => Some((self.out.members[m].pointer.clone(), Some(m))),
                _ => None,
            },
            Some(f) => matches!(f.state, State::Value)
                .then(|| (format!("{}/{}", f.pointer, f.index), None)),
        }
    }

    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(f) => f.state = State::After,
            None => self.root_done = true,
        }
    }

    fn close(&mut self, end: usize) {
        if let Some(f) = self.stack.pop() {
            if let Some(m) = f.owner {
                if let Some(v) = self.out.members[m].value.as_mut() {
                    v.span.1 = end;
                }
            }
            self.value_done();
        }
    }

    fn feed(&mut self, tok: Tok, span: Span) {
        match tok {
            Tok::Open(c) => {
                let Some((pointer, owner)) = self.value_pointer() else {
                    return;
                };
                let kind = if c == b'{' { Kind::Object } else { Kind::Array };
                if let Some(m) = owner {
                    self.out.members[m].value = Some(Value {
                        span: (span.0, self.text.len()),
                        kind,
                        text: None,
                    });
                }
                self.stack.push(Frame {
                    is_object: c == b'{',
                    pointer,
                    state: if c == b'{' { State::Key } else { State::Value },
                    member: None,
                    index: 0,
                    owner,
                });
            }
            Tok::Close(c) => {
                let want_object = c == b'}';
                // Close up to the innermost container of this kind; a stray bracket is ignored.
                if let Some(depth) = self.stack.iter().rposition(|f| f.is_object == want_object) {
                    while self.stack.len() > depth {
                        self.close(span.1);
                    }
                }
            }
            Tok::Colon => {
                if let Some(f) = self.stack.last_mut() {
                    if f.is_object && f.state == State::Colon {
                        f.state = State::Value;
                    }
                }
            }
            Tok::Comma => {
                if let Some(f) = self.stack.last_mut() {
                    if f.is_object {
                        f.state = State::Key;
                    } else {
                        if f.state == State::After {
                            f.index += 1;
                        }
                        f.state = State::Value;
                    }
                }
            }
            Tok::Str | Tok::Lit => {
                let key_slot = self
                    .stack
                    .last()
                    .is_some_and(|f| f.is_object && f.state != State::Value);
                if key_slot && tok == Tok::Str {
                    let key = string_text(self.text, span);
                    let Some(f) = self.stack.last_mut() else {
                        return;
                    };
                    let pointer = format!("{}/{}", f.pointer, escape_token(&key));
                    f.member = Some(self.out.members.len());
                    f.state = State::Colon;
                    self.out.members.push(Member {
                        pointer,
                        key,
                        key_span: span,
                        value: None,
                    });
                    return;
                }
                let Some((_, owner)) = self.value_pointer() else {
                    return;
                };
                if let Some(m) = owner {
                    let text = if tok == Tok::Str {
                        string_text(self.text, span)
                    } else {
                        self.text[span.0..span.1].to_string()
                    };
                    self.out.members[m].value = Some(Value {
                        span,
                        kind: if tok == Tok::Str {
                            Kind::String
                        } else {
                            Kind::Literal
                        },
                        text: Some(text),
                    });
                }
                self.value_done();
            }
        }
    }

    fn finish(mut self) -> Outline {
        let end = self.text.len();
        while !self.stack.is_empty() {
            self.close(end);
        }
        self.out
    }
}

/// Read the whole document.
pub fn outline(text: &str) -> Outline {
    let mut r = Reader::new(text);
    for (tok, span) in (Lexer {
        b: text.as_bytes(),
        i: 0,
    }) {
        r.feed(tok, span);
    }
    r.finish()
}

/// What the cursor at `offset` is on.
pub fn slot_at(text: &str, offset: usize) -> Slot {
    let mut r = Reader::new(text);
    for (tok, span) in (Lexer {
        b: text.as_bytes(),
        i: 0,
    }) {
        let typing = matches!(tok, Tok::Str | Tok::Lit)
            && span.0 < offset
            && (offset < span.1
                || (offset == span.1 && !(tok == Tok::Str && is_closed_string(text, span))));
        if typing {
            let key_slot = r
                .stack
                .last()
                .is_some_and(|f| f.is_object && f.state != State::Value);
            if key_slot && tok == Tok::Str {
                let object = r
                    .stack
                    .last()
                    .map(|f| f.pointer.clone())
                    .unwrap_or_default();
                return Slot::Key {
                    object,
                    replace: span,
                };
            }
            return match r.value_pointer() {
                Some((pointer, _)) => Slot::Value {
                    pointer,
                    replace: span,
                },
                None => Slot::Nothing,
            };
        }
        if span.0 >= offset {
            break;
        }
        r.feed(tok, span);
    }
    match r.stack.last() {
        Some(f) if f.is_object && matches!(f.state, State::Key) => Slot::Key {
            object: f.pointer.clone(),
            replace: (offset, offset),
        },
        _ => match r.value_pointer() {
            Some((pointer, _)) if !r.stack.is_empty() => Slot::Value {
                pointer,
                replace: (offset, offset),
            },
            _ => Slot::Nothing,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_values_of_a_broken_document() {
        let text = "{\"datastore\": {\"type\": \"redis\", \"mode\": \"Clu\n  \"flavor\": [{\"num\": 3}], \"a/b\": tr";
        let o = outline(text);
        assert_eq!(o.value_text("/datastore/type"), Some("redis"));
        assert_eq!(o.value_text("/datastore/mode"), Some("Clu"));
        assert_eq!(o.value_text("/datastore/flavor/0/num"), Some("3"));
        assert_eq!(o.value_text("/datastore/a~1b"), Some("tr"));
        let keys: Vec<&str> = o
            .members
            .iter()
            .filter(|m| m.pointer.rsplit_once('/').map(|(p, _)| p) == Some("/datastore"))
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["type", "mode", "flavor", "a/b"]);
        let at = text.find("redis").unwrap_or(0) + 2;
        assert_eq!(
            o.member_at(at).map(|m| m.pointer.as_str()),
            Some("/datastore/type")
        );
    }

    #[test]
    fn the_slot_under_the_cursor() {
        let t = "{\"datastore\": {\"ty\": \"re\"}, }";
        let key = t.find("ty").unwrap_or(0) + 1;
        assert_eq!(
            slot_at(t, key),
            Slot::Key {
                object: "/datastore".into(),
                replace: (key - 2, key + 2)
            }
        );
        let val = t.find("\"re\"").unwrap_or(0) + 3;
        assert_eq!(
            slot_at(t, val),
            Slot::Value {
                pointer: "/datastore/ty".into(),
                replace: (val - 3, val + 1)
            }
        );
        let gap = t.rfind(' ').unwrap_or(0) + 1;
        assert_eq!(
            slot_at(t, gap),
            Slot::Key {
                object: String::new(),
                replace: (gap, gap)
            }
        );
        let after_colon = "{\"mode\": ";
        assert_eq!(
            slot_at(after_colon, after_colon.len()),
            Slot::Value {
                pointer: "/mode".into(),
                replace: (9, 9)
            }
        );
        let item = "{\"flavor\": [{}, {\"";
        assert_eq!(
            slot_at(item, item.len()),
            Slot::Key {
                object: "/flavor/1".into(),
                replace: (item.len() - 1, item.len())
            }
        );
        assert_eq!(slot_at("", 0), Slot::Nothing);
    }
}
