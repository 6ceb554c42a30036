//! A set of 64-bit roster keys, for a roster's name pairs: a plain 30,000-pupil roster
//! has some 280,000 of them, all put in while the engine is built. One array of keys,
//! open addressing with linear probing: a key is placed by the top bits of its product
//! with an odd constant (Fibonacci hashing), and looked for from there to the first
//! empty slot. Put in and looked up with a few plain instructions, where a general hash
//! set matches groups of control bytes: in WebAssembly, whose first build of a fresh
//! engine runs unoptimised code, that is most of the cost of a put.

/// A set of 64-bit keys (already hashes). Empty slots hold 0; the key 0 itself is kept
/// beside them. At most three quarters full: it doubles past that.
#[derive(Debug, Clone, Default)]
pub(in crate::engine) struct KeySet {
    slots: Vec<u64>,
    /// `64 - log2(slots.len())`: the shift that makes a product an index.
    shift: u32,
    len: usize,
    zero: bool,
}

/// Fibonacci hashing's multiplier: 2^64 divided by the golden ratio, made odd.
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

impl KeySet {
    /// An empty set with room for `n` keys before it grows.
    pub(in crate::engine) fn with_capacity(n: usize) -> KeySet {
        let mut s = KeySet::default();
        s.reserve(n);
        s
    }

    /// Makes room for `n` keys in all before the set grows.
    pub(in crate::engine) fn reserve(&mut self, n: usize) {
        let want = (n.max(1) * 4).div_ceil(3).next_power_of_two().max(16);
        if want > self.slots.len() {
            self.resize(want);
        }
    }

    fn resize(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.shift = 64 - size.trailing_zeros();
        for k in old.into_iter().filter(|&k| k != 0) {
            self.place(k);
        }
    }

    #[inline]
    fn start(&self, k: u64) -> usize {
        (k.wrapping_mul(SPREAD) >> self.shift) as usize
    }

    /// Puts a non-zero key in its slot (the table has room); false if it was there.
    #[inline]
    fn place(&mut self, k: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = self.start(k);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = k;
                    return true;
                }
                x if x == k => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `k`; false if the set held it already.
    pub(in crate::engine) fn insert(&mut self, k: u64) -> bool {
        if k == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.resize((self.slots.len() * 2).max(16));
        }
        let new = self.place(k);
        self.len += new as usize;
        new
    }

    /// Whether the set holds `k`.
    #[inline]
    pub(in crate::engine) fn contains(&self, k: &u64) -> bool {
        let k = *k;
        if k == 0 {
            return self.zero;
        }
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(k);
        loop {
            match self.slots[i] {
                0 => return false,
                x if x == k => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// A set of `keys` (which may repeat), put in region of the table by region: the
    /// keys are first partitioned in place by the slot they start from (one pass of an
    /// American flag sort on the top byte), so that each put lands near the last one
    /// rather than anywhere in a table several times the size of a core's cache. Of a
    /// plain 30,000-pupil build in WebAssembly, the puts one by one were a fifth, most of
    /// it waiting on memory.
    pub(in crate::engine) fn from_keys(mut keys: Vec<u64>) -> KeySet {
        let mut s = KeySet::with_capacity(keys.len());
        let top = |k: u64| (k.wrapping_mul(SPREAD) >> 56) as usize;
        let mut ends = [0usize; 256];
        for &k in &keys {
            ends[top(k)] += 1;
        }
        let mut next = [0usize; 256];
        let mut at = 0;
        for b in 0..256 {
            next[b] = at;
            at += ends[b];
            ends[b] = at;
        }
        for b in 0..256 {
            while next[b] < ends[b] {
                let t = top(keys[next[b]]);
                if t != b {
                    keys.swap(next[b], next[t]);
                }
                next[t] += 1;
            }
        }
        for k in keys {
            s.insert(k);
        }
        s
    }

    /// Number of keys held.
    pub(in crate::engine) fn len(&self) -> usize {
        self.len + self.zero as usize
    }

    /// The keys held but 0, in the order that puts them back where they are
    /// ([`KeySet::from_ordered`]): for a roster image, with [`KeySet::table_size`] and
    /// whether it holds 0 ([`KeySet::raw_len`] of them).
    pub(in crate::engine) fn ordered(&self) -> impl Iterator<Item = u64> + '_ {
        cluster_order(self.slots.len(), |i| self.slots[i] != 0).map(|i| self.slots[i])
    }

    /// The number of slots of the table.
    pub(in crate::engine) fn table_size(&self) -> usize {
        self.slots.len()
    }

    /// The keys held but 0, and whether 0 is held.
    pub(in crate::engine) fn raw_len(&self) -> (usize, bool) {
        (self.len, self.zero)
    }

    /// The set of `keys` from [`KeySet::ordered`] in a table of `size` slots, each
    /// where it was; `None` unless `size` is a power of two with room to spare and the
    /// keys are distinct and not 0. Keys in another order are still found.
    /// `n` keys come from `keys` (`None`: the image ended).
    pub(in crate::engine) fn from_ordered(
        n: usize,
        mut keys: impl FnMut() -> Option<u64>,
        size: usize,
        zero: bool,
    ) -> Option<KeySet> {
        if size == 0 && n == 0 {
            return Some(KeySet {
                zero,
                ..KeySet::default()
            });
        }
        if !fits(n, size) {
            return None;
        }
        let mut s = KeySet {
            slots: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            len: 0,
            zero,
        };
        for _ in 0..n {
            let k = keys()?;
            if k == 0 || !s.place(k) {
                return None;
            }
            s.len += 1;
        }
        Some(s)
    }

    /// The keys held, in no order.
    pub(in crate::engine) fn iter(&self) -> impl Iterator<Item = &u64> + '_ {
        let zero = self.zero.then_some(&0);
        self.slots.iter().filter(|&&k| k != 0).chain(zero)
    }
}

