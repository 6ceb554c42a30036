//! A person's spellings: full names in both orders, possessives, the squashed hashtag
//! form, first name and surname initial, preferred names; which first names may stand
//! alone; staff titles.

use std::collections::BTreeSet;

use super::{forms, squashed};
use crate::normalize::{normalize_term_with, Options};
use crate::pack::{Pupil, StaffMember};

/// Forms of a person's full name: forename then surname, its possessive
/// (`tom smiths`), surname then forename ("Smith, Tom"), and the squashed hashtag or
/// handle form (`tomsmith`).
pub(crate) fn full_names(forenames: &[&str], surnames: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in forenames {
        for s in surnames {
            for ff in forms(f) {
                for ss in surname_forms(s) {
                    let a = format!("{ff} {ss}");
                    let b = format!("{ss} {ff}");
                    if let Some(q) = squashed(&a) {
                        out.insert(q);
                    }
                    // Possessive: "Tom Smith's" reads as "tom smiths".
                    out.insert(format!("{a}s"));
                    out.insert(a);
                    out.insert(b);
                }
            }
        }
    }
    out
}

/// The normalised forms of a surname, plus a multi-part surname written as one word
/// (`Van der Berg`: `van der berg`, `vanderberg`; `Smith-Jones`: `smithjones`).
pub(crate) fn surname_forms(raw: &str) -> BTreeSet<String> {
    let mut out = forms(raw);
    let squashed: Vec<String> = out
        .iter()
        .filter(|f| f.contains(' '))
        .map(|f| f.replace(' ', ""))
        .collect();
    out.extend(squashed);
    out
}

/// "Tom S": forename and the surname's initial.
pub(crate) fn initial_names(forenames: &[&str], surnames: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in forenames {
        for s in surnames {
            let Some(ini) = forms(s).first().and_then(|x| x.chars().next()) else {
                continue;
            };
            for ff in forms(f) {
                out.insert(format!("{ff} {ini}"));
            }
        }
    }
    out
}

/// The forenames and surnames a pupil is known by: legal and preferred.
pub(crate) fn pupil_name_parts(p: &Pupil) -> (Vec<&str>, Vec<&str>) {
    /// The legal name, then the preferred one when it is given and not blank.
    fn with_preferred<'a>(legal: &'a str, preferred: Option<&'a str>) -> Vec<&'a str> {
        let mut out = vec![legal];
        out.extend(preferred.filter(|s| !s.trim().is_empty()));
        out
    }
    (
        with_preferred(&p.forename, p.preferred_forename.as_deref()),
        with_preferred(&p.surname, p.preferred_surname.as_deref()),
    )
}

/// Every normalised spelling of a pupil's name that is a finding wherever it appears:
/// the full-name forms (both orders, possessive, squashed) and forename plus surname initial ("Tom S").
pub fn pupil_names(p: &Pupil) -> BTreeSet<String> {
    let (f, s) = pupil_name_parts(p);
    let mut out = full_names(&f, &s);
    out.extend(initial_names(&f, &s));
    out
}

/// The spellings of a pupil's first name that are a finding alone (capitalised, near
/// school words): each forename that [`crate::names::first_name_may_stand_alone`]
/// allows, and its possessive (`priyas`).
pub fn pupil_first_names(p: &Pupil) -> BTreeSet<String> {
    let (f, _) = pupil_name_parts(p);
    let mut out = BTreeSet::new();
    for f in f {
        for t in forms(f) {
            if crate::names::first_name_may_stand_alone(&t) {
                out.insert(format!("{t}s"));
                out.insert(t);
            }
        }
    }
    out
}

/// The spellings of a pupil's first name that are also English words ("hope",
/// "grace"): a finding alone only when capitalised in the middle of a sentence, near
/// school words ("Proud of Hope in my form today"), never "by the grace of God".
pub fn pupil_word_names(p: &Pupil) -> BTreeSet<String> {
    let (f, _) = pupil_name_parts(p);
    let mut out = BTreeSet::new();
    for f in f {
        for t in forms(f) {
            if !t.contains(' ') && t.chars().count() >= 3 && crate::names::is_english_word(&t) {
                out.insert(t);
            }
        }
    }
    out
}

/// Every normalised spelling of a staff member's name: full name forms, and every
/// common title (plus their own) with the surname, and its possessive (`mrs okafors`).
pub fn staff_names(s: &StaffMember) -> BTreeSet<String> {
    let forenames: Vec<&str> = if s.forename.trim().is_empty() {
        vec![]
    } else {
        vec![s.forename.as_str()]
    };
    let mut out = full_names(&forenames, &[s.surname.as_str()]);
    let mut titles: Vec<String> = TITLES.iter().map(|t| t.to_string()).collect();
    if let Some(t) = &s.title {
        let t = normalize_term_with(t, Options::default());
        if !t.is_empty() && !titles.contains(&t) {
            titles.push(t);
        }
    }
    for sur in forms(&s.surname) {
        for t in &titles {
            out.insert(format!("{t} {sur}"));
            out.insert(format!("{t} {sur}s"));
        }
    }
    out
}

/// Titles matched before a staff surname.
pub(crate) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "prof", "madam", "mme",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people() {
        let f = full_names(&["Thomas", "Tom"], &["O'Brien"]);
        for want in [
            "tom obrien",
            "tom o brien",
            "obrien tom",
            "tomobrien",
            "thomas obrien",
            "tom obriens",
        ] {
            assert!(f.contains(want), "missing {want:?} in {f:?}");
        }
        let i = initial_names(&["Tom"], &["Smith"]);
        assert!(i.contains("tom s"));
    }
}
