//! Parse errors and their human-readable descriptions.

use std::fmt;

/// A syntax error with the byte offset (into the original input) of the
/// offending byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub offset: usize,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, offset: usize) -> Self {
        ParseError { kind, offset }
    }

    /// Describes the error in `lang` (`"en"` or `"zh"`), without the offset.
    pub fn describe(&self, lang: &str) -> String {
        self.kind.describe(lang)
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Input empty or only whitespace (after an optional BOM). Offset 0.
    Empty,
    /// Input ends in the middle of a value. Offset = input length.
    UnexpectedEnd,
    /// A character that cannot appear here.
    UnexpectedChar(char),
    /// `[1,2,]` or `{"a":1,}`; offset of the comma.
    TrailingComma,
    /// `//` or `/*`; offset of the first `/`.
    Comment,
    /// Object key not followed by `:`.
    ExpectedColon,
    /// A value is missing (`[,1]`, `{"a":}`).
    ExpectedValue,
    /// Object key is not a double-quoted string (`{a:1}`, `{'a':1}`).
    ExpectedKey,
    /// `01`, `1.`, `-`, `.5`, `+1`, `NaN`, `Infinity`.
    InvalidNumber,
    /// `\x`, or bad hex digits in `\uXXXX`; offset of the backslash.
    InvalidEscape,
    /// Unpaired UTF-16 surrogate in a `\u` escape; offset of the backslash.
    LoneSurrogate,
    /// Raw U+0000..U+001F inside a string; offset of that byte.
    ControlCharacter,
    /// Something after the root value.
    TrailingCharacters,
    /// Nesting deeper than `limit`; offset of the opening bracket that exceeds it.
    TooDeep { limit: usize },
    /// Text of a reader that extends JSON ([`super::Extension`]) that cannot stand where it
    /// does, as that reader describes it; offset of its first byte.
    Extension(ExtensionError),
}

/// An error that a reader extending JSON names, in each language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionError {
    pub en: &'static str,
    pub zh: &'static str,
}

fn is_zh(lang: &str) -> bool {
    lang == "zh" || lang.starts_with("zh-") || lang.starts_with("zh_")
}

/// Renders a character for a message: printable ones in backticks, others as `U+XXXX`.
fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() || c == '\u{feff}' {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

impl ParseErrorKind {
    /// A clear human-readable reason in `lang` (`"zh"` for Chinese; anything else is English).
    pub fn describe(&self, lang: &str) -> String {
        if is_zh(lang) {
            self.describe_zh()
        } else {
            self.describe_en()
        }
    }

    fn describe_en(&self) -> String {
        use ParseErrorKind::*;
        match self {
            Empty => "the document is empty: expected a JSON value".to_string(),
            UnexpectedEnd => "unexpected end of input: the document is truncated".to_string(),
            UnexpectedChar(c) => format!("unexpected character {}", show_char(*c)),
            TrailingComma => "trailing comma before `]` or `}`".to_string(),
            Comment => "comments (`//` or `/* */`) are not allowed in JSON".to_string(),
            ExpectedColon => "expected `:` after the object key".to_string(),
            ExpectedValue => "expected a value".to_string(),
            ExpectedKey => "expected an object key in double quotes".to_string(),
            InvalidNumber => "invalid number: JSON numbers may not have leading zeros, a leading \
                              `+` or `.`, or a missing digit after `.`, `-` or the exponent; \
                              NaN and Infinity are not allowed"
                .to_string(),
            InvalidEscape => "invalid escape sequence in string (allowed: \\\" \\\\ \\/ \\b \\f \
                              \\n \\r \\t \\uXXXX)"
                .to_string(),
            LoneSurrogate => {
                "unpaired UTF-16 surrogate in a `\\u` escape (a high surrogate \\uD800-\\uDBFF \
                 must be followed by a low surrogate \\uDC00-\\uDFFF)"
                    .to_string()
            }
            ControlCharacter => "unescaped control character in string (use an escape such as \
                                 \\n, \\t or \\u0000)"
                .to_string(),
            TrailingCharacters => {
                "unexpected characters after the end of the JSON value".to_string()
            }
            TooDeep { limit } => {
                format!("nesting too deep: more than {limit} levels of arrays/objects")
            }
            Extension(e) => e.en.to_string(),
        }
    }

    fn describe_zh(&self) -> String {
        use ParseErrorKind::*;
        match self {
            Empty => "文档为空，缺少 JSON 值".to_string(),
            UnexpectedEnd => "输入意外结束，文档不完整".to_string(),
            UnexpectedChar(c) => format!("此处不应出现字符 {}", show_char(*c)),
            TrailingComma => "数组或对象末尾多了逗号".to_string(),
            Comment => "JSON 不允许注释（`//` 或 `/* */`）".to_string(),
            ExpectedColon => "对象的键后面缺少冒号 `:`".to_string(),
            ExpectedValue => "此处缺少一个值".to_string(),
            ExpectedKey => "对象的键必须是用双引号括起来的字符串".to_string(),
            InvalidNumber => "数字格式无效：JSON 数字不能有前导零，不能以 `+` 或 `.` 开头，\
                              `.`、`-` 和指数后面必须有数字，也不支持 NaN 和 Infinity"
                .to_string(),
            InvalidEscape => "字符串中的转义序列无效（允许：\\\" \\\\ \\/ \\b \\f \\n \\r \\t \
                              \\uXXXX）"
                .to_string(),
            LoneSurrogate => "`\\u` 转义中有不成对的 UTF-16 代理项（高代理 \\uD800-\\uDBFF \
                              后面必须紧跟低代理 \\uDC00-\\uDFFF）"
                .to_string(),
            ControlCharacter => {
                "字符串中包含未转义的控制字符（请改用 \\n、\\t 或 \\u0000 等转义）".to_string()
            }
            TrailingCharacters => "JSON 值结束后还有多余的字符".to_string(),
            TooDeep { limit } => format!("嵌套层数过深：数组/对象超过 {limit} 层"),
            Extension(e) => e.zh.to_string(),
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe_en())
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind.describe_en(), self.offset)
    }
}

impl std::error::Error for ParseError {}
