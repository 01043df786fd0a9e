//! `govcheck export`: the evidence matrix of a finished run, for whoever
//! assembles the scores — CSV for Excel, XLSX with coloured statuses and
//! hyperlinks, or JSON for scripts.
//!
//! It reads the run directory's `matrix.csv` and `scores.csv` (the run's
//! record of truth) rather than recomputing anything.

use super::excel::{excel_writer, write_row};
use super::{EmitError, MATRIX_COLUMNS};
use crate::util::write_atomic;
use rust_xlsxwriter::{Color, Format, Url as XlsxUrl, Workbook};
use std::path::{Path, PathBuf};

/// What `govcheck export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The matrix as CSV for Excel.
    Csv,
    /// A workbook: the matrix with coloured statuses and links, the
    /// scores, and run.json.
    Xlsx,
    /// The matrix as a JSON array of objects, for scripts.
    Json,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }
}

/// A CSV table read back: header and rows (BOM removed, neutralising
/// apostrophes kept as written).
pub struct Table {
    /// The header line's cells.
    pub header: Vec<String>,
    /// Every other line's cells.
    pub rows: Vec<Vec<String>>,
}

/// Reads a CSV table govcheck wrote.
pub fn read_table(path: &Path) -> Result<Table, EmitError> {
    let shown = || path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| EmitError::Read {
        path: shown(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|source| EmitError::NotUtf8 {
        path: shown(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|source| EmitError::NoHeader {
            path: shown(),
            source,
        })?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|source| EmitError::BadLine {
            path: shown(),
            line: i + 2,
            source,
        })?;
        rows.push(record.iter().map(String::from).collect());
    }
    Ok(Table { header, rows })
}

/// Export the run in `run_dir`; returns the file written.
pub fn export(
    run_dir: &Path,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> Result<PathBuf, EmitError> {
    let matrix = read_table(&run_dir.join("matrix.csv"))?;
    for (i, column) in MATRIX_COLUMNS.iter().enumerate() {
        if matrix.header.get(i).map(String::as_str) != Some(column) {
            return Err(EmitError::NotARunDirectory {
                path: run_dir.join("matrix.csv").display().to_string(),
                column: i + 1,
                expected: column,
            });
        }
    }
    let default = run_dir.join(format!("export.{}", format.extension()));
    if let Some(asked) = &output {
        if asked != &default && overwrites_run_file(run_dir, asked) {
            return Err(EmitError::OutputIsEvidence {
                path: asked.display().to_string(),
            });
        }
    }
    let output = output.unwrap_or(default);
    let bytes = match format {
        ExportFormat::Csv => csv_bytes(&matrix)?,
        ExportFormat::Json => json_bytes(&matrix)?,
        ExportFormat::Xlsx => {
            let scores = read_table(&run_dir.join("scores.csv"))?;
            let run = std::fs::read_to_string(run_dir.join("run.json")).unwrap_or_default();
            xlsx_bytes(&matrix, &scores, &run)?
        }
    };
    write_atomic(&output, &bytes)?;
    Ok(output)
}

fn csv_bytes(matrix: &Table) -> Result<Vec<u8>, EmitError> {
    let mut buffer = Vec::new();
    {
        let mut w = excel_writer(&mut buffer);
        w.write_record(&matrix.header)?;
        for row in &matrix.rows {
            write_row(&mut w, row)?;
        }
        w.flush()?;
    }
    Ok(buffer)
}

fn json_bytes(matrix: &Table) -> Result<Vec<u8>, EmitError> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = matrix
        .rows
        .iter()
        .map(|row| {
            matrix
                .header
                .iter()
                .zip(row)
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect();
    Ok(serde_json::to_vec_pretty(&rows)?)
}

fn xlsx_bytes(matrix: &Table, scores: &Table, run_json: &str) -> Result<Vec<u8>, EmitError> {
    let mut book = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF0F0F0));
    let status_format = |status: &str| match status {
        "pass" => Format::new().set_background_color(Color::RGB(0xD8F0D8)),
        "fail" => Format::new().set_background_color(Color::RGB(0xF6D5D5)),
        _ => Format::new().set_background_color(Color::RGB(0xFBEEC2)),
    };
    let sheet = book.add_worksheet().set_name("matrix")?;
    for (c, name) in matrix.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &bold)?;
    }
    let status_col = matrix.header.iter().position(|h| h == "status");
    let link_cols: Vec<usize> = ["evidence_url", "evidence_file"]
        .iter()
        .filter_map(|n| matrix.header.iter().position(|h| h == n))
        .collect();
    for (r, row) in matrix.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            if Some(c) == status_col {
                sheet.write_string_with_format(r, col, cell, &status_format(cell))?;
            } else if link_cols.contains(&c)
                && !cell.is_empty()
                && is_linkable(cell)
                && cell.len() <= MAX_EXCEL_URL
            {
                let target = if cell.starts_with("http") {
                    cell.clone()
                } else {
                    format!("file:///{cell}")
                };
                sheet.write_url_with_text(r, col, XlsxUrl::new(target), cell)?;
            } else {
                // Strings stay strings: nothing in a cell is evaluated.
                sheet.write_string(r, col, cell)?;
            }
        }
    }
    sheet.autofilter(
        0,
        0,
        matrix.rows.len() as u32,
        matrix.header.len().saturating_sub(1) as u16,
    )?;
    sheet.set_freeze_panes(1, 0)?;
    let sheet = book.add_worksheet().set_name("scores")?;
    for (c, name) in scores.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &bold)?;
    }
    for (r, row) in scores.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if c >= 2 => sheet.write_number((r + 1) as u32, c as u16, n)?,
                _ => sheet.write_string((r + 1) as u32, c as u16, cell)?,
            };
        }
    }
    let sheet = book.add_worksheet().set_name("run")?;
    sheet.write_string_with_format(0, 0, "run.json", &bold)?;
    for (r, line) in run_json.lines().enumerate() {
        sheet.write_string((r + 1) as u32, 0, line)?;
    }
    Ok(book.save_to_buffer()?)
}

