//! A pattern's compiled form: the forward and reverse DFAs of its regex, made when the
//! pack is built (`postsafe pack build`, the admin page) and only read and run by the
//! engine, so that the service worker's WebAssembly engine carries no regex compiler
//! (README, "WebAssembly size").
//!
//! [`Matcher::decode`] reads one (any build); [`compile`] makes one (feature
//! `patterns-compile`, part of `build` and of the default features).

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input, Match, MatchError};

#[cfg(feature = "patterns-compile")]
#[path = "compile.rs"]
mod compile_impl;
#[path = "format.rs"]
mod format;

/// A pattern's regex, ready to search: leftmost-first matches on a draft's UTF-8 bytes,
/// the forward DFA finding where each match ends and the reverse DFA where it starts.
///
/// The search is `regex-automata`'s `dfa::regex::Regex::find_iter`, written out so that
/// DFAs that do not belong together (a pack edited by hand) end the search instead of
/// panicking: a forward match whose start the reverse DFA cannot find stops it.
#[derive(Debug, Clone)]
pub struct Matcher {
    fwd: dense::DFA<Vec<u32>>,
    rev: dense::DFA<Vec<u32>>,
    /// Sets of bytes (256-bit, as four words) of which every match holds at least one
    /// byte each: a text without a byte of one of them holds no match (see
    /// [`Matcher::may_match`]). Worked out from the forward DFA when first asked (the
    /// engine asks when it is built; a pack only being checked never does).
    required: std::sync::OnceLock<Vec<ByteSet>>,
}

/// A set of bytes: bit `b % 64` of word `b / 64` for byte `b`.
pub type ByteSet = [u64; 4];

