//! Comparing two versions of a pack, in counts that never show a name: what
//! `postsafe pack diff` prints and the admin page shows before a new pack replaces
//! the current one. No I/O.

use std::collections::{BTreeMap, BTreeSet};

use crate::normalize::normalize_term;
use crate::pack::Pack;

/// The kinds of entry compared, in the order they are reported.
pub const KINDS: [&str; 6] = ["pupils", "staff", "schools", "terms", "patterns", "allow"];

/// How one kind of entry changed: counts of distinct normalised spellings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KindChange {
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// Distinct entries in the old pack.
    pub before: usize,
    /// Distinct entries in the new pack.
    pub after: usize,
    /// Entries in the new pack and not the old.
    pub added: usize,
    /// Entries in the old pack and not the new.
    pub removed: usize,
}

/// A hashed roster's size: pupils and staff members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HashedCounts {
    /// Pupils hashed.
    pub pupils: usize,
    /// Staff members hashed.
    pub staff: usize,
}

/// What changed between two packs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackDiff {
    /// Old and new id, when they differ.
    pub id: Option<(String, String)>,
    /// Old and new version.
    pub version: (String, String),
    /// Old and new expiry date (`None`: no expiry), when they differ.
    pub expires: Option<(Option<String>, Option<String>)>,
    /// Each kind present in either pack, in [`KINDS`] order.
    pub kinds: Vec<KindChange>,
    /// Old and new hashed roster sizes (`None`: no hashed roster), when either pack has
    /// one. Hashes under different salts cannot be compared name by name.
    pub hashed: Option<(Option<HashedCounts>, Option<HashedCounts>)>,
    /// Whether the content changed (entries added or removed, or the hashed roster
    /// differs in size or salt); id, version and expiry do not count.
    pub changed: bool,
}

type Sets = BTreeMap<&'static str, BTreeSet<String>>;

/// What a pack's roster and lists hold, as sets of normalised spellings.
fn pack_sets(p: &Pack) -> Sets {
    let mut m = Sets::new();
    let mut put = |k: &'static str, v: String| {
        m.entry(k).or_default().insert(v);
    };
    for x in &p.pupils {
        put(
            "pupils",
            normalize_term(&format!("{} {}", x.forename, x.surname)),
        );
    }
    for x in &p.staff {
        put(
            "staff",
            normalize_term(&format!("{} {}", x.forename, x.surname)),
        );
    }
    for s in &p.schools {
        put("schools", normalize_term(&s.name));
    }
    for l in &p.term_lists {
        for t in &l.terms {
            put("terms", format!("{}:{}", l.id, normalize_term(t)));
        }
    }
    for x in &p.patterns {
        put("patterns", format!("{}:{}", x.id, x.regex));
    }
    for a in &p.allow {
        put("allow", normalize_term(a));
    }
    m
}

/// Compares `old` with `new`.
pub fn diff(old: &Pack, new: &Pack) -> PackDiff {
    let (sa, sb) = (pack_sets(old), pack_sets(new));
    let empty = BTreeSet::new();
    let mut changed = false;
    let mut kinds = Vec::new();
    for kind in KINDS {
        let (x, y) = (
            sa.get(kind).unwrap_or(&empty),
            sb.get(kind).unwrap_or(&empty),
        );
        if x.is_empty() && y.is_empty() {
            continue;
        }
        let added = y.difference(x).count();
        let removed = x.difference(y).count();
        changed |= added + removed > 0;
        kinds.push(KindChange {
            kind,
            before: x.len(),
            after: y.len(),
            added,
            removed,
        });
    }
    let hashed_of = |p: &Pack| {
        p.hashed_roster.as_ref().map(|h| {
            (
                HashedCounts {
                    pupils: h.pupils,
                    staff: h.staff,
                },
                h.salt.clone(),
            )
        })
    };
    let hashed = match (hashed_of(old), hashed_of(new)) {
        (None, None) => None,
        (x, y) => {
            changed |= x != y;
            Some((x.map(|h| h.0), y.map(|h| h.0)))
        }
    };
    PackDiff {
        id: (old.id != new.id).then(|| (old.id.clone(), new.id.clone())),
        version: (old.version.clone(), new.version.clone()),
        expires: (old.expires != new.expires).then(|| (old.expires.clone(), new.expires.clone())),
        kinds,
        hashed,
        changed,
    }
}
