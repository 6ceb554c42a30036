//! Rosters, plain or hashed, as keyed indexes, and their lookups in a scan: runs of
//! words as full names and first names, given names next to a surname (name pairs and
//! slips), and names by sound. Every key comes from [`crate::roster`], so a plain and
//! a hashed roster find the same. A roster's keys before they are indexed (the build
//! side) are in `parts`, the tables they go into in `keyset`.

use super::scan::{push_entry, Scratch};
use super::*;

/// A hashed roster, ready to look up: keys sorted, with their entries beside them.
pub(super) struct HashedMatcher {
    pub(super) hasher: RosterKey,
    pub(super) max_words: usize,
    /// Key of a spelling → its first entry in `entries`.
    pub(super) index: SpellingMap,
    /// The keys of [`HashedMatcher::index`], 8 bits a key: most runs of words a draft
    /// asks about are no spelling and are answered here.
    pub(super) index_filter: super::filter::KeyFilter,
    /// Each entry with the index of the next entry of the same key ([`NO_ENTRY`]
    /// after the last): a spelling has one entry, sometimes a few, so they are chained
    /// as they come rather than sorted into ranges (sorting 200,000 keys was a tenth of
    /// a 30,000-pupil build).
    pub(super) entries: Vec<(Entry, u32)>,
    /// Whether the roster lists the first word of every spelling (plain rosters, and
    /// hashed ones with `starts`): then a run of words is only looked up when
    /// [`HashedMatcher::firsts`] may hold its first word. `false` looks every run up.
    pub(super) starts: bool,
    /// The keys of those first words and of every given name in
    /// [`HashedMatcher::given`]: a word it does not hold starts no name and is no
    /// given name, and is looked up in no table.
    pub(super) firsts: super::filter::KeyFilter,
    /// Given-name map: key of a written given name → its range in `tokens`.
    pub(super) given: HashMap<u64, (u32, u32), nohash_hasher::BuildNoHashHasher<u64>>,
    /// Tokens of roster given names, low bit set for a nickname or other spelling.
    pub(super) tokens: Vec<u64>,
    /// Pair keys (token with a surname spelling or slip).
    pub(super) pairs: PairSet,
    /// The keys of [`HashedMatcher::pairs`], 8 bits a key: most pairs a draft asks
    /// about (a given name and the word beside it, each slip of that word) are no
    /// pupil's and are answered here. See [`HashedMatcher::has_pair`].
    pub(super) pair_filter: super::filter::KeyFilter,
    /// The rules raised by this roster.
    pub(super) rules: RosterRules,
    /// The digest of what the roster was built from (`image::plain_digest`,
    /// `image::hashed_digest`), by which a roster image names it.
    pub(super) digest: u64,
}

impl HashedMatcher {
    /// Whether `key` is one of the roster's pair keys.
    #[inline]
    pub(super) fn has_pair(&self, key: u64) -> bool {
        self.pair_filter.may_contain(key) && self.pairs.contains(&key)
    }
}

/// The end of a chain of entries in [`HashedMatcher::entries`].
pub(super) const NO_ENTRY: u32 = u32::MAX;

type KeySet = std::collections::HashSet<u64, nohash_hasher::BuildNoHashHasher<u64>>;

use crate::roster::ALTERNATE_BIT;

mod keyset;
mod parts;
pub(super) use parts::RosterParts;

/// The set of a roster's pair keys ([`keyset::KeySet`]).
pub(super) type PairSet = keyset::KeySet;

/// A roster's spellings' keys to their first entry ([`keyset::KeyMap`]).
pub(super) type SpellingMap = keyset::KeyMap;

/// How a roster spelling becomes its 64-bit key.
pub(super) enum RosterKey {
    /// A plain roster: XXH3, fast and stable on every platform.
    Fast,
    /// A hashed roster: SipHash-1-3 under the pack's salt.
    Keyed(crate::hashed::Hasher),
}

impl RosterKey {
    pub(super) fn key(&self, spelling: &str) -> u64 {
        self.key_bytes(spelling.as_bytes())
    }

    pub(super) fn key_bytes(&self, bytes: &[u8]) -> u64 {
        match self {
            RosterKey::Fast => xxhash_rust::xxh3::xxh3_64(bytes),
            RosterKey::Keyed(h) => h.hash_bytes(bytes),
        }
    }
}

