//! The `postsafe` command as a user runs it: output, exit codes, errors.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn postsafe(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postsafe"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit (say, on a bad pack) before it reads its input.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("postsafe-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/wcat")
}

fn build_example(out_file: &Path, extra: &[&str]) -> Output {
    let ex = examples();
    let p = |f: &str| ex.join(f).display().to_string();
    let mut args = vec![
        "pack".to_string(),
        "build".into(),
        "--name".into(),
        "Wythenshawe Catholic Academy Trust".into(),
        "--id".into(),
        "wcat".into(),
        "--schools".into(),
        p("gias_wcat_schools.csv"),
        "--pupils".into(),
        p("pupils_sims.csv"),
        "--staff".into(),
        p("staff.csv"),
        "--terms".into(),
        p("terms.json"),
        "-o".into(),
        out_file.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    postsafe(&refs, "")
}

#[test]
fn scan_prints_line_column_category_words_and_message_and_exits_1() {
    let pack = tmp("wcat.json");
    let b = build_example(&pack, &[]);
    assert!(b.status.success(), "{}", err(&b));
    let o = postsafe(
        &["scan", "--pack", pack.to_str().unwrap(), "-"],
        "Hello\nWell done Tom Smith at #StPaulsHigh",
    );
    assert_eq!(o.status.code(), Some(1));
    let s = out(&o);
    assert!(
        s.contains("<stdin>:2:11: pupil block \"Tom Smith\": This names a pupil"),
        "{s}"
    );
    assert!(
        s.contains("<stdin>:2:25: school warn \"StPaulsHigh\""),
        "{s}"
    );
    assert!(s.contains("advice: Remove the name"), "{s}");
}

#[test]
fn a_clean_draft_exits_0() {
    let o = postsafe(&["scan"], "By the grace of God it is Friday.");
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("nothing found"));
}

#[test]
fn json_output_has_byte_and_utf16_offsets_and_the_exact_words() {
    let o = postsafe(&["scan", "--json"], "😀 safeguarding referral");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["text"], "safeguarding referral");
    assert_eq!(f["start"], 5); // bytes: the emoji is 4 bytes and a space
    assert_eq!(f["utf16_start"], 3); // UTF-16: the emoji is 2 units
    assert_eq!(f["end"], 26);
    assert_eq!(f["category"], "confidential");
    for k in [
        "severity",
        "rule",
        "field",
        "utf16_end",
        "message",
        "advice",
    ] {
        assert!(f.get(k).is_some(), "missing {k}");
    }
}

#[test]
fn jsonl_scans_each_line_with_its_fields() {
    let input = "{\"id\":\"a\",\"text\":\"nothing here\"}\n{\"id\":7,\"text\":\"hi\",\"alt\":[\"our school logo\"],\"files\":[\"class_photo.jpg\"]}\n";
    let o = postsafe(&["scan", "--jsonl"], input);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["findings"].as_array().unwrap().len(), 0);
    assert_eq!(lines[1]["id"], 7);
    let f = lines[1]["findings"].as_array().unwrap();
    assert_eq!(
        (f[0]["field"].as_str(), f[0]["text"].as_str()),
        (Some("alt"), Some("school logo"))
    );
    assert_eq!(
        (f[1]["field"].as_str(), f[1]["text"].as_str()),
        (Some("file"), Some("class_photo"))
    );
}

#[test]
fn bad_jsonl_line_names_its_line() {
    let o = postsafe(&["scan", "--jsonl"], "{\"text\":\"ok\"}\n{\"txt\":1}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("postsafe: <stdin>:2:"), "{}", err(&o));
}

#[test]
fn malformed_pack_is_an_error_naming_file_line_and_reason() {
    let pack = tmp("bad.json");
    std::fs::write(
        &pack,
        "{\n  \"format\": 1,\n  \"id\": \"x\",\n  \"name\": \"X\",\n  \"version\": 1\n}",
    )
    .unwrap();
    let o = postsafe(&["scan", "--pack", pack.to_str().unwrap()], "hi");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o).trim(),
        format!(
            "postsafe: {}:5:14: invalid type: integer `1`, expected a string",
            pack.display()
        )
    );
}

