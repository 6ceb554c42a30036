//! Building a pack from what a trust already has: the DfE register of schools (GIAS),
//! pupil rosters exported from the MIS (SIMS, Arbor), staff lists and a terms file.
//!
//! The one builder behind `postsafe pack build` and the admin page (through the
//! WebAssembly bindings). It does no I/O: every input is handed in as bytes with its
//! file name, so errors still name the file, line and reason; the date and the salt
//! of a hashed roster come from the caller too.
//!
//! ```
//! use postsafe_core::build::{build, BuildInput, Date, InputFile};
//! let pupils = InputFile::new("pupils.csv", b"Forename,Surname\nTom,Smith\n".to_vec());
//! let input = BuildInput {
//!     pupils: vec![pupils],
//!     ..BuildInput::new("Example Trust", Date::from_unix_days(20_000))
//! };
//! let built = build(&input, "pack.json", |_| {}).unwrap();
//! assert_eq!(built.pack.id, "example-trust");
//! assert_eq!(built.pupils, 1);
//! ```
//!
//! Here: the inputs, steps and outputs of a build and the build itself;
//! `build/date.rs` the calendar date it needs, `build/register.rs` the register's
//! schools listed to choose from before building.

mod date;
mod register;

pub use date::Date;
pub use register::{register_schools, RegisterSchool};

use crate::error::PackError;
use crate::import::{self, Imported, Skipped, TermsFile};
use crate::pack::{Pack, PACK_FORMAT};

/// One input file: its name (used in every error and warning) and its bytes (UTF-8 or
/// Windows-1252, with or without a byte order mark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file's name as the user knows it, e.g. `"exports/pupils_sims.csv"`.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl InputFile {
    /// An input file named `name` holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        InputFile {
            name: name.into(),
            bytes,
        }
    }
}
/// Everything a pack is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInput {
    /// The trust's name, matched as a school name too.
    pub name: String,
    /// Pack id; `None`: made from the name (see [`slug`]).
    pub id: Option<String>,
    /// Pack version; `None`: `today` as `YYYY.MM.DD`.
    pub version: Option<String>,
    /// Expiry date `YYYY-MM-DD`; `None`: a year after `today`.
    pub expires: Option<String>,
    /// Today's date (UTC), for the default version and expiry.
    pub today: Date,
    /// The register of schools (GIAS columns), if any.
    pub schools: Option<InputFile>,
    /// Keep only these URNs of the register (empty: keep all).
    pub urns: Vec<String>,
    /// Keep only the register's schools of this trust (its `Trusts (name)` column).
    pub trust: Option<String>,
    /// Pupil rosters (SIMS, Arbor or plain exports), read in order.
    pub pupils: Vec<InputFile>,
    /// Staff lists (`Title`, `Forename`, `Surname`), read in order.
    pub staff: Vec<InputFile>,
    /// The terms file (JSON, [`TermsFile`]), if any.
    pub terms: Option<InputFile>,
    /// `Some(salt)`: store pupils and staff as keyed hashes under these 16 bytes, which
    /// must come from a random source (the operating system's, or the browser's
    /// `crypto.getRandomValues`); `None`: a plain roster.
    pub salt: Option<[u8; crate::hashed::SALT_BYTES]>,
}

impl BuildInput {
    /// An input with only the trust's name and today's date; fill in the rest.
    pub fn new(name: impl Into<String>, today: Date) -> Self {
        BuildInput {
            name: name.into(),
            id: None,
            version: None,
            expires: None,
            today,
            schools: None,
            urns: Vec::new(),
            trust: None,
            pupils: Vec::new(),
            staff: Vec::new(),
            terms: None,
            salt: None,
        }
    }
}

/// What kind of file a [`Progress::Read`] step read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// The register of schools.
    Schools,
    /// A pupil roster.
    Pupils,
    /// A staff list.
    Staff,
    /// The terms file.
    Terms,
}

