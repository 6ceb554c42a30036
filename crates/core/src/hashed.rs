//! A roster kept as keyed hashes, so that a pack, a managed policy or the extension's
//! storage holds no pupil or staff name in plain text.
//!
//! Every normalised spelling the engine would match for a person (full name in both
//! orders, preferred names, possessives, "Tom S", the squashed hashtag form, first
//! names that may stand alone) is hashed with SipHash-1-3 keyed by a random 16-byte
//! salt of the pack (64-bit hashes). So is the first word of every spelling, so that a
//! scan hashes a run of words only when its first word can start a name. A scan
//! hashes every such run of one to `max_words` words of the draft's normalised view the
//! same way and looks it up, so the hashed roster finds exactly what the plain roster
//! finds, at the cost of one SipHash a word (tens of nanoseconds).
//!
//! What this protects: someone who reads the pack, the policy or a storage dump cannot
//! read the roster off it. What it does not: the salt is in the pack (the engine needs
//! it), so whoever holds the pack can test guesses, such as every name in a list of
//! common names, and confirm which are on the roster. It keeps the roster from being
//! read, not from being guessed (docs/admin.md, "What the hashed roster protects").
//! A slow hash would not change that: the engine must hash every word of every draft,
//! so any hash it can afford per keystroke, a guesser can afford per name.
//!
//! Packs made before [`SCHEME`] (HMAC-SHA256 keys, no `scheme` field) are refused with
//! an error that says how to rebuild them.
//!
//! This module is the format and the keyed hash only, and depends on no other part of
//! the engine but its error type, so the pack format can use it; hashing a roster is
//! [`crate::roster::hash_roster`] (and [`crate::Pack::hash_roster`]).

use std::collections::BTreeSet;

use std::hash::Hasher as _;

use base64::Engine as _;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use siphasher::sip::SipHasher13;

use crate::error::PackError;

/// The keyed hash of this engine's hashed rosters, as written in
/// [`HashedRoster::scheme`].
pub const SCHEME: &str = "siphash-1-3";

/// Bytes of each truncated hash.
pub const HASH_BYTES: usize = 8;

/// Bytes of the salt.
pub const SALT_BYTES: usize = 16;

/// A roster as keyed hashes (see the module documentation for what this protects).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HashedRoster {
    /// The keyed hash of every list below: `"siphash-1-3"` (the only one this engine
    /// reads). Absent in packs of an older Postsafe (HMAC-SHA256 keys), which are
    /// refused with an error saying how to rebuild them.
    #[serde(default)]
    pub scheme: String,
    /// The SipHash key: 16 random bytes, as 32 lowercase hex digits.
    pub salt: String,
    /// Words in the longest hashed spelling; a scan hashes runs of up to this many words.
    pub max_words: u8,
    /// How many pupils were hashed (a count, for the popup; no names).
    pub pupils: usize,
    /// How many staff were hashed.
    pub staff: usize,
    /// Hashes of pupils' full-name spellings: base64 of 8-byte hashes, sorted.
    pub pupil_names: String,
    /// Hashes of pupils' first names that may stand alone: base64 of 8-byte hashes, sorted.
    pub pupil_first_names: String,
    /// Hashes of staff name spellings: base64 of 8-byte hashes, sorted.
    pub staff_names: String,
    /// Hashes of pupils' first names that are also English words (matched only
    /// capitalised mid-sentence near school words): base64 of 8-byte hashes, sorted.
    #[serde(default)]
    pub pupil_word_names: String,
    /// The given-name map (see [`crate::roster`]): base64 of 16-byte records, each the
    /// hash of a way of writing a given name then the token of the roster's spelling
    /// (both 8 bytes, little-endian), sorted.
    #[serde(default)]
    pub given: String,
    /// Pair keys of a given-name token with a surname spelling or slip (see
    /// [`crate::roster`]): base64 of 8-byte hashes, sorted.
    #[serde(default)]
    pub name_pairs: String,
    /// Hashes of the first word of every spelling in `pupil_names`,
    /// `pupil_first_names`, `pupil_word_names` and `staff_names`: base64 of 8-byte
    /// hashes, sorted. A scan looks up a run of words only when its first word is here.
    #[serde(default)]
    pub starts: String,
}

/// A keyed hasher for one salt.
#[derive(Clone)]
pub(crate) struct Hasher {
    sip: SipHasher13,
}

