//! The engine: packs compiled into one matcher, and the scan of a draft.
//!
//! The rooms: this file holds what every part shares (the rules, the kinds of entry,
//! the [`Engine`] itself, the words of school context and the built-in messages);
//! `compile` turns packs into an engine, `lookup` keys and looks up rosters (plain and
//! hashed), `scan` reads a draft into findings.

mod compile;
mod filter;
mod image;
mod lookup;
mod scan;
mod sources;

use lookup::HashedMatcher;
use scan::uk_national;

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Serialize;

use crate::error::PackError;
use crate::finding::{Draft, Finding, ScanResult, Truncation};
use crate::normalize::{self, View};
use crate::pack::{Category, FieldKind, Pack, Severity};
use crate::reading::{
    at_sentence_start, first_name_alone, is_all_caps, is_capitalised, person_alone, saint_alone,
    with_hyphenated_start, LEAD_INS, SOUND_STOP_WORDS,
};
use crate::variants;

/// How many words apart a term and one of its `near` words may be (school context for
/// a first name alone, community words for conduct terms).
pub const NEAR_WINDOW_WORDS: usize = 6;

/// Words that put a first name in a school setting. A pupil's first name alone is a
/// finding only when one of these is within [`NEAR_WINDOW_WORDS`] words.
pub const SCHOOL_CONTEXT: &[&str] = &[
    "year",
    "yr",
    "y1",
    "y2",
    "y3",
    "y4",
    "y5",
    "y6",
    "y7",
    "y8",
    "y9",
    "y10",
    "y11",
    "y12",
    "y13",
    "reception",
    "nursery",
    "class",
    "classes",
    "classroom",
    "form",
    "form group",
    "tutor group",
    "pupil",
    "pupils",
    "student",
    "students",
    "school",
    "ks1",
    "ks2",
    "ks3",
    "ks4",
    "sixth form",
    "sports day",
    "assembly",
    "lesson",
    "lessons",
    "homework",
    "playground",
    "register",
    "my class",
    "our class",
    "head teacher",
    "headteacher",
    "teacher",
    "teachers",
    "parents evening",
    "school trip",
    "nativity",
    "detention",
    "exclusion",
    "excluded",
    "behaviour",
    "sen",
    "send",
    "ehcp",
    "gcse",
    "gcses",
    "sats",
    // Praise and awards: how a school post names a pupil.
    "well done",
    "congratulations",
    "congrats",
    "star of the week",
    "star of the day",
    "star of the month",
    "pupil of the week",
    "student of the week",
    "student of the month",
    "award",
    "awards",
    "award goes to",
    "certificate",
    "merit",
    "merits",
    "house points",
    "headteachers award",
    "proud of",
    "so proud",
    "prize",
    "prize giving",
    "golden book",
    "reading champion",
    "my tutor group",
    "in my form",
    "my form",
    "our form",
];

/// Words that, besides [`SCHOOL_CONTEXT`], put a street found in many towns in
/// a school setting.
const SCHOOL_PLACE_CONTEXT: &[&str] = &[
    "staff",
    "parents",
    "kids",
    "children",
    "team",
    "match",
    "choir",
    "open evening",
    "fair",
    "concert",
    "uniform",
    "pe",
    "governors",
    "ofsted",
    "work",
    "drop off",
    "pick up",
    "school run",
];

/// Rule metadata shared by every term that raises it.
#[derive(Debug, Clone)]
struct Rule {
    id: String,
    category: Category,
    severity: Severity,
    message: String,
    advice: String,
    clause: String,
    /// Bit set of [`FieldKind`]s the rule applies to.
    fields: u8,
    /// Context group that must be near, if any.
    near: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A finding whenever the fields and `near` allow.
    Flag,
    /// As `Flag`, but only when the draft writes it in capitals.
    CapsOnly,
    /// As `Flag`, but only when the draft capitalises it and the next word is not
    /// capitalised too (a first name alone: "Tim Duncan" is somebody else).
    Capitalised,
    /// As `Capitalised`, and not at the start of a sentence either: a first name that
    /// is also an English word ("Proud of Hope in my form", never "Hope you're well").
    MidSentence,
    /// A roster name (full name, title and surname): a finding unless the words are
    /// part of something else: inside a hyphenated or camelCase word ("Mia-Rose",
    /// "#BabyRoseParker"), after a capitalised word that makes it another person's
    /// name ("TE Michael Roberts", "Mary Ann Smith"), or an initial that is really the
    /// next sentence ("last summer. I saw").
    Person,
    /// A school spelt as a saint's name alone: a finding unless it is a day, a church
    /// or another place (see `saint_alone`).
    SaintAlone,
    /// An allow-list phrase: findings wholly inside it are dropped.
    Allow,
    /// A context word of the given group.
    Context(u16),
    /// A "my own views" disclaimer phrase.
    Disclaimer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    rule: u32,
    kind: Kind,
}

