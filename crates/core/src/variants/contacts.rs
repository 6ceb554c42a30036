//! A school's contact details as people write them: phone numbers in the usual
//! groupings, postcodes with and without the space, web and email domains.

use std::collections::BTreeSet;

use crate::normalize::{normalize_term_with, Options};

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
}
