//! The pack: what a trust supplies to Postsafe.
//!
//! A pack is one versioned JSON document (see `schema/pack.schema.json`, generated
//! from these types by [`pack_schema`]). It holds the trust's schools, its rosters
//! of pupils and staff, its term lists and regex patterns, and an allow list.
//! Field names are `snake_case`; unknown fields are an error so that a typo in an
//! admin's pack is caught instead of silently ignored.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{PackError, PackErrorKind};

/// The pack format this engine reads. A pack with another `format` is refused.
pub const PACK_FORMAT: u32 = 1;

/// What a draft contains that a trust's social media policy forbids.
///
/// The categories and the clauses behind them are mapped in `POLICY-MAP.md`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A pupil's name or anything that identifies a pupil.
    Pupil,
    /// A colleague's name or personal details.
    Staff,
    /// The school or trust is identifiable: name, alias, hashtag, domain, postcode, phone.
    School,
    /// An image's alt text or file name suggests pupils, uniform, logo or premises.
    Image,
    /// Information held in confidence: safeguarding, SEND, exclusions, staffing.
    Confidential,
    /// An attack on, or criticism of, the school community; offensive language.
    Conduct,
    /// The writer's own contact details: phone, postcode, email address.
    Personal,
    /// The draft shows the writer works at the school but has no "my own views" disclaimer.
    ///
    /// A term list of this category lists disclaimer phrases: it is not flagged itself,
    /// it silences the affiliation reminder.
    Affiliation,
}

impl Category {
    /// The lowercase name used in JSON and on the command line, e.g. `"pupil"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pupil => "pupil",
            Category::Staff => "staff",
            Category::School => "school",
            Category::Image => "image",
            Category::Confidential => "confidential",
            Category::Conduct => "conduct",
            Category::Personal => "personal",
            Category::Affiliation => "affiliation",
        }
    }

    /// Every category, in display order.
    pub const ALL: [Category; 8] = [
        Category::Pupil,
        Category::Staff,
        Category::School,
        Category::Image,
        Category::Confidential,
        Category::Conduct,
        Category::Personal,
        Category::Affiliation,
    ];
}

/// How strongly a finding is raised, from least to most severe.
///
/// `Info` is a reminder, shown but never holding a post. `Warn` and `Block` hold the
/// post and ask "Edit or post anyway?"; `Block` is for what a policy forbids outright.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A reminder; the post is not held.
    Info,
    /// Likely against policy; the post is held for a decision.
    Warn,
    /// Forbidden by policy; the post is held for a decision.
    Block,
}

impl Severity {
    /// The lowercase name used in JSON and on the command line, e.g. `"warn"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }
}

/// Which part of a draft a rule reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// The text of the post.
    Body,
    /// The alt text (description) of an attached image.
    Alt,
    /// The file name of an attachment.
    File,
    /// A link URL in the post.
    Link,
}

impl FieldKind {
    /// The lowercase name used in JSON, e.g. `"alt"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Body => "body",
            FieldKind::Alt => "alt",
            FieldKind::File => "file",
            FieldKind::Link => "link",
        }
    }
}

/// A pack: a trust's schools, rosters, term lists, patterns and allow list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Pack format number; must be [`PACK_FORMAT`] (1).
    pub format: u32,
    /// Stable identifier of the pack, e.g. `"wcat"`. Letters, digits, `-`, `_`, `.`.
    pub id: String,
    /// Display name, usually the trust's name.
    pub name: String,
    /// Version chosen by whoever builds the pack, e.g. `"2026.11.21"`.
    pub version: String,
    /// Date after which the pack should be rebuilt, as `YYYY-MM-DD`. An expired pack
    /// still works; the extension says since when it has been out of date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Names of the trust itself, matched like school names (category `school`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust_names: Vec<String>,
    /// The trust's schools.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<School>,
    /// Roster of pupils.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pupils: Vec<Pupil>,
    /// Roster of staff.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffMember>,
    /// Lists of words and phrases, each with its category, severity and message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub term_lists: Vec<TermList>,
    /// Regular expressions written by an admin, each with its category and message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<Pattern>,
    /// Words and phrases never flagged: a finding lying wholly inside one is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Pupils and staff as keyed hashes instead of names (`pack build --hash-roster`):
    /// matched exactly like `pupils` and `staff`, with no name in the pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashed_roster: Option<crate::hashed::HashedRoster>,
    /// The policy clause cited for roster and school findings, by category, e.g.
    /// `{"pupil": "Social Media Policy 6.iv"}`. Missing categories use a generic clause.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clauses: BTreeMap<Category, String>,
}