impl Entry {
    fn new(rule: u32, kind: Kind) -> Entry {
        Entry { rule, kind }
    }
}

/// A summary of one loaded pack, for the popup, the self-test page and `pack check`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PackInfo {
    /// The pack's id.
    pub id: String,
    /// The pack's display name.
    pub name: String,
    /// The pack's version.
    pub version: String,
    /// Expiry date `YYYY-MM-DD`, if set.
    pub expires: Option<String>,
    /// Entries per category: pupils, staff, schools, and terms and patterns by category.
    pub counts: BTreeMap<String, usize>,
}

/// Packs compiled into one matcher. Build once, scan many drafts.
///
/// Building costs time proportional to the number of names and terms: term, school
/// and alias spellings go into one Aho-Corasick automaton, roster spellings into a
/// keyed index looked up by runs of at most `max_words` words. A scan costs time
/// linear in the draft's length, whatever the packs hold.
pub struct Engine {
    matcher: Option<AhoCorasick>,
    /// For each automaton pattern, its range in `entries`.
    pattern_entries: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    rules: Vec<Rule>,
    regexes: Vec<(u32, crate::dfa::Matcher)>,
    affiliation_rule: Option<u32>,
    hashed: Vec<HashedMatcher>,
    /// The schools' phone numbers, as UK national digits, and the rule they raise.
    school_phones: HashMap<String, u32>,
    packs: Vec<PackInfo>,
    patterns: usize,
    /// Words of context either side of a run of spaced letters when it is read joined
    /// (`normalize::join_spaced_letters_parts`): more than the longest spelling in the
    /// automaton or a roster, so every spelling through a run is read whole.
    join_margin: usize,
    /// The scan's buffers, kept from one scan to the next so a scan allocates little
    /// (a second thread scanning at the same time uses buffers of its own).
    scratch: std::sync::Mutex<scan::Scratch>,
    /// How many rosters came from a roster image (`image`).
    rosters_from_image: usize,
}

fn field_bit(f: FieldKind) -> u8 {
    1 << (f as u8)
}

fn field_mask(fields: &Option<Vec<FieldKind>>) -> u8 {
    match fields {
        None => 0xff,
        Some(v) => v.iter().fold(0, |m, f| m | field_bit(*f)),
    }
}

/// Built-in messages for roster and school rules: one place for each string a
/// teacher reads.
mod text {
    pub const PUPIL_NAME: &str = "This names a pupil: posts must never identify pupils.";
    pub const PUPIL_NAME_ADVICE: &str =
        "Remove the name, or describe the moment without saying who it was.";
    pub const PUPIL_FIRST: &str =
        "This looks like a pupil's first name in a school setting: posts must not identify pupils.";
    pub const PUPIL_NAME_LIKE: &str = "This is close to the name of a pupil on your roster (spelt another way, or with a slip): posts must never identify pupils.";
    pub const PUPIL_CLAUSE: &str = "Pupils must not be identified or discussed";
    pub const STAFF_NAME: &str =
        "This names a colleague: do not share colleagues' names or details without their consent.";
    pub const STAFF_ADVICE: &str = "Remove the name, or ask the colleague first.";
    pub const STAFF_CLAUSE: &str = "Personal information about colleagues stays private";
    pub const SCHOOL_NAME: &str =
        "This identifies the school or trust, which links the post to your work.";
    pub const SCHOOL_ADVICE: &str =
        "Leave out the school's name, hashtag, address and contact details.";
    pub const SCHOOL_CLAUSE: &str = "Do not identify the school or yourself as its employee";
    pub const SCHOOL_CONTACT: &str =
        "These are the school's contact details, which identify the school.";
}
