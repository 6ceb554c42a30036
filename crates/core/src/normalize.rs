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

use crate::decompose::{decompose_compatible, is_combining_mark};

use crate::confusables_table::CONFUSABLES;
use crate::latin_fold_table::LATIN_FOLD;

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
        self.text
            .split(' ')
            .scan(0usize, |at, w| {
                let start = *at;
                *at += w.len() + 1;
                Some((start, start + w.len()))
            })
            .filter(|(start, end)| start < end)
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
        let split = match (self.last, kind) {
            (Last::Break, _) => false,
            (Last::Lower, Last::Upper) => self.opts.camel,
            (Last::Digit, Last::Digit) => false,
            (Last::Digit, _) | (_, Last::Digit) => true,
            _ => false,
        };
        if self.pending_break || split {
            if !self.out.text.ends_with(' ') {
                self.push_space(src.0);
            }
            self.pending_break = false;
        }
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        self.out.text.push_str(s);
        for _ in 0..s.len() {
            self.out.starts.push(src.0);
            self.out.ends.push(src.1);
        }
        self.last = kind;
    }
}

/// Characters removed without a trace: they render as nothing, so an evader can put
/// them inside a name (`To\u{200B}m`) without the reader seeing a difference.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
        || is_combining_mark(c)
}

/// Characters read as an apostrophe.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{00B4}'
            | '\u{02B9}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BD}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{2032}'
            | '\u{FF07}'
    )
}

/// What an English keyboard types for a Latin letter Unicode does not decompose.
fn latin_fold(c: char) -> Option<&'static str> {
    let c = c as u32;
    if c < 0xA0 {
        return None;
    }
    LATIN_FOLD
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| LATIN_FOLD[i].1)
}

fn confusable(c: char) -> Option<char> {
    CONFUSABLES
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| CONFUSABLES[i].1 as char)
}