impl FileKind {
    /// `"schools"`, `"pupils"`, `"staff"` or `"terms"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Schools => "schools",
            FileKind::Pupils => "pupils",
            FileKind::Staff => "staff",
            FileKind::Terms => "terms",
        }
    }
}

/// A step of a build, reported as it happens (a page shows a progress bar from them;
/// the CLI prints the skipped rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A file was read: `items` entries taken, `skipped` rows left out (1-based line
    /// and why). `step` of `steps` steps are done.
    Read {
        /// What the file is.
        kind: FileKind,
        /// Its name.
        file: &'a str,
        /// Entries read (schools, pupils, staff members or term lists).
        items: usize,
        /// Rows left out, in file order.
        skipped: &'a [Skipped],
        /// Steps done so far, this one included.
        step: usize,
        /// Steps in all.
        steps: usize,
    },
    /// The roster is being hashed (the longest step for a large trust).
    Hashing {
        /// Pupils to hash.
        pupils: usize,
        /// Staff members to hash.
        staff: usize,
        /// Steps done so far.
        step: usize,
        /// Steps in all.
        steps: usize,
    },
    /// The pack is being written out and checked exactly as a reader will.
    Checking {
        /// Steps done so far.
        step: usize,
        /// Steps in all.
        steps: usize,
    },
}

/// Why a pack could not be built. Displayed as one line, e.g.
/// `pupils.csv:1:1: unknown column "Title"; accepted columns are: ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A file that cannot be read, or a pack that would not load: the file, the line
    /// (where known) and the reason.
    #[error("{0}")]
    File(#[from] PackError),
    /// The register has no school of the trust asked for (by its name as given).
    #[error("no school of the trust {0:?} is in the register file")]
    NoSchoolOfTrust(String),
    /// A URN asked for is not in the register.
    #[error("URN {0} is not in the register file")]
    UrnNotInRegister(String),
}

/// A built pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    /// The pack (with its roster hashed when a salt was given).
    pub pack: Pack,
    /// The pack's JSON, as [`Pack::to_json`] writes it: the bytes to save.
    pub json: String,
    /// Pupils read (before hashing).
    pub pupils: usize,
    /// Staff members read (before hashing).
    pub staff: usize,
    /// Whether the roster is stored as keyed hashes.
    pub hashed: bool,
}

/// A pack id made from a name: its normalised words joined by `-`, ASCII letters,
/// digits and `-` only; `"pack"` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for w in crate::normalize::normalize_term(name).split(' ') {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(w);
    }
    if s.is_empty() {
        "pack".into()
    } else {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect()
    }
}

