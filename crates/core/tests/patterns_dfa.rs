//! The patterns' DFAs find what the `regex` crate finds: the same spans, in the same
//! order, for every pattern in the repository (the built-in pack's, as shipped in the
//! engine, and any in tests/vectors, examples and docs/examples) and a few more that
//! use what the compile options change (case, ASCII classes and word boundaries, bytes
//! inside characters, empty matches, leftmost-first alternation), over every draft of
//! the test vectors and the examples and 20,000 real posts (shared/data/posts).
//!
//! The `regex` crate was the engine's matcher before the engine module lost its regex
//! compiler (README, "WebAssembly size"); it is configured here as the engine
//! configured it then.

mod common;

use postsafe_core::dfa::{byte_set, Matcher};
use postsafe_core::Pack;
use std::path::{Path, PathBuf};

/// The `regex` crate's spans, with the options the engine used (limits.rs before the
/// DFAs): ASCII classes, case-insensitive unless `case_sensitive`, 1 MiB size limits.
fn reference(regex: &str, case_sensitive: bool) -> regex::bytes::Regex {
    regex::bytes::RegexBuilder::new(regex)
        .unicode(false)
        .case_insensitive(!case_sensitive)
        .size_limit(1024 * 1024)
        .dfa_size_limit(1024 * 1024)
        .build()
        .unwrap_or_else(|e| panic!("{regex:?}: {e}"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Every `{"regex": .., "case_sensitive": ..}` object in `v`, and every string under a
/// `"draft"` key (the vectors' drafts).
fn walk(
    v: &serde_json::Value,
    in_draft: bool,
    pats: &mut Vec<(String, bool)>,
    texts: &mut Vec<String>,
) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(serde_json::Value::String(re)), Some(_)) = (m.get("regex"), m.get("id")) {
                let cs = m
                    .get("case_sensitive")
                    .and_then(|c| c.as_bool())
                    .unwrap_or(false);
                pats.push((re.clone(), cs));
            }
            for (k, x) in m {
                walk(x, in_draft || k == "draft", pats, texts);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, in_draft, pats, texts)),
        serde_json::Value::String(s) if in_draft => texts.push(s.clone()),
        _ => {}
    }
}