/// The rules a roster raises, per pack.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RosterRules {
    /// `pupil.name`: a full name (block).
    pub(super) name: u32,
    /// `pupil.first-name`: a first name alone near school words (warn).
    pub(super) first: u32,
    /// `pupil.word-name`: a first name that is an English word, capitalised
    /// mid-sentence near school words (warn).
    pub(super) word: u32,
    /// `pupil.name-like`: a surname one slip away, next to the given name (warn).
    pub(super) like: u32,
    /// `staff.name` (warn).
    pub(super) staff: u32,
}

impl Engine {
    /// Looks up every run of one to `max_words` words of the view in the rosters, and
    /// every given name next to a surname in their name pairs.
    /// `words` are the view's words ([`View::words`]).
    pub(super) fn collect_hashed(
        &self,
        view: &View,
        words: &[(usize, usize)],
        text: &str,
        s: &mut Scratch,
    ) {
        let mut keys = std::mem::take(&mut s.keys);
        s.sounds.clear();
        s.sounds.resize(words.len(), None);
        for h in &self.hashed {
            keys.clear();
            keys.extend(words.iter().map(|&(a, b)| h.hasher.key(&view.text[a..b])));
            for w in 0..words.len() {
                let first = keys[w];
                let maybe = h.firsts.may_contain(first);
                if maybe || !h.starts {
                    for n in 1..=h.max_words.min(words.len() - w) {
                        let (vs, ve) = (words[w].0, words[w + n - 1].1);
                        let key = if n == 1 {
                            first
                        } else {
                            h.hasher.key(&view.text[vs..ve])
                        };
                        if !h.index_filter.may_contain(key) {
                            continue;
                        }
                        let Some(&head) = h.index.get(&key) else {
                            continue;
                        };
                        let (start, end) = view.original_range(vs, ve);
                        // A spelling ending in a one-letter word is "Tom S".
                        let last = words[w + n - 1];
                        let initial = n > 1 && last.1 - last.0 == 1;
                        let mut i = head;
                        while i != NO_ENTRY {
                            let (e, next) = h.entries[i as usize];
                            push_entry(e, start, end, text, initial, s);
                            i = next;
                        }
                    }
                }
                let given = if maybe { h.given.get(&first) } else { None };
                if let Some(&(a, b)) = given {
                    let tokens = &h.tokens[a as usize..b as usize];
                    collect_pairs(h, view, text, words, w, tokens, s);
                }
                // A given name the map knows is read through its spellings and slips
                // above; only an unknown spelling is read by its sound.
                if w + 1 < words.len() && given.is_none() {
                    collect_sounds(h, view, text, words, w, s);
                }
            }
        }
        s.keys = keys;
    }
}

/// A given name at word `w` of the view (standing for the roster `tokens`): looks up
/// the word after it and the word before it ("Alfie Tennant", "Tennant, Alfie") as a
/// surname of the same pupil, as written, then as a one-letter slip.
pub(super) fn collect_pairs(
    h: &HashedMatcher,
    view: &View,
    text: &str,
    words: &[(usize, usize)],
    w: usize,
    tokens: &[u64],
    s: &mut Scratch,
) {
    use crate::roster::{pair_bytes, PairKind, SLIP_MIN_WORD};
    let orig = |i: usize| {
        let (a, b) = view.original_range(words[i].0, words[i].1);
        &text[a..b]
    };
    // A word written with a capital, or starting with a digit for a letter ("4lfie").
    let cap = |t: &str| is_capitalised(t) || t.starts_with(|c: char| c.is_ascii_digit());
    let given_cap = cap(orig(w));
    // A nickname or another spelling counts only capitalised ("Will Smith", not
    // "will smith").
    let usable = |t: &&u64| given_cap || **t & ALTERNATE_BIT == 0;
    if !tokens.iter().any(|t| usable(&t)) {
        return;
    }
    let mut buf = std::mem::take(&mut s.buf);
    for j in [w + 1, w.wrapping_sub(1)] {
        if j >= words.len() {
            continue;
        }
        let other = &view.text[words[j].0..words[j].1];
        let (lo, hi) = (w.min(j), w.max(j));
        let mut hit = |word: &str, kind: PairKind, skip: Option<(usize, usize)>| {
            tokens.iter().filter(usable).any(|&t| {
                let bytes = pair_bytes(&mut buf, t & !ALTERNATE_BIT, kind, word, skip);
                h.has_pair(h.hasher.key_bytes(bytes))
            })
        };
        // The span, taking in the first half of a double given name
        // ("Muhammad-Uzair Upton").
        let (start, end) = view.original_range(words[lo].0, words[hi].1);
        let start = with_hyphenated_start(text, start);
        if hit(other, PairKind::Exact, None) {
            let e = Entry::new(h.rules.name, Kind::Person);
            push_entry(e, start, end, text, false, s);
            continue;
        }
        // A slip: both words capitalised, the surname long enough to tell apart.
        if !given_cap || other.chars().count() < SLIP_MIN_WORD || !cap(orig(j)) {
            continue;
        }
        // The word as written, then without each letter in turn; a possessive's
        // stem the same way ("Whitlok's").
        let mut slip_of = |word: &str| {
            hit(word, PairKind::Slip, None)
                || word
                    .char_indices()
                    .any(|(i, c)| hit(word, PairKind::Slip, Some((i, i + c.len_utf8()))))
        };
        let stem = other
            .strip_suffix('s')
            .filter(|st| st.chars().count() >= SLIP_MIN_WORD);
        if slip_of(other) || stem.is_some_and(&mut slip_of) {
            let e = Entry::new(h.rules.like, Kind::Person);
            push_entry(e, start, end, text, false, s);
        }
    }
    s.buf = buf;
}

