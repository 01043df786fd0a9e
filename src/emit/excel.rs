//! CSV as Excel users in China need it: UTF-8 with a BOM, CRLF line ends,
//! and cells that would start a formula neutralised.

use super::EmitError;

/// A cell Excel would read as a formula gets a leading apostrophe: one
/// that starts with `=`, `+`, `-`, `@`, tab or CR, or their full-width
/// forms (＝＋－＠, which Excel folds to ASCII), also behind invisible
/// characters (a zero-width space, a BOM). Control characters are dropped.
pub fn excel_safe(cell: &str) -> String {
    let cell = crate::util::without_controls(cell);
    let invisible = |c: char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}');
    match cell.trim_start_matches(invisible).chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{cell}")
        }
        _ => cell.into_owned(),
    }
}

/// A CSV writer into `buffer`, which gets the BOM first.
pub(super) fn excel_writer(buffer: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    buffer.extend_from_slice("\u{feff}".as_bytes());
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(buffer)
}

/// Writes one row, every cell made [`excel_safe`].
pub(super) fn write_row<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    cells: &[String],
) -> Result<(), EmitError> {
    w.write_record(cells.iter().map(|c| excel_safe(c)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_every_disguise() {
        for cell in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "＝1+1",
            "＋1",
            "\u{200b}=1+1",
            "\u{feff}-2",
        ] {
            assert!(excel_safe(cell).starts_with('\''), "{cell}");
        }
        assert_eq!(excel_safe("北安市"), "北安市");
        assert_eq!(excel_safe("标题\u{1b}[2J"), "标题[2J");
    }
}
