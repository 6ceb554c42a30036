//! Limits: each enforced, each with a clear error or a clear note.

use postsafe_core::limits::MAX_FIELD_BYTES;
use postsafe_core::{Draft, Engine, FieldKind, Pack};

fn engine() -> Engine {
    let pack = Pack::from_json(
        "t",
        r#"{"format":1,"id":"t","name":"T","version":"1","pupils":[{"forename":"Thomas","surname":"Smith"}]}"#,
    )
    .unwrap();
    Engine::new(&[pack]).unwrap()
}

#[test]
fn a_draft_past_the_limit_is_checked_up_to_it_and_says_so() {
    let mut body = String::from("Thomas Smith ");
    while body.len() < MAX_FIELD_BYTES + 1000 {
        body.push_str("lorem ipsum é ");
    }
    body.push_str(" Thomas Smith at the very end");
    let r = engine().scan(&Draft {
        body: body.clone(),
        ..Draft::default()
    });
    assert_eq!(
        r.findings.len(),
        1,
        "only the name before the limit is found"
    );
    assert_eq!(r.findings[0].start, 0);
    assert_eq!(r.truncated.len(), 1);
    let t = r.truncated[0];
    assert_eq!((t.field, t.field_index), (FieldKind::Body, 0));
    assert!(t.checked_bytes <= MAX_FIELD_BYTES && t.checked_bytes > MAX_FIELD_BYTES - 4);
    assert!(body.is_char_boundary(t.checked_bytes));
}

#[test]
fn a_draft_within_the_limit_is_not_truncated() {
    let r = engine().scan(&Draft {
        body: "Thomas Smith".into(),
        ..Draft::default()
    });
    assert!(r.truncated.is_empty());
}

#[test]
fn oversized_regex_is_refused_with_its_id() {
    let big = format!(
        "(?:{})",
        (0..40_000)
            .map(|i| format!("w{i}x"))
            .collect::<Vec<_>>()
            .join("|")
    );
    let json = serde_json::json!({"format":1,"id":"t","name":"T","version":"1","patterns":[
        {"id":"huge","category":"personal","severity":"warn","message":"m","advice":"a","clause":"c","regex": big}]});
    let e = Pack::from_json("t.json", &json.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .contains("pattern \"huge\" is not a valid regex"),
        "{e}"
    );
    assert!(e.to_string().contains("size limit"), "{e}");
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::Regex);
}

#[test]
fn a_unicode_class_in_a_pattern_is_refused() {
    let json = r#"{"format":1,"id":"t","name":"T","version":"1","patterns":[
        {"id":"letters","category":"personal","severity":"warn","message":"m","advice":"a","clause":"c","regex":"\\p{Greek}+"}]}"#;
    let e = Pack::from_json("t.json", json).unwrap_err();
    assert!(e.to_string().starts_with("t.json:2:"), "{e}");
}

#[test]
fn an_oversized_pack_is_refused_before_parsing() {
    let text = " ".repeat(postsafe_core::limits::MAX_PACK_BYTES + 1);
    let e = Pack::from_json("big.json", &text).unwrap_err();
    assert!(e.to_string().contains("over the limit"), "{e}");
}

fn pattern_pack(patterns: &[(String, String)]) -> String {
    let list: Vec<serde_json::Value> = patterns
        .iter()
        .map(|(id, re)| {
            serde_json::json!({"id": id, "category": "personal", "severity": "warn",
                "message": "m", "advice": "a", "clause": "c", "regex": re})
        })
        .collect();
    serde_json::to_string_pretty(
        &serde_json::json!({"format":1,"id":"t","name":"T","version":"1","patterns": list}),
    )
    .unwrap()
}

#[test]
fn too_many_patterns_are_refused_before_any_is_compiled() {
    let limits = postsafe_core::limits::Limits::default();
    let n = limits.max_patterns + 1;
    // The last one does not compile: the count is refused first.
    let mut patterns: Vec<(String, String)> = (0..n - 1)
        .map(|i| (format!("p{i}"), format!(r"\bcode{i}\b")))
        .collect();
    patterns.push(("bad".into(), "(unclosed".into()));
    let e = Pack::from_json("many.json", &pattern_pack(&patterns)).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::TooLarge);
    let shown = e.to_string();
    assert!(shown.starts_with("many.json:"), "{shown}");
    assert!(
        shown.contains(&format!(
            "the pack has {n} patterns, over the limit of {}",
            limits.max_patterns
        )),
        "{shown}"
    );
    // At the limit, the same patterns load.
    patterns.truncate(limits.max_patterns);
    assert!(Pack::from_json("ok.json", &pattern_pack(&patterns)).is_ok());
}

#[test]
fn patterns_too_large_together_are_refused_naming_the_one_over() {
    let limits = postsafe_core::limits::Limits::default();
    // Each pattern is valid alone; the fifth takes the pack over the total. (Numbered
    // words: their DFAs stay small, where a run of thousands of `a?` no longer compiles.)
    let each = limits.max_pattern_bytes / 4 - 10;
    let patterns: Vec<(String, String)> = (0..5)
        .map(|i| {
            let mut words = String::new();
            let mut j = 0;
            while words.len() < each - 10 {
                words.push_str(&format!("w{j}x|"));
                j += 1;
            }
            words.pop();
            (format!("words{i}"), format!("z{i}(?:{words})"))
        })
        .collect();
    let e = Pack::from_json("big.json", &pattern_pack(&patterns)).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::TooLarge);
    let shown = e.to_string();
    assert!(shown.contains("up to \"words4\""), "{shown}");
    assert!(
        shown.contains(&format!(
            "over the limit of {} bytes",
            limits.max_pattern_bytes
        )),
        "{shown}"
    );
    assert!(Pack::from_json("ok.json", &pattern_pack(&patterns[..4])).is_ok());
}

#[test]
fn a_school_name_too_long_to_spell_every_way_is_refused() {
    let limits = postsafe_core::limits::Limits::default();
    let long = "St Mary and St John ".repeat(limits.max_school_name_chars / 10);
    let json = serde_json::json!({"format":1,"id":"t","name":"T","version":"1",
        "schools":[{"name": "Wyvil Primary School"}, {"name": long.trim()}]});
    let e = Pack::from_json("long.json", &json.to_string()).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::TooLarge);
    assert!(
        e.to_string().contains(&format!(
            "school 2 has a name of {} characters, over the limit of {}",
            long.trim().chars().count(),
            limits.max_school_name_chars
        )),
        "{e}"
    );
    let json = serde_json::json!({"format":1,"id":"t","name":"T","version":"1",
        "trust_names":[long.trim()]});
    let e = Pack::from_json("trust.json", &json.to_string()).unwrap_err();
    assert!(e.to_string().contains("a trust name has"), "{e}");
    // The longest name in the DfE register loads.
    let json = serde_json::json!({"format":1,"id":"t","name":"T","version":"1",
        "schools":[{"name": "Wyvil Primary School and Resource Bases for Speech, Language and Communication Needs, and Autism"}]});
    assert!(Pack::from_json("ok.json", &json.to_string()).is_ok());
}
