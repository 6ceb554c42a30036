//! Roster images (`Engine::roster_image`, `Engine::with_image`): an engine whose
//! rosters come from an image finds exactly what one built from the pack finds; an
//! image of other names, of another form or damaged in any byte is not used, and the
//! engine is built from the pack as if there were none.

mod common;

use postsafe_core::{Engine, Finding, Pack, StaffMember};

/// A plain pack of `n` synthetic pupils and three staff members.
fn pack(n: usize) -> Pack {
    let mut p = common::roster_pack(n, 11);
    p.staff = vec![
        StaffMember {
            title: Some("Mrs".into()),
            forename: "Aisha".into(),
            surname: "Okafor".into(),
        },
        StaffMember {
            title: Some("Mr".into()),
            forename: "Tom".into(),
            surname: "Whitlock".into(),
        },
        StaffMember {
            title: None,
            forename: "Sam".into(),
            surname: "Ng".into(),
        },
    ];
    p
}

/// Drafts that name pupils the ways staff write them (full names, possessives,
/// surname first, first names near school words, slips), staff, and none of them.
fn drafts(p: &Pack) -> Vec<String> {
    let mut out = vec![
        "Lovely morning, nothing to report.".to_string(),
        "Mrs Okafor and Mr Whitlock ran the trip.".to_string(),
    ];
    for (i, q) in p.pupils.iter().enumerate().step_by(7) {
        let (f, s) = (&q.forename, &q.surname);
        out.push(match i % 5 {
            0 => format!("Well done {f} {s} on the certificate!"),
            1 => format!("{f} {s}'s painting is up in the hall."),
            2 => format!("{s} {f} from Year 4 read in assembly."),
            3 => format!("Proud of {f} in Year 3 today."),
            _ => {
                // A slip: the surname with two letters swapped.
                let mut c: Vec<char> = s.chars().collect();
                if c.len() > 4 {
                    c.swap(2, 3);
                }
                format!(
                    "Congratulations {f} {} on the race.",
                    c.iter().collect::<String>()
                )
            }
        });
    }
    out
}

fn findings(e: &Engine, drafts: &[String]) -> Vec<Vec<Finding>> {
    drafts.iter().map(|d| e.scan_text(d)).collect()
}

#[test]
fn a_plain_roster_from_its_image_finds_what_the_pack_finds() {
    let p = pack(3_000);
    let built = Engine::new(std::slice::from_ref(&p)).unwrap();
    assert_eq!(built.rosters_from_image(), 0);
    let image = built.roster_image();
    let loaded = Engine::with_image(std::slice::from_ref(&p), true, &image).unwrap();
    assert_eq!(loaded.rosters_from_image(), 1);
    assert_eq!(loaded.roster_count(), 1);
    let d = drafts(&p);
    let want = findings(&built, &d);
    assert!(
        want.iter().filter(|f| !f.is_empty()).count() > d.len() / 2,
        "the drafts name pupils"
    );
    assert_eq!(findings(&loaded, &d), want);
    // The tables it loaded are the ones it was given, byte for byte.
    assert_eq!(loaded.roster_image(), image);
}

#[test]
fn a_hashed_roster_from_its_image_finds_what_the_pack_finds() {
    let plain = pack(2_000);
    let mut p = plain.clone();
    p.hash_roster([9; 16]).unwrap();
    let p = Pack::from_json("hashed", &p.to_json()).unwrap();
    let built = Engine::new(std::slice::from_ref(&p)).unwrap();
    let image = built.roster_image();
    let loaded = Engine::with_image(std::slice::from_ref(&p), true, &image).unwrap();
    assert_eq!(loaded.rosters_from_image(), 1);
    let d = drafts(&plain);
    assert_eq!(findings(&loaded, &d), findings(&built, &d));
    assert!(findings(&loaded, &d).iter().any(|f| !f.is_empty()));
}

#[test]
fn an_image_of_other_names_is_not_used() {
    let p = pack(500);
    let image = Engine::new(std::slice::from_ref(&p))
        .unwrap()
        .roster_image();
    // A pupil renamed since: the image is of the old roster.
    let mut q = p.clone();
    q.pupils[0].forename = "Zebedee".into();
    q.pupils[0].surname = "Quartermaine".into();
    let e = Engine::with_image(std::slice::from_ref(&q), true, &image).unwrap();
    assert_eq!(e.rosters_from_image(), 0);
    let f = e.scan_text("Well done Zebedee Quartermaine!");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule, "synthetic/pupil.name");
    // A preferred name added is another roster too.
    let mut r = p.clone();
    r.pupils[1].preferred_forename = Some("Bex".into());
    let e = Engine::with_image(std::slice::from_ref(&r), true, &image).unwrap();
    assert_eq!(e.rosters_from_image(), 0);
    // The same roster in another pack (its rules numbered otherwise) still uses it.
    let mut other = common::roster_pack(0, 1);
    other.id = "first".into();
    other.term_lists = pack(0).term_lists;
    let both = [other, p.clone()];
    let e = Engine::with_image(&both, true, &image).unwrap();
    assert_eq!(e.rosters_from_image(), 1);
    let alone = Engine::new(&both).unwrap();
    let d = drafts(&p);
    assert_eq!(findings(&e, &d), findings(&alone, &d));
}

#[test]
fn no_bytes_that_are_not_an_image_are_used_and_none_breaks_the_build() {
    let p = pack(4);
    let packs = std::slice::from_ref(&p);
    let plain = Engine::without_default(packs).unwrap();
    let image = plain.roster_image();
    assert!(image.len() < 20_000, "{} bytes", image.len());
    let d = drafts(&p);
    let want = findings(&plain, &d);
    let check = |bytes: &[u8], what: &str| {
        let e = Engine::with_image(packs, false, bytes).unwrap();
        assert_eq!(e.rosters_from_image(), 0, "{what}");
        assert_eq!(findings(&e, &d), want, "{what}");
    };
    check(&[], "no image");
    check(b"not an image at all", "other bytes");
    // Cut short anywhere.
    for n in 0..image.len() {
        check(&image[..n], &format!("the first {n} bytes"));
    }
    // Any one byte changed: the header no longer reads, or names no roster of the pack,
    // or the tables no longer match their checksum.
    for i in 0..image.len() {
        let mut b = image.clone();
        b[i] ^= 0x5a;
        check(&b, &format!("byte {i} changed"));
    }
    // One more byte at the end.
    let mut b = image.clone();
    b.push(0);
    check(&b, "a byte added");
}