/// Whether the word starting at `rest` (up to the next break) should have its
/// look-alike letters mapped to Latin: it has a Latin letter, or every letter in it
/// is a look-alike.
fn word_takes_confusables(rest: &str) -> bool {
    let mut latin = false;
    let mut all_mappable = true;
    let mut any_foreign = false;
    for c in rest.chars() {
        if is_invisible(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            if is_apostrophe(c) {
                continue;
            }
            break;
        }
        if c.is_ascii_alphabetic() {
            latin = true;
        } else if !c.is_ascii() {
            let mut mappable = true;
            let mut foreign = false;
            decompose_compatible(c, |d| {
                if is_combining_mark(d) || d.is_ascii() {
                    if d.is_ascii_alphabetic() {
                        latin = true;
                    }
                } else if confusable(d).is_some() {
                    foreign = true;
                } else if d.is_alphabetic() {
                    mappable = false;
                }
            });
            any_foreign |= foreign;
            all_mappable &= mappable;
        }
    }
    any_foreign && (latin || all_mappable)
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
            let c = byte as char;
            if word_start.is_none() && byte.is_ascii_alphanumeric() {
                word_start = Some(start as usize);
                map_confusables = None;
            }
            match byte {
                b'a'..=b'z' => b.emit(c, Last::Lower, (start, start + 1)),
                b'A'..=b'Z' => b.emit(c.to_ascii_lowercase(), Last::Upper, (start, start + 1)),
                b'0'..=b'9' => b.emit(c, Last::Digit, (start, start + 1)),
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

/// A non-alphanumeric character whose compatibility form is not alphanumeric either
/// (`①` decomposes to `1`, so it is kept).
fn decomposes_to_non_alnum(c: char) -> bool {
    let mut alnum = false;
    decompose_compatible(c, |d| alnum |= d.is_alphanumeric());
    !alnum
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

/// A secondary view for letters spaced or dotted apart: runs of three or more
/// one-character words are joined (`s t p a u l s` → `stpauls`). `None` when the view
/// has no such run, which is the common case. (The scan reads
/// [`join_spaced_letters_parts`]; this whole view is what those parts stand for.)
#[cfg(test)]
pub(crate) fn join_spaced_letters(view: &View) -> Option<View> {
    let runs = spaced_letter_runs(view);
    (!runs.is_empty()).then(|| join_runs(view, &runs, 0, view.text.len()))
}

/// [`join_spaced_letters`] over only the parts of the view around its runs: each run
/// with `margin` words either side (parts that meet are merged), as views with
/// offsets of the same original. Whatever a matcher of spellings of at most
/// `margin - 1` words finds in the whole joined view that touches a joined run, it
/// finds in these parts, with the words either side of it; anything else it finds
/// there is in the view itself. Empty when the view has no run, the common case; a
/// long draft with a few runs ("I a" and initials are common) costs a few words'
/// reading each instead of a second reading of the whole draft.
pub(crate) fn join_spaced_letters_parts(view: &View, margin: usize) -> Vec<View> {
    let runs = spaced_letter_runs(view);
    if runs.is_empty() {
        return Vec::new();
    }
    let words: Vec<(usize, usize)> = view.words().collect();
    // Parts as word indices, first and last word, merged when they meet.
    let mut parts: Vec<(usize, usize, usize)> = Vec::new(); // (first, last, first run)
    for (k, &(s, e)) in runs.iter().enumerate() {
        let first = words.partition_point(|w| w.0 < s).saturating_sub(margin);
        let last =
            (words.partition_point(|w| w.1 <= e).saturating_sub(1) + margin).min(words.len() - 1);
        match parts.last_mut() {
            Some(p) if first <= p.1 + 1 => p.1 = p.1.max(last),
            _ => parts.push((first, last, k)),
        }
    }
    let mut out = Vec::with_capacity(parts.len());
    for (i, &(first, last, k)) in parts.iter().enumerate() {
        // From the space before the first word to the space after the last.
        let from = words[first].0 - 1;
        let to = (words[last].1 + 1).min(view.text.len());
        let end_run = parts.get(i + 1).map_or(runs.len(), |p| p.2);
        out.push(join_runs(view, &runs[k..end_run], from, to));
    }
    out
}

/// The runs of three or more one-character words of a view, as byte ranges of its
/// text from the first run character to the last.
fn spaced_letter_runs(view: &View) -> Vec<(usize, usize)> {
    let t = view.text.as_bytes();
    // Find runs of single-character words: " x y z ".
    let mut runs: Vec<(usize, usize)> = Vec::new(); // byte ranges of runs, from first char to last char
    let mut i = 1;
    let mut run_start: Option<usize> = None;
    let mut run_len = 0;
    let mut last_single = 0;
    while i < t.len() {
        // word from i to next space
        let j = i + t[i..]
            .iter()
            .position(|&c| c == b' ')
            .unwrap_or(t.len() - i);
        if j == i {
            break;
        }
        let single = view.text[i..j].chars().count() == 1;
        if single {
            if run_start.is_none() {
                run_start = Some(i);
                run_len = 0;
            }
            run_len += 1;
            last_single = j;
        } else if let Some(s) = run_start.take() {
            if run_len >= 3 {
                runs.push((s, last_single));
            }
        }
        i = j + 1;
    }
    if let Some(s) = run_start {
        if run_len >= 3 {
            runs.push((s, last_single));
        }
    }
    runs
}

/// `view.text[from..to]` with the spaces inside `runs` (all within it) dropped.
fn join_runs(view: &View, runs: &[(usize, usize)], from: usize, to: usize) -> View {
    let mut out = View::default();
    let mut pos = from;
    for &(s, e) in runs {
        copy_range(view, pos, s, &mut out);
        for (k, c) in view.text[s..e].char_indices() {
            if c != ' ' {
                let k = s + k;
                copy_range(view, k, k + c.len_utf8(), &mut out);
            }
        }
        pos = e;
    }
    copy_range(view, pos, to, &mut out);
    out
}

/// The draft with digits and symbols read as the letters they stand in for
/// (`T0m Sm1th`, `4lfie 7ennant`: 0 for o, 1 for i or l, 3 for e, 4 for a, 5 for s,
/// 7 for t, 8 for b, 9 for g, @ for a, $ for s),
/// but only inside words that also have letters: prices, dates and phone numbers are
/// left as they are. Each replacement is one ASCII byte for one, so offsets into the
/// result are offsets into `text`. Returns the readings (with `1` as `i`, and as `l`
/// when the draft has a `1` to read), or nothing when no word mixes the two.
pub(crate) fn leet_readings(text: &str) -> Vec<String> {
    let is_leet = |b: u8| {
        matches!(
            b,
            b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'8' | b'9' | b'@' | b'$'
        )
    };
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut has_one = false;
    for (i, j) in ascii_words(bytes) {
        let word = &bytes[i..j];
        if word.iter().any(u8::is_ascii_alphabetic) && word.iter().copied().any(is_leet) {
            let o = out.get_or_insert_with(|| bytes.to_vec());
            for k in i..j {
                let b = bytes[k];
                // A symbol at the edge of a word is punctuation ("@tom", "tom$").
                let inner = k > i && k + 1 < j;
                let letter = match b {
                    b'0' => b'o',
                    b'1' => {
                        has_one = true;
                        b'i'
                    }
                    b'3' => b'e',
                    b'4' => b'a',
                    b'5' => b's',
                    b'7' => b't',
                    b'8' => b'b',
                    b'9' => b'g',
                    b'@' | b'$' if inner => {
                        if b == b'@' {
                            b'a'
                        } else {
                            b's'
                        }
                    }
                    _ => continue,
                };
                o[k] = letter;
            }
        }
    }
    let Some(first) = out else { return Vec::new() };
    let mut readings = Vec::with_capacity(2);
    if has_one {
        let mut l = first.clone();
        for (k, b) in bytes.iter().enumerate() {
            if *b == b'1' && l[k] == b'i' {
                l[k] = b'l';
            }
        }
        readings.push(String::from_utf8(l).expect("ASCII for ASCII keeps UTF-8 valid"));
    }
    readings.push(String::from_utf8(first).expect("ASCII for ASCII keeps UTF-8 valid"));
    readings
}

/// Views of the digits-for-letters readings of `text` ([`leet_readings`]), over only
/// the words that read differently (with two words of context each side), with offsets
/// of `text`. Empty when no word mixes digits and letters.
pub(crate) fn leet_views(text: &str) -> Vec<View> {
    let readings = leet_readings(text);
    let Some(first) = readings.first() else {
        return Vec::new();
    };
    // The words that changed (the same in every reading).
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let (a, b) = (text.as_bytes(), first.as_bytes());
    let mut i = 0;
    while i < a.len() {
        if a[i] == b[i] {
            i += 1;
            continue;
        }
        let (x, z) = widen(text, i, i + 1, 2);
        push_merged(&mut ranges, (x, z));
        i = z;
    }
    readings
        .iter()
        .flat_map(|r| {
            ranges
                .iter()
                .map(move |&(x, z)| view_of_part(r, x, z, Options::default()))
        })
        .collect()
}

/// Emoji and pictographs, with the joiners and modifiers that build them.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1F0FF | 0x1F300..=0x1FAFF
        | 0x200D | 0xFE0F | 0x20E3)
}

/// Right-to-left and left-to-right overrides: the run after one displays reversed
/// (RLO) or as stored (LRO) until a pop (PDF) or the end of the line.
const RLO: char = '\u{202E}';

/// The byte ranges of the whitespace-separated words of `b`, in order.
fn ascii_words(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        Some((start, i))
    })
}

