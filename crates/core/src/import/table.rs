//! A CSV file read into rows of named columns: its bytes decoded (UTF-8 or
//! Windows-1252), its headers matched to the columns a reader understands, and every
//! refusal of [`crate::import`] made here (mixed encodings, an unknown header, two
//! columns for one thing, a control character in a used value, a header with no rows).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::PackError;

/// Decodes a CSV file's bytes: UTF-8 (a byte order mark is dropped), or Windows-1252
/// when it is not valid UTF-8 anywhere, as GIAS and older MIS exports are.
///
/// `source` names the file in errors.
///
/// # Errors
/// When the file mixes the two: some non-ASCII characters are valid UTF-8 and some
/// bytes are not (a roster pasted together from two exports). Decoding it either way
/// would garble names, so the error names the first line that is not UTF-8, the
/// byte, and a line that is.
pub fn decode<'a>(source: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, PackError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    // Where the first byte that is not UTF-8 is, and the first multi-byte character that is.
    let (mut bad, mut good, mut pos) = (None, None, 0);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if good.is_none() {
            good = valid.bytes().position(|b| b >= 0x80).map(|i| pos + i);
        }
        pos += valid.len();
        if bad.is_none() && !chunk.invalid().is_empty() {
            bad = Some(pos);
        }
        pos += chunk.invalid().len();
    }
    if let (Some(bad), Some(good)) = (bad, good) {
        let place = |at: usize| {
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = at
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            (line, col)
        };
        return Err(PackError::new(
            source,
            Some(place(bad)),
            format!(
                "byte 0x{:02X} is not UTF-8, but line {} is UTF-8: the file mixes UTF-8 and \
                 Windows-1252; save it again as UTF-8",
                bytes[bad],
                place(good).0
            ),
        ));
    }
    Ok(encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0)
}

fn key(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// One column the reader understands: its role and the headers that mean it.
pub(super) struct Column {
    pub(super) role: &'static str,
    pub(super) headers: &'static [&'static str],
}

pub(super) struct Table {
    pub(super) rows: Vec<(usize, BTreeMap<&'static str, String>)>,
}

pub(super) fn read_table(
    source: &str,
    bytes: &[u8],
    columns: &[Column],
    lenient_if: Option<&str>,
    required: &[&str],
) -> Result<Table, PackError> {
    let text = decode(source, bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| csv_error(source, &e))?.clone();
    let lenient = lenient_if.is_some_and(|h| headers.iter().any(|x| key(x) == key(h)));
    let mut roles: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let k = key(h);
        let role = columns
            .iter()
            .find(|c| c.headers.iter().any(|x| key(x) == k))
            .map(|c| c.role);
        if role.is_none() && !lenient && !h.is_empty() {
            let accepted: Vec<&str> = columns
                .iter()
                .flat_map(|c| c.headers.iter().copied())
                .collect();
            return Err(PackError::new(
                source,
                Some((1, 1)),
                format!(
                    "unknown column {h:?}; accepted columns are: {}",
                    accepted.join(", ")
                ),
            ));
        }
        // Two columns for one thing: which one holds the names would be a guess.
        if let Some(r) = role.filter(|r| *r != "ignored") {
            if let Some(j) = roles.iter().position(|x| *x == Some(r)) {
                let first = &headers[j];
                let reason = if key(first) == k {
                    format!(
                        "column {h:?} appears twice (columns {} and {}); keep one",
                        j + 1,
                        i + 1
                    )
                } else {
                    format!(
                        "columns {first:?} and {h:?} both give the {}; keep one",
                        r.replace('_', " ")
                    )
                };
                return Err(PackError::new(source, Some((1, 1)), reason));
            }
        }
        roles.push(role);
    }
    for r in required {
        if !roles.contains(&Some(*r)) {
            let want: Vec<&str> = columns
                .iter()
                .filter(|c| c.role == *r)
                .flat_map(|c| c.headers.iter().copied())
                .collect();
            return Err(PackError::new(
                source,
                Some((1, 1)),
                format!("no {r} column; name one of: {}", want.join(", ")),
            ));
        }
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(source, &e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let mut row = BTreeMap::new();
        for (i, v) in rec.iter().enumerate() {
            if let Some(Some(role)) = roles.get(i) {
                if *role != "ignored" && !v.is_empty() {
                    if let Some(c) = v.chars().find(|c| c.is_control()) {
                        return Err(PackError::new(
                            source,
                            Some((line, 1)),
                            format!(
                                "column {:?} holds a control character (U+{:04X}); \
                                 names and details must be plain text",
                                &headers[i], c as u32
                            ),
                        ));
                    }
                    row.insert(*role, v.to_string());
                }
            }
        }
        rows.push((line, row));
    }
    if rows.is_empty() {
        return Err(PackError::new(
            source,
            Some((1, 1)),
            "the file has a header but no rows: nothing to read",
        ));
    }
    Ok(Table { rows })
}

fn csv_error(source: &str, e: &csv::Error) -> PackError {
    let line = e.position().map(|p| (p.line() as usize, 1));
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} fields where the header has {expected_len}")
        }
        _ => {
            let s = e.to_string();
            match s.find(": ") {
                Some(i) if s.starts_with("CSV") => s[i + 2..].to_string(),
                _ => s,
            }
        }
    };
    PackError::new(source, line, reason)
}
