//! What the roster knows of given names and surnames beyond their spelling: each name's
//! sound (a consonant skeleton for names written from other alphabets), nicknames and
//! short forms (data/nicknames*.txt), and families of spellings of one name
//! (data/name_families.txt). The keys in [`super`] are built from these.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A name's sound: a consonant skeleton built for names written from other alphabets,
/// where English spellings differ mostly in vowels, doubled letters and digraphs
/// (`mohammed`, `muhammad`, `mohamed`: `mhmd`; `qureshi`, `koreshi`: `krx`; `tariq`,
/// `tarik`: `trk`). Digraphs are read as one sound (ph f, sh x, ch x, kh k, th t, dh d,
/// gh g, ck k, qu k), q and hard c as k, soft c and z as s; an initial vowel (or y/w)
/// is kept as `a` (Omar and Umar, Ibrahim and Ebrahim), other vowels, y, w, an h after
/// a consonant and a final h are dropped, and doubled consonants count once. It is the same
/// idea as Soundex or Metaphone, kept to those rules so that it stays small.
/// `None` for a word shorter than three letters or not plain ASCII letters.
pub fn phonetic(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if b.len() < 3 || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w');
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    if vowel(b[0]) {
        out.push(b'a');
        i = 1;
    }
    while i < b.len() {
        let (c, next) = (b[i], b.get(i + 1).copied());
        let (sound, used) = match (c, next) {
            (b'p', Some(b'h')) => (Some(b'f'), 2),
            (b's' | b'c', Some(b'h')) => (Some(b'x'), 2),
            (b'k' | b'g' | b't' | b'd' | b'b', Some(b'h')) => {
                (Some(if c == b'b' { b'b' } else { c }), 2)
            }
            (b'c', Some(b'k')) => (Some(b'k'), 2),
            (b'q', Some(b'u')) => (Some(b'k'), 2),
            (b'q', _) => (Some(b'k'), 1),
            (b'c', Some(b'e' | b'i' | b'y')) => (Some(b's'), 1),
            (b'c', _) => (Some(b'k'), 1),
            (b'z', _) => (Some(b's'), 1),
            (b'h', _) if i > 0 && !vowel(b[i - 1]) => (None, 1),
            (b'h', None) => (None, 1),
            (c, _) if vowel(c) => (None, 1),
            (c, _) => (Some(c), 1),
        };
        if let Some(x) = sound {
            if out.last() != Some(&x) {
                out.push(x);
            }
        }
        i += used;
    }
    let code = String::from_utf8(out).expect("ASCII");
    (code.len() >= 2).then_some(code)
}

/// Whether a given name's sound and a surname's sound together are specific enough to
/// name one pupil: six code letters or more (`mhmd` + `hsn`; never `tm` + `smt`, which
/// is Tom, Tim or Tam Smith).
pub fn sounds_specific(given: &str, surname: &str) -> bool {
    given.len() >= 2 && surname.len() >= 2 && given.len() + surname.len() >= 6
}

/// Parses a `name: alt alt ...` data file into a map.
fn parse_map(text: &'static str, into: &mut HashMap<&'static str, Vec<&'static str>>) {
    for line in text.lines() {
        map_line(line, into);
    }
}

/// One line of a `name: alt alt ...` data file into a map (nothing for a comment or a
/// blank line). Each line is a call of its own, here and in [`family`], so that in
/// WebAssembly the once-run parse is not one long function that V8 optimises for
/// nothing while the engine is built (README "Benchmarks").
#[inline(never)]
fn map_line(line: &'static str, into: &mut HashMap<&'static str, Vec<&'static str>>) {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return;
    }
    let Some((name, alts)) = line.split_once(':') else {
        return;
    };
    let v = into.entry(name.trim()).or_default();
    for a in alts.split_whitespace() {
        if !v.contains(&a) {
            v.push(a);
        }
    }
}

/// One line of data/name_families.txt (a family of spellings) into the family map.
#[inline(never)]
fn family_line(line: &'static str, m: &mut HashMap<&'static str, Vec<&'static str>>) {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return;
    }
    let members: Vec<&'static str> = line.split_whitespace().collect();
    for &a in &members {
        let v = m.entry(a).or_default();
        for &b in &members {
            if b != a && !v.contains(&b) {
                v.push(b);
            }
        }
    }
}

/// Nicknames and short forms of a normalised given name (`alfred` → `alfie`, `alf`,
/// `fred` ...): data/nicknames.txt (generated from carltonnorthern/nicknames) and
/// data/nicknames_uk.txt (UK forms it lacks).
pub fn nicknames(name: &str) -> &'static [&'static str] {
    static MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        parse_map(include_str!("../../data/nicknames.txt"), &mut m);
        parse_map(include_str!("../../data/nicknames_uk.txt"), &mut m);
        m
    })
    .get(name)
    .map_or(&[], Vec::as_slice)
}

/// Other spellings of the same name (`muhammad` → `mohammed`, `mohamed` ...), from
/// data/name_families.txt; empty when the name is in no family.
pub fn family(name: &str) -> &'static [&'static str] {
    static MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    let m = MAP.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for line in include_str!("../../data/name_families.txt").lines() {
            family_line(line, &mut m);
        }
        m
    });
    m.get(name).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_and_families_come_from_the_data_files() {
        assert!(nicknames("alfred").contains(&"alfie"));
        assert!(nicknames("alfred").contains(&"fred"));
        assert!(nicknames("henry").contains(&"harry"));
        assert!(family("muhammad").contains(&"mohammed"));
        assert!(family("mohammed").contains(&"muhammad"));
        assert!(family("smith").is_empty());
    }

    #[test]
    fn spellings_of_one_name_sound_alike() {
        for family in [
            &["muhammad", "mohammed", "mohamed", "mohammad", "muhammed"][..],
            &["hussain", "hussein", "husain", "hossain"],
            &["qureshi", "koreshi", "quereshi"],
            &["tariq", "tarik"],
            &["mahmood", "mahmud"],
            &["ahmed", "ahmad"],
            &["mustafa", "moustafa", "mostafa"],
            &["chowdhury", "choudhury", "chaudhury"],
            &["omar", "umar"],
            &["zainab", "zaynab", "zeinab"],
        ] {
            let codes: Vec<_> = family.iter().map(|n| phonetic(n)).collect();
            assert!(
                codes.iter().all(|c| c.is_some() && *c == codes[0]),
                "{family:?}: {codes:?}"
            );
        }
        assert_ne!(phonetic("oluwaseun"), phonetic("oluwaseyi"));
        assert_ne!(phonetic("smith"), phonetic("smart"));
        assert_eq!(phonetic("al"), None);
        assert!(
            !sounds_specific("tm", "smt"),
            "Tom Smith is too common a sound"
        );
    }
}
