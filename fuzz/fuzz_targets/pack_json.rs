//! Pack::from_json (and TermsFile::from_json) on arbitrary UTF-8. A pack that parses
//! must round-trip through to_json, compile into an engine without the default pack,
//! and scan a fixed draft with exact spans.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use postsafe_core::{import::TermsFile, Draft, Engine, Pack};

fn draft() -> &'static Draft {
    static D: OnceLock<Draft> = OnceLock::new();
    D.get_or_init(|| Draft {
        body: "Well done to Tom Smith, Zoë O’Brien and #MillieSmithJones in Year 6 at \
               St. Paul's! Thanks Mrs Okafor and Mr D. Whitfield. Call 0161 998 3419 \
               or write to office@stpauls.manchester.sch.uk, M23 2YS. Safeguarding \
               concern about a LAC pupil with an EHCP. Сallum McDоnald (ｙｅａｒ 9), \
               S\u{200B}iobhan, T o m  S m i t h. My views are my own."
            .to_string(),
        alt: vec![
            "Pupils in school uniform outside Saint Paul's Catholic High School".to_string(),
            "Grace and Priya in class 😀".to_string(),
        ],
        files: vec!["IMG_2041_stpauls_sportsday.jpg".to_string()],
        links: vec!["https://www.stpauls.manchester.sch.uk/news?id=7#top".to_string()],
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = TermsFile::from_json("fuzz-terms.json", text);
    let Ok(pack) = Pack::from_json("fuzz.json", text) else {
        return;
    };
    let json = pack.to_json();
    let again = Pack::from_json("fuzz-again.json", &json)
        .unwrap_or_else(|e| panic!("a valid pack's to_json does not parse: {e}\n{json}"));
    assert_eq!(again, pack, "to_json does not round-trip");
    let engine = Engine::without_default(std::slice::from_ref(&pack))
        .unwrap_or_else(|e| panic!("a valid pack does not compile: {e}"));
    let result = engine.scan(draft());
    postsafe_fuzz::check_scan(draft(), &result);
});