/// Runs `pack build` on a roster CSV (`csv_bytes`, any encoding) written to a temporary file
/// named `name`; the pack goes to `tmp("{name}.pack.json")`, removed first.
fn build_from_roster(name: &str, csv_bytes: impl AsRef<[u8]>) -> Output {
    let csv = tmp(name);
    std::fs::write(&csv, csv_bytes).unwrap();
    let out_file = tmp(&format!("{name}.pack.json"));
    let _ = std::fs::remove_file(&out_file);
    postsafe(
        &[
            "pack",
            "build",
            "--name",
            "T",
            "--pupils",
            csv.to_str().unwrap(),
            "-o",
            out_file.to_str().unwrap(),
        ],
        "",
    )
}

#[test]
fn unknown_roster_header_lists_the_accepted_ones() {
    let o = build_from_roster("roster.csv", "Forename,Surname,Favourite colour\nA,B,red\n");
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains(
            ":1:1: unknown column \"Favourite colour\"; accepted columns are: Legal Forename"
        ),
        "{e}"
    );
}

#[test]
fn skipped_rows_are_reported_with_their_line() {
    let o = build_from_roster("roster2.csv", "Forename,Surname\nAmy,Jones\n,Nobody\n");
    assert!(o.status.success());
    assert!(
        err(&o).contains("roster2.csv:3: row skipped: no forename or no surname"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("1 pupils"), "{}", err(&o));
}

#[test]
fn pack_check_summarises_counts_and_expiry() {
    let pack = tmp("wcat-check.json");
    assert!(build_example(&pack, &["--expires", "2020-01-01"])
        .status
        .success());
    let o = postsafe(&["pack", "check", pack.to_str().unwrap()], "");
    assert!(o.status.success());
    let s = out(&o);
    assert!(s.contains("pack \"wcat\""), "{s}");
    assert!(s.contains("expired on 2020-01-01"), "{s}");
    assert!(s.contains("pupil        40"), "{s}");
    assert!(s.contains("school       6"), "{s}");
}

#[test]
fn pack_diff_counts_changes_without_printing_names() {
    let a = tmp("diff-a.json");
    assert!(build_example(&a, &[]).status.success());
    let mut p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    p["pupils"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"forename": "Xanthe", "surname": "Quigley"}));
    p["version"] = "2".into();
    let b = tmp("diff-b.json");
    std::fs::write(&b, serde_json::to_string(&p).unwrap()).unwrap();
    let o = postsafe(
        &["pack", "diff", a.to_str().unwrap(), b.to_str().unwrap()],
        "",
    );
    assert!(o.status.success());
    let s = out(&o);
    assert!(
        s.contains("pupils       40 -> 41     (+1 added, -0 removed)"),
        "{s}"
    );
    assert!(!s.contains("Xanthe") && !s.contains("Quigley"), "{s}");
}

