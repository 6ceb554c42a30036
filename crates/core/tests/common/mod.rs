//! Synthetic rosters and real posts for tests and benchmarks.
//!
//! Rosters are never real: forenames are drawn from the ONS baby names of England and
//! Wales (births 2008-2019, weighted by count, as a school's pupils would be) and
//! surnames from a list of common British surnames, with a fixed seed so every run
//! sees the same roster. The data live in `../shared/data/` beside the repository.
#![allow(dead_code)]

use postsafe_core::{Pack, Pupil, PACK_FORMAT};
use std::path::PathBuf;

/// `shared/data/` beside the repository.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// A small deterministic PRNG (SplitMix64), so the roster is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` (given name, surname) pairs seeded by `seed`: given names from the ONS baby names
/// of the birth `years`, weighted by count; surnames uniformly from the common British list.
pub fn name_pairs(
    n: usize,
    seed: u64,
    years: std::ops::RangeInclusive<u32>,
) -> Vec<(String, String)> {
    let dir = data_dir();
    let names = std::fs::read_to_string(dir.join("names/ons_babynames_ew_1996_2024.csv"))
        .expect("shared/data/names/ons_babynames_ew_1996_2024.csv beside the repository");
    // (name, cumulative count) for births in `years`.
    let mut weighted: Vec<(String, u64)> = Vec::new();
    let mut total = 0u64;
    for line in names.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 5 {
            continue;
        }
        let year: u32 = f[0].parse().unwrap_or(0);
        if !years.contains(&year) {
            continue;
        }
        let count: u64 = f[4].trim().parse().unwrap_or(0);
        total += count;
        weighted.push((f[3].to_string(), total));
    }
    let surnames: Vec<String> = std::fs::read_to_string(dir.join("names/surnames_uk.txt"))
        .expect("shared/data/names/surnames_uk.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let pick = rng.below(total);
            let idx = weighted.partition_point(|(_, c)| *c <= pick);
            let given = weighted[idx].0.clone();
            let surname = surnames[rng.below(surnames.len() as u64) as usize].clone();
            (given, surname)
        })
        .collect()
}

/// `n` synthetic pupils, seeded by `seed` (births 2008-2019, as a school's pupils would be).
pub fn synthetic_pupils(n: usize, seed: u64) -> Vec<Pupil> {
    name_pairs(n, seed, 2008..=2019)
        .into_iter()
        .enumerate()
        .map(|(i, (forename, surname))| Pupil {
            forename,
            surname,
            preferred_forename: None,
            preferred_surname: None,
            group: Some(format!("Year {}", 1 + i % 11)),
        })
        .collect()
}

/// A pack holding only a synthetic roster of `n` pupils.
pub fn roster_pack(n: usize, seed: u64) -> Pack {
    Pack {
        format: PACK_FORMAT,
        id: "synthetic".into(),
        name: "Synthetic Trust".into(),
        version: "1".into(),
        pupils: synthetic_pupils(n, seed),
        ..Pack::default()
    }
}

/// Real posts, one a line: tweets from TweetEval (several tasks) and posts from
/// WNUT-17 (Reddit, YouTube, StackExchange), deduplicated, at most `max`.
pub fn real_posts(max: usize) -> Vec<String> {
    let dir = data_dir().join("posts");
    let files = [
        "tweeteval/sentiment/test_text.txt",
        "tweeteval/emotion/train_text.txt",
        "tweeteval/offensive/train_text.txt",
        "tweeteval/hate/train_text.txt",
        "tweeteval/irony/train_text.txt",
        "wnut17/raw_unlabelled/redd.tok.uniq",
        "wnut17/raw_unlabelled/yt-filter",
    ];
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        for line in String::from_utf8_lossy(&text).lines() {
            let line = line.trim();
            if line.len() < 20 || !seen.insert(line.to_string()) {
                continue;
            }
            out.push(line.to_string());
            if out.len() >= max {
                return out;
            }
        }
    }
    out
}
