//! What an attached photo gives away (issue 16), through the core: the photos that
//! `tools/make-photo-fixtures.mjs` writes to tests/vectors/photos, checked against the
//! test pack there (one school with a position, two synthetic pupils).

use postsafe_core::photo::{self, PhotoField, PhotoReport};
use postsafe_core::{Engine, Pack, Severity};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/photos");

fn pack() -> Pack {
    let text = std::fs::read_to_string(format!("{DIR}/pack.json")).unwrap();
    Pack::from_json("pack.json", &text).unwrap()
}

fn check(name: &str) -> PhotoReport {
    let pack = pack();
    let engine = Engine::new(std::slice::from_ref(&pack)).unwrap();
    let places = photo::school_places(&[pack]);
    let bytes = std::fs::read(format!("{DIR}/{name}")).unwrap();
    photo::check_photo(&engine, &places, &bytes)
}

/// (label, rule, severity, words) of each finding, as a teacher would read them.
fn seen(r: &PhotoReport) -> Vec<(&str, &str, Severity, &str)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.label,
                f.finding.rule.as_str(),
                f.finding.severity,
                f.finding.text.as_str(),
            )
        })
        .collect()
}

#[test]
fn gps_near_a_pack_school_is_a_warning_naming_it() {
    for name in ["near-school.jpg", "near-school.webp", "near-school.heic"] {
        let r = check(name);
        assert_eq!(r.problem, None, "{name}");
        let f = &r.findings[0];
        assert_eq!(f.label, "the photo's location", "{name}");
        assert_eq!(f.finding.severity, Severity::Warn, "{name}");
        assert_eq!(f.finding.rule, photo::RULE_LOCATION_SCHOOL);
        assert_eq!(
            f.finding.message,
            "This photo records that it was taken about 80 m from Saint Paul's Catholic High \
             School, which identifies the school.",
            "{name}"
        );
        assert!(f
            .finding
            .advice
            .contains("Location Services > Camera > Never"));
        let p = r.position.unwrap();
        assert!((p.latitude - 53.3875).abs() < 1e-4 && (p.longitude + 2.264).abs() < 1e-4);
    }
    assert_eq!(
        check("near-school.jpg").taken.as_deref(),
        Some("2026:06:12 10:30:00")
    );
}

#[test]
fn gps_far_from_every_school_is_a_reminder() {
    for name in ["far-away.jpg", "xmp-gps-far.jpg"] {
        let r = check(name);
        assert_eq!(
            seen(&r),
            [(
                "the photo's location",
                photo::RULE_LOCATION,
                Severity::Info,
                "55.95330, -3.18830"
            )],
            "{name}"
        );
        assert_eq!(
            r.findings[0].finding.message,
            "This photo records where it was taken."
        );
    }
}

#[test]
fn no_school_positions_still_remind_about_location() {
    let engine = Engine::new(&[]).unwrap();
    let bytes = std::fs::read(format!("{DIR}/near-school.jpg")).unwrap();
    let r = photo::check_photo(&engine, &[], &bytes);
    assert_eq!(r.findings[0].finding.rule, photo::RULE_LOCATION);
}

#[test]
fn xmp_tagged_people_and_title_name_a_pupil() {
    let r = check("tagged-pupil.jpg");
    let s = seen(&r);
    assert!(
        s.contains(&(
            "the photo's tagged people",
            "photos-test/pupil.name",
            Severity::Block,
            "Jayden Quillfeather"
        )),
        "{s:?}"
    );
    // The MWG face region's name.
    assert!(
        s.contains(&(
            "the photo's tagged people",
            "photos-test/pupil.name",
            Severity::Block,
            "Amelia Testerton"
        )),
        "{s:?}"
    );
    assert!(s
        .iter()
        .any(|f| f.0 == "the photo's title" && f.3 == "Jayden Quillfeather"));
    assert!(s
        .iter()
        .any(|f| f.0 == "the photo's keywords" && f.3 == "sports day"));
    let title = r
        .texts
        .iter()
        .find(|t| t.field == PhotoField::Title)
        .unwrap();
    assert_eq!(title.text, "Sports day with Jayden Quillfeather");
}

#[test]
fn iptc_caption_with_a_confidential_term() {
    let r = check("iptc-caption.jpg");
    assert_eq!(
        seen(&r),
        [(
            "the photo's caption",
            "builtin/confidential.safeguarding",
            Severity::Block,
            "safeguarding concern"
        )]
    );
    let kw: Vec<&str> = r
        .texts
        .iter()
        .filter(|t| t.field == PhotoField::Keywords)
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(kw, ["minutes", "term 1"]);
}

