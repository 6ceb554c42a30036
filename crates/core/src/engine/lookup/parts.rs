//! A roster's keys before they are indexed: every spelling, given name and name pair of
//! a plain roster keyed with XXH3 as the roster module spells them, or a hashed roster's
//! keys decoded; then put into the tables a scan reads ([`super::HashedMatcher`]). The
//! build side of [`super`].

use super::*;

/// A roster's keys, before they are indexed.
#[derive(Default)]
pub(in crate::engine) struct RosterParts {
    /// Key of a spelling → its first entry in `entries`, as [`HashedMatcher::index`].
    pub(in crate::engine) index: SpellingMap,
    /// Entries chained by key, as [`HashedMatcher::entries`]: filled as the keys come
    /// ([`RosterParts::add`]), never held as a list of keys besides.
    pub(in crate::engine) entries: Vec<(Entry, u32)>,
    pub(in crate::engine) starts: Option<KeySet>,
    pub(in crate::engine) max_words: usize,
    pub(in crate::engine) given: Vec<(u64, u64)>,
    pub(in crate::engine) pairs: PairSet,
}

impl RosterParts {
    /// Keys a plain roster (XXH3).
    ///
    /// This, [`RosterParts::hashed`] and [`RosterParts::index`] are never inlined into
    /// the once-a-pack `Compiler::add_pack`: merged, they made it a function V8 spent
    /// 50-130 ms optimising in WebAssembly, on the cores the build needed, for a call
    /// that never comes again (README "Benchmarks", "Engine build and V8's tiers").
    #[inline(never)]
    pub(in crate::engine) fn plain(
        pupils: &[crate::pack::Pupil],
        staff: &[crate::pack::StaffMember],
        r: &RosterRules,
    ) -> RosterParts {
        use crate::roster::Keyed;
        let mut p = RosterParts {
            starts: Some(KeySet::default()),
            max_words: 1,
            ..RosterParts::default()
        };
        // A little over what a roster of plain names gives, so that neither list grows
        // (30,000 pupils: about 160,000 spellings as they come, 145,444 of them distinct;
        // 291,000 pair keys, 277,540 distinct): grown, a list of 150,000 spellings is
        // copied into one of 300,000.
        let n = pupils.len() * 6 + staff.len() * 24;
        // The spellings' keys and entries as they come, indexed at the end all at once.
        let mut spellings: Vec<(u64, Entry)> = Vec::with_capacity(n);
        // The pair keys as they come, put in the set at the end all at once.
        let mut pairs = Vec::with_capacity(pupils.len() * 10);
        let mut key = |b: &[u8]| xxhash_rust::xxh3::xxh3_64(b);
        let (mut last_first, mut last_start, mut last_pushed) = (String::new(), 0u64, None);
        crate::roster::for_each_key(pupils, staff, &mut key, |k| {
            let (k, spelling, entry) = match k {
                Keyed::PupilName { key, spelling } => {
                    (key, spelling, Entry::new(r.name, Kind::Person))
                }
                Keyed::PupilFirst { key, spelling } => {
                    (key, spelling, Entry::new(r.first, Kind::Capitalised))
                }
                Keyed::PupilWordName { key, spelling } => {
                    (key, spelling, Entry::new(r.word, Kind::MidSentence))
                }
                Keyed::Staff { key, spelling } => {
                    (key, spelling, Entry::new(r.staff, Kind::Person))
                }
                Keyed::Given { key, value } => {
                    p.given.push((key, value));
                    return;
                }
                Keyed::Pair { key } => {
                    pairs.push(key);
                    return;
                }
            };
            // The first word's key (the spelling's own for one word), once for a run
            // of spellings with the same first word ("tom smith", "tom smiths").
            let b = spelling.as_bytes();
            let start = match b.iter().position(|&c| c == b' ') {
                None => k,
                Some(i) => {
                    let n = 2 + b[i + 1..].iter().filter(|&&c| c == b' ').count();
                    p.max_words = p.max_words.max(n);
                    if spelling[..i] == last_first {
                        last_start
                    } else {
                        last_first.clear();
                        last_first.push_str(&spelling[..i]);
                        last_start = xxhash_rust::xxh3::xxh3_64(last_first.as_bytes());
                        last_start
                    }
                }
            };
            if last_pushed != Some(start) {
                last_pushed = Some(start);
                if let Some(st) = &mut p.starts {
                    st.insert(start);
                }
            }
            spellings.push((k, entry));
        });
        p.index = SpellingMap::with_capacity(spellings.len());
        p.entries.reserve(spellings.len());
        // In an order that puts each key near the last; a key's entries in their order.
        for i in SpellingMap::put_order(spellings.iter().map(|&(k, _)| k)) {
            let (k, e) = spellings[i as usize];
            p.add(k, e);
        }
        drop(spellings);
        p.pairs = PairSet::from_keys(pairs);
        p
    }