/// Normalises `text[a..z]` into a view whose offsets are offsets of `text`.
fn view_of_part(text: &str, a: usize, z: usize, opts: Options) -> View {
    let mut v = View::default();
    normalize_into(&text[a..z], opts, &mut v);
    v.shift(a);
    v
}

/// Adds `range` to sorted, non-overlapping `ranges`, merging it with the last one when
/// they overlap.
fn push_merged(ranges: &mut Vec<(usize, usize)>, (a, z): (usize, usize)) {
    match ranges.last_mut() {
        Some(last) if a <= last.1 => last.1 = last.1.max(z),
        _ => ranges.push((a, z)),
    }
}

/// Views of the words of a field that have inner capitals (`#StPeterandPaulRC`,
/// `@TomSmith`), each read without breaking it (`stpeterandpaulrc`), so that a squashed
/// name matches however its capitals fall. Offsets are offsets of `text`. Empty when no
/// word has an inner capital, which is the common case.
pub(crate) fn uncamelled_views(text: &str) -> Vec<View> {
    let b = text.as_bytes();
    ascii_words(b)
        .filter(|&(i, j)| {
            b[i..j]
                .windows(2)
                .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        })
        .map(|(i, j)| view_of_part(text, i, j, Options { camel: false }))
        .collect()
}

