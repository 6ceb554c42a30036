//! Pupil rosters exported from the MIS (SIMS, Arbor, plain) and staff lists: one
//! person a row. The refusals every reader shares are listed in the documentation of [`crate::import`].

use super::table::{read_table, Column};
use super::{Imported, Skipped};
use crate::error::PackError;
use crate::pack::{Pupil, StaffMember};

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
}
