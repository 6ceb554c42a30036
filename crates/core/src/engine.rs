//! The engine: packs compiled into one matcher, and the scan of a draft.

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
    regexes: Vec<(u32, regex::bytes::Regex)>,
    affiliation_rule: Option<u32>,
    hashed: Vec<HashedMatcher>,
    /// The schools' phone numbers, as UK national digits, and the rule they raise.
    school_phones: HashMap<String, u32>,
    packs: Vec<PackInfo>,
    patterns: usize,
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
    pub const PUPIL_CLAUSE: &str = "Pupils must not be identified or discussed (every trust policy; e.g. WCAT 6.iv-v, 6.xviii)";
    pub const STAFF_NAME: &str =
        "This names a colleague: do not share colleagues' names or details without their consent.";
    pub const STAFF_ADVICE: &str = "Remove the name, or ask the colleague first.";
    pub const STAFF_CLAUSE: &str =
        "Personal information about colleagues (e.g. CFLP Guidelines; WCAT 6.xxii)";
    pub const SCHOOL_NAME: &str =
        "This identifies the school or trust, which links the post to your work.";
    pub const SCHOOL_ADVICE: &str =
        "Leave out the school's name, hashtag, address and contact details.";
    pub const SCHOOL_CLAUSE: &str =
        "Do not identify the school or yourself as its employee (e.g. Enquire §6; WCAT 6.xix)";
    pub const SCHOOL_CONTACT: &str =
        "These are the school's contact details, which identify the school.";
}

/// Collects patterns and their entries while an engine is built.
#[derive(Default)]
struct Compiler {
    index: HashMap<String, u32>,
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
    rules: Vec<Rule>,
    regexes: Vec<(u32, regex::bytes::Regex)>,
    context: HashMap<Vec<String>, u16>,
    context_groups: u16,
    affiliation_rule: Option<u32>,
    hashed: Vec<HashedMatcher>,
    school_phones: HashMap<String, u32>,
}

/// A hashed roster, ready to look up: keys sorted, with their entries beside them.
struct HashedMatcher {
    hasher: RosterKey,
    max_words: usize,
    /// Key of a spelling → its range in `entries`.
    index: HashMap<u64, (u32, u32), nohash_hasher::BuildNoHashHasher<u64>>,
    entries: Vec<Entry>,
    /// Keys of the first word of every spelling, when known (plain rosters): a run
    /// of words is only looked up when its first word can start a name.
    starts: Option<std::collections::HashSet<u64, nohash_hasher::BuildNoHashHasher<u64>>>,
    /// Given-name map: key of a written given name → its range in `tokens`.
    given: HashMap<u64, (u32, u32), nohash_hasher::BuildNoHashHasher<u64>>,
    /// Tokens of roster given names, low bit set for a nickname or other spelling.
    tokens: Vec<u64>,
    /// Pair keys (token with a surname spelling or slip).
    pairs: std::collections::HashSet<u64, nohash_hasher::BuildNoHashHasher<u64>>,
    /// The rules raised by this roster.
    rules: RosterRules,
}

/// How a roster spelling becomes its 64-bit key.
enum RosterKey {
    /// A plain roster: XXH3, fast and stable on every platform.
    Fast,
    /// A hashed roster: SipHash-1-3 under the pack's salt.
    Keyed(crate::hashed::Hasher),
}

impl RosterKey {
    fn key(&self, spelling: &str) -> u64 {
        self.key_bytes(spelling.as_bytes())
    }

    fn key_bytes(&self, bytes: &[u8]) -> u64 {
        match self {
            RosterKey::Fast => xxhash_rust::xxh3::xxh3_64(bytes),
            RosterKey::Keyed(h) => h.hash_bytes(bytes),
        }
    }
}

/// The rules a roster raises, per pack.
#[derive(Debug, Clone, Copy, Default)]
struct RosterRules {
    /// `pupil.name`: a full name (block).
    name: u32,
    /// `pupil.first-name`: a first name alone near school words (warn).
    first: u32,
    /// `pupil.word-name`: a first name that is an English word, capitalised
    /// mid-sentence near school words (warn).
    word: u32,
    /// `pupil.name-like`: a surname one slip away, next to the given name (warn).
    like: u32,
    /// `staff.name` (warn).
    staff: u32,
}

/// A roster's keys, before they are indexed.
#[derive(Default)]
struct RosterParts {
    entries: Vec<(u64, Entry)>,
    starts: Option<Vec<u64>>,
    max_words: usize,
    given: Vec<(u64, u64)>,
    pairs: Vec<u64>,
}

use crate::roster::ALTERNATE_BIT;

impl RosterParts {
    /// Keys a plain roster (XXH3).
    fn plain(
        pupils: &[crate::pack::Pupil],
        staff: &[crate::pack::StaffMember],
        r: &RosterRules,
    ) -> RosterParts {
        use crate::roster::Keyed;
        let mut p = RosterParts {
            starts: Some(Vec::new()),
            max_words: 1,
            ..RosterParts::default()
        };
        let mut key = |b: &[u8]| xxhash_rust::xxh3::xxh3_64(b);
        crate::roster::for_each_key(pupils, staff, &mut key, |k| {
            let (k, spelling, entry) = match k {
                Keyed::PupilName { key, spelling } => {
                    (key, spelling, Entry::new(r.name, Kind::Person))
                }
                Keyed::PupilFirst { key, spelling } => {
                    (key, spelling, Entry::new(r.first, Kind::Capitalised))
                }
                Keyed::PupilWordName { key, spelling } => {
                    (key, spelling, Entry::new(r.word, Kind::MidSentence))
                }
                Keyed::Staff { key, spelling } => {
                    (key, spelling, Entry::new(r.staff, Kind::Person))
                }
                Keyed::Given { key, value } => {
                    p.given.push((key, value));
                    return;
                }
                Keyed::Pair { key } => {
                    p.pairs.push(key);
                    return;
                }
            };
            let mut words = spelling.split(' ');
            let first = words.next().unwrap_or(spelling);
            p.max_words = p.max_words.max(1 + words.count());
            if let Some(st) = &mut p.starts {
                st.push(xxhash_rust::xxh3::xxh3_64(first.as_bytes()));
            }
            p.entries.push((k, entry));
        });
        p
    }