/// Two capitalised words at `w` and `w + 1` that sound like a pupil's given name and
/// surname ([`crate::roster::phonetic`]): a looser reading, reported as close to a name.
pub(super) fn collect_sounds(
    h: &HashedMatcher,
    view: &View,
    text: &str,
    words: &[(usize, usize)],
    w: usize,
    s: &mut Scratch,
) {
    use crate::roster::{pair_bytes, phonetic, sound_bytes, sounds_specific, PairKind};
    let orig = |i: usize| {
        let (a, b) = view.original_range(words[i].0, words[i].1);
        &text[a..b]
    };
    let (g, f) = (words[w], words[w + 1]);
    // Both words capitalised, at least three letters, written apart by spaces only
    // ("#Yemen #Burma" is two tags): cheap tests first, the sound codes only then,
    // each word's code computed once.
    if g.1 - g.0 < 3 || f.1 - f.0 < 3 || !is_capitalised(orig(w)) || !is_capitalised(orig(w + 1)) {
        return;
    }
    let (gap_start, gap_end) = (
        view.original_range(g.0, g.1).1,
        view.original_range(f.0, f.1).0,
    );
    // (A view read right to left may have them the other way round: not a name here.)
    let gap = text.get(gap_start..gap_end).unwrap_or("");
    if gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\u{a0}') {
        return;
    }
    // A capitalised everyday word is not a given name however it sounds ("Was
    // Muhammad Ali a prophet?").
    let given = &view.text[g.0..g.1];
    if LEAD_INS.contains(&given) || SOUND_STOP_WORDS.contains(&given) {
        return;
    }
    let mut code = |i: usize, (a, b): (usize, usize)| {
        s.sounds[i]
            .get_or_insert_with(|| phonetic(&view.text[a..b]).unwrap_or_default())
            .clone()
    };
    let (gc, fc) = (code(w, g), code(w + 1, f));
    if gc.is_empty() || fc.is_empty() {
        return;
    }
    if !sounds_specific(&gc, &fc) {
        return;
    }
    let mut buf = std::mem::take(&mut s.buf);
    let found = h
        .given
        .get(&h.hasher.key_bytes(sound_bytes(&mut buf, &gc)))
        .is_some_and(|&(a, b)| {
            h.tokens[a as usize..b as usize].iter().any(|&t| {
                let bytes = pair_bytes(&mut buf, t & !ALTERNATE_BIT, PairKind::Sound, &fc, None);
                h.has_pair(h.hasher.key_bytes(bytes))
            })
        });
    s.buf = buf;
    if found {
        let (start, end) = view.original_range(g.0, f.1);
        let start = with_hyphenated_start(text, start);
        push_entry(
            Entry::new(h.rules.like, Kind::Person),
            start,
            end,
            text,
            false,
            s,
        );
    }
}
