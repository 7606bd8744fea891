//! The rule packs in binary form, for the browser package (`compact`): build.rs writes it from
//! `rules/*.json`, this module reads it back into the same [`Pack`]s that the JSON reads to,
//! without a JSON reader, the packs' field readers or their error messages in the module. The
//! native build reads and validates the JSON; a test decodes this form and compares the packs.
//!
//! The format, in the order of the [`Pack`] fields, with no keys:
//! - unsigned integers as LEB128 varints; a string is its byte length then its UTF-8 bytes;
//! - a flag is one byte (0 or 1); an optional item is a flag then the item when the flag is 1
//!   (absent and `null` members are both "none", as the JSON readers treat them);
//! - a list is its length then its items; an enumeration is the index of its variant;
//! - a JSON value is a tag: 0 null, 1 false, 2 true, 3 integer (zigzag varint), 4 unsigned
//!   integer above `i64::MAX`, 5 float (8 bytes, little-endian), 6 string, 7 array (length,
//!   items), 8 object (length, then key and value per member);
//! - texts are the English then the Chinese string; sources are seed, table, parameter.
//!
//! The file holds the common pack then the API packs, in the order of `Api::ALL`.

use super::pack::{
    Coerce, CondDef, Evidence, Examples, FieldDef, FieldType, FixDef, FixEdit, Observed, Pack,
    RuleDef, Source, Text, Unchecked,
};
use crate::Severity;
use serde_json::{Map, Value};

/// A reader over the binary form. Reads never stop early: past the end or on a malformed item
/// they give a default and mark the reader failed, which [`decode`] checks once at the end. (Early
/// returns from the middle of a struct would need cleanup code for every field read so far,
/// which was most of this module's size.) The form is written by build.rs from packs that the
/// native build validates, so a failure is a build defect, reported as such by the caller.
struct Reader<'b> {
    bytes: &'b [u8],
    failed: bool,
}