    /// Decodes a hashed roster (validated with the pack).
    fn hashed(source: &str, h: &crate::hashed::HashedRoster, r: &RosterRules) -> RosterParts {
        use crate::hashed::{decode, decode_given};
        let starts = decode(source, "starts", &h.starts).unwrap_or_default();
        let mut p = RosterParts {
            max_words: h.max_words as usize,
            // A roster with no starts (none of its lists has a spelling) looks every
            // run up rather than none.
            starts: (!starts.is_empty()).then_some(starts),
            ..RosterParts::default()
        };
        for (field, list, entry) in [
            (
                "pupil_names",
                &h.pupil_names,
                Entry::new(r.name, Kind::Person),
            ),
            (
                "pupil_first_names",
                &h.pupil_first_names,
                Entry::new(r.first, Kind::Capitalised),
            ),
            (
                "pupil_word_names",
                &h.pupil_word_names,
                Entry::new(r.word, Kind::MidSentence),
            ),
            (
                "staff_names",
                &h.staff_names,
                Entry::new(r.staff, Kind::Person),
            ),
        ] {
            for key in decode(source, field, list).unwrap_or_default() {
                p.entries.push((key, entry));
            }
        }
        p.given = decode_given(source, &h.given).unwrap_or_default();
        p.pairs = decode(source, "name_pairs", &h.name_pairs).unwrap_or_default();
        p
    }

    /// Sorts the keys into lookup tables.
    fn index(self, hasher: RosterKey, rules: RosterRules) -> HashedMatcher {
        let mut pairs = self.entries;
        pairs.sort_unstable_by_key(|(k, e)| (*k, e.rule));
        pairs.dedup();
        let mut index = HashMap::with_capacity_and_hasher(pairs.len(), Default::default());
        let mut i = 0;
        while i < pairs.len() {
            let k = pairs[i].0;
            let j = i + pairs[i..].iter().take_while(|(x, _)| *x == k).count();
            index.insert(k, (i as u32, j as u32));
            i = j;
        }
        let mut given = self.given;
        given.sort_unstable();
        given.dedup();
        let mut given_index: HashMap<u64, (u32, u32), _> =
            HashMap::with_capacity_and_hasher(given.len(), Default::default());
        let mut i = 0;
        while i < given.len() {
            let k = given[i].0;
            let j = i + given[i..].iter().take_while(|(x, _)| *x == k).count();
            given_index.insert(k, (i as u32, j as u32));
            i = j;
        }
        HashedMatcher {
            hasher,
            max_words: self.max_words.max(1),
            index,
            entries: pairs.into_iter().map(|(_, e)| e).collect(),
            starts: self.starts.map(|v| v.into_iter().collect()),
            given: given_index,
            tokens: given.into_iter().map(|(_, t)| t).collect(),
            pairs: self.pairs.into_iter().collect(),
            rules,
        }
    }
}

impl Compiler {
    fn rule(&mut self, r: Rule) -> u32 {
        self.rules.push(r);
        (self.rules.len() - 1) as u32
    }

    /// Adds a normalised term (words separated by single spaces) for `entry`.
    fn add(&mut self, term: &str, entry: Entry) {
        if term.is_empty() {
            return;
        }
        let id = match self.index.get(term) {
            Some(&id) => id,
            None => {
                let id = self.patterns.len() as u32;
                self.index.insert(term.to_string(), id);
                self.patterns.push(format!(" {term} "));
                self.entries.push(Vec::new());
                id
            }
        };
        let list = &mut self.entries[id as usize];
        if !list.contains(&entry) {
            list.push(entry);
        }
    }

    /// Adds a raw term in all its normalised forms, plus the squashed hashtag form.
    fn add_raw(&mut self, raw: &str, entry: Entry) {
        for f in variants::forms(raw) {
            if let Some(s) = variants::squashed(&f) {
                self.add(&s, entry);
            }
            self.add(&f, entry);
        }
    }

    fn context_group(&mut self, words: &[String]) -> u16 {
        if let Some(&g) = self.context.get(words) {
            return g;
        }
        let g = self.context_groups;
        self.context_groups += 1;
        self.context.insert(words.to_vec(), g);
        for w in words {
            self.add_raw(
                w,
                Entry {
                    rule: 0,
                    kind: Kind::Context(g),
                },
            );
        }
        g
    }

