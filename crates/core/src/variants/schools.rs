//! A school's spellings: its register name with Saint / St / Ss, with and without
//! apostrophes, its designating words dropped while two distinctive words remain, its
//! hashtag and initials; street names in their usual abbreviations.

use std::collections::BTreeSet;

use super::{forms, squashed};

/// Words that describe what kind of school it is rather than which school. A school
/// name stripped of them is still matched when what is left is distinctive.
const DESIGNATORS: &[&str] = &[
    "academy",
    "aided",
    "and",
    "c",
    "catholic",
    "ce",
    "church",
    "cofe",
    "college",
    "community",
    "controlled",
    "e",
    "england",
    "federation",
    "first",
    "foundation",
    "free",
    "grammar",
    "high",
    "infant",
    "infants",
    "junior",
    "juniors",
    "middle",
    "nursery",
    "of",
    "primary",
    "rc",
    "roman",
    "school",
    "secondary",
    "trust",
    "va",
    "vc",
    "voluntary",
    "multi",
    "learning",
    "partnership",
];

/// Every spelling of a school's register name that people write.
///
/// From `"Saint Paul's Catholic High School"`: `saint pauls catholic high school`,
/// `st pauls high`, `st pauls`, `stpaulshigh` (hashtag), `spchs` (initials) and the rest:
/// Saint / St / St. / Ss / Saints, with and without apostrophes, with the designating
/// words (Catholic, C of E, RC, Primary, High, Academy, School, ...) dropped in any
/// combination as long as two distinctive words remain. `and` and `&` are read alike.
pub fn school_names(name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for form in forms(name) {
        for form in denomination_forms(&form) {
            let words: Vec<&str> = form.split(' ').collect();
            for words in saint_forms(&words) {
                add_with_designators_dropped(&words, &mut out);
            }
        }
    }
    let mut squashes = Vec::new();
    for t in &out {
        if let Some(s) = squashed(t) {
            squashes.push(s);
        }
    }
    out.extend(squashes);
    // Initials of the full name: "SPCHS".
    for form in forms(name) {
        let words: Vec<&str> = form.split(' ').filter(|w| *w != "and").collect();
        let initials: String = words
            .iter()
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_alphabetic())
            .collect();
        if initials.chars().count() >= 4 && words.len() == initials.chars().count() {
            out.insert(initials);
        }
    }
    out
}

/// Whether a school-name spelling is a saint's name and nothing else ("st patricks",
/// "saint pauls"): the school only near school words.
pub fn is_saint_alone(v: &str) -> bool {
    let mut w = v.split(' ');
    matches!(
        (w.next(), w.next(), w.next()),
        (
            Some("st" | "saint" | "ss" | "sts" | "saints"),
            Some(_),
            None
        )
    )
}

/// Street types and their usual abbreviations.
const STREET_TYPES: &[(&str, &[&str])] = &[
    ("road", &["rd"]),
    ("street", &["st"]),
    ("avenue", &["ave", "av"]),
    ("lane", &["ln"]),
    ("close", &["cl"]),
    ("crescent", &["cres", "cresc"]),
    ("drive", &["dr"]),
    ("gardens", &["gdns"]),
    ("place", &["pl"]),
    ("square", &["sq"]),
    ("terrace", &["ter", "terr"]),
    ("grove", &["gr", "gro"]),
    ("court", &["ct"]),
    ("park", &["pk"]),
    ("way", &[]),
];

/// The spellings of a street line: as written, and with its street type written in
/// full or abbreviated (`Elm Tree Road`: `elm tree road`, `elm tree rd`). A house number
/// at the front is dropped too (`12 Elm Tree Road`: also `elm tree road`).
pub fn street_forms(raw: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in forms(raw) {
        let words: Vec<&str> = f.split(' ').collect();
        let start = words
            .iter()
            .take_while(|w| w.chars().all(|c| c.is_ascii_digit()))
            .count();
        let words = &words[start.min(words.len())..];
        if words.is_empty() {
            continue;
        }
        out.insert(words.join(" "));
        let (last, stem) = words.split_last().expect("not empty");
        if stem.is_empty() {
            continue;
        }
        for (full, abbrs) in STREET_TYPES {
            if last == full || abbrs.contains(last) {
                for spelling in std::iter::once(full).chain(abbrs.iter()) {
                    out.insert(format!("{} {spelling}", stem.join(" ")));
                }
            }
        }
    }
    out
}

/// The first words of the streets found in many towns ("High Street", "Church Road",
/// "Mill Lane"): such a street names the school only near school words.
const COMMON_STREET_STEMS: &[&str] = &[
    "high",
    "station",
    "main",
    "park",
    "church",
    "london",
    "victoria",
    "green",
    "manor",
    "queens",
    "new",
    "grange",
    "kings",
    "windsor",
    "highfield",
    "mill",
    "alexandra",
    "york",
    "broadway",
    "king",
    "springfield",
    "george",
    "albert",
    "queen",
    "west",
    "north",
    "south",
    "east",
    "richmond",
    "grove",
    "stanley",
    "chester",
    "school",
    "the",
    "st",
    "saint",
    "market",
    "bridge",
    "chapel",
    "castle",
    "forest",
    "hill",
    "orchard",
    "oak",
    "elm",
    "meadow",
];

