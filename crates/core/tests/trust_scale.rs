//! Detection at a real trust's scale: a synthetic roster of 3,500 pupils drawn with ONS
//! frequencies (so many share common first names), 120 staff and four schools read
//! from a register export, then drafts written the way staff write: nicknames, slips,
//! squashed surnames, first names in praise, today's DfE words, the school's own
//! contact details in any format, and the tricks people use to slip past a checker.
//!
//! It prints recall per kind and the share of real posts (../shared/data/posts) that
//! get a finding, and asserts: overall recall >= 0.95, every kind >= 0.8 (a first name
//! that is also an English word, alone, >= 0.5), <= 0.3% of real posts with a pupil,
//! staff, school or confidential finding, <= 0.2% with a conduct finding. The same
//! drafts and posts give identical findings with the roster hashed.
//!
//! Every name here is synthetic; the schools, phone numbers (Ofcom's drama ranges),
//! streets and domains are invented.

mod common;

use common::Rng;
use postsafe_core::{Category, Draft, Engine, Finding, Pack, Pupil, StaffMember, PACK_FORMAT};
use std::collections::BTreeMap;

/// Four schools as a register (GIAS) export gives them.
const REGISTER: &str = "\
URN,EstablishmentName,Street,Town,Postcode,TelephoneNum,SchoolWebsite,Trusts (name)
900001,St Mark's RC High School,Elm Tree Road,Harwood,HW4 7QT,0161 496 0000,http://www.stmarksrchigh.co.uk,Harwood Catholic Schools Trust
900002,Holy Family Catholic Primary School,Thornbury Avenue,Harwood,HW5 2LP,0161 496 0123,https://holyfamilyprimary.org.uk/,Harwood Catholic Schools Trust
900003,Oakwood Academy,Millbrook Lane,Ellerby,EL2 9RD,0113 496 0456,www.oakwoodacademy.org,Harwood Catholic Schools Trust
900004,Ss Peter and Paul Catholic Primary School,Brackenfield Close,Ellerby,EL3 1NB,0113 496 0789,http://www.sspeterandpaul.org.uk,Harwood Catholic Schools Trust
";

/// Given names and surnames from the origins where one name has several English
/// spellings (Arabic, Urdu, Bengali, Somali, Turkish, Persian) and names with letters an
/// English keyboard lacks (Polish, Scandinavian, German, South Slavic).
const ORIGIN_GIVEN: &[&str] = &[
    "Muhammad",
    "Aisha",
    "Fatima",
    "Yusuf",
    "Ibrahim",
    "Zainab",
    "Maryam",
    "Hamza",
    "Khadija",
    "Ahmed",
    "Mustafa",
    "Amina",
    "Hussain",
    "Łucja",
    "Åse",
    "Jörg",
    "Jürgen",
    "Søren",
    "Bjørn",
    "Ayşe",
    "Małgorzata",
    "Đurđa",
];
const ORIGIN_SURNAMES: &[&str] = &[
    "Hussain",
    "Siddiqui",
    "Rahman",
    "Begum",
    "Chowdhury",
    "Ahmed",
    "Akhtar",
    "Uddin",
    "Mahmood",
    "Qureshi",
    "Yılmaz",
    "Kowalczyk",
    "Sørensen",
    "Müller",
    "Groß",
    "Đorđević",
    "Wróblewski",
    "Łukasiewicz",
    "Østergaard",
];
const MULTI_PART_SURNAMES: &[&str] = &[
    "Van der Berg",
    "De Souza",
    "Da Silva",
    "Van Dyke",
    "De la Cruz",
    "Van den Broek",
    "Le Roux",
    "Du Plessis",
    "St John",
    "Mac an tSaoi",
];

struct Trust {
    pack: Pack,
}