    /// The rules of a pack's roster (pupils, staff or both).
    fn roster_rules(
        &mut self,
        pack: &Pack,
        pupils: bool,
        staff: bool,
        clause: &dyn Fn(Category, &str) -> String,
    ) -> RosterRules {
        let mut r = RosterRules::default();
        let all = 0xff;
        if pupils {
            let pclause = clause(Category::Pupil, text::PUPIL_CLAUSE);
            let school_ctx = self.context_group(
                &SCHOOL_CONTEXT
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            );
            let rule = |id: &str, severity, message: &str, near| Rule {
                id: format!("{}/{id}", pack.id),
                category: Category::Pupil,
                severity,
                message: message.into(),
                advice: text::PUPIL_NAME_ADVICE.into(),
                clause: pclause.clone(),
                fields: all,
                near,
            };
            let name = rule("pupil.name", Severity::Block, text::PUPIL_NAME, None);
            let first = rule(
                "pupil.first-name",
                Severity::Warn,
                text::PUPIL_FIRST,
                Some(school_ctx),
            );
            let word = rule(
                "pupil.word-name",
                Severity::Warn,
                text::PUPIL_FIRST,
                Some(school_ctx),
            );
            let like = rule(
                "pupil.name-like",
                Severity::Warn,
                text::PUPIL_NAME_LIKE,
                None,
            );
            r.name = self.rule(name);
            r.first = self.rule(first);
            r.word = self.rule(word);
            r.like = self.rule(like);
        }
        if staff {
            r.staff = self.rule(Rule {
                id: format!("{}/staff.name", pack.id),
                category: Category::Staff,
                severity: Severity::Warn,
                message: text::STAFF_NAME.into(),
                advice: text::STAFF_ADVICE.into(),
                clause: clause(Category::Staff, text::STAFF_CLAUSE),
                fields: all,
                near: None,
            });
        }
        r
    }

