//! `postsafe pack ...`: build a pack from a trust's exports, check it, compare two
//! versions, hash its roster, print the schema.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use postsafe_core::build::{self, BuildInput, Date, InputFile, Progress};

use crate::{load_pack, read_file, Failure};

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum PackCommand {
    /// Build a pack from the register of schools, MIS roster exports and a terms file.
    Build(BuildArgs),
    /// Validate a pack and summarise it: counts per category, expiry.
    Check {
        /// The pack (JSON).
        file: PathBuf,
    },
    /// Show what changed between two versions of a pack, in counts (never names).
    Diff {
        /// The older pack.
        old: PathBuf,
        /// The newer pack.
        new: PathBuf,
    },
    /// Replace a pack's pupils and staff with keyed hashes, so it holds no names.
    HashRoster {
        /// The pack with a plain roster.
        file: PathBuf,
        /// Where to write the hashed pack.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Print the JSON Schema of the pack format.
    Schema,
}

#[derive(Args)]
pub(crate) struct BuildArgs {
    /// The trust's name, matched as a school name too.
    #[arg(long)]
    name: String,
    /// Pack id (default: made from the name).
    #[arg(long)]
    id: Option<String>,
    /// Pack version (default: today's date, YYYY.MM.DD).
    #[arg(long)]
    pack_version: Option<String>,
    /// Expiry date YYYY-MM-DD (default: one year from today).
    #[arg(long)]
    expires: Option<String>,
    /// Register of schools as CSV (GIAS columns: URN, EstablishmentName or name, Street,
    /// Town, Postcode, TelephoneNum, SchoolWebsite).
    #[arg(long, value_name = "CSV")]
    schools: Option<PathBuf>,
    /// Keep only these schools of the register (repeatable).
    #[arg(long, value_name = "URN")]
    urn: Vec<String>,
    /// Keep only the schools of this trust (the register's "Trusts (name)" column).
    #[arg(long, value_name = "NAME")]
    trust: Option<String>,
    /// Store pupils and staff as keyed hashes (SipHash-1-3 keyed by a random salt), so the
    /// pack holds no name in plain text.
    #[arg(long)]
    hash_roster: bool,
    /// Tests only: the salt of `--hash-roster` as 32 hex digits instead of 16 random
    /// bytes, so a test can compare the admin page's hashed pack with this one. Never
    /// for a real pack: a salt that is known or reused weakens the hashes.
    #[arg(long, value_name = "HEX", requires = "hash_roster", hide = true)]
    salt: Option<String>,
    /// Pupil roster as CSV (SIMS or Arbor export columns); may be given more than once.
    #[arg(long, value_name = "CSV")]
    pupils: Vec<PathBuf>,
    /// Staff list as CSV (Title, Forename, Surname); may be given more than once.
    #[arg(long, value_name = "CSV")]
    staff: Vec<PathBuf>,
    /// Terms file (JSON): term lists, patterns, allow list, school aliases and hashtags.
    #[arg(long, value_name = "FILE")]
    terms: Option<PathBuf>,
    /// Where to write the pack.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
}

/// Runs a `pack` subcommand; its exit status (0) or the error to print.
pub(crate) fn run(command: PackCommand) -> Result<u8, Failure> {
    match command {
        PackCommand::Build(a) => build(a),
        PackCommand::Check { file } => check(&file),
        PackCommand::Diff { old, new } => diff(&old, &new),
        PackCommand::HashRoster { file, output } => hash_roster_file(&file, &output),
        PackCommand::Schema => {
            print!("{}", postsafe_core::pack_schema());
            Ok(0)
        }
    }
}

/// Prints a file's skipped rows as warnings: the first 20, then how many more.
fn report_skipped(file: &str, skipped: &[postsafe_core::import::Skipped]) {
    for s in skipped.iter().take(20) {
        eprintln!(
            "postsafe: warning: {file}:{}: row skipped: {}",
            s.line, s.reason
        );
    }
    if skipped.len() > 20 {
        eprintln!(
            "postsafe: warning: {file}: {} more rows skipped",
            skipped.len() - 20
        );
    }
}

/// Reads a file named on the command line into an [`InputFile`] named by its path.
fn input_file(path: &Path) -> Result<InputFile, Failure> {
    Ok(InputFile::new(path.display().to_string(), read_file(path)?))
}

fn build(a: BuildArgs) -> Result<u8, Failure> {
    let files = |paths: &[PathBuf]| -> Result<Vec<InputFile>, Failure> {
        paths.iter().map(|p| input_file(p)).collect()
    };
    let input = BuildInput {
        name: a.name,
        id: a.id,
        version: a.pack_version,
        expires: a.expires,
        today: today(),
        schools: a.schools.as_deref().map(input_file).transpose()?,
        urns: a.urn,
        trust: a.trust,
        pupils: files(&a.pupils)?,
        staff: files(&a.staff)?,
        terms: a.terms.as_deref().map(input_file).transpose()?,
        salt: match (a.hash_roster, &a.salt) {
            (false, _) => None,
            (true, None) => Some(random_salt()?),
            (true, Some(hex)) => Some(parse_salt(hex)?),
        },
    };
    let out_name = a.output.display().to_string();
    let built = build::build(&input, &out_name, |p| {
        if let Progress::Read { file, skipped, .. } = p {
            report_skipped(file, skipped);
        }
    })?;
    std::fs::write(&a.output, &built.json)
        .map_err(|e| Failure(format!("{out_name}: cannot write: {e}")))?;
    let pack = &built.pack;
    eprintln!(
        "postsafe: wrote {out_name}: {} schools, {} pupils, {} staff{}, {} term lists, {} patterns",
        pack.schools.len(),
        built.pupils,
        built.staff,
        if built.hashed { " (hashed)" } else { "" },
        pack.term_lists.len(),
        pack.patterns.len()
    );
    Ok(0)
}

fn check(file: &Path) -> Result<u8, Failure> {
    let pack = load_pack(file)?;
    let r = postsafe_core::check::check_pack(&pack, today())?;
    println!(
        "{}: pack {:?} version {} ({})",
        file.display(),
        r.id,
        r.version,
        r.name
    );
    match &r.expires {
        Some(e) if r.expired => {
            println!("  expired on {e}: it still works, but rebuild it from current exports")
        }
        Some(e) => println!("  expires {e}"),
        None => println!("  no expiry date"),
    }
    for (kind, n) in &r.counts {
        println!("  {kind:<13}{n}");
    }
    println!("  {} term and school spellings compiled", r.spellings);
    Ok(0)
}

/// Today's date (UTC).
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_days(secs.div_euclid(86_400))
}

