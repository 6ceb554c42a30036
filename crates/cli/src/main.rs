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
use postsafe_core::import::{self, Imported, Skipped, TermsFile};
use postsafe_core::{
    Category, Draft, Engine, FieldKind, Finding, Pack, PackError, ScanResult, Severity, PACK_FORMAT,
};
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
    /// Store pupils and staff as keyed hashes (HMAC-SHA256 with a random salt), so the
    /// pack holds no name in plain text.
    #[arg(long)]
    hash_roster: bool,
    /// Pupil roster as CSV (SIMS or Arbor export columns).
    #[arg(long, value_name = "CSV")]
    pupils: Option<PathBuf>,
    /// Staff list as CSV (Title, Forename, Surname).
    #[arg(long, value_name = "CSV")]
    staff: Option<PathBuf>,
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

fn report_skipped(file: &Path, skipped: &[Skipped]) {
    for s in skipped.iter().take(20) {
        eprintln!(
            "postsafe: warning: {}:{}: row skipped: {}",
            file.display(),
            s.line,
            s.reason
        );
    }
    if skipped.len() > 20 {
        eprintln!(
            "postsafe: warning: {}: {} more rows skipped",
            file.display(),
            skipped.len() - 20
        );
    }
}

fn import<T>(
    path: &Option<PathBuf>,
    read: impl Fn(&str, &[u8]) -> Result<Imported<T>, PackError>,
) -> Result<Vec<T>, Failure> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let bytes = read_file(path)?;
    let r = read(&path.display().to_string(), &bytes)?;
    report_skipped(path, &r.skipped);
    Ok(r.items)
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for w in postsafe_core::normalize::normalize_term(name).split(' ') {
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

fn build(a: BuildArgs) -> Result<u8, Failure> {
    let (y, m, d) = today();
    let mut schools = import(&a.schools, |n, b| {
        import::read_schools_of(n, b, &a.urn, a.trust.as_deref())
    })?;
    if let (Some(t), true) = (&a.trust, schools.is_empty()) {
        return Err(Failure(format!(
            "no school of the trust {t:?} is in the register file"
        )));
    }
    if !a.urn.is_empty() {
        for u in &a.urn {
            if !schools.iter().any(|s| s.urn.as_deref() == Some(u.as_str())) {
                return Err(Failure(format!("URN {u} is not in the register file")));
            }
        }
    }
    let pupils = import(&a.pupils, import::read_pupils)?;
    let staff = import(&a.staff, import::read_staff)?;
    let terms = match &a.terms {
        None => TermsFile::default(),
        Some(p) => {
            let bytes = read_file(p)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure(format!("{}: not UTF-8 text", p.display())))?;
            TermsFile::from_json(&p.display().to_string(), &text)?
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
            }
            None if !extra.name.is_empty() => schools.push(extra),
            None => {
                return Err(Failure(format!(
                    "{}: a school with URN {:?} has no name and is not in the register",
                    a.terms.as_ref().unwrap().display(),
                    extra.urn.unwrap_or_default()
                )))
            }
        }
    }
    let mut trust_names = vec![a.name.clone()];
    trust_names.extend(terms.trust_names);
    let mut pack = Pack {
        format: PACK_FORMAT,
        id: a.id.unwrap_or_else(|| slug(&a.name)),
        name: a.name,
        version: a.pack_version.unwrap_or(format!("{y:04}.{m:02}.{d:02}")),
        expires: Some(a.expires.unwrap_or(format!(
            "{:04}-{m:02}-{:02}",
            y + 1,
            if m == 2 && d == 29 { 28 } else { d }
        ))),
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
    let (pupils, staff) = (pack.pupils.len(), pack.staff.len());
    if a.hash_roster {
        pack.hash_roster(random_salt()?)?;
    }
    let json = pack.to_json();
    let out_name = a.output.display().to_string();
    // Validate what we are about to write, exactly as a reader will.
    Pack::from_json(&out_name, &json)?;
    std::fs::write(&a.output, &json)
        .map_err(|e| Failure(format!("{out_name}: cannot write: {e}")))?;
    eprintln!(
        "postsafe: wrote {out_name}: {} schools, {pupils} pupils, {staff} staff{}, {} term lists, {} patterns",
        pack.schools.len(),
        if a.hash_roster { " (hashed)" } else { "" },
        pack.term_lists.len(),
        pack.patterns.len()
    );
    Ok(0)
}

