//! Compiling a pattern's regex into its compiled form (feature `patterns-compile`; also
//! included by `build.rs` for the built-in pack, so it refers to nothing outside this
//! file and `format.rs`).

use regex_automata::dfa::{dense, regex::Regex, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::MatchKind;

/// Compiles `regex` into a forward and a reverse dense DFA with the engine's options
/// and joins them into a compiled form (layout in `format.rs`).
///
/// Options, the same as the `regex` crate's `bytes::RegexBuilder` was given before:
/// matched on UTF-8 bytes with ASCII classes (`\d`, `\w`, `\s`, `\b` mean their ASCII
/// forms; `\p{..}` is refused), case-insensitive (ASCII letters) unless
/// `case_sensitive`, leftmost-first. A pattern may match part of a character (the
/// engine widens every match to whole characters).
///
/// `max_build_bytes` bounds the NFA and each DFA while they are built (in memory);
/// `max_bytes` bounds the compiled form.
///
/// # Errors
/// A sentence for a person: bad syntax, a Unicode class, an NFA or DFA over
/// `max_build_bytes` while building, or a compiled form over `max_bytes` bytes.
pub fn compile(
    regex: &str,
    case_sensitive: bool,
    max_build_bytes: usize,
    max_bytes: usize,
) -> Result<Vec<u8>, String> {
    let re = Regex::builder()
        .syntax(
            syntax::Config::new()
                .unicode(false)
                .utf8(false)
                .case_insensitive(!case_sensitive),
        )
        .thompson(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(max_build_bytes)),
        )
        .dense(
            dense::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .start_kind(StartKind::Unanchored)
                .minimize(true)
                .dfa_size_limit(Some(max_build_bytes))
                .determinize_size_limit(Some(max_build_bytes)),
        )
        .build(regex)
        .map_err(|e| {
            // "error building NFA" says little alone: add its causes.
            let mut why = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                why = format!("{why}: {c}");
                cause = c.source();
            }
            if why.contains("exceeded") {
                why.push_str(
                    " bytes, the size limit for one pattern: make it simpler (fewer \
                     alternatives, fewer repetitions with counts such as {2,4})",
                );
            }
            why
        })?;
    let (fwd, fpad) = re.forward().to_bytes_little_endian();
    let (rev, rpad) = re.reverse().to_bytes_little_endian();
    let out = super::format::join(
        super::format::source_hash(regex, case_sensitive),
        &fwd[fpad..],
        &rev[rpad..],
    );
    if out.len() > max_bytes {
        return Err(format!(
            "it compiles to {} bytes, over the limit of {max_bytes} bytes for one pattern: \
             make it simpler (fewer repetitions with counts such as {{2,4}}, fewer \
             alternatives), or split it in two",
            out.len()
        ));
    }
    Ok(out)
}
