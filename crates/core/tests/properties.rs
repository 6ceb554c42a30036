//! Property tests: whatever the draft, every finding's span lies inside the field, on
//! character boundaries, covers exactly the words it reports, and its UTF-16 offsets
//! agree with its byte offsets.

use postsafe_core::{Draft, Engine, Pack};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let pack = Pack::from_json(
            "props",
            r#"{"format":1,"id":"p","name":"P","version":"1",
            "pupils":[{"forename":"Thomas","surname":"Smith","preferred_forename":"Tom"},
                      {"forename":"Zoë","surname":"O'Brien"},{"forename":"Priya","surname":"Ramaswamy"}],
            "staff":[{"title":"Mrs","forename":"Helen","surname":"Okafor"}],
            "schools":[{"name":"Saint Paul's Catholic High School","postcodes":["M23 2YS"],"phones":["0161 998 3419"]}],
            "allow":["St Paul's Cathedral"]}"#,
        )
        .unwrap();
        Engine::new(&[pack]).unwrap()
    })
}

/// Drafts built from pieces that exercise normalisation: names, school words, look-alikes,
/// invisible characters, emoji, accents, apostrophes, digits.
fn draft_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Tom".to_string()),
        Just("Smith".to_string()),
        Just("Smith's".to_string()),
        Just("Zoë".to_string()),
        Just("Zoe\u{308}".to_string()),
        Just("O’Brien".to_string()),
        Just("Priya".to_string()),
        Just("Year 6".to_string()),
        Just("St Paul's".to_string()),
        Just("#StPaulsHigh".to_string()),
        Just("M23 2YS".to_string()),
        Just("0161 998 3419".to_string()),
        Just("Mrs Okafor".to_string()),
        Just("Тоm".to_string()),
        Just("Ｔｏｍ".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{00AD}".to_string()),
        Just("\u{202E}".to_string()),
        Just("😀".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("𝕏".to_string()),
        Just("ﬁ".to_string()),
        Just("safeguarding".to_string()),
        Just("EHCP".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("'".to_string()),
        Just("-".to_string()),
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn check(field: &str, f: &postsafe_core::Finding) -> Result<(), TestCaseError> {
    prop_assert!(
        f.start < f.end && f.end <= field.len(),
        "span {}..{} in {} bytes",
        f.start,
        f.end,
        field.len()
    );
    prop_assert!(field.is_char_boundary(f.start) && field.is_char_boundary(f.end));
    prop_assert_eq!(&field[f.start..f.end], f.text.as_str());
    prop_assert_eq!(f.utf16_start, field[..f.start].encode_utf16().count());
    prop_assert_eq!(f.utf16_end, field[..f.end].encode_utf16().count());
    prop_assert_eq!(
        postsafe_core::byte_offset(field, f.utf16_start),
        Some(f.start)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_exact_in_every_field(body in draft_text(), alt in draft_text(), file in draft_text()) {
        let draft = Draft { body, alt: vec![alt], files: vec![file], links: vec![] };
        let result = engine().scan(&draft);
        for f in &result.findings {
            let field = match f.field.as_str() {
                "body" => &draft.body,
                "alt" => &draft.alt[f.field_index],
                _ => &draft.files[f.field_index],
            };
            check(field, f)?;
        }
        // Sorted, and no two findings of a field overlap (the affiliation reminder
        // shares its school finding's span).
        for w in result.findings.windows(2) {
            prop_assert!((w[0].field, w[0].field_index, w[0].start) <= (w[1].field, w[1].field_index, w[1].start));
            if (w[0].field, w[0].field_index) == (w[1].field, w[1].field_index)
                && w[0].category.as_str() != "affiliation" && w[1].category.as_str() != "affiliation" {
                prop_assert!(w[0].end <= w[1].start, "overlap {:?} {:?}", w[0].text, w[1].text);
            }
        }
    }

    #[test]
    fn any_unicode_text_scans_without_panic(text in "\\PC{0,300}") {
        for f in engine().scan_text(&text) {
            check(&text, &f)?;
        }
    }

    #[test]
    fn a_name_wrapped_in_anything_is_found(pre in "\\PC{0,40}", post in "\\PC{0,40}") {
        // A name starting a line and set off by a space is found whatever surrounds it
        // (after a capitalised word on the same line it may be someone else's name:
        // "Mary Tom Smith" is not checked here).
        let text = format!("{pre}\nTom Smith {post}");
        let found = engine().scan_text(&text).iter().any(|f| f.text.contains("Tom Smith") || f.text.contains("Smith"));
        prop_assert!(found, "{:?}", text);
    }
}