fn trust() -> Trust {
    let mut rng = Rng::new(11);
    let mut pupils = common::synthetic_pupils(3_300, 2027);
    // Preferred forenames: one pupil in ten goes by a short form.
    for p in pupils.iter_mut() {
        let nicks = postsafe_core::roster::nicknames(&p.forename.to_lowercase());
        if !nicks.is_empty() && rng.below(10) == 0 {
            let n = nicks[rng.below(nicks.len() as u64) as usize];
            p.preferred_forename = Some(capitalise(n));
        }
    }
    for i in 0..150 {
        pupils.push(Pupil {
            forename: ORIGIN_GIVEN[rng.below(ORIGIN_GIVEN.len() as u64) as usize].into(),
            surname: ORIGIN_SURNAMES[rng.below(ORIGIN_SURNAMES.len() as u64) as usize].into(),
            group: Some(format!("Year {}", 1 + i % 11)),
            ..Pupil::default()
        });
    }
    let given = common::synthetic_pupils(50, 77);
    for (i, g) in given.into_iter().enumerate() {
        pupils.push(Pupil {
            forename: g.forename,
            surname: MULTI_PART_SURNAMES[i % MULTI_PART_SURNAMES.len()].into(),
            ..Pupil::default()
        });
    }
    let staff: Vec<StaffMember> = common::synthetic_pupils(120, 4040)
        .into_iter()
        .enumerate()
        .map(|(i, p)| StaffMember {
            title: Some(["Mr", "Mrs", "Ms", "Miss", "Dr"][i % 5].into()),
            forename: p.forename,
            surname: p.surname,
        })
        .collect();
    let schools = postsafe_core::import::read_schools("register.csv", REGISTER.as_bytes(), &[])
        .expect("the register parses")
        .items;
    assert_eq!(schools.len(), 4);
    Trust {
        pack: Pack {
            format: PACK_FORMAT,
            id: "harwood".into(),
            name: "Harwood Catholic Schools Trust".into(),
            version: "1".into(),
            pupils,
            staff,
            schools,
            trust_names: vec!["Harwood Catholic Schools Trust".into()],
            ..Pack::default()
        },
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One draft that must be caught: `target` is the words a finding of `category` must
/// cover (at least in part).
struct Positive {
    kind: &'static str,
    draft: Draft,
    target: String,
    category: Category,
}

fn body(kind: &'static str, text: String, target: &str, category: Category) -> Positive {
    assert!(text.contains(target), "{text:?} lacks {target:?}");
    Positive {
        kind,
        draft: Draft {
            body: text,
            ..Draft::default()
        },
        target: target.to_string(),
        category,
    }
}

fn pick<'a, T>(rng: &mut Rng, v: &'a [T]) -> &'a T {
    &v[rng.below(v.len() as u64) as usize]
}

/// A one-letter slip of `s`: a deletion, an insertion, a substitution or a swap of two
/// neighbours, never at the first letter.
fn slip(rng: &mut Rng, s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let i = 1 + rng.below((c.len() - 2) as u64) as usize;
    let mut out = c.clone();
    match rng.below(4) {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, c[i]),
        2 => {
            let vowels = ['a', 'e', 'i', 'o', 'u'];
            let mut r = *pick(rng, &vowels);
            if r == c[i] {
                r = if r == 'a' { 'e' } else { 'a' };
            }
            out[i] = r;
        }
        _ => out.swap(i, i + 1),
    }
    let o: String = out.into_iter().collect();
    if o == s {
        format!("{s}e")
    } else {
        o
    }
}

fn leet(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            'a' => '4',
            'e' => '3',
            'o' => '0',
            't' => '7',
            's' => '5',
            'i' => '1',
            'g' => '9',
            _ => c,
        })
        .collect()
}