fn spans(found: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<(usize, usize)> {
    found.map(|r| (r.start, r.end)).collect()
}

#[test]
fn dfa_spans_equal_the_regex_crates_on_vectors_examples_and_real_posts() {
    let r = root();
    let mut files = Vec::new();
    for d in [
        "tests/vectors",
        "examples",
        "docs/examples",
        "tests/e2e/pack.json",
    ] {
        let p = r.join(d);
        if p.is_file() {
            files.push(p);
        } else {
            json_files(&p, &mut files);
        }
    }
    let mut pats: Vec<(String, bool)> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            walk(&v, false, &mut pats, &mut texts);
        }
    }
    let drafts_from_files = texts.len();
    for d in ["examples/wcat/drafts"] {
        for e in std::fs::read_dir(r.join(d)).unwrap().flatten() {
            texts.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    // What the built-in patterns look for, next to each other, to letters, digits and
    // characters of more than one byte (real posts hold few phone numbers).
    let fragments = [
        "0161 998 3419",
        "+44 (0)7700 900123",
        "07700900123",
        "0044 20-7946-0958",
        "j.smith@stpauls.manchester.sch.uk",
        "Head@School.SCH.UK",
        "a@b.co",
        "M23 2YS",
        "m232ys",
        "SW1A 1AA",
        "12 Firbank Road",
        "12a, High Street",
        "7 Long Lane",
        "naïve café",
        "ref 12345",
        "x",
        "2",
    ];
    for a in fragments {
        for b in fragments {
            for sep in [" ", "", "é", "\u{200b}", "-", "\n"] {
                texts.push(format!("{a}{sep}{b}"));
            }
        }
    }
    let posts = common::real_posts(20_000);
    assert!(posts.len() >= 15_000, "only {} real posts", posts.len());
    let posts_len = posts.len();
    texts.extend(posts);

    // The built-in pack as the engine has it: the DFAs build.rs compiled.
    let builtin = postsafe_core::default_pack();
    let mut matchers: Vec<(String, bool, Matcher)> = Vec::new();
    for p in &builtin.patterns {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(
                p.compiled
                    .as_deref()
                    .expect("the built-in patterns are compiled"),
            )
            .unwrap();
        matchers.push((
            p.regex.clone(),
            p.case_sensitive,
            Matcher::decode(&bytes, &p.regex, p.case_sensitive).unwrap(),
        ));
    }
    assert_eq!(matchers.len(), 5, "the built-in pack's patterns");
    // What the compile options change.
    let extra = [
        (r"colou?r|\bfoo\b", false),
        (r"x|xy", true),
        (r"a*", false),
        (r"[^a-z ]+", false),
        (r"\B\d\B|\w+@\w+", false),
        (r"\d+(?:\.\d+)?%", false),
        (r"(?-i:[A-Z]{2,})\s+\w", false),
        (r"straße|CAFÉ", false),
        (r".{1,3}\b", false),
        (r"^\S+|\S+$", false),
    ];
    for (re, cs) in pats.iter().map(|(r, c)| (r.as_str(), *c)).chain(extra) {
        matchers.push((re.to_string(), cs, Matcher::compile(re, cs).unwrap()));
    }

    let mut compared = 0usize;
    let mut found = 0usize;
    let mut builtin_found = 0usize;
    let (mut skipped, mut builtin_skipped) = (0usize, 0usize);
    for (i, (re, cs, m)) in matchers.iter().enumerate() {
        let reference = reference(re, *cs);
        for t in &texts {
            let want = spans(reference.find_iter(t.as_bytes()).map(|m| m.range()));
            let got = spans(m.find_iter(t.as_bytes()));
            assert_eq!(got, want, "pattern {re:?} (case_sensitive {cs}) on {t:?}");
            // The scan skips a pattern for a text without a byte it needs: that text
            // must hold no match of it.
            if !m.may_match(&byte_set(t.as_bytes())) {
                assert!(
                    want.iter().all(|(a, b)| a == b),
                    "pattern {re:?} was skipped on {t:?}, which it matches: {want:?}"
                );
                skipped += 1;
                if i < 5 {
                    builtin_skipped += 1;
                }
            }
            compared += 1;
            found += want.len();
            if i < 5 {
                builtin_found += want.iter().filter(|(a, b)| a < b).count();
            }
        }
    }
    println!(
        "{} patterns ({} from {} JSON files, 5 built-in, 10 more) x {} texts ({drafts_from_files} vector strings): {compared} scans, {found} spans, all equal",
        matchers.len(),
        pats.len(),
        files.len(),
        texts.len()
    );
    println!("the built-in patterns' spans: {builtin_found}");
    println!(
        "skipped for a byte the text lacks: {skipped} scans, {builtin_skipped} of them of the built-in patterns"
    );
    // Each built-in pattern needs a byte most posts lack (`@`, a digit) or several.
    for (re, _, m) in &matchers[..5] {
        assert!(m.has_requirements(), "{re:?} needs no byte in particular");
    }
    assert!(
        builtin_skipped > posts_len * 2,
        "the built-in patterns were skipped on only {builtin_skipped} texts"
    );
    assert!(
        found > 1000,
        "the patterns found too little to compare: {found}"
    );
}

#[test]
fn the_built_in_patterns_are_what_pack_build_compiles() {
    // build.rs compiled them with the same code as `pack build`: the bytes are equal.
    postsafe_core::default_pack()
        .check_compiled("built-in default pack")
        .unwrap();
    assert!(Pack::from_json("x", postsafe_core::DEFAULT_PACK_JSON).is_ok());
}

fn pack_with(regex: &str) -> String {
    serde_json::json!({"format": 1, "id": "trust", "name": "T", "version": "1", "patterns": [
        {"id": "x.thing", "category": "personal", "severity": "warn", "message": "m",
         "advice": "a", "clause": "c", "regex": regex}]})
    .to_string()
}

#[test]
fn a_pack_without_compiled_patterns_scans_here_but_pack_check_says_to_rebuild_it() {
    let pack = Pack::from_json("old.json", &pack_with(r"\bref \d{4}\b")).unwrap();
    // The CLI and the tests compile a pattern that has no compiled form.
    let engine = postsafe_core::Engine::without_default(std::slice::from_ref(&pack)).unwrap();
    let found = engine.scan_text("see ref 1234 today");
    assert_eq!(found[0].text, "ref 1234");
    // `pack check` refuses it: the extension's engine could not run it.
    let e =
        postsafe_core::check::check_pack(&pack, postsafe_core::build::Date::from_unix_days(20_000))
            .unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::NotCompiled);
    assert_eq!(
        e.to_string(),
        "pack \"trust\": pattern \"x.thing\" of pack \"trust\" has no compiled form: the \
         extension's engine runs only compiled patterns; rebuild the pack with `postsafe \
         pack build` or the admin page"
    );
    // Compiled as `pack build` does, it passes.
    let mut built = pack.clone();
    built.compile_patterns("terms.json").unwrap();
    postsafe_core::check::check_pack(&built, postsafe_core::build::Date::from_unix_days(20_000))
        .unwrap();
    let again = Pack::from_json("new.json", &built.to_json()).unwrap();
    assert_eq!(again, built);
}

