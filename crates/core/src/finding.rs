//! Drafts going in, findings coming out.

use serde::{Deserialize, Serialize};

use crate::pack::{Category, FieldKind, Severity};

/// A draft as the composer holds it before it is posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The text of the post.
    pub body: String,
    /// Alt texts of attached images, in order.
    pub alt: Vec<String>,
    /// File names of attachments, in order, e.g. `"IMG_2041_stpauls_sportsday.jpg"`.
    pub files: Vec<String>,
    /// Link URLs in the post, in order.
    pub links: Vec<String>,
}

/// One thing in a draft that may break the policy.
///
/// `start`/`end` are UTF-8 byte offsets into the field's text (for Rust and the CLI);
/// `utf16_start`/`utf16_end` are the same span in UTF-16 code units (JavaScript string
/// indices). `text` is exactly the words typed: `&field[start..end]`. A finding never
/// carries a roster name other than the words the teacher typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of clause the words may break.
    pub category: Category,
    /// How strongly it is raised.
    pub severity: Severity,
    /// Rule identifier, `PACK/RULE`, e.g. `"builtin/confidential.safeguarding"`.
    pub rule: String,
    /// Which field of the draft.
    pub field: FieldKind,
    /// Index of the field among those of its kind (0 for the body).
    pub field_index: usize,
    /// Start of the words, in UTF-8 bytes of the field.
    pub start: usize,
    /// End of the words (exclusive), in UTF-8 bytes of the field.
    pub end: usize,
    /// Start of the words, in UTF-16 code units of the field.
    pub utf16_start: usize,
    /// End of the words (exclusive), in UTF-16 code units of the field.
    pub utf16_end: usize,
    /// The words exactly as typed.
    pub text: String,
    /// Why it matters, in one plain sentence.
    pub message: String,
    /// What to do instead.
    pub advice: String,
    /// The policy clause it comes from.
    pub clause: String,
}

/// A field that was longer than [`crate::limits::MAX_FIELD_BYTES`] and was checked
/// only up to there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Truncation {
    /// Which field.
    pub field: FieldKind,
    /// Index among the fields of its kind.
    pub field_index: usize,
    /// How many bytes (UTF-8) from its start were checked; the rest was not.
    pub checked_bytes: usize,
}

/// The result of scanning a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanResult {
    /// Findings, sorted by field, field index and start.
    pub findings: Vec<Finding>,
    /// Fields checked only in part because they were over the length limit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<Truncation>,
}

/// Cuts `text` at the field limit, on a character boundary. Returns the part to check
/// and, when cut, its length in bytes.
pub(crate) fn truncate_field(text: &str) -> (&str, Option<usize>) {
    let limit = crate::limits::MAX_FIELD_BYTES;
    if text.len() <= limit {
        return (text, None);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], Some(end))
}

/// Converts increasing UTF-8 byte offsets of one text into UTF-16 code unit offsets,
/// in one pass over the text overall.
pub struct Utf16Counter<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Counter<'a> {
    /// A counter at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Utf16Counter {
            text,
            byte: 0,
            unit: 0,
        }
    }

    /// UTF-16 offset of byte offset `pos` (a character boundary of the text). Offsets
    /// may go backwards; going forwards is what is fast.
    pub fn at(&mut self, pos: usize) -> usize {
        if pos < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        self.unit += self.text[self.byte..pos]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        self.byte = pos;
        self.unit
    }
}

/// UTF-16 offset of UTF-8 byte offset `pos` in `text`.
pub fn utf16_offset(text: &str, pos: usize) -> usize {
    Utf16Counter::new(text).at(pos)
}

/// UTF-8 byte offset of UTF-16 offset `unit` in `text`, or `None` when `unit` falls
/// inside a surrogate pair or past the end.
pub fn byte_offset(text: &str, unit: usize) -> Option<usize> {
    let mut u = 0;
    for (i, c) in text.char_indices() {
        if u == unit {
            return Some(i);
        }
        u += c.len_utf16();
        if u > unit {
            return None;
        }
    }
    (u == unit).then_some(text.len())
}
