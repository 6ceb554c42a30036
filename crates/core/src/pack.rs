//! The pack: what a trust supplies to Postsafe.
//!
//! A pack is one versioned JSON document (see `schema/pack.schema.json`, generated
//! from these types by [`pack_schema`]). It holds the trust's schools, its rosters
//! of pupils and staff, its term lists and regex patterns, and an allow list.
//! Field names are `snake_case`; unknown fields are an error so that a typo in an
//! admin's pack is caught instead of silently ignored.
//!
//! Here: the types of the format, each field's meaning; `pack/load.rs` reads a pack
//! from JSON and checks what serde cannot (format, ids, dates, limits, regexes).

mod load;

pub use load::pack_schema;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// The regex compiled for the engine, in base64 (standard alphabet, padded): a
    /// forward and a reverse `regex-automata` dense DFA, little-endian, behind a
    /// 16-byte header holding a hash of `regex` and `case_sensitive` (layout in
    /// `crates/core/src/dfa/format.rs`). The built-in pack's five take 4.2 to 109 KB of
    /// base64 each; at most [`crate::limits::MAX_COMPILED_PATTERN_BYTES`] bytes before
    /// base64.
    ///
    /// Written by `postsafe pack build` and the admin page ([`Pack::compile_patterns`]);
    /// `postsafe pack check` compiles `regex` again and checks the bytes are the same.
    /// The extension's engine has no regex compiler: it refuses a pack with a pattern
    /// without one, or with one made from another regex or by a Postsafe whose DFA
    /// format differs ([`crate::PackErrorKind::NotCompiled`]). The CLI compiles a
    /// pattern that has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled: Option<String>,
}