#[test]
fn exif_description_comment_and_windows_title() {
    let r = check("exif-text.jpg");
    let s = seen(&r);
    assert!(s
        .iter()
        .any(|f| f.0 == "the photo's description" && f.3 == "Amelia Testerton"));
    assert!(s
        .iter()
        .any(|f| f.0 == "the photo's comment" && f.3 == "permanent exclusion"));
    assert!(r
        .texts
        .iter()
        .any(|t| t.field == PhotoField::Title && t.text == "Class trip"));
}

#[test]
fn png_text_chunks_and_xmp() {
    let r = check("tagged-pupil.png");
    assert_eq!(
        seen(&r),
        [
            (
                "the photo's title",
                "photos-test/pupil.name",
                Severity::Block,
                "Amelia Testerton"
            ),
            (
                "the photo's tagged people",
                "photos-test/pupil.name",
                Severity::Block,
                "Jayden Quillfeather"
            ),
        ]
    );
    // Software is not a text anyone wrote about the photo.
    assert!(!r.texts.iter().any(|t| t.text.contains("fixture maker")));
}

/// Compressed PNG text: a `zTXt` description naming a pupil, and XMP in a compressed
/// `iTXt` tagging another, are inflated and found like uncompressed text.
#[test]
fn compressed_png_text_is_read() {
    let r = check("compressed-text.png");
    assert_eq!(r.problem, None);
    assert_eq!(
        seen(&r),
        [
            (
                "the photo's description",
                "photos-test/pupil.name",
                Severity::Block,
                "Jayden Quillfeather"
            ),
            (
                "the photo's tagged people",
                "photos-test/pupil.name",
                Severity::Block,
                "Amelia Testerton"
            ),
        ]
    );
    assert_eq!(
        r.findings[0].value,
        "Jayden Quillfeather at the summer fair"
    );
}

/// A compressed chunk that would inflate past 1 MB (2 MB of spaces in 2 KB) is not
/// inflated: the rest is read, and the photo says its details were not all read.
#[test]
fn a_zip_bomb_in_png_text_is_skipped_and_said() {
    let r = check("zip-bomb.png");
    assert_eq!(
        r.problem.as_deref(),
        Some(
            "could not read all of this photo's details: a compressed text block inflates \
             past 1 MB and was not read"
        )
    );
    assert!(r
        .texts
        .iter()
        .any(|t| t.field == PhotoField::Title && t.text == "Sunset over the hills"));
    assert!(!r.texts.iter().any(|t| t.field == PhotoField::Comment));
}

/// Many compressed chunks each just under the 1 MB cap stop being inflated once the
/// file's 4 MB in all is spent; a corrupt one is said too.
#[test]
fn compressed_png_text_has_a_budget_per_file() {
    let engine = Engine::new(&[]).unwrap();
    let mut png = std::fs::read(format!("{DIR}/compressed-text.png")).unwrap();
    let iend = png.len() - 12;
    let mut chunks = Vec::new();
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]); // CRC: not checked by the reader.
        c
    };
    let big = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b'a'; 1_000_000], 6);
    for _ in 0..5 {
        let mut d = b"Comment\0\0".to_vec();
        d.extend_from_slice(&big);
        chunks.extend(chunk(b"zTXt", &d));
    }
    png.splice(iend..iend, chunks);
    let r = photo::check_photo(&engine, &[], &png);
    assert_eq!(
        r.problem.as_deref(),
        Some(
            "could not read all of this photo's details: a compressed text block inflates \
             past the 4 MB read in all and was not read"
        )
    );
    let corrupt = {
        let mut p = std::fs::read(format!("{DIR}/compressed-text.png")).unwrap();
        let at = p.len() - 12;
        p.splice(at..at, chunk(b"zTXt", b"Title\0\0not zlib at all"));
        p
    };
    let r = photo::check_photo(&engine, &[], &corrupt);
    assert_eq!(
        r.problem.as_deref(),
        Some("could not read all of this photo's details: a compressed text block is corrupt")
    );
}

#[test]
fn no_metadata_no_findings() {
    let r = check("no-metadata.jpg");
    assert_eq!(r.findings, []);
    assert_eq!(r.problem, None);
    assert_eq!(r.texts, []);
}

