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
//! Every key is the same 64-bit hash of a byte string (a spelling as it stands; for a
//! token, `\x01` and the given name; for a pair, the token, a separator and the surname
//! spelling: `pair_bytes`), XXH3 for a plain roster and SipHash-1-3 for a hashed one, so
//! both hold the same information and a hashed one holds no name.
//!
//! Here: the keys. Beside it: `given` (a name's sound, nicknames, families of
//! spellings) and `hash` (a roster hashed under a pack's salt).

#[cfg(test)]
use std::collections::BTreeSet;

use crate::pack::{Pupil, StaffMember};
use crate::variants;

mod given;
mod hash;
mod pairs;

use pairs::{pair_keys, pupil_pairs, Seen};

pub use given::{family, nicknames, phonetic, sounds_specific};
pub use hash::hash_roster;

/// Surnames shorter than this are matched only as written (with family spellings),
/// never with a one-letter slip: "Lee" and "Leo" are different names.
pub const SLIP_MIN_SURNAME: usize = 5;

/// A draft word shorter than this is never read as a slip of a surname.
pub const SLIP_MIN_WORD: usize = 4;

/// One key a roster contributes: what it stands for and its 64-bit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyed<'a> {
    /// A pupil's full-name spelling (block wherever it appears).
    PupilName { key: u64, spelling: &'a str },
    /// A pupil's first name that may stand alone (capitalised, near school words).
    PupilFirst { key: u64, spelling: &'a str },
    /// A pupil's first name that is also an English word: only capitalised
    /// mid-sentence, near school words.
    PupilWordName { key: u64, spelling: &'a str },
    /// A staff name spelling.
    Staff { key: u64, spelling: &'a str },
    /// A way of writing a given name: its key, and the token of the roster's spelling
    /// with [`ALTERNATE_BIT`] set when it is a nickname or another spelling.
    Given { key: u64, value: u64 },
    /// A pair key: a given-name token with a surname spelling or slip.
    Pair { key: u64 },
}

/// What a pair key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairKind {
    /// The surname as written (or a family spelling, or a possessive): a full name.
    Exact,
    /// The surname or one of its one-letter deletions: a slip neighbourhood.
    Slip,
    /// The surname's sound ([`phonetic`]): with a given name that sounds alike, a
    /// spelling family no list holds.
    Sound,
}

impl PairKind {
    fn sep(self) -> u8 {
        match self {
            PairKind::Exact => b'=',
            PairKind::Slip => b'~',
            PairKind::Sound => b'#',
        }
    }
}

/// The low bit of a given-name map value: set when the written form is a nickname or
/// another spelling rather than the roster's own (then only a capitalised given name
/// counts). Tokens themselves have it clear.
pub(crate) const ALTERNATE_BIT: u64 = 1;

/// The key input of a given name's sound in the given-name map.
pub(crate) fn sound_bytes<'b>(buf: &'b mut Vec<u8>, code: &str) -> &'b [u8] {
    buf.clear();
    buf.push(2);
    buf.extend_from_slice(code.as_bytes());
    buf
}

/// The token of a roster given name: the key of `\x01` and the name, low bit clear.
pub(crate) fn token(key: &mut impl FnMut(&[u8]) -> u64, canonical: &str, buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    buf.push(1);
    buf.extend_from_slice(canonical.as_bytes());
    key(buf) & !ALTERNATE_BIT
}

/// The bytes keyed for a pair: the token (8 bytes, little-endian), the kind's separator
/// and the surname spelling, written into `buf`; `skip` leaves out one byte range of the
/// surname (a deletion) without building a new string.
pub(crate) fn pair_bytes<'b>(
    buf: &'b mut Vec<u8>,
    token: u64,
    kind: PairKind,
    surname: &str,
    skip: Option<(usize, usize)>,
) -> &'b [u8] {
    buf.clear();
    buf.extend_from_slice(&token.to_le_bytes());
    buf.push(kind.sep());
    match skip {
        None => buf.extend_from_slice(surname.as_bytes()),
        Some((a, b)) => {
            buf.extend_from_slice(&surname.as_bytes()[..a]);
            buf.extend_from_slice(&surname.as_bytes()[b..]);
        }
    }
    buf
}

