//! What a pack's schools and term lists put into the term automaton, one school, one
//! name or one term at a time ([`Compiler::add_school`], [`Compiler::add_term`]): the
//! parts of `Compiler::add_pack` (in `compile`) that run once per entry of a list.

use super::compile::Compiler;
use super::*;

/// The rules a pack's schools raise: their names, their contact details, and contact
/// details (a street in every town) that count only near school words.
#[derive(Clone, Copy)]
pub(super) struct SchoolRules {
    pub(super) name: u32,
    pub(super) contact: u32,
    pub(super) contact_near: u32,
}

impl Compiler<'_> {
    /// The spellings of one school or trust name.
    ///
    /// This, [`Compiler::add_school`] and [`Compiler::add_term`] are functions of their
    /// own, called once a name, school or term, never inlined into the once-a-pack
    /// `add_pack`: in WebAssembly V8 optimises a function once it has run long enough,
    /// whether or not it will ever be called again; a loop of a thousand schools inlined
    /// into `add_pack` made it a 50-130 ms optimising compile, on the cores the build
    /// needs, for a call that never comes again (README "Benchmarks").
    #[inline(never)]
    pub(super) fn add_school_name(&mut self, name: &str, ids: SchoolRules) {
        for v in variants::school_names(name) {
            let e = if variants::is_saint_alone(&v) {
                Entry::new(ids.name, Kind::SaintAlone)
            } else {
                Entry::new(ids.name, Kind::Flag)
            };
            self.add(&v, e);
        }
    }

    /// One school's name, aliases, hashtags, address, postcodes, phones and domains.
    #[inline(never)]
    pub(super) fn add_school(&mut self, s: &crate::pack::School, ids: SchoolRules) {
        let en = Entry::new(ids.name, Kind::Flag);
        let ec = Entry::new(ids.contact, Kind::Flag);
        self.add_school_name(&s.name, ids);
        for a in s.aliases.iter().chain(&s.hashtags) {
            self.add_raw(a, en);
        }
        for a in &s.address {
            let e = if variants::is_common_street(a) {
                Entry::new(ids.contact_near, Kind::Flag)
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
                self.school_phones.insert(n, ids.contact);
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

    /// One term of a term list (rule `r`) in all its forms, with its plurals unless
    /// the list is an affiliation disclaimer.
    #[inline(never)]
    pub(super) fn add_term(&mut self, t: &str, r: u32, disclaimer: bool) {
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

/// The plural spellings of a term's last word: `+s`, and `y` → `ies` after a consonant.
/// None for a word that already ends in `s` or is not letters.
pub(super) fn plurals(t: &str) -> Vec<String> {
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
pub(super) fn is_acronym(t: &str) -> bool {
    let t = t.strip_suffix('s').unwrap_or(t);
    let n = t.chars().count();
    (2..=5).contains(&n) && t.chars().all(|c| c.is_ascii_uppercase())
}