#[test]
fn gias_filter_by_trust_and_urn() {
    let csv = tmp("gias.csv");
    std::fs::write(
        &csv,
        "URN,EstablishmentName,Trusts (name),Postcode,TelephoneNum,SchoolWebsite,PhaseOfEducation (name)\n\
         1,St Mary's RC Primary School,Example Catholic Trust,AB1 2CD,01234 567890,www.stmarys.example.sch.uk,Primary\n\
         2,Hilltop Academy,Other Trust,AB1 2CE,,,Secondary\n",
    )
    .unwrap();
    let out_file = tmp("gias.json");
    let o = postsafe(
        &[
            "pack",
            "build",
            "--name",
            "Example Catholic Trust",
            "--schools",
            csv.to_str().unwrap(),
            "--trust",
            "example catholic trust",
            "-o",
            out_file.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = postsafe(
        &["scan", "--no-default", "--pack", out_file.to_str().unwrap()],
        "Ring 01234 567890 at St Marys or Hilltop Academy",
    );
    let s = out(&o);
    assert!(s.contains("\"01234 567890\""), "{s}");
    assert!(s.contains("\"St Marys\""), "{s}");
    assert!(!s.contains("Hilltop"), "{s}");
    let o = postsafe(
        &[
            "pack",
            "build",
            "--name",
            "T",
            "--schools",
            csv.to_str().unwrap(),
            "--urn",
            "99",
            "-o",
            out_file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("URN 99 is not in the register file"));
}

#[test]
fn hashed_30000_pupil_pack_holds_no_name_and_finds_the_same() {
    let pupils = common::synthetic_pupils(30_000, 99);
    let csv = tmp("big.csv");
    let mut text = String::from("Legal Forename,Legal Surname\n");
    for p in &pupils {
        text.push_str(&format!("{},{}\n", p.forename, p.surname));
    }
    std::fs::write(&csv, text).unwrap();
    let (plain, hashed) = (tmp("plain.json"), tmp("hashed.json"));
    for (file, extra) in [(&plain, None), (&hashed, Some("--hash-roster"))] {
        let mut args = vec![
            "pack",
            "build",
            "--name",
            "Test Trust",
            "--pupils",
            csv.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = postsafe(&args, "");
        assert!(o.status.success(), "{}", err(&o));
    }
    // No name anywhere in the hashed pack. The hash lists are base64 of 8-byte hashes
    // (checked to decode as such); everything else is searched for every name.
    let json = std::fs::read_to_string(&hashed).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v.get("pupils").is_none(),
        "plain pupils left in the hashed pack"
    );
    let h = v["hashed_roster"].as_object_mut().unwrap();
    // Every hash list is base64 (the last four may be left out when empty).
    for k in [
        "pupil_names",
        "pupil_first_names",
        "staff_names",
        "pupil_word_names",
        "given",
        "name_pairs",
        "starts",
    ] {
        let Some(b64) = h.remove(k) else {
            assert!(
                !["pupil_names", "pupil_first_names", "staff_names"].contains(&k),
                "{k} is missing"
            );
            continue;
        };
        let b64 = b64.as_str().unwrap();
        assert!(
            b64.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c)),
            "{k} is not base64"
        );
        assert_eq!(b64.len() % 4, 0);
    }
    // Search every value (keys such as "max_words" are the format's own words).
    fn values(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(m) => m.values().for_each(|x| values(x, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| values(x, out)),
            other => {
                out.push_str(&other.to_string().to_lowercase());
                out.push('\n');
            }
        }
    }
    let mut rest = String::new();
    values(&v, &mut rest);
    let words: std::collections::HashSet<&str> =
        rest.split(|c: char| !c.is_alphanumeric()).collect();
    for p in &pupils {
        for n in [&p.forename, &p.surname] {
            for part in n.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
                assert!(
                    part.is_empty() || !words.contains(part),
                    "{n} is in the hashed pack"
                );
            }
        }
    }
    // The same findings on drafts that name pupils, in several spellings.
    let mut drafts = String::new();
    for (i, p) in pupils.iter().step_by(997).enumerate() {
        let spelling = match i % 4 {
            0 => format!("Well done {} {}!", p.forename, p.surname),
            1 => format!("#{}{} in Year 6", p.forename, p.surname),
            2 => format!("{}, {}: great work", p.surname.to_uppercase(), p.forename),
            _ => format!("{} {}. in class", p.forename, &p.surname[..1]),
        };
        drafts.push_str(&serde_json::json!({"id": i, "text": spelling}).to_string());
        drafts.push('\n');
    }
    let run = |pack: &Path| {
        out(&postsafe(
            &["scan", "--jsonl", "--pack", pack.to_str().unwrap()],
            &drafts,
        ))
    };
    let (a, b) = (run(&plain), run(&hashed));
    assert_eq!(a.lines().count(), 31);
    assert!(
        a.lines().all(|l| l.contains("\"category\":\"pupil\"")),
        "{a}"
    );
    assert_eq!(a, b);
}

