//! Normalisation of drafts and terms into a matchable view, with offset mapping.
//!
//! A [`View`] is the draft as the matchers see it: words of lowercase letters and
//! digits separated by single spaces, with one space before the first word and one
//! after the last, so that a term padded the same way (`" tom smith "`) can only
//! match whole words. Every byte of the view remembers the byte range of the original
//! character it came from, so a match maps back to the exact words the teacher typed.
//!
//! What normalisation sees through, and how:
//! - case: everything is lowercased;
//! - compatibility forms (fullwidth `Ｔｏｍ`, ligatures, circled and mathematical letters):
//!   compatibility decomposition (NFKD);
//! - accents, combining or precomposed: decomposed, then combining marks dropped;
//! - Latin letters that Unicode does not decompose, as an English keyboard types them
//!   (`Ł` → `l`, `ø` → `o`, `ß` → `ss`, `Đ` → `d`, `Þ` → `th`, `Æ` → `ae`), and small
//!   capitals, negative circled and squared letters and regional-indicator letters
//!   (`ᴛᴏᴍ`, `🅣🅞🅜`, `🇹🇴🇲`) as the letters they draw (a table generated from `anyascii`);
//! - Cyrillic, Greek and other look-alikes (UTS #39 confusables): mapped to the Latin
//!   letter they imitate, but only inside a word that also has Latin letters or whose
//!   every letter is a look-alike, so genuine Greek or Russian text is left as it is;
//! - zero-width characters, soft hyphens, bidi controls, variation selectors: removed
//!   without splitting the word they sit in;
//! - apostrophes (straight, curly, modifier, prime, backtick): inside a word it joins
//!   it (`O'Brien` reads as `obrien`, `Paul's` as `pauls`), any other is a word break;
//!   name terms carry possessive forms (`tom smiths`) so `Tom Smith's` still matches;
//! - hyphens, dashes, underscores, `#`, `@`, punctuation, runs of spaces and line
//!   breaks: one word break, except a hyphen that ends a line inside a word
//!   (`Ten-⏎nant` reads as `tennant`);
//! - camelCase and letter-digit boundaries: a word break (`#StPaulsHigh` reads as
//!   `st pauls high`, `Year6` as `year 6`), so that hashtags and handles match.
//!
//! Terms (roster names, school names, term lists) go through the same function, so
//! whatever a draft can be normalised to, a term can be too.
//!
//! Here: the [`View`] and the main normalisation. Beside it: `chars` (what a character
//! is to the normaliser), `readings` (letters spaced apart, digits for letters, words
//! read unbroken) and `decode` (percent-encoding, HTML references, pictographs,
//! right-to-left overrides), the secondary readings a scan reads only where a draft
//! needs them, and `spots` (which words of a draft those readings look at, found in one
//! pass).

mod chars;
mod decode;
mod readings;
mod spots;

use crate::decompose::{decompose_compatible, is_combining_mark};
pub(crate) use chars::is_invisible;
use chars::{
    confusable, decomposes_to_non_alnum, is_apostrophe, latin_fold, word_takes_confusables,
};

pub(crate) use decode::decoded_views;
pub(crate) use readings::{
    join_spaced_letters_parts, join_spaced_letters_parts_in, leet_views, uncamelled_views,
};
pub(crate) use spots::spots;

/// A normalised view of one draft field, with a map back to the original text.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Words of lowercase letters and digits, single spaces between them, one space
    /// at each end. Always valid UTF-8; mostly ASCII.
    pub text: String,
    /// For each byte of `text`, the UTF-8 byte offset in the original where the
    /// character it came from starts.
    starts: Vec<u32>,
    /// For each byte of `text`, the UTF-8 byte offset in the original where the
    /// character it came from ends.
    ends: Vec<u32>,
    /// Whether the view's characters may come from the original out of order (a
    /// right-to-left override read back the way it displays).
    reordered: bool,
}

