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

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::hashed::{encode, encode_given, HashedRoster, Hasher, SALT_BYTES, SCHEME};
use crate::pack::{Pupil, StaffMember};
use crate::variants;

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

/// A name's sound: a consonant skeleton built for names written from other alphabets,
/// where English spellings differ mostly in vowels, doubled letters and digraphs
/// (`mohammed`, `muhammad`, `mohamed`: `mhmd`; `qureshi`, `koreshi`: `krx`; `tariq`,
/// `tarik`: `trk`). Digraphs are read as one sound (ph f, sh x, ch x, kh k, th t, dh d,
/// gh g, ck k, qu k), q and hard c as k, soft c and z as s; an initial vowel (or y/w)
/// is kept as `a` (Omar and Umar, Ibrahim and Ebrahim), other vowels, y, w, an h after
/// a consonant and a final h are dropped, and doubled consonants count once. It is the same
/// idea as Soundex or Metaphone, kept to those rules so that it stays small.
/// `None` for a word shorter than three letters or not plain ASCII letters.
pub fn phonetic(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if b.len() < 3 || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w');
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    if vowel(b[0]) {
        out.push(b'a');
        i = 1;
    }
    while i < b.len() {
        let (c, next) = (b[i], b.get(i + 1).copied());
        let (sound, used) = match (c, next) {
            (b'p', Some(b'h')) => (Some(b'f'), 2),
            (b's' | b'c', Some(b'h')) => (Some(b'x'), 2),
            (b'k' | b'g' | b't' | b'd' | b'b', Some(b'h')) => {
                (Some(if c == b'b' { b'b' } else { c }), 2)
            }
            (b'c', Some(b'k')) => (Some(b'k'), 2),
            (b'q', Some(b'u')) => (Some(b'k'), 2),
            (b'q', _) => (Some(b'k'), 1),
            (b'c', Some(b'e' | b'i' | b'y')) => (Some(b's'), 1),
            (b'c', _) => (Some(b'k'), 1),
            (b'z', _) => (Some(b's'), 1),
            (b'h', _) if i > 0 && !vowel(b[i - 1]) => (None, 1),
            (b'h', None) => (None, 1),
            (c, _) if vowel(c) => (None, 1),
            (c, _) => (Some(c), 1),
        };
        if let Some(x) = sound {
            if out.last() != Some(&x) {
                out.push(x);
            }
        }
        i += used;
    }
    let code = String::from_utf8(out).expect("ASCII");
    (code.len() >= 2).then_some(code)
}

/// Whether a given name's sound and a surname's sound together are specific enough to
/// name one pupil: six code letters or more (`mhmd` + `hsn`; never `tm` + `smt`, which
/// is Tom, Tim or Tam Smith).
pub fn sounds_specific(given: &str, surname: &str) -> bool {
    given.len() >= 2 && surname.len() >= 2 && given.len() + surname.len() >= 6
}

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
pub fn family(name: &str) -> &'static [&'static str] {
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
    m.get(name).map_or(&[], Vec::as_slice)
}

