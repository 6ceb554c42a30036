//! The spellings people write for a school or a person, generated from the register's
//! or the roster's spelling.
//!
//! Every function here returns normalised terms (see [`crate::normalize`]): words
//! separated by single spaces, ready to be padded and matched.

use std::collections::BTreeSet;

use crate::normalize::{normalize_term_with, Options};
use crate::pack::{Pupil, StaffMember};

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

/// The normalised forms of `raw`, with and without camelCase breaks and with an
/// in-word apostrophe read either as nothing or as a break (`O'Brien`: `obrien`,
/// `o brien`); a possessive `'s` is always joined (`Paul's`: `pauls`).
pub(crate) fn forms(raw: &str) -> BTreeSet<String> {
    if is_plain_word(raw) {
        return BTreeSet::from([raw.to_ascii_lowercase()]);
    }
    let mut raws = vec![raw.to_string()];
    let apos = |c: char| "'’‘ʼ`´".contains(c);
    if raw.chars().any(apos) {
        // "Paul's" also as "Pauls"; "O'Brien" also as "O Brien".
        let joined: String = raw.chars().filter(|&c| !apos(c)).collect();
        // A possessive "'s" stays joined; any other apostrophe becomes a space.
        let chars: Vec<char> = raw.chars().collect();
        let spaced: String = chars
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| {
                if !apos(c) {
                    return Some(c);
                }
                let possessive = matches!(chars.get(i + 1), Some('s' | 'S'))
                    && chars.get(i + 2).is_none_or(|n| !n.is_alphanumeric());
                (!possessive).then_some(' ')
            })
            .collect();
        raws.push(joined);
        raws.push(spaced);
    }
    let mut out = BTreeSet::new();
    // The other way people write letters an English keyboard lacks: "Müller" is also
    // "Mueller", "Sørensen" "Soerensen", "Åse" "Aase", "Đorđević" "Djordjevic" (the
    // normaliser itself reads them as "Muller", "Sorensen", "Ase", "Dordevic").
    let raws: Vec<String> = raws
        .iter()
        .flat_map(|r| {
            let mut v = vec![r.clone()];
            v.extend(transliteration_convention(r));
            v
        })
        .collect();
    for r in &raws {
        for camel in [true, false] {
            let t = normalize_term_with(r, Options { camel });
            if !t.is_empty() {
                out.insert(t);
            }
        }
    }
    out
}

/// The common name: ASCII letters with no capital inside the word ("Thomas", "SMITH",
/// not "McDonald" or "O'Brien"). Its only normalised form ([`forms`]) is itself in
/// lowercase, which lets the roster spell it without the general machinery.
pub(crate) fn is_plain_word(raw: &str) -> bool {
    let b = raw.as_bytes();
    !b.is_empty()
        && b.iter().all(u8::is_ascii_alphabetic)
        && !b
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Letters an English keyboard lacks, and how people write them when they do not fold
/// them to the bare letter: German, Scandinavian, South Slavic, Icelandic, French.
const CONVENTIONS: &[(char, &str)] = &[
    ('ä', "ae"),
    ('Ä', "Ae"),
    ('ö', "oe"),
    ('Ö', "Oe"),
    ('ü', "ue"),
    ('Ü', "Ue"),
    ('ø', "oe"),
    ('Ø', "Oe"),
    ('å', "aa"),
    ('Å', "Aa"),
    ('æ', "ae"),
    ('Æ', "Ae"),
    ('œ', "oe"),
    ('Œ', "Oe"),
    ('ß', "ss"),
    ('đ', "dj"),
    ('Đ', "Dj"),
    ('þ', "th"),
    ('Þ', "Th"),
    ('ð', "d"),
    ('Ð', "D"),
];

/// `raw` with its letters spelt by convention (`Müller` → `Mueller`), or `None` when it
/// has no such letter. An umlaut or ring written as a combining mark (`u` + U+0308) is
/// read as the composed letter.
fn transliteration_convention(raw: &str) -> Option<String> {
    if raw.is_ascii() {
        return None;
    }
    let mut composed = String::with_capacity(raw.len());
    for c in raw.chars() {
        let last = composed.pop();
        let joined = match (last, c) {
            (Some('a'), '\u{308}') => Some('ä'),
            (Some('A'), '\u{308}') => Some('Ä'),
            (Some('o'), '\u{308}') => Some('ö'),
            (Some('O'), '\u{308}') => Some('Ö'),
            (Some('u'), '\u{308}') => Some('ü'),
            (Some('U'), '\u{308}') => Some('Ü'),
            (Some('a'), '\u{30A}') => Some('å'),
            (Some('A'), '\u{30A}') => Some('Å'),
            _ => None,
        };
        match joined {
            Some(j) => composed.push(j),
            None => {
                composed.extend(last);
                composed.push(c);
            }
        }
    }
    if !composed
        .chars()
        .any(|c| CONVENTIONS.iter().any(|(k, _)| *k == c))
    {
        return None;
    }
    let mut out = String::with_capacity(composed.len() + 4);
    for c in composed.chars() {
        match CONVENTIONS.iter().find(|(k, _)| *k == c) {
            Some((_, v)) => out.push_str(v),
            None => out.push(c),
        }
    }
    Some(out)
}

/// `term` without its spaces, for hashtags and handles (`#tomsmith`), when it has more
/// than one word and is long enough not to be an ordinary word.
pub(crate) fn squashed(term: &str) -> Option<String> {
    if !term.contains(' ') {
        return None;
    }
    let s: String = term.chars().filter(|&c| c != ' ').collect();
    // Re-normalise so that letter-digit breaks come out as a draft's would (letters
    // alone, the common case, are already normal).
    let s = if s.bytes().all(|c| c.is_ascii_lowercase()) {
        s
    } else {
        normalize_term_with(&s, Options { camel: false })
    };
    (s.chars().count() >= 6).then_some(s)
}

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

/// Spellings of a UK phone number: the usual groupings, with and without `+44`.
/// `raw` may be written in any way; an unusable number gives an empty set.
pub fn phone_forms(raw: &str) -> BTreeSet<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("44") {
        format!("0{rest}")
    } else {
        digits
    };
    let mut out = BTreeSet::new();
    if national.len() < 9 || !national.starts_with('0') {
        return out;
    }
    let groupings: &[&[usize]] = &[
        &[11],
        &[4, 3, 4],
        &[4, 7],
        &[5, 6],
        &[3, 4, 4],
        &[3, 8],
        &[5, 3, 3],
        &[4, 3, 3],
        &[4, 6],
        &[3, 3, 4],
        &[5, 5],
        &[10],
    ];
    let n = national.len();
    for g in groupings {
        if g.iter().sum::<usize>() != n {
            continue;
        }
        let mut parts = Vec::new();
        let mut at = 0;
        for len in *g {
            parts.push(&national[at..at + len]);
            at += len;
        }
        out.insert(parts.join(" "));
        // +44 and +44 (0): drop the leading 0 from the first group.
        let mut intl = parts.clone();
        let first = &national[1..g[0]];
        intl[0] = first;
        let intl_s = if first.is_empty() {
            intl[1..].join(" ")
        } else {
            intl.join(" ")
        };
        out.insert(format!("44 {intl_s}"));
        out.insert(format!("44 0 {intl_s}"));
        let squashed: String = intl_s.chars().filter(|c| *c != ' ').collect();
        out.insert(format!("44{squashed}"));
    }
    out
}

