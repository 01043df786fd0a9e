//! CSV as Excel users in China need it: UTF-8 with a BOM, CRLF line ends,
//! and cells that would start a formula neutralised.

use super::EmitError;

/// A cell Excel would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets
/// a leading apostrophe.
pub fn excel_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
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