impl<'b> Reader<'b> {
    fn fail<T: Default>(&mut self) -> T {
        self.failed = true;
        self.bytes = &[];
        T::default()
    }

    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => self.fail(),
        }
    }

    fn uint(&mut self) -> u64 {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return n;
            }
        }
        self.fail()
    }

    fn len(&mut self) -> usize {
        let n = self.uint();
        // Every item takes at least one byte: a longer count is corrupt.
        match usize::try_from(n) {
            Ok(n) if n <= self.bytes.len() => n,
            _ => self.fail(),
        }
    }

    fn take(&mut self, n: usize) -> &'b [u8] {
        if n > self.bytes.len() {
            return self.fail::<&[u8]>();
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        head
    }

    fn string(&mut self) -> String {
        let n = self.len();
        match std::str::from_utf8(self.take(n)) {
            Ok(s) => s.to_string(),
            Err(_) => self.fail(),
        }
    }

    fn flag(&mut self) -> bool {
        match self.byte() {
            0 => false,
            1 => true,
            _ => self.fail(),
        }
    }

    fn f64(&mut self) -> f64 {
        // `take` gives 8 bytes, or none after marking the reader failed.
        <[u8; 8]>::try_from(self.take(8)).map_or(0.0, f64::from_le_bytes)
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.flag().then(|| read(self))
    }

    fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.len();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(read(self));
        }
        out
    }

    fn strings(&mut self) -> Vec<String> {
        self.list(Self::string)
    }

    fn value(&mut self) -> Value {
        match self.byte() {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => {
                let z = self.uint();
                Value::from(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            4 => Value::from(self.uint()),
            5 => serde_json::Number::from_f64(self.f64()).map_or(Value::Null, Value::Number),
            6 => Value::String(self.string()),
            7 => Value::Array(self.list(Self::value)),
            8 => {
                let n = self.len();
                let mut map = Map::new();
                for _ in 0..n {
                    let k = self.string();
                    let v = self.value();
                    map.insert(k, v);
                }
                Value::Object(map)
            }
            _ => self.fail(),
        }
    }

    fn text(&mut self) -> Text {
        Text {
            en: self.string(),
            zh: self.string(),
        }
    }

    fn source(&mut self) -> Source {
        Source {
            page: self.string(),
            table: self.string(),
            parameter: self.string(),
        }
    }

    fn variant<T: Copy>(&mut self, variants: &[T]) -> T {
        let i = usize::from(self.byte());
        match variants.get(i) {
            Some(&v) => v,
            None => {
                self.failed = true;
                variants[0]
            }
        }
    }

    fn cond(&mut self) -> CondDef {
        CondDef {
            all: self.opt(|r| r.list(Self::cond)),
            any: self.opt(|r| r.list(Self::cond)),
            not: self.opt(|r| Box::new(r.cond())),
            field: self.opt(Self::string),
            context: self.opt(Self::string),
            eq: self.opt(Self::value),
            in_: self.opt(|r| r.list(Self::value)),
            in_table: self.opt(Self::string),
            present: self.opt(Self::flag),
            contains: self.opt(Self::string),
            gt: self.opt(Self::f64),
        }
    }

    fn field(&mut self) -> FieldDef {
        use FieldType::*;
        FieldDef {
            pointer: self.string(),
            ty: self.variant(&[String, Integer, Boolean, BoolString, Object, Array]),
            required: self.flag(),
            coerce: self.variant(&[Coerce::Warn, Coerce::Silent]),
            secret: self.flag(),
            label: self.text(),
            default: self.opt(Self::value),
            default_note: self.opt(Self::text),
            null_ok: self.opt(Self::cond),
            source: self.source(),
        }
    }

    fn rule(&mut self) -> RuleDef {
        RuleDef {
            id: self.string(),
            name: self.string(),
            severity: self.variant(&[Severity::Info, Severity::Warning, Severity::Error]),
            member_ignored: self.flag(),
            observed: self.list(|r| Observed {
                when: r.opt(Self::cond),
                accepts: r.value(),
                documented: r.text(),
                accepted: r.text(),
                source: Evidence {
                    project: r.string(),
                    file: r.string(),
                    date: r.string(),
                },
            }),
            targets: self.strings(),
            when: self.opt(Self::cond),
            check: self.value(),
            fix: self.opt(|r| FixDef {
                edit: r.variant(&FixEdit::ALL.map(|(_, e)| e)),
                applicability: r.variant(&crate::Applicability::ALL.map(|(_, a)| a)),
                message: r.text(),
            }),
            summary: self.text(),
            message: self.text(),
            help: self.text(),
            why: self.text(),
            examples: Examples {
                invalid: self.value(),
                valid: self.value(),
            },
            source: self.source(),
        }
    }

    fn pack(&mut self) -> Pack {
        let api = self.string();
        let title = self.string();
        let sources = self.strings();
        let tables = match self.value() {
            Value::Object(map) => map,
            _ => self.fail(),
        };
        // Written in key order (build.rs walks a sorted map).
        let vocabulary = self.list(|r| (r.string(), r.text()));
        Pack {
            api,
            title,
            sources,
            tables,
            vocabulary,
            fields: self.list(Self::field),
            rules: self.list(Self::rule),
            unchecked: self.list(|r| Unchecked {
                parameter: r.string(),
                reason: r.text(),
                source: r.source(),
            }),
        }
    }
}

/// The common pack and the `n` API packs, or `None` when the bytes are not exactly that.
pub fn decode(bytes: &[u8], n: usize) -> Option<(Pack, Vec<Pack>)> {
    let mut r = Reader {
        bytes,
        failed: false,
    };
    let common = r.pack();
    let apis: Vec<Pack> = (0..n).map(|_| r.pack()).collect();
    (!r.failed && r.bytes.is_empty()).then_some((common, apis))
}