impl Hasher {
    pub(crate) fn new(salt: &[u8; SALT_BYTES]) -> Hasher {
        Hasher {
            sip: SipHasher13::new_with_key(salt),
        }
    }

    /// The keyed hash of bytes (a spelling, or a pair key's bytes): SipHash-1-3 of
    /// exactly these bytes (no length suffix), 64 bits.
    pub(crate) fn hash_bytes(&self, bytes: &[u8]) -> u64 {
        let mut h = self.sip;
        h.write(bytes);
        h.finish()
    }
}

/// Refuses a hashed roster whose keys this engine cannot read.
///
/// # Errors
/// A roster without [`SCHEME`]: made by an older Postsafe with HMAC-SHA256 keys; the
/// reason says how to rebuild the pack.
pub(crate) fn check_scheme(source: &str, scheme: &str) -> Result<(), PackError> {
    if scheme == SCHEME {
        return Ok(());
    }
    let what = if scheme.is_empty() {
        "was made by an older Postsafe (HMAC-SHA256 keys)".to_string()
    } else {
        format!("uses the hash {scheme:?}")
    };
    Err(PackError::new(
        source,
        None,
        format!(
            "hashed_roster {what}, which this Postsafe cannot read (it reads {SCHEME:?}): \
             rebuild the pack from the roster files with `postsafe pack build --hash-roster ...`, \
             or hash its plain version again with `postsafe pack hash-roster PLAIN.json -o OUT.json`"
        ),
    )
    .with_kind(crate::error::PackErrorKind::OldHashedRoster))
}

/// Encodes sorted hashes as base64 of their 8-byte little-endian forms.
pub(crate) fn encode(hashes: &BTreeSet<u64>) -> String {
    let mut bytes = Vec::with_capacity(hashes.len() * HASH_BYTES);
    for h in hashes {
        bytes.extend_from_slice(&h.to_le_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes a base64 list of hashes.
pub(crate) fn decode(source: &str, field: &str, text: &str) -> Result<Vec<u64>, PackError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| {
            PackError::new(
                source,
                None,
                format!("hashed_roster.{field} is not base64: {e}"),
            )
        })?;
    if bytes.len() % HASH_BYTES != 0 {
        return Err(PackError::new(
            source,
            None,
            format!("hashed_roster.{field} holds {} bytes, not a whole number of {HASH_BYTES}-byte hashes", bytes.len()),
        ));
    }
    Ok(bytes
        .chunks_exact(HASH_BYTES)
        .map(|c| u64::from_le_bytes(c.try_into().expect("chunks are 8 bytes")))
        .collect())
}

/// Decodes the salt.
pub(crate) fn salt_bytes(source: &str, salt: &str) -> Result<[u8; SALT_BYTES], PackError> {
    let ok = salt.len() == SALT_BYTES * 2 && salt.bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(PackError::new(
            source,
            None,
            format!("hashed_roster.salt must be {} hex digits", SALT_BYTES * 2),
        ));
    }
    let mut out = [0u8; SALT_BYTES];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&salt[2 * i..2 * i + 2], 16).expect("checked hex");
    }
    Ok(out)
}

/// Encodes the given-name map: `(hash of a written form, token)` records, sorted, as
/// base64 of 16-byte records (both 8 bytes, little-endian).
pub(crate) fn encode_given(given: &BTreeSet<(u64, u64)>) -> String {
    let mut bytes = Vec::with_capacity(given.len() * 2 * HASH_BYTES);
    for (k, t) in given {
        bytes.extend_from_slice(&k.to_le_bytes());
        bytes.extend_from_slice(&t.to_le_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes the given-name map: `(hash of a written form, token)` records.
pub(crate) fn decode_given(source: &str, text: &str) -> Result<Vec<(u64, u64)>, PackError> {
    let flat = decode(source, "given", text)?;
    if flat.len() % 2 != 0 {
        return Err(PackError::new(
            source,
            None,
            "hashed_roster.given holds half a record: it must be pairs of 8-byte hashes",
        ));
    }
    Ok(flat.chunks_exact(2).map(|c| (c[0], c[1])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_salt_and_bad_base64_are_errors() {
        assert!(salt_bytes("t", "xyz").is_err());
        assert!(decode("t", "pupil_names", "!!!").is_err());
        assert!(decode("t", "pupil_names", "AAAA").is_err());
    }
}