#[test]
fn committed_schema_matches_the_pack_types() {
    let o = postsafe(&["pack", "schema"], "");
    let committed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/pack.schema.json"),
    )
    .expect("schema/pack.schema.json is committed");
    assert_eq!(out(&o), committed, "schema/pack.schema.json is out of date: run `postsafe pack schema > schema/pack.schema.json`");
}

/// A draft of `n` bytes with a pupil's name at its start and another past the limit.
fn long_draft() -> String {
    let mut body = String::from("Well done Tom Smith. ");
    while body.len() < postsafe_core::limits::MAX_FIELD_BYTES + 100 {
        body.push_str("The sun shone on sports day. ");
    }
    body.push_str("Amy Jones won the relay.");
    body
}

#[test]
fn a_draft_too_long_to_check_fully_warns_and_exits_3() {
    let pack = tmp("trunc.json");
    std::fs::write(
        &pack,
        r#"{"format":1,"id":"t","name":"T","version":"1","pupils":[{"forename":"Tom","surname":"Smith"},{"forename":"Amy","surname":"Jones"}]}"#,
    )
    .unwrap();
    let p = pack.to_str().unwrap();
    let body = long_draft();
    let limit = postsafe_core::limits::MAX_FIELD_BYTES;
    // Human output: the findings before the limit, a warning, and exit 3 (not 1, not 0).
    let o = postsafe(&["scan", "--pack", p, "-"], &body);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(out(&o).contains("\"Tom Smith\""), "{}", out(&o));
    assert!(!out(&o).contains("Amy Jones"), "{}", out(&o));
    assert_eq!(
        err(&o).trim(),
        format!(
            "postsafe: warning: <stdin>: the draft is too long to check fully: {} bytes, only the \
             first {limit} were checked (the limit is {limit} bytes); the rest was not checked",
            body.len()
        )
    );
    // Exit 3 even when nothing was found in the part that was checked.
    let clean = body.replace("Tom Smith", "the team");
    let o = postsafe(&["scan", "--pack", p, "-"], &clean);
    assert_eq!(o.status.code(), Some(3));
    // --json carries the cut in the result.
    let o = postsafe(&["scan", "--json", "--pack", p, "-"], &body);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["truncated"][0]["field"], "body");
    assert_eq!(v["truncated"][0]["checked_bytes"], limit);
    // --jsonl: the line's result says so, the warning names the line.
    let line = serde_json::json!({"id": "long", "text": "hello", "alt": [body]}).to_string();
    let o = postsafe(
        &["scan", "--jsonl", "--pack", p, "-"],
        &format!("{{\"id\":\"short\",\"text\":\"Tom Smith\"}}\n{line}\n"),
    );
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(
        err(&o).starts_with("postsafe: warning: <stdin>:2: image description 1 is too long"),
        "{}",
        err(&o)
    );
    let rows: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows[0].get("truncated").is_none());
    assert_eq!(rows[1]["truncated"][0]["field"], "alt");
}