    fn add_pack(&mut self, pack: &Pack) -> PackInfo {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let clause = |c: Category, default: &str| {
            pack.clauses
                .get(&c)
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        let all = 0xff;

        // Rosters: pupils and staff, plain or hashed, looked up by key word run by word
        // run rather than put in the automaton (about 5x faster to build for a
        // 30,000-pupil roster). Plain and hashed go through the same spellings
        // (crate::roster), so they find the same things.
        let hashed = pack.hashed_roster.as_ref();
        let n_pupils = pack.pupils.len() + hashed.map_or(0, |h| h.pupils);
        let n_staff = pack.staff.len() + hashed.map_or(0, |h| h.staff);
        if n_pupils > 0 || n_staff > 0 {
            let rules = self.roster_rules(pack, n_pupils > 0, n_staff > 0, &clause);
            if n_pupils > 0 {
                *counts.entry("pupil".into()).or_default() += n_pupils;
            }
            if n_staff > 0 {
                *counts.entry("staff".into()).or_default() += n_staff;
            }
            if !pack.pupils.is_empty() || !pack.staff.is_empty() {
                let parts = RosterParts::plain(&pack.pupils, &pack.staff, &rules);
                self.hashed.push(parts.index(RosterKey::Fast, rules));
            }
            if let Some(h) = hashed {
                // Validated with the pack: the salt and the lists decode.
                if let Ok(salt) = crate::hashed::salt_bytes(&pack.id, &h.salt) {
                    let parts = RosterParts::hashed(&pack.id, h, &rules);
                    let key = RosterKey::Keyed(crate::hashed::Hasher::new(&salt));
                    self.hashed.push(parts.index(key, rules));
                }
            }
        }

        // Schools and the trust.
        if !pack.schools.is_empty() || !pack.trust_names.is_empty() {
            *counts.entry("school".into()).or_default() +=
                pack.schools.len() + pack.trust_names.len();
            let sclause = clause(Category::School, text::SCHOOL_CLAUSE);
            let name = self.rule(Rule {
                id: format!("{}/school.name", pack.id),
                category: Category::School,
                severity: Severity::Warn,
                message: text::SCHOOL_NAME.into(),
                advice: text::SCHOOL_ADVICE.into(),
                clause: sclause.clone(),
                fields: all,
                near: None,
            });
            let contact = self.rule(Rule {
                id: format!("{}/school.contact", pack.id),
                category: Category::School,
                severity: Severity::Warn,
                message: text::SCHOOL_CONTACT.into(),
                advice: text::SCHOOL_ADVICE.into(),
                clause: sclause,
                fields: all,
                near: None,
            });
            // A street found in every town ("Church Road") is the school only near
            // school words.
            let near_ctx = self.context_group(
                &SCHOOL_CONTEXT
                    .iter()
                    .chain(SCHOOL_PLACE_CONTEXT)
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            );
            let contact_near = self.rule(Rule {
                id: format!("{}/school.contact", pack.id),
                category: Category::School,
                severity: Severity::Warn,
                message: text::SCHOOL_CONTACT.into(),
                advice: text::SCHOOL_ADVICE.into(),
                clause: clause(Category::School, text::SCHOOL_CLAUSE),
                fields: all,
                near: Some(near_ctx),
            });
            let en = Entry {
                rule: name,
                kind: Kind::Flag,
            };
            let ec = Entry {
                rule: contact,
                kind: Kind::Flag,
            };
            let school_name = |v: &str| {
                if variants::is_saint_alone(v) {
                    Entry::new(name, Kind::SaintAlone)
                } else {
                    en
                }
            };
            for t in &pack.trust_names {
                for v in variants::school_names(t) {
                    self.add(&v, school_name(&v));
                }
            }
            for s in &pack.schools {
                for v in variants::school_names(&s.name) {
                    self.add(&v, school_name(&v));
                }
                for a in s.aliases.iter().chain(&s.hashtags) {
                    self.add_raw(a, en);
                }
                for a in &s.address {
                    let e = if variants::is_common_street(a) {
                        Entry::new(contact_near, Kind::Flag)
                    } else {
                        ec
                    };
                    for v in variants::street_forms(a) {
                        self.add(&v, e);
                    }
                }
                for p in &s.postcodes {
                    for v in variants::postcode_forms(p) {
                        self.add(&v, ec);
                    }
                }
                for p in &s.phones {
                    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                    if let Some(n) = uk_national(&digits) {
                        self.school_phones.insert(n, contact);
                    }
                    for v in variants::phone_forms(p) {
                        self.add(&v, ec);
                    }
                }
                for d in &s.domains {
                    for v in variants::domain_forms(d) {
                        self.add(&v, ec);
                    }
                }
            }
        }

        // Term lists.
        for list in &pack.term_lists {
            *counts.entry(list.category.as_str().into()).or_default() += list.terms.len();
            let near = if list.near.is_empty() {
                None
            } else {
                Some(self.context_group(&list.near))
            };
            let r = self.rule(Rule {
                id: format!("{}/{}", pack.id, list.id),
                category: list.category,
                severity: list.severity,
                message: list.message.clone(),
                advice: list.advice.clone(),
                clause: list.clause.clone(),
                fields: field_mask(&list.fields),
                near,
            });
            let disclaimer = list.category == Category::Affiliation;
            if disclaimer && self.affiliation_rule.is_none() {
                self.affiliation_rule = Some(r);
            }
            for t in &list.terms {
                let kind = if disclaimer {
                    Kind::Disclaimer
                } else if is_acronym(t) {
                    Kind::CapsOnly
                } else {
                    Kind::Flag
                };
                self.add_raw(t, Entry { rule: r, kind });
                // Plurals ("CP plans", "EHCPs", "MASH referrals", "blazers").
                if !disclaimer {
                    for p in plurals(t) {
                        self.add_raw(&p, Entry { rule: r, kind });
                    }
                }
            }
        }

        // Patterns (validated with the pack).
        for p in &pack.patterns {
            *counts.entry(p.category.as_str().into()).or_default() += 1;
            let r = self.rule(Rule {
                id: format!("{}/{}", pack.id, p.id),
                category: p.category,
                severity: p.severity,
                message: p.message.clone(),
                advice: p.advice.clone(),
                clause: p.clause.clone(),
                fields: field_mask(&p.fields),
                near: None,
            });
            let re = crate::limits::compile_regex(&p.regex, p.case_sensitive)
                .expect("patterns are validated when the pack is parsed");
            self.regexes.push((r, re));
        }

        // Allow list.
        if !pack.allow.is_empty() {
            *counts.entry("allow".into()).or_default() += pack.allow.len();
            for a in &pack.allow {
                self.add_raw(
                    a,
                    Entry {
                        rule: 0,
                        kind: Kind::Allow,
                    },
                );
            }
        }

        PackInfo {
            id: pack.id.clone(),
            name: pack.name.clone(),
            version: pack.version.clone(),
            expires: pack.expires.clone(),
            counts,
        }
    }
}

/// The plural spellings of a term's last word: `+s`, and `y` → `ies` after a consonant.
/// None for a word that already ends in `s` or is not letters.
fn plurals(t: &str) -> Vec<String> {
    let last = t.rsplit(' ').next().unwrap_or(t);
    if last.len() < 2 || !last.chars().all(char::is_alphabetic) || last.ends_with(['s', 'S']) {
        return Vec::new();
    }
    let upper = last.chars().all(char::is_uppercase);
    let mut out = vec![format!("{t}s")];
    if !upper && last.ends_with('y') && !last[..last.len() - 1].ends_with(['a', 'e', 'o', 'u']) {
        out.push(format!("{}ies", &t[..t.len() - 1]));
    }
    out
}

/// A term written in capitals, of two to five letters: matched only in capitals.
fn is_acronym(t: &str) -> bool {
    let t = t.strip_suffix('s').unwrap_or(t);
    let n = t.chars().count();
    (2..=5).contains(&n) && t.chars().all(|c| c.is_ascii_uppercase())
}

impl Engine {
    /// Compiles the built-in default pack plus `packs`, in order.
    ///
    /// # Errors
    /// Never for packs that passed [`Pack::from_json`]; the `Result` is for the
    /// automaton's own limits (a [`PackError`] naming the engine).
    pub fn new(packs: &[Pack]) -> Result<Engine, PackError> {
        let default = crate::default_pack();
        let mut all = Vec::with_capacity(packs.len() + 1);
        all.push(&default);
        all.extend(packs.iter());
        Self::build(&all)
    }

    /// Compiles exactly `packs`, without the built-in default pack.
    ///
    /// # Errors
    /// As [`Engine::new`].
    pub fn without_default(packs: &[Pack]) -> Result<Engine, PackError> {
        Self::build(&packs.iter().collect::<Vec<_>>())
    }

