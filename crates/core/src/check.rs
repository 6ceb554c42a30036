//! Checking a pack as `postsafe pack check` and the admin page do: it must load and
//! compile into an [`Engine`] on its own, and its summary says what it holds and
//! whether it has expired. No I/O: the pack comes in as text with its name.

use crate::build::Date;
use crate::engine::Engine;
use crate::error::PackError;
use crate::pack::{Category, Pack};

/// What a pack holds, for a person deciding whether it is the right one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// The pack's id.
    pub id: String,
    /// The pack's display name.
    pub name: String,
    /// The pack's version.
    pub version: String,
    /// Expiry date `YYYY-MM-DD`, if set.
    pub expires: Option<String>,
    /// Whether `expires` is before the day the check was made (the pack still works,
    /// but should be rebuilt from current exports).
    pub expired: bool,
    /// Entries per category, in [`Category::ALL`] order, then `"allow"`; only the
    /// categories the pack has entries for.
    pub counts: Vec<(String, usize)>,
    /// Distinct term and school spellings compiled (roster names not included).
    pub spellings: usize,
    /// Whether the roster is stored as keyed hashes.
    pub hashed: bool,
}

/// Parses, validates and compiles the pack in `text` (named `source` in errors) on its
/// own, without the built-in default pack, and summarises it as of `today`.
///
/// # Errors
/// As [`Pack::from_json`] and [`check_pack`]: the source, line and reason of the
/// first problem.
pub fn check(source: &str, text: &str, today: Date) -> Result<CheckReport, PackError> {
    let pack = Pack::from_json(source, text)?;
    check_pack(&pack, today)
}

/// As [`check`], for a pack already parsed.
///
/// # Errors
/// As [`Pack::check_compiled`] (a pattern without its compiled form, or with one
/// that is not what this Postsafe compiles from its regex) and
/// [`Engine::without_default`].
pub fn check_pack(pack: &Pack, today: Date) -> Result<CheckReport, PackError> {
    pack.check_compiled(&format!("pack {:?}", pack.id))?;
    let engine = Engine::without_default(std::slice::from_ref(pack))?;
    let info = &engine.packs()[0];
    let mut counts = Vec::new();
    for c in Category::ALL {
        if let Some(n) = info.counts.get(c.as_str()) {
            counts.push((c.as_str().to_string(), *n));
        }
    }
    if let Some(n) = info.counts.get("allow") {
        counts.push(("allow".to_string(), *n));
    }
    let now = today.iso();
    Ok(CheckReport {
        id: info.id.clone(),
        name: info.name.clone(),
        version: info.version.clone(),
        expired: info.expires.as_deref().is_some_and(|e| e < now.as_str()),
        expires: info.expires.clone(),
        counts,
        spellings: engine.pattern_count(),
        hashed: pack.hashed_roster.is_some(),
    })
}