fn positives(t: &Trust) -> Vec<Positive> {
    let mut rng = Rng::new(99);
    let mut out = Vec::new();
    let pupils = &t.pack.pupils;
    let plain =
        |p: &&Pupil| p.forename.is_ascii() && p.surname.is_ascii() && !p.surname.contains(' ');
    let simple: Vec<&Pupil> = pupils.iter().take(3_300).filter(plain).collect();
    let praise = [
        "Well done {} on a brilliant match today!",
        "Huge congratulations to {} for the reading award.",
        "Lovely to see {} win the spelling bee this morning",
        "{} was our star of the week, so proud",
        "Merit certificates today: {} and the rest of 5B",
        "{}'s painting is up on the wall in 4B",
        "Congratulations, {}!",
        "{} - what a goal on Saturday",
        "Thank you {} for helping at the Christmas fair",
        "big shout out to {}, you were amazing",
    ];
    let n = 40;

    for _ in 0..n {
        let p = pick(&mut rng, &simple);
        let name = format!("{} {}", p.forename, p.surname);
        let tpl = pick(&mut rng, &praise);
        out.push(body(
            "full name",
            tpl.replace("{}", &name),
            &name,
            Category::Pupil,
        ));
    }

    let with_nicks: Vec<&Pupil> = simple
        .iter()
        .copied()
        .filter(|p| !postsafe_core::roster::nicknames(&p.forename.to_lowercase()).is_empty())
        .collect();
    for _ in 0..n {
        let p = pick(&mut rng, &with_nicks);
        let nicks = postsafe_core::roster::nicknames(&p.forename.to_lowercase());
        let nick: &&str = pick(&mut rng, nicks);
        let name = format!("{} {}", capitalise(nick), p.surname);
        let tpl = pick(&mut rng, &praise);
        out.push(body(
            "nickname + surname",
            tpl.replace("{}", &name),
            &name,
            Category::Pupil,
        ));
    }

    let long: Vec<&Pupil> = simple
        .iter()
        .copied()
        .filter(|p| p.surname.chars().count() >= 5)
        .collect();
    for _ in 0..n {
        let p = pick(&mut rng, &long);
        let name = format!("{} {}", p.forename, slip(&mut rng, &p.surname));
        let tpl = pick(&mut rng, &praise);
        out.push(body(
            "surname slip",
            tpl.replace("{}", &name),
            &name,
            Category::Pupil,
        ));
    }

    let multi: Vec<&Pupil> = pupils.iter().filter(|p| p.surname.contains(' ')).collect();
    for i in 0..n {
        let p = pick(&mut rng, &multi);
        let squashed: String = if i % 2 == 0 {
            let s: String = p.surname.split(' ').collect();
            capitalise(&s.to_lowercase())
        } else {
            p.surname.split(' ').map(capitalise).collect()
        };
        let name = format!("{} {}", p.forename, squashed);
        let tpl = pick(&mut rng, &praise);
        out.push(body(
            "multi-part surname as one word",
            tpl.replace("{}", &name),
            &name,
            Category::Pupil,
        ));
    }

    let alone = [
        "Star of the week is {}!",
        "This week's headteacher's award goes to {} for always being kind",
        "Well done {} on your certificate today",
        "Huge congratulations to {} in Year 5 for the poetry prize",
        "So proud of {} in my form today",
        "Reading champion this half term: {}",
        "{}'s writing was amazing in class today",
        "In Year 3 today {} read the whole poem aloud",
        "Proud teacher moment: {} finally cracked long division in my class",
    ];
    let standalone: Vec<&Pupil> = simple
        .iter()
        .copied()
        .filter(|p| postsafe_core::names::first_name_may_stand_alone(&p.forename.to_lowercase()))
        .collect();
    for _ in 0..n {
        let p = pick(&mut rng, &standalone);
        let tpl = pick(&mut rng, &alone);
        out.push(body(
            "first name alone, praise",
            tpl.replace("{}", &p.forename),
            &p.forename,
            Category::Pupil,
        ));
    }

    let word_names: Vec<&Pupil> = simple
        .iter()
        .copied()
        .filter(|p| {
            let f = p.forename.to_lowercase();
            f.len() >= 3 && postsafe_core::names::is_english_word(&f)
        })
        .collect();
    let mid = [
        "So proud of {} in my form today",
        "Star of the week in Year 4 goes to {} for her kindness",
        "Well done to {} on her merit in maths",
        "Huge congratulations to {} in Year 6 for the art prize",
        "Lovely to see {} read in assembly today",
        "My form were brilliant today, especially {} and her poem",
    ];
    for _ in 0..n {
        let p = pick(&mut rng, &word_names);
        let tpl = pick(&mut rng, &mid);
        out.push(body(
            "first name that is a word, alone",
            tpl.replace("{}", &p.forename),
            &p.forename,
            Category::Pupil,
        ));
    }

    let leetable: Vec<&Pupil> = simple
        .iter()
        .copied()
        .filter(|p| {
            let f = p.forename.to_ascii_lowercase();
            let s = p.surname.to_ascii_lowercase();
            ["a", "e", "o", "t", "s", "i", "g"]
                .iter()
                .any(|c| f.starts_with(c) || s.starts_with(c))
        })
        .collect();
    for _ in 0..n {
        let p = pick(&mut rng, &leetable);
        let name = format!("{} {}", leet(&p.forename), leet(&p.surname));
        out.push(body(
            "leetspeak from the first letter",
            format!("shout out to {name} lol"),
            &name,
            Category::Pupil,
        ));
    }

    for (text, target) in [
        (
            "third suspension this half term for one of my Year 9s",
            "suspension",
        ),
        (
            "He was suspended again today, his mum is not answering the school",
            "suspended",
        ),
        (
            "Two suspensions in my form this week. Exhausted.",
            "suspensions",
        ),
        ("Our Year 10 lad got a suspension for vaping", "suspension"),
        ("She's been suspended from school for a week", "suspended"),
        ("Another pupil on a fixed term suspension", "suspension"),
        ("Meeting about a student's suspension at 3", "suspension"),
        (
            "kid in my class suspended for fighting, parents furious",
            "suspended",
        ),
    ] {
        out.push(body(
            "suspension (DfE term since 2022)",
            text.into(),
            target,
            Category::Confidential,
        ));
    }

    for (text, target) in [
        ("He was stepped down to a CIN plan last week", "CIN plan"),
        (
            "Child in need meeting for one of mine after school",
            "Child in need meeting",
        ),
        ("she is on a child in need plan now", "child in need plan"),
        ("CIN review for a Year 3 pupil this afternoon", "CIN review"),
        ("two of my class are on CP plans", "CP plans"),
        ("made three MASH referrals this term", "MASH referrals"),
        ("writing the ehcp report for a boy in my class", "ehcp"),
        ("finally got his EHCPs through", "EHCPs"),
        (
            "early help assessment done for a family in Year 2",
            "early help assessment",
        ),
        ("TAF meeting for one of my pupils at 4", "TAF meeting"),
        ("TAC meeting with mum and the SENCO", "TAC meeting"),
        (
            "he's on a reduced timetable until Easter",
            "reduced timetable",
        ),
        (
            "part-time timetable for a Year 8 girl",
            "part-time timetable",
        ),
        ("the academy has been accused of off-rolling", "off-rolling"),
        (
            "parents opted for elective home education",
            "elective home education",
        ),
        (
            "moved to alternative provision after Christmas",
            "alternative provision",
        ),
        ("our LAC review is tomorrow", "LAC"),
        (
            "safeguarding concerns about a girl in my form",
            "safeguarding concerns",
        ),
    ] {
        out.push(body(
            "safeguarding and SEND words, any case or number",
            text.into(),
            target,
            Category::Confidential,
        ));
    }

    for (text, target) in [
        (
            "Call the office on +44 161 496 0000 for tickets",
            "+44 161 496 0000",
        ),
        ("ring 0161-496-0000 to book", "0161-496-0000"),
        ("tickets from 01614960000", "01614960000"),
        ("(0161) 496 0123 is the number", "(0161) 496 0123"),
        ("call +44 (0)113 496 0456 after 3", "+44 (0)113 496 0456"),
        ("phone 0113 4960789 for the fair", "0113 4960789"),
        ("the office is on 0113 496 0789", "0113 496 0789"),
        ("text 0161 4960 123 if lost", "0161 4960 123"),
    ] {
        out.push(body(
            "the school's own phone",
            text.into(),
            target,
            Category::School,
        ));
    }

    for (text, target) in [
        (
            "email office@stmarksrchigh.co.uk for a form",
            "office@stmarksrchigh.co.uk",
        ),
        (
            "send it to admin@holyfamilyprimary.org.uk please",
            "admin@holyfamilyprimary.org.uk",
        ),
        ("contact head@oakwoodacademy.org", "head@oakwoodacademy.org"),
        (
            "j.smith@sspeterandpaul.org.uk is my work address",
            "j.smith@sspeterandpaul.org.uk",
        ),
        ("visit www.stmarksrchigh.co.uk/news", "stmarksrchigh.co.uk"),
    ] {
        out.push(body(
            "the school's own email or web address",
            text.into(),
            target,
            Category::School,
        ));
    }

    for (text, target) in [
        ("parking on Elm Tree Rd again this morning", "Elm Tree Rd"),
        (
            "the traffic on Thornbury Ave is awful at 3",
            "Thornbury Ave",
        ),
        ("cones all down Millbrook Ln today", "Millbrook Ln"),
        ("roadworks on Brackenfield Cl", "Brackenfield Cl"),
        ("see you on Elm Tree Road at 8", "Elm Tree Road"),
        ("new crossing on Thornbury Avenue", "Thornbury Avenue"),
    ] {
        out.push(body(
            "the school's street, abbreviated",
            text.into(),
            target,
            Category::School,
        ));
    }

    for (text, target) in [
        ("great game today @stmarksrchigh", "stmarksrchigh"),
        ("thanks @StMarksRC", "StMarksRC"),
        ("#StMarksHigh sports day", "StMarksHigh"),
        ("proud of #HolyFamilyPrimary", "HolyFamilyPrimary"),
        ("@holyfamilyrc nativity", "holyfamilyrc"),
        ("well done @OakwoodAcademy", "OakwoodAcademy"),
        ("#SsPeterAndPaul choir", "SsPeterAndPaul"),
        ("@StPeterandPaulRC", "StPeterandPaulRC"),
    ] {
        out.push(body(
            "the school's handle or hashtag",
            text.into(),
            target,
            Category::School,
        ));
    }

    for (alt, target) in [
        ("Year 7s in their St Mark's blazers", "blazers"),
        ("the new Holy Family logo on the gate", "logo"),
        ("Oakwood Academy uniforms on the rail", "uniforms"),
        ("St Mark's badges for the prefects", "badges"),
        ("Ss Peter and Paul crest on the jumpers", "crest"),
    ] {
        out.push(Positive {
            kind: "uniform or logo in alt text with the school",
            draft: Draft {
                body: "Lovely day".into(),
                alt: vec![alt.into()],
                ..Draft::default()
            },
            target: target.into(),
            category: Category::Image,
        });
    }

    for _ in 0..n {
        let p = pick(&mut rng, &long);
        let upper = format!("{} {}", p.forename, p.surname).to_uppercase();
        // One letter swapped for its Cyrillic or Greek twin.
        let twins = [
            ('A', 'А'),
            ('E', 'Е'),
            ('O', 'О'),
            ('M', 'М'),
            ('T', 'Т'),
            ('H', 'Н'),
            ('C', 'С'),
            ('P', 'Р'),
            ('K', 'К'),
            ('X', 'Х'),
            ('B', 'В'),
            ('I', 'І'),
        ];
        let mut name = upper.clone();
        for (l, t) in twins {
            if let Some(i) = upper.rfind(l) {
                name = format!("{}{}{}", &upper[..i], t, &upper[i + 1..]);
                break;
            }
        }
        out.push(body(
            "ALL CAPS name with a look-alike letter",
            format!("WELL DONE {name}!!"),
            &name,
            Category::Pupil,
        ));
    }

    let evasions: [fn(&str, &str) -> String; 11] = [
        |f, s| format!("{} {}", circled_negative(f), circled_negative(s)),
        |f, s| format!("{} {}", regional(f), regional(s)),
        |f, s| format!("{} {}", small_caps(f), small_caps(s)),
        |f, s| format!("{}\u{1F31F}{} {}", &f[..1], &f[1..], s),
        |f, s| format!("{}\u{200D}{} {}", &f[..2], &f[2..], s),
        |f, s| format!("{} {}\u{00AD}{}", f, &s[..2], &s[2..]),
        |f, s| format!("{} {}-\n{}", f, &s[..3], &s[3..]),
        |f, s| {
            format!(
                "\u{202E}{}\u{202C}",
                format!("{f} {s}").chars().rev().collect::<String>()
            )
        },
        |f, s| format!("{}%20{}", percent(f), s),
        |f, s| format!("{}&#32;{}", html(f), s),
        |f, s| format!("{} {}{}", f, &s[..2], &s[1..]),
    ];
    for i in 0..(evasions.len() * 4) {
        let p = pick(&mut rng, &long);
        let name = evasions[i % evasions.len()](&p.forename, &p.surname);
        out.push(body(
            "evasion: enclosed, emoji, hyphens, RTL, encodings, doubled letter",
            format!("well done {name} today"),
            &name,
            Category::Pupil,
        ));
    }

    // Issue 20: names as staff spell them.
    let origin: Vec<&Pupil> = pupils[3_300..3_450].iter().collect();
    for p in &origin {
        let f = keyboard_spelling(&p.forename, &mut rng);
        let s = keyboard_spelling(&p.surname, &mut rng);
        if f == p.forename && s == p.surname {
            continue;
        }
        let name = format!("{f} {s}");
        let tpl = pick(&mut rng, &praise);
        out.push(body(
            "another spelling of the name",
            tpl.replace("{}", &name),
            &name,
            Category::Pupil,
        ));
    }
    out
}

