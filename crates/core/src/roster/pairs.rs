//! The given-name map and pair keys of a roster (see [`super`]), with what they need of
//! each given name worked out once per roster rather than once per pupil: a roster of
//! 30,000 pupils has about 5,000 given names, and a name's token, sound, nicknames and
//! families of spellings, and its entries in the given-name map, are the same for every
//! pupil who has it.

use std::collections::{BTreeSet, HashMap};

use nohash_hasher::BuildNoHashHasher;

use super::{
    family, nicknames, pair_bytes, phonetic, sound_bytes, sounds_specific, token, Keyed, PairKind,
    SLIP_MIN_SURNAME,
};
use crate::pack::Pupil;
use crate::variants;

/// What one given name of the roster gives, once worked out.
struct GivenName {
    /// The name (normalised, one word).
    name: Box<str>,
    /// Its token ([`token`]).
    token: u64,
    /// Its sound ([`phonetic`]).
    sound: Option<String>,
    /// Whether its sound has been sunk into the given-name map (it is, once some
    /// pupil's surname sounds specific enough with it).
    sound_sunk: bool,
    /// Whether its first-name spellings have been sunk (plain pupils' forenames).
    first_sunk: bool,
}

/// Given names already seen in one pass over a roster ([`super::for_each_key`]): what
/// each gives, and which of its keys have been sunk. Keyed by the XXH3 of the name
/// whatever the roster's own key, the name itself checked (two names of one hash are
/// worked out each time, as if never seen).
#[derive(Default)]
pub(super) struct Seen {
    index: HashMap<u64, u32, BuildNoHashHasher<u64>>,
    given: Vec<GivenName>,
    /// The given names met by the last [`pair_keys`], as indexes into `given`.
    recent: Vec<u32>,
    /// Surnames met so far, the same way.
    pub(super) surnames: Surnames,
}

/// What one surname of the roster gives: its family of spellings, and the sounds of
/// it and of them.
pub(super) struct Surname {
    name: Box<str>,
    /// [`family`] of the surname.
    pub(super) family: &'static [&'static str],
    /// [`phonetic`] of the surname and of each of its family, where they have one.
    pub(super) sounds: Vec<String>,
}

/// The surnames met in one pass over a roster, each worked out once (as [`Seen`]).
#[derive(Default)]
pub(super) struct Surnames {
    index: HashMap<u64, u32, BuildNoHashHasher<u64>>,
    list: Vec<Surname>,
}

impl Surnames {
    /// The index of surname `s` (normalised, one word) in [`Surnames::get`], worked out
    /// the first time it is met.
    pub(super) fn find(&mut self, s: &str) -> usize {
        use std::collections::hash_map::Entry;
        let new = |s: &str| {
            let family = family(s);
            let sounds = std::iter::once(s)
                .chain(family.iter().copied())
                .filter_map(phonetic)
                .collect();
            Surname {
                name: s.into(),
                family,
                sounds,
            }
        };
        match self.index.entry(xxhash_rust::xxh3::xxh3_64(s.as_bytes())) {
            Entry::Occupied(o) if *self.list[*o.get() as usize].name == *s => *o.get() as usize,
            // Another surname of the same hash: worked out again each time.
            Entry::Occupied(_) => {
                self.list.push(new(s));
                self.list.len() - 1
            }
            Entry::Vacant(v) => {
                v.insert(self.list.len() as u32);
                self.list.push(new(s));
                self.list.len() - 1
            }
        }
    }

    /// The surname at `i` (from [`Surnames::find`]).
    pub(super) fn get(&self, i: usize) -> &Surname {
        &self.list[i]
    }
}

