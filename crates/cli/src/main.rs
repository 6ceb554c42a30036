//! `postsafe`: scan drafts against packs, build packs from a trust's exports, check them.
//!
//! Exit status, like grep: 0 when nothing was found (or a pack command succeeded),
//! 1 when a scan found something at or above `--min-severity`, 2 on any error, and
//! 3 when a draft was too long to check fully (a field over
//! [`postsafe_core::limits::MAX_FIELD_BYTES`]): the first part was checked and its
//! findings are printed, the rest was not. An error outranks a cut draft, which
//! outranks findings.
//!
//! Here: the command line, exit status and what every command shares; `scan.rs` the
//! `scan` command, `pack.rs` the `pack` commands.

mod pack;
mod scan;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use postsafe_core::build;
use postsafe_core::{Pack, PackError};

#[derive(Parser)]
#[command(
    name = "postsafe",
    version,
    about = "Check social media drafts against a school trust's policy, on this machine.",
    after_help = "Exit status: 0 nothing found, 1 findings, 2 an error (naming the file, line and \
                  reason), 3 a draft too long to check fully (checked up to 256 KiB a field; \
                  the rest was not checked)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
// Clap argument structs, parsed once: their size does not matter.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Scan a draft (a text file, or standard input) and print what breaks the policy.
    Scan(scan::ScanArgs),
    /// Build, check, compare and describe packs.
    #[command(subcommand)]
    Pack(pack::PackCommand),
}

/// An error for the user: printed as `postsafe: MESSAGE`, exit status 2.
struct Failure(String);

impl From<PackError> for Failure {
    fn from(e: PackError) -> Self {
        Failure(e.to_string())
    }
}

impl From<build::BuildError> for Failure {
    fn from(e: build::BuildError) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(a) => scan::scan(a),
        Command::Pack(c) => pack::run(c),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure(msg)) => {
            eprintln!("postsafe: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure(format!("{}: cannot read: {e}", path.display())))
}

fn load_pack(path: &Path) -> Result<Pack, Failure> {
    let bytes = read_file(path)?;
    let name = path.display().to_string();
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| Failure(format!("{name}: not UTF-8 text (byte {})", e.valid_up_to())))?;
    Ok(Pack::from_json(&name, text)?)
}

/// Exit status of a scan that found something.
const EXIT_FOUND: u8 = 1;
/// Exit status of an error (here: a bad `--jsonl` line; the batch went on).
const EXIT_ERROR: u8 = 2;
/// Exit status of a scan that could not check a whole draft (over the field limit).
const EXIT_TRUNCATED: u8 = 3;
