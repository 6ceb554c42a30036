//! The spellings people write for a school or a person, generated from the register's
//! or the roster's spelling.
//!
//! Every function here returns normalised terms (see [`crate::normalize`]): words
//! separated by single spaces, ready to be padded and matched.
//!
//! Here: the forms of one word or name every spelling starts from (camelCase,
//! apostrophes, transliteration conventions, the squashed form). Beside it: `schools`
//! (register names, saints, designators, streets), `people` (pupils' and staff names)
//! and `contacts` (phones, postcodes, domains).

use std::collections::BTreeSet;

use crate::normalize::{normalize_term_with, Options};

mod contacts;
mod people;
mod schools;

pub use contacts::{domain_forms, phone_forms, postcode_forms, website_domain};
pub use people::{pupil_first_names, pupil_names, pupil_word_names, staff_names};
pub(crate) use people::{pupil_name_parts, surname_forms, TITLES};
pub use schools::{is_common_street, is_saint_alone, school_names, street_forms};

/// The normalised forms of `raw`, with and without camelCase breaks and with an
/// in-word apostrophe read either as nothing or as a break (`O'Brien`: `obrien`,
/// `o brien`); a possessive `'s` is always joined (`Paul's`: `pauls`).
pub(crate) fn forms(raw: &str) -> BTreeSet<String> {
    if is_plain_word(raw) {
        return BTreeSet::from([raw.to_ascii_lowercase()]);
    }
    let mut raws = vec![raw.to_string()];
    let apos = |c: char| "'’‘ʼ`´".contains(c);
    if raw.chars().any(apos) {
        // "Paul's" also as "Pauls"; "O'Brien" also as "O Brien".
        let joined: String = raw.chars().filter(|&c| !apos(c)).collect();
        // A possessive "'s" stays joined; any other apostrophe becomes a space.
        let chars: Vec<char> = raw.chars().collect();
        let spaced: String = chars
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| {
                if !apos(c) {
                    return Some(c);
                }
                let possessive = matches!(chars.get(i + 1), Some('s' | 'S'))
                    && chars.get(i + 2).is_none_or(|n| !n.is_alphanumeric());
                (!possessive).then_some(' ')
            })
            .collect();
        raws.push(joined);
        raws.push(spaced);
    }
    let mut out = BTreeSet::new();
    // The other way people write letters an English keyboard lacks: "Müller" is also
    // "Mueller", "Sørensen" "Soerensen", "Åse" "Aase", "Đorđević" "Djordjevic" (the
    // normaliser itself reads them as "Muller", "Sorensen", "Ase", "Dordevic").
    let raws: Vec<String> = raws
        .iter()
        .flat_map(|r| {
            let mut v = vec![r.clone()];
            v.extend(transliteration_convention(r));
            v
        })
        .collect();
    for r in &raws {
        for camel in [true, false] {
            let t = normalize_term_with(r, Options { camel });
            if !t.is_empty() {
                out.insert(t);
            }
        }
    }
    out
}

/// The common name: ASCII letters with no capital inside the word ("Thomas", "SMITH",
/// not "McDonald" or "O'Brien"). Its only normalised form ([`forms`]) is itself in
/// lowercase, which lets the roster spell it without the general machinery.
pub(crate) fn is_plain_word(raw: &str) -> bool {
    let b = raw.as_bytes();
    !b.is_empty()
        && b.iter().all(u8::is_ascii_alphabetic)
        && !b
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Letters an English keyboard lacks, and how people write them when they do not fold
/// them to the bare letter: German, Scandinavian, South Slavic, Icelandic, French.
const CONVENTIONS: &[(char, &str)] = &[
    ('ä', "ae"),
    ('Ä', "Ae"),
    ('ö', "oe"),
    ('Ö', "Oe"),
    ('ü', "ue"),
    ('Ü', "Ue"),
    ('ø', "oe"),
    ('Ø', "Oe"),
    ('å', "aa"),
    ('Å', "Aa"),
    ('æ', "ae"),
    ('Æ', "Ae"),
    ('œ', "oe"),
    ('Œ', "Oe"),
    ('ß', "ss"),
    ('đ', "dj"),
    ('Đ', "Dj"),
    ('þ', "th"),
    ('Þ', "Th"),
    ('ð', "d"),
    ('Ð', "D"),
];

/// `raw` with its letters spelt by convention (`Müller` → `Mueller`), or `None` when it
/// has no such letter. An umlaut or ring written as a combining mark (`u` + U+0308) is
/// read as the composed letter.
fn transliteration_convention(raw: &str) -> Option<String> {
    if raw.is_ascii() {
        return None;
    }
    let mut composed = String::with_capacity(raw.len());
    for c in raw.chars() {
        let last = composed.pop();
        let joined = match (last, c) {
            (Some('a'), '\u{308}') => Some('ä'),
            (Some('A'), '\u{308}') => Some('Ä'),
            (Some('o'), '\u{308}') => Some('ö'),
            (Some('O'), '\u{308}') => Some('Ö'),
            (Some('u'), '\u{308}') => Some('ü'),
            (Some('U'), '\u{308}') => Some('Ü'),
            (Some('a'), '\u{30A}') => Some('å'),
            (Some('A'), '\u{30A}') => Some('Å'),
            _ => None,
        };
        match joined {
            Some(j) => composed.push(j),
            None => {
                composed.extend(last);
                composed.push(c);
            }
        }
    }
    if !composed
        .chars()
        .any(|c| CONVENTIONS.iter().any(|(k, _)| *k == c))
    {
        return None;
    }
    let mut out = String::with_capacity(composed.len() + 4);
    for c in composed.chars() {
        match CONVENTIONS.iter().find(|(k, _)| *k == c) {
            Some((_, v)) => out.push_str(v),
            None => out.push(c),
        }
    }
    Some(out)
}

/// `term` without its spaces, for hashtags and handles (`#tomsmith`), when it has more
/// than one word and is long enough not to be an ordinary word.
pub(crate) fn squashed(term: &str) -> Option<String> {
    if !term.contains(' ') {
        return None;
    }
    let s: String = term.chars().filter(|&c| c != ' ').collect();
    // Re-normalise so that letter-digit breaks come out as a draft's would (letters
    // alone, the common case, are already normal).
    let s = if s.bytes().all(|c| c.is_ascii_lowercase()) {
        s
    } else {
        normalize_term_with(&s, Options { camel: false })
    };
    (s.chars().count() >= 6).then_some(s)
}
