//! A *roster image*: the tables an engine built for its rosters, as bytes, so that a
//! later engine of the same packs loads them instead of working every spelling out
//! again. A browser stops an idle extension worker many times a day and each start
//! builds the engine anew: with an image, a 30,000-pupil roster is copied in rather
//! than keyed (README "Benchmarks").
//!
//! An image holds, for each roster, a digest of what the roster was built from (every
//! pupil's and staff member's names, or a hashed roster's salt and key lists) beside its
//! tables; a roster is taken from an image only when its digest is the one worked out
//! from the pack being built, and the engine version is the one that wrote it.
//! Anything else (another pack, another engine, bytes cut short or changed) is not an
//! error: the roster is built from its pack as if there were no image. Every table read
//! is checked before use (slots a power of two with an empty one, each chain of entries
//! running backwards, ranges inside their lists), so that no image, however made, can
//! make a scan read out of bounds or loop.
//!
//! Layout, little-endian: `PSRI`, the image format (u32), the engine version (u32
//! length, UTF-8), the number of rosters (u32); then for each roster its digest (u64),
//! the length of its tables in bytes (u64), their XXH3 (u64) and the tables, in the order
//! [`write_roster`] writes them. A hash table is written as its size and its keys in the
//! order that puts each back in its slot, not slot by slot (half the bytes: the
//! WebAssembly memory holds the image and the tables made from it at once, and never
//! shrinks); the bit filters in front of the spellings and pairs are made again from
//! their keys. An image holds roster keys, so it is as private as the pack it was built
//! from, and no more: the pack's own spellings are not in it.

use super::filter::KeyFilter;
use super::lookup::{HashedMatcher, PairSet, RosterKey, RosterRules, SpellingMap, NO_ENTRY};
use super::{Entry, Kind};
use crate::pack::{Pupil, StaffMember};

/// The first bytes of every roster image.
const MAGIC: &[u8; 4] = b"PSRI";

/// The layout of the image; bumped whenever what is written changes.
const FORMAT: u32 = 1;

/// The version of the engine that writes and reads images: an image written by another
/// engine is not read (how a roster is spelt may have changed between them).
const ENGINE: &str = env!("CARGO_PKG_VERSION");

/// The digest of a plain roster: every field of every pupil and staff member, in
/// order, each with its length (so that no two rosters run together the same way).
/// Called once a build.
pub(super) fn plain_digest(pupils: &[Pupil], staff: &[StaffMember]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"plain");
    h.update(&(pupils.len() as u64).to_le_bytes());
    for p in pupils {
        digest_pupil(&mut h, p);
    }
    h.update(&(staff.len() as u64).to_le_bytes());
    for s in staff {
        digest_staff(&mut h, s);
    }
    h.digest()
}

/// One pupil into a digest: a function called once a pupil, not a loop inlined into
/// a once-called one (see `roster::for_each_key`).
#[inline(never)]
fn digest_pupil(h: &mut xxhash_rust::xxh3::Xxh3, p: &Pupil) {
    let Pupil {
        forename,
        surname,
        preferred_forename,
        preferred_surname,
        group,
    } = p;
    field(h, Some(forename));
    field(h, Some(surname));
    field(h, preferred_forename.as_ref());
    field(h, preferred_surname.as_ref());
    field(h, group.as_ref());
}

#[inline(never)]
fn digest_staff(h: &mut xxhash_rust::xxh3::Xxh3, s: &StaffMember) {
    let StaffMember {
        title,
        forename,
        surname,
    } = s;
    field(h, title.as_ref());
    field(h, Some(forename));
    field(h, Some(surname));
}

fn field(h: &mut xxhash_rust::xxh3::Xxh3, s: Option<&String>) {
    match s {
        None => h.update(&[0]),
        Some(s) => {
            h.update(&[1]);
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
    }
}

/// The digest of a hashed roster: its scheme, salt, counts and key lists.
pub(super) fn hashed_digest(r: &crate::hashed::HashedRoster) -> u64 {
    let crate::hashed::HashedRoster {
        scheme,
        salt,
        max_words,
        pupils,
        staff,
        pupil_names,
        pupil_first_names,
        staff_names,
        pupil_word_names,
        given,
        name_pairs,
        starts,
    } = r;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"hashed");
    h.update(&[*max_words]);
    h.update(&(*pupils as u64).to_le_bytes());
    h.update(&(*staff as u64).to_le_bytes());
    for s in [
        scheme,
        salt,
        pupil_names,
        pupil_first_names,
        staff_names,
        pupil_word_names,
        given,
        name_pairs,
        starts,
    ] {
        field(&mut h, Some(s));
    }
    h.digest()
}

