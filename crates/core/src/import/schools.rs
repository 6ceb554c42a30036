//! The DfE register of schools (GIAS) and exports shaped like it: one school a row.
//! The refusals every reader shares are listed in the documentation of [`crate::import`].

use super::table::{read_table, Column};
use super::{Imported, Skipped};
use crate::error::PackError;
use crate::pack::School;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