/// Calls `sink` with every key the roster contributes, keyed by `key` (XXH3 for a
/// plain roster, SipHash-1-3 under the pack's salt for a hashed one). The same key may
/// come more than once.
///
/// Each pupil's keys come from a function of its own that is never inlined here
/// (`plain_pupil_in`, `pupil_keys_in`): in WebAssembly this loop runs once a build, so
/// V8 runs it in its baseline code to the end (a running call is never moved to
/// optimised code), while a function called once a pupil is optimised after its first
/// few hundred calls and runs the rest optimised (README "Benchmarks").
pub(crate) fn for_each_key(
    pupils: &[Pupil],
    staff: &[StaffMember],
    key: &mut impl FnMut(&[u8]) -> u64,
    mut sink: impl FnMut(Keyed<'_>),
) {
    let mut buf = Vec::with_capacity(64);
    let mut spell = (String::with_capacity(64), String::with_capacity(64));
    let mut seen = Seen::default();
    for p in pupils {
        if !plain_pupil_in(p, key, &mut buf, &mut spell, &mut seen, &mut sink) {
            pupil_keys_in(p, key, &mut buf, &mut seen, &mut sink);
        }
    }
    for s in staff {
        for t in variants::staff_names(s) {
            let k = key(t.as_bytes());
            sink(Keyed::Staff {
                key: k,
                spelling: &t,
            });
        }
    }
}

/// [`pupil_keys_in`] with nothing seen before.
#[cfg(test)]
fn pupil_keys(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    sink: &mut impl FnMut(Keyed<'_>),
) {
    pupil_keys_in(p, key, buf, &mut Seen::default(), sink)
}

/// The keys of any pupil, through the general spellings of [`crate::variants`]; a given
/// name's entries in the given-name map only if `seen` has not met it.
#[inline(never)]
fn pupil_keys_in(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    seen: &mut Seen,
    sink: &mut impl FnMut(Keyed<'_>),
) {
    for t in variants::pupil_names(p) {
        let k = key(t.as_bytes());
        sink(Keyed::PupilName {
            key: k,
            spelling: &t,
        });
    }
    for t in variants::pupil_first_names(p) {
        let k = key(t.as_bytes());
        sink(Keyed::PupilFirst {
            key: k,
            spelling: &t,
        });
    }
    for t in variants::pupil_word_names(p) {
        let k = key(t.as_bytes());
        sink(Keyed::PupilWordName {
            key: k,
            spelling: &t,
        });
    }
    pupil_pairs(p, key, buf, seen, sink);
}

/// [`plain_pupil_in`] with nothing seen before.
#[cfg(test)]
fn plain_pupil(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    spell: &mut (String, String),
    sink: &mut impl FnMut(Keyed<'_>),
) -> bool {
    plain_pupil_in(p, key, buf, spell, &mut Seen::default(), sink)
}

/// The keys of a pupil whose every name (legal and preferred) is a plain word
/// ([`variants::is_plain_word`]: "Thomas Smith", most of a roster), spelt straight into
/// `spell` without the sets and strings of the general path: the same keys as
/// [`variants::pupil_names`], [`variants::pupil_first_names`],
/// [`variants::pupil_word_names`] and [`pupil_pairs`] give for such a pupil (a test
/// holds them equal), some more than once. False, having sunk nothing, for any other
/// pupil. A given name's first-name spellings and entries in the given-name map are
/// sunk only if `seen` has not met it.
#[inline(never)]
fn plain_pupil_in(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    (lower, spell): &mut (String, String),
    seen: &mut Seen,
    sink: &mut impl FnMut(Keyed<'_>),
) -> bool {
    // As variants::pupil_name_parts: the legal name, then a preferred one not blank.
    let (pf, ps) = (
        p.preferred_forename
            .as_ref()
            .filter(|s| !s.trim().is_empty()),
        p.preferred_surname
            .as_ref()
            .filter(|s| !s.trim().is_empty()),
    );
    let plain = |w: Option<&String>| w.is_none_or(|w| variants::is_plain_word(w));
    if !variants::is_plain_word(&p.forename)
        || !variants::is_plain_word(&p.surname)
        || !plain(pf)
        || !plain(ps)
    {
        return false;
    }
    // The names in lowercase, one after another in `lower`: forenames, then surnames.
    lower.clear();
    let mut ends = [0usize; 4];
    let (nf, ns) = (1 + pf.is_some() as usize, 1 + ps.is_some() as usize);
    for (i, w) in [Some(&p.forename), pf, Some(&p.surname), ps]
        .into_iter()
        .flatten()
        .enumerate()
    {
        lower.extend(w.chars().map(|c| c.to_ascii_lowercase()));
        ends[i] = lower.len();
    }
    let part = |i: usize| &lower[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
    let forenames = [part(0), part(nf - 1)];
    let forenames = &forenames[..nf];
    let surnames = [part(nf), part(nf + ns - 1)];
    let surnames = &surnames[..ns];
    let mut name = |spell: &String, sink: &mut dyn FnMut(Keyed<'_>)| {
        let k = key(spell.as_bytes());
        sink(Keyed::PupilName {
            key: k,
            spelling: spell,
        });
    };
    for f in forenames {
        for s in surnames {
            // Full name, its possessive, its squashed hashtag form (six letters or
            // more), surname first: as variants/people.rs full_names.
            spell.clear();
            spell.push_str(f);
            spell.push(' ');
            spell.push_str(s);
            name(spell, sink);
            spell.push('s');
            name(spell, sink);
            if f.len() + s.len() >= 6 {
                spell.clear();
                spell.push_str(f);
                spell.push_str(s);
                name(spell, sink);
            }
            spell.clear();
            spell.push_str(s);
            spell.push(' ');
            spell.push_str(f);
            name(spell, sink);
            // "Tom S": as variants/people.rs initial_names.
            spell.clear();
            spell.push_str(f);
            spell.push(' ');
            spell.push_str(&s[..1]);
            name(spell, sink);
        }
    }
    // Each surname's family and sounds, worked out once a roster.
    let ids = [0, ns - 1].map(|i| seen.surnames.find(surnames[i]));
    let known = std::mem::take(&mut seen.surnames);
    let (s0, s1) = (known.get(ids[0]), known.get(ids[1]));
    let family1 = if ns > 1 { s1.family } else { &[] };
    let sounds = [&s0.sounds[..], &s1.sounds[..]];
    pair_keys(
        forenames,
        surnames,
        s0.family,
        family1,
        &sounds[..ns],
        key,
        buf,
        seen,
        sink,
    );
    seen.surnames = known;
    // After the pairs, which meet the names first.
    for &f in forenames {
        if !seen.first_names_due(f) {
            continue;
        }
        if crate::names::first_name_may_stand_alone(f) {
            spell.clear();
            spell.push_str(f);
            spell.push('s');
            let k = key(spell.as_bytes());
            sink(Keyed::PupilFirst {
                key: k,
                spelling: spell,
            });
            let k = key(f.as_bytes());
            sink(Keyed::PupilFirst {
                key: k,
                spelling: f,
            });
        }
        if f.len() >= 3 && crate::names::is_english_word(f) {
            let k = key(f.as_bytes());
            sink(Keyed::PupilWordName {
                key: k,
                spelling: f,
            });
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pupil_gives_given_names_and_pairs() {
        let p = Pupil {
            forename: "Alfred".into(),
            surname: "Tennant".into(),
            ..Pupil::default()
        };
        let mut key = |b: &[u8]| xxhash_rust::xxh3::xxh3_64(b);
        let mut all = Vec::new();
        for_each_key(std::slice::from_ref(&p), &[], &mut key, |k| {
            if let Keyed::Given { key, value } = k {
                all.push(("given", key, value));
            } else if let Keyed::Pair { key } = k {
                all.push(("pair", key, 0));
            }
        });
        let mut buf = Vec::new();
        let tok = token(&mut key, "alfred", &mut buf);
        assert!(all.contains(&("given", key(b"alfie"), tok | ALTERNATE_BIT)));
        assert!(all.contains(&("given", key(b"alfred"), tok)));
        let exact = key(pair_bytes(&mut buf, tok, PairKind::Exact, "tennant", None));
        assert!(all.contains(&("pair", exact, 0)));
        let slip = key(pair_bytes(&mut buf, tok, PairKind::Slip, "tenant", None));
        assert!(all.contains(&("pair", slip, 0)));
    }

    #[test]
    fn a_plain_pupil_gets_the_same_keys_as_through_the_general_spellings() {
        let pupil = |f: &str, s: &str, pf: Option<&str>, ps: Option<&str>| Pupil {
            forename: f.into(),
            surname: s.into(),
            preferred_forename: pf.map(Into::into),
            preferred_surname: ps.map(Into::into),
            ..Pupil::default()
        };
        let pupils = [
            pupil("Thomas", "Smith", None, None),
            pupil("ALFRED", "tennant", None, None),
            pupil("Grace", "Lee", None, None),
            pupil("Jo", "Ng", None, None),
            pupil("Muhammad", "Hussain", Some("Mo"), None),
            pupil("Will", "Whitlock", None, Some("Brown")),
            pupil("Priya", "Ramaswamy", Some(" "), Some("Ramaswamy")),
            pupil("Eve", "Al", None, None),
        ];
        let mut key = |b: &[u8]| xxhash_rust::xxh3::xxh3_64(b);
        for p in &pupils {
            let mut all = [BTreeSet::new(), BTreeSet::new()];
            for (i, set) in all.iter_mut().enumerate() {
                let mut sink = |k: Keyed<'_>| {
                    set.insert(match k {
                        Keyed::PupilName { key, spelling } => (0, key, spelling.to_string()),
                        Keyed::PupilFirst { key, spelling } => (1, key, spelling.to_string()),
                        Keyed::PupilWordName { key, spelling } => (2, key, spelling.to_string()),
                        Keyed::Staff { key, spelling } => (3, key, spelling.to_string()),
                        Keyed::Given { key, value } => (4, key, value.to_string()),
                        Keyed::Pair { key } => (5, key, String::new()),
                    });
                };
                let mut buf = Vec::new();
                if i == 0 {
                    assert!(plain_pupil(
                        p,
                        &mut key,
                        &mut buf,
                        &mut (String::new(), String::new()),
                        &mut sink
                    ));
                } else {
                    pupil_keys(p, &mut key, &mut buf, &mut sink);
                }
            }
            assert!(all[0].len() >= 5, "{p:?} {}", all[0].len());
            assert_eq!(all[0], all[1], "{p:?}");
        }
        let mut none = |_: Keyed<'_>| panic!("nothing sunk");
        for p in [
            pupil("Mia-Rose", "Smith", None, None),
            pupil("Tom", "McDonald", None, None),
            pupil("Zoë", "Smith", None, None),
            pupil("Tom", "Smith", Some("O'Neil"), None),
        ] {
            assert!(!plain_pupil(
                &p,
                &mut key,
                &mut Vec::new(),
                &mut (String::new(), String::new()),
                &mut none
            ));
        }
    }
}