impl View {
    /// Maps a byte range of [`View::text`] that starts and ends on word characters
    /// (not on a separating space) to the byte range of the original text it came from.
    ///
    /// `start` is inclusive and `end` exclusive, in bytes of the view; the result is
    /// in UTF-8 bytes of the original and always lies on character boundaries.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        if self.reordered {
            let s = self.starts[start..end].iter().min().copied().unwrap_or(0);
            let e = self.ends[start..end].iter().max().copied().unwrap_or(0);
            return (s as usize, e as usize);
        }
        (self.starts[start] as usize, self.ends[end - 1] as usize)
    }

    /// The words of [`View::text`], in order, as byte ranges of the view: `start` is the
    /// first byte of a word, `end` one past its last (the space after it, or the end).
    /// Each range can be handed to [`View::original_range`].
    pub fn words(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        // Words are short: a byte loop beats a search call for each space.
        let b = self.text.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            let start = i;
            while i < b.len() && b[i] != b' ' {
                i += 1;
            }
            Some((start, i))
        })
    }

    /// Moves every offset `by` bytes on: a view of a part of a field that starts at
    /// `by` becomes a view with offsets of the whole field.
    pub(crate) fn shift(&mut self, by: usize) {
        let by = by as u32;
        for x in self.starts.iter_mut().chain(self.ends.iter_mut()) {
            *x += by;
        }
    }

    /// Whether the view holds no word at all.
    pub fn is_empty(&self) -> bool {
        self.text.len() <= 1
    }
}

/// How to normalise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Break words at camelCase boundaries (`McDonald` → `mc donald`).
    pub camel: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { camel: true }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing emitted since the last word break.
    Break,
    Lower,
    Upper,
    Digit,
    /// A letter from a script without case (or a non-letter alphanumeric).
    Other,
}

struct Builder<'a> {
    out: &'a mut View,
    last: Last,
    pending_break: bool,
    opts: Options,
}

impl Builder<'_> {
    fn word_break(&mut self) {
        if self.last != Last::Break {
            self.pending_break = true;
        }
        self.last = Last::Break;
    }

    fn push_space(&mut self, at: u32) {
        self.out.text.push(' ');
        self.out.starts.push(at);
        self.out.ends.push(at);
    }

    /// Emits one normalised character `c` (already lowercased) that came from the
    /// original range `src`; `kind` is the class of the character before lowercasing.
    #[inline]
    fn emit(&mut self, c: char, kind: Last, src: (u32, u32)) {
        self.space_before(kind, src.0);
        self.out.text.push(c);
        for _ in 0..c.len_utf8() {
            self.out.starts.push(src.0);
            self.out.ends.push(src.1);
        }
        self.last = kind;
    }

    /// [`Builder::emit`] for an ASCII letter or digit `b` (already lowercased) at
    /// byte `at` of the original: most of a draft, so kept apart and inlined.
    #[inline(always)]
    fn emit_ascii(&mut self, b: u8, kind: Last, at: u32) {
        self.space_before(kind, at);
        self.out.text.push(b as char);
        self.out.starts.push(at);
        self.out.ends.push(at + 1);
        self.last = kind;
    }

    /// The space before a character of class `kind` from byte `at`, when a word break
    /// is pending or the character starts a new word (camelCase, letters and digits).
    #[inline(always)]
    fn space_before(&mut self, kind: Last, at: u32) {
        let split = match (self.last, kind) {
            (Last::Break, _) => false,
            (Last::Lower, Last::Upper) => self.opts.camel,
            (Last::Digit, Last::Digit) => false,
            (Last::Digit, _) | (_, Last::Digit) => true,
            _ => false,
        };
        if self.pending_break || split {
            if !self.out.text.ends_with(' ') {
                self.push_space(at);
            }
            self.pending_break = false;
        }
    }
}

