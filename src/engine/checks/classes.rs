//! `classes`: the text has a character of at least `min` of the character classes `classes`
//! (each a term: `upper`, `lower`, `letters`, `digits`, or ASCII characters literally; `min`
//! defaults to all of them). Only the first 64 classes are counted.

use super::first_char::TERMS;
use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::engine::charset::CharSet;
use crate::doc::Doc;

#[derive(Debug, Clone)]
pub struct Classes {
    /// Each class as written, with its set.
    pub classes: Vec<(String, CharSet)>,
    pub min: usize,
}

impl Classes {
    /// The classes with a member in `text`, as a bit set (bit `i` for class `i`). Class by
    /// class, each scan stopping at the class's first member; by bytes, as classes are ASCII
    /// sets (see [`CharSet::contains_byte`]).
    pub fn seen(&self, text: &str) -> u64 {
        let mut seen = 0u64;
        for (i, (_, set)) in self.classes.iter().enumerate().take(64) {
            if text.bytes().any(|b| set.contains_byte(b)) {
                seen |= 1 << i;
            }
        }
        seen
    }
}

impl Kind for Classes {
    const READS: &'static [&'static str] = &["classes", "min"];
    const PRODUCES: &'static [&'static str] = &["missing", "min", "actual"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let names = o.need("classes", o.strings("classes")?)?;
        let classes = names
            .into_iter()
            .map(|n| match CharSet::from_term(&n) {
                Some(set) => Ok((n, set)),
                None => Err(CheckError::invalid(
                    "classes",
                    format!("check `classes`: {TERMS}"),
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let min = o.count("min")?.unwrap_or(classes.len());
        Ok(Classes { classes, min })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let s = v.text();
        let seen = self.seen(&s);
        let have = seen.count_ones() as usize;
        (have < self.min).then(|| {
            let missing = self
                .classes
                .iter()
                .enumerate()
                .filter(|(i, _)| *i >= 64 || seen & (1 << i) == 0)
                .map(|(_, (n, _))| n.clone())
                .collect();
            vec![
                ("missing", Param::Terms(missing)),
                ("min", Param::Int(self.min as i64)),
                ("actual", Param::Int(have as i64)),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{apply_alone, compile};
    use super::*;
    use serde_json::json;

    #[test]
    fn classes_count_the_classes_with_a_member() {
        let check = compile(json!({"kind": "classes", "classes": ["upper", "lower", "digits", "~!"], "min": 3}))
            .unwrap();
        let fails = |t: &str| apply_alone(&check, &Val::Str(t.into()));
        assert_eq!(fails("Pw-Secret9~x"), None);
        assert_eq!(fails("abc9"), Some(vec![
            ("missing", Param::Terms(vec!["upper".into(), "~!".into()])),
            ("min", Param::Int(3)),
            ("actual", Param::Int(2)),
        ]));
        assert!(fails("日本語é").is_some());
        assert_eq!(fails("A~1"), None);
        // Past the 64 classes that are counted, a class is listed as missing.
        let many: Vec<String> = (0..70u8).map(|i| char::from(b'!' + i).to_string()).collect();
        let check = compile(json!({"kind": "classes", "classes": many, "min": 1})).unwrap();
        assert_eq!(apply_alone(&check, &Val::Str("!".into())), None);
    }
}
