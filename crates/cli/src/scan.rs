//! `postsafe scan`: a draft (text, or JSON lines with `--jsonl`) or photos (`--image`)
//! checked against the packs, and what was found printed for a person or as JSON.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use postsafe_core::{Draft, Engine, FieldKind, Finding, ScanResult, Severity};
use serde::{Deserialize, Serialize};

use crate::{load_pack, read_file, Failure, EXIT_ERROR, EXIT_FOUND, EXIT_TRUNCATED};

#[derive(Args)]
pub(crate) struct ScanArgs {
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

/// Runs `postsafe scan`: its exit status (see the crate documentation) or the error.
pub(crate) fn scan(a: ScanArgs) -> Result<u8, Failure> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\nçd Tom", 7), (2, 4));
    }
}