/// A school as named in the DfE register (GIAS) and as people write it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// The register's name, e.g. `"Saint Paul's Catholic High School"`. Spellings people
    /// use (St / St. / Saint, with and without apostrophes and suffixes, hashtags,
    /// initials) are generated from it. Required in a pack; in a terms file it may be
    /// left out for a school matched to the register by `urn`.
    #[serde(default)]
    pub name: String,
    /// Other names and abbreviations, e.g. `"SPCHS"`, matched as written (plus hashtag form).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Unique reference number in the register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    /// Street address lines, e.g. `"Firbank Road"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// Postcodes, e.g. `"M23 2YS"`; matched with or without the space, any case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postcodes: Vec<String>,
    /// Telephone numbers in any spelling, e.g. `"0161 998 3419"`; matched in the common
    /// groupings, with or without `+44`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// Web and email domains, e.g. `"stpauls.manchester.sch.uk"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// Hashtags the school uses, with or without `#`, e.g. `"#SPCHSsport"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashtags: Vec<String>,
    /// Where the school is (WGS84, as GPS records it): from the register's Easting and
    /// Northing at pack build, or given in a terms file. A photo whose GPS position is
    /// within [`crate::photo::NEAR_SCHOOL_METRES`] of it is a warning naming the school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Coordinates>,
}

/// A position on the WGS84 datum (the one GPS uses), in decimal degrees: north and
/// east positive, e.g. `{"latitude": 53.3822, "longitude": -2.2667}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Degrees north of the equator, -90 to 90.
    pub latitude: f64,
    /// Degrees east of Greenwich, -180 to 180.
    pub longitude: f64,
}

/// A pupil on the roster. Names are matched whole-word in every form people write:
/// full name in either order, preferred names, first name plus surname initial,
/// possessives, hashtags and handles, and (only near school words, capitalised, and
/// when it is not an English word) the first name alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pupil {
    /// Legal forename, e.g. `"Thomas"`.
    pub forename: String,
    /// Legal surname, e.g. `"Smith"`.
    pub surname: String,
    /// Preferred forename if different, e.g. `"Tom"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_forename: Option<String>,
    /// Preferred surname if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_surname: Option<String>,
    /// Year group or class, e.g. `"Year 6"`. Informational; never shown in a finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A member of staff. Matched as title plus surname (Mr, Mrs, Ms, Miss, Mx, Dr, Sir)
/// and as full name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    /// Title as the school uses it, e.g. `"Mrs"`. Every common title is matched anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Forename, e.g. `"Helen"`.
    pub forename: String,
    /// Surname, e.g. `"Okafor"`.
    pub surname: String,
}

/// A list of words and phrases with one category, severity and message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermList {
    /// Rule identifier shown in findings, e.g. `"confidential.safeguarding"`.
    pub id: String,
    /// What kind of clause a match may break.
    pub category: Category,
    /// How strongly it is raised.
    pub severity: Severity,
    /// Why it matters, in one plain sentence a teacher reads.
    pub message: String,
    /// What to do instead.
    pub advice: String,
    /// The policy clause it comes from, e.g. `"Confidentiality (Enquire §3)"`.
    pub clause: String,
    /// Words and phrases, matched whole-word after normalisation. A term written
    /// entirely in capitals of at most five letters (`"LAC"`, `"EHCP"`) only matches
    /// capitals in the draft, so that "lac" or "cla" inside ordinary text is left alone.
    pub terms: Vec<String>,
    /// Fields the list applies to; all fields when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldKind>>,
    /// When not empty, a term is only flagged when one of these words or phrases is
    /// within [`crate::NEAR_WINDOW_WORDS`] words of it in the same field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<String>,
}

/// A regular expression written by an admin, with one category, severity and message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// Rule identifier shown in findings, e.g. `"personal.uk-phone"`.
    pub id: String,
    /// What kind of clause a match may break.
    pub category: Category,
    /// How strongly it is raised.
    pub severity: Severity,
    /// Why it matters, in one plain sentence.
    pub message: String,
    /// What to do instead.
    pub advice: String,
    /// The policy clause it comes from.
    pub clause: String,
    /// A regular expression in the syntax of the Rust `regex` crate, run on the draft
    /// as written (invisible characters included). Case-insensitive unless
    /// `case_sensitive` is set. Compiled with the size limits in [`crate::limits`].
    pub regex: String,
    /// Match case exactly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive: bool,
    /// Fields the pattern applies to; all fields when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldKind>>,
}

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
        for (i, p) in self.pupils.iter().enumerate() {
            if p.forename.trim().is_empty() || p.surname.trim().is_empty() {
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
            for t in list.terms.iter().chain(&list.near) {
                if crate::normalize::normalize_term(t).is_empty() {
                    return Err(err(
                        &format!("{t:?}"),
                        format!(
                            "term list {:?} has the term {t:?}, which has no letters or digits",
                            list.id
                        ),
                    ));
                }
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
            if let Err(e) = crate::limits::compile_regex(&p.regex, p.case_sensitive) {
                return Err(err(
                    &format!("\"{}\"", p.id),
                    format!("pattern {:?} is not a valid regex: {e}", p.id),
                )
                .with_kind(PackErrorKind::Regex));
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