/// Whether `n` keys fit a table of `size` slots as the tables here are made: a power of
/// two, at least 16, at most three quarters full.
fn fits(n: usize, size: usize) -> bool {
    size.is_power_of_two() && size >= 16 && n * 4 <= size * 3
}

/// The indexes of a table's `size` slots for which `full` holds, in the order that puts
/// each key back in its slot when they are put in again one by one: from just after an
/// empty slot round to it, so that every run of full slots comes in order (a key is
/// never put in before a key in the slots between its start and its slot).
fn cluster_order(
    size: usize,
    full: impl Fn(usize) -> bool + Clone,
) -> impl Iterator<Item = usize> + Clone {
    let start = (0..size).find(|&i| !full(i)).map_or(0, |e| e + 1);
    (0..size)
        .map(move |j| (start + j) % size.max(1))
        .filter(move |&i| full(i))
}

/// A map of 64-bit keys (already hashes) to `u32` values, laid out as [`KeySet`]: a
/// roster's spellings to their first entry.
#[derive(Debug, Clone, Default)]
pub(in crate::engine) struct KeyMap {
    slots: Vec<(u64, u32)>,
    shift: u32,
    len: usize,
    zero: Option<u32>,
}

impl KeyMap {
    /// An empty map with room for `n` keys before it grows.
    pub(in crate::engine) fn with_capacity(n: usize) -> KeyMap {
        let mut m = KeyMap::default();
        m.grow_to((n.max(1) * 4).div_ceil(3).next_power_of_two().max(16));
        m
    }

    fn grow_to(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.shift = 64 - size.trailing_zeros();
        for (k, v) in old.into_iter().filter(|&(k, _)| k != 0) {
            let i = self.find(k);
            self.slots[i] = (k, v);
        }
    }

    /// The slot of `k` (non-zero), or the empty slot where it would go.
    #[inline]
    fn find(&self, k: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (k.wrapping_mul(SPREAD) >> self.shift) as usize;
        while self.slots[i].0 != 0 && self.slots[i].0 != k {
            i = (i + 1) & mask;
        }
        i
    }

