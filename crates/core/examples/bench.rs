//! Benchmark of the native engine: build time, scan p50/p99, peak memory, and bare
//! Aho-Corasick search over the same terms as the reference.
//!
//! Run with `./build.sh bench` (or `cargo run --release -p postsafe-core --example bench`).
//! Needs `../shared/data` beside the repository for the synthetic roster and real posts.
//!
//! Workload (issue 12): a pack of 30,000 synthetic pupils and 1,000 school names from
//! the DfE register (plus the built-in confidential lists), plain and with the roster
//! hashed; drafts of 280, 2,000 and 63,206 characters cut from real posts with roster
//! names sprinkled in, and one 2,000-character draft repeated 32 times (64,000
//! characters), so that cost against length can be read for both. Writes the packs
//! and drafts to `target/bench/` for the WebAssembly benchmark (`tests/wasm/bench.mjs`),
//! which holds the targets.

#[path = "../tests/common/mod.rs"]
mod common;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use postsafe_core::{Category, Engine, Pack, Severity, TermList};
use std::time::Instant;

fn vm_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Times `f` `n` times (after a warm-up) and returns (p50, p99) in milliseconds.
fn time(n: usize, mut f: impl FnMut() -> usize) -> (f64, f64, usize) {
    let mut sink = 0;
    for _ in 0..n.min(20) {
        sink += f();
    }
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let s = Instant::now();
            sink += f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (percentile(&t, 0.5), percentile(&t, 0.99), sink)
}

/// The benchmark pack: 30,000 pupils and 1,000 school names as a term list.
pub fn bench_pack() -> Pack {
    let mut pack = common::roster_pack(30_000, 7);
    let gias = std::fs::read_to_string(common::data_dir().join("schools/gias_schools_2025-07.csv"))
        .unwrap();
    let mut rdr = csv_names(&gias);
    rdr.truncate(1_000);
    pack.term_lists.push(TermList {
        id: "school.register".into(),
        category: Category::School,
        severity: Severity::Warn,
        message: "Names a school.".into(),
        advice: "Leave it out.".into(),
        clause: "bench".into(),
        terms: rdr,
        fields: None,
        near: vec![],
    });
    pack
}