fn check(file: &Path) -> Result<u8, Failure> {
    let pack = load_pack(file)?;
    let engine = Engine::without_default(std::slice::from_ref(&pack))?;
    let info = &engine.packs()[0];
    println!(
        "{}: pack {:?} version {} ({})",
        file.display(),
        info.id,
        info.version,
        info.name
    );
    match &info.expires {
        Some(e) => {
            let (y, m, d) = today();
            let now = format!("{y:04}-{m:02}-{d:02}");
            if e.as_str() < now.as_str() {
                println!("  expired on {e}: it still works, but rebuild it from current exports");
            } else {
                println!("  expires {e}");
            }
        }
        None => println!("  no expiry date"),
    }
    for c in Category::ALL {
        if let Some(n) = info.counts.get(c.as_str()) {
            println!("  {:<13}{n}", c.as_str());
        }
    }
    if let Some(n) = info.counts.get("allow") {
        println!("  {:<13}{n}", "allow");
    }
    println!(
        "  {} term and school spellings compiled",
        engine.pattern_count()
    );
    Ok(0)
}

/// Today's date (UTC) as (year, month, day).
fn today() -> (i64, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    civil_from_days(secs.div_euclid(86_400))
}

/// Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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

type Sets = BTreeMap<&'static str, std::collections::BTreeSet<String>>;

/// What a pack's roster and lists hold, as sets of normalised spellings, so that two
/// versions can be compared without printing a name.
fn pack_sets(p: &Pack) -> Sets {
    use postsafe_core::normalize::normalize_term;
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

fn diff(old: &Path, new: &Path) -> Result<u8, Failure> {
    let (a, b) = (load_pack(old)?, load_pack(new)?);
    println!("{} -> {}", old.display(), new.display());
    if a.id != b.id {
        println!("  id: {:?} -> {:?}", a.id, b.id);
    }
    println!("  version: {} -> {}", a.version, b.version);
    if a.expires != b.expires {
        let none = || "none".to_string();
        println!(
            "  expires: {} -> {}",
            a.expires.clone().unwrap_or_else(none),
            b.expires.clone().unwrap_or_else(none)
        );
    }
    let (sa, sb) = (pack_sets(&a), pack_sets(&b));
    let empty = std::collections::BTreeSet::new();
    let mut changed = false;
    for k in ["pupils", "staff", "schools", "terms", "patterns", "allow"] {
        let (x, y) = (sa.get(k).unwrap_or(&empty), sb.get(k).unwrap_or(&empty));
        if x.is_empty() && y.is_empty() {
            continue;
        }
        let added = y.difference(x).count();
        let removed = x.difference(y).count();
        changed |= added + removed > 0;
        println!(
            "  {k:<9}{:>6} -> {:<6} (+{added} added, -{removed} removed)",
            x.len(),
            y.len()
        );
    }
    // Hashed rosters under different salts cannot be compared name by name.
    let hashed = |p: &Pack| {
        p.hashed_roster
            .as_ref()
            .map(|h| (h.pupils, h.staff, h.salt.clone()))
    };
    match (hashed(&a), hashed(&b)) {
        (None, None) => {}
        (x, y) => {
            let show = |h: &Option<(usize, usize, String)>| {
                h.as_ref().map_or("none".to_string(), |(p, s, _)| {
                    format!("{p} pupils, {s} staff")
                })
            };
            changed |= x != y;
            println!(
                "  hashed roster: {} -> {} (hashes are salted: changes are counted, not listed)",
                show(&x),
                show(&y)
            );
        }
    }
    if !changed {
        println!("  no change in content");
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\nçd Tom", 7), (2, 4));
    }
}