/// The image of `rosters` (every roster of an engine, in order), written straight into
/// one list of bytes of its final size: the WebAssembly memory never shrinks, so a copy
/// made on the way would stay with the worker.
pub(super) fn write(rosters: &[HashedMatcher]) -> Vec<u8> {
    let size =
        4 + 4 + 4 + ENGINE.len() + 4 + rosters.iter().map(|r| 24 + roster_len(r)).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(ENGINE.len() as u32).to_le_bytes());
    out.extend_from_slice(ENGINE.as_bytes());
    out.extend_from_slice(&(rosters.len() as u32).to_le_bytes());
    for r in rosters {
        let len = roster_len(r);
        out.extend_from_slice(&r.digest.to_le_bytes());
        out.extend_from_slice(&(len as u64).to_le_bytes());
        let sum_at = out.len();
        out.extend_from_slice(&[0; 8]);
        let start = out.len();
        write_roster(&mut out, r);
        debug_assert_eq!(out.len() - start, len);
        let sum = xxhash_rust::xxh3::xxh3_64(&out[start..]);
        out[sum_at..sum_at + 8].copy_from_slice(&sum.to_le_bytes());
    }
    debug_assert_eq!(out.len(), size);
    out
}

/// An image's rosters by digest, their tables not yet read.
#[derive(Default)]
pub(super) struct Image<'a> {
    /// Digest, checksum of the tables, the tables.
    rosters: Vec<(u64, u64, &'a [u8])>,
}

