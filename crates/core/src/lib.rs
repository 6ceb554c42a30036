//! # postsafe-core
//!
//! The Postsafe engine: it reads a social media draft the way teachers (and people
//! trying to slip past a checker) write it, and finds what a school trust's policy
//! forbids: pupils' and colleagues' names, the school's name and contact details,
//! confidential matters, images of the school, attacks on the school community.
//!
//! What it is for: turning [`Pack`]s (a trust's rosters, schools, term lists,
//! patterns and allow list) into an [`Engine`], and scanning a [`Draft`] into
//! [`Finding`]s that map back to the exact words typed, in UTF-8 bytes and UTF-16
//! code units.
//!
//! What it is not for: reading files, the network, the DOM, or deciding what the
//! user sees. The CLI and the WebAssembly bindings do I/O; the extension draws.
//!
//! ```
//! use postsafe_core::{Engine, Pack};
//! let pack = Pack::from_json("trust.json", r#"{
//!   "format": 1, "id": "trust", "name": "Example Trust", "version": "1",
//!   "pupils": [{"forename": "Thomas", "surname": "Smith", "preferred_forename": "Tom"}]
//! }"#).unwrap();
//! let engine = Engine::new(&[pack]).unwrap();
//! let findings = engine.scan_text("Well done to #TomSmith in Year 6!");
//! assert_eq!(findings[0].text, "TomSmith");
//! assert_eq!(findings[0].category.as_str(), "pupil");
//! ```

#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "build")]
pub mod check;
mod confusables_table;
pub mod contact;
mod decompose;
mod decompose_table;
pub mod dfa;
#[cfg(feature = "build")]
pub mod diff;
mod engine;
mod error;
mod finding;
pub mod hashed;
#[cfg(feature = "build")]
pub mod import;
mod latin_fold_table;
pub mod limits;
pub mod names;
pub mod normalize;
mod pack;
pub mod photo;
pub mod photo_geo;
mod reading;
pub mod roster;
pub mod variants;

pub use engine::{Engine, PackInfo, NEAR_WINDOW_WORDS, SCHOOL_CONTEXT};
pub use error::{PackError, PackErrorKind};
pub use finding::{
    byte_offset, utf16_offset, Draft, Finding, ScanResult, Truncation, Utf16Counter,
};
pub use pack::{
    pack_schema, Category, Coordinates, FieldKind, Pack, Pattern, Pupil, School, Severity,
    StaffMember, TermList, PACK_FORMAT,
};

/// The built-in default pack's JSON: the generic UK checks every trust gets
/// (confidential terms, image words, contact details, conduct, the disclaimer).
/// `default-pack.json` with each pattern's compiled form added when the crate is built
/// (`build.rs`), as `pack build` adds them.
pub const DEFAULT_PACK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default-pack.json"));

/// The built-in default pack, parsed.
///
/// # Panics
/// Never: the default pack is checked by this crate's tests.
pub fn default_pack() -> Pack {
    Pack::from_json("built-in default pack", DEFAULT_PACK_JSON).expect("the default pack is valid")
}

/// The engine's version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