/// A salt given as 32 hex digits (`--salt`, tests only).
fn parse_salt(hex: &str) -> Result<[u8; 16], Failure> {
    let bad = || Failure(format!("--salt {hex:?}: expected 32 hex digits"));
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut salt = [0u8; 16];
    for (i, b) in salt.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(salt)
}

/// 16 random bytes from the operating system, for a roster's salt.
fn random_salt() -> Result<[u8; 16], Failure> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Failure(format!("cannot get random bytes for the salt: {e}")))?;
    Ok(salt)
}

fn hash_roster_file(file: &Path, output: &Path) -> Result<u8, Failure> {
    let mut pack = load_pack(file)?;
    let (pupils, staff) = (pack.pupils.len(), pack.staff.len());
    pack.hash_roster(random_salt()?)
        .map_err(|e| Failure(format!("{}: {}", file.display(), e.reason)))?;
    std::fs::write(output, pack.to_json())
        .map_err(|e| Failure(format!("{}: cannot write: {e}", output.display())))?;
    eprintln!(
        "postsafe: wrote {}: {pupils} pupils and {staff} staff as keyed hashes",
        output.display()
    );
    Ok(0)
}

fn diff(old: &Path, new: &Path) -> Result<u8, Failure> {
    let (a, b) = (load_pack(old)?, load_pack(new)?);
    let d = postsafe_core::diff::diff(&a, &b);
    println!("{} -> {}", old.display(), new.display());
    if let Some((x, y)) = &d.id {
        println!("  id: {x:?} -> {y:?}");
    }
    println!("  version: {} -> {}", d.version.0, d.version.1);
    if let Some((x, y)) = &d.expires {
        let show = |e: &Option<String>| e.clone().unwrap_or_else(|| "none".to_string());
        println!("  expires: {} -> {}", show(x), show(y));
    }
    for k in &d.kinds {
        println!(
            "  {:<9}{:>6} -> {:<6} (+{} added, -{} removed)",
            k.kind, k.before, k.after, k.added, k.removed
        );
    }
    if let Some((x, y)) = &d.hashed {
        let show = |h: &Option<postsafe_core::diff::HashedCounts>| {
            h.map_or("none".to_string(), |h| {
                format!("{} pupils, {} staff", h.pupils, h.staff)
            })
        };
        println!(
            "  hashed roster: {} -> {} (hashes are salted: changes are counted, not listed)",
            show(x),
            show(y)
        );
    }
    if !d.changed {
        println!("  no change in content");
    }
    Ok(0)
}
