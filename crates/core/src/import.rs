//! Turning what trusts already have into pack parts: the DfE register (GIAS) of
//! schools, pupil rosters exported from the MIS (SIMS, Arbor), staff lists, and term
//! files.
//!
//! Every reader takes the file's bytes (UTF-8 or Windows-1252, with or without a byte
//! order mark) and its name for errors. Headers are matched case-insensitively and
//! ignoring spaces and underscores; an unknown header is an error listing the
//! accepted ones. Rows without the required names are skipped and reported as
//! [`Skipped`], with their line number and why.
//!
//! What is refused outright, with the file, line and reason, so that nothing is half
//! read: a file that mixes UTF-8 and Windows-1252 lines, a control character (NUL,
//! a line break inside quotes, ...) in a value that is used, two columns that give the
//! same thing (one header twice, or `Forename` beside `First name`), and a file with a
//! header and no rows.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::pack::{Category, Pattern, Pupil, School, StaffMember, TermList};

/// A row left out of an import, with its 1-based line number in the file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line number in the file.
    pub line: usize,
    /// Why it was left out.
    pub reason: String,
}

/// What an import read: the items and the rows it skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported<T> {
    /// The items read, in file order.
    pub items: Vec<T>,
    /// Rows left out, in file order.
    pub skipped: Vec<Skipped>,
}

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
struct Column {
    role: &'static str,
    headers: &'static [&'static str],
}

/// Headers of the register of schools. Columns of a full GIAS establishment export that
/// are not listed are ignored when the file has `EstablishmentName`.
const SCHOOL_COLUMNS: &[Column] = &[
    Column {
        role: "urn",
        headers: &["URN"],
    },
    Column {
        role: "name",
        headers: &["EstablishmentName", "name", "School name", "SchoolName"],
    },
    Column {
        role: "street",
        headers: &["Street", "Address", "Address1"],
    },
    Column {
        role: "locality",
        headers: &["Locality", "Address2"],
    },
    Column {
        role: "town",
        headers: &["Town"],
    },
    Column {
        role: "postcode",
        headers: &["Postcode", "Post code"],
    },
    Column {
        role: "phone",
        headers: &["TelephoneNum", "Telephone", "Phone"],
    },
    Column {
        role: "website",
        headers: &["SchoolWebsite", "Website"],
    },
    Column {
        role: "trust",
        headers: &["Trusts (name)", "Trust", "Trust name"],
    },
    Column {
        role: "easting",
        headers: &["Easting"],
    },
    Column {
        role: "northing",
        headers: &["Northing"],
    },
    Column {
        role: "latitude",
        headers: &["Latitude"],
    },
    Column {
        role: "longitude",
        headers: &["Longitude"],
    },
    Column {
        role: "ignored",
        headers: &[
            "open_date",
            "OpenDate",
            "County (name)",
            "LA (name)",
            "Address3",
        ],
    },
];

/// Headers of pupil rosters: SIMS, Arbor and plain exports.
const PUPIL_COLUMNS: &[Column] = &[
    Column {
        role: "forename",
        headers: &[
            "Legal Forename",
            "First name",
            "Forename",
            "Given name",
            "Legal first name",
        ],
    },
    Column {
        role: "surname",
        headers: &[
            "Legal Surname",
            "Last name",
            "Surname",
            "Family name",
            "Legal last name",
        ],
    },
    Column {
        role: "preferred_forename",
        headers: &[
            "Preferred Forename",
            "Preferred first name",
            "Known as",
            "Chosen name",
        ],
    },
    Column {
        role: "preferred_surname",
        headers: &["Preferred Surname", "Preferred last name"],
    },
    Column {
        role: "group",
        headers: &[
            "Year",
            "Year Group",
            "Reg",
            "Reg Group",
            "Registration Group",
            "Registration form",
            "Class",
            "Form",
            "Tutor Group",
        ],
    },
    Column {
        role: "ignored",
        headers: &[
            "Adno",
            "Admission Number",
            "UPN",
            "DOB",
            "Date of Birth",
            "Gender",
            "Sex",
            "MIS ID",
            "ID",
        ],
    },
];

/// Headers of staff lists.
const STAFF_COLUMNS: &[Column] = &[
    Column {
        role: "title",
        headers: &["Title"],
    },
    Column {
        role: "forename",
        headers: &[
            "Forename",
            "First name",
            "Legal Forename",
            "Preferred Forename",
            "Given name",
        ],
    },
    Column {
        role: "surname",
        headers: &[
            "Surname",
            "Last name",
            "Legal Surname",
            "Preferred Surname",
            "Family name",
        ],
    },
    Column {
        role: "ignored",
        headers: &[
            "Role",
            "Job title",
            "Department",
            "Staff code",
            "Initials",
            "Email",
            "ID",
        ],
    },
];

