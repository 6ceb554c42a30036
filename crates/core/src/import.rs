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
//!
//! The readers, each in a room of its own: `import/table.rs` decodes a CSV file and
//! maps its headers to columns (where every refusal above is made), `schools.rs` reads
//! the register, `roster.rs` pupils and staff, `terms.rs` the terms file.

mod roster;
mod schools;
mod table;
mod terms;

pub use roster::{read_pupils, read_staff};
pub use schools::{read_schools, read_schools_of};
pub use table::decode;
pub use terms::TermsFile;

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

#[cfg(test)]
mod tests {
    use super::*;

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