/// Normalises `text` into `out` (cleared first), using `opts`.
pub(crate) fn normalize_into(text: &str, opts: Options, out: &mut View) {
    out.text.clear();
    out.starts.clear();
    out.ends.clear();
    out.reordered = false;
    out.text.reserve(text.len() + 2);
    out.starts.reserve(text.len() + 2);
    out.ends.reserve(text.len() + 2);
    let mut b = Builder {
        out,
        last: Last::Break,
        pending_break: false,
        opts,
    };
    b.push_space(0);
    let bytes = text.as_bytes();
    let mut i = 0usize;
    // Where the current word started, and whether look-alike letters in it are mapped
    // (decided at its first non-ASCII character, so ASCII text never pays for it).
    let mut word_start: Option<usize> = None;
    let mut map_confusables: Option<bool> = None;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte < 0x80 {
            let start = i as u32;
            i += 1;
            if word_start.is_none() && byte.is_ascii_alphanumeric() {
                word_start = Some(start as usize);
                map_confusables = None;
            }
            match byte {
                b'a'..=b'z' => b.emit_ascii(byte, Last::Lower, start),
                b'A'..=b'Z' => b.emit_ascii(byte.to_ascii_lowercase(), Last::Upper, start),
                b'0'..=b'9' => b.emit_ascii(byte, Last::Digit, start),
                b'\'' | b'`' => i = apostrophe(&mut b, text, i),
                b'-' if matches!(b.last, Last::Lower | Last::Upper) => {
                    // A word hyphenated at the end of a line ("Ten-⏎nant") is one word.
                    match line_break_hyphen(bytes, i) {
                        Some(next) => i = next,
                        None => {
                            b.word_break();
                            word_start = None;
                        }
                    }
                }
                _ => {
                    b.word_break();
                    word_start = None;
                }
            }
            continue;
        }
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let start = i;
        let end = i + c.len_utf8();
        i = end;
        if is_invisible(c) {
            continue;
        }
        if is_apostrophe(c) {
            i = apostrophe(&mut b, text, i);
            continue;
        }
        if !c.is_alphanumeric() && latin_fold(c).is_none() && decomposes_to_non_alnum(c) {
            b.word_break();
            word_start = None;
            continue;
        }
        let ws = *word_start.get_or_insert(start);
        let map_confusables =
            *map_confusables.get_or_insert_with(|| word_takes_confusables(&text[ws..]));
        let src = (start as u32, end as u32);
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            if let Some(ascii) = latin_fold(d) {
                for l in ascii.chars() {
                    let kind = if l.is_ascii_uppercase() {
                        Last::Upper
                    } else {
                        Last::Lower
                    };
                    b.emit(l.to_ascii_lowercase(), kind, src);
                }
                return;
            }
            // A look-alike keeps the case it is written in ("SМITH" stays capitals).
            let source = d;
            let d = if map_confusables {
                confusable(d).unwrap_or(d)
            } else {
                d
            };
            if d.is_alphanumeric() {
                let kind = if d.is_ascii_digit() || d.is_numeric() {
                    Last::Digit
                } else if source.is_uppercase() {
                    Last::Upper
                } else if source.is_lowercase() {
                    Last::Lower
                } else if d.is_uppercase() {
                    Last::Upper
                } else if d.is_lowercase() {
                    Last::Lower
                } else {
                    Last::Other
                };
                if d.is_ascii() {
                    b.emit(d.to_ascii_lowercase(), kind, src);
                } else {
                    for l in d.to_lowercase() {
                        b.emit(l, kind, src);
                    }
                }
            } else {
                b.word_break();
            }
        });
    }
    let end = text.len() as u32;
    if !b.out.text.ends_with(' ') {
        b.push_space(end);
    }
}

/// After a hyphen that ended at byte `i`: when only spaces, one line break and spaces
/// follow before a lower-case letter (a word carried on: `Ten-⏎nant`, never `A-⏎Tom`),
/// where that letter starts; otherwise `None`.
fn line_break_hyphen(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
        j += 1;
    }
    match bytes.get(j) {
        Some(b'\r') if bytes.get(j + 1) == Some(&b'\n') => j += 2,
        Some(b'\n') => j += 1,
        _ => return None,
    }
    while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
        j += 1;
    }
    bytes
        .get(j)
        .is_some_and(u8::is_ascii_lowercase)
        .then_some(j)
}

