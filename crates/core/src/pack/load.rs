//! A pack read from JSON and written back, and every check serde cannot make: the
//! format number, identifiers, dates, empty entries, limits and regexes.

use crate::error::{PackError, PackErrorKind};
use crate::pack::{Pack, Pupil, PACK_FORMAT};

impl Pack {
    /// Parses and validates a pack from JSON text. A leading byte order mark is ignored.
    ///
    /// `source` names the pack in errors (a file path, "inline pack 2", ...).
    ///
    /// # Errors
    /// [`PackError`] with the source, the 1-based line and column where known, and the
    /// reason: malformed JSON, an unknown or missing field, a wrong `format`, an empty
    /// id, a bad expiry date, an empty term, a bad regex.
    pub fn from_json(source: &str, text: &str) -> Result<Pack, PackError> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let limit = crate::limits::MAX_PACK_BYTES;
        if text.len() > limit {
            return Err(PackError::new(
                source,
                None,
                format!(
                    "the pack is {} bytes, over the limit of {limit} bytes",
                    text.len()
                ),
            )
            .with_kind(PackErrorKind::TooLarge));
        }
        let pack: Pack = serde_json::from_str(text).map_err(|e| {
            let line = if e.line() > 0 {
                Some((e.line(), e.column()))
            } else {
                None
            };
            PackError::new(source, line, json_reason(&e)).with_kind(PackErrorKind::Syntax)
        })?;
        pack.validate(source, Some(text))?;
        Ok(pack)
    }

    /// Serialises the pack as pretty-printed JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a pack always serialises");
        s.push('\n');
        s
    }

    /// Checks what serde cannot: the format number, identifiers, dates, empty entries,
    /// regexes and limits.
    ///
    /// `text` is the JSON the pack came from, if any; it lets errors point at a line.
    ///
    /// # Errors
    /// The first problem found, as a [`PackError`].
    pub fn validate(&self, source: &str, text: Option<&str>) -> Result<(), PackError> {
        let at = |needle: &str| text.and_then(|t| line_of(t, needle));
        let err = |needle: &str, reason: String| PackError::new(source, at(needle), reason);
        if self.format != PACK_FORMAT {
            return Err(err(
                "\"format\"",
                format!(
                    "pack format {} is not supported; this engine reads format {PACK_FORMAT}",
                    self.format
                ),
            ));
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(err(
                "\"id\"",
                format!(
                    "pack id {:?} must be letters, digits, '-', '_' or '.' and not empty",
                    self.id
                ),
            ));
        }
        if let Some(date) = &self.expires {
            if !is_iso_date(date) {
                return Err(err(
                    "\"expires\"",
                    format!("expiry date {date:?} is not a date written YYYY-MM-DD"),
                ));
            }
        }
        let limits = crate::limits::Limits::default();
        let roster = self.pupils.len() + self.staff.len();
        if roster > limits.max_roster_entries {
            return Err(err(
                "\"pupils\"",
                format!(
                    "the roster has {roster} entries, over the limit of {}",
                    limits.max_roster_entries
                ),
            )
            .with_kind(PackErrorKind::TooLarge));
        }
        if let Some((i, p)) = first_blank_name(&self.pupils) {
            return Err(err(
                &format!(
                    "\"{}\"",
                    if p.forename.trim().is_empty() {
                        &p.surname
                    } else {
                        &p.forename
                    }
                ),
                format!("pupil {} has an empty forename or surname", i + 1),
            ));
        }
        for (i, s) in self.staff.iter().enumerate() {
            if s.surname.trim().is_empty() {
                return Err(err(
                    &format!("\"{}\"", s.forename),
                    format!("staff member {} has an empty surname", i + 1),
                ));
            }
        }
        for t in &self.trust_names {
            let chars = t.chars().count();
            if chars > limits.max_school_name_chars {
                return Err(err(
                    "\"trust_names\"",
                    format!(
                        "a trust name has {chars} characters, over the limit of {}",
                        limits.max_school_name_chars
                    ),
                )
                .with_kind(PackErrorKind::TooLarge));
            }
        }
        for (i, s) in self.schools.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(err(
                    "\"schools\"",
                    format!("school {} has an empty name", i + 1),
                ));
            }
            let chars = s.name.chars().count();
            if chars > limits.max_school_name_chars {
                return Err(err(
                    "\"schools\"",
                    format!(
                        "school {} has a name of {chars} characters, over the limit of {}",
                        i + 1,
                        limits.max_school_name_chars
                    ),
                )
                .with_kind(PackErrorKind::TooLarge));
            }
            if let Some(c) = s.location {
                if !(-90.0..=90.0).contains(&c.latitude) || !(-180.0..=180.0).contains(&c.longitude)
                {
                    return Err(err(
                        "\"location\"",
                        format!(
                            "school {} ({:?}) has a location outside -90..90 latitude, \
                             -180..180 longitude",
                            i + 1,
                            s.name
                        ),
                    ));
                }
            }
        }
        if let Some(h) = &self.hashed_roster {
            let at_h = at("\"hashed_roster\"");
            let with_line = |mut e: PackError| {
                e.line = at_h;
                e
            };
            crate::hashed::check_scheme(source, &h.scheme).map_err(with_line)?;
            crate::hashed::salt_bytes(source, &h.salt).map_err(with_line)?;
            for (field, list) in [
                ("starts", &h.starts),
                ("pupil_names", &h.pupil_names),
                ("pupil_first_names", &h.pupil_first_names),
                ("staff_names", &h.staff_names),
                ("pupil_word_names", &h.pupil_word_names),
                ("name_pairs", &h.name_pairs),
            ] {
                crate::hashed::decode(source, field, list).map_err(with_line)?;
            }
            crate::hashed::decode_given(source, &h.given).map_err(with_line)?;
            if h.max_words == 0 {
                return Err(err(
                    "\"max_words\"",
                    "hashed_roster.max_words must be at least 1".into(),
                ));
            }
        }
        let mut terms = 0usize;
        for list in &self.term_lists {
            if list.id.is_empty() {
                return Err(err("\"term_lists\"", "a term list has an empty id".into()));
            }
            if let Some(t) = first_blank_term(&list.terms, &list.near) {
                return Err(err(
                    &format!("{t:?}"),
                    format!(
                        "term list {:?} has the term {t:?}, which has no letters or digits",
                        list.id
                    ),
                ));
            }
            terms += list.terms.len();
        }
        if terms > limits.max_terms {
            return Err(err(
                "\"term_lists\"",
                format!(
                    "the pack has {terms} terms, over the limit of {}",
                    limits.max_terms
                ),
            )
            .with_kind(PackErrorKind::TooLarge));
        }
        // Counted before any is compiled: compiling is what takes the time.
        if self.patterns.len() > limits.max_patterns {
            return Err(err(
                "\"patterns\"",
                format!(
                    "the pack has {} patterns, over the limit of {}: merge patterns that find \
                     the same thing, or move fixed words to a term list",
                    self.patterns.len(),
                    limits.max_patterns
                ),
            )
            .with_kind(PackErrorKind::TooLarge));
        }
        let mut pattern_bytes = 0usize;
        for p in &self.patterns {
            if let Err((kind, reason)) = crate::dfa::matcher_of(&self.id, p) {
                return Err(err(&format!("\"{}\"", p.id), reason).with_kind(kind));
            }
            pattern_bytes += p.regex.len();
            if pattern_bytes > limits.max_pattern_bytes {
                return Err(err(
                    &format!("\"{}\"", p.id),
                    format!(
                        "the patterns up to {:?} hold {pattern_bytes} bytes of regex, over the \
                         limit of {} bytes in one pack: merge patterns that find the same thing, \
                         or move fixed words to a term list",
                        p.id, limits.max_pattern_bytes
                    ),
                )
                .with_kind(PackErrorKind::TooLarge));
            }
        }
        Ok(())
    }
}