struct Table {
    rows: Vec<(usize, BTreeMap<&'static str, String>)>,
}

fn read_table(
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

/// An error when every row of a file was skipped: there is nothing to build from.
fn none_read<T>(source: &str, what: &str, out: &Imported<T>) -> Result<(), PackError> {
    match out.skipped.first() {
        Some(first) if out.items.is_empty() => Err(PackError::new(
            source,
            Some((first.line, 1)),
            format!(
                "no {what} could be read: all {} rows were skipped (this one: {})",
                out.skipped.len(),
                first.reason
            ),
        )),
        _ => Ok(()),
    }
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

/// Reads schools from a register export (GIAS: `URN`, `EstablishmentName` or `name`,
/// `Street`, `Town`, `Postcode`, `TelephoneNum`, `SchoolWebsite`).
///
/// The website becomes a web and email domain, the phone number is matched in every
/// common spelling, the street becomes an address line. When `urns` is not empty only
/// those schools are kept.
///
/// # Errors
/// Malformed CSV, an unknown header (outside a full GIAS export), or no name column, or one of the refusals in the module documentation (mixed encodings, a control
/// character, two columns for one thing, no rows).
pub fn read_schools(
    source: &str,
    bytes: &[u8],
    urns: &[String],
) -> Result<Imported<School>, PackError> {
    read_schools_of(source, bytes, urns, None)
}

/// As [`read_schools`], keeping only schools whose `Trusts (name)` column names
/// `trust` (compared after normalisation, so case and punctuation do not matter) when
/// `trust` is given.
///
/// # Errors
/// As [`read_schools`], and when `trust` is given but the file has no trust column.
pub fn read_schools_of(
    source: &str,
    bytes: &[u8],
    urns: &[String],
    trust: Option<&str>,
) -> Result<Imported<School>, PackError> {
    let required: &[&str] = if trust.is_some() {
        &["name", "trust"]
    } else {
        &["name"]
    };
    let t = read_table(
        source,
        bytes,
        SCHOOL_COLUMNS,
        Some("EstablishmentName"),
        required,
    )?;
    let want_trust = trust.map(crate::normalize::normalize_term);
    let mut out = Imported {
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for (line, mut row) in t.rows {
        let urn = row.remove("urn");
        if !urns.is_empty() && !urn.as_ref().is_some_and(|u| urns.contains(u)) {
            continue;
        }
        if let Some(want) = &want_trust {
            let has = row
                .remove("trust")
                .map(|t| crate::normalize::normalize_term(&t));
            if has.as_ref() != Some(want) {
                continue;
            }
        }
        let Some(name) = row.remove("name") else {
            out.skipped.push(Skipped {
                line,
                reason: "no school name".into(),
            });
            continue;
        };
        let mut school = School {
            name,
            urn,
            ..School::default()
        };
        if let Some(s) = row.remove("street") {
            school.address.push(s);
        }
        if let Some(p) = row.remove("postcode") {
            school.postcodes.push(p);
        }
        if let Some(p) = row.remove("phone") {
            school.phones.push(p);
        }
        if let Some(w) = row.remove("website") {
            let forms = crate::variants::domain_forms(&w);
            if !forms.is_empty() {
                school.domains.push(crate::variants::website_domain(&w));
            }
        }
        school.location = crate::photo_geo::register_location(
            row.remove("easting").as_deref(),
            row.remove("northing").as_deref(),
            row.remove("latitude").as_deref(),
            row.remove("longitude").as_deref(),
        );
        out.items.push(school);
    }
    Ok(out)
}

/// Reads a pupil roster: SIMS (`Legal Forename`, `Legal Surname`, `Preferred Forename`,
/// `Preferred Surname`), Arbor (`First name`, `Last name`, `Preferred first name`) or
/// plain (`Forename`, `Surname`), with an optional year or class column.
///
/// # Errors
/// Malformed CSV, an unknown header, or no forename or surname column, or one of the refusals in the module documentation (mixed encodings, a control
/// character, two columns for one thing, no rows);
/// and when every row was skipped.
pub fn read_pupils(source: &str, bytes: &[u8]) -> Result<Imported<Pupil>, PackError> {
    let t = read_table(source, bytes, PUPIL_COLUMNS, None, &["forename", "surname"])?;
    let mut out = Imported {
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for (line, mut row) in t.rows {
        let forename = row
            .remove("forename")
            .or_else(|| row.get("preferred_forename").cloned());
        let surname = row
            .remove("surname")
            .or_else(|| row.get("preferred_surname").cloned());
        let (Some(forename), Some(surname)) = (forename, surname) else {
            out.skipped.push(Skipped {
                line,
                reason: "no forename or no surname".into(),
            });
            continue;
        };
        let preferred_forename = row.remove("preferred_forename").filter(|p| *p != forename);
        let preferred_surname = row.remove("preferred_surname").filter(|p| *p != surname);
        out.items.push(Pupil {
            forename,
            surname,
            preferred_forename,
            preferred_surname,
            group: row.remove("group"),
        });
    }
    none_read(source, "pupil", &out)?;
    Ok(out)
}

/// Reads a staff list (`Title`, `Forename`, `Surname`).
///
/// # Errors
/// Malformed CSV, an unknown header, or no surname column, or one of the refusals in the module documentation (mixed encodings, a control
/// character, two columns for one thing, no rows);
/// and when every row was skipped.
pub fn read_staff(source: &str, bytes: &[u8]) -> Result<Imported<StaffMember>, PackError> {
    let t = read_table(source, bytes, STAFF_COLUMNS, None, &["surname"])?;
    let mut out = Imported {
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for (line, mut row) in t.rows {
        let Some(surname) = row.remove("surname") else {
            out.skipped.push(Skipped {
                line,
                reason: "no surname".into(),
            });
            continue;
        };
        out.items.push(StaffMember {
            title: row.remove("title"),
            forename: row.remove("forename").unwrap_or_default(),
            surname,
        });
    }
    none_read(source, "staff member", &out)?;
    Ok(out)
}

/// A trust's own additions, given to `pack build --terms`: term lists, patterns, an
/// allow list, more names for the trust, clauses, and extra details for schools
/// (matched to the register's rows by URN, or added when they have a name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsFile {
    /// Term lists, as in a pack.
    #[serde(default)]
    pub term_lists: Vec<TermList>,
    /// Patterns, as in a pack.
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    /// Allow list, as in a pack.
    #[serde(default)]
    pub allow: Vec<String>,
    /// More names of the trust.
    #[serde(default)]
    pub trust_names: Vec<String>,
    /// Policy clauses by category, as in a pack.
    #[serde(default)]
    pub clauses: BTreeMap<Category, String>,
    /// Schools: with a `urn` matching a register row, their lists are added to it;
    /// otherwise they are added as schools.
    #[serde(default)]
    pub schools: Vec<School>,
}

impl TermsFile {
    /// Parses a terms file. A leading byte order mark is ignored.
    ///
    /// # Errors
    /// Malformed JSON or an unknown field, with line and column.
    pub fn from_json(source: &str, text: &str) -> Result<TermsFile, PackError> {
        serde_json::from_str(text.strip_prefix('\u{FEFF}').unwrap_or(text)).map_err(|e| {
            let msg = e.to_string();
            let reason = msg
                .rfind(" at line ")
                .map_or(msg.clone(), |i| msg[..i].to_string());
            PackError::new(source, Some((e.line(), e.column())), reason)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sims_roster_with_preferred_names() {
        let csv = "Legal Surname,Legal Forename,Preferred Forename,Preferred Surname,Year\nSmith,Thomas,Tom,,Year 6\n,Amy,,,Year 5\n";
        let r = read_pupils("sims.csv", csv.as_bytes()).unwrap();
        assert_eq!(r.items.len(), 1);
        assert_eq!(r.items[0].preferred_forename.as_deref(), Some("Tom"));
        assert_eq!(
            r.skipped,
            vec![Skipped {
                line: 3,
                reason: "no forename or no surname".into()
            }]
        );
    }

    #[test]
    fn arbor_headers_any_case() {
        let csv = "FIRST NAME,last name,Preferred First Name\nAmelia,Jones,Millie\n";
        let r = read_pupils("arbor.csv", csv.as_bytes()).unwrap();
        assert_eq!(r.items[0].forename, "Amelia");
        assert_eq!(r.items[0].preferred_forename.as_deref(), Some("Millie"));
    }

    #[test]
    fn unknown_header_lists_the_accepted_ones() {
        let e = read_pupils("r.csv", b"Forename,Surname,Shoe size\nA,B,9\n").unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("r.csv:1:1: unknown column \"Shoe size\""),
            "{s}"
        );
        assert!(s.contains("Legal Forename"), "{s}");
    }

    #[test]
    fn ragged_row_names_its_line() {
        let e = read_staff(
            "staff.csv",
            b"Title,Forename,Surname\nMrs,Helen,Okafor\nMr,Ben\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "staff.csv:3:1: this row has 2 fields where the header has 3"
        );
    }

    #[test]
    fn gias_windows_1252_and_filters() {
        let mut bytes = b"URN,EstablishmentName,Street,Town,Postcode,TelephoneNum,SchoolWebsite,TypeOfEstablishment (name)\n".to_vec();
        bytes.extend_from_slice(b"1,St Mary\x92s School,1 Church Lane,Town,AB1 2CD,01234 567890,http://www.stmarys.example.sch.uk/,Academy\n");
        bytes.extend_from_slice(b"2,Other School,,Town,AB1 2CE,,,Academy\n");
        let r = read_schools("gias.csv", &bytes, &["1".to_string()]).unwrap();
        assert_eq!(r.items.len(), 1);
        let s = &r.items[0];
        assert_eq!(s.name, "St Mary\u{2019}s School");
        assert_eq!(s.domains, vec!["stmarys.example.sch.uk"]);
        assert_eq!(s.phones, vec!["01234 567890"]);
    }
    #[test]
    fn mixed_utf8_and_windows_1252_is_an_error_naming_the_line() {
        // Line 2 is UTF-8 (Zoë), line 3 Windows-1252 (Chloë): decoding either way garbles one.
        let bytes = b"Forename,Surname\nZo\xC3\xAB,Smith\nChlo\xEB,Jones\n";
        let e = read_pupils("mixed.csv", bytes).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mixed.csv:3:5: byte 0xEB is not UTF-8, but line 2 is UTF-8: the file mixes UTF-8 \
             and Windows-1252; save it again as UTF-8"
        );
        // Wholly Windows-1252 still reads.
        let r = read_pupils("w.csv", b"Forename,Surname\nChlo\xEB,Jones\n").unwrap();
        assert_eq!(r.items[0].forename, "Chlo\u{EB}");
    }

    #[test]
    fn a_control_character_in_a_name_is_an_error() {
        let e = read_pupils("nul.csv", b"Forename,Surname\nAmy,Jones\nTom\0,Smith\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "nul.csv:3:1: column \"Forename\" holds a control character (U+0000); names and \
             details must be plain text"
        );
        let e = read_staff("s.csv", b"Title,Forename,Surname\nMr,\"Ben\nX\",Okafor\n").unwrap_err();
        assert!(e.to_string().contains("(U+000A)"), "{e}");
        // Columns that are not used are not looked at.
        let r = read_pupils("ok.csv", b"Forename,Surname,UPN\nAmy,Jones,A\x01B\n").unwrap();
        assert_eq!(r.items.len(), 1);
    }

    #[test]
    fn two_columns_for_one_thing_are_an_error() {
        let e = read_pupils("d.csv", b"Forename,Surname,Forename\nA,B,C\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:1:1: column \"Forename\" appears twice (columns 1 and 3); keep one"
        );
        let e = read_pupils("d.csv", b"Forename,Surname,first_name\nA,B,C\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:1:1: columns \"Forename\" and \"first_name\" both give the forename; keep one"
        );
        // Columns that are ignored may repeat.
        assert!(read_pupils("ok.csv", b"Forename,Surname,ID,Id\nA,B,1,2\n").is_ok());
    }

    #[test]
    fn a_header_with_no_rows_is_an_error() {
        for (name, bytes) in [
            ("pupils.csv", &b"Legal Forename,Legal Surname\n"[..]),
            ("pupils.csv", &b"Legal Forename,Legal Surname"[..]),
        ] {
            let e = read_pupils(name, bytes).unwrap_err();
            assert_eq!(
                e.to_string(),
                "pupils.csv:1:1: the file has a header but no rows: nothing to read"
            );
        }
        assert!(read_staff("s.csv", b"Title,Forename,Surname\r\n").is_err());
        assert!(read_schools("g.csv", b"URN,name\n", &[]).is_err());
        // Rows, but none with names: an error too, naming the first and why.
        let e = read_pupils("p.csv", b"Forename,Surname\n,Jones\nAmy,\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.csv:2:1: no pupil could be read: all 2 rows were skipped (this one: no forename or no surname)"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted_in_every_input() {
        let r = read_pupils("bom.csv", b"\xEF\xBB\xBFForename,Surname\nAmy,Jones\n").unwrap();
        assert_eq!(r.items[0].forename, "Amy");
        let r = read_staff(
            "bom.csv",
            b"\xEF\xBB\xBFTitle,Forename,Surname\nMrs,H,Okafor\n",
        )
        .unwrap();
        assert_eq!(r.items[0].surname, "Okafor");
        let r = read_schools("bom.csv", b"\xEF\xBB\xBFURN,name\n1,St Anne's\n", &[]).unwrap();
        assert_eq!(r.items[0].urn.as_deref(), Some("1"));
        let t = TermsFile::from_json("t.json", "\u{FEFF}{\"allow\": [\"x\"]}").unwrap();
        assert_eq!(t.allow, vec!["x"]);
    }
}