/// The bytes of `text`, as a [`ByteSet`] (one pass), for [`Matcher::may_match`].
pub fn byte_set(text: &[u8]) -> ByteSet {
    let mut set = [0u64; 4];
    for &b in text {
        set[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    set
}

impl Matcher {
    /// Reads a compiled form (the bytes, not base64) made from `regex` with
    /// `case_sensitive`.
    ///
    /// # Errors
    /// A sentence saying what is wrong: not a compiled form, made from another regex,
    /// or DFAs this engine cannot read (another `regex-automata` serialisation
    /// version, or damaged bytes).
    pub fn decode(bytes: &[u8], regex: &str, case_sensitive: bool) -> Result<Matcher, String> {
        let (hash, fwd, rev) =
            format::split(bytes).ok_or("it is not a compiled form this engine reads")?;
        if hash != format::source_hash(regex, case_sensitive) {
            return Err(
                "it was compiled from another regex (the pack was edited after it was built)"
                    .into(),
            );
        }
        let fwd = read_dense(fwd).map_err(|e| format!("its forward DFA cannot be read: {e}"))?;
        let rev = read_dense(rev).map_err(|e| format!("its reverse DFA cannot be read: {e}"))?;
        if fwd.pattern_len() != 1 || rev.pattern_len() != 1 {
            return Err("its DFAs are not those of one regex".into());
        }
        Ok(Matcher {
            fwd,
            rev,
            required: std::sync::OnceLock::new(),
        })
    }

    /// The sets of bytes every match needs one byte of (see [`Matcher::may_match`]),
    /// worked out on the first call.
    fn required(&self) -> &[ByteSet] {
        self.required.get_or_init(|| required_sets(&self.fwd))
    }

    /// Whether a text whose bytes are `present` ([`byte_set`]) may hold a match:
    /// `false` when it lacks every byte of a set that each match needs one of (an email
    /// address needs an `@`, a phone number digits), so the search can be skipped.
    pub fn may_match(&self, present: &ByteSet) -> bool {
        self.required()
            .iter()
            .all(|set| set.iter().zip(present).any(|(a, b)| a & b != 0))
    }

    /// Whether [`Matcher::may_match`] can ever answer `false` (the regex needs some
    /// byte in every match).
    pub fn has_requirements(&self) -> bool {
        !self.required().is_empty()
    }

    /// Compiles `regex` (see [`compile`]) and reads it back.
    ///
    /// # Errors
    /// As [`compile`].
    #[cfg(feature = "patterns-compile")]
    pub fn compile(regex: &str, case_sensitive: bool) -> Result<Matcher, String> {
        let bytes = compile(regex, case_sensitive)?;
        Matcher::decode(&bytes, regex, case_sensitive)
    }

    /// Leftmost-first matches in `haystack`, as byte ranges, left to right, not
    /// overlapping (empty matches included), as the `regex` crate's
    /// `bytes::Regex::find_iter` gives them for the same pattern and options.
    pub fn find_iter<'a>(
        &'a self,
        haystack: &'a [u8],
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
        let mut it = Searcher::new(Input::new(haystack));
        std::iter::from_fn(move || {
            it.try_advance(|input| self.try_search(input))
                .ok()
                .flatten()
                .map(|m| m.range())
        })
    }

    /// The leftmost-first match in `input`'s span: its end by the forward DFA, then its
    /// start by the reverse DFA, anchored at that end (as `dfa::regex::Regex::try_search`).
    fn try_search(&self, input: &Input<'_>) -> Result<Option<Match>, MatchError> {
        let end = match self.fwd.try_search_fwd(input)? {
            None => return Ok(None),
            Some(end) => end,
        };
        if input.start() == end.offset() {
            return Ok(Some(Match::new(end.pattern(), end.offset()..end.offset())));
        }
        if self.fwd.is_always_start_anchored() {
            return Ok(Some(Match::new(end.pattern(), input.start()..end.offset())));
        }
        let back = input
            .clone()
            .span(input.start()..end.offset())
            .anchored(Anchored::Yes)
            .earliest(false);
        match self.rev.try_search_rev(&back)? {
            Some(start) => Ok(Some(Match::new(
                end.pattern(),
                start.offset()..end.offset(),
            ))),
            None => Err(MatchError::gave_up(end.offset())),
        }
    }
}

/// The sets of bytes every match of `dfa` (a forward, unanchored DFA) holds a byte of:
/// each byte class of the DFA alone, all classes with a digit together and all classes
/// with an ASCII letter together, kept when no match state can be reached from any
/// start state without a transition on one of the set's bytes (the end of the text
/// still allowed, so a byte only ever read after a match is never required). A DFA too
/// large to walk cheaply gets none (always searched).
fn required_sets(dfa: &dense::DFA<Vec<u32>>) -> Vec<ByteSet> {
    use regex_automata::util::{primitives::StateID, start};
    /// Stop walking a DFA after this many states (each candidate set walks it once).
    const MAX_STATES: usize = 2_000;
    let classes = dfa.byte_classes();
    let n = classes.alphabet_len() - 1; // without the end-of-text class
    let mut members = vec![[0u64; 4]; n];
    let mut reps: Vec<Option<u8>> = vec![None; n];
    for b in 0..=255u8 {
        let c = usize::from(classes.get(b));
        members[c][usize::from(b >> 6)] |= 1 << (b & 63);
        reps[c].get_or_insert(b);
    }
    let reps: Vec<u8> = reps.into_iter().flatten().collect();
    let mut roots: Vec<StateID> = Vec::new();
    for behind in std::iter::once(None).chain(reps.iter().map(|&b| Some(b))) {
        let config = start::Config::new()
            .anchored(Anchored::No)
            .look_behind(behind);
        if let Ok(s) = dfa.start_state(&config) {
            if !roots.contains(&s) {
                roots.push(s);
            }
        }
    }
    // A match reachable without any class in `without`?
    let stride2 = dfa.stride2();
    let reachable = |without: &[bool]| -> bool {
        // Seen states by index (an ID is its index times the stride).
        let mut seen: Vec<bool> = Vec::new();
        let mut count = 0;
        let mut stack = roots.clone();
        while let Some(s) = stack.pop() {
            let i = s.as_usize() >> stride2;
            if i >= seen.len() {
                seen.resize(i + 1, false);
            }
            if seen[i] {
                continue;
            }
            if count >= MAX_STATES {
                return true;
            }
            seen[i] = true;
            count += 1;
            if dfa.is_match_state(s) || dfa.is_match_state(dfa.next_eoi_state(s)) {
                return true;
            }
            for (c, &r) in reps.iter().enumerate() {
                if without[c] {
                    continue;
                }
                let t = dfa.next_state(s, r);
                if !dfa.is_dead_state(t) && !dfa.is_quit_state(t) {
                    stack.push(t);
                }
            }
        }
        false
    };
    let has = |set: &ByteSet, range: std::ops::RangeInclusive<u8>| {
        range
            .into_iter()
            .any(|b| set[usize::from(b >> 6)] & (1 << (b & 63)) != 0)
    };
    let mut candidates: Vec<Vec<bool>> = (0..n).map(|c| (0..n).map(|d| d == c).collect()).collect();
    candidates.push(members.iter().map(|m| has(m, b'0'..=b'9')).collect());
    candidates.push(
        members
            .iter()
            .map(|m| has(m, b'a'..=b'z') || has(m, b'A'..=b'Z'))
            .collect(),
    );
    let mut required = Vec::new();
    for without in candidates {
        if without.iter().any(|&x| x) && !reachable(&without) {
            let mut set = [0u64; 4];
            for (c, m) in members.iter().enumerate() {
                if without[c] {
                    for (w, x) in set.iter_mut().zip(m) {
                        *w |= x;
                    }
                }
            }
            required.push(set);
        }
    }
    required
}

/// Deserialises one dense DFA: the bytes are copied to a 4-byte aligned place (as
/// `DFA::from_bytes` requires) and validated there, then copied into an owned DFA.
fn read_dense(
    bytes: &[u8],
) -> Result<dense::DFA<Vec<u32>>, regex_automata::util::wire::DeserializeError> {
    let mut buf = vec![0u8; bytes.len() + 3];
    let at = buf.as_ptr().align_offset(4).min(3);
    buf[at..at + bytes.len()].copy_from_slice(bytes);
    let (dfa, _) = dense::DFA::from_bytes(&buf[at..at + bytes.len()])?;
    Ok(dfa.to_owned())
}

/// Compiles an admin pattern into its compiled form (the bytes; a pack holds them in
/// base64, see [`crate::Pattern::compiled`]): a forward and a reverse dense DFA.
///
/// Patterns are matched on the draft's UTF-8 bytes with ASCII classes: `\d`, `\w`,
/// `\s` and `\b` mean their ASCII forms and case-insensitive matching folds ASCII
/// letters only (other characters match as written). `\p{..}` classes are refused.
///
/// # Errors
/// A sentence for a person: bad syntax, a Unicode class, a regex over the build size
/// limit, or a compiled form over [`crate::limits::MAX_COMPILED_PATTERN_BYTES`].
#[cfg(feature = "patterns-compile")]
pub fn compile(regex: &str, case_sensitive: bool) -> Result<Vec<u8>, String> {
    compile_impl::compile(
        regex,
        case_sensitive,
        crate::limits::MAX_REGEX_BYTES,
        crate::limits::MAX_COMPILED_PATTERN_BYTES,
    )
}

/// The matcher of pattern `p` of the pack `pack_id`: its compiled form read, or (with
/// feature `patterns-compile`) its regex compiled when it has none.
///
/// # Errors
/// The kind and a reason naming the pack and the pattern: a compiled form that does not
/// decode or cannot be read ([`PackErrorKind::NotCompiled`]), a pattern without one in an
/// engine that cannot compile ([`PackErrorKind::NotCompiled`]), a regex that does not
/// compile ([`PackErrorKind::Regex`]).
pub(crate) fn matcher_of(
    pack_id: &str,
    p: &crate::Pattern,
) -> Result<Matcher, (crate::PackErrorKind, String)> {
    use crate::PackErrorKind;
    use base64::Engine as _;
    const REBUILD: &str = "rebuild the pack with `postsafe pack build` or the admin page, \
                           which compile each pattern for the engine";
    match &p.compiled {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("it is not base64 ({e})"))
            .and_then(|bytes| Matcher::decode(&bytes, &p.regex, p.case_sensitive))
            .map_err(|why| {
                (
                    PackErrorKind::NotCompiled,
                    format!(
                        "pattern {:?} of pack {pack_id:?} has a compiled form this engine \
                         cannot use: {why}; {REBUILD}",
                        p.id
                    ),
                )
            }),
        #[cfg(feature = "patterns-compile")]
        None => Matcher::compile(&p.regex, p.case_sensitive).map_err(|e| {
            (
                PackErrorKind::Regex,
                format!("pattern {:?} is not a valid regex: {e}", p.id),
            )
        }),
        #[cfg(not(feature = "patterns-compile"))]
        None => Err((
            PackErrorKind::NotCompiled,
            format!(
                "pattern {:?} of pack {pack_id:?} has no compiled form, and this engine \
                 runs only compiled patterns; {REBUILD}",
                p.id
            ),
        )),
    }
}
