//! The parser's scratch stacks, its word-at-a-time string scan at every offset, whitespace runs,
//! and the duplicate verdict noted while parsing.

use std::borrow::Cow;

use super::Rng;
use crate::json::*;

// ---------------------------------------------------------------- scratch reuse

/// The thread's scratch stacks keep their allocation between parses: an emptied vector changes
/// lifetime without reallocating (if the standard library stopped collecting in place, parsing
/// would stay correct but allocate again; this test says so).
#[test]
fn recycled_scratch_keeps_its_allocation() {
    let mut v: Vec<Member<'static>> = Vec::with_capacity(32);
    v.push(Member {
        key: Cow::Borrowed("k"),
        key_span: Span::new(0, 3),
        value: Value {
            span: Span::new(5, 9),
            kind: Kind::Null,
        },
    });
    let ptr = v.as_ptr() as usize;
    let text = String::from("{\"a\": 1}");
    let w: Vec<Member<'_>> = crate::json::parser::recycle(v);
    assert_eq!((w.len(), w.capacity(), w.as_ptr() as usize), (0, 32, ptr));
    let mut w = w;
    w.push(Member {
        key: Cow::Borrowed(&text[2..3]),
        key_span: Span::new(1, 4),
        value: Value {
            span: Span::new(6, 7),
            kind: Kind::Null,
        },
    });
    assert_eq!(w.as_ptr() as usize, ptr);
}

/// Parses on one thread share the scratch stacks; each tree is its own (an earlier tree stays
/// intact while later ones are parsed, also after errors and at every depth).
#[test]
fn parses_in_a_row_share_nothing_visible() {
    let texts = [
        r#"{"a": [1, {"b": "x"}], "c": {"d": [[], {}]}}"#,
        r#"[1, 2, {"a": "#,
        r#"{"k": "v", "k": "w"}"#,
        r#"[[[[{"z": [true, false, null]}]]]]"#,
        r#"{"a" 1}"#,
        r#""plain""#,
    ];
    let mut kept = Vec::new();
    for round in 0..3 {
        for t in texts {
            let r = parse(t);
            let expect = serde_json::from_str::<serde_json::Value>(t).ok();
            assert_eq!(r.as_ref().ok().map(Value::to_serde), expect, "{t}");
            if round == 0 {
                kept.push((t, r));
            }
        }
    }
    for (t, r) in kept {
        let expect = serde_json::from_str::<serde_json::Value>(t).ok();
        assert_eq!(r.ok().map(|v| v.to_serde()), expect, "{t}");
    }
}

// ---------------------------------------------------------------- words, runs and offsets

/// Same verdict as serde_json, and the same value when both parse.
fn agree_with_serde(text: &str) {
    let ours = parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(&a.to_serde(), b, "{text:?}"),
        (Err(e), Err(_)) => assert!(e.offset <= text.len(), "{text:?}"),
        _ => panic!("disagreement on {text:?}: ours {ours:?}, serde {theirs:?}"),
    }
}

/// Whitespace runs of every length 0..20 drawn from ` \t\r\n` (several mixes each), at every
/// offset of an 8-byte word, followed by a token, the end or a non-JSON byte: documents built
/// with them parse as serde_json parses them.
#[test]
fn whitespace_runs_of_every_length_and_mix() {
    const WS: [u8; 4] = [b' ', b'\t', b'\r', b'\n'];
    let mut rng = Rng(0x5eed_0005_0000_0001);
    for len in 0..20 {
        for mix in 0..12 {
            let run: Vec<u8> = (0..len)
                .map(|k| match mix {
                    0 => b' ',
                    1 => b'\n',
                    2 if k == 0 => b'\n',
                    2 => b' ',
                    3 => WS[k % 4],
                    4 if k + 1 == len => b'\t',
                    4 => b' ',
                    _ => WS[rng.below(4) as usize],
                })
                .collect();
            let run_str = std::str::from_utf8(&run).unwrap();
            for lead in 0..9 {
                for tail in ["", "1", "\"", "x", "\u{e9}", "\u{0}", "\u{b}"] {
                    for doc in [
                        format!("{run_str}[{run_str}1{run_str},{run_str}\"s\"{run_str}]{run_str}"),
                        format!("{{{run_str}\"k\"{run_str}:{run_str}{{{run_str}}}{run_str}}}{run_str}{tail}"),
                        format!("{run_str}{tail}{run_str}"),
                    ] {
                        // Nested `lead` deep, so the runs start at every lane of a word.
                        agree_with_serde(&format!("{}{doc}{}", "[".repeat(lead), "]".repeat(lead)));
                    }
                }
            }
        }
    }
}

