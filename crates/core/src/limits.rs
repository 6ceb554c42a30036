//! Limits on what the engine accepts, each enforced with a clear error.
//!
//! The matchers run in time linear in the draft (aho-corasick and the patterns' DFAs
//! both guarantee it), so these limits bound memory and build time, not scan time.

/// Largest pack document accepted, in bytes of JSON (64 MiB).
pub const MAX_PACK_BYTES: usize = 64 * 1024 * 1024;

/// Largest draft field checked, in bytes of UTF-8 (256 KiB). Text past it is not
/// checked, and the scan says so (see [`crate::ScanResult::truncated`]).
pub const MAX_FIELD_BYTES: usize = 256 * 1024;

/// Largest compiled size of one admin regex while it is built, in bytes: its NFA, and
/// each of its DFAs while determinised (see [`crate::dfa::compile`]).
pub const MAX_REGEX_BYTES: usize = 1024 * 1024;

/// Largest compiled form of one pattern, in bytes before base64 (its forward and
/// reverse DFAs with their header, [`crate::Pattern::compiled`]): 256 KiB. The
/// built-in pack's five patterns take 3.1 to 81.6 KB each; a pattern over the limit is
/// refused by `pack build` with an error naming it.
pub const MAX_COMPILED_PATTERN_BYTES: usize = 256 * 1024;

/// Limits on a pack's contents.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Pupils plus staff in one pack.
    pub max_roster_entries: usize,
    /// Terms in all term lists of one pack.
    pub max_terms: usize,
    /// Regex patterns in one pack. Each is compiled when the pack is built and checked
    /// (its DFAs are read again when the engine is built), and each runs over every
    /// draft field: 10,000 patterns took 26 s and 1.27 GiB to build before this limit.
    pub max_patterns: usize,
    /// Bytes of regex source (UTF-8) of all patterns of one pack together.
    pub max_pattern_bytes: usize,
    /// Characters in one school or trust name. Each is spelt every way it may be
    /// written (saints, denominations, designators dropped), so the engine build grows
    /// with its length: a 1,400-character name found by fuzzing took 4 s. The longest
    /// name in the DfE register is 96 characters.
    pub max_school_name_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_roster_entries: 200_000,
            max_terms: 100_000,
            max_patterns: 200,
            max_pattern_bytes: 32 * 1024,
            max_school_name_chars: 200,
        }
    }
}