    fn build(packs: &[&Pack]) -> Result<Engine, PackError> {
        let mut c = Compiler::default();
        // Rule 0 is a placeholder for allow-list and context entries.
        c.rule(Rule {
            id: String::new(),
            category: Category::Affiliation,
            severity: Severity::Info,
            message: String::new(),
            advice: String::new(),
            clause: String::new(),
            fields: 0,
            near: None,
        });
        let infos: Vec<PackInfo> = packs.iter().map(|p| c.add_pack(p)).collect();
        let matcher = if c.patterns.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                // A contiguous NFA: near a DFA's search speed at a fraction of its build
                // time (measured: the DFA took 0.3 s of a 30,000-pupil build in WASM).
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&c.patterns)
                .map_err(|e| {
                    PackError::new("engine", None, format!("cannot build the matcher: {e}"))
                })?;
            Some(ac)
        };
        let mut pattern_entries = Vec::with_capacity(c.entries.len());
        let mut entries = Vec::new();
        for list in &c.entries {
            let s = entries.len() as u32;
            entries.extend_from_slice(list);
            pattern_entries.push((s, entries.len() as u32));
        }
        Ok(Engine {
            matcher,
            pattern_entries,
            entries,
            rules: c.rules,
            regexes: c.regexes,
            affiliation_rule: c.affiliation_rule,
            hashed: c.hashed,
            school_phones: c.school_phones,
            packs: infos,
            patterns: c.patterns.len(),
        })
    }

    /// The packs compiled in, the built-in default pack first (when included).
    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    /// Number of distinct normalised spellings in the term automaton (terms, schools,
    /// aliases, context words, allow list); roster spellings are in the keyed index and
    /// are not counted here.
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    /// Scans a whole draft: body, image alt texts, attached file names and link URLs.
    ///
    /// Findings are sorted by field (body, alt, file, link), field index and start;
    /// overlapping findings within a field keep only the most severe (then the leftmost,
    /// then the longest).
    /// Each field is checked up to [`crate::limits::MAX_FIELD_BYTES`]; the result says
    /// which fields were cut.
    pub fn scan(&self, draft: &Draft) -> ScanResult {
        let mut result = ScanResult::default();
        let mut scratch = Scratch::default();
        let fields = std::iter::once((FieldKind::Body, 0usize, draft.body.as_str()))
            .chain(
                draft
                    .alt
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (FieldKind::Alt, i, t.as_str())),
            )
            .chain(
                draft
                    .files
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (FieldKind::File, i, t.as_str())),
            )
            .chain(
                draft
                    .links
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (FieldKind::Link, i, t.as_str())),
            );
        let mut disclaimer = false;
        for (kind, index, text) in fields {
            let (text, cut) = crate::finding::truncate_field(text);
            if let Some(checked) = cut {
                result.truncated.push(Truncation {
                    field: kind,
                    field_index: index,
                    checked_bytes: checked,
                });
            }
            disclaimer |= self.scan_field(text, kind, index, &mut scratch, &mut result.findings);
        }
        if let Some(r) = self.affiliation_rule {
            if !disclaimer {
                if let Some(first) = result
                    .findings
                    .iter()
                    .find(|f| f.category == Category::School)
                {
                    let rule = &self.rules[r as usize];
                    let mut f = first.clone();
                    f.category = rule.category;
                    f.severity = rule.severity;
                    f.rule = rule.id.clone();
                    f.message = rule.message.clone();
                    f.advice = rule.advice.clone();
                    f.clause = rule.clause.clone();
                    result.findings.push(f);
                }
            }
        }
        result.findings.sort_by_key(|f| {
            (
                f.field,
                f.field_index,
                f.start,
                f.end,
                std::cmp::Reverse(f.severity),
            )
        });
        result
    }

    /// Scans one text as a draft body. Shorthand for [`Engine::scan`] with only a body.
    pub fn scan_text(&self, body: &str) -> Vec<Finding> {
        self.scan(&Draft {
            body: body.to_string(),
            ..Draft::default()
        })
        .findings
    }

    /// Scans one field; returns whether a disclaimer phrase was seen.
    fn scan_field(
        &self,
        text: &str,
        field: FieldKind,
        index: usize,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> bool {
        s.clear();
        let view = normalize::normalize(text);
        // Word starts in the original, for the `near` windows.
        s.word_starts
            .extend(view.words().map(|(a, _)| view.original_range(a, a + 1).0));
        self.collect(&view, text, s);
        if let Some(joined) = normalize::join_spaced_letters(&view) {
            self.collect(&joined, text, s);
        }
        // Hashtags and handles whose capitals fall mid-word ("#StPeterandPaulRC"):
        // terms and schools (roster names in such words are read in the main view,
        // where the capitals split them into words).
        for whole in normalize::uncamelled_views(text) {
            self.collect_terms(&whole, text, s);
        }
        // Percent-encoding, HTML references, emoji inside words, right-to-left overrides.
        for decoded in normalize::decoded_views(text) {
            self.collect(&decoded, text, s);
        }
        // Digits for letters ("T0m Sm1th"): offsets of a reading are offsets of `text`.
        for v in normalize::leet_views(text) {
            self.collect(&v, text, s);
            if let Some(joined) = normalize::join_spaced_letters(&v) {
                self.collect(&joined, text, s);
            }
        }
        let bit = field_bit(field);
        for (r, re) in &self.regexes {
            if self.rules[*r as usize].fields & bit == 0 {
                continue;
            }
            for m in re.find_iter(text.as_bytes()) {
                if m.start() < m.end() {
                    // Widen to whole characters: ASCII classes can stop inside one.
                    let (mut start, mut end) = (m.start(), m.end());
                    while !text.is_char_boundary(start) {
                        start -= 1;
                    }
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    s.cands.push(Cand {
                        rule: *r,
                        start,
                        end,
                    });
                }
            }
        }
        if !self.school_phones.is_empty() {
            self.collect_school_phones(text, s);
        }
        let word_of = |pos: usize| s.word_starts.partition_point(|&w| w <= pos);
        // Context words by group and first word, so that a candidate looks only at
        // the ones within reach.
        let mut ctx: Vec<(u16, usize, usize, usize, usize)> = s
            .context
            .iter()
            .map(|&(g, cs, ce)| (g, word_of(cs), word_of(ce.saturating_sub(1)), cs, ce))
            .collect();
        ctx.sort_unstable();
        let mut kept: Vec<Cand> = Vec::with_capacity(s.cands.len());
        for c in &s.cands {
            let rule = &self.rules[c.rule as usize];
            if rule.fields & bit == 0 {
                continue;
            }
            if let Some(g) = rule.near {
                let (a, b) = (word_of(c.start), word_of(c.end.saturating_sub(1)));
                // A context phrase is a few words long: one starting further back than
                // this cannot end within the window.
                let from = (g, a.saturating_sub(NEAR_WINDOW_WORDS + 8), 0, 0, 0);
                let first = ctx.partition_point(|e| *e < from);
                let near = ctx[first..]
                    .iter()
                    .take_while(|e| e.0 == g && e.1 <= b + NEAR_WINDOW_WORDS)
                    .any(|&(_, x, y, cs, ce)| {
                        // Distance in words between the two spans (0 when they touch).
                        let gap = if y < a { a - y } else { x.saturating_sub(b) };
                        gap <= NEAR_WINDOW_WORDS && (ce <= c.start || cs >= c.end)
                    });
                if !near {
                    continue;
                }
            }
            if s.allow.iter().any(|&(a, b)| a <= c.start && c.end <= b) {
                continue;
            }
            kept.push(*c);
        }
        // The school's own contact details outrank generic personal ones: a personal
        // phone or email match that overlaps a school one becomes part of it
        // ("office@stmarks.example.sch.uk" is the school's address, "+44 161 ..." its
        // phone with the plus sign).
        absorb_into_school(&self.rules, &mut kept);
        // Most severe first, then leftmost, then longest; keep what does not overlap.
        kept.sort_by(|x, y| {
            let (rx, ry) = (&self.rules[x.rule as usize], &self.rules[y.rule as usize]);
            ry.severity
                .cmp(&rx.severity)
                .then(x.start.cmp(&y.start))
                .then((y.end - y.start).cmp(&(x.end - x.start)))
                .then(x.rule.cmp(&y.rule))
        });
        let mut chosen: Vec<Cand> = Vec::new();
        for c in kept {
            if chosen.iter().all(|k| c.end <= k.start || k.end <= c.start) {
                chosen.push(c);
            }
        }
        chosen.sort_by_key(|c| (c.start, c.end));
        let mut utf16 = crate::finding::Utf16Counter::new(text);
        for c in chosen {
            let rule = &self.rules[c.rule as usize];
            let utf16_start = utf16.at(c.start);
            let utf16_end = utf16.at(c.end);
            out.push(Finding {
                category: rule.category,
                severity: rule.severity,
                rule: rule.id.clone(),
                field,
                field_index: index,
                start: c.start,
                end: c.end,
                utf16_start,
                utf16_end,
                text: text[c.start..c.end].to_string(),
                message: rule.message.clone(),
                advice: rule.advice.clone(),
                clause: rule.clause.clone(),
            });
        }
        s.disclaimer
    }

    /// Finds the schools' phone numbers written in any grouping: every run of digits,
    /// spaces, dots, dashes and brackets (with an optional leading `+`) is compared by
    /// its digits, read as a UK national number (`+44 (0)161 496 0000`, `0161-496-0000`
    /// and `01614960000` are one number).
    fn collect_school_phones(&self, text: &str, s: &mut Scratch) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !(b[i].is_ascii_digit()
                || (b[i] == b'+' || b[i] == b'(')
                    && b.get(i + 1)
                        .is_some_and(|c| c.is_ascii_digit() || *c == b'0'))
            {
                i += 1;
                continue;
            }
            // Not in the middle of a longer word or number.
            if i > 0 && b[i - 1].is_ascii_alphanumeric() {
                i += 1;
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                continue;
            }
            let start = i;
            let mut digits = String::new();
            let mut last_digit = i;
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b" .-()+".contains(&b[j])) {
                if b[j].is_ascii_digit() {
                    digits.push(b[j] as char);
                    last_digit = j;
                }
                if digits.len() > 14 {
                    break;
                }
                j += 1;
            }
            let end = last_digit + 1;
            let after_ok = b.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
            if after_ok {
                if let Some(&rule) = uk_national(&digits).and_then(|n| self.school_phones.get(&n)) {
                    s.cands.push(Cand { rule, start, end });
                }
            }
            i = j.max(i + 1);
        }
    }

    /// Runs the automaton over one view and sorts what it finds into candidates,
    /// context words, allow-list spans and disclaimers (all in original byte offsets).
    fn collect(&self, view: &View, text: &str, s: &mut Scratch) {
        self.collect_terms(view, text, s);
        if !self.hashed.is_empty() {
            self.collect_hashed(view, text, s);
        }
    }

    /// Runs the automaton (terms, schools, context words, allow list) over one view.
    fn collect_terms(&self, view: &View, text: &str, s: &mut Scratch) {
        let matches = self
            .matcher
            .iter()
            .flat_map(|ac| ac.find_overlapping_iter(view.text.as_str()));
        for m in matches {
            // Patterns are " term ": strip the padding spaces.
            let (vs, ve) = (m.start() + 1, m.end() - 1);
            let (start, end) = view.original_range(vs, ve);
            let (a, b) = self.pattern_entries[m.pattern().as_usize()];
            for e in &self.entries[a as usize..b as usize] {
                push_entry(*e, start, end, text, false, s);
            }
        }
    }

    /// Looks up every run of one to `max_words` words of the view in the rosters, and
    /// every given name next to a surname in their name pairs.
    fn collect_hashed(&self, view: &View, text: &str, s: &mut Scratch) {
        let mut words = std::mem::take(&mut s.words);
        let mut keys = std::mem::take(&mut s.keys);
        words.clear();
        words.extend(view.words());
        s.sounds.clear();
        s.sounds.resize(words.len(), None);
        for h in &self.hashed {
            keys.clear();
            keys.extend(words.iter().map(|&(a, b)| h.hasher.key(&view.text[a..b])));
            for w in 0..words.len() {
                let first = keys[w];
                if h.starts.as_ref().is_none_or(|st| st.contains(&first)) {
                    for n in 1..=h.max_words.min(words.len() - w) {
                        let (vs, ve) = (words[w].0, words[w + n - 1].1);
                        let key = if n == 1 {
                            first
                        } else {
                            h.hasher.key(&view.text[vs..ve])
                        };
                        let Some(&(a, b)) = h.index.get(&key) else {
                            continue;
                        };
                        let (start, end) = view.original_range(vs, ve);
                        // A spelling ending in a one-letter word is "Tom S".
                        let last = words[w + n - 1];
                        let initial = n > 1 && last.1 - last.0 == 1;
                        for e in &h.entries[a as usize..b as usize] {
                            push_entry(*e, start, end, text, initial, s);
                        }
                    }
                }
                if let Some(&(a, b)) = h.given.get(&first) {
                    let tokens = &h.tokens[a as usize..b as usize];
                    collect_pairs(h, view, text, &words, w, tokens, s);
                }
                // A given name the map knows is read through its spellings and slips
                // above; only an unknown spelling is read by its sound.
                if w + 1 < words.len() && !h.given.contains_key(&first) {
                    collect_sounds(h, view, text, &words, w, s);
                }
            }
        }
        s.words = words;
        s.keys = keys;
    }
}