/// How staff on an English keyboard write a name: folded letters, the German or
/// Scandinavian convention, or another spelling of the family.
fn keyboard_spelling(name: &str, rng: &mut Rng) -> String {
    let lower = name.to_lowercase();
    let fam = postsafe_core::roster::family(&lower);
    if !fam.is_empty() && rng.below(3) > 0 {
        let other: &&str = pick(rng, fam);
        return capitalise(other);
    }
    let conv: String = name
        .chars()
        .map(|c| match c {
            'ü' => "ue".to_string(),
            'ö' => "oe".into(),
            'ø' => "oe".into(),
            'å' => "aa".into(),
            'Å' => "Aa".into(),
            'ß' => "ss".into(),
            'Đ' => "Dj".into(),
            'đ' => "dj".into(),
            _ => c.to_string(),
        })
        .collect();
    let folded: String = name
        .chars()
        .map(|c| match c {
            'Ł' => 'L',
            'ł' => 'l',
            'ø' => 'o',
            'Ø' => 'O',
            'å' => 'a',
            'Å' => 'A',
            'ö' => 'o',
            'ü' => 'u',
            'ş' => 's',
            'ı' => 'i',
            'ó' => 'o',
            'ć' => 'c',
            'Đ' => 'D',
            'đ' => 'd',
            'ß' => 's',
            'ń' => 'n',
            'ż' => 'z',
            _ => c,
        })
        .collect();
    if conv != name && rng.below(2) == 0 {
        conv
    } else {
        folded
    }
}

