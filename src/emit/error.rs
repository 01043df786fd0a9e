//! What can go wrong while emitting a table or exporting a run.

use crate::util::atomic::WriteError;

/// An output could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Writing a CSV record failed.
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// Flushing a buffer failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Serialising JSON failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// Building the XLSX workbook failed.
    #[error(transparent)]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The finished file could not be put in place.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// `--output` names a file the run wrote: exporting over it would
    /// destroy evidence.
    #[error("{path} is part of the run directory; choose another --output (the default is export.<format> beside matrix.csv)")]
    OutputIsEvidence {
        /// The output asked for.
        path: String,
    },
    /// A run directory's table could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The table's path.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A run directory's table is not UTF-8.
    #[error("{path} is not UTF-8")]
    NotUtf8 {
        /// The table's path.
        path: String,
        /// Where the bytes went wrong.
        #[source]
        source: std::string::FromUtf8Error,
    },
    /// A run directory's table has no header line.
    #[error("{path}: no header line")]
    NoHeader {
        /// The table's path.
        path: String,
        /// What the CSV reader said.
        #[source]
        source: csv::Error,
    },
    /// A line of a run directory's table is not CSV of the header's width.
    #[error("{path}: line {line}")]
    BadLine {
        /// The table's path.
        path: String,
        /// The line number, counting the header as 1.
        line: usize,
        /// What the CSV reader said.
        #[source]
        source: csv::Error,
    },
    /// `matrix.csv` does not have govcheck's columns.
    #[error("{path}: column {column} should be `{expected}`; is this a govcheck run directory?")]
    NotARunDirectory {
        /// The matrix's path.
        path: String,
        /// The first column that differs, counting from 1.
        column: usize,
        /// The column govcheck writes there.
        expected: &'static str,
    },
}
