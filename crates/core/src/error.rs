//! Errors the engine returns.

use std::fmt;

/// What kind of problem a [`PackError`] is, for callers that act on it (a tool that
/// offers to rebuild an old hashed pack, a page that says "too large" differently from
/// "broken") without reading the reason's words.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackErrorKind {
    /// Not JSON, or JSON that is not a pack: a missing or unknown field, a wrong type.
    Syntax,
    /// A value the format does not allow: the format number, an empty id or name, a
    /// bad date, an empty term, a hash list that does not decode; and, for now, every
    /// roster or register file that cannot be read as one.
    Invalid,
    /// Over one of the limits in [`crate::limits`]: the document's bytes, roster
    /// entries, terms, regex patterns or their total size.
    TooLarge,
    /// A regex pattern that does not compile (syntax, a Unicode class, or over its
    /// compiled size limit).
    Regex,
    /// A pattern whose compiled form (its DFAs, [`crate::Pattern::compiled`]) is
    /// missing in an engine that runs only compiled patterns (the extension's), was made
    /// from another regex, or cannot be read (made by another version): the reason says
    /// how to rebuild the pack.
    NotCompiled,
    /// A hashed roster made with a hash this engine does not read (an older Postsafe's
    /// HMAC-SHA256): the reason says how to rebuild the pack.
    OldHashedRoster,
    /// The engine's own matcher could not be built from packs that loaded.
    Engine,
}

/// A pack (or a roster or register file turned into one) that could not be loaded.
///
/// Displayed as `SOURCE:LINE:COLUMN: REASON`, or `SOURCE: REASON` when no line is
/// known, so that editors and terminals can jump to the place; [`PackError::kind`]
/// says what kind of problem it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackError {
    /// The file name or other name of the input, e.g. `"packs/wcat.json"` or `"pack 2"`.
    pub source_name: String,
    /// 1-based line and column, when known.
    pub line: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub reason: String,
    /// What kind of problem it is ([`PackErrorKind::Invalid`] unless said otherwise).
    pub kind: PackErrorKind,
}

impl PackError {
    /// Makes an error for `source` at `line` (1-based line and column) with `reason`,
    /// of kind [`PackErrorKind::Invalid`] (see [`PackError::with_kind`]).
    pub fn new(source: &str, line: Option<(usize, usize)>, reason: impl Into<String>) -> Self {
        PackError {
            source_name: source.to_string(),
            line,
            reason: reason.into(),
            kind: PackErrorKind::Invalid,
        }
    }

    /// The same error, of kind `kind`.
    #[must_use]
    pub fn with_kind(mut self, kind: PackErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> PackErrorKind {
        self.kind
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