#[test]
fn a_bad_jsonl_line_gives_an_error_line_and_the_batch_goes_on() {
    let input = "{\"id\":1,\"text\":\"safeguarding referral\"}\n{\"id\":2,\"txt\":\"x\"}\nnot json\n{\"id\":4,\"text\":\"fine\"}\n";
    let o = postsafe(&["scan", "--jsonl"], input);
    assert_eq!(o.status.code(), Some(2));
    let rows: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4, "{}", out(&o));
    assert_eq!(rows[0]["id"], 1);
    assert_eq!(rows[0]["findings"][0]["category"], "confidential");
    assert_eq!(rows[1]["line"], 2);
    assert_eq!(rows[1]["id"], 2, "the id is kept when the line is JSON");
    assert!(
        rows[1]["error"].as_str().unwrap().starts_with("<stdin>:2:"),
        "{}",
        rows[1]
    );
    assert_eq!(rows[2]["line"], 3);
    assert!(rows[2].get("id").is_none());
    assert_eq!(rows[3]["id"], 4);
    assert_eq!(rows[3]["findings"].as_array().unwrap().len(), 0);
    let e = err(&o);
    assert!(e.contains("postsafe: <stdin>:2:"), "{e}");
    assert!(e.contains("postsafe: <stdin>:3:"), "{e}");
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_input() {
    let bom = "\u{FEFF}";
    // The draft: offsets and columns count from after the mark.
    let o = postsafe(&["scan", "--json"], &format!("{bom}safeguarding referral"));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["start"], 0);
    // JSON lines.
    let o = postsafe(
        &["scan", "--jsonl"],
        &format!("{bom}{{\"id\":1,\"text\":\"safeguarding referral\"}}\n"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // A pack, a terms file and the CSVs of `pack build`.
    let pack = tmp("bom.pack.json");
    std::fs::write(
        &pack,
        format!("{bom}{{\"format\":1,\"id\":\"b\",\"name\":\"B\",\"version\":\"1\",\"pupils\":[{{\"forename\":\"Tom\",\"surname\":\"Smith\"}}]}}"),
    )
    .unwrap();
    let o = postsafe(&["scan", "--pack", pack.to_str().unwrap()], "Tom Smith");
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let (pupils, staff, schools, terms) = (
        tmp("bom-pupils.csv"),
        tmp("bom-staff.csv"),
        tmp("bom-schools.csv"),
        tmp("bom-terms.json"),
    );
    std::fs::write(&pupils, format!("{bom}Forename,Surname\nAmy,Jones\n")).unwrap();
    std::fs::write(
        &staff,
        format!("{bom}Title,Forename,Surname\nMrs,Helen,Okafor\n"),
    )
    .unwrap();
    std::fs::write(
        &schools,
        format!("{bom}URN,name,postcode\n1,Hilltop Academy,AB1 2CD\n"),
    )
    .unwrap();
    std::fs::write(&terms, format!("{bom}{{\"allow\":[\"Hilltop walk\"]}}")).unwrap();
    let built = tmp("bom-built.json");
    let o = postsafe(
        &[
            "pack",
            "build",
            "--name",
            "T",
            "--pupils",
            pupils.to_str().unwrap(),
            "--staff",
            staff.to_str().unwrap(),
            "--schools",
            schools.to_str().unwrap(),
            "--terms",
            terms.to_str().unwrap(),
            "-o",
            built.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("1 schools, 1 pupils, 1 staff"),
        "{}",
        err(&o)
    );
}

#[test]
fn roster_files_that_cannot_be_read_safely_exit_2_naming_file_line_and_reason() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "header-only.csv",
            b"Legal Forename,Legal Surname\n",
            "header-only.csv:1:1: the file has a header but no rows: nothing to read",
        ),
        (
            "mixed.csv",
            b"Forename,Surname\nZo\xC3\xAB,Smith\nChlo\xEB,Jones\n",
            "mixed.csv:3:5: byte 0xEB is not UTF-8, but line 2 is UTF-8",
        ),
        (
            "nul.csv",
            b"Forename,Surname\nTom\0,Smith\n",
            "nul.csv:2:1: column \"Forename\" holds a control character (U+0000)",
        ),
        (
            "twice.csv",
            b"Surname,Forename,Surname\nSmith,Tom,Jones\n",
            "twice.csv:1:1: column \"Surname\" appears twice (columns 1 and 3); keep one",
        ),
    ];
    for (name, bytes, want) in cases {
        let o = build_from_roster(name, bytes);
        let out_file = tmp(&format!("{name}.pack.json"));
        assert_eq!(o.status.code(), Some(2), "{name}: {}", err(&o));
        let e = err(&o);
        assert!(e.contains(&format!("{}", tmp(name).display())), "{e}");
        assert!(e.contains(want.split_once(':').unwrap().1), "{name}: {e}");
        assert!(!out_file.exists(), "{name}: no pack is written");
    }
}
