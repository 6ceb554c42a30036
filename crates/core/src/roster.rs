//! Every spelling of a roster that the engine looks up, in one place, so that a plain
//! roster and the same roster hashed find exactly the same things.
//!
//! A roster gives the engine two kinds of lookup:
//! - **Spellings** matched as they stand, run of words by run of words: full names in
//!   both orders, possessives, "Tom S", hashtag forms ([`crate::variants::pupil_names`]),
//!   first names that may stand alone, given names that are also English words, and
//!   staff names.
//! - **Name pairs**, for the looser ways staff write a pupil's name, which only ever
//!   match as a given name next to a surname:
//!   - a *given-name map* from every way of writing a pupil's given name (the roster's
//!     spelling, its nicknames and short forms, other spellings of the same name:
//!     `Alfie` and `Alf` for Alfred, `Mohammed` for Muhammad) to a *token* standing for
//!     the roster's spelling;
//!   - *pair keys* of a token with a surname: the surname as written, its possessive,
//!     other spellings of it (`Hussein` for Hussain), and, for surnames of five letters
//!     or more, its one-letter deletions (a symmetric deletion neighbourhood: a draft
//!     word one deletion, insertion, substitution or transposition away shares a
//!     deletion with it).
//!
//! Every key is the same 64-bit hash of a string ([`spelling_key_input`],
//! [`token_input`], [`pair_input`]), XXH3 for a plain roster and HMAC-SHA256 for a
//! hashed one, so both hold the same information and a hashed one holds no name.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::pack::{Pupil, StaffMember};
use crate::variants;

/// Surnames shorter than this are matched only as written (with family spellings),
/// never with a one-letter slip: "Lee" and "Leo" are different names.
pub const SLIP_MIN_SURNAME: usize = 5;

/// A draft word shorter than this is never read as a slip of a surname.
pub const SLIP_MIN_WORD: usize = 4;

/// One spelling a roster contributes, before it is keyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// A pupil's full-name spelling (block wherever it appears).
    PupilName(String),
    /// A pupil's first name that may stand alone (capitalised, near school words).
    PupilFirst(String),
    /// A pupil's first name that is also an English word: only capitalised
    /// mid-sentence, near school words.
    PupilWordName(String),
    /// A staff name spelling.
    Staff(String),
    /// A way of writing a given name (`alt`), standing for the roster's `canonical`.
    Given { alt: String, canonical: String },
    /// A surname (or its slip neighbourhood) paired with the roster's given name.
    Pair {
        canonical: String,
        kind: PairKind,
        surname: String,
    },
}

/// What a pair key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairKind {
    /// The surname as written (or a family spelling, or a possessive): a full name.
    Exact,
    /// The surname or one of its one-letter deletions: a slip neighbourhood.
    Slip,
}

impl PairKind {
    fn sep(self) -> char {
        match self {
            PairKind::Exact => '=',
            PairKind::Slip => '~',
        }
    }
}

/// The low bit of a given-name map value: set when the written form is a nickname or
/// another spelling rather than the roster's own (then only a capitalised given name
/// counts). Tokens themselves have it clear: a token is the key of [`token_input`]
/// with this bit cleared.
pub(crate) const ALTERNATE_BIT: u64 = 1;

/// The string hashed for a given name's token.
pub(crate) fn token_input(canonical: &str) -> String {
    format!("\u{1}{canonical}")
}

/// The string hashed for a pair of a given-name token and a surname spelling.
pub(crate) fn pair_input(token: u64, kind: PairKind, surname: &str) -> String {
    format!("{token:016x}{}{surname}", kind.sep())
}

/// The string hashed for a spelling matched as it stands: the spelling itself.
pub(crate) fn spelling_key_input(s: &str) -> &str {
    s
}

/// Parses a `name: alt alt ...` data file into a map, both ways where `both`.
fn parse_map(text: &'static str, into: &mut HashMap<&'static str, Vec<&'static str>>) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, alts)) = line.split_once(':') else {
            continue;
        };
        let v = into.entry(name.trim()).or_default();
        for a in alts.split_whitespace() {
            if !v.contains(&a) {
                v.push(a);
            }
        }
    }
}

/// Nicknames and short forms of a normalised given name (`alfred` → `alfie`, `alf`,
/// `fred` ...): data/nicknames.txt (generated from carltonnorthern/nicknames) and
/// data/nicknames_uk.txt (UK forms it lacks).
pub fn nicknames(name: &str) -> &'static [&'static str] {
    static MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        parse_map(include_str!("../data/nicknames.txt"), &mut m);
        parse_map(include_str!("../data/nicknames_uk.txt"), &mut m);
        m
    })
    .get(name)
    .map_or(&[], Vec::as_slice)
}

