//! `postsafe`: scan drafts against packs, build packs from a trust's exports, check them.
//!
//! Exit status, like grep: 0 when nothing was found (or a pack command succeeded),
//! 1 when a scan found something at or above `--min-severity`, 2 on any error, and
//! 3 when a draft was too long to check fully (a field over
//! [`postsafe_core::limits::MAX_FIELD_BYTES`]): the first part was checked and its
//! findings are printed, the rest was not. An error outranks a cut draft, which
//! outranks findings.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use postsafe_core::build::{self, BuildInput, Date, InputFile, Progress};
use postsafe_core::{Draft, Engine, FieldKind, Finding, Pack, PackError, ScanResult, Severity};
use serde::{Deserialize, Serialize};

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
    Scan(ScanArgs),
    /// Build, check, compare and describe packs.
    #[command(subcommand)]
    Pack(PackCommand),
}

#[derive(Args)]
struct ScanArgs {
    /// A pack to load (JSON); may be given more than once.
    #[arg(long = "pack", value_name = "FILE")]
    packs: Vec<PathBuf>,
    /// Leave out the built-in default pack of UK school checks.
    #[arg(long)]
    no_default: bool,
    /// Print `{"findings":[...]}` as JSON.
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// Read JSON lines `{"id","text","alt":[..],"files":[..],"links":[..]}` and write
    /// one `{"id","findings":[..]}` line for each; a line that cannot be read gets
    /// `{"line","id","error"}` instead and the batch goes on (exit status 2 at the end).
    #[arg(long)]
    jsonl: bool,
    /// Show (and count for the exit status) only findings at least this severe.
    #[arg(long, value_enum, default_value = "info")]
    min_severity: SeverityArg,
    /// Check photos instead of a draft: the text and GPS position stored inside each
    /// file (JPEG, PNG, HEIC/HEIF, WebP; EXIF, XMP, IPTC, PNG text). Exit status 3 when
    /// a photo's details could not all be read.
    #[arg(long = "image", value_name = "FILE", num_args = 1.., conflicts_with = "jsonl")]
    images: Vec<PathBuf>,
    /// The draft: a file, or `-` (the default) for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeverityArg {
    Info,
    Warn,
    Block,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warn => Severity::Warn,
            SeverityArg::Block => Severity::Block,
        }
    }
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)]
enum PackCommand {
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
struct BuildArgs {
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
        Command::Scan(a) => scan(a),
        Command::Pack(PackCommand::Build(a)) => build(a),
        Command::Pack(PackCommand::Check { file }) => check(&file),
        Command::Pack(PackCommand::Diff { old, new }) => diff(&old, &new),
        Command::Pack(PackCommand::HashRoster { file, output }) => hash_roster_file(&file, &output),
        Command::Pack(PackCommand::Schema) => {
            print!("{}", postsafe_core::pack_schema());
            Ok(0)
        }
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

fn build_engine(packs: &[PathBuf], no_default: bool) -> Result<Engine, Failure> {
    let packs = packs
        .iter()
        .map(|p| load_pack(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if no_default {
        Engine::without_default(&packs)?
    } else {
        Engine::new(&packs)?
    })
}

/// One line of `--jsonl` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonlDraft {
    #[serde(default)]
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    alt: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    links: Vec<String>,
}

#[derive(Serialize)]
struct JsonlResult<'a> {
    id: &'a serde_json::Value,
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    truncated: &'a [postsafe_core::Truncation],
}

/// Exit status of a scan that found something.
const EXIT_FOUND: u8 = 1;
/// Exit status of an error (here: a bad `--jsonl` line; the batch went on).
const EXIT_ERROR: u8 = 2;
/// Exit status of a scan that could not check a whole draft (over the field limit).
const EXIT_TRUNCATED: u8 = 3;

/// Warns on standard error about each field checked only in part.
fn warn_truncated(place: &str, draft: &Draft, r: &ScanResult) {
    for t in &r.truncated {
        let i = t.field_index;
        let (field, len) = match t.field {
            FieldKind::Body => ("the draft".to_string(), draft.body.len()),
            FieldKind::Alt => (format!("image description {}", i + 1), draft.alt[i].len()),
            FieldKind::File => (format!("file name {}", i + 1), draft.files[i].len()),
            FieldKind::Link => (format!("link {}", i + 1), draft.links[i].len()),
        };
        eprintln!(
            "postsafe: warning: {place}: {field} is too long to check fully: {len} bytes, \
             only the first {} were checked (the limit is {} bytes); the rest was not checked",
            t.checked_bytes,
            postsafe_core::limits::MAX_FIELD_BYTES
        );
    }
}

/// A `--jsonl` line that could not be read: reported on standard error and as an
/// `{"line","id","error"}` line of the output, and the batch goes on.
#[derive(Serialize)]
struct JsonlError<'a> {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    error: &'a str,
}