fn csv_names(gias: &str) -> Vec<String> {
    // name is the second column; names with commas are quoted.
    let mut out = Vec::new();
    for line in gias.lines().skip(1).step_by(21) {
        let name = if let Some(rest) = line.split_once(',').map(|x| x.1) {
            if let Some(q) = rest.strip_prefix('"') {
                q.split('"').next().unwrap_or("").to_string()
            } else {
                rest.split(',').next().unwrap_or("").to_string()
            }
        } else {
            continue;
        };
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// Drafts of exactly `chars` characters from real posts, with roster names sprinkled in.
pub fn draft(chars: usize, pack: &Pack, posts: &[String]) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.chars().count() < chars {
        s.push_str(&posts[i % posts.len()]);
        s.push(' ');
        if i % 7 == 3 {
            let p = &pack.pupils[(i * 31) % pack.pupils.len()];
            s.push_str(&format!("Well done {} {}! ", p.forename, p.surname));
        }
        i += 1;
    }
    s.chars().take(chars).collect()
}

fn main() {
    // `--build plain|hashed N`: only build the engine N times (for a profiler), reading
    // the packs an earlier full run wrote to target/bench/.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--scan") {
        // `--scan plain|hashed CHARS N`: only scan that draft of the last full run N times.
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
        let file = if args.get(2).map(String::as_str) == Some("hashed") {
            "pack-hashed.json"
        } else {
            "pack.json"
        };
        let pack =
            Pack::from_json(file, &std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let engine = Engine::new(std::slice::from_ref(&pack)).unwrap();
        let native: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("native.json")).unwrap())
                .unwrap();
        let chars: u64 = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(63_206);
        let n: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(20);
        let d = native["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["chars"].as_u64() == Some(chars))
            .expect("a draft of that many characters");
        let text = d["text"].as_str().unwrap();
        let (p50, p99, found) = time(n, || engine.scan_text(text).len());
        println!("{chars} chars: p50 {p50:.4} ms, p99 {p99:.4} ms ({found} findings in all)");
        return;
    }
    if args.get(1).map(String::as_str) == Some("--build") {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
        let file = if args.get(2).map(String::as_str) == Some("hashed") {
            "pack-hashed.json"
        } else {
            "pack.json"
        };
        let json = std::fs::read_to_string(dir.join(file)).unwrap();
        let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
        let mut t: Vec<f64> = (0..n)
            .map(|_| {
                let s = Instant::now();
                let pack = Pack::from_json(file, &json).unwrap();
                let e = Engine::new(std::slice::from_ref(&pack)).unwrap();
                std::hint::black_box(&e);
                s.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        t.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{file}: parse and build p50 {:.1} ms", percentile(&t, 0.5));
        return;
    }
    let posts = common::real_posts(5_000);
    let pack = bench_pack();
    let terms = pack.term_lists[0].terms.len()
        + postsafe_core::default_pack()
            .term_lists
            .iter()
            .map(|l| l.terms.len())
            .sum::<usize>();
    println!(
        "pack: {} pupils, {terms} school and confidential terms (with the built-in pack)",
        pack.pupils.len()
    );

    let rss0 = vm_kb("VmRSS:");
    let t = Instant::now();
    let engine = Engine::new(std::slice::from_ref(&pack)).unwrap();
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss1 = vm_kb("VmRSS:");
    println!(
        "engine build: {build_ms:.0} ms, {} term and school spellings, memory +{:.1} MB (RSS), peak RSS {:.1} MB",
        engine.pattern_count(),
        (rss1.saturating_sub(rss0)) as f64 / 1024.0,
        vm_kb("VmHWM:") as f64 / 1024.0
    );

    // The bare reference: the raw terms a hand-written matcher would use (full names,
    // first names, school names, confidential terms), ASCII case-insensitive.
    let mut raw: Vec<String> = Vec::new();
    for p in &pack.pupils {
        raw.push(format!("{} {}", p.forename, p.surname));
        raw.push(p.forename.clone());
    }
    raw.extend(pack.term_lists[0].terms.iter().cloned());
    for l in postsafe_core::default_pack().term_lists {
        raw.extend(l.terms);
    }
    raw.sort();
    raw.dedup();
    let t = Instant::now();
    let bare: AhoCorasick = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&raw)
        .unwrap();
    println!(
        "bare aho-corasick build: {:.0} ms over {} terms",
        t.elapsed().as_secs_f64() * 1e3,
        raw.len()
    );

    // Hashing a 30,000-pupil roster, as `pack build --hash-roster` does.
    let mut hashed = pack.clone();
    let t = Instant::now();
    hashed.hash_roster([42; 16]).unwrap();
    println!(
        "hashing the 30,000-pupil roster: {:.0} ms (target: at most 2,000 ms)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let hashed_json = hashed.to_json();
    let hashed = Pack::from_json("hashed", &hashed_json).unwrap();
    let t = Instant::now();
    let he = Engine::new(std::slice::from_ref(&hashed)).unwrap();
    println!(
        "hashed pack engine build: {:.0} ms, pack {:.1} MB",
        t.elapsed().as_secs_f64() * 1e3,
        hashed_json.len() as f64 / 1e6
    );

    // Hand the same workload to the WebAssembly benchmark (tests/wasm/bench.mjs).
    let out_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("pack.json"), pack.to_json()).unwrap();
    std::fs::write(out_dir.join("pack-hashed.json"), &hashed_json).unwrap();
    let mut native = serde_json::json!({ "build_ms": build_ms, "drafts": [] });

    println!(
        "{:>14} {:>11} {:>11} {:>11} {:>11} {:>11} {:>7} {:>9}",
        "chars",
        "plain p50",
        "plain p99",
        "hashed p50",
        "hashed p99",
        "bare p50",
        "ratio",
        "findings"
    );
    let two_k = draft(2_000, &pack, &posts);
    let drafts = [
        ("real", draft(280, &pack, &posts), 4000usize),
        ("real", two_k.clone(), 2000),
        ("real", draft(63_206, &pack, &posts), 100),
        ("repeated", two_k.repeat(32), 100),
    ];
    for (kind, d, n) in drafts {
        let chars = d.chars().count();
        let findings = engine.scan_text(&d).len();
        let hashed_findings = he.scan_text(&d).len();
        let (p50, p99, _) = time(n, || engine.scan_text(&d).len());
        let (h50, h99, _) = time(n, || he.scan_text(&d).len());
        let (b50, b99, _) = time(n, || bare.find_iter(&d).count());
        let label = if kind == "repeated" {
            format!("{chars} (2k x32)")
        } else {
            chars.to_string()
        };
        println!(
            "{label:>14} {p50:>8.4} ms {p99:>8.4} ms {h50:>8.4} ms {h99:>8.4} ms {b50:>8.4} ms {:>6.1}x {findings:>9}",
            p50 / b50
        );
        if hashed_findings != findings {
            println!("  note: the hashed roster found {hashed_findings}, the plain one {findings}");
        }
        native["drafts"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "kind": kind, "chars": chars, "text": d, "p50": p50, "p99": p99,
                "hashed_p50": h50, "hashed_p99": h99, "bare_p50": b50, "bare_p99": b99,
                "findings": findings,
            }));
    }
    // The 2,000-character row scans one draft again and again, which lets the processor
    // learn its branches and keep what its words touch cached; the 31 different
    // 2,000-character drafts the long one is made of, scanned in turn, do not.
    let long: Vec<char> = draft(63_206, &pack, &posts).chars().collect();
    let in_turn: Vec<String> = long
        .chunks(2_000)
        .filter(|c| c.len() == 2_000)
        .map(|c| c.iter().collect())
        .collect();
    let mut k = 0;
    let (t50, t99, _) = time(in_turn.len() * 60, || {
        k += 1;
        engine.scan_text(&in_turn[k % in_turn.len()]).len()
    });
    let (u50, u99, _) = time(in_turn.len() * 60, || {
        k += 1;
        he.scan_text(&in_turn[k % in_turn.len()]).len()
    });
    let (v50, _, _) = time(in_turn.len() * 60, || {
        k += 1;
        bare.find_iter(&in_turn[k % in_turn.len()]).count()
    });
    println!(
        "{:>14} {t50:>8.4} ms {t99:>8.4} ms {u50:>8.4} ms {u99:>8.4} ms {v50:>8.4} ms {:>6.1}x  ({} different drafts in turn)",
        "2000",
        t50 / v50,
        in_turn.len()
    );
    patterns_alone(&[280, 2_000, 63_206].map(|n| draft(n, &pack, &posts)));
    native["raw_terms"] = serde_json::json!(raw);
    std::fs::write(out_dir.join("native.json"), native.to_string()).unwrap();
    println!("peak RSS {:.1} MB", vm_kb("VmHWM:") as f64 / 1024.0);
}