/// Calls `sink` with every key the roster contributes, keyed by `key` (XXH3 for a
/// plain roster, SipHash-1-3 under the pack's salt for a hashed one). The same key may
/// come more than once.
pub(crate) fn for_each_key(
    pupils: &[Pupil],
    staff: &[StaffMember],
    key: &mut impl FnMut(&[u8]) -> u64,
    mut sink: impl FnMut(Keyed<'_>),
) {
    let mut buf = Vec::with_capacity(64);
    let mut spell = (String::with_capacity(64), String::with_capacity(64));
    for p in pupils {
        if !plain_pupil(p, key, &mut buf, &mut spell, &mut sink) {
            pupil_keys(p, key, &mut buf, &mut sink);
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

/// The keys of any pupil, through the general spellings of [`crate::variants`].
fn pupil_keys(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
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
    pupil_pairs(p, key, buf, sink);
}

/// The keys of a pupil whose every name (legal and preferred) is a plain word
/// ([`variants::is_plain_word`]: "Thomas Smith", most of a roster), spelt straight into
/// `spell` without the sets and strings of the general path: the same keys as
/// [`variants::pupil_names`], [`variants::pupil_first_names`],
/// [`variants::pupil_word_names`] and [`pupil_pairs`] give for such a pupil (a test
/// holds them equal), some more than once. False, having sunk nothing, for any other
/// pupil.
fn plain_pupil(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    (lower, spell): &mut (String, String),
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
    for &f in forenames {
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
    let family = |i: usize| surnames.get(i).map_or(&[][..], |s| family(s));
    pair_keys(forenames, surnames, family(0), family(1), key, buf, sink);
    true
}

/// The given-name map and pair keys of one pupil (see the module documentation).
fn pupil_pairs(
    p: &Pupil,
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
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
    pair_keys(&canonicals, &spellings, &[], &[], key, buf, sink);
}

/// The given-name map and pair keys of roster given names (`canonicals`, one word
/// each) with surname spellings (one word each: `spellings` and the family spellings
/// `more` and `more2`, which may repeat them).
fn pair_keys(
    canonicals: &[&str],
    spellings: &[&str],
    more: &[&'static str],
    more2: &[&'static str],
    key: &mut impl FnMut(&[u8]) -> u64,
    buf: &mut Vec<u8>,
    sink: &mut impl FnMut(Keyed<'_>),
) {
    let spellings = || spellings.iter().chain(more).chain(more2).copied();
    let sounds: Vec<String> = spellings().filter_map(phonetic).collect();
    for &c in canonicals {
        let tok = token(key, c, buf);
        let value = |alternate: bool| tok | alternate as u64;
        // The sound of the given name, and with it the sounds of the surname.
        if let Some(code) = phonetic(c) {
            let mut any = false;
            for sc in sounds.iter().filter(|sc| sounds_specific(&code, sc)) {
                any = true;
                sink(Keyed::Pair {
                    key: key(pair_bytes(buf, tok, PairKind::Sound, sc, None)),
                });
            }
            if any {
                sink(Keyed::Given {
                    key: key(sound_bytes(buf, &code)),
                    value: value(true),
                });
            }
        }
        sink(Keyed::Given {
            key: key(c.as_bytes()),
            value: value(false),
        });
        for a in nicknames(c).iter().chain(family(c)) {
            if *a != c {
                sink(Keyed::Given {
                    key: key(a.as_bytes()),
                    value: value(true),
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
            if sp.chars().count() >= SLIP_MIN_SURNAME {
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

/// Hashes a roster under `salt` (16 random bytes: take them from the operating
/// system's random source, never a fixed value). Every key the plain roster would use
/// (see [`crate::roster`]) is made with SipHash-1-3 under the salt instead, so the
/// hashed roster finds exactly what the plain one finds.
pub fn hash_roster(
    pupils: &[Pupil],
    staff: &[StaffMember],
    salt: [u8; SALT_BYTES],
) -> HashedRoster {
    let hasher = Hasher::new(&salt);
    let mut max_words = 1usize;
    let (mut names, mut firsts, mut words, mut staff_h, mut pairs, mut starts) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    let mut given: BTreeSet<(u64, u64)> = BTreeSet::new();
    let mut key = |b: &[u8]| hasher.hash_bytes(b);
    let mut start = |spelling: &str| {
        let first = spelling.split(' ').next().unwrap_or(spelling);
        starts.insert(hasher.hash_bytes(first.as_bytes()));
    };
    for_each_key(pupils, staff, &mut key, |k| match k {
        Keyed::PupilName { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            start(spelling);
            names.insert(key);
        }
        Keyed::PupilFirst { key, spelling } => {
            start(spelling);
            firsts.insert(key);
        }
        Keyed::PupilWordName { key, spelling } => {
            start(spelling);
            words.insert(key);
        }
        Keyed::Staff { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            start(spelling);
            staff_h.insert(key);
        }
        Keyed::Given { key, value } => {
            given.insert((key, value));
        }
        Keyed::Pair { key } => {
            pairs.insert(key);
        }
    });
    HashedRoster {
        scheme: SCHEME.to_string(),
        salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
        max_words: max_words.min(u8::MAX as usize) as u8,
        pupils: pupils.len(),
        staff: staff.len(),
        pupil_names: encode(&names),
        pupil_first_names: encode(&firsts),
        staff_names: encode(&staff_h),
        pupil_word_names: encode(&words),
        given: encode_given(&given),
        name_pairs: encode(&pairs),
        starts: encode(&starts),
    }
}

impl crate::Pack {
    /// Replaces `pupils` and `staff` with a [`crate::hashed::HashedRoster`] under `salt`
    /// (16 random bytes from the operating system), so the pack holds no roster name.
    /// The `group` of each pupil is dropped with the names.
    ///
    /// # Errors
    /// When the pack already has a hashed roster: hashing twice would need the first
    /// salt's names, which are gone.
    pub fn hash_roster(&mut self, salt: [u8; SALT_BYTES]) -> Result<(), crate::PackError> {
        if self.hashed_roster.is_some() {
            return Err(crate::PackError::new(
                &self.id,
                None,
                "the pack's roster is already hashed",
            ));
        }
        self.hashed_roster = Some(hash_roster(&self.pupils, &self.staff, salt));
        self.pupils.clear();
        self.staff.clear();
        Ok(())
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
    fn spellings_of_one_name_sound_alike() {
        for family in [
            &["muhammad", "mohammed", "mohamed", "mohammad", "muhammed"][..],
            &["hussain", "hussein", "husain", "hossain"],
            &["qureshi", "koreshi", "quereshi"],
            &["tariq", "tarik"],
            &["mahmood", "mahmud"],
            &["ahmed", "ahmad"],
            &["mustafa", "moustafa", "mostafa"],
            &["chowdhury", "choudhury", "chaudhury"],
            &["omar", "umar"],
            &["zainab", "zaynab", "zeinab"],
        ] {
            let codes: Vec<_> = family.iter().map(|n| phonetic(n)).collect();
            assert!(
                codes.iter().all(|c| c.is_some() && *c == codes[0]),
                "{family:?}: {codes:?}"
            );
        }
        assert_ne!(phonetic("oluwaseun"), phonetic("oluwaseyi"));
        assert_ne!(phonetic("smith"), phonetic("smart"));
        assert_eq!(phonetic("al"), None);
        assert!(
            !sounds_specific("tm", "smt"),
            "Tom Smith is too common a sound"
        );
    }

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

    #[test]
    fn hashes_depend_on_the_salt_and_hold_no_names() {
        let pupils = vec![Pupil {
            forename: "Priya".into(),
            surname: "Ramaswamy".into(),
            ..Pupil::default()
        }];
        let a = hash_roster(&pupils, &[], [1; 16]);
        let b = hash_roster(&pupils, &[], [2; 16]);
        assert_ne!(a.pupil_names, b.pupil_names);
        let json = serde_json::to_string(&a).unwrap().to_lowercase();
        assert!(!json.contains("priya") && !json.contains("ramaswamy"));
        assert_eq!(a.max_words, 2);
        assert_eq!(
            crate::hashed::decode("t", "pupil_names", &a.pupil_names)
                .unwrap()
                .len(),
            crate::variants::pupil_names(&pupils[0]).len()
        );
    }

    #[test]
    fn a_pack_with_the_old_hmac_keys_is_refused_with_how_to_rebuild() {
        let mut pack = crate::Pack {
            format: crate::PACK_FORMAT,
            id: "old".into(),
            name: "Old".into(),
            version: "1".into(),
            pupils: vec![Pupil {
                forename: "Priya".into(),
                surname: "Ramaswamy".into(),
                ..Pupil::default()
            }],
            ..crate::Pack::default()
        };
        pack.hash_roster([7; 16]).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&pack.to_json()).unwrap();
        assert!(crate::Pack::from_json("new.json", &v.to_string()).is_ok());
        v["hashed_roster"].as_object_mut().unwrap().remove("scheme");
        let e = crate::Pack::from_json("old.json", &v.to_string()).unwrap_err();
        let shown = e.to_string();
        assert!(shown.starts_with("old.json:"), "{shown}");
        assert!(shown.contains("older Postsafe"), "{shown}");
        assert!(
            shown.contains("postsafe pack build --hash-roster"),
            "{shown}"
        );
        assert_eq!(e.kind(), crate::PackErrorKind::OldHashedRoster);
        v["hashed_roster"]["scheme"] = "hmac-sha256".into();
        let e = crate::Pack::from_json("odd.json", &v.to_string()).unwrap_err();
        assert!(e.to_string().contains("\"hmac-sha256\""), "{e}");
    }
}
