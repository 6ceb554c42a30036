//! Secondary readings of a draft, each a [`View`] with offsets of the original, read
//! beside the main one only where the draft has what they see through: letters spaced
//! apart (`S t P a u l s`), digits and symbols for letters (`T0m Sm1th`), and words
//! with inner capitals read unbroken (`#StPaulsHigh` as `stpaulshigh`). Each is empty
//! in the common case, so a plain draft pays for none of them.
//!
//! [`super`] holds the main normalisation and the helpers these share with
//! [`super::decode`].

use super::spots::{push_merged, widen, Spots};
use super::{normalize_into, Options, View};

/// A secondary view for letters spaced or dotted apart: runs of three or more
/// one-character words are joined (`s t p a u l s` → `stpauls`). `None` when the view
/// has no such run, which is the common case. (The scan reads
/// [`join_spaced_letters_parts`]; this whole view is what those parts stand for.)
#[cfg(test)]
pub(crate) fn join_spaced_letters(view: &View) -> Option<View> {
    let words: Vec<(usize, usize)> = view.words().collect();
    let runs = spaced_letter_runs(view, &words);
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
    let words: Vec<(usize, usize)> = view.words().collect();
    join_spaced_letters_parts_in(view, &words, margin)
}

/// [`join_spaced_letters_parts`] with the view's words ([`View::words`]) already listed.
pub(crate) fn join_spaced_letters_parts_in(
    view: &View,
    words: &[(usize, usize)],
    margin: usize,
) -> Vec<View> {
    let runs = spaced_letter_runs(view, words);
    if runs.is_empty() {
        return Vec::new();
    }
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

/// The runs of three or more one-character words of a view (its `words`,
/// [`View::words`]), as byte ranges of its text from the first run character to the
/// last.
fn spaced_letter_runs(view: &View, words: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let single = |&(a, b): &(usize, usize)| {
        b - a == 1 || (b - a <= 4 && view.text[a..b].chars().count() == 1)
    };
    let mut runs = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !single(&words[k]) {
            k += 1;
            continue;
        }
        let first = k;
        while k < words.len() && single(&words[k]) {
            k += 1;
        }
        if k - first >= 3 {
            runs.push((words[first].0, words[k - 1].1));
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

fn copy_range(view: &View, from: usize, to: usize, out: &mut View) {
    out.text.push_str(&view.text[from..to]);
    out.starts.extend_from_slice(&view.starts[from..to]);
    out.ends.extend_from_slice(&view.ends[from..to]);
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
/// of `text`. `spots` are the field's [`Spots`]: only its `leet` words are read. Empty
/// when no word mixes digits and letters.
pub(crate) fn leet_views(text: &str, spots: &Spots) -> Vec<View> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &(a, z) in &spots.leet {
        push_merged(&mut ranges, widen(text, a, z, 2));
    }
    // Each part is whole words of `text`, and a word reads the same alone as in the
    // whole field: the readings of a part are the parts of the field's readings.
    let mut out = Vec::new();
    for (a, z) in ranges {
        let part = &text[a..z];
        for r in leet_readings(part) {
            if r != part {
                out.push(view_of_part(&r, 0, r.len(), a, Options::default()));
            }
        }
    }
    out
}

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

/// Normalises `text[a..z]` into a view whose offsets are `at` bytes on (offsets of the
/// field that `text` is a part of, or is).
fn view_of_part(text: &str, a: usize, z: usize, at: usize, opts: Options) -> View {
    let mut v = View::default();
    normalize_into(&text[a..z], opts, &mut v);
    v.shift(at);
    v
}

/// Views of the words of a field that have inner capitals (`#StPeterandPaulRC`,
/// `@TomSmith`; the `camel` words of its [`Spots`]), each read without breaking it
/// (`stpeterandpaulrc`), so that a squashed name matches however its capitals fall.
/// Offsets are offsets of `text`. Empty when no word has an inner capital, which is
/// the common case.
pub(crate) fn uncamelled_views(text: &str, spots: &Spots) -> Vec<View> {
    spots
        .camel
        .iter()
        .map(|&(i, j)| view_of_part(text, i, j, i, Options { camel: false }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

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