#[test]
fn a_compiled_form_of_another_regex_or_dfa_version_is_refused_naming_the_pattern() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut pack = Pack::from_json("p.json", &pack_with(r"\bref \d{4}\b")).unwrap();
    pack.compile_patterns("terms.json").unwrap();
    // The regex edited by hand after the pack was built.
    let mut edited = pack.clone();
    edited.patterns[0].regex = r"\bref \d{5}\b".into();
    let e = Pack::from_json("p.json", &edited.to_json()).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::NotCompiled);
    assert!(e.reason.starts_with("pattern \"x.thing\" of pack \"trust\" has a compiled form this engine cannot use: it was compiled from another regex"), "{e}");
    assert!(e.reason.ends_with("rebuild the pack with `postsafe pack build` or the admin page, which compile each pattern for the engine"), "{e}");
    assert!(e.line.is_some(), "the error points at the pattern: {e}");
    // DFAs serialised by another regex-automata version: the version word after the
    // label (32 bytes) and the endianness check (4) of the forward DFA.
    let mut bytes = b64
        .decode(pack.patterns[0].compiled.as_ref().unwrap())
        .unwrap();
    bytes[16 + 36] = 99;
    let mut other = pack.clone();
    other.patterns[0].compiled = Some(b64.encode(&bytes));
    let e = Pack::from_json("p.json", &other.to_json()).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::NotCompiled);
    assert!(e.reason.contains("its forward DFA cannot be read"), "{e}");
    assert!(e.reason.contains("version"), "{e}");
    // And `pack check` says the same of a form that reads but is not this build's.
    let e = postsafe_core::check::check(
        "p.json",
        &other.to_json(),
        postsafe_core::build::Date::from_unix_days(20_000),
    )
    .unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::NotCompiled);
}

#[test]
fn a_pattern_whose_dfas_are_too_large_is_refused_at_build_naming_it() {
    let json = pack_with(r"[a-z]*a[a-z]{11}");
    // At load (here, where patterns without a compiled form are compiled) ...
    let e = Pack::from_json("p.json", &json).unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::Regex);
    assert!(e.to_string().starts_with("p.json:1:"), "{e}");
    // ... and at build, as `pack build` and the admin page compile it.
    let mut pack: Pack = serde_json::from_str(&json).unwrap();
    let e = pack.compile_patterns("terms.json").unwrap_err();
    assert_eq!(e.kind(), postsafe_core::PackErrorKind::Regex);
    assert!(
        e.to_string()
            .starts_with("terms.json: pattern \"x.thing\" is not a valid regex: it compiles to "),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("over the limit of 262144 bytes for one pattern"),
        "{e}"
    );
}

#[test]
fn dfas_that_do_not_belong_together_end_the_search_without_a_panic() {
    // A pack edited by hand: the forward DFA of one regex with the reverse DFA of another
    // (the header's hash is of the first regex, so the form reads).
    let a = postsafe_core::dfa::compile(r"\bref \d{4}\b", false).unwrap();
    let b = postsafe_core::dfa::compile(r"zzz", false).unwrap();
    let len = |x: &[u8]| 16 + u32::from_le_bytes(x[12..16].try_into().unwrap()) as usize;
    let mut spliced = a[..len(&a)].to_vec();
    spliced.extend_from_slice(&b[len(&b)..]);
    let m = Matcher::decode(&spliced, r"\bref \d{4}\b", false).unwrap();
    assert_eq!(m.find_iter(b"see ref 1234 and ref 5678").count(), 0);
    // The forms themselves still find what they should.
    let m = Matcher::decode(&a, r"\bref \d{4}\b", false).unwrap();
    assert_eq!(
        spans(m.find_iter(b"see ref 1234 and ref 5678")),
        vec![(4, 12), (17, 25)]
    );
}