/// A given name at word `w` of the view (standing for the roster `tokens`): looks up
/// the word after it and the word before it ("Alfie Tennant", "Tennant, Alfie") as a
/// surname of the same pupil, as written, then as a one-letter slip.
fn collect_pairs(
    h: &HashedMatcher,
    view: &View,
    text: &str,
    words: &[(usize, usize)],
    w: usize,
    tokens: &[u64],
    s: &mut Scratch,
) {
    use crate::roster::{pair_bytes, PairKind, SLIP_MIN_WORD};
    let orig = |i: usize| {
        let (a, b) = view.original_range(words[i].0, words[i].1);
        &text[a..b]
    };
    // A word written with a capital, or starting with a digit for a letter ("4lfie").
    let cap = |t: &str| is_capitalised(t) || t.starts_with(|c: char| c.is_ascii_digit());
    let given_cap = cap(orig(w));
    // A nickname or another spelling counts only capitalised ("Will Smith", not
    // "will smith").
    let usable = |t: &&u64| given_cap || **t & ALTERNATE_BIT == 0;
    if !tokens.iter().any(|t| usable(&t)) {
        return;
    }
    let mut buf = std::mem::take(&mut s.buf);
    for j in [w + 1, w.wrapping_sub(1)] {
        if j >= words.len() {
            continue;
        }
        let other = &view.text[words[j].0..words[j].1];
        let (lo, hi) = (w.min(j), w.max(j));
        let mut hit = |word: &str, kind: PairKind, skip: Option<(usize, usize)>| {
            tokens.iter().filter(usable).any(|&t| {
                let bytes = pair_bytes(&mut buf, t & !ALTERNATE_BIT, kind, word, skip);
                h.pairs.contains(&h.hasher.key_bytes(bytes))
            })
        };
        // The span, taking in the first half of a double given name
        // ("Muhammad-Uzair Upton").
        let (start, end) = view.original_range(words[lo].0, words[hi].1);
        let start = with_hyphenated_start(text, start);
        if hit(other, PairKind::Exact, None) {
            let e = Entry::new(h.rules.name, Kind::Person);
            push_entry(e, start, end, text, false, s);
            continue;
        }
        // A slip: both words capitalised, the surname long enough to tell apart.
        if !given_cap || other.chars().count() < SLIP_MIN_WORD || !cap(orig(j)) {
            continue;
        }
        // The word as written, then without each letter in turn; a possessive's
        // stem the same way ("Whitlok's").
        let mut slip_of = |word: &str| {
            hit(word, PairKind::Slip, None)
                || word
                    .char_indices()
                    .any(|(i, c)| hit(word, PairKind::Slip, Some((i, i + c.len_utf8()))))
        };
        let stem = other
            .strip_suffix('s')
            .filter(|st| st.chars().count() >= SLIP_MIN_WORD);
        if slip_of(other) || stem.is_some_and(&mut slip_of) {
            let e = Entry::new(h.rules.like, Kind::Person);
            push_entry(e, start, end, text, false, s);
        }
    }
    s.buf = buf;
}