    /// Number of keys held.
    pub(in crate::engine) fn len(&self) -> usize {
        self.len + self.zero.is_some() as usize
    }

    /// The keys held, in no order.
    pub(in crate::engine) fn keys(&self) -> impl Iterator<Item = &u64> + '_ {
        let zero = self.zero.map(|_| &0);
        self.slots
            .iter()
            .map(|(k, _)| k)
            .filter(|&&k| k != 0)
            .chain(zero)
    }

    /// The keys held but 0 with their values, in the order that puts them back where
    /// they are ([`KeyMap::from_ordered`]): for a roster image, with
    /// [`KeyMap::table_size`] and the value of 0 ([`KeyMap::raw_len`]).
    pub(in crate::engine) fn ordered(&self) -> impl Iterator<Item = (u64, u32)> + Clone + '_ {
        cluster_order(self.slots.len(), |i| self.slots[i].0 != 0).map(|i| self.slots[i])
    }

    /// The number of slots of the table.
    pub(in crate::engine) fn table_size(&self) -> usize {
        self.slots.len()
    }

    /// The keys held but 0, and the value of 0.
    pub(in crate::engine) fn raw_len(&self) -> (usize, Option<u32>) {
        (self.len, self.zero)
    }

    /// The map of `n` keys and values from `entries` ([`KeyMap::ordered`]; `None`: the
    /// image ended), as [`KeySet::from_ordered`].
    pub(in crate::engine) fn from_ordered(
        n: usize,
        mut entries: impl FnMut() -> Option<(u64, u32)>,
        size: usize,
        zero: Option<u32>,
    ) -> Option<KeyMap> {
        if size == 0 && n == 0 {
            return Some(KeyMap {
                zero,
                ..KeyMap::default()
            });
        }
        if !fits(n, size) {
            return None;
        }
        let mut m = KeyMap {
            slots: vec![(0, 0); size],
            shift: 64 - size.trailing_zeros(),
            len: 0,
            zero,
        };
        for _ in 0..n {
            let (k, v) = entries()?;
            if k == 0 {
                return None;
            }
            let i = m.find(k);
            if m.slots[i].0 != 0 {
                return None;
            }
            m.slots[i] = (k, v);
            m.len += 1;
        }
        Some(m)
    }

    /// Whether every value held is below `n` (each an index into a list of `n`).
    pub(in crate::engine) fn values_below(&self, n: usize) -> bool {
        let ok = |v: u32| (v as usize) < n;
        self.zero.is_none_or(ok) && self.slots.iter().all(|&(k, v)| k == 0 || ok(v))
    }

    /// The value of `k`, if the map holds it.
    #[inline]
    pub(in crate::engine) fn get(&self, k: &u64) -> Option<&u32> {
        if *k == 0 {
            return self.zero.as_ref();
        }
        if self.slots.is_empty() {
            return None;
        }
        let slot = &self.slots[self.find(*k)];
        (slot.0 != 0).then_some(&slot.1)
    }

    /// The value of `k`, put in as `v` if the map did not hold it (then true beside it).
    pub(in crate::engine) fn entry(&mut self, k: u64, v: u32) -> (&mut u32, bool) {
        if k == 0 {
            let new = self.zero.is_none();
            return (self.zero.get_or_insert(v), new);
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow_to((self.slots.len() * 2).max(16));
        }
        let i = self.find(k);
        let new = self.slots[i].0 == 0;
        if new {
            self.slots[i] = (k, v);
            self.len += 1;
        }
        (&mut self.slots[i].1, new)
    }

    /// The order in which to put `keys` in a map of `n` keys so that each put lands near
    /// the last (as [`KeySet::from_keys`]): their indexes sorted, stably, by the top
    /// byte of the slot each key starts from.
    pub(in crate::engine) fn put_order(keys: impl Iterator<Item = u64> + Clone) -> Vec<u32> {
        let top = |k: u64| (k.wrapping_mul(SPREAD) >> 56) as usize;
        let mut next = [0u32; 256];
        let mut n = 0;
        for k in keys.clone() {
            next[top(k)] += 1;
            n += 1;
        }
        let mut at = 0;
        for c in next.iter_mut() {
            (*c, at) = (at, at + *c);
        }
        let mut order = vec![0u32; n];
        for (i, k) in keys.enumerate() {
            let b = &mut next[top(k)];
            order[*b as usize] = i as u32;
            *b += 1;
        }
        order
    }
}

