//! Connection checks at a real trust's scale: how often does a stranger's display name
//! match a pupil?
//!
//! A synthetic roster of 3,500 pupils (ONS given names of births 2008-2019 weighted by
//! count, common British surnames, one pupil in ten going by a short form: the
//! approach of `trust_scale.rs`) against 10,000 strangers' display names drawn the same
//! way from every ONS year 1996-2024 (teenagers and young adults, the people whose
//! requests look most like pupils') with another seed. It prints how many strangers
//! match, split into those who share a pupil's name exactly (no check can tell them
//! apart: the teacher has to look) and those matched only through a variant (nickname,
//! other spelling, slip, sound), and how many of the pupils themselves are found
//! under the ways they write their names on social media.
//!
//! It asserts: every stranger who has a pupil's exact name is matched; >= 99% of
//! pupils are found by their name, their handle and their name in lower case; the
//! hashed roster gives identical matches.
//!
//! Every name here is synthetic.

mod common;

use common::Rng;
use postsafe_core::contact::{PersonMatch, PersonMatchKind};
use postsafe_core::{Engine, Pupil};
use std::collections::HashSet;

/// `n` display names "Given Surname" drawn from all ONS years, weighted by count.
fn strangers(n: usize, seed: u64) -> Vec<(String, String)> {
    common::name_pairs(n, seed, 0..=u32::MAX)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn roster() -> Vec<Pupil> {
    let mut rng = Rng::new(11);
    let mut pupils = common::synthetic_pupils(3_500, 2027);
    for p in pupils.iter_mut() {
        let nicks = postsafe_core::roster::nicknames(&p.forename.to_lowercase());
        if !nicks.is_empty() && rng.below(10) == 0 {
            let n = nicks[rng.below(nicks.len() as u64) as usize];
            p.preferred_forename = Some(capitalise(n));
        }
    }
    pupils
}

fn pct(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of as f64
}

#[test]
fn strangers_against_a_3500_pupil_roster() {
    let pupils = roster();
    let mut pack = common::roster_pack(0, 0);
    pack.pupils = pupils.clone();
    let engine = Engine::new(std::slice::from_ref(&pack)).unwrap();
    let mut hashed_pack = pack.clone();
    hashed_pack.hash_roster([7; 16]).unwrap();
    let hashed = Engine::new(&[hashed_pack]).unwrap();

    // Names the roster holds as written: (given, surname), lower case.
    let mut exact: HashSet<(String, String)> = HashSet::new();
    for p in &pupils {
        let s = p.surname.to_lowercase();
        exact.insert((p.forename.to_lowercase(), s.clone()));
        if let Some(n) = &p.preferred_forename {
            exact.insert((n.to_lowercase(), s));
        }
    }

    let people = strangers(10_000, 90210);
    let (mut matched, mut same_name, mut variant) = (0, 0, 0);
    let (mut by_name, mut by_like, mut by_initial) = (0, 0, 0);
    let mut missed_same = Vec::new();
    let mut examples = Vec::new();
    let mut differ = Vec::new();
    for (given, surname) in &people {
        let name = format!("{given} {surname}");
        let m: Vec<PersonMatch> = engine.check_person(&name, None);
        if m != hashed.check_person(&name, None) {
            differ.push(name.clone());
        }
        let same = exact.contains(&(given.to_lowercase(), surname.to_lowercase()));
        if m.is_empty() {
            if same {
                missed_same.push(name);
            }
            continue;
        }
        matched += 1;
        match m[0].kind {
            PersonMatchKind::Name => by_name += 1,
            PersonMatchKind::Like => by_like += 1,
            PersonMatchKind::Initial => by_initial += 1,
        }
        if same {
            same_name += 1;
        } else {
            variant += 1;
            if examples.len() < 8 {
                examples.push(format!("{name} ({:?})", m[0].kind));
            }
        }
    }
    let n = people.len();
    println!("connection checks: 10,000 strangers' display names against 3,500 pupils");
    println!(
        "  strangers matched: {matched} ({:.2}%): same name as a pupil {same_name} ({:.2}%), through a variant only {variant} ({:.2}%)",
        pct(matched, n),
        pct(same_name, n),
        pct(variant, n)
    );
    println!(
        "  by kind: whole name {by_name}, slip or sound-alike surname {by_like}, initial {by_initial}"
    );
    println!("  variant matches, e.g. {examples:?}");

    // The pupils themselves, as they write their names on social media.
    let (mut found_name, mut found_lower, mut found_handle) = (0, 0, 0);
    for (i, p) in pupils.iter().enumerate() {
        let given = p.preferred_forename.as_deref().unwrap_or(&p.forename);
        let name = format!("{given} {}", p.surname);
        found_name += usize::from(!engine.check_person(&name, None).is_empty());
        found_lower += usize::from(!engine.check_person(&name.to_lowercase(), None).is_empty());
        let handle = format!(
            "@{}{}{}",
            given.to_lowercase(),
            ["", "_", "."][i % 3],
            p.surname.to_lowercase().replace([' ', '\''], "")
        ) + &format!("{:02}", i % 100);
        found_handle += usize::from(!engine.check_person("✨", Some(&handle)).is_empty());
    }
    let np = pupils.len();
    println!(
        "  pupils found: by name {:.2}%, in lower case {:.2}%, by handle {:.2}%",
        pct(found_name, np),
        pct(found_lower, np),
        pct(found_handle, np)
    );

    assert!(
        missed_same.is_empty(),
        "strangers with a pupil's exact name not matched: {missed_same:?}"
    );
    assert!(differ.is_empty(), "plain and hashed differ on {differ:?}");
    for (what, found) in [
        ("name", found_name),
        ("lower case", found_lower),
        ("handle", found_handle),
    ] {
        assert!(
            pct(found, np) >= 99.0,
            "pupils found by {what}: {:.2}%",
            pct(found, np)
        );
    }
}
