//! The engine: packs compiled into one matcher, and the scan of a draft.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Serialize;

use crate::error::PackError;
use crate::finding::{Draft, Finding, ScanResult, Truncation};
use crate::normalize::{self, View};
use crate::pack::{Category, FieldKind, Pack, Severity};
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
}

/// How a roster spelling becomes its 64-bit key.
enum RosterKey {
    /// A plain roster: XXH3, fast and stable on every platform.
    Fast,
    /// A hashed roster: HMAC-SHA256 under the pack's salt, truncated.
    Keyed(crate::hashed::Hasher),
}

impl RosterKey {
    fn key(&self, spelling: &str) -> u64 {
        match self {
            RosterKey::Fast => xxhash_rust::xxh3::xxh3_64(spelling.as_bytes()),
            RosterKey::Keyed(h) => h.hash(spelling),
        }
    }
}

/// Sorts `(key, entry)` pairs into a lookup table. `starts` holds the keys of the
/// first words of the spellings, when they are known.
fn roster_index(
    hasher: RosterKey,
    max_words: usize,
    mut pairs: Vec<(u64, Entry)>,
    starts: Option<Vec<u64>>,
) -> HashedMatcher {
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
    HashedMatcher {
        hasher,
        max_words: max_words.max(1),
        index,
        entries: pairs.into_iter().map(|(_, e)| e).collect(),
        starts: starts.map(|v| v.into_iter().collect()),
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

    fn add_pack(&mut self, pack: &Pack) -> PackInfo {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let clause = |c: Category, default: &str| {
            pack.clauses
                .get(&c)
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        let all = 0xff;

        // Pupils.
        let hashed = pack.hashed_roster.as_ref();
        let hashed_pupils = hashed.map_or(0, |h| h.pupils);
        let hashed_staff = hashed.map_or(0, |h| h.staff);
        let mut hashed_entries: Vec<(u64, Entry)> = Vec::new();
        // Roster spellings are looked up by key, word run by word run, rather than put
        // in the automaton: about 5x faster to build for a 30,000-pupil roster.
        let mut plain_entries: Vec<(u64, Entry)> = Vec::new();
        let mut plain_words = 1usize;
        let mut plain_starts: Vec<u64> = Vec::new();
        let mut plain = |t: &str, e: Entry| {
            plain_words = plain_words.max(t.split(' ').count());
            plain_entries.push((RosterKey::Fast.key(t), e));
            plain_starts.push(RosterKey::Fast.key(t.split(' ').next().unwrap_or(t)));
        };
        if !pack.pupils.is_empty() || hashed_pupils > 0 {
            *counts.entry("pupil".into()).or_default() += pack.pupils.len() + hashed_pupils;
            let pclause = clause(Category::Pupil, text::PUPIL_CLAUSE);
            let name = self.rule(Rule {
                id: format!("{}/pupil.name", pack.id),
                category: Category::Pupil,
                severity: Severity::Block,
                message: text::PUPIL_NAME.into(),
                advice: text::PUPIL_NAME_ADVICE.into(),
                clause: pclause.clone(),
                fields: all,
                near: None,
            });
            let school_ctx = self.context_group(
                &SCHOOL_CONTEXT
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            );
            let first = self.rule(Rule {
                id: format!("{}/pupil.first-name", pack.id),
                category: Category::Pupil,
                severity: Severity::Warn,
                message: text::PUPIL_FIRST.into(),
                advice: text::PUPIL_NAME_ADVICE.into(),
                clause: pclause,
                fields: all,
                near: Some(school_ctx),
            });
            for p in &pack.pupils {
                for t in variants::pupil_names(p) {
                    plain(
                        &t,
                        Entry {
                            rule: name,
                            kind: Kind::Flag,
                        },
                    );
                }
                for t in variants::pupil_first_names(p) {
                    plain(
                        &t,
                        Entry {
                            rule: first,
                            kind: Kind::Capitalised,
                        },
                    );
                }
            }
            if let Some(h) = hashed {
                let src = pack.id.as_str();
                for k in
                    crate::hashed::decode(src, "pupil_names", &h.pupil_names).unwrap_or_default()
                {
                    hashed_entries.push((
                        k,
                        Entry {
                            rule: name,
                            kind: Kind::Flag,
                        },
                    ));
                }
                for k in crate::hashed::decode(src, "pupil_first_names", &h.pupil_first_names)
                    .unwrap_or_default()
                {
                    hashed_entries.push((
                        k,
                        Entry {
                            rule: first,
                            kind: Kind::Capitalised,
                        },
                    ));
                }
            }
        }

        // Staff.
        if !pack.staff.is_empty() || hashed_staff > 0 {
            *counts.entry("staff".into()).or_default() += pack.staff.len() + hashed_staff;
            let r = self.rule(Rule {
                id: format!("{}/staff.name", pack.id),
                category: Category::Staff,
                severity: Severity::Warn,
                message: text::STAFF_NAME.into(),
                advice: text::STAFF_ADVICE.into(),
                clause: clause(Category::Staff, text::STAFF_CLAUSE),
                fields: all,
                near: None,
            });
            let e = Entry {
                rule: r,
                kind: Kind::Flag,
            };
            for s in &pack.staff {
                for t in variants::staff_names(s) {
                    plain(&t, e);
                }
            }
            if let Some(h) = hashed {
                for k in crate::hashed::decode(&pack.id, "staff_names", &h.staff_names)
                    .unwrap_or_default()
                {
                    hashed_entries.push((k, e));
                }
            }
        }
        if !plain_entries.is_empty() {
            plain_starts.sort_unstable();
            plain_starts.dedup();
            self.hashed.push(roster_index(
                RosterKey::Fast,
                plain_words,
                plain_entries,
                Some(plain_starts),
            ));
        }
        if let Some(h) = hashed {
            // Validated with the pack: the salt decodes.
            if let Ok(salt) = crate::hashed::salt_bytes(&pack.id, &h.salt) {
                let key = RosterKey::Keyed(crate::hashed::Hasher::new(&salt));
                self.hashed.push(roster_index(
                    key,
                    h.max_words as usize,
                    hashed_entries,
                    None,
                ));
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
            let en = Entry {
                rule: name,
                kind: Kind::Flag,
            };
            let ec = Entry {
                rule: contact,
                kind: Kind::Flag,
            };
            for t in &pack.trust_names {
                for v in variants::school_names(t) {
                    self.add(&v, en);
                }
            }
            for s in &pack.schools {
                for v in variants::school_names(&s.name) {
                    self.add(&v, en);
                }
                for a in s.aliases.iter().chain(&s.hashtags) {
                    self.add_raw(a, en);
                }
                for a in &s.address {
                    self.add_raw(a, ec);
                }
                for p in &s.postcodes {
                    for v in variants::postcode_forms(p) {
                        self.add(&v, ec);
                    }
                }
                for p in &s.phones {
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

/// A term written in capitals, of two to five letters: matched only in capitals.
fn is_acronym(t: &str) -> bool {
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
        // Digits for letters ("T0m Sm1th"): offsets of a reading are offsets of `text`.
        for reading in normalize::leet_readings(text) {
            let v = normalize::normalize(&reading);
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
        let word_of = |pos: usize| s.word_starts.partition_point(|&w| w <= pos);
        let mut kept: Vec<Cand> = Vec::with_capacity(s.cands.len());
        for c in &s.cands {
            let rule = &self.rules[c.rule as usize];
            if rule.fields & bit == 0 {
                continue;
            }
            if let Some(g) = rule.near {
                let (a, b) = (word_of(c.start), word_of(c.end.saturating_sub(1)));
                let near = s.context.iter().any(|&(cg, cs, ce)| {
                    if cg != g {
                        return false;
                    }
                    let (x, y) = (word_of(cs), word_of(ce.saturating_sub(1)));
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

    /// Runs the automaton over one view and sorts what it finds into candidates,
    /// context words, allow-list spans and disclaimers (all in original byte offsets).
    fn collect(&self, view: &View, text: &str, s: &mut Scratch) {
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
                push_entry(*e, start, end, text, s);
            }
        }
        if !self.hashed.is_empty() {
            self.collect_hashed(view, text, s);
        }
    }

    /// Looks up every run of one to `max_words` words of the view in the hashed
    /// rosters.
    fn collect_hashed(&self, view: &View, text: &str, s: &mut Scratch) {
        let mut words = std::mem::take(&mut s.words);
        words.clear();
        words.extend(view.words());
        for h in &self.hashed {
            for w in 0..words.len() {
                for n in 1..=h.max_words.min(words.len() - w) {
                    let (vs, ve) = (words[w].0, words[w + n - 1].1);
                    let key = h.hasher.key(&view.text[vs..ve]);
                    if n == 1 && h.starts.as_ref().is_some_and(|st| !st.contains(&key)) {
                        break;
                    }
                    let Some(&(a, b)) = h.index.get(&key) else {
                        continue;
                    };
                    let (start, end) = view.original_range(vs, ve);
                    for e in &h.entries[a as usize..b as usize] {
                        push_entry(*e, start, end, text, s);
                    }
                }
            }
        }
        s.words = words;
    }
}

/// Sorts one matched entry into candidates, context words, allow-list spans and
/// disclaimers (all in original byte offsets).
fn push_entry(e: Entry, start: usize, end: usize, text: &str, s: &mut Scratch) {
    let cand = Cand {
        rule: e.rule,
        start,
        end,
    };
    match e.kind {
        Kind::Flag => s.cands.push(cand),
        Kind::CapsOnly if is_all_caps(&text[start..end]) => s.cands.push(cand),
        Kind::Capitalised
            if is_capitalised(&text[start..end]) && !next_word_capitalised(&text[end..]) =>
        {
            s.cands.push(cand)
        }
        Kind::CapsOnly | Kind::Capitalised => {}
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

/// Whether the words have letters and all of them are capitals ("LAC", "EHCP").
fn is_all_caps(words: &str) -> bool {
    let mut letters = words.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// Whether the first letter is a capital ("Grace", not "grace").
fn is_capitalised(words: &str) -> bool {
    words
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// Whether the words after a first name start with a capital on the same line
/// ("Cristiano Ronaldo"): then the first name belongs to somebody's full name.
fn next_word_capitalised(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t', '\u{a0}']);
    rest.len() < after.len() && rest.chars().next().is_some_and(char::is_uppercase)
}