fn scan(a: ScanArgs) -> Result<u8, Failure> {
    if !a.images.is_empty() {
        return scan_images(&a);
    }
    let engine = build_engine(&a.packs, a.no_default)?;
    let min: Severity = a.min_severity.into();
    let input_name = if a.input == "-" {
        "<stdin>".to_string()
    } else {
        a.input.clone()
    };
    let (mut found, mut cut, mut failed) = (false, false, false);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let keep = |mut r: ScanResult| {
        r.findings.retain(|f| f.severity >= min);
        r
    };
    let write_err = |e: io::Error| Failure(e.to_string());
    if a.jsonl {
        let reader: Box<dyn BufRead> = if a.input == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            Box::new(io::BufReader::new(std::fs::File::open(&a.input).map_err(
                |e| Failure(format!("{input_name}: cannot read: {e}")),
            )?))
        };
        for (n, line) in reader.split(b'\n').enumerate() {
            let n = n + 1;
            let mut line =
                line.map_err(|e| Failure(format!("{input_name}:{n}: cannot read: {e}")))?;
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let bytes = match (n, line.strip_prefix(b"\xEF\xBB\xBF")) {
                (1, Some(rest)) => rest,
                _ => &line[..],
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = std::str::from_utf8(bytes)
                .map_err(|e| {
                    format!(
                        "{input_name}:{n}: not UTF-8 text (byte {})",
                        e.valid_up_to()
                    )
                })
                .and_then(|text| {
                    serde_json::from_str::<JsonlDraft>(text).map_err(|e| {
                        let m = e.to_string();
                        let reason = m
                            .rfind(" at line ")
                            .map_or(m.clone(), |i| m[..i].to_string());
                        format!("{input_name}:{n}:{}: {reason}", e.column())
                    })
                });
            let d = match parsed {
                Ok(d) => d,
                Err(error) => {
                    failed = true;
                    eprintln!("postsafe: {error}");
                    let id = std::str::from_utf8(bytes)
                        .ok()
                        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                        .and_then(|v| v.get("id").cloned());
                    let row = JsonlError {
                        line: n,
                        id: id.as_ref(),
                        error: &error,
                    };
                    serde_json::to_writer(&mut out, &row).map_err(|e| Failure(e.to_string()))?;
                    writeln!(out).map_err(write_err)?;
                    continue;
                }
            };
            let draft = Draft {
                body: d.text,
                alt: d.alt,
                files: d.files,
                links: d.links,
            };
            let r = keep(engine.scan(&draft));
            found |= !r.findings.is_empty();
            if !r.truncated.is_empty() {
                cut = true;
                warn_truncated(&format!("{input_name}:{n}"), &draft, &r);
            }
            let row = JsonlResult {
                id: &d.id,
                findings: &r.findings,
                truncated: &r.truncated,
            };
            serde_json::to_writer(&mut out, &row).map_err(|e| Failure(e.to_string()))?;
            writeln!(out).map_err(write_err)?;
        }
    } else {
        let mut bytes = Vec::new();
        if a.input == "-" {
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure(format!("<stdin>: cannot read: {e}")))?;
        } else {
            bytes = read_file(Path::new(&a.input))?;
        }
        // A byte order mark is not part of the draft: offsets count from after it.
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            Failure(format!(
                "{input_name}: not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let draft = Draft {
            body: text,
            ..Draft::default()
        };
        let r = keep(engine.scan(&draft));
        found = !r.findings.is_empty();
        cut = !r.truncated.is_empty();
        if a.json {
            serde_json::to_writer_pretty(&mut out, &r).map_err(|e| Failure(e.to_string()))?;
            writeln!(out).map_err(write_err)?;
        } else {
            print_human(&mut out, &input_name, &draft.body, &r).map_err(write_err)?;
        }
        out.flush().map_err(write_err)?;
        warn_truncated(&input_name, &draft, &r);
    }
    out.flush().map_err(write_err)?;
    Ok(if failed {
        EXIT_ERROR
    } else if cut {
        EXIT_TRUNCATED
    } else if found {
        EXIT_FOUND
    } else {
        0
    })
}

