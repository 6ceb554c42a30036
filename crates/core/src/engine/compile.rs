//! Compiling packs into an [`Engine`]: every term, school and alias spelling into one
//! Aho-Corasick automaton with its entries, every roster into a keyed index
//! ([`super::lookup`]), every pattern into a regex, each pack's rules with their
//! messages and clauses.
//!
//! A little over 400 lines because `Compiler::add_pack` is one pass over a pack's parts
//! in the order their rules must be numbered; what it does for each school and each
//! term is in `sources`.

use super::image;
use super::lookup::{RosterKey, RosterParts, RosterRules};
use super::sources::SchoolRules;
use super::*;

/// Collects patterns and their entries while an engine is built.
#[derive(Default)]
pub(super) struct Compiler<'i> {
    /// Rosters built before, taken from here when their digest matches.
    pub(super) image: image::Image<'i>,
    /// How many rosters were taken from `image`.
    pub(super) from_image: usize,
    pub(super) index: HashMap<String, u32>,
    pub(super) patterns: Vec<String>,
    /// The most words of any pattern.
    pub(super) pattern_words: usize,
    pub(super) entries: Vec<Vec<Entry>>,
    pub(super) rules: Vec<Rule>,
    pub(super) regexes: Vec<(u32, crate::dfa::Matcher)>,
    pub(super) context: HashMap<Vec<String>, u16>,
    pub(super) context_groups: u16,
    pub(super) affiliation_rule: Option<u32>,
    pub(super) hashed: Vec<HashedMatcher>,
    pub(super) school_phones: HashMap<String, u32>,
}