#[cfg(feature = "patterns-compile")]
impl Pack {
    /// Compiles every pattern's regex into its compiled form
    /// ([`crate::Pattern::compiled`]), replacing any it had: what `pack build` and the
    /// admin page do, so that the extension's engine (which has no regex compiler) can
    /// run the patterns.
    ///
    /// # Errors
    /// A [`PackError`] naming the pattern: a regex that does not compile or whose
    /// compiled form is over [`crate::limits::MAX_COMPILED_PATTERN_BYTES`]
    /// ([`PackErrorKind::Regex`]). `source` names the file the patterns came from.
    pub fn compile_patterns(&mut self, source: &str) -> Result<(), PackError> {
        use base64::Engine as _;
        for p in &mut self.patterns {
            let bytes = compile_pattern(p, source)?;
            p.compiled = Some(base64::engine::general_purpose::STANDARD.encode(bytes));
        }
        Ok(())
    }

    /// Checks that every pattern has a compiled form and that it is exactly what this
    /// Postsafe compiles from the pattern's regex (compiled again, bytes compared: the
    /// only check that proves the DFAs were made from that regex with these options;
    /// comparing matches over sample text could not).
    ///
    /// `source` names the pack in errors.
    ///
    /// # Errors
    /// A [`PackError`] of kind [`PackErrorKind::NotCompiled`] naming the pattern and
    /// saying how to rebuild the pack, or [`PackErrorKind::Regex`] for a regex that
    /// does not compile.
    pub fn check_compiled(&self, source: &str) -> Result<(), PackError> {
        use base64::Engine as _;
        for p in &self.patterns {
            let fresh = compile_pattern(p, source)?;
            let why = match &p.compiled {
                None => "has no compiled form",
                Some(b64) => match base64::engine::general_purpose::STANDARD.decode(b64) {
                    Ok(bytes) if bytes == fresh => continue,
                    Ok(_) => {
                        "has a compiled form that is not what this Postsafe compiles from its \
                         regex (made by another version)"
                    }
                    Err(_) => "has a compiled form that is not base64",
                },
            };
            return Err(PackError::new(
                source,
                None,
                format!(
                    "pattern {:?} of pack {:?} {why}: the extension's engine runs only \
                     compiled patterns; rebuild the pack with `postsafe pack build` or the \
                     admin page",
                    p.id, self.id
                ),
            )
            .with_kind(PackErrorKind::NotCompiled));
        }
        Ok(())
    }
}