fn circled_negative(s: &str) -> String {
    s.chars()
        .map(|c| char::from_u32(0x1F150 + (c.to_ascii_uppercase() as u32 - 'A' as u32)).unwrap())
        .collect()
}

fn regional(s: &str) -> String {
    // A space-free run of regional indicators would draw flags; a zero-width
    // non-joiner between them keeps them letters, as evaders write them.
    s.chars()
        .map(|c| char::from_u32(0x1F1E6 + (c.to_ascii_uppercase() as u32 - 'A' as u32)).unwrap())
        .map(|c| format!("{c}\u{200C}"))
        .collect()
}

fn small_caps(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            'a' => 'ᴀ',
            'b' => 'ʙ',
            'c' => 'ᴄ',
            'd' => 'ᴅ',
            'e' => 'ᴇ',
            'f' => 'ꜰ',
            'g' => 'ɢ',
            'h' => 'ʜ',
            'i' => 'ɪ',
            'j' => 'ᴊ',
            'k' => 'ᴋ',
            'l' => 'ʟ',
            'm' => 'ᴍ',
            'n' => 'ɴ',
            'o' => 'ᴏ',
            'p' => 'ᴘ',
            'r' => 'ʀ',
            's' => 'ꜱ',
            't' => 'ᴛ',
            'u' => 'ᴜ',
            'v' => 'ᴠ',
            'w' => 'ᴡ',
            'y' => 'ʏ',
            'z' => 'ᴢ',
            o => o,
        })
        .collect()
}