/// The smallest whole JPEG (start, then end of image: the end marker has no length) has
/// nothing to say and reads cleanly; cut inside its end marker it cannot be read whole.
#[test]
fn an_empty_whole_jpeg_reads_cleanly() {
    let engine = Engine::new(&[]).unwrap();
    let r = photo::check_photo(&engine, &[], &[0xFF, 0xD8, 0xFF, 0xD9]);
    assert_eq!((r.findings.len(), r.problem), (0, None));
    let r = photo::check_photo(&engine, &[], &[0xFF, 0xD8, 0xFF]);
    assert!(
        r.problem
            .as_deref()
            .is_some_and(|p| p.starts_with("could not read all of this photo's details")),
        "{:?}",
        r.problem
    );
}

#[test]
fn truncated_and_corrupt_files_say_so_and_never_crash() {
    for name in ["truncated.jpg", "corrupt.jpg"] {
        let r = check(name);
        assert!(
            r.problem
                .as_deref()
                .is_some_and(|p| p.starts_with("could not read all of this photo's details")),
            "{name}: {:?}",
            r.problem
        );
    }
    let engine = Engine::new(&[]).unwrap();
    let r = photo::check_photo(&engine, &[], b"GIF89a not a photo we read");
    assert_eq!(
        r.problem.as_deref(),
        Some("could not read this photo's details: it is not a JPEG, PNG, HEIC or WebP image")
    );
}

#[test]
fn over_the_size_limit_is_not_read() {
    let mut big = vec![0u8; photo::MAX_PHOTO_BYTES + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let e = photo::read_details(&big).unwrap_err();
    assert!(e.to_string().contains("over the 50 MB limit"), "{e}");
}

/// Every prefix of every test photo, and each with bytes changed here and there: read
/// without a panic (the fuzz target does the same at scale).
#[test]
fn every_prefix_and_damaged_copy_is_read_without_panic() {
    let engine = Engine::new(&[]).unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for n in 0..bytes.len() {
            let _ = photo::check_photo(&engine, &[], &bytes[..n]);
        }
        for _ in 0..200 {
            let mut b = bytes.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed as usize) % b.len();
                b[i] = (seed >> 32) as u8;
            }
            let _ = photo::check_photo(&engine, &[], &b);
        }
    }
}

/// A register export with Easting and Northing gives the school a WGS84 position at
/// pack build (OS National Grid → WGS84).
#[test]
fn register_easting_northing_become_coordinates() {
    let csv = "URN,EstablishmentName,Easting,Northing\n\
               1,Caister Test School,651409.903,313177.270\n\
               2,No Position School,,\n";
    let r = postsafe_core::import::read_schools("gias.csv", csv.as_bytes(), &[]).unwrap();
    let c = r.items[0].location.unwrap();
    // The OS guide's ETRS89 position of this point, 52°39′28.8282″N 1°42′57.8663″E.
    assert!((c.latitude - 52.658_008).abs() < 0.0001, "{c:?}");
    assert!((c.longitude - 1.716_074).abs() < 0.0001, "{c:?}");
    assert_eq!(r.items[1].location, None);
}

/// Pack build: the register's Easting/Northing give a school its position, a terms file
/// may give (or correct) one by URN; a photo taken there is then a warning naming it.
#[test]
fn pack_build_gives_schools_positions_a_photo_is_checked_against() {
    use postsafe_core::build::{build, BuildInput, Date, InputFile};
    let mut input = BuildInput::new("Photo Test Trust", Date::from_unix_days(20_000));
    input.schools = Some(InputFile::new(
        "gias.csv",
        b"URN,EstablishmentName,Easting,Northing\n\
          1,Caister Test School,651409.903,313177.270\n\
          2,Saint Paul's Catholic High School,,\n"
            .to_vec(),
    ));
    input.terms = Some(InputFile::new(
        "terms.json",
        br#"{"schools": [{"urn": "2", "location": {"latitude": 53.3868, "longitude": -2.264}}]}"#
            .to_vec(),
    ));
    let built = build(&input, "pack.json", |_| {}).unwrap();
    assert!(built.json.contains("\"location\""));
    let places = photo::school_places(std::slice::from_ref(&built.pack));
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Caister Test School", "Saint Paul's Catholic High School"]
    );
    let engine = Engine::new(std::slice::from_ref(&built.pack)).unwrap();
    let bytes = std::fs::read(format!("{DIR}/near-school.jpg")).unwrap();
    let r = photo::check_photo(&engine, &places, &bytes);
    assert_eq!(r.findings[0].finding.rule, photo::RULE_LOCATION_SCHOOL);
    assert!(r.findings[0]
        .finding
        .message
        .contains("Saint Paul's Catholic High School"));
}
