//! What a finding offers to change in the text: a [`Fix`] of [`Edit`]s between [`Position`]s.
//! Plain data, held by a report's diagnostics; [`crate::fix`] computes and applies them.

use crate::levels::Applicability;
use serde::{Deserialize, Serialize};

/// A place in the text: 1-based line and column (columns count Unicode scalar values, as the
/// diagnostics' do) and the 0-based byte offset in the UTF-8 text (a leading byte-order mark
/// included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One replacement: the text from `start` up to (not including) `end` becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start: Position,
    pub end: Position,
    pub replacement: String,
}

/// The fix a diagnostic offers: its edits are applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, in the linter's language.
    pub message: String,
    /// Non-overlapping edits, in text order.
    pub edits: Vec<Edit>,
}