fn percent(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn html(s: &str) -> String {
    s.chars().map(|c| format!("&#{};", c as u32)).collect()
}

fn covers(f: &Finding, field: &str, target: &str) -> bool {
    let Some(at) = field.find(target) else {
        return false;
    };
    f.start < at + target.len() && at < f.end
}

fn found(engine: &Engine, p: &Positive) -> bool {
    let result = engine.scan(&p.draft);
    result.findings.iter().any(|f| {
        let field = match f.field.as_str() {
            "alt" => &p.draft.alt[f.field_index],
            _ => &p.draft.body,
        };
        f.category == p.category && covers(f, field, &p.target)
    })
}

#[test]
fn a_trust_scale_roster_catches_what_staff_write_and_stays_quiet_on_real_posts() {
    let t = trust();
    let engine = Engine::new(std::slice::from_ref(&t.pack)).unwrap();
    let mut hashed_pack = t.pack.clone();
    hashed_pack.hash_roster([42; 16]).unwrap();
    let hashed = Engine::new(&[hashed_pack]).unwrap();

    // Recall, by kind.
    let positives = positives(&t);
    let mut by_kind: BTreeMap<&str, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut differ = Vec::new();
    for p in &positives {
        let hit = found(&engine, p);
        let e = by_kind.entry(p.kind).or_default();
        e.1 += 1;
        if hit {
            e.0 += 1;
        } else if e.2.len() < 4 {
            e.2.push(format!("{:?} {:?}", p.draft.body, p.draft.alt));
        }
        let (a, b) = (engine.scan(&p.draft), hashed.scan(&p.draft));
        if a != b {
            let show = |r: &postsafe_core::ScanResult| {
                r.findings
                    .iter()
                    .map(|f| format!("{} {:?}", f.rule, f.text))
                    .collect::<Vec<_>>()
            };
            differ.push(format!(
                "{:?}: plain {:?}, hashed {:?}",
                p.draft.body,
                show(&a),
                show(&b)
            ));
        }
    }
    let (mut hits, mut total) = (0, 0);
    eprintln!(
        "recall by kind ({} pupils, {} staff, {} schools):",
        t.pack.pupils.len(),
        t.pack.staff.len(),
        t.pack.schools.len()
    );
    let mut low = Vec::new();
    for (kind, (h, n, misses)) in &by_kind {
        hits += h;
        total += n;
        let r = *h as f64 / *n as f64;
        eprintln!("  {r:>5.2}  {h:>3}/{n:<3}  {kind}");
        for m in misses {
            eprintln!("           missed: {m}");
        }
        let floor = if *kind == "first name that is a word, alone" {
            0.5
        } else {
            0.8
        };
        if r < floor {
            low.push(format!("{kind}: {r:.2} < {floor}"));
        }
    }
    let recall = hits as f64 / total as f64;
    eprintln!("  overall recall {recall:.3} ({hits}/{total})");

    // False alarms on real posts, none of which is about this trust.
    let posts = common::real_posts(40_000);
    let (mut serious, mut conduct) = (0usize, 0usize);
    let mut examples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for post in &posts {
        let f = engine.scan_text(post);
        let cats: Vec<&Finding> = f
            .iter()
            .filter(|f| {
                matches!(
                    f.category,
                    Category::Pupil | Category::Staff | Category::School | Category::Confidential
                )
            })
            .collect();
        if !cats.is_empty() {
            serious += 1;
            let e = examples.entry(cats[0].category.as_str()).or_default();
            if e.len() < 8 {
                e.push(format!("{:?} ({}) in {post:?}", cats[0].text, cats[0].rule));
            }
        }
        if f.iter().any(|f| f.category == Category::Conduct) {
            conduct += 1;
            let e = examples.entry("conduct").or_default();
            if e.len() < 8 {
                e.push(post.clone());
            }
        }
    }
    let n = posts.len() as f64;
    let serious_rate = 100.0 * serious as f64 / n;
    let conduct_rate = 100.0 * conduct as f64 / n;
    eprintln!("{} real posts: pupil/staff/school/confidential finding on {serious} ({serious_rate:.2}%), conduct on {conduct} ({conduct_rate:.2}%)", posts.len());
    for (cat, ex) in &examples {
        for e in ex {
            eprintln!("  {cat}: {e}");
        }
    }
    // The hashed roster finds the same on real posts too.
    for post in posts.iter().take(5_000) {
        if engine.scan_text(post) != hashed.scan_text(post) {
            differ.push(post.clone());
        }
    }

    assert!(
        differ.is_empty(),
        "plain and hashed rosters differ on {} drafts, e.g. {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
    assert!(recall >= 0.95, "overall recall {recall:.3} < 0.95");
    assert!(low.is_empty(), "kinds below their floor: {low:?}");
    assert!(
        serious_rate <= 0.3,
        "{serious_rate:.2}% of real posts flagged (limit 0.3%)"
    );
    assert!(
        conduct_rate <= 0.2,
        "{conduct_rate:.2}% of real posts with a conduct finding (limit 0.2%)"
    );
}