/// `path` is an existing file of the run directory (run.json, the matrix,
/// a snapshot, a WARC): overwriting it would destroy what `verify` checks.
fn overwrites_run_file(run_dir: &Path, path: &Path) -> bool {
    let (Ok(run), Ok(target)) = (run_dir.canonicalize(), path.canonicalize()) else {
        return false;
    };
    target.starts_with(run) && target.is_file()
}

/// The longest link Excel accepts (2,083 characters, counted here in bytes
/// to stay safe): a longer evidence URL is written as plain text.
const MAX_EXCEL_URL: usize = 2000;

/// Web links and relative snapshot paths; nothing else becomes a hyperlink.
fn is_linkable(cell: &str) -> bool {
    cell.starts_with("http://")
        || cell.starts_with("https://")
        || !cell.contains(':') && !cell.starts_with('\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let matrix = format!(
            "\u{feff}{}\r\n北安市,http://127.0.0.1/,9,政务公开年度报告,pass,4,4,found: x,http://127.0.0.1/a.html,snapshots/ab.html,00,2023-01-18,2026-11-28T00:00:00Z,,,,,,\r\n北安市,http://127.0.0.1/,3,法治政府报告制度,fail,0,4,'=cmd,,,,,,,,,,,\r\n",
            MATRIX_COLUMNS.join(",")
        );
        std::fs::write(dir.path().join("matrix.csv"), matrix).unwrap();
        std::fs::write(
            dir.path().join("scores.csv"),
            "\u{feff}county,url,item_3,total\r\n北安市,http://127.0.0.1/,0,4\r\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("run.json"), "{}").unwrap();
        dir
    }

    #[test]
    fn csv_json_and_xlsx() {
        let dir = run_dir();
        let csv = export(dir.path(), ExportFormat::Csv, None).unwrap();
        let text = std::fs::read_to_string(csv).unwrap();
        assert!(text.starts_with('\u{feff}') && text.contains("\r\n") && text.contains("北安市"));
        assert!(text.contains("'=cmd") && !text.contains(",=cmd"));
        let json = export(dir.path(), ExportFormat::Json, None).unwrap();
        let rows: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["status"], "pass");
        let xlsx = export(
            dir.path(),
            ExportFormat::Xlsx,
            Some(dir.path().join("m.xlsx")),
        )
        .unwrap();
        let bytes = std::fs::read(xlsx).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }

    #[test]
    fn an_evidence_url_longer_than_excel_takes_is_plain_text() {
        let dir = run_dir();
        let long = format!("http://127.0.0.1/a.html?q={}", "x".repeat(3000));
        let matrix = std::fs::read_to_string(dir.path().join("matrix.csv"))
            .unwrap()
            .replace("http://127.0.0.1/a.html", &long);
        std::fs::write(dir.path().join("matrix.csv"), matrix).unwrap();
        let xlsx = export(
            dir.path(),
            ExportFormat::Xlsx,
            Some(dir.path().join("m.xlsx")),
        );
        assert!(xlsx.is_ok(), "{xlsx:?}");
    }

    #[test]
    fn an_export_never_overwrites_the_run() {
        let dir = run_dir();
        for victim in ["run.json", "matrix.csv"] {
            let before = std::fs::read(dir.path().join(victim)).unwrap();
            let err = export(
                dir.path(),
                ExportFormat::Json,
                Some(dir.path().join(victim)),
            );
            assert!(
                matches!(err, Err(EmitError::OutputIsEvidence { .. })),
                "{err:?}"
            );
            assert_eq!(std::fs::read(dir.path().join(victim)).unwrap(), before);
        }
        // The default export and a new file beside the run are fine.
        assert!(export(dir.path(), ExportFormat::Json, None).is_ok());
        assert!(export(dir.path(), ExportFormat::Json, None).is_ok());
    }

    #[test]
    fn not_a_run_directory() {
        let dir = tempfile::tempdir().unwrap();
        let err = export(dir.path(), ExportFormat::Csv, None).unwrap_err();
        assert!(format!("{err:#}").contains("matrix.csv"));
    }
}