/// The places in `text` that [`decoded_view`] reads differently: `%XX` escapes, HTML
/// character references, right-to-left override runs and pictographs between two
/// letters, as byte ranges, in order. Empty in the common case.
fn decoding_spots(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spots = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'%' if b.len() > i + 2
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit() =>
            {
                spots.push((i, i + 3))
            }
            b'&' => {
                if let Some((_, used)) = html_reference(&text[i..]) {
                    spots.push((i, i + used));
                }
            }
            _ => {}
        }
    }
    if text.is_ascii() {
        return spots;
    }
    let mut prev_letter = false;
    let mut run: Option<usize> = None;
    let mut rlo: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if let Some(r) = rlo {
            if matches!(c, '\u{202C}' | '\n' | '\u{2029}') {
                spots.push((r, i));
                rlo = None;
            }
            continue;
        }
        if c == RLO {
            rlo = Some(i);
            continue;
        }
        if is_pictograph(c) || (run.is_some() && is_invisible(c)) {
            if run.is_none() && prev_letter {
                run = Some(i);
            }
            prev_letter = false;
            continue;
        }
        if let Some(r) = run.take() {
            if c.is_alphabetic() {
                spots.push((r, i));
            }
        }
        prev_letter = c.is_alphabetic();
    }
    if let Some(r) = rlo {
        spots.push((r, text.len()));
    }
    spots.sort_unstable();
    spots
}

/// Widens `at..to` to whole whitespace-separated words, and `extra` more on each side
/// (a name read from a decoded word may run into the next word).
fn widen(text: &str, at: usize, to: usize, extra: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut a, mut z) = (at, to);
    for _ in 0..=extra {
        while a > 0 && b[a - 1].is_ascii_whitespace() {
            a -= 1;
        }
        while a > 0 && !b[a - 1].is_ascii_whitespace() {
            a -= 1;
        }
        while z < b.len() && b[z].is_ascii_whitespace() {
            z += 1;
        }
        while z < b.len() && !b[z].is_ascii_whitespace() {
            z += 1;
        }
    }
    (a, z)
}

/// [`decoded_view`] over only the parts of `text` that decode differently (with two
/// words of context each side), each as its own view with offsets of `text`. Empty in
/// the common case.
pub(crate) fn decoded_views(text: &str) -> Vec<View> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (a, z) in decoding_spots(text) {
        push_merged(&mut ranges, widen(text, a, z, 2));
    }
    ranges
        .into_iter()
        .filter_map(|(a, z)| {
            let mut v = decoded_view(&text[a..z])?;
            v.shift(a);
            Some(v)
        })
        .collect()
}

