//! The decoded reading of a draft: percent-encoding and HTML character references
//! decoded, pictographs between the letters of a word dropped, right-to-left override
//! runs read in the order they are displayed. A [`View`] with offsets of the original
//! (possibly [`View::reordered`]), over only the parts that decode differently: a plain
//! draft has none.

use super::spots::{push_merged, widen, Spots};
use super::{is_invisible, normalize_into, Options, View};

/// Emoji and pictographs, with the joiners and modifiers that build them.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1F0FF | 0x1F300..=0x1FAFF
        | 0x200D | 0xFE0F | 0x20E3)
}

/// Right-to-left and left-to-right overrides: the run after one displays reversed
/// (RLO) or as stored (LRO) until a pop (PDF) or the end of the line.
const RLO: char = '\u{202E}';

/// The places in `text` that [`decoded_view`] reads differently: `%XX` escapes, HTML
/// character references, right-to-left override runs and pictographs between two
/// letters, as byte ranges, in order. Only the words that `spots` ([`Spots`]) names are
/// read: `%` and `&` can start a spot only in its `escapes` words, and a pictograph or
/// an override is outside ASCII. Empty in the common case.
fn decoding_spots(text: &str, spots: &Spots) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for &(s, e) in &spots.escapes {
        for i in s..e {
            match b[i] {
                b'%' if b.len() > i + 2
                    && b[i + 1].is_ascii_hexdigit()
                    && b[i + 2].is_ascii_hexdigit() =>
                {
                    out.push((i, i + 3))
                }
                b'&' => {
                    if let Some((_, used)) = html_reference(&text[i..]) {
                        out.push((i, i + used));
                    }
                }
                _ => {}
            }
        }
    }
    // An override runs on past its word, to a pop or the end of the line: the rare
    // field with one is read whole.
    let rlo = spots
        .non_ascii
        .iter()
        .any(|&(s, e)| text[s..e].contains(RLO));
    if rlo {
        pictograph_spots(text, 0, text.len(), &mut out);
    } else {
        // A pictograph between letters lies inside one word: whitespace is no letter.
        for &(s, e) in &spots.non_ascii {
            pictograph_spots(text, s, e, &mut out);
        }
    }
    out.sort_unstable();
    out
}

/// The right-to-left override runs and the pictographs between two letters in
/// `text[from..to]` (see [`decoding_spots`]), pushed to `out`.
fn pictograph_spots(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let mut prev_letter = false;
    let mut run: Option<usize> = None;
    let mut rlo: Option<usize> = None;
    for (i, c) in text[from..to].char_indices() {
        let i = from + i;
        if let Some(r) = rlo {
            if matches!(c, '\u{202C}' | '\n' | '\u{2029}') {
                out.push((r, i));
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
                out.push((r, i));
            }
        }
        prev_letter = c.is_alphabetic();
    }
    if let Some(r) = rlo {
        out.push((r, to));
    }
}

/// [`decoded_view`] over only the parts of `text` that decode differently (with two
/// words of context each side), each as its own view with offsets of `text`. `spots`
/// are the field's [`Spots`]. Empty in the common case.
pub(crate) fn decoded_views(text: &str, spots: &Spots) -> Vec<View> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (a, z) in decoding_spots(text, spots) {
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
