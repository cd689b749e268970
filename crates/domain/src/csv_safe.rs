//! CSV export cells that a spreadsheet would run as a formula (OWASP "CSV injection"): a
//! user-supplied text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
//! leading `'`. Only for text the users supplied; numbers the product formats itself (which
//! may be negative) are written as they are.

use std::borrow::Cow;

/// The characters that make a spreadsheet treat a cell as a formula.
pub const DANGEROUS_FIRST: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(DANGEROUS_FIRST) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prefixes_only_dangerous_cells() {
        for cell in ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"x\")"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        for cell in ["", "alice", " =1", "'=1", "1-2", "a@b.c", "\n=1"] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    fn round_trip(cells: &[String]) -> Vec<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(cells.iter().map(|c| neutralise(c).into_owned())).unwrap();
        let bytes = writer.into_inner().unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        record.iter().map(str::to_string).collect()
    }

    proptest! {
        #[test]
        fn cells_read_back_as_written_or_prefixed(
            cells in prop::collection::vec("([=+\\-@\t\r\"',;\n a-z]|\\PC){0,12}", 1..6),
        ) {
            // A lone empty field is written as an empty line, which readers skip.
            prop_assume!(!(cells.len() == 1 && cells[0].is_empty()));
            let back = round_trip(&cells);
            prop_assert_eq!(back.len(), cells.len());
            for (original, read) in cells.iter().zip(&back) {
                if original.starts_with(DANGEROUS_FIRST) {
                    prop_assert_eq!(read, &format!("'{original}"));
                } else {
                    prop_assert_eq!(read, original);
                }
                prop_assert!(!read.starts_with(DANGEROUS_FIRST));
            }
        }
    }
}
