//! `not_blank`: the text has a character that is not whitespace.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone, Copy)]
pub struct NotBlank;

impl Kind for NotBlank {
    const READS: &'static [&'static str] = &[];
    const PRODUCES: &'static [&'static str] = &["min"];

    fn compile(_: &Options<'_>) -> Result<Self, CheckError> {
        Ok(NotBlank)
    }

    // Inlined into the dispatch: run on every name and id of a body, its call was 1.5% of
    // `is_valid_str` on a small body (docs/performance.md).
    #[inline]
    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        let mut buf = [0; 20];
        let t = v.text_in(&mut buf);
        // A text that starts with a visible ASCII char is not blank, without a trim.
        if t.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
            return None;
        }
        t.trim().is_empty().then(|| vec![("min", Param::Int(1))])
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{apply_alone, compile};
    use super::*;
    use serde_json::json;

    #[test]
    fn blank_is_what_trim_empties() {
        let blank = compile(json!({"kind": "not_blank"})).unwrap();
        for t in [
            "", " ", "a", " a", "\t", "\u{3000}", "\u{3000}x", "\u{85}", "\u{a0}", "é", "\u{7f}",
            "\u{1}", "~", "!", " \n\r\u{b}\u{c}", "日", "\u{2028}\u{2029}", "\0",
        ] {
            let got = apply_alone(&blank, &Val::Str(t.into()));
            assert_eq!(got.is_some(), t.trim().is_empty(), "{t:?}");
        }
        assert_eq!(apply_alone(&blank, &Val::Int(0)), None);
        assert!(apply_alone(&blank, &Val::Composite).is_some());
    }
}