impl<'a> Image<'a> {
    /// The rosters of `bytes`; none when the bytes are no image of this engine's.
    pub(super) fn open(bytes: &'a [u8]) -> Image<'a> {
        Self::try_open(bytes).unwrap_or_default()
    }

    fn try_open(bytes: &'a [u8]) -> Option<Image<'a>> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC || r.u32()? != FORMAT {
            return None;
        }
        let n = r.u32()? as usize;
        if r.take(n)? != ENGINE.as_bytes() {
            return None;
        }
        let count = r.u32()?;
        let mut rosters = Vec::new();
        for _ in 0..count {
            let digest = r.u64()?;
            let len = usize::try_from(r.u64()?).ok()?;
            let sum = r.u64()?;
            rosters.push((digest, sum, r.take(len)?));
        }
        (r.at == bytes.len()).then_some(Image { rosters })
    }

    /// The roster of digest `digest` from the image, ready to look up with `hasher`
    /// and `rules`; `None` when the image has no such roster or its tables do not read.
    pub(super) fn roster(
        &self,
        digest: u64,
        hasher: RosterKey,
        rules: RosterRules,
    ) -> Option<HashedMatcher> {
        let &(_, sum, body) = self.rosters.iter().find(|(d, _, _)| *d == digest)?;
        // Tables changed since they were written (a disk's error) are not read.
        if xxhash_rust::xxh3::xxh3_64(body) != sum {
            return None;
        }
        read_roster(body, digest, hasher, rules)
    }
}

/// The role of a roster entry (its rule among the roster's, and its kind), as a byte.
fn role(e: Entry, r: &RosterRules) -> u8 {
    match e.kind {
        Kind::Person if e.rule == r.name => 0,
        Kind::Capitalised if e.rule == r.first => 1,
        Kind::MidSentence if e.rule == r.word => 2,
        Kind::Person if e.rule == r.staff => 3,
        // Not made by a roster (RosterParts makes only the four above).
        _ => u8::MAX,
    }
}

fn entry_of(role: u8, r: &RosterRules) -> Option<Entry> {
    Some(match role {
        0 => Entry::new(r.name, Kind::Person),
        1 => Entry::new(r.first, Kind::Capitalised),
        2 => Entry::new(r.word, Kind::MidSentence),
        3 => Entry::new(r.staff, Kind::Person),
        _ => return None,
    })
}

/// The length in bytes of what [`write_roster`] writes for `m`.
fn roster_len(m: &HashedMatcher) -> usize {
    let (index_len, _) = m.index.raw_len();
    let (pairs_len, _) = m.pairs.raw_len();
    9 + (8 + 8 + 12 * index_len + 5)
        + (8 + 5 * m.entries.len())
        + (8 + 8 * m.firsts.words().len())
        + (8 + 16 * m.given.len())
        + (8 + 8 * m.tokens.len())
        + (8 + 8 + 8 * pairs_len + 1)
}

/// A roster's tables, in the order [`read_roster`] reads them.
fn write_roster(out: &mut Vec<u8>, m: &HashedMatcher) {
    let mut w = Writer(out);
    w.u64(m.max_words as u64);
    w.u8(m.starts as u8);
    let (index_len, zero) = m.index.raw_len();
    w.u64(m.index.table_size() as u64);
    w.u64(index_len as u64);
    w.opt_u32(zero);
    for (k, v) in m.index.ordered() {
        w.u64(k);
        w.u32(v);
    }
    w.u64(m.entries.len() as u64);
    for &(e, next) in &m.entries {
        w.u8(role(e, &m.rules));
        w.u32(next);
    }
    w.u64s(m.firsts.words());
    let mut given: Vec<(u64, (u32, u32))> = m.given.iter().map(|(&k, &v)| (k, v)).collect();
    given.sort_unstable();
    w.u64(given.len() as u64);
    for (k, (a, b)) in given {
        w.u64(k);
        w.u32(a);
        w.u32(b);
    }
    w.u64s(&m.tokens);
    let (pairs_len, zero) = m.pairs.raw_len();
    w.u64(m.pairs.table_size() as u64);
    w.u64(pairs_len as u64);
    w.u8(zero as u8);
    for k in m.pairs.ordered() {
        w.u64(k);
    }
}

fn read_roster(
    body: &[u8],
    digest: u64,
    hasher: RosterKey,
    rules: RosterRules,
) -> Option<HashedMatcher> {
    let mut r = Reader { bytes: body, at: 0 };
    let max_words = usize::try_from(r.u64()?).ok()?;
    if max_words == 0 || max_words > 64 {
        return None;
    }
    let starts = match r.u8()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    // The tables are made as they are read, with no list of their keys besides.
    let size = usize::try_from(r.u64()?).ok()?;
    let n = usize::try_from(r.u64()?).ok()?;
    let zero = r.opt_u32()?;
    let index = SpellingMap::from_ordered(n, || Some((r.u64()?, r.u32()?)), size, zero)?;
    // As `RosterParts::index` makes it.
    let index_filter = KeyFilter::new(index.keys().copied(), index.len(), 8);
    let n = usize::try_from(r.u64()?).ok()?;
    let mut entries = Vec::with_capacity(n.min(body.len() / 5));
    for i in 0..n {
        let e = entry_of(r.u8()?, &rules)?;
        let next = r.u32()?;
        // Each entry's next is an earlier one: no chain loops or leaves the list.
        if next != NO_ENTRY && next as usize >= i {
            return None;
        }
        entries.push((e, next));
    }
    if !index.values_below(entries.len()) {
        return None;
    }
    let firsts = KeyFilter::from_words(r.u64s()?)?;
    let n = usize::try_from(r.u64()?).ok()?;
    let mut given = std::collections::HashMap::with_capacity_and_hasher(
        n.min(body.len() / 16),
        Default::default(),
    );
    let mut ranges = Vec::with_capacity(n.min(body.len() / 16));
    for _ in 0..n {
        let k = r.u64()?;
        let range = (r.u32()?, r.u32()?);
        ranges.push(range);
        given.insert(k, range);
    }
    let tokens = r.u64s()?;
    if ranges
        .iter()
        .any(|&(a, b)| a > b || b as usize > tokens.len())
    {
        return None;
    }
    let size = usize::try_from(r.u64()?).ok()?;
    let n = usize::try_from(r.u64()?).ok()?;
    let zero = match r.u8()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let pairs = PairSet::from_ordered(n, || r.u64(), size, zero)?;
    let pair_filter = KeyFilter::new(pairs.iter().copied(), pairs.len(), 8);
    if r.at != body.len() {
        return None;
    }
    Some(HashedMatcher {
        hasher,
        max_words,
        index,
        index_filter,
        entries,
        starts,
        firsts,
        given,
        tokens,
        pairs,
        pair_filter,
        rules,
        digest,
    })
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn opt_u32(&mut self, v: Option<u32>) {
        self.u8(v.is_some() as u8);
        self.u32(v.unwrap_or(0));
    }
    fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Reads an image's bytes in order; `None` past their end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn opt_u32(&mut self) -> Option<Option<u32>> {
        let some = self.u8()?;
        let v = self.u32()?;
        match some {
            0 => Some(None),
            1 => Some(Some(v)),
            _ => None,
        }
    }
    fn u64s(&mut self) -> Option<Vec<u64>> {
        let n = usize::try_from(self.u64()?).ok()?;
        let bytes = self.take(n.checked_mul(8)?)?;
        Some(read_u64s(bytes))
    }
}

/// Little-endian `u64`s of `bytes` (a multiple of 8 long).
fn read_u64s(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}
