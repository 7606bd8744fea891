use std::borrow::Cow;

use super::lines::line_col;
use super::*;

mod parser_paths;

fn err(input: &str) -> ParseError {
    match parse(input) {
        Ok(v) => panic!("expected an error for {input:?}, got {v:?}"),
        Err(e) => e,
    }
}

fn assert_err(input: &str, kind: ParseErrorKind, offset: usize) {
    let e = err(input);
    assert_eq!(
        (e.kind.clone(), e.offset),
        (kind, offset),
        "input {input:?} -> {e}"
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn error_empty() {
    assert_err("", ParseErrorKind::Empty, 0);
    assert_err("  \n\t\r ", ParseErrorKind::Empty, 0);
    assert_err("\u{feff}", ParseErrorKind::Empty, 0);
    assert_err("\u{feff}  \n", ParseErrorKind::Empty, 0);
}

#[test]
fn error_unexpected_end() {
    for input in [
        "[1, 2",
        "[1, 2,",
        "{\"a\": ",
        "{\"a\"",
        "{\"a\":1",
        "{",
        "[",
        "\"abc",
        "\"ab\\",
        "\"\\u12",
        "\"\\ud800",
        "\"\\ud800\\",
        "\"\\ud800\\ud",
        "tru",
        "nul",
        "f",
        "{\"a\":[1,{\"b\":",
        "\"esc\\n then open",
    ] {
        assert_err(input, ParseErrorKind::UnexpectedEnd, input.len());
    }
}

#[test]
fn error_unexpected_char() {
    assert_err("[1 2]", ParseErrorKind::UnexpectedChar('2'), 3);
    assert_err("{\"a\":1 \"b\":2}", ParseErrorKind::UnexpectedChar('"'), 7);
    assert_err("[1}", ParseErrorKind::UnexpectedChar('}'), 2);
    assert_err("{\"a\":1]", ParseErrorKind::UnexpectedChar(']'), 6);
    assert_err("nul!", ParseErrorKind::UnexpectedChar('!'), 3);
    assert_err("True", ParseErrorKind::UnexpectedChar('T'), 0);
    assert_err("@", ParseErrorKind::UnexpectedChar('@'), 0);
    assert_err("[\"é\" é]", ParseErrorKind::UnexpectedChar('é'), 6);
    assert_err("'a'", ParseErrorKind::UnexpectedChar('\''), 0);
    assert_err("[/]", ParseErrorKind::UnexpectedChar('/'), 1);
    assert_err("tx", ParseErrorKind::UnexpectedChar('x'), 1);
    assert_err("[1,\u{a0}2]", ParseErrorKind::UnexpectedChar('\u{a0}'), 3);
}

#[test]
fn error_trailing_comma() {
    assert_err("[1,2,]", ParseErrorKind::TrailingComma, 4);
    assert_err("{\"a\":1,}", ParseErrorKind::TrailingComma, 6);
    assert_err("[1,2 , \n ]", ParseErrorKind::TrailingComma, 5);
    assert_err("{\"a\":[1,],\"b\":2}", ParseErrorKind::TrailingComma, 7);
}

#[test]
fn error_comment() {
    assert_err("// c\n{}", ParseErrorKind::Comment, 0);
    assert_err("/* c */ {}", ParseErrorKind::Comment, 0);
    assert_err("{\"a\":1 /* x */}", ParseErrorKind::Comment, 7);
    assert_err("{} // x", ParseErrorKind::Comment, 3);
    assert_err("[1, /* */ 2]", ParseErrorKind::Comment, 4);
    assert_err("{ // c\n\"a\":1}", ParseErrorKind::Comment, 2);
    assert_err("{\"a\" // c\n:1}", ParseErrorKind::Comment, 5);
    assert_err("{\"a\":1, // c\n\"b\":2}", ParseErrorKind::Comment, 8);
}

#[test]
fn error_expected_colon_value_key() {
    assert_err("{\"a\" 1}", ParseErrorKind::ExpectedColon, 5);
    assert_err("{\"a\",1}", ParseErrorKind::ExpectedColon, 4);
    assert_err("[,1]", ParseErrorKind::ExpectedValue, 1);
    assert_err("{\"a\":}", ParseErrorKind::ExpectedValue, 5);
    assert_err("{\"a\":,\"b\":1}", ParseErrorKind::ExpectedValue, 5);
    assert_err("[1,,2]", ParseErrorKind::ExpectedValue, 3);
    assert_err("]", ParseErrorKind::ExpectedValue, 0);
    assert_err("{a:1}", ParseErrorKind::ExpectedKey, 1);
    assert_err("{'a':1}", ParseErrorKind::ExpectedKey, 1);
    assert_err("{\"a\":1, b:2}", ParseErrorKind::ExpectedKey, 8);
    assert_err("{1:2}", ParseErrorKind::ExpectedKey, 1);
    assert_err("{,}", ParseErrorKind::ExpectedKey, 1);
}

#[test]
fn error_invalid_number() {
    assert_err("01", ParseErrorKind::InvalidNumber, 1);
    assert_err("-01", ParseErrorKind::InvalidNumber, 2);
    assert_err("[00]", ParseErrorKind::InvalidNumber, 2);
    assert_err("1.", ParseErrorKind::InvalidNumber, 2);
    assert_err("[1.]", ParseErrorKind::InvalidNumber, 3);
    assert_err("[1.e5]", ParseErrorKind::InvalidNumber, 3);
    assert_err("-", ParseErrorKind::InvalidNumber, 1);
    assert_err("[-]", ParseErrorKind::InvalidNumber, 2);
    assert_err(".5", ParseErrorKind::InvalidNumber, 0);
    assert_err("+1", ParseErrorKind::InvalidNumber, 0);
    assert_err("NaN", ParseErrorKind::InvalidNumber, 0);
    assert_err("Infinity", ParseErrorKind::InvalidNumber, 0);
    assert_err("[1, -Infinity]", ParseErrorKind::InvalidNumber, 5);
    assert_err("1e", ParseErrorKind::InvalidNumber, 2);
    assert_err("1e+", ParseErrorKind::InvalidNumber, 3);
    assert_err("1E-x", ParseErrorKind::InvalidNumber, 3);
    assert_err("{\"n\": +5}", ParseErrorKind::InvalidNumber, 6);
}

#[test]
fn error_invalid_escape() {
    assert_err("\"a\\x\"", ParseErrorKind::InvalidEscape, 2);
    assert_err("\"\\u12G4\"", ParseErrorKind::InvalidEscape, 1);
    assert_err("\"\\u12\"", ParseErrorKind::InvalidEscape, 1);
    assert_err("\"\\U0041\"", ParseErrorKind::InvalidEscape, 1);
    assert_err("\"ok\\n\\'\"", ParseErrorKind::InvalidEscape, 5);
    assert_err("\"\\ud800\\uzzzz\"", ParseErrorKind::InvalidEscape, 7);
    assert_err("{\"k\\a\":1}", ParseErrorKind::InvalidEscape, 3);
}

#[test]
fn error_lone_surrogate() {
    assert_err("\"\\ud800\"", ParseErrorKind::LoneSurrogate, 1);
    assert_err("\"x\\udc00\"", ParseErrorKind::LoneSurrogate, 2);
    assert_err("\"\\uDBFF\\u0041\"", ParseErrorKind::LoneSurrogate, 1);
    assert_err("\"\\ud800x\"", ParseErrorKind::LoneSurrogate, 1);
    assert_err("\"\\ud800\\n\"", ParseErrorKind::LoneSurrogate, 1);
    assert_err("\"\\ud800\\ud800\"", ParseErrorKind::LoneSurrogate, 1);
    assert_err("[\"ab\", \"\\uDFFF\"]", ParseErrorKind::LoneSurrogate, 8);
    // serde_json rejects all of these too.
    for input in [
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
    ] {
        assert!(serde_json::from_str::<serde_json::Value>(input).is_err());
    }
}

#[test]
fn error_control_character() {
    assert_err("\"a\nb\"", ParseErrorKind::ControlCharacter, 2);
    assert_err("\"a\u{0}b\"", ParseErrorKind::ControlCharacter, 2);
    assert_err("\"\t\"", ParseErrorKind::ControlCharacter, 1);
    assert_err("\"ab\\n\u{1f}\"", ParseErrorKind::ControlCharacter, 5);
    assert_err("{\"k\u{1}\":1}", ParseErrorKind::ControlCharacter, 3);
    assert_err(
        "[\"0123456789abcdef\r\"]",
        ParseErrorKind::ControlCharacter,
        18,
    );
    // DEL and C1 controls are allowed by RFC 8259.
    assert!(parse("\"\u{7f}\u{85}\"").is_ok());
}

#[test]
fn error_trailing_characters() {
    assert_err("{} x", ParseErrorKind::TrailingCharacters, 3);
    assert_err("1 2", ParseErrorKind::TrailingCharacters, 2);
    assert_err("truex", ParseErrorKind::TrailingCharacters, 4);
    assert_err("nullnull", ParseErrorKind::TrailingCharacters, 4);
    assert_err("{}}", ParseErrorKind::TrailingCharacters, 2);
    assert_err("[]\n,", ParseErrorKind::TrailingCharacters, 3);
    assert_err("0x10", ParseErrorKind::TrailingCharacters, 1);
}

#[test]
fn error_too_deep() {
    let opts = ParseOptions { max_depth: 2 };
    assert!(parse_with("[[1]]", &opts).is_ok());
    assert_eq!(
        parse_with("[[[1]]]", &opts).unwrap_err(),
        ParseError {
            kind: ParseErrorKind::TooDeep { limit: 2 },
            offset: 2
        }
    );
    assert_eq!(
        parse_with("{\"a\":{\"b\":{}}}", &opts).unwrap_err(),
        ParseError {
            kind: ParseErrorKind::TooDeep { limit: 2 },
            offset: 10
        }
    );
    let zero = ParseOptions { max_depth: 0 };
    assert!(parse_with("1", &zero).is_ok());
    assert_eq!(
        parse_with(" []", &zero).unwrap_err().kind,
        ParseErrorKind::TooDeep { limit: 0 }
    );

    // Exactly the default limit is fine; one more is not.
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(parse(&ok).is_ok());
    let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert_err(&deep, ParseErrorKind::TooDeep { limit: 64 }, 64);
}

#[test]
fn too_deep_100k_does_not_overflow() {
    let input = "[".repeat(100_000);
    let t = std::time::Instant::now();
    assert_err(&input, ParseErrorKind::TooDeep { limit: 64 }, 64);
    let mixed = "{\"a\":[".repeat(50_000);
    let e = err(&mixed);
    assert_eq!(e.kind, ParseErrorKind::TooDeep { limit: 64 });
    assert_eq!(&mixed[e.offset..e.offset + 1], "{");
    assert!(t.elapsed() < std::time::Duration::from_secs(2));

    // A large explicit limit still does not recurse natively while parsing.
    let opts = ParseOptions { max_depth: 200_000 };
    let err = parse_with(&input, &opts).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    assert_eq!(err.offset, input.len());
}

#[test]
fn error_display_and_describe() {
    let e = err("[1,2,]");
    assert_eq!(e.to_string(), "trailing comma before `]` or `}` at byte 4");
    assert_eq!(e.kind.describe("zh"), "数组或对象末尾多了逗号");
    assert_eq!(e.kind.describe("fr"), e.kind.describe("en"));
    let deep = ParseErrorKind::TooDeep { limit: 64 };
    assert!(deep.describe("en").contains("64"));
    assert!(deep.describe("zh").contains("64"));
    assert!(ParseErrorKind::UnexpectedChar('\u{0}')
        .describe("en")
        .contains("U+0000"));
    assert!(ParseErrorKind::UnexpectedChar('x')
        .describe("zh")
        .contains("`x`"));
    let kinds = [
        ParseErrorKind::Empty,
        ParseErrorKind::UnexpectedEnd,
        ParseErrorKind::UnexpectedChar('x'),
        ParseErrorKind::TrailingComma,
        ParseErrorKind::Comment,
        ParseErrorKind::ExpectedColon,
        ParseErrorKind::ExpectedValue,
        ParseErrorKind::ExpectedKey,
        ParseErrorKind::InvalidNumber,
        ParseErrorKind::InvalidEscape,
        ParseErrorKind::LoneSurrogate,
        ParseErrorKind::ControlCharacter,
        ParseErrorKind::TrailingCharacters,
        deep,
    ];
    for lang in ["en", "zh"] {
        let all: std::collections::HashSet<String> =
            kinds.iter().map(|k| k.describe(lang)).collect();
        assert_eq!(
            all.len(),
            kinds.len(),
            "descriptions must be distinct ({lang})"
        );
    }
    for k in &kinds {
        assert!(k.describe("en").is_ascii());
        assert!(!k.describe("zh").is_ascii());
    }
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().ends_with("at byte 4"));
}

// ---------------------------------------------------------------- values and spans

#[test]
fn spans_and_values() {
    let src = r#" {"a": [1, "x", true, null], "b": {"c": -1.5e3}} "#;
    let v = parse(src).unwrap();
    assert_eq!(v.span, Span::new(1, src.len() - 1));
    let a = v.member("a").unwrap();
    assert_eq!(&src[a.key_span.start..a.key_span.end], "\"a\"");
    assert_eq!(
        &src[a.value.span.start..a.value.span.end],
        "[1, \"x\", true, null]"
    );
    let items = a.value.as_array().unwrap();
    let texts: Vec<&str> = items
        .iter()
        .map(|i| &src[i.span.start..i.span.end])
        .collect();
    assert_eq!(texts, ["1", "\"x\"", "true", "null"]);
    assert_eq!(items[1].as_str(), Some("x"));
    assert_eq!(items[2].as_bool(), Some(true));
    assert!(items[3].is_null());
    let c = v.get("b").unwrap().get("c").unwrap();
    assert_eq!(c.as_number().unwrap().raw, "-1.5e3");
    assert_eq!(c.as_number().unwrap().as_f64(), -1500.0);
    assert_eq!(&src[c.span.start..c.span.end], "-1.5e3");
    assert_eq!(v.type_name(), "object");
    assert!(v.get("zzz").is_none());
    assert!(items[0].get("a").is_none());
}

#[test]
fn bom_is_skipped_but_counted() {
    let src = "\u{feff}{\"a\":1}";
    let v = parse(src).unwrap();
    assert_eq!(v.span, Span::new(3, src.len()));
    let m = v.member("a").unwrap();
    assert_eq!(m.key_span, Span::new(4, 7));
    assert_eq!(m.value.span, Span::new(8, 9));
    assert_eq!(line_col(src, 3), (1, 1));
    assert_eq!(line_col(src, 4), (1, 2));
    assert_eq!(line_col(src, 0), (1, 1));
    assert_eq!(line_col(src, 1), (1, 1));
    let e = parse("\u{feff}[1,]").unwrap_err();
    assert_eq!(e.offset, 5);
    assert_eq!(line_col("\u{feff}[1,]", e.offset), (1, 3));
    // A BOM anywhere else is not whitespace.
    assert_err("[\u{feff}1]", ParseErrorKind::UnexpectedChar('\u{feff}'), 1);
}

#[test]
fn strings_escapes_and_cow() {
    let v = parse(r#"{"plain":"abc","esc":"a\nb","k\"q":"\u00e9\u4E2D\ud83d\ude00\/\b\f\r\t\\"}"#)
        .unwrap();
    let obj = v.as_object().unwrap();
    assert!(matches!(obj[0].key, Cow::Borrowed("plain")));
    assert!(matches!(
        obj[0].value.kind,
        Kind::String(Cow::Borrowed("abc"))
    ));
    assert!(matches!(obj[1].key, Cow::Borrowed("esc")));
    match &obj[1].value.kind {
        Kind::String(Cow::Owned(s)) => assert_eq!(s, "a\nb"),
        other => panic!("expected owned string, got {other:?}"),
    }
    assert!(matches!(&obj[2].key, Cow::Owned(k) if k == "k\"q"));
    assert_eq!(obj[2].value.as_str(), Some("é中😀/\u{8}\u{c}\r\t\\"));
    // Long strings exercise the 8-byte scanner, including non-ASCII text.
    let long = format!("\"{}\"", "数据库实例-abcdefgh".repeat(20));
    let v = parse(&long).unwrap();
    assert!(matches!(v.kind, Kind::String(Cow::Borrowed(_))));
    assert_eq!(v.as_str().unwrap(), &long[1..long.len() - 1]);
    let long_esc = format!("\"{}\\t{}\"", "x".repeat(37), "é".repeat(29));
    assert_eq!(
        parse(&long_esc).unwrap().as_str().unwrap(),
        format!("{}\t{}", "x".repeat(37), "é".repeat(29))
    );
    assert_eq!(parse("\"\"").unwrap().as_str(), Some(""));
    assert_eq!(parse("\"\\u0000\"").unwrap().as_str(), Some("\u{0}"));
}

#[test]
fn numbers() {
    fn n(s: &str) -> Number<'_> {
        match parse(s).unwrap().kind {
            Kind::Number(n) => n,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(n("0").as_i64(), Some(0));
    assert_eq!(n("-0").as_i64(), Some(0));
    assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
    assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
    assert_eq!(n("9223372036854775808").as_i64(), None);
    assert_eq!(n("9223372036854775808").as_u64(), Some(1 << 63));
    assert_eq!(n("1.0").as_i64(), None);
    assert_eq!(n("1e2").as_i64(), None);
    assert_eq!(n("1e2").as_f64(), 100.0);
    assert_eq!(n("1e400").as_f64(), f64::INFINITY);
    assert_eq!(n("-1e400").as_f64(), f64::NEG_INFINITY);
    assert_eq!(n("1e-400").as_f64(), 0.0);
    let big = "12345678901234567890123456789012345678901";
    assert_eq!(n(big).raw, big);
    assert_eq!(n(big).as_i64(), None);
    assert_eq!(n(big).as_u64(), None);
    assert!((n(big).as_f64() - 1.2345678901234568e40).abs() < 1e25);
    assert_eq!(n("0.1E+2").as_f64(), 10.0);
    assert_eq!(parse("1e400").unwrap().to_serde(), serde_json::Value::Null);
    assert_eq!(parse("-0").unwrap().to_serde(), serde_json::json!(-0.0));
    assert_eq!(
        parse(big).unwrap().to_serde(),
        serde_json::json!(1.2345678901234568e40)
    );
}

#[test]
fn get_returns_last_duplicate() {
    let src = r#"{"a":1,"b":2,"a":3}"#;
    let v = parse(src).unwrap();
    assert_eq!(v.get("a").unwrap().as_number().unwrap().raw, "3");
    assert_eq!(v.member("a").unwrap().key_span, Span::new(13, 16));
    assert_eq!(v.as_object().unwrap().len(), 3);
    let serde: serde_json::Value = serde_json::from_str(src).unwrap();
    assert_eq!(v.to_serde(), serde);
}

#[test]
fn duplicates_with_paths() {
    let src = r#"{"a":1,"b":{"c":1,"c":2,"c":3},"a":2,
        "arr":[{"x":1},{"x":1,"x":2},[{"y/~":0,"y/~":1}]],"ok":{"p":1,"q":2}}"#;
    let v = parse(src).unwrap();
    let d = find_duplicates(&v);
    let key = |s: &str| Segment::Key(s.to_string());
    let paths: Vec<Vec<Segment>> = d.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(
        paths,
        vec![
            vec![key("b"), key("c")],
            vec![key("b"), key("c")],
            vec![key("a")],
            vec![key("arr"), Segment::Index(1), key("x")],
            vec![key("arr"), Segment::Index(2), Segment::Index(0), key("y/~")],
        ]
    );
    let texts: Vec<&str> = d.iter().map(|(_, s)| &src[s.start..s.end]).collect();
    assert_eq!(texts, ["\"c\"", "\"c\"", "\"a\"", "\"x\"", "\"y/~\""]);
    // The spans are the LATER occurrences.
    assert!(d[0].1.start < d[1].1.start);
    assert_eq!(d[0].1.start, src.find("\"c\":2").unwrap());
    assert_eq!(d[2].1.start, src.rfind("\"a\"").unwrap());
    assert_eq!(to_pointer(&d[4].0), "/arr/2/0/y~1~0");
    assert_eq!(to_pointer(&[]), "");
    assert!(find_duplicates(&parse("[1,{\"a\":1,\"b\":1}]").unwrap()).is_empty());
    assert!(find_duplicates(&parse("1").unwrap()).is_empty());

    // Large objects (sorted path).
    let mut big = String::from("{");
    for i in 0..40 {
        big.push_str(&format!("\"k{}\":{i},", i % 30));
    }
    big.push_str("\"end\":0}");
    let d = find_duplicates(&parse(&big).unwrap());
    assert_eq!(d.len(), 10);
    assert_eq!(d[0].0, vec![key("k0")]);
    // Small (pairwise) and large (sorted) objects report the same: every later occurrence of a
    // key, in member order.
    for n in [3, 16, 17, 40, 100] {
        for modulo in [1, 2, 7, 1000] {
            let keys: Vec<String> = (0..n).map(|i| format!("k{}", (i * 37) % modulo)).collect();
            let text = format!(
                "{{{}}}",
                keys.iter()
                    .map(|k| format!("\"{k}\":0"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let v = parse(&text).unwrap();
            let want: Vec<Span> = v
                .as_object()
                .unwrap()
                .iter()
                .enumerate()
                .filter(|(i, m)| keys[..*i].contains(&m.key.to_string()))
                .map(|(_, m)| m.key_span)
                .collect();
            let got: Vec<Span> = find_duplicates(&v).into_iter().map(|(_, s)| s).collect();
            assert_eq!(got, want, "{n} members, keys mod {modulo}");
        }
    }
    // Escaped and unescaped spellings of the same key are duplicates.
    let d = find_duplicates(&parse(r#"{"a":1,"\u0061":2}"#).unwrap());
    assert_eq!(d.len(), 1);
}

#[test]
fn find_duplicates_deep_value_is_iterative() {
    // Run on a big stack: dropping nested Vecs (and Debug on failure) recurses.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let opts = ParseOptions { max_depth: 5_000 };
            let src = format!("{}{}", "{\"a\":[".repeat(2_000), "]}".repeat(2_000));
            let v = parse_with(&src, &opts).unwrap();
            assert!(find_duplicates(&v).is_empty());
            let dup = format!(
                "{}{{\"k\":1,\"k\":2}}{}",
                "[".repeat(4_000),
                "]".repeat(4_000)
            );
            let v = parse_with(&dup, &opts).unwrap();
            let d = find_duplicates(&v);
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].0.len(), 4_001);
        })
        .unwrap()
        .join()
        .unwrap();
}

// ---------------------------------------------------------------- line / column

#[test]
fn line_col_crlf_and_multibyte() {
    let src = "{\r\n  \"a\": 1\r\n}";
    assert_eq!(line_col(src, 0), (1, 1));
    assert_eq!(line_col(src, 1), (1, 2)); // '\r'
    assert_eq!(line_col(src, 2), (1, 2)); // '\n' (the '\r' is not a column)
    assert_eq!(line_col(src, 5), (2, 3)); // "a"
    assert_eq!(line_col(src, src.len() - 1), (3, 1)); // '}'
    assert_eq!(line_col(src, 10_000), (3, 2)); // clamped to the end

    let src = "{\"名字\": 1}";
    assert_eq!(line_col(src, 11), (1, 8));
    assert_eq!(line_col(src, 2), (1, 3));
    assert_eq!(line_col(src, 3), (1, 3)); // inside 名 -> rounds down
    assert_eq!(line_col(src, 4), (1, 3));
    assert_eq!(line_col(src, 5), (1, 4));
    assert_eq!(line_col("ab\ncd", 100), (2, 3));
    assert_eq!(line_col("", 5), (1, 1));
    assert_eq!(line_col("\n\n", 2), (3, 1));
    assert_eq!(line_col("a\rb", 2), (1, 3)); // lone '\r' is a column
    let e = parse("{\n  \"名\": 1,\n}").unwrap_err();
    assert_eq!(line_col("{\n  \"名\": 1,\n}", e.offset), (2, 9));
}

#[test]
fn line_index_matches_line_col() {
    let inputs = [
        "",
        "\n",
        "abc",
        "{\r\n  \"a\": 1\r\n}\r\n",
        "\u{feff}{\n\"名字\":\"😀\"\r\n}",
        "\u{feff}",
        "\r\n\r\n\n x",
        "a\rb\nc",
    ];
    for input in inputs {
        let idx = LineIndex::new(input);
        for off in 0..input.len() + 3 {
            assert_eq!(
                idx.line_col(input, off),
                line_col(input, off),
                "{input:?} @ {off}"
            );
        }
    }
    assert_eq!(LineIndex::new("a\nb\n").line_count(), 3);
    // Wrong input does not panic.
    let idx = LineIndex::new("a\nb\nc\nd");
    let _ = idx.line_col("é", 1);
}

// ---------------------------------------------------------------- serde comparison

#[test]
fn to_serde_matches_serde_json() {
    let docs = [
        "null",
        "true",
        " false ",
        "0",
        "-0",
        "-12",
        "18446744073709551615",
        "18446744073709551616",
        "3.25",
        "-2.5e-3",
        "1E+2",
        "\"\"",
        "\"a\\u0000b\\\"c\\\\\"",
        "\"\\ud834\\udd1e\"",
        "[]",
        "{}",
        "[[], {}, [[[]]]]",
        "{\"a\": {\"b\": [1, 2, {\"c\": null}]}, \"d\": \"e\"}",
        "{\"a\":1,\"a\":2}",
        "\t\r\n[1,\t2\r\n]\n",
        r#"{"flavorRef":"ddm.c6.large.2","name":"ddm-01","nodes":[{"az":"cn-north-4a","count":2}],
            "enterprise_project_id":"0","tags":[{"key":"env","value":"生产"}],"ratio":0.75}"#,
    ];
    for doc in docs {
        let ours = parse(doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
        let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(ours.to_serde(), theirs, "{doc}");
    }
}

/// Tiny xorshift64* generator (deterministic, no extra crates).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn gen_string(rng: &mut Rng) -> String {
    const POOL: &[char] = &[
        'a',
        'b',
        'z',
        'A',
        '0',
        '9',
        ' ',
        '_',
        '-',
        '/',
        '"',
        '\\',
        '\n',
        '\t',
        '\r',
        '\u{0}',
        '\u{1f}',
        '\u{7f}',
        'é',
        'ß',
        '中',
        '文',
        '😀',
        '\u{2028}',
        '\u{ffff}',
        '\u{10ffff}',
        '~',
        '\u{8}',
        '\u{c}',
    ];
    let max = if rng.below(8) == 0 { 40 } else { 8 };
    let len = rng.below(max);
    (0..len).map(|_| *rng.pick(POOL)).collect()
}

fn gen_value(rng: &mut Rng, depth: usize) -> serde_json::Value {
    use serde_json::Value as S;
    let max_kind = if depth >= 5 { 6 } else { 8 };
    match rng.below(max_kind) {
        0 => S::Null,
        1 => S::Bool(rng.below(2) == 0),
        2 => S::from((rng.next() as i64) >> rng.below(64)),
        3 => match rng.below(3) {
            0 => S::from(rng.next()),
            1 => S::from(rng.below(1000)),
            _ => S::from(-(rng.below(1000) as i64)),
        },
        4 => {
            let f = match rng.below(3) {
                0 => f64::from_bits(rng.next()),
                1 => (rng.below(1_000_000) as f64) / 1000.0 - 500.0,
                _ => (rng.next() as f64) * 1e-300,
            };
            if f.is_finite() {
                S::from(f)
            } else {
                S::from(0.5)
            }
        }
        5 => S::String(gen_string(rng)),
        6 => {
            let n = rng.below(6);
            S::Array((0..n).map(|_| gen_value(rng, depth + 1)).collect())
        }
        _ => {
            let n = rng.below(6);
            let mut m = serde_json::Map::new();
            for _ in 0..n {
                m.insert(gen_string(rng), gen_value(rng, depth + 1));
            }
            S::Object(m)
        }
    }
}

#[test]
fn randomized_roundtrip_against_serde() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3_000 {
        let original = gen_value(&mut rng, 0);
        for text in [
            serde_json::to_string(&original).unwrap(),
            serde_json::to_string_pretty(&original).unwrap(),
        ] {
            let parsed = parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.to_serde(), original, "{text}");
            assert_eq!(parsed.span, Span::new(0, text.len()));
            assert!(find_duplicates(&parsed).is_empty());
        }
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    const INSERTS: &[u8] = b"\"\\,]}[{:0-.eE+ \n/*tu1aN\x00\x1f\xff";
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let len = bytes.len() as u64;
        let at = if len == 0 { 0 } else { rng.below(len) as usize };
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, *rng.pick(INSERTS)),
            2 if !bytes.is_empty() => bytes[at] = *rng.pick(INSERTS),
            3 => bytes.truncate(at),
            _ => {
                let end = (at + rng.below(6) as usize).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                let pos = rng.below(bytes.len() as u64 + 1) as usize;
                bytes.splice(pos..pos, chunk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn contains_huge_exponent(text: &str) -> bool {
    // Numbers serde_json rejects as "out of range" (e.g. 1e400) but we accept.
    match parse(text) {
        Ok(v) => {
            let mut stack = vec![&v];
            while let Some(v) = stack.pop() {
                match &v.kind {
                    Kind::Number(n) if !n.as_f64().is_finite() => return true,
                    Kind::Array(items) => stack.extend(items),
                    Kind::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
                    _ => {}
                }
            }
            false
        }
        Err(_) => false,
    }
}

fn check_against_serde(text: &str) -> bool {
    let ours = parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    if let Err(e) = &theirs {
        if e.to_string().contains("out of range") && contains_huge_exponent(text) {
            return false;
        }
    }
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "disagreement on {text:?}: ours {ours:?}, serde {theirs:?}"
    );
    if let Err(e) = ours {
        assert!(e.offset <= text.len(), "{text:?}: offset {}", e.offset);
        let _ = line_col(text, e.offset);
        let _ = e.to_string();
    }
    true
}

#[test]
fn randomized_mutations_agree_with_serde() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let mut compared = 0;
    let mut rejected = 0;
    for _ in 0..4_000 {
        let original = gen_value(&mut rng, 0);
        let text = if rng.below(2) == 0 {
            serde_json::to_string(&original).unwrap()
        } else {
            serde_json::to_string_pretty(&original).unwrap()
        };
        let mutated = mutate(&mut rng, &text);
        if check_against_serde(&mutated) {
            compared += 1;
            rejected += usize::from(parse(&mutated).is_err());
        }
    }
    assert!(compared > 3_500, "compared only {compared}");
    assert!(
        rejected > 1_000,
        "mutations too gentle: {rejected} rejected"
    );
}

#[test]
fn random_bytes_never_panic() {
    const ALPHABET: &[u8] =
        b"{}[],:\"\\ \n\t\r0123456789-+.eEtrufalsn/*u\x00\x7f\xc3\xa9\xef\xbb\xbfx";
    let mut rng = Rng(42);
    for _ in 0..3_000 {
        let len = rng.below(24) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| *rng.pick(ALPHABET)).collect();
        let text = String::from_utf8_lossy(&bytes);
        if text.starts_with('\u{feff}') {
            // serde_json does not skip a BOM; just check we do not panic.
            let _ = parse(&text);
            continue;
        }
        check_against_serde(&text);
    }
}
