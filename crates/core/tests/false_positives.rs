//! False positives on real posts: a teacher who is warned about ordinary words learns
//! to ignore the warnings.
//!
//! A synthetic 1,000-pupil roster (ONS given names, common British surnames) plus the
//! built-in default pack, scanned over 12,000 real posts from Twitter, Reddit and
//! YouTube (shared/data/posts). None of those posts is about these pupils, so every
//! pupil finding is a false alarm: fewer than 1% of posts may get one.

mod common;

use postsafe_core::{Category, Engine, Severity};

#[test]
fn a_roster_flags_under_one_percent_of_real_posts() {
    let posts = common::real_posts(12_000);
    assert!(posts.len() >= 10_000, "only {} posts", posts.len());
    let engine = Engine::new(&[common::roster_pack(1_000, 2026)]).unwrap();
    let mut pupil_posts = 0;
    let mut held_posts = 0;
    let mut examples = Vec::new();
    for p in &posts {
        let f = engine.scan_text(p);
        if f.iter().any(|f| f.category == Category::Pupil) {
            pupil_posts += 1;
            if examples.len() < 15 {
                let words: Vec<&str> = f
                    .iter()
                    .filter(|f| f.category == Category::Pupil)
                    .map(|f| f.text.as_str())
                    .collect();
                examples.push(format!("{words:?} in {p:?}"));
            }
        }
        if f.iter().any(|f| f.severity >= Severity::Warn) {
            held_posts += 1;
        }
    }
    let n = posts.len() as f64;
    let pupil_rate = 100.0 * pupil_posts as f64 / n;
    let held_rate = 100.0 * held_posts as f64 / n;
    eprintln!(
        "{} posts: pupil findings on {pupil_posts} ({pupil_rate:.2}%); held (warn or block, any rule) {held_posts} ({held_rate:.2}%)",
        posts.len()
    );
    for e in &examples {
        eprintln!("  e.g. {e}");
    }
    assert!(
        pupil_rate < 1.0,
        "pupil false alarms on {pupil_rate:.2}% of real posts:\n{}",
        examples.join("\n")
    );
}

#[test]
fn the_same_posts_are_flagged_when_they_do_name_a_pupil() {
    // The other side of the same test: put a roster name into real posts and it is found.
    let pack = common::roster_pack(1_000, 2026);
    let engine = Engine::new(std::slice::from_ref(&pack)).unwrap();
    let posts = common::real_posts(500);
    for (i, p) in posts.iter().enumerate() {
        let pupil = &pack.pupils[i % pack.pupils.len()];
        let draft = format!("{p} Well done {} {}!", pupil.forename, pupil.surname);
        let f = engine.scan_text(&draft);
        let want = format!("{} {}", pupil.forename, pupil.surname);
        assert!(
            f.iter()
                .any(|f| f.category == Category::Pupil && f.text.contains(&want)),
            "missed {want:?} in {draft:?}: {f:?}"
        );
    }
}