/// Builds a pack: reads the register (keeping the trust's or the given URNs' schools),
/// the rosters, staff lists and terms file, merges the terms file's school details into
/// the register's rows by URN, hashes the roster when `input.salt` is given, writes the
/// JSON and parses it back exactly as a reader will. `output` names the pack in errors
/// of that last check. `progress` hears each step as it is done.
///
/// # Errors
/// The first problem, as a [`BuildError`]: a file that cannot be read (see
/// [`crate::import`]), a terms-file school with neither a register URN nor a name, or
/// a pack that would not load, each naming the file, line and reason; no school of
/// `trust` in the register; a URN not in the register. Nothing is returned half built.
pub fn build(
    input: &BuildInput,
    output: &str,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Built, BuildError> {
    let steps = usize::from(input.schools.is_some())
        + input.pupils.len()
        + input.staff.len()
        + usize::from(input.terms.is_some())
        + usize::from(input.salt.is_some())
        + 1;
    let mut step = 0;
    let mut read = |kind: FileKind, file: &str, items: usize, skipped: &[Skipped]| {
        step += 1;
        progress(Progress::Read {
            kind,
            file,
            items,
            skipped,
            step,
            steps,
        });
    };
    let mut schools = match &input.schools {
        None => Vec::new(),
        Some(f) => {
            let r =
                import::read_schools_of(&f.name, &f.bytes, &input.urns, input.trust.as_deref())?;
            read(FileKind::Schools, &f.name, r.items.len(), &r.skipped);
            r.items
        }
    };
    if let (Some(t), true) = (&input.trust, schools.is_empty()) {
        return Err(BuildError::NoSchoolOfTrust(t.clone()));
    }
    for u in &input.urns {
        if !schools.iter().any(|s| s.urn.as_deref() == Some(u.as_str())) {
            return Err(BuildError::UrnNotInRegister(u.clone()));
        }
    }
    let mut pupils = Vec::new();
    for f in &input.pupils {
        let Imported { items, skipped } = import::read_pupils(&f.name, &f.bytes)?;
        read(FileKind::Pupils, &f.name, items.len(), &skipped);
        pupils.extend(items);
    }
    let mut staff = Vec::new();
    for f in &input.staff {
        let Imported { items, skipped } = import::read_staff(&f.name, &f.bytes)?;
        read(FileKind::Staff, &f.name, items.len(), &skipped);
        staff.extend(items);
    }
    let terms = match &input.terms {
        None => TermsFile::default(),
        Some(f) => {
            let text = std::str::from_utf8(&f.bytes)
                .map_err(|_| PackError::new(&f.name, None, "not UTF-8 text"))?;
            let t = TermsFile::from_json(&f.name, text)?;
            read(FileKind::Terms, &f.name, t.term_lists.len(), &[]);
            t
        }
    };
    for extra in terms.schools {
        let target = extra
            .urn
            .as_ref()
            .and_then(|u| schools.iter_mut().find(|s| s.urn.as_ref() == Some(u)));
        match target {
            Some(s) => {
                s.aliases.extend(extra.aliases);
                s.hashtags.extend(extra.hashtags);
                s.address.extend(extra.address);
                s.postcodes.extend(extra.postcodes);
                s.phones.extend(extra.phones);
                s.domains.extend(extra.domains);
                if extra.location.is_some() {
                    s.location = extra.location;
                }
            }
            None if !extra.name.is_empty() => schools.push(extra),
            None => {
                return Err(BuildError::File(PackError::new(
                    input.terms.as_ref().map_or("", |f| f.name.as_str()),
                    None,
                    format!(
                        "a school with URN {:?} has no name and is not in the register",
                        extra.urn.unwrap_or_default()
                    ),
                )))
            }
        }
    }
    let mut trust_names = vec![input.name.clone()];
    trust_names.extend(terms.trust_names);
    let mut pack = Pack {
        format: PACK_FORMAT,
        id: input.id.clone().unwrap_or_else(|| slug(&input.name)),
        name: input.name.clone(),
        version: input
            .version
            .clone()
            .unwrap_or_else(|| input.today.dotted()),
        expires: Some(
            input
                .expires
                .clone()
                .unwrap_or_else(|| input.today.next_year().iso()),
        ),
        trust_names,
        schools,
        pupils,
        staff,
        term_lists: terms.term_lists,
        patterns: terms.patterns,
        allow: terms.allow,
        clauses: terms.clauses,
        hashed_roster: None,
    };
    // The extension's engine has no regex compiler: it runs the patterns' DFAs.
    pack.compile_patterns(input.terms.as_ref().map_or("terms", |f| f.name.as_str()))?;
    let (pupils, staff) = (pack.pupils.len(), pack.staff.len());
    if let Some(salt) = input.salt {
        step += 1;
        progress(Progress::Hashing {
            pupils,
            staff,
            step,
            steps,
        });
        pack.hash_roster(salt)?;
    }
    progress(Progress::Checking { step, steps });
    let json = pack.to_json();
    // Check what is about to be written, exactly as a reader will.
    Pack::from_json(output, &json)?;
    Ok(Built {
        pack,
        json,
        pupils,
        staff,
        hashed: input.salt.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Wythenshawe Catholic Academy Trust"),
            "wythenshawe-catholic-academy-trust"
        );
        assert_eq!(slug("!!"), "pack");
    }
}