/// One photo's report in `--image --json` output.
#[derive(Serialize)]
struct PhotoRow<'a> {
    file: String,
    #[serde(flatten)]
    report: &'a postsafe_core::photo::PhotoReport,
}

/// `postsafe scan --image FILE...`: each photo's details checked (issue 16).
fn scan_images(a: &ScanArgs) -> Result<u8, Failure> {
    use postsafe_core::photo;
    let packs = a
        .packs
        .iter()
        .map(|p| load_pack(p))
        .collect::<Result<Vec<_>, _>>()?;
    let engine = if a.no_default {
        Engine::without_default(&packs)?
    } else {
        Engine::new(&packs)?
    };
    let places = photo::school_places(&packs);
    let min: Severity = a.min_severity.into();
    let (mut found, mut unread) = (false, false);
    let mut rows = Vec::new();
    let mut reports = Vec::new();
    for path in &a.images {
        let bytes = read_file(path)?;
        let mut r = photo::check_photo(&engine, &places, &bytes);
        r.findings.retain(|f| f.finding.severity >= min);
        found |= !r.findings.is_empty();
        unread |= r.problem.is_some();
        reports.push((path.display().to_string(), r));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let write_err = |e: io::Error| Failure(e.to_string());
    if a.json {
        for (file, report) in &reports {
            rows.push(PhotoRow {
                file: file.clone(),
                report,
            });
        }
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "photos": rows }))
            .map_err(|e| Failure(e.to_string()))?;
        writeln!(out).map_err(write_err)?;
    } else {
        for (name, r) in &reports {
            for f in &r.findings {
                let g = &f.finding;
                writeln!(
                    out,
                    "{name}: {} {} \"{}\" ({}): {}",
                    g.category.as_str(),
                    g.severity.as_str(),
                    g.text.replace('\n', " "),
                    f.label,
                    g.message
                )
                .map_err(write_err)?;
                writeln!(out, "    advice: {}", g.advice).map_err(write_err)?;
            }
            if let Some(p) = &r.problem {
                writeln!(out, "{name}: {p}").map_err(write_err)?;
            }
            if r.findings.is_empty() && r.problem.is_none() {
                writeln!(out, "{name}: nothing found").map_err(write_err)?;
            }
        }
    }
    out.flush().map_err(write_err)?;
    Ok(if unread {
        EXIT_TRUNCATED
    } else if found {
        EXIT_FOUND
    } else {
        0
    })
}

/// 1-based line and column (in characters) of byte offset `pos`.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

fn print_human(out: &mut impl Write, name: &str, text: &str, r: &ScanResult) -> io::Result<()> {
    for f in &r.findings {
        let (l, c) = line_col(text, f.start);
        writeln!(
            out,
            "{name}:{l}:{c}: {} {} \"{}\": {}",
            f.category.as_str(),
            f.severity.as_str(),
            f.text.replace('\n', " "),
            f.message
        )?;
        writeln!(out, "    advice: {}", f.advice)?;
    }
    for t in &r.truncated {
        writeln!(
            out,
            "{name}: too long to check fully: only the first {} bytes were checked; the rest of the draft was not",
            t.checked_bytes
        )?;
    }
    let mut by_sev: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in &r.findings {
        *by_sev.entry(f.severity).or_default() += 1;
    }
    if r.findings.is_empty() {
        writeln!(out, "{name}: nothing found")?;
    } else {
        let parts: Vec<String> = by_sev
            .iter()
            .rev()
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        let n = r.findings.len();
        writeln!(
            out,
            "{name}: {n} finding{} ({})",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\nçd Tom", 7), (2, 4));
    }
}
