//! What a character is to the normaliser: invisible, an apostrophe, a Latin letter an
//! English keyboard types another way, a look-alike of a Latin letter (and whether its
//! word takes look-alikes), a symbol whose compatibility form is no letter or digit.
//! Lookups in the generated tables (`latin_fold_table.rs`, `confusables_table.rs`) and
//! the decomposition (`decompose.rs`).

use crate::confusables_table::CONFUSABLES;
use crate::decompose::{decompose_compatible, is_combining_mark};
use crate::latin_fold_table::LATIN_FOLD;

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
pub(super) fn is_apostrophe(c: char) -> bool {
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
pub(super) fn latin_fold(c: char) -> Option<&'static str> {
    let c = c as u32;
    if c < 0xA0 {
        return None;
    }
    LATIN_FOLD
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| LATIN_FOLD[i].1)
}

pub(super) fn confusable(c: char) -> Option<char> {
    CONFUSABLES
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| CONFUSABLES[i].1 as char)
}

/// Whether the word starting at `rest` (up to the next break) should have its
/// look-alike letters mapped to Latin: it has a Latin letter, or every letter in it
/// is a look-alike.
pub(super) fn word_takes_confusables(rest: &str) -> bool {
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

/// A non-alphanumeric character whose compatibility form is not alphanumeric either
/// (`①` decomposes to `1`, so it is kept).
pub(super) fn decomposes_to_non_alnum(c: char) -> bool {
    let mut alnum = false;
    decompose_compatible(c, |d| alnum |= d.is_alphanumeric());
    !alnum
}