impl FromIterator<u64> for KeySet {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> KeySet {
        let iter = iter.into_iter();
        let mut s = KeySet::with_capacity(iter.size_hint().0);
        for k in iter {
            s.insert(k);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_put_in_and_nothing_else() {
        let keys: Vec<u64> = (0..5000u64)
            .map(|i| i.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ (i << 7))
            .collect();
        let mut s = KeySet::with_capacity(10);
        for &k in &keys {
            assert!(s.insert(k));
        }
        assert!(!s.insert(keys[17]), "a key put in twice is held once");
        assert_eq!(s.len(), keys.len());
        for &k in &keys {
            assert!(s.contains(&k));
        }
        for k in (1..5000u64).map(|i| i.wrapping_mul(0x9e37_79b9) + 3) {
            assert_eq!(s.contains(&k), keys.contains(&k), "{k}");
        }
        assert!(!KeySet::default().contains(&42));
    }

    #[test]
    fn a_set_made_at_once_is_the_set_made_key_by_key() {
        let mut keys: Vec<u64> = (0..20_000u64)
            .map(|i| {
                (i % 7000 + 1)
                    .wrapping_mul(0x2545_f491_4f6c_dd1d)
                    .rotate_left(17)
            })
            .collect();
        keys.push(0);
        let at_once = KeySet::from_keys(keys.clone());
        let one_by_one: KeySet = keys.iter().copied().collect();
        assert_eq!(at_once.len(), 7001);
        assert_eq!(at_once.len(), one_by_one.len());
        for k in keys.iter().chain(&[1, 2, 3]) {
            assert_eq!(at_once.contains(k), one_by_one.contains(k), "{k}");
        }
    }

    #[test]
    fn a_map_gives_back_each_key_s_first_value() {
        let keys: Vec<u64> = (0..3000u64).map(|i| (i % 1000) * 0x9e37_79b9 + 1).collect();
        let mut m = KeyMap::with_capacity(4);
        for (i, &k) in keys.iter().enumerate() {
            let (v, new) = m.entry(k, i as u32);
            assert_eq!(new, i < 1000);
            assert_eq!(*v as usize, i % 1000);
        }
        for (i, k) in keys.iter().enumerate().take(1000) {
            assert_eq!(m.get(k), Some(&(i as u32)));
        }
        assert_eq!(m.get(&2), None);
        assert_eq!(m.get(&0), None);
        *m.entry(0, 7).0 += 1;
        assert_eq!(m.get(&0), Some(&8));
        let order = KeyMap::put_order(keys.iter().copied());
        let mut seen = order.clone();
        seen.sort_unstable();
        assert!(seen.iter().enumerate().all(|(i, &j)| i as u32 == j));
        for w in order.windows(2) {
            if keys[w[0] as usize] == keys[w[1] as usize] {
                assert!(w[0] < w[1], "the same key's puts keep their order");
            }
        }
    }

    #[test]
    fn zero_is_a_key_like_any_other() {
        let mut s: KeySet = [5u64, 9].into_iter().collect();
        assert!(!s.contains(&0));
        assert!(s.insert(0));
        assert!(!s.insert(0));
        assert!(s.contains(&0) && s.contains(&5) && s.contains(&9));
        assert_eq!(s.len(), 3);
        let mut all: Vec<u64> = s.iter().copied().collect();
        all.sort_unstable();
        assert_eq!(all, [0, 5, 9]);
        let mut m = KeyMap::with_capacity(2);
        m.entry(0, 1);
        m.entry(4, 2);
        let mut keys: Vec<u64> = m.keys().copied().collect();
        keys.sort_unstable();
        assert_eq!((keys, m.len()), (vec![0, 4], 2));
    }
}
