//! Runs every shared test vector in `tests/vectors/` against the native engine.
//!
//! The same files are run against the WebAssembly build by `tests/wasm/`.

use postsafe_core::{Draft, Engine, Finding, Pack};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    #[allow(dead_code)]
    description: String,
    #[serde(default = "yes")]
    default_pack: bool,
    pack: serde_json::Value,
    cases: Vec<Case>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    draft: Draft,
    expect: Vec<Expect>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expect {
    field: String,
    #[serde(default)]
    field_index: usize,
    category: String,
    #[serde(default)]
    severity: Option<String>,
    text: String,
}

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn describe(f: &Finding) -> String {
    format!(
        "{}[{}] {} {} {:?} ({})",
        f.field.as_str(),
        f.field_index,
        f.category.as_str(),
        f.severity.as_str(),
        f.text,
        f.rule
    )
}

#[test]
fn every_vector_gives_exactly_the_expected_findings() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "vector files missing: {files:?}");
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let v: VectorFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pack = Pack::from_json(&name, &v.pack.to_string()).unwrap_or_else(|e| panic!("{e}"));
        // Every vector runs against the plain roster and against the same roster hashed.
        let mut hashed = pack.clone();
        hashed.hash_roster([7; 16]).unwrap();
        let hashed = Pack::from_json("hashed", &hashed.to_json()).unwrap();
        for (mode, pack) in [("plain", pack), ("hashed", hashed)] {
            let name = format!("{name} ({mode} roster)");
            let engine = if v.default_pack {
                Engine::new(&[pack])
            } else {
                Engine::without_default(&[pack])
            }
            .unwrap();
            for case in &v.cases {
                cases += 1;
                let result = engine.scan(&case.draft);
                // Spans are exact: the text is the field's own words at those offsets.
                for f in &result.findings {
                    let field = match f.field.as_str() {
                        "body" => &case.draft.body,
                        "alt" => &case.draft.alt[f.field_index],
                        "file" => &case.draft.files[f.field_index],
                        _ => &case.draft.links[f.field_index],
                    };
                    assert_eq!(&field[f.start..f.end], f.text, "{name}: {}", case.name);
                    let units: Vec<u16> = field.encode_utf16().collect();
                    assert_eq!(
                        String::from_utf16(&units[f.utf16_start..f.utf16_end]).unwrap(),
                        f.text,
                        "{name}: {}: UTF-16 span",
                        case.name
                    );
                }
                let got: Vec<Expect> = result
                    .findings
                    .iter()
                    .map(|f| Expect {
                        field: f.field.as_str().to_string(),
                        field_index: f.field_index,
                        category: f.category.as_str().to_string(),
                        severity: None,
                        text: f.text.clone(),
                    })
                    .collect();
                let want: Vec<Expect> = case
                    .expect
                    .iter()
                    .map(|e| Expect {
                        severity: None,
                        ..clone_expect(e)
                    })
                    .collect();
                let severities_ok = case.expect.iter().zip(&result.findings).all(|(e, f)| {
                    e.severity
                        .as_deref()
                        .is_none_or(|s| s == f.severity.as_str())
                });
                if got != want || !severities_ok {
                    failures.push(format!(
                        "{name}: {}\n    draft: {:?}\n    want: {:?}\n    got:  {:?}",
                        case.name,
                        case.draft,
                        case.expect,
                        result.findings.iter().map(describe).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{cases} vectors passed");
}

fn clone_expect(e: &Expect) -> Expect {
    Expect {
        field: e.field.clone(),
        field_index: e.field_index,
        category: e.category.clone(),
        severity: e.severity.clone(),
        text: e.text.clone(),
    }
}