/// Other spellings of the same name (`muhammad` → `mohammed`, `mohamed` ...), from
/// data/name_families.txt; empty when the name is in no family.
pub fn family(name: &str) -> Vec<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    let m = MAP.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for line in include_str!("../data/name_families.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let members: Vec<&'static str> = line.split_whitespace().collect();
            for &a in &members {
                let v = m.entry(a).or_default();
                for &b in &members {
                    if b != a && !v.contains(&b) {
                        v.push(b);
                    }
                }
            }
        }
        m
    });
    m.get(name).cloned().unwrap_or_default()
}

/// The one-letter deletions of `word` (characters, not bytes), each once.
pub(crate) fn deletions(word: &str) -> BTreeSet<String> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    chars
        .iter()
        .map(|&(i, c)| {
            let mut s = String::with_capacity(word.len());
            s.push_str(&word[..i]);
            s.push_str(&word[i + c.len_utf8()..]);
            s
        })
        .collect()
}

/// Calls `sink` with every spelling the roster contributes. The same spelling may
/// come more than once.
pub(crate) fn for_each_spelling(
    pupils: &[Pupil],
    staff: &[StaffMember],
    mut sink: impl FnMut(Spelling),
) {
    for p in pupils {
        for t in variants::pupil_names(p) {
            sink(Spelling::PupilName(t));
        }
        for t in variants::pupil_first_names(p) {
            sink(Spelling::PupilFirst(t));
        }
        for t in variants::pupil_word_names(p) {
            sink(Spelling::PupilWordName(t));
        }
        pupil_pairs(p, &mut sink);
    }
    for s in staff {
        for t in variants::staff_names(s) {
            sink(Spelling::Staff(t));
        }
    }
}

/// The given-name map and pair keys of one pupil (see the module documentation).
fn pupil_pairs(p: &Pupil, sink: &mut impl FnMut(Spelling)) {
    let (forenames, surnames) = variants::pupil_name_parts(p);
    let mut canonicals: BTreeSet<String> = BTreeSet::new();
    for f in &forenames {
        for form in variants::forms(f) {
            // Pairs are two words: a one-word given name, or the last word of a double
            // one ("Muhammad-Uzair Upton": "Uzair Upton"); the whole double name is
            // matched by the full-name spellings.
            match form.rsplit_once(' ') {
                None => {
                    canonicals.insert(form);
                }
                Some((_, last)) if last.chars().count() >= 3 => {
                    canonicals.insert(last.to_string());
                }
                Some(_) => {}
            }
        }
    }
    let mut exact: BTreeSet<String> = BTreeSet::new();
    let mut slip: BTreeSet<String> = BTreeSet::new();
    for s in &surnames {
        for form in variants::surname_forms(s) {
            if form.contains(' ') {
                continue;
            }
            let mut spellings = vec![form.clone()];
            spellings.extend(family(&form).into_iter().map(str::to_string));
            for sp in spellings {
                exact.insert(format!("{sp}s"));
                if sp.chars().count() >= SLIP_MIN_SURNAME {
                    slip.extend(deletions(&sp));
                    slip.insert(sp.clone());
                }
                exact.insert(sp);
            }
        }
    }
    for c in &canonicals {
        let mut alts: BTreeSet<&str> = BTreeSet::from([c.as_str()]);
        alts.extend(nicknames(c).iter().copied());
        let fam = family(c);
        alts.extend(fam.iter().copied());
        for a in alts {
            sink(Spelling::Given {
                alt: a.to_string(),
                canonical: c.clone(),
            });
        }
        for s in &exact {
            sink(Spelling::Pair {
                canonical: c.clone(),
                kind: PairKind::Exact,
                surname: s.clone(),
            });
        }
        for s in &slip {
            sink(Spelling::Pair {
                canonical: c.clone(),
                kind: PairKind::Slip,
                surname: s.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_and_families_come_from_the_data_files() {
        assert!(nicknames("alfred").contains(&"alfie"));
        assert!(nicknames("alfred").contains(&"fred"));
        assert!(nicknames("henry").contains(&"harry"));
        assert!(family("muhammad").contains(&"mohammed"));
        assert!(family("mohammed").contains(&"muhammad"));
        assert!(family("smith").is_empty());
    }

    #[test]
    fn deletions_cover_one_letter_each() {
        let d = deletions("whitlock");
        assert!(d.contains("whitlok") && d.contains("hitlock") && d.contains("whitloc"));
        assert_eq!(d.len(), 8);
    }

    #[test]
    fn a_pupil_gives_given_names_and_pairs() {
        let p = Pupil {
            forename: "Alfred".into(),
            surname: "Tennant".into(),
            ..Pupil::default()
        };
        let mut all = Vec::new();
        for_each_spelling(std::slice::from_ref(&p), &[], |s| all.push(s));
        assert!(all.contains(&Spelling::Given {
            alt: "alfie".into(),
            canonical: "alfred".into()
        }));
        assert!(all.contains(&Spelling::Pair {
            canonical: "alfred".into(),
            kind: PairKind::Exact,
            surname: "tennant".into()
        }));
        assert!(all.contains(&Spelling::Pair {
            canonical: "alfred".into(),
            kind: PairKind::Slip,
            surname: "tenant".into()
        }));
    }
}
