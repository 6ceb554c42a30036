//! Where a field needs a secondary reading, found in one pass over its bytes: the
//! whitespace-separated words with inner capitals (read unbroken), with digits or
//! symbols among letters (read as letters), with `%` or `&` (decoded) and with
//! characters outside ASCII (pictographs between letters, right-to-left overrides).
//! The readings in [`super::readings`] and [`super::decode`] then look at those words
//! only, so a long draft pays one pass for all of them, not one pass each; the parts
//! they read are those words widened to their neighbours ([`widen`], [`push_merged`]).

/// A byte's classes, for [`spots`]: bits of [`CLASS`].
const SPACE: u8 = 1;
const LETTER: u8 = 2;
const LOWER: u8 = 4;
const UPPER: u8 = 8;
/// A digit or symbol that may stand for a letter (`0 1 3 4 5 7 8 9 @ $`).
const LEET: u8 = 16;
/// `%` or `&`: a percent-escape or an HTML character reference may start here.
const ESCAPE: u8 = 32;
/// A byte of a character outside ASCII.
const HIGH: u8 = 64;

/// The classes of each byte value.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH
        } else if c.is_ascii_whitespace() {
            SPACE
        } else if c.is_ascii_lowercase() {
            LETTER | LOWER
        } else if c.is_ascii_uppercase() {
            LETTER | UPPER
        } else if matches!(
            c,
            b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'8' | b'9' | b'@' | b'$'
        ) {
            LEET
        } else if c == b'%' || c == b'&' {
            ESCAPE
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The words of a field (runs of bytes between ASCII whitespace) that a secondary
/// reading must look at, as byte ranges of the field, in order. All empty for most
/// drafts.
#[derive(Debug, Default)]
pub(crate) struct Spots {
    /// Words with a lowercase ASCII letter right before an uppercase one
    /// (`#StPaulsHigh`).
    pub(crate) camel: Vec<(usize, usize)>,
    /// Words with ASCII letters and a digit or symbol that may stand for a letter
    /// (`T0m`, `P4ul`, `G@ry`).
    pub(crate) leet: Vec<(usize, usize)>,
    /// Words with `%` or `&`.
    pub(crate) escapes: Vec<(usize, usize)>,
    /// Words with a character outside ASCII.
    pub(crate) non_ascii: Vec<(usize, usize)>,
}

/// Finds the [`Spots`] of `text` in one pass over its bytes.
pub(crate) fn spots(text: &str) -> Spots {
    let b = text.as_bytes();
    let mut out = Spots::default();
    let mut i = 0;
    while i < b.len() {
        if CLASS[b[i] as usize] & SPACE != 0 {
            i += 1;
            continue;
        }
        let start = i;
        let (mut any, mut camel, mut lower) = (0u8, false, false);
        while i < b.len() {
            let c = CLASS[b[i] as usize];
            if c & SPACE != 0 {
                break;
            }
            camel |= lower && c & UPPER != 0;
            lower = c & LOWER != 0;
            any |= c;
            i += 1;
        }
        if any & (LEET | ESCAPE | HIGH) == 0 && !camel {
            continue;
        }
        let word = (start, i);
        if camel {
            out.camel.push(word);
        }
        if any & LETTER != 0 && any & LEET != 0 {
            out.leet.push(word);
        }
        if any & ESCAPE != 0 {
            out.escapes.push(word);
        }
        if any & HIGH != 0 {
            out.non_ascii.push(word);
        }
    }
    out
}

/// Adds `range` to sorted, non-overlapping `ranges`, merging it with the last one when
/// they overlap.
pub(super) fn push_merged(ranges: &mut Vec<(usize, usize)>, (a, z): (usize, usize)) {
    match ranges.last_mut() {
        Some(last) if a <= last.1 => last.1 = last.1.max(z),
        _ => ranges.push((a, z)),
    }
}

/// Widens `at..to` to whole whitespace-separated words, and `extra` more on each side
/// (a name read from a decoded word may run into the next word).
pub(super) fn widen(text: &str, at: usize, to: usize, extra: usize) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_sorted_by_what_they_need() {
        let text = "Hi #StPauls T0m paid 10% at M&S\u{a0}today, caf\u{e9} G@ry \u{1F642} 12:30";
        let s = spots(text);
        let words = |v: &[(usize, usize)]| v.iter().map(|&(a, z)| &text[a..z]).collect::<Vec<_>>();
        assert_eq!(words(&s.camel), ["#StPauls"]);
        assert_eq!(words(&s.leet), ["T0m", "G@ry"]);
        assert_eq!(words(&s.escapes), ["10%", "M&S\u{a0}today,"]);
        assert_eq!(
            words(&s.non_ascii),
            ["M&S\u{a0}today,", "caf\u{e9}", "\u{1F642}"]
        );
        let plain = spots("a plain draft, nothing to read twice.");
        assert!(plain.camel.is_empty() && plain.leet.is_empty());
        assert!(plain.escapes.is_empty() && plain.non_ascii.is_empty());
    }
}
