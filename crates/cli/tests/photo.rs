//! `postsafe scan --image FILE...` (issue 16): the photos of tests/vectors/photos as a
//! teacher would run them, with the test pack's school and synthetic pupils.

use std::process::Command;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/photos");

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_postsafe"))
        .args(["scan", "--pack", &format!("{DIR}/pack.json")])
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn near_a_school_and_a_tagged_pupil() {
    let near = format!("{DIR}/near-school.jpg");
    let tagged = format!("{DIR}/tagged-pupil.png");
    let (code, out) = run(&["--image", &near, &tagged]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{near}: image warn \"53.38750, -2.26400\" (the photo's location): This photo records \
         that it was taken about 80 m from Saint Paul's Catholic High School"
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "{tagged}: pupil block \"Jayden Quillfeather\" (the photo's tagged people): This names a pupil"
    )), "{out}");
}

#[test]
fn json_output_and_min_severity() {
    let far = format!("{DIR}/far-away.jpg");
    let (code, out) = run(&["--json", "--image", &far]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["photos"][0];
    assert_eq!(p["file"], far.as_str());
    assert_eq!(p["format"], "jpeg");
    assert_eq!(p["findings"][0]["label"], "the photo's location");
    assert_eq!(
        p["findings"][0]["finding"]["rule"],
        "builtin/photo.location"
    );
    // The reminder is below --min-severity warn: nothing found.
    let (code, out) = run(&["--min-severity", "warn", "--image", &far]);
    assert_eq!((code, out), (0, format!("{far}: nothing found\n")));
}

#[test]
fn unreadable_photo_says_so_with_exit_status_3() {
    let bad = format!("{DIR}/truncated.jpg");
    let (code, out) = run(&["--image", &bad]);
    assert_eq!(code, 3);
    assert!(
        out.starts_with(&format!(
            "{bad}: could not read all of this photo's details"
        )),
        "{out}"
    );
}

#[test]
fn compressed_png_text_names_a_pupil() {
    let png = format!("{DIR}/compressed-text.png");
    let (code, out) = run(&["--image", &png]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{png}: pupil block \"Jayden Quillfeather\" (the photo's description): This names a pupil"
        )),
        "{out}"
    );
    let bomb = format!("{DIR}/zip-bomb.png");
    let (code, out) = run(&["--image", &bomb]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out == format!(
            "{bomb}: could not read all of this photo's details: a compressed text block inflates past 1 MB and was not read\n"
        ),
        "{out}"
    );
}