/// The built-in pack's five patterns alone, on their DFAs (what the engine runs) and on
/// the `regex` crate with the options the engine used before (README, "WebAssembly
/// size"); and the cost of reading the DFAs at every engine build.
fn patterns_alone(drafts: &[String]) {
    use base64::Engine as _;
    let builtin = postsafe_core::default_pack();
    let dfas: Vec<postsafe_core::dfa::Matcher> = builtin
        .patterns
        .iter()
        .map(|p| {
            let b = base64::engine::general_purpose::STANDARD
                .decode(p.compiled.as_deref().unwrap())
                .unwrap();
            postsafe_core::dfa::Matcher::decode(&b, &p.regex, p.case_sensitive).unwrap()
        })
        .collect();
    let regexes: Vec<regex::bytes::Regex> = builtin
        .patterns
        .iter()
        .map(|p| {
            regex::bytes::RegexBuilder::new(&p.regex)
                .unicode(false)
                .case_insensitive(!p.case_sensitive)
                .build()
                .unwrap()
        })
        .collect();
    for d in drafts {
        let n = if d.len() > 10_000 { 200 } else { 4000 };
        let (dfa50, _, _) = time(n, || {
            dfas.iter()
                .map(|m| m.find_iter(d.as_bytes()).count())
                .sum::<usize>()
        });
        let (re50, _, _) = time(n, || {
            regexes
                .iter()
                .map(|r| r.find_iter(d.as_bytes()).count())
                .sum::<usize>()
        });
        println!(
            "built-in patterns alone, {} chars: DFAs p50 {dfa50:.4} ms, regex crate p50 {re50:.4} ms",
            d.chars().count()
        );
    }
    let (parse, _, _) = time(200, || {
        postsafe_core::Pack::from_json("default", postsafe_core::DEFAULT_PACK_JSON)
            .unwrap()
            .patterns
            .len()
    });
    let (build, _, _) = time(100, || {
        postsafe_core::Engine::new(&[]).unwrap().pattern_count()
    });
    println!(
        "built-in pack: parse (reads the DFAs) p50 {parse:.3} ms; engine of it alone p50 {build:.3} ms"
    );
}