/// Whether a street line is one found in many towns (High, Church, Station, Mill ...): its
/// name is one of those words plus the street type.
pub fn is_common_street(raw: &str) -> bool {
    let f = crate::normalize::normalize_term(raw);
    let words: Vec<&str> = f
        .split(' ')
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.len() <= 2
        && words
            .first()
            .is_some_and(|w| COMMON_STREET_STEMS.contains(w))
}

/// A normalised school name with its denomination written the other usual ways:
/// Catholic / Roman Catholic / RC, Church of England / C of E / CofE / CE.
fn denomination_forms(form: &str) -> Vec<String> {
    let padded = format!(" {form} ");
    let families: &[&[&str]] = &[
        &[" roman catholic ", " catholic ", " rc "],
        &[" church of england ", " c of e ", " cofe ", " ce "],
    ];
    let mut out = vec![form.to_string()];
    for fam in families {
        if let Some(found) = fam.iter().find(|f| padded.contains(*f)) {
            for other in fam.iter().filter(|o| *o != found) {
                out.push(padded.replacen(found, other, 1).trim().to_string());
            }
            break;
        }
    }
    out
}

/// Saint / St / Ss / Saints spellings, including "Ss John and Thomas" read as
/// "St John and St Thomas".
fn saint_forms(words: &[&str]) -> Vec<Vec<String>> {
    let mut results: Vec<Vec<String>> = vec![Vec::new()];
    let plural = words.iter().any(|w| matches!(*w, "ss" | "sts" | "saints"));
    for (i, w) in words.iter().enumerate() {
        let choices: Vec<String> = match *w {
            "saint" | "st" => vec!["saint".into(), "st".into()],
            "ss" | "sts" | "saints" => vec![
                "ss".into(),
                "sts".into(),
                "saints".into(),
                "st".into(),
                "saint".into(),
            ],
            // "Ss John Fisher and Thomas More" is also "St John Fisher and St Thomas More".
            "and" if plural && i + 1 < words.len() => {
                vec!["and".into(), "and st".into(), "and saint".into()]
            }
            _ => vec![(*w).to_string()],
        };
        let mut next = Vec::with_capacity(results.len() * choices.len());
        for r in &results {
            for c in &choices {
                let mut r = r.clone();
                r.extend(c.split(' ').map(str::to_string));
                next.push(r);
            }
        }
        results = next;
        if results.len() > 64 {
            results.truncate(64);
        }
    }
    results
}

fn is_designator(w: &str) -> bool {
    DESIGNATORS.contains(&w)
}

fn is_distinctive(words: &[&str]) -> bool {
    let content = words
        .iter()
        .filter(|w| !matches!(**w, "the" | "and") && !is_designator(w))
        .count();
    content >= 2 || (content == 1 && words.len() >= 2 && words.iter().any(|w| is_designator(w)))
}

/// Adds `words` and the forms with trailing designators dropped in any combination
/// (keeping order), while the result stays distinctive; also without a leading "the",
/// and without the word "and".
fn add_with_designators_dropped(words: &[String], out: &mut BTreeSet<String>) {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let words: &[&str] = if words.first() == Some(&"the") && words.len() > 2 {
        out.insert(words.join(" "));
        &words[1..]
    } else {
        &words
    };
    let core_len = words.len() - words.iter().rev().take_while(|w| is_designator(w)).count();
    let (core, suffix) = words.split_at(core_len);
    let suffix = &suffix[..suffix.len().min(6)];
    for mask in 0u32..(1 << suffix.len()) {
        let mut v: Vec<&str> = core.to_vec();
        for (i, w) in suffix.iter().enumerate() {
            if mask & (1 << i) != 0 {
                v.push(w);
            }
        }
        // A name ending in "and", "of", "c" or "e" is half a phrase.
        if matches!(
            v.last(),
            Some(&("and" | "of" | "c" | "e" | "roman" | "church" | "voluntary"))
        ) {
            continue;
        }
        if v.len() == words.len() || is_distinctive(&v) {
            out.insert(v.join(" "));
            let no_and: Vec<&str> = v.iter().copied().filter(|w| *w != "and").collect();
            if no_and.len() != v.len() && is_distinctive(&no_and) {
                out.insert(no_and.join(" "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saint_pauls_spellings() {
        let v = school_names("Saint Paul's Catholic High School");
        for want in [
            "saint pauls catholic high school",
            "st pauls catholic high school",
            "st pauls high school",
            "st pauls high",
            "st pauls",
            "saint pauls",
            "stpaulshigh",
            "stpaulscatholichighschool",
            "spchs",
        ] {
            assert!(v.contains(want), "missing {want:?} in {v:?}");
        }
        assert!(!v.contains("st"), "{v:?}");
        assert!(!v.contains("st paul"), "the saint is not the school: {v:?}");
        assert!(!v.contains("catholic high school"), "{v:?}");
    }

    #[test]
    fn ss_john_fisher_and_thomas_more() {
        let v = school_names("Ss John Fisher and Thomas More Catholic Primary School");
        for want in [
            "st john fisher and st thomas more catholic primary school",
            "st john fisher and st thomas more",
            "ss john fisher and thomas more",
            "saints john fisher and thomas more primary",
        ] {
            assert!(v.contains(want), "missing {want:?}");
        }
    }

    #[test]
    fn a_place_name_alone_is_not_a_school() {
        let v = school_names("Wythenshawe High School");
        assert!(v.contains("wythenshawe high"));
        assert!(!v.contains("wythenshawe"), "{v:?}");
    }
}