    /// Decodes a hashed roster (validated with the pack).
    #[inline(never)]
    pub(in crate::engine) fn hashed(
        source: &str,
        h: &crate::hashed::HashedRoster,
        r: &RosterRules,
    ) -> RosterParts {
        use crate::hashed::{decode, decode_given};
        let starts = decode(source, "starts", &h.starts).unwrap_or_default();
        let mut p = RosterParts {
            max_words: h.max_words as usize,
            // A roster with no starts (none of its lists has a spelling) looks every
            // run up rather than none.
            starts: (!starts.is_empty()).then(|| starts.into_iter().collect()),
            ..RosterParts::default()
        };
        let lists: Vec<(Vec<u64>, Entry)> = [
            (
                "pupil_names",
                &h.pupil_names,
                Entry::new(r.name, Kind::Person),
            ),
            (
                "pupil_first_names",
                &h.pupil_first_names,
                Entry::new(r.first, Kind::Capitalised),
            ),
            (
                "pupil_word_names",
                &h.pupil_word_names,
                Entry::new(r.word, Kind::MidSentence),
            ),
            (
                "staff_names",
                &h.staff_names,
                Entry::new(r.staff, Kind::Person),
            ),
        ]
        .into_iter()
        .map(|(field, list, entry)| (decode(source, field, list).unwrap_or_default(), entry))
        .collect();
        // The tables at their full size at once (growing one means both sizes at once).
        let n = lists.iter().map(|(keys, _)| keys.len()).sum();
        p.index = SpellingMap::with_capacity(n);
        p.entries.reserve_exact(n);
        for (keys, entry) in lists {
            for key in keys {
                p.add(key, entry);
            }
        }
        p.given = decode_given(source, &h.given).unwrap_or_default();
        p.pairs =
            PairSet::from_keys(decode(source, "name_pairs", &h.name_pairs).unwrap_or_default());
        p
    }

    /// Adds an entry for a spelling's key (once: a repeated one is dropped).
    pub(in crate::engine) fn add(&mut self, k: u64, e: Entry) {
        let n = self.entries.len() as u32;
        let (head, new) = self.index.entry(k, n);
        let next = if new {
            NO_ENTRY
        } else {
            let mut i = *head;
            while i != NO_ENTRY && self.entries[i as usize].0 != e {
                i = self.entries[i as usize].1;
            }
            if i != NO_ENTRY {
                return;
            }
            std::mem::replace(head, n)
        };
        self.entries.push((e, next));
    }

    /// Puts the keys into lookup tables.
    #[inline(never)]
    pub(in crate::engine) fn index(
        self,
        hasher: RosterKey,
        rules: RosterRules,
        digest: u64,
    ) -> HashedMatcher {
        let mut given = self.given;
        given.sort_unstable();
        given.dedup();
        let mut given_index: HashMap<u64, (u32, u32), _> =
            HashMap::with_capacity_and_hasher(given.len(), Default::default());
        let mut i = 0;
        while i < given.len() {
            let k = given[i].0;
            let j = i + given[i..].iter().take_while(|(x, _)| *x == k).count();
            given_index.insert(k, (i as u32, j as u32));
            i = j;
        }
        let starts = self.starts.unwrap_or_default();
        let firsts = super::filter::KeyFilter::new(
            starts.iter().copied().chain(given_index.keys().copied()),
            starts.len() + given_index.len(),
            16,
        );
        let index_filter =
            super::filter::KeyFilter::new(self.index.keys().copied(), self.index.len(), 8);
        let pair_filter =
            super::filter::KeyFilter::new(self.pairs.iter().copied(), self.pairs.len(), 8);
        HashedMatcher {
            hasher,
            max_words: self.max_words.max(1),
            index: self.index,
            index_filter,
            entries: self.entries,
            starts: !starts.is_empty(),
            firsts,
            given: given_index,
            tokens: given.into_iter().map(|(_, t)| t).collect(),
            pairs: self.pairs,
            pair_filter,
            rules,
            digest,
        }
    }
}
