//! The schools of a register file with their trusts, listed so that a person can choose
//! a trust or schools before building.

use super::InputFile;
use crate::error::PackError;
use crate::import;

/// A school of the register, as a page lists it to choose from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterSchool {
    /// The school's URN, if the register has one.
    pub urn: Option<String>,
    /// The school's name.
    pub name: String,
    /// The trust it belongs to (the register's `Trusts (name)`, `Trust` or `Trust name`
    /// column), if any.
    pub trust: Option<String>,
}

/// The schools of a register file, with their trusts, in file order, so that a person
/// can choose a trust by name or schools by URN before building. Rows without a name
/// are left out (the build reports them).
///
/// # Errors
/// As [`import::read_schools`]: the file, line and reason.
pub fn register_schools(file: &InputFile) -> Result<Vec<RegisterSchool>, PackError> {
    let schools = import::read_schools(&file.name, &file.bytes, &[])?.items;
    // The trust column, by URN: read_schools has checked the file already.
    let text = import::decode(&file.name, &file.bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let key = |h: &str| -> String {
        h.chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let headers = rdr
        .headers()
        .map(|h| h.iter().map(key).collect::<Vec<_>>())
        .unwrap_or_default();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| key(n) == *h))
    };
    let (urn_col, trust_col) = (
        col(&["URN"]),
        col(&["Trusts (name)", "Trust", "Trust name"]),
    );
    let mut trusts = std::collections::HashMap::new();
    if let (Some(u), Some(t)) = (urn_col, trust_col) {
        for row in rdr.records().flatten() {
            if let (Some(urn), Some(trust)) = (row.get(u), row.get(t)) {
                if !urn.is_empty() && !trust.is_empty() {
                    trusts.insert(urn.to_string(), trust.to_string());
                }
            }
        }
    }
    Ok(schools
        .into_iter()
        .map(|s| RegisterSchool {
            trust: s.urn.as_ref().and_then(|u| trusts.get(u).cloned()),
            urn: s.urn,
            name: s.name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_lists_schools_with_their_trusts() {
        let f = InputFile::new(
            "gias.csv",
            b"URN,EstablishmentName,Trusts (name)\n1,A School,Big Trust\n2,B School,\n".to_vec(),
        );
        let r = register_schools(&f).unwrap();
        assert_eq!(r[0].trust.as_deref(), Some("Big Trust"));
        assert_eq!(
            (r[1].name.as_str(), r[1].trust.as_deref()),
            ("B School", None)
        );
    }
}