/// Returns the JSON Schema of the pack format, generated from [`Pack`].
pub fn pack_schema() -> String {
    let schema = schemars::schema_for!(Pack);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serialises");
    s.push('\n');
    s
}

fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the error already carries both.
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    let i = text.find(needle)?;
    let before = &text[..i];
    let line = before.matches('\n').count() + 1;
    let col = i - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    Some((line, col))
}

/// Whether `s` is a calendar date written `YYYY-MM-DD`.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The compiled form of pattern `p` (see [`crate::dfa::compile`]).
///
/// # Errors
/// A regex that does not compile, or whose compiled form is too large: a [`PackError`]
/// of kind [`PackErrorKind::Regex`] naming the pattern, with `source` as its file.
#[cfg(feature = "patterns-compile")]
fn compile_pattern(p: &crate::Pattern, source: &str) -> Result<Vec<u8>, PackError> {
    crate::dfa::compile(&p.regex, p.case_sensitive).map_err(|e| {
        PackError::new(
            source,
            None,
            format!("pattern {:?} is not a valid regex: {e}", p.id),
        )
        .with_kind(PackErrorKind::Regex)
    })
}

/// The first of `terms` and then `near` that has no letters or digits. Its own function
/// for the reason [`first_blank_name`] is.
#[inline(never)]
fn first_blank_term<'a>(terms: &'a [String], near: &'a [String]) -> Option<&'a String> {
    terms
        .iter()
        .chain(near)
        .find(|t| crate::normalize::normalize_term(t).is_empty())
}

/// The first pupil (index, pupil) whose forename or surname is blank.
///
/// A function of its own, never inlined into [`Pack::validate`]: in WebAssembly V8
/// optimises a function once it has run long enough, and a loop over 30,000 pupils
/// inside `validate` (called once a pack) made all of it a 20 ms optimising compile for
/// a call that never comes again (README "Benchmarks").
#[inline(never)]
fn first_blank_name(pupils: &[Pupil]) -> Option<(usize, &Pupil)> {
    pupils
        .iter()
        .enumerate()
        .find(|(_, p)| p.forename.trim().is_empty() || p.surname.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_source_line_and_reason() {
        let e = Pack::from_json("trust.json", "{\n  \"format\": 1,\n  \"id\": \n}").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("trust.json:4:"), "{s}");
        assert!(s.contains("expected value"), "{s}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let e = Pack::from_json(
            "p.json",
            r#"{"format":1,"id":"a","name":"A","version":"1","pupilz":[]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field `pupilz`"), "{e}");
    }

    #[test]
    fn wrong_format_and_bad_date_are_refused() {
        let e = Pack::from_json(
            "p.json",
            r#"{"format":2,"id":"a","name":"A","version":"1"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("format 2 is not supported"), "{e}");
        let e = Pack::from_json(
            "p.json",
            "{\"format\":1,\"id\":\"a\",\"name\":\"A\",\"version\":\"1\",\n\"expires\":\"2026-02-30\"}",
        )
        .unwrap_err();
        assert_eq!(e.line, Some((2, 1)));
        assert!(e.to_string().contains("2026-02-30"), "{e}");
    }

    #[test]
    fn bad_regex_is_refused_with_its_id() {
        let e = Pack::from_json(
            "p.json",
            r#"{"format":1,"id":"a","name":"A","version":"1","patterns":[{"id":"x.bad","category":"personal","severity":"warn","message":"m","advice":"a","clause":"c","regex":"(unclosed"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("pattern \"x.bad\" is not a valid regex"),
            "{e}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let p = Pack::from_json(
            "bom.json",
            "\u{FEFF}{\"format\":1,\"id\":\"a\",\"name\":\"A\",\"version\":\"1\"}",
        )
        .unwrap();
        assert_eq!(p.id, "a");
        // Places in errors are the file's own lines and columns.
        let e =
            Pack::from_json("bom.json", "\u{FEFF}{\n  \"format\": 1,\n  \"id\": \n}").unwrap_err();
        assert!(e.to_string().starts_with("bom.json:4:"), "{e}");
    }

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("23-01-01"));
    }
}