impl Compiler<'_> {
    pub(super) fn rule(&mut self, r: Rule) -> u32 {
        self.rules.push(r);
        (self.rules.len() - 1) as u32
    }

    /// Adds a normalised term (words separated by single spaces) for `entry`.
    pub(super) fn add(&mut self, term: &str, entry: Entry) {
        if term.is_empty() {
            return;
        }
        let id = match self.index.get(term) {
            Some(&id) => id,
            None => {
                let id = self.patterns.len() as u32;
                self.index.insert(term.to_string(), id);
                self.patterns.push(format!(" {term} "));
                self.pattern_words = self.pattern_words.max(term.split(' ').count());
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
    pub(super) fn add_raw(&mut self, raw: &str, entry: Entry) {
        for f in variants::forms(raw) {
            if let Some(s) = variants::squashed(&f) {
                self.add(&s, entry);
            }
            self.add(&f, entry);
        }
    }

    pub(super) fn context_group(&mut self, words: &[String]) -> u16 {
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
    pub(super) fn roster_rules(
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

    /// Adds a pack's rules and entries.
    ///
    /// # Errors
    /// A pattern whose compiled form cannot be used, or (without feature
    /// `patterns-compile`) that has none: see [`crate::dfa`].
    pub(super) fn add_pack(&mut self, pack: &Pack) -> Result<PackInfo, PackError> {
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
                let digest = image::plain_digest(&pack.pupils, &pack.staff);
                let m = match self.image.roster(digest, RosterKey::Fast, rules) {
                    Some(m) => {
                        self.from_image += 1;
                        m
                    }
                    None => RosterParts::plain(&pack.pupils, &pack.staff, &rules).index(
                        RosterKey::Fast,
                        rules,
                        digest,
                    ),
                };
                self.hashed.push(m);
            }
            if let Some(h) = hashed {
                // Validated with the pack: the salt and the lists decode.
                if let Ok(salt) = crate::hashed::salt_bytes(&pack.id, &h.salt) {
                    let digest = image::hashed_digest(h);
                    let key = || RosterKey::Keyed(crate::hashed::Hasher::new(&salt));
                    let m = match self.image.roster(digest, key(), rules) {
                        Some(m) => {
                            self.from_image += 1;
                            m
                        }
                        None => {
                            RosterParts::hashed(&pack.id, h, &rules).index(key(), rules, digest)
                        }
                    };
                    self.hashed.push(m);
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
            let ids = SchoolRules {
                name,
                contact,
                contact_near,
            };
            for t in &pack.trust_names {
                self.add_school_name(t, ids);
            }
            for s in &pack.schools {
                self.add_school(s, ids);
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
                self.add_term(t, r, disclaimer);
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
            let re = crate::dfa::matcher_of(&pack.id, p).map_err(|(kind, reason)| {
                PackError::new(&format!("pack {:?}", pack.id), None, reason).with_kind(kind)
            })?;
            // Worked out now, at build, rather than in the first scan.
            re.has_requirements();
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

        Ok(PackInfo {
            id: pack.id.clone(),
            name: pack.name.clone(),
            version: pack.version.clone(),
            expires: pack.expires.clone(),
            counts,
        })
    }
}

impl Engine {
    /// Compiles the built-in default pack plus `packs`, in order.
    ///
    /// # Errors
    /// Never for packs that passed [`Pack::from_json`]; the `Result` is for the
    /// automaton's own limits (a [`PackError`] naming the engine) and for patterns of
    /// packs made in code whose compiled form cannot be used (see [`crate::dfa`]).
    pub fn new(packs: &[Pack]) -> Result<Engine, PackError> {
        Self::with_image(packs, true, &[])
    }

    /// Compiles exactly `packs`, without the built-in default pack.
    ///
    /// # Errors
    /// As [`Engine::new`].
    pub fn without_default(packs: &[Pack]) -> Result<Engine, PackError> {
        Self::with_image(packs, false, &[])
    }

    /// Compiles `packs` (after the built-in default pack when `include_default`), taking
    /// each roster whose tables `image` holds (a roster image from
    /// [`Engine::roster_image`] of an engine of the same version) from it rather than
    /// keying it again. The engine is the one [`Engine::new`] or
    /// [`Engine::without_default`] builds, whatever `image` holds: a roster the image
    /// does not hold, or holds for other names, and any bytes that are no image of this
    /// engine's (empty, cut short, of another version) are built from the pack.
    /// [`Engine::rosters_from_image`] says how many came from the image.
    ///
    /// # Errors
    /// As [`Engine::new`].
    pub fn with_image(
        packs: &[Pack],
        include_default: bool,
        image: &[u8],
    ) -> Result<Engine, PackError> {
        let default;
        let mut all = Vec::with_capacity(packs.len() + 1);
        if include_default {
            default = crate::default_pack();
            all.push(&default);
        }
        all.extend(packs.iter());
        Self::build(&all, image::Image::open(image))
    }

    /// A roster image of this engine: the tables of each of its rosters with a digest of
    /// the names (or hashed keys) each was built from, for [`Engine::with_image`]. Bytes,
    /// about 9 MB for a plain 30,000-pupil roster; empty of rosters (a few bytes) for an
    /// engine without one. It holds the rosters' keys (XXH3 of a plain roster's spellings,
    /// which a list of names can be checked against), so keep it as the pack is kept.
    pub fn roster_image(&self) -> Vec<u8> {
        image::write(&self.hashed)
    }

    /// How many of the engine's rosters were taken from a roster image
    /// ([`Engine::with_image`]) rather than built from their pack.
    pub fn rosters_from_image(&self) -> usize {
        self.rosters_from_image
    }

    /// How many rosters (plain or hashed, one a pack at most of each) the engine holds.
    pub fn roster_count(&self) -> usize {
        self.hashed.len()
    }

    fn build(packs: &[&Pack], image: image::Image<'_>) -> Result<Engine, PackError> {
        let mut c = Compiler {
            image,
            ..Compiler::default()
        };
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
        let infos: Vec<PackInfo> = packs
            .iter()
            .map(|p| c.add_pack(p))
            .collect::<Result<_, _>>()?;
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
                        .with_kind(crate::error::PackErrorKind::Engine)
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
        let longest = c
            .hashed
            .iter()
            .map(|h| h.max_words)
            .fold(c.pattern_words.max(1), usize::max);
        Ok(Engine {
            join_margin: longest + 2,
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
            scratch: Default::default(),
            rosters_from_image: c.from_image,
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
}