/// `initial` says the matched spelling ends in an initial ("Tom S").
fn push_entry(e: Entry, start: usize, end: usize, text: &str, initial: bool, s: &mut Scratch) {
    let cand = Cand {
        rule: e.rule,
        start,
        end,
    };
    match e.kind {
        Kind::Flag => s.cands.push(cand),
        Kind::CapsOnly if is_all_caps(&text[start..end]) => s.cands.push(cand),
        Kind::Capitalised if first_name_alone(text, start, end) => s.cands.push(cand),
        Kind::MidSentence
            if first_name_alone(text, start, end) && !at_sentence_start(&text[..start]) =>
        {
            s.cands.push(cand)
        }
        Kind::Person if person_alone(text, start, end, initial) => s.cands.push(cand),
        Kind::SaintAlone if saint_alone(text, start, end) => s.cands.push(cand),
        Kind::CapsOnly
        | Kind::Capitalised
        | Kind::MidSentence
        | Kind::Person
        | Kind::SaintAlone => {}
        Kind::Allow => s.allow.push((start, end)),
        Kind::Context(g) => s.context.push((g, start, end)),
        Kind::Disclaimer => s.disclaimer = true,
    }
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    rule: u32,
    start: usize,
    end: usize,
}

/// Reusable buffers for one field's scan.
#[derive(Default)]
struct Scratch {
    cands: Vec<Cand>,
    context: Vec<(u16, usize, usize)>,
    allow: Vec<(usize, usize)>,
    word_starts: Vec<usize>,
    /// Word ranges of the view being looked up in the hashed rosters (a buffer).
    words: Vec<(usize, usize)>,
    /// Keys of those words under one roster's hasher (a buffer).
    keys: Vec<u64>,
    /// Bytes of a pair key being built (a buffer).
    buf: Vec<u8>,
    /// The sound code of each word of the view, once computed (empty: none).
    sounds: Vec<Option<String>>,
    disclaimer: bool,
}

