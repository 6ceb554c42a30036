//! Errors the engine returns.

use std::fmt;

/// A pack (or a roster or register file turned into one) that could not be loaded.
///
/// Displayed as `SOURCE:LINE:COLUMN: REASON`, or `SOURCE: REASON` when no line is
/// known, so that editors and terminals can jump to the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackError {
    /// The file name or other name of the input, e.g. `"packs/wcat.json"` or `"pack 2"`.
    pub source_name: String,
    /// 1-based line and column, when known.
    pub line: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub reason: String,
}

impl PackError {
    /// Makes an error for `source` at `line` (1-based line and column) with `reason`.
    pub fn new(source: &str, line: Option<(usize, usize)>, reason: impl Into<String>) -> Self {
        PackError {
            source_name: source.to_string(),
            line,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.source_name, self.reason),
            None => write!(f, "{}: {}", self.source_name, self.reason),
        }
    }
}