/// Strings with a quote, an escape, a control byte, a multi-byte character or the end of the
/// input at every offset 0..24 (so at every lane of the words scanned), as values and as keys:
/// parsed as serde_json parses them (borrowed exactly when there is no escape).
#[test]
fn string_specials_at_every_offset() {
    let specials = [
        "\"",
        "\\\"",
        "\\\\",
        "\\n",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\x",
        "\u{1}",
        "\u{1f}",
        "\n",
        "\u{7f}",
        "\u{e9}",
        "\u{20ac}",
        "\u{1f600}",
        "\\",
        "\\u12",
        "",
    ];
    for len in 0..24 {
        for sp in specials {
            for after in ["", "b", "bcdefghijk"] {
                let body = format!("{}{sp}{after}", "a".repeat(len));
                for doc in [
                    format!("\"{body}\""),
                    format!("[\"{body}\"]"),
                    format!("{{\"{body}\": 1, \"{body}\": \"{body}\"}}"),
                    format!("\"{body}"),
                    format!("{{\"{body}\"  :\"x\"}}"),
                ] {
                    agree_with_serde(&doc);
                    if let Ok(v) = parse(&doc) {
                        if let Kind::String(s) = &v.kind {
                            assert_eq!(
                                matches!(s, Cow::Borrowed(_)),
                                !doc.contains('\\'),
                                "{doc:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The duplicate verdict noted while parsing is what `find_duplicates` finds: objects of 1..40
/// members (both sides of the pairwise / sorted split), a key repeated at every pair of
/// positions, spelled plainly or with an escape, at the root or nested in arrays and objects.
#[test]
fn noted_duplicates_match_find_duplicates() {
    let opts = ParseOptions::default();
    let check = |text: &str| {
        let (v, maybe) = parse_noting_duplicates(text, &opts).expect(text);
        let found = !find_duplicates(&v).is_empty();
        assert_eq!(maybe, found, "{text}");
        found
    };
    let keys = |n: usize| -> Vec<String> { (0..n).map(|k| format!("k{k}x")).collect() };
    let object = |ks: &[String]| -> String {
        let body: Vec<String> = ks.iter().map(|k| format!("\"{k}\": 1")).collect();
        format!("{{{}}}", body.join(", "))
    };
    let mut with = 0;
    for n in 1..40 {
        let base = keys(n);
        assert!(!check(&object(&base)));
        for i in 0..n {
            for j in (i + 1)..n {
                if n > 20 && j != i + 1 && j != n - 1 {
                    continue;
                }
                let mut ks = base.clone();
                ks[j] = ks[i].clone();
                let plain = object(&ks);
                // The same key with an escaped first letter (`k` is \u006b).
                ks[j] = format!("\\u006b{}", &ks[i][1..]);
                let escaped = object(&ks);
                for doc in [
                    plain.clone(),
                    escaped,
                    format!("[1, {plain}]"),
                    format!("{{\"a\": {{\"b\": [{plain}]}}, \"c\": 2}}"),
                    format!("[{{\"x\": 1, \"y\": 2}}, [{plain}], {{\"x\": 3}}]"),
                ] {
                    assert!(check(&doc), "{doc}");
                    with += 1;
                }
            }
        }
    }
    assert!(with > 1000);
    for doc in [
        r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#,
        r#"[{"k": 1}, {"k": 1}]"#,
        r#"{"k": {"x": 1}, "j": {"x": 1}}"#,
        r#"{"a": 1, "b": 2, "ab": 3, "ba": 4}"#,
        r#"{"": 1, "a": {"": 2}}"#,
        "[]",
        "{}",
        "1",
    ] {
        assert!(!check(doc), "{doc}");
    }
    assert!(check(r#"{"": 1, "": 2}"#));
    assert!(check(r#"{"a": 1, "b": {"c": [{"d": 1, "e": 2, "d": 3}]}}"#));
}