/// Spellings of a postcode: with and without the space (`m23 2ys`, `m232ys`).
pub fn postcode_forms(raw: &str) -> BTreeSet<String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = BTreeSet::new();
    // The inward code is the last three characters (not bytes: a pasted fullwidth
    // letter is three bytes; found by fuzzing).
    let cut = compact.char_indices().rev().nth(2).map(|(i, _)| i);
    if let (true, Some(cut)) = (compact.chars().count() >= 5, cut) {
        let (out_code, in_code) = compact.split_at(cut);
        for r in [format!("{out_code} {in_code}"), compact.clone()] {
            let t = normalize_term_with(&r, Options::default());
            if !t.is_empty() {
                out.insert(t);
            }
        }
    }
    out
}

/// The bare domain of a website or email address: no scheme, `www.`, path or mailbox
/// (`http://www.stpauls.example.sch.uk/news` → `stpauls.example.sch.uk`).
pub fn website_domain(w: &str) -> String {
    let mut d = w.trim().to_ascii_lowercase();
    for p in ["https://", "http://"] {
        if let Some(r) = d.strip_prefix(p) {
            d = r.to_string();
        }
    }
    if let Some(r) = d.strip_prefix("www.") {
        d = r.to_string();
    }
    if let Some(i) = d.find(['/', '?', '#']) {
        d.truncate(i);
    }
    if let Some(i) = d.rfind('@') {
        d = d[i + 1..].to_string();
    }
    d
}

/// The normalised form of a web or email domain (`stpauls.manchester.sch.uk` →
/// `stpauls manchester sch uk`), so that it matches in links, email addresses and text.
pub fn domain_forms(raw: &str) -> BTreeSet<String> {
    let d = website_domain(raw);
    let mut out = BTreeSet::new();
    let t = normalize_term_with(&d, Options { camel: false });
    if !t.is_empty() {
        out.insert(t);
    }
    out
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

    #[test]
    fn phones_and_postcodes() {
        let p = phone_forms("0161 998 3419");
        for want in [
            "0161 998 3419",
            "01619983419",
            "44 161 998 3419",
            "441619983419",
            "44 0 161 998 3419",
        ] {
            assert!(p.contains(want), "missing {want:?} in {p:?}");
        }
        let pc = postcode_forms("M23 2YS");
        assert!(pc.contains("m 23 2 ys"));
        assert!(pc.contains("m 232 ys"));
        assert!(phone_forms("12").is_empty());
    }

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