/// Handles an apostrophe that ended at byte `i`: inside a word it joins the word,
/// elsewhere it is a break. Returns where to continue.
fn apostrophe(b: &mut Builder<'_>, text: &str, i: usize) -> usize {
    let in_word = matches!(
        b.last,
        Last::Lower | Last::Upper | Last::Other | Last::Digit
    );
    if !in_word {
        b.word_break();
        return i;
    }
    match text[i..].chars().next() {
        // Inside a word: "O'Brien" reads as "obrien", "Paul's" as "pauls".
        Some(n) if n.is_alphanumeric() => i,
        _ => {
            b.word_break();
            i
        }
    }
}

/// Normalises a whole draft field into a [`View`].
pub fn normalize(text: &str) -> View {
    let mut v = View::default();
    normalize_into(text, Options::default(), &mut v);
    v
}

/// Normalises a term (a name, a phrase) to its matchable form: the view's text without
/// the surrounding spaces. Empty when the term has no letters or digits.
pub fn normalize_term(term: &str) -> String {
    normalize_term_with(term, Options::default())
}

pub(crate) fn normalize_term_with(term: &str, opts: Options) -> String {
    let mut v = View::default();
    normalize_into(term, opts, &mut v);
    v.text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn case_spaces_and_punctuation() {
        assert_eq!(n("Tom   SMITH,\n\n  in Year 6!"), " tom smith in year 6 ");
        assert_eq!(n(""), " ");
        assert_eq!(n("!!!"), " ");
    }

    #[test]
    fn words_map_back_to_the_original() {
        let text = "Tom   SMITH,\n in Y6!";
        let v = normalize(text);
        let words: Vec<&str> = v
            .words()
            .map(|(a, b)| {
                let (s, e) = v.original_range(a, b);
                &text[s..e]
            })
            .collect();
        assert_eq!(words, ["Tom", "SMITH", "in", "Y", "6"]);
        assert_eq!(normalize("!!!").words().count(), 0);
    }

    #[test]
    fn hashtags_handles_camel_case_and_underscores() {
        assert_eq!(n("#StPaulsHigh"), " st pauls high ");
        assert_eq!(n("@tom_smith"), " tom smith ");
        assert_eq!(n("Year6"), " year 6 ");
        assert_eq!(
            normalize_term_with("McDonald", Options { camel: false }),
            "mcdonald"
        );
    }

    #[test]
    fn apostrophes() {
        assert_eq!(n("St Paul's"), " st pauls ");
        assert_eq!(n("St Paul’s"), " st pauls ");
        assert_eq!(n("TOM'S bag"), " toms bag ");
        assert_eq!(n("O'Brien"), " obrien ");
        assert_eq!(n("O\u{2019}Brien"), " obrien ");
        assert_eq!(n("'quoted'"), " quoted ");
        assert_eq!(n("Jones' class"), " jones class ");
    }

    #[test]
    fn compatibility_forms_accents_and_invisibles() {
        assert_eq!(n("Ｔｏｍ Ｓｍｉｔｈ"), " tom smith ");
        assert_eq!(n("Zoë Chloé"), " zoe chloe ");
        assert_eq!(n("Zoe\u{0308}"), " zoe ");
        assert_eq!(n("To\u{200B}m Sm\u{00AD}ith\u{202E}"), " tom smith ");
        assert_eq!(n("ﬁsh"), " fish ");
        assert_eq!(n("St Paul—s"), " st paul s ");
    }

    #[test]
    fn confusables_only_in_latin_looking_words() {
        // Cyrillic а, о and Greek ο inside Latin words.
        assert_eq!(n("T\u{043E}m Sm\u{0456}th"), " tom smith ");
        assert_eq!(n("\u{0405}\u{0430}\u{0440}\u{0430}"), " sapa ");
        // Genuine Russian and Greek text is left alone (lowercased only).
        assert_eq!(n("Привет мир"), " привет мир ");
        assert_eq!(n("Καλημέρα"), " καλημερα ");
    }

    #[test]
    fn offsets_map_back_to_original_words() {
        let text = "Hi Ｔｏｍ’s mum";
        let v = normalize(text);
        let i = v.text.find("toms").unwrap();
        let (s, e) = v.original_range(i, i + 4);
        assert_eq!(&text[s..e], "Ｔｏｍ’s");
    }
}
