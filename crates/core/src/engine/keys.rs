//! Sorted 64-bit keys for the roster index: a set ([`KeySet`]) and a map to ranges
//! ([`KeyMap`]), each one array plus a bucket table, built without hashing.

/// A set of 64-bit keys as one sorted array with a table of where each bucket of
/// the keys' top bits starts, so a lookup is a bucket and a search among a few keys.
/// Built by sorting (linear when, as in a hashed pack, the keys come sorted), with no
/// hashing and one allocation: a hash set of the 30,000-pupil roster's 260,000 pair
/// keys took most of the engine build.
pub(super) struct KeySet {
    keys: Vec<u64>,
    /// `bucket[b]..bucket[b + 1]` is where keys with top bits `b` are in `keys`.
    bucket: Vec<u32>,
    shift: u32,
}

impl KeySet {
    /// Sorts and deduplicates `keys`.
    pub(super) fn new(mut keys: Vec<u64>) -> KeySet {
        keys.sort_unstable();
        keys.dedup();
        KeySet::from_sorted(keys)
    }

    /// `keys` sorted and without repeats.
    pub(super) fn from_sorted(keys: Vec<u64>) -> KeySet {
        // About four keys a bucket, at most 2^20 buckets.
        let bits = (usize::BITS - (keys.len() / 4).leading_zeros()).min(20);
        let shift = 64 - bits;
        let top = |k: u64| if bits == 0 { 0 } else { (k >> shift) as usize };
        let mut bucket = vec![0u32; (1 << bits) + 1];
        for &k in &keys {
            bucket[top(k) + 1] += 1;
        }
        for b in 1..bucket.len() {
            bucket[b] += bucket[b - 1];
        }
        KeySet {
            keys,
            bucket,
            shift,
        }
    }

    /// Where `k` is among the sorted keys.
    fn position(&self, k: u64) -> Option<usize> {
        let b = if self.shift == 64 {
            0
        } else {
            (k >> self.shift) as usize
        };
        let (lo, hi) = (self.bucket[b] as usize, self.bucket[b + 1] as usize);
        self.keys[lo..hi].binary_search(&k).ok().map(|i| lo + i)
    }

    /// Whether `k` is in the set.
    pub(super) fn contains(&self, k: &u64) -> bool {
        self.position(*k).is_some()
    }
}

/// Keys to ranges (`start..end` in a list of values sorted by key), as a [`KeySet`].
pub(super) struct KeyMap {
    keys: KeySet,
    ranges: Vec<(u32, u32)>,
}

impl KeyMap {
    /// From `(key, value)` pairs sorted by key: each distinct key → the range of its
    /// pairs.
    pub(super) fn from_sorted<V>(pairs: &[(u64, V)]) -> KeyMap {
        let (mut keys, mut ranges) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < pairs.len() {
            let k = pairs[i].0;
            let j = i + pairs[i..].iter().take_while(|(x, _)| *x == k).count();
            keys.push(k);
            ranges.push((i as u32, j as u32));
            i = j;
        }
        KeyMap {
            keys: KeySet::from_sorted(keys),
            ranges,
        }
    }

    /// The range of `k`'s values.
    pub(super) fn get(&self, k: &u64) -> Option<&(u32, u32)> {
        self.keys.position(*k).map(|i| &self.ranges[i])
    }

    /// Whether `k` has values.
    pub(super) fn contains_key(&self, k: &u64) -> bool {
        self.keys.position(*k).is_some()
    }
}