impl Scratch {
    fn clear(&mut self) {
        self.cands.clear();
        self.context.clear();
        self.allow.clear();
        self.word_starts.clear();
        self.disclaimer = false;
    }
}

/// The UK national form of a phone number's digits: `44...` and `440...` become
/// `0...`. `None` unless it has 10 or 11 digits starting with 0.
pub(crate) fn uk_national(digits: &str) -> Option<String> {
    let n = if let Some(rest) = digits.strip_prefix("440") {
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("44") {
        format!("0{rest}")
    } else {
        digits.to_string()
    };
    (n.starts_with('0') && (10..=11).contains(&n.len())).then_some(n)
}

/// Merges personal contact candidates into the school contact candidates they overlap
/// (see [`Engine::scan`]).
fn absorb_into_school(rules: &[Rule], kept: &mut Vec<Cand>) {
    let is = |c: &Cand, cat: Category| rules[c.rule as usize].category == cat;
    if !kept.iter().any(|c| is(c, Category::School))
        || !kept.iter().any(|c| is(c, Category::Personal))
    {
        return;
    }
    let mut absorbed = vec![false; kept.len()];
    for i in 0..kept.len() {
        if !is(&kept[i], Category::School) {
            continue;
        }
        for j in 0..kept.len() {
            let (a, b) = (kept[i], kept[j]);
            if is(&b, Category::Personal) && a.start < b.end && b.start < a.end {
                kept[i].start = a.start.min(b.start);
                kept[i].end = a.end.max(b.end);
                absorbed[j] = true;
            }
        }
    }
    let mut k = 0;
    kept.retain(|_| {
        k += 1;
        !absorbed[k - 1]
    });
}

/// Two capitalised words at `w` and `w + 1` that sound like a pupil's given name and
/// surname ([`crate::roster::phonetic`]): a looser reading, reported as close to a name.
fn collect_sounds(
    h: &HashedMatcher,
    view: &View,
    text: &str,
    words: &[(usize, usize)],
    w: usize,
    s: &mut Scratch,
) {
    use crate::roster::{pair_bytes, phonetic, sound_bytes, sounds_specific, PairKind};
    let orig = |i: usize| {
        let (a, b) = view.original_range(words[i].0, words[i].1);
        &text[a..b]
    };
    let (g, f) = (words[w], words[w + 1]);
    // Both words capitalised, at least three letters, written apart by spaces only
    // ("#Yemen #Burma" is two tags): cheap tests first, the sound codes only then,
    // each word's code computed once.
    if g.1 - g.0 < 3 || f.1 - f.0 < 3 || !is_capitalised(orig(w)) || !is_capitalised(orig(w + 1)) {
        return;
    }
    let (gap_start, gap_end) = (
        view.original_range(g.0, g.1).1,
        view.original_range(f.0, f.1).0,
    );
    // (A view read right to left may have them the other way round: not a name here.)
    let gap = text.get(gap_start..gap_end).unwrap_or("");
    if gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\u{a0}') {
        return;
    }
    // A capitalised everyday word is not a given name however it sounds ("Was
    // Muhammad Ali a prophet?").
    let given = &view.text[g.0..g.1];
    if LEAD_INS.contains(&given) || SOUND_STOP_WORDS.contains(&given) {
        return;
    }
    let mut code = |i: usize, (a, b): (usize, usize)| {
        s.sounds[i]
            .get_or_insert_with(|| phonetic(&view.text[a..b]).unwrap_or_default())
            .clone()
    };
    let (gc, fc) = (code(w, g), code(w + 1, f));
    if gc.is_empty() || fc.is_empty() {
        return;
    }
    if !sounds_specific(&gc, &fc) {
        return;
    }
    let mut buf = std::mem::take(&mut s.buf);
    let found = h
        .given
        .get(&h.hasher.key_bytes(sound_bytes(&mut buf, &gc)))
        .is_some_and(|&(a, b)| {
            h.tokens[a as usize..b as usize].iter().any(|&t| {
                let bytes = pair_bytes(&mut buf, t & !ALTERNATE_BIT, PairKind::Sound, &fc, None);
                h.pairs.contains(&h.hasher.key_bytes(bytes))
            })
        });
    s.buf = buf;
    if found {
        let (start, end) = view.original_range(g.0, f.1);
        let start = with_hyphenated_start(text, start);
        push_entry(
            Entry::new(h.rules.like, Kind::Person),
            start,
            end,
            text,
            false,
            s,
        );
    }
}
