//! Engine::scan on arbitrary UTF-8 drafts, with one engine built once: the default pack
//! plus a synthetic trust (50 pupils, staff, 3 schools with phones, postcodes and
//! domains, term lists, a pattern and an allow list). Every result must satisfy the
//! invariants in `postsafe_fuzz::check_scan`.
//!
//! The input is split into body, alt texts, file names and links at NUL characters;
//! see `postsafe_fuzz::draft_from_str`.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use postsafe_core::{Engine, Pack};

const FORENAMES: &[&str] = &[
    "Thomas",
    "Grace",
    "Siobhan",
    "Callum",
    "Amelia",
    "Eve",
    "Priya",
    "Zoë",
    "Mohammed",
    "Aisha",
    "Oliver",
    "Olivia",
    "Jack",
    "Isla",
    "Harry",
    "Ava",
    "Noah",
    "Freya",
    "Leo",
    "Ruby",
    "Kacper",
    "Zofia",
    "Łukasz",
    "Dmitri",
    "Анна",
    "Nguyễn",
    "Chidi",
    "Aoife",
    "Seán",
    "Mary-Kate",
    "Jean-Luc",
    "Rhys",
    "Ffion",
    "Cerys",
    "Tariq",
    "Fatima",
    "Yusuf",
    "Hannah",
    "Joseph",
    "Evie",
    "Ali",
    "Max",
    "Will",
    "Rose",
    "Joy",
    "Sam",
    "Alexandria",
    "Maximiliano",
    "Bartholomew-James",
    "Ngozi",
];

const SURNAMES: &[&str] = &[
    "Smith",
    "Holloway",
    "O'Brien",
    "McDonald",
    "Smith-Jones",
    "Larkin",
    "Ramaswamy",
    "Ferreira",
    "Khan",
    "Begum",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Roberts",
    "Johnson",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Ivanov",
    "Петрова",
    "Văn",
    "Okonkwo",
    "Ní Bhriain",
    "Ó Súilleabháin",
    "D'Souza",
    "Le Roux",
    "ap Rhys",
    "Llewellyn",
    "Hussain",
    "Ahmed",
    "Ali",
    "Rahman",
    "Green",
    "Hall",
    "Wood",
    "Young",
    "King",
    "Moss",
    "Bird",
    "Clarke-Bowden-Featherstonehaugh",
    "Van der Merwe",
    "St John",
    "Mac an tSaoir",
    "Ng",
    "Oyelaran-Adeyemi",
];

fn pupils() -> String {
    let mut out = Vec::new();
    for (i, (f, s)) in FORENAMES.iter().zip(SURNAMES).enumerate() {
        let preferred = match i % 7 {
            0 => format!(
                r#","preferred_forename":"{}""#,
                &f[..f.char_indices().nth(3).map_or(f.len(), |c| c.0)]
            ),
            3 => r#","preferred_forename":"Bobby","preferred_surname":"Jones""#.to_string(),
            _ => String::new(),
        };
        out.push(format!(
            r#"{{"forename":"{f}","surname":"{s}","group":"Year {}"{preferred}}}"#,
            i % 13 + 1
        ));
    }
    out.join(",")
}

const REST: &str = r##"
  "trust_names": ["Wythenshawe Catholic Academy Trust", "WCAT"],
  "schools": [
    {"name": "Saint Paul's Catholic High School", "aliases": ["SPCHS", "St Paul's Wythenshawe"],
     "urn": "139456", "address": ["Firbank Road"], "postcodes": ["M23 2YS"],
     "phones": ["0161 998 3419"], "domains": ["stpauls.manchester.sch.uk"],
     "hashtags": ["#SPCHSsport"]},
    {"name": "St Anthony's Catholic Primary School", "urn": "139458",
     "postcodes": ["M22 0NT"], "phones": ["+44 161 437 1234"],
     "domains": ["st-anthonys.example.sch.uk"], "hashtags": ["StAnthonysRC"]},
    {"name": "Ss John Fisher and Thomas More Catholic Primary School", "aliases": ["JFTM"],
     "address": ["Woodhouse Lane", "Benchill"], "postcodes": ["m229nw"],
     "phones": ["(0161) 437-5555"], "domains": ["jftm.org.uk"]}
  ],
  "staff": [
    {"title": "Mrs", "forename": "Helen", "surname": "Okafor"},
    {"title": "Mr", "forename": "David", "surname": "Whitfield"},
    {"title": "Ms", "forename": "Priya", "surname": "Ramanathan"},
    {"title": "Dr", "forename": "Owen", "surname": "Fairclough"},
    {"title": "Señora", "forename": "María José", "surname": "García-Pérez"},
    {"forename": "", "surname": "Ng"}
  ],
  "term_lists": [
    {"id": "confidential.trust", "category": "confidential", "severity": "warn",
     "message": "m", "advice": "a", "clause": "c",
     "terms": ["academy conversion", "trust merger", "budget deficit", "staffing review", "LAC", "EHCP", "Ofsted"]},
    {"id": "conduct.community", "category": "conduct", "severity": "warn",
     "message": "m", "advice": "a", "clause": "c",
     "terms": ["useless", "nightmare", "idiot"], "near": ["parents", "head", "SLT", "governors"]},
    {"id": "image.alt", "category": "image", "severity": "info",
     "message": "m", "advice": "a", "clause": "c",
     "terms": ["uniform", "logo", "playground", "pupils"], "fields": ["alt", "file"]},
    {"id": "affiliation.disclaimer", "category": "affiliation", "severity": "info",
     "message": "m", "advice": "a", "clause": "c",
     "terms": ["my views are my own", "views my own", "opinions are my own"]}
  ],
  "patterns": [
    {"id": "personal.mobile", "category": "personal", "severity": "warn",
     "message": "m", "advice": "a", "clause": "c", "regex": "\\b07\\d{3}\\s?\\d{6}\\b"},
    {"id": "personal.email", "category": "personal", "severity": "warn",
     "message": "m", "advice": "a", "clause": "c", "regex": "[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}",
     "fields": ["body", "alt"]},
    {"id": "school.grade", "category": "confidential", "severity": "block",
     "message": "m", "advice": "a", "clause": "c", "regex": "Grade\\s+[A-E][+-]?", "case_sensitive": true}
  ],
  "allow": ["St Paul's Cathedral", "Grace Darling", "Thomas the Tank Engine", "Jack Frost"],
  "clauses": {"pupil": "Policy 6.iv"}
"##;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let json = format!(
            r#"{{"format": 1, "id": "fuzz", "name": "Fuzz Trust", "version": "1",
                 "pupils": [{}], {REST}}}"#,
            pupils()
        );
        let pack = Pack::from_json("fuzz pack", &json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pack.pupils.len(), 50);
        Engine::new(&[pack]).unwrap_or_else(|e| panic!("{e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let draft = postsafe_fuzz::draft_from_str(text);
    let result = engine().scan(&draft);
    postsafe_fuzz::check_scan(&draft, &result);
});
