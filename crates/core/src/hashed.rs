//! A roster kept as keyed hashes, so that a pack, a managed policy or the extension's
//! storage holds no pupil or staff name in plain text.
//!
//! Every normalised spelling the engine would match for a person (full name in both
//! orders, preferred names, possessives, "Tom S", the squashed hashtag form, first
//! names that may stand alone) is hashed with HMAC-SHA256 under a random 16-byte salt
//! of the pack, and the first 8 bytes are kept. A scan hashes every run of one to
//! `max_words` words of the draft's normalised view the same way and looks it up, so
//! the hashed roster finds exactly what the plain roster finds.
//!
//! What this protects: someone who reads the pack, the policy or a storage dump cannot
//! read the roster off it. What it does not: the salt is in the pack (the engine needs
//! it), so whoever holds the pack can test guesses, such as every name in a list of
//! common names, and confirm which are on the roster. It keeps the roster from being
//! read, not from being guessed.

use std::collections::BTreeSet;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::PackError;
use crate::pack::{Pupil, StaffMember};

type HmacSha256 = Hmac<Sha256>;

/// Bytes of each truncated hash.
pub const HASH_BYTES: usize = 8;

/// Bytes of the salt.
pub const SALT_BYTES: usize = 16;

/// A roster as keyed hashes (see the module documentation for what this protects).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HashedRoster {
    /// The HMAC-SHA256 key: 16 random bytes, as 32 lowercase hex digits.
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
}

/// A keyed hasher for one salt.
#[derive(Clone)]
pub(crate) struct Hasher {
    mac: HmacSha256,
}

impl Hasher {
    pub(crate) fn new(salt: &[u8]) -> Hasher {
        Hasher {
            mac: HmacSha256::new_from_slice(salt).expect("HMAC takes any key length"),
        }
    }

    /// The truncated keyed hash of bytes (a spelling, or a pair key's bytes).
    pub(crate) fn hash_bytes(&self, bytes: &[u8]) -> u64 {
        let mut m = self.mac.clone();
        m.update(bytes);
        let out = m.finalize().into_bytes();
        u64::from_le_bytes(
            out[..HASH_BYTES]
                .try_into()
                .expect("SHA-256 gives 32 bytes"),
        )
    }
}

fn encode(hashes: &BTreeSet<u64>) -> String {
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
pub(crate) fn salt_bytes(source: &str, salt: &str) -> Result<Vec<u8>, PackError> {
    let ok = salt.len() == SALT_BYTES * 2 && salt.bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(PackError::new(
            source,
            None,
            format!("hashed_roster.salt must be {} hex digits", SALT_BYTES * 2),
        ));
    }
    Ok((0..SALT_BYTES)
        .map(|i| u8::from_str_radix(&salt[2 * i..2 * i + 2], 16).expect("checked hex"))
        .collect())
}

/// Hashes a roster under `salt` (16 random bytes: take them from the operating
/// system's random source, never a fixed value). Every key the plain roster would use
/// (see [`crate::roster`]) is made with HMAC-SHA256 instead, so the hashed roster finds
/// exactly what the plain one finds.
pub fn hash_roster(
    pupils: &[Pupil],
    staff: &[StaffMember],
    salt: [u8; SALT_BYTES],
) -> HashedRoster {
    use crate::roster::Keyed;
    let hasher = Hasher::new(&salt);
    let mut max_words = 1usize;
    let (mut names, mut firsts, mut words, mut staff_h, mut pairs) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    let mut given: BTreeSet<(u64, u64)> = BTreeSet::new();
    let mut key = |b: &[u8]| hasher.hash_bytes(b);
    crate::roster::for_each_key(pupils, staff, &mut key, |k| match k {
        Keyed::PupilName { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            names.insert(key);
        }
        Keyed::PupilFirst { key, .. } => {
            firsts.insert(key);
        }
        Keyed::PupilWordName { key, .. } => {
            words.insert(key);
        }
        Keyed::Staff { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            staff_h.insert(key);
        }
        Keyed::Given { key, value } => {
            given.insert((key, value));
        }
        Keyed::Pair { key } => {
            pairs.insert(key);
        }
    });
    let mut given_bytes = Vec::with_capacity(given.len() * 2 * HASH_BYTES);
    for (k, t) in &given {
        given_bytes.extend_from_slice(&k.to_le_bytes());
        given_bytes.extend_from_slice(&t.to_le_bytes());
    }
    HashedRoster {
        salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
        max_words: max_words.min(u8::MAX as usize) as u8,
        pupils: pupils.len(),
        staff: staff.len(),
        pupil_names: encode(&names),
        pupil_first_names: encode(&firsts),
        staff_names: encode(&staff_h),
        pupil_word_names: encode(&words),
        given: base64::engine::general_purpose::STANDARD.encode(given_bytes),
        name_pairs: encode(&pairs),
    }
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
            decode("t", "pupil_names", &a.pupil_names).unwrap().len(),
            crate::variants::pupil_names(&pupils[0]).len()
        );
    }

    #[test]
    fn bad_salt_and_bad_base64_are_errors() {
        assert!(salt_bytes("t", "xyz").is_err());
        assert!(decode("t", "pupil_names", "!!!").is_err());
        assert!(decode("t", "pupil_names", "AAAA").is_err());
    }
}
