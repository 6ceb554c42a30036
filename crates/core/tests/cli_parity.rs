//! `postsafe_core::build`, `check` and `diff` give what `postsafe pack build/check/diff`
//! gave before they moved into the core (issue 15): the packs in `tests/golden/`, made
//! with the CLI of commit bff95bd by `tests/golden/make.sh`, are built again here from
//! the same files, handed in as bytes, and compared byte for byte. The hashed pack is
//! built under the golden pack's own salt (the CLI draws a random one) and compared with
//! the golden plain pack hashed under it, as the CLI made it, and with the golden hashed
//! pack outside its hashes (so a new hashing scheme does not need new golden files).

use std::path::PathBuf;

use postsafe_core::build::{build, BuildError, BuildInput, Date, InputFile, Progress};
use postsafe_core::Pack;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn file(path: &str) -> InputFile {
    InputFile::new(path, std::fs::read(root().join(path)).unwrap())
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("crates/core/tests/golden").join(name)).unwrap()
}

fn wcat() -> BuildInput {
    let ex = "examples/wcat";
    BuildInput {
        id: Some("wcat".into()),
        version: Some("2026.11.29".into()),
        expires: Some("2099-12-31".into()),
        schools: Some(file(&format!("{ex}/gias_wcat_schools.csv"))),
        pupils: vec![file(&format!("{ex}/pupils_sims.csv"))],
        staff: vec![file(&format!("{ex}/staff.csv"))],
        terms: Some(file(&format!("{ex}/terms.json"))),
        ..BuildInput::new(
            "Wythenshawe Catholic Academy Trust",
            Date::from_unix_days(20_000),
        )
    }
}

fn admin() -> BuildInput {
    let ad = "tests/e2e/fixtures/admin";
    BuildInput {
        version: Some("2026.11.29".into()),
        expires: Some("2020-01-31".into()),
        schools: Some(file(&format!("{ad}/gias_extract.csv"))),
        trust: Some("wythenshawe catholic academy trust".into()),
        pupils: vec![file(&format!("{ad}/pupils_sims.csv"))],
        staff: vec![file(&format!("{ad}/staff.csv"))],
        terms: Some(file(&format!("{ad}/terms.json"))),
        ..BuildInput::new(
            "Wythenshawe Catholic Academy Trust",
            Date::from_unix_days(20_000),
        )
    }
}

/// The golden hashed pack's salt, as 16 bytes.
fn golden_salt() -> [u8; 16] {
    let v: serde_json::Value = serde_json::from_str(&golden("wcat-hashed.pack.json")).unwrap();
    let hex = v["hashed_roster"]["salt"].as_str().unwrap();
    let mut salt = [0u8; 16];
    for (i, b) in salt.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    salt
}

#[test]
fn plain_packs_are_byte_for_byte_the_clis() {
    let built = build(&wcat(), "wcat.pack.json", |_| {}).unwrap();
    assert_eq!(built.json, golden("wcat.pack.json"));
    let built = build(&admin(), "admin.pack.json", |_| {}).unwrap();
    assert_eq!(built.json, golden("admin.pack.json"));
}

/// The golden hashed pack with its `hashed_roster` left out: what does not depend on
/// the hashing scheme (which may change with the pack format).
fn without_hashes(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("hashed_roster");
    v
}

#[test]
fn a_hashed_pack_is_the_clis_plain_pack_hashed_under_the_same_salt() {
    // The CLI built the plain pack, then hashed its roster under a random salt.
    let input = BuildInput {
        salt: Some(golden_salt()),
        ..wcat()
    };
    let mut hashing = None;
    let built = build(&input, "wcat-hashed.pack.json", |p| {
        if let Progress::Hashing { pupils, staff, .. } = p {
            hashing = Some((pupils, staff));
        }
    })
    .unwrap();
    assert_eq!(hashing, Some((40, 4)));
    assert!(built.hashed);
    let mut expected = Pack::from_json("wcat.pack.json", &golden("wcat.pack.json")).unwrap();
    expected.hash_roster(golden_salt()).unwrap();
    assert_eq!(built.json, expected.to_json());
    // Everything but the hashes is byte for byte the golden hashed pack's.
    assert_eq!(
        without_hashes(&built.json),
        without_hashes(&golden("wcat-hashed.pack.json"))
    );
    assert!(!built.json.contains("Siobhan"));
}

