//! A set of roster keys as a bit array: a quick "certainly not a name" for most words
//! of a draft (and most pairs of words) before any hash-table lookup. The tables of a 30,000-pupil roster are
//! megabytes, so a long draft's lookups miss the processor's caches; the bit array is
//! tens of kilobytes and stays in them.

/// A set of 64-bit keys (roster keys: already uniform hashes) that may answer "maybe"
/// for a key it does not hold, never "no" for one it holds. With `b` bits a key, about
/// `1 - e^(-1/b)` of other keys pass: 6% at 16 bits, 12% at 8.
#[derive(Debug, Clone)]
pub(super) struct KeyFilter {
    bits: Vec<u64>,
    /// 64 less the number of bits of a slot.
    shift: u32,
}

impl KeyFilter {
    /// A filter holding `keys`; `len` is about how many there are, and the array has
    /// about `bits_per_key` bits for each (a power of two in all).
    pub(super) fn new(
        keys: impl IntoIterator<Item = u64>,
        len: usize,
        bits_per_key: usize,
    ) -> KeyFilter {
        // At least one word of bits, however few keys.
        let slots = (len * bits_per_key).next_power_of_two().max(64);
        let mut f = KeyFilter {
            bits: vec![0; slots / 64],
            shift: 64 - slots.trailing_zeros(),
        };
        for k in keys {
            let s = f.slot(k);
            f.bits[s / 64] |= 1 << (s % 64);
        }
        f
    }

    fn slot(&self, key: u64) -> usize {
        // Fibonacci hashing: the top bits of the key times 2^64 / φ.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The array of bits, 64 a word (for a roster image, `super::image`).
    pub(super) fn words(&self) -> &[u64] {
        &self.bits
    }

    /// The filter whose array of bits is `bits` (from [`KeyFilter::words`]); `None`
    /// unless it is a power of two of words, as every filter's is.
    pub(super) fn from_words(bits: Vec<u64>) -> Option<KeyFilter> {
        if !bits.len().is_power_of_two() {
            return None;
        }
        let slots = bits.len() * 64;
        Some(KeyFilter {
            bits,
            shift: 64 - slots.trailing_zeros(),
        })
    }

    /// Whether `key` may be in the set (`false`: it certainly is not).
    #[inline]
    pub(super) fn may_contain(&self, key: u64) -> bool {
        let s = self.slot(key);
        self.bits[s / 64] & (1 << (s % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_key_and_few_others() {
        let key = |i: u64| xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes());
        let f = KeyFilter::new((0..10_000).map(key), 10_000, 16);
        assert!((0..10_000).all(|i| f.may_contain(key(i))));
        let passed = (10_000..110_000).filter(|&i| f.may_contain(key(i))).count();
        assert!(passed < 10_000, "{passed} of 100,000 other keys passed");
        let empty = KeyFilter::new([], 0, 16);
        assert!(!empty.may_contain(key(1)));
        // One key at 8 bits a key is still a whole word of bits (a pack of one pupil).
        let one = KeyFilter::new([key(7)], 1, 8);
        assert!(one.may_contain(key(7)));
    }
}