impl Seen {
    /// The entry of given name `c`, sinking its given-name map entries (the name,
    /// its nicknames and family spellings) the first time it is seen; `None` when
    /// another name has the same XXH3 (then its keys are sunk again each time).
    fn given(
        &mut self,
        c: &str,
        key: &mut impl FnMut(&[u8]) -> u64,
        buf: &mut Vec<u8>,
        sink: &mut impl FnMut(Keyed<'_>),
    ) -> Option<&mut GivenName> {
        use std::collections::hash_map::Entry;
        let h = xxhash_rust::xxh3::xxh3_64(c.as_bytes());
        let i = match self.index.entry(h) {
            Entry::Occupied(o) => *o.get() as usize,
            Entry::Vacant(v) => {
                v.insert(self.given.len() as u32);
                self.given.push(given_name(c, key, buf, sink));
                self.given.len() - 1
            }
        };
        self.recent.push(i as u32);
        let g = &mut self.given[i];
        (*g.name == *c).then_some(g)
    }

    /// Whether the first-name spellings of forename `f` are still to be sunk, marking
    /// them sunk. True for a name whose hash another name has.
    pub(super) fn first_names_due(&mut self, f: &str) -> bool {
        let recent = self.recent.iter().copied();
        let i = match recent
            .into_iter()
            .find(|&i| *self.given[i as usize].name == *f)
        {
            Some(i) => i,
            None => match self.index.get(&xxhash_rust::xxh3::xxh3_64(f.as_bytes())) {
                Some(&i) => i,
                None => return true,
            },
        };
        let g = &mut self.given[i as usize];
        if *g.name != *f {
            return true;
        }
        !std::mem::replace(&mut g.first_sunk, true)
    }
}

/// Works out given name `c` and sinks its given-name map entries: the name itself,
/// then its nicknames and family spellings as alternates.
fn given_name(
    c: &str,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    sink: &mut impl FnMut(Keyed<'_>),
) -> GivenName {
    let tok = token(key, c, buf);
    sink(Keyed::Given {
        key: key(c.as_bytes()),
        value: tok,
    });
    for a in nicknames(c).iter().chain(family(c)) {
        if *a != c {
            sink(Keyed::Given {
                key: key(a.as_bytes()),
                value: tok | super::ALTERNATE_BIT,
            });
        }
    }
    GivenName {
        name: c.into(),
        token: tok,
        sound: phonetic(c),
        sound_sunk: false,
        first_sunk: false,
    }
}

/// The given-name map and pair keys of one pupil (see the module documentation).
pub(super) fn pupil_pairs(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    seen: &mut Seen,
    sink: &mut impl FnMut(Keyed<'_>),
) {
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
    // Surname spellings: as written, and the other spellings of its family.
    let mut spellings: BTreeSet<String> = BTreeSet::new();
    for s in &surnames {
        for form in variants::surname_forms(s) {
            if form.contains(' ') {
                continue;
            }
            spellings.extend(family(&form).iter().map(|f| f.to_string()));
            spellings.insert(form);
        }
    }
    let canonicals: Vec<&str> = canonicals.iter().map(String::as_str).collect();
    let spellings: Vec<&str> = spellings.iter().map(String::as_str).collect();
    let sounds: Vec<String> = spellings.iter().copied().filter_map(phonetic).collect();
    pair_keys(
        &canonicals,
        &spellings,
        &[],
        &[],
        &[&sounds],
        key,
        buf,
        seen,
        sink,
    );
}

/// The given-name map and pair keys of roster given names (`canonicals`, one word
/// each) with surname spellings (one word each: `spellings` and the family spellings
/// `more` and `more2`, which may repeat them), whose sounds are `sounds` (in lists, as
/// [`Surname::sounds`]). A given name's entries in the map are sunk only the first
/// time `seen` meets it.
#[allow(clippy::too_many_arguments)]
pub(super) fn pair_keys(
    canonicals: &[&str],
    spellings: &[&str],
    more: &[&'static str],
    more2: &[&'static str],
    sounds: &[&[String]],
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    seen: &mut Seen,
    sink: &mut impl FnMut(Keyed<'_>),
) {
    let spellings = || spellings.iter().chain(more).chain(more2).copied();
    let sounds = || sounds.iter().flat_map(|s| s.iter());
    seen.recent.clear();
    for &c in canonicals {
        let mut unseen;
        let g = match seen.given(c, key, buf, sink) {
            Some(g) => g,
            None => {
                unseen = given_name(c, key, buf, sink);
                &mut unseen
            }
        };
        let tok = g.token;
        // The sound of the given name, and with it the sounds of the surname.
        if let Some(code) = &g.sound {
            let mut any = false;
            for sc in sounds().filter(|sc| sounds_specific(code, sc)) {
                any = true;
                sink(Keyed::Pair {
                    key: key(pair_bytes(buf, tok, PairKind::Sound, sc, None)),
                });
            }
            if any && !g.sound_sunk {
                g.sound_sunk = true;
                sink(Keyed::Given {
                    key: key(sound_bytes(buf, code)),
                    value: tok | super::ALTERNATE_BIT,
                });
            }
        }
        for sp in spellings() {
            // As written and its possessive.
            sink(Keyed::Pair {
                key: key(pair_bytes(buf, tok, PairKind::Exact, sp, None)),
            });
            buf.push(b's');
            sink(Keyed::Pair { key: key(buf) });
            // The slip neighbourhood: the surname and its one-letter deletions.
            if sp.len() >= SLIP_MIN_SURNAME && sp.chars().nth(SLIP_MIN_SURNAME - 1).is_some() {
                sink(Keyed::Pair {
                    key: key(pair_bytes(buf, tok, PairKind::Slip, sp, None)),
                });
                for (i, ch) in sp.char_indices() {
                    let del = (i, i + ch.len_utf8());
                    sink(Keyed::Pair {
                        key: key(pair_bytes(buf, tok, PairKind::Slip, sp, Some(del))),
                    });
                }
            }
        }
    }
}
