//! The scan of a draft: each field through the automaton, the roster lookups and the
//! patterns, over every reading of the text (normalised, decoded, digits for letters),
//! then the candidates weighed against context, the allow list and each other into
//! findings.

use super::*;

impl Engine {
    /// Scans a whole draft: body, image alt texts, attached file names and link URLs.
    ///
    /// Findings are sorted by field (body, alt, file, link), field index and start;
    /// overlapping findings within a field keep only the most severe (then the leftmost,
    /// then the longest).
    /// Each field is checked up to [`crate::limits::MAX_FIELD_BYTES`]; the result says
    /// which fields were cut.
    pub fn scan(&self, draft: &Draft) -> ScanResult {
        let mut result = ScanResult::default();
        let mut kept = self.scratch.try_lock().ok();
        let mut own = Scratch::default();
        let scratch = kept.as_deref_mut().unwrap_or(&mut own);
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
            disclaimer |= self.scan_field(text, kind, index, scratch, &mut result.findings);
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
    pub(super) fn scan_field(
        &self,
        text: &str,
        field: FieldKind,
        index: usize,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> bool {
        s.clear();
        let mut view = std::mem::take(&mut s.view);
        normalize::normalize_into(text, normalize::Options::default(), &mut view);
        let mut words = std::mem::take(&mut s.words);
        words.clear();
        words.extend(view.words());
        // Word starts in the original, for the `near` windows.
        s.word_starts
            .extend(words.iter().map(|&(a, _)| view.original_range(a, a + 1).0));
        self.collect_words(&view, &words, text, s);
        // Letters spaced apart, joined: only the parts around such runs are read again.
        for joined in normalize::join_spaced_letters_parts_in(&view, &words, self.join_margin) {
            self.collect(&joined, text, s);
        }
        s.words = words;
        s.view = view;
        // The words that need another reading, found in one pass.
        let spots = normalize::spots(text);
        // Hashtags and handles whose capitals fall mid-word ("#StPeterandPaulRC"):
        // terms and schools (roster names in such words are read in the main view,
        // where the capitals split them into words).
        for whole in normalize::uncamelled_views(text, &spots) {
            self.collect_terms(&whole, text, s);
        }
        // Percent-encoding, HTML references, emoji inside words, right-to-left overrides.
        for decoded in normalize::decoded_views(text, &spots) {
            self.collect(&decoded, text, s);
        }
        // Digits for letters ("T0m Sm1th"): offsets of a reading are offsets of `text`.
        for v in normalize::leet_views(text, &spots) {
            self.collect(&v, text, s);
            for joined in normalize::join_spaced_letters_parts(&v, self.join_margin) {
                self.collect(&joined, text, s);
            }
        }
        let bit = field_bit(field);
        // The field's bytes, once, when a pattern can be skipped by them (a field
        // without an `@` holds no email address).
        let present = if self.regexes.iter().any(|(_, re)| re.has_requirements()) {
            crate::dfa::byte_set(text.as_bytes())
        } else {
            [u64::MAX; 4]
        };
        for (r, re) in &self.regexes {
            if self.rules[*r as usize].fields & bit == 0 || !re.may_match(&present) {
                continue;
            }
            for m in re.find_iter(text.as_bytes()) {
                if m.start < m.end {
                    // Widen to whole characters: ASCII classes can stop inside one.
                    let (mut start, mut end) = (m.start, m.end);
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
        // The order is total (the rule last), so an unstable sort gives the same result
        // as a stable one, with less code in the WebAssembly module.
        kept.sort_unstable_by(|x, y| {
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
        // Chosen candidates do not overlap: (start, end, rule) orders them totally.
        chosen.sort_unstable_by_key(|c| (c.start, c.end, c.rule));
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
    pub(super) fn collect_school_phones(&self, text: &str, s: &mut Scratch) {
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
    pub(super) fn collect(&self, view: &View, text: &str, s: &mut Scratch) {
        let mut words = std::mem::take(&mut s.words);
        words.clear();
        words.extend(view.words());
        self.collect_words(view, &words, text, s);
        s.words = words;
    }

    /// [`Engine::collect`] with the view's words ([`View::words`]) already listed.
    pub(super) fn collect_words(
        &self,
        view: &View,
        words: &[(usize, usize)],
        text: &str,
        s: &mut Scratch,
    ) {
        self.collect_terms(view, text, s);
        if !self.hashed.is_empty() {
            self.collect_hashed(view, words, text, s);
        }
    }

    /// Runs the automaton (terms, schools, context words, allow list) over one view.
    pub(super) fn collect_terms(&self, view: &View, text: &str, s: &mut Scratch) {
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
}

/// `initial` says the matched spelling ends in an initial ("Tom S").
pub(super) fn push_entry(
    e: Entry,
    start: usize,
    end: usize,
    text: &str,
    initial: bool,
    s: &mut Scratch,
) {
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
pub(super) struct Cand {
    pub(super) rule: u32,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Reusable buffers for one field's scan (kept by the engine between scans).
#[derive(Default)]
pub(super) struct Scratch {
    /// The field's main view (a buffer).
    pub(super) view: View,
    pub(super) cands: Vec<Cand>,
    pub(super) context: Vec<(u16, usize, usize)>,
    pub(super) allow: Vec<(usize, usize)>,
    pub(super) word_starts: Vec<usize>,
    /// Word ranges of the view being read ([`View::words`]; a buffer).
    pub(super) words: Vec<(usize, usize)>,
    /// Keys of those words under one roster's hasher (a buffer).
    pub(super) keys: Vec<u64>,
    /// Bytes of a pair key being built (a buffer).
    pub(super) buf: Vec<u8>,
    /// The sound code of each word of the view, once computed (empty: none).
    pub(super) sounds: Vec<Option<String>>,
    pub(super) disclaimer: bool,
}

impl Scratch {
    pub(super) fn clear(&mut self) {
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
pub(super) fn absorb_into_school(rules: &[Rule], kept: &mut Vec<Cand>) {
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