/// A second reading of a field for tricks that a reader sees through but a plain
/// reading does not: percent-encoding (`%54om`) and HTML character references
/// (`T&#111;m`, `&amp;`) decoded; emoji and pictographs between two letters of a word
/// dropped (`To🙂m`); text after a right-to-left override read in the order it is
/// displayed. Offsets map back to the original (the view may be [`View::reordered`]).
/// `None` when the field has none of these, which is the common case.
pub(crate) fn decoded_view(text: &str) -> Option<View> {
    let mut out = String::with_capacity(text.len());
    // For each byte of `out`, the original byte range of the character it came from.
    let mut map: Vec<(u32, u32)> = Vec::with_capacity(text.len());
    let mut changed = false;
    let mut reordered = false;
    let push = |out: &mut String, map: &mut Vec<(u32, u32)>, c: char, from: usize, to: usize| {
        out.push(c);
        for _ in 0..c.len_utf8() {
            map.push((from as u32, to as u32));
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let end = chars.get(k + 1).map_or(text.len(), |&(j, _)| j);
        if c == '%' {
            if let Some((decoded, used)) = percent_decode(&text[i..]) {
                for d in decoded.chars() {
                    push(&mut out, &mut map, d, i, i + used);
                }
                changed = true;
                while k < chars.len() && chars[k].0 < i + used {
                    k += 1;
                }
                continue;
            }
        }
        if c == '&' {
            if let Some((d, used)) = html_reference(&text[i..]) {
                push(&mut out, &mut map, d, i, i + used);
                changed = true;
                while k < chars.len() && chars[k].0 < i + used {
                    k += 1;
                }
                continue;
            }
        }
        if is_pictograph(c) {
            // Drop a run of pictographs with a letter on both sides.
            let mut m = k;
            while m < chars.len() && (is_pictograph(chars[m].1) || is_invisible(chars[m].1)) {
                m += 1;
            }
            let before = out.chars().next_back().is_some_and(char::is_alphabetic);
            let after = chars.get(m).is_some_and(|&(_, n)| n.is_alphabetic());
            if before && after {
                changed = true;
                k = m;
                continue;
            }
        }
        if c == RLO {
            // The run displays reversed: read it back to front.
            let mut m = k + 1;
            while m < chars.len() && !matches!(chars[m].1, '\u{202C}' | '\n' | '\u{2029}') {
                m += 1;
            }
            for n in (k + 1..m).rev() {
                let (j, d) = chars[n];
                let dend = chars.get(n + 1).map_or(text.len(), |&(x, _)| x);
                push(&mut out, &mut map, d, j, dend);
            }
            changed |= m > k + 1;
            reordered = true;
            k = m;
            continue;
        }
        push(&mut out, &mut map, c, i, end);
        k += 1;
    }
    if !changed {
        return None;
    }
    let mut v = View::default();
    normalize_into(&out, Options::default(), &mut v);
    for (x, e) in v.starts.iter_mut().zip(v.ends.iter_mut()) {
        let (s0, e0) = (*x as usize, *e as usize);
        if s0 == e0 {
            // A padding space: at the start or the end of the field.
            let at = map.get(s0).map_or(text.len() as u32, |m| m.0);
            (*x, *e) = (at, at);
        } else {
            (*x, *e) = (map[s0].0, map[e0 - 1].1);
        }
    }
    v.reordered = reordered;
    Some(v)
}

/// Decodes a run of `%XX` escapes at the start of `s` that make whole UTF-8 characters.
/// Returns the decoded text and the bytes used.
fn percent_decode(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut bytes = Vec::new();
    let mut i = 0;
    while i + 2 < b.len() && b[i] == b'%' {
        let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
        let Ok(v) = u8::from_str_radix(hex, 16) else {
            break;
        };
        bytes.push(v);
        i += 3;
    }
    if bytes.is_empty() {
        return None;
    }
    // Keep the longest prefix that is whole UTF-8.
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    if valid == 0 {
        return None;
    }
    let text = String::from_utf8(bytes[..valid].to_vec()).ok()?;
    Some((text, valid * 3))
}

/// Decodes one HTML character reference at the start of `s` (`&#84;`, `&#x54;`,
/// `&amp;`, `&nbsp;` and the other common named ones). Returns it and the bytes used.
fn html_reference(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = if let Some(h) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(h, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(n)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "shy" => '\u{ad}',
            "zwj" => '\u{200d}',
            "zwnj" => '\u{200c}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

fn copy_range(view: &View, from: usize, to: usize, out: &mut View) {
    out.text.push_str(&view.text[from..to]);
    out.starts.extend_from_slice(&view.starts[from..to]);
    out.ends.extend_from_slice(&view.ends[from..to]);
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

    #[test]
    fn leet_readings_only_inside_words_with_letters() {
        assert_eq!(
            leet_readings("T0m Sm1th paid £10.50 on 13/04"),
            vec![
                "Tom Smlth paid £10.50 on 13/04",
                "Tom Smith paid £10.50 on 13/04"
            ]
        );
        assert_eq!(leet_readings("G4RY at 5t P4ul"), vec!["GaRY at st Paul"]);
        assert!(leet_readings("call 0161 998 3419 at 10:30").is_empty());
    }

    #[test]
    fn spaced_letters_join_in_secondary_view() {
        let v = normalize("at S t P a u l s today");
        let j = join_spaced_letters(&v).unwrap();
        assert_eq!(j.text, " at stpauls today ");
        let i = j.text.find("stpauls").unwrap();
        let (s, e) = j.original_range(i, i + 7);
        assert_eq!(&"at S t P a u l s today"[s..e], "S t P a u l s");
        assert!(join_spaced_letters(&normalize("a b")).is_none());
    }

    #[test]
    fn spaced_letters_are_joined_in_parts_with_words_around_them() {
        let text = "one two three S t P a u l s four five six seven eight nine ten \
                    eleven twelve T o m S m i t h end";
        let v = normalize(text);
        let whole = join_spaced_letters(&v).unwrap();
        let parts = join_spaced_letters_parts(&v, 2);
        let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                " two three stpauls four five ",
                " eleven twelve tomsmith end "
            ]
        );
        for p in &parts {
            // Each part is a piece of the whole joined view, with the same offsets.
            let at = whole.text.find(&p.text).unwrap();
            for i in 0..p.text.len() {
                assert_eq!(p.starts[i], whole.starts[at + i]);
                assert_eq!(p.ends[i], whole.ends[at + i]);
            }
        }
        let i = parts[1].text.find("tomsmith").unwrap();
        let (s, e) = parts[1].original_range(i, i + 8);
        assert_eq!(&text[s..e], "T o m S m i t h");
        // Runs closer than twice the margin share a part; no run, no part.
        let close = join_spaced_letters_parts(&normalize("a b c dog d e f"), 2);
        assert_eq!(close.len(), 1);
        assert_eq!(close[0].text, " abc dog def ");
        assert!(join_spaced_letters_parts(&normalize("no runs here"), 2).is_empty());
    }
}
