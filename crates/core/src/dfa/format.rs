//! The byte layout of a pattern's compiled form (shared with `build.rs`, which compiles
//! the built-in pack's patterns, so it refers to nothing outside this file).
//!
//! A compiled form is, in order:
//! - [`MAGIC`] (4 bytes);
//! - the XXH3-64 hash of the source it was made from, little-endian (8 bytes): see
//!   [`source_hash`];
//! - the length in bytes of the forward DFA, little-endian `u32` (4 bytes);
//! - the forward DFA, then the reverse DFA: `regex-automata` dense DFAs serialised
//!   little-endian (`dense::DFA::to_bytes_little_endian`, padding dropped).

/// The first four bytes of every compiled form: "Postsafe Pattern DFA", layout 1.
pub const MAGIC: &[u8; 4] = b"PPD1";

/// Bytes before the forward DFA.
pub const HEADER_BYTES: usize = 16;

/// Hash of what a compiled form is made from: the regex source and whether it matches
/// case exactly. A compiled form whose hash differs was made from another regex (the
/// pack was edited by hand after it was built).
pub fn source_hash(regex: &str, case_sensitive: bool) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&[u8::from(case_sensitive)]);
    h.update(regex.as_bytes());
    h.digest()
}

/// Joins the header and the two serialised DFAs into one compiled form.
#[allow(dead_code)] // the engine without `patterns-compile` only splits
pub fn join(hash: u64, forward: &[u8], reverse: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_BYTES + forward.len() + reverse.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&hash.to_le_bytes());
    out.extend_from_slice(&(forward.len() as u32).to_le_bytes());
    out.extend_from_slice(forward);
    out.extend_from_slice(reverse);
    out
}

/// Splits a compiled form into its source hash, forward DFA and reverse DFA bytes.
/// None when the header is not this layout's or the lengths do not add up.
#[allow(dead_code)] // build.rs only joins
pub fn split(bytes: &[u8]) -> Option<(u64, &[u8], &[u8])> {
    if bytes.len() < HEADER_BYTES || &bytes[..4] != MAGIC {
        return None;
    }
    let hash = u64::from_le_bytes(bytes[4..12].try_into().ok()?);
    let n = u32::from_le_bytes(bytes[12..16].try_into().ok()?) as usize;
    let rest = &bytes[HEADER_BYTES..];
    if n > rest.len() {
        return None;
    }
    Some((hash, &rest[..n], &rest[n..]))
}