#[test]
fn progress_reports_each_file_and_its_skipped_rows_in_order() {
    let mut seen = Vec::new();
    build(&admin(), "admin.pack.json", |p| match p {
        Progress::Read {
            kind,
            file,
            items,
            skipped,
            step,
            steps,
        } => seen.push(format!(
            "{step}/{steps} {} {file} {items} {:?}",
            kind.as_str(),
            skipped.iter().map(|s| s.line).collect::<Vec<_>>()
        )),
        Progress::Hashing { .. } => seen.push("hashing".into()),
        Progress::Checking { step, steps } => seen.push(format!("{step}/{steps} checking")),
    })
    .unwrap();
    let ad = "tests/e2e/fixtures/admin";
    assert_eq!(
        seen,
        [
            format!("1/5 schools {ad}/gias_extract.csv 4 []"),
            format!("2/5 pupils {ad}/pupils_sims.csv 5 [7]"),
            format!("3/5 staff {ad}/staff.csv 2 []"),
            format!("4/5 terms {ad}/terms.json 1 []"),
            "4/5 checking".to_string(),
        ]
    );
}

#[test]
fn errors_name_the_file_line_and_reason_and_nothing_is_built() {
    let bad = BuildInput {
        pupils: vec![
            file("tests/e2e/fixtures/admin/pupils_sims.csv"),
            InputFile::new(
                "second.csv",
                b"Forename,Surname,Shoe size\nA,B,4\n".to_vec(),
            ),
        ],
        ..BuildInput::new("T", Date::from_unix_days(0))
    };
    let e = build(&bad, "out.json", |_| {}).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("second.csv:1:1: unknown column \"Shoe size\""),
        "{e}"
    );
    let urn = BuildInput {
        urns: vec!["139456".into(), "99".into()],
        trust: None,
        ..admin()
    };
    assert_eq!(
        build(&urn, "out.json", |_| {}).unwrap_err(),
        BuildError::UrnNotInRegister("99".into())
    );
}

#[test]
fn default_version_and_expiry_come_from_the_date_given() {
    let input = BuildInput {
        version: None,
        expires: None,
        ..BuildInput::new("T", Date::from_unix_days(11_016))
    };
    let p = build(&input, "out.json", |_| {}).unwrap().pack;
    assert_eq!(p.version, "2000.02.29");
    assert_eq!(p.expires.as_deref(), Some("2001-02-28"));
}

#[test]
fn check_and_diff_summarise_the_golden_packs() {
    let today = Date::from_unix_days(20_000);
    let r =
        postsafe_core::check::check("admin.pack.json", &golden("admin.pack.json"), today).unwrap();
    assert!(r.expired);
    assert_eq!(r.counts[0], ("pupil".to_string(), 5));
    let hashed = BuildInput {
        salt: Some(golden_salt()),
        ..wcat()
    };
    let hashed = build(&hashed, "x", |_| {}).unwrap().json;
    let r = postsafe_core::check::check("x", &hashed, today).unwrap();
    assert!(r.hashed && !r.expired);
    assert_eq!(r.counts[0], ("pupil".to_string(), 40));
    let a = Pack::from_json("a", &golden("wcat.pack.json")).unwrap();
    let b = Pack::from_json("b", &golden("admin.pack.json")).unwrap();
    let d = postsafe_core::diff::diff(&a, &b);
    assert!(d.changed);
    let pupils = &d.kinds[0];
    assert_eq!(
        (pupils.kind, pupils.before, pupils.after, pupils.added),
        ("pupils", 40, 5, 5)
    );
    assert!(!postsafe_core::diff::diff(&a, &a).changed);
}
