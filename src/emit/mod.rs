//! The run's outputs for people: `matrix.csv`, `scores.csv`, `report.html`,
//! and the exports of a finished run (CSV, XLSX, JSON).
//!
//! Each table or page is one module that turns the [`ScoredRun`] into
//! bytes; nothing here scores or decides anything. `run` writes the bytes
//! into the run directory (atomically, with `util::write_atomic`) and
//! lists them in `run.json`. The CSV and XLSX rules for Excel users live in
//! `excel`.
//!
//! [`ScoredRun`]: crate::score::ScoredRun

mod error;
mod excel;
pub mod export;
pub mod matrix;
pub mod report;
pub mod scores;

pub use error::EmitError;
pub use excel::excel_safe;
pub use matrix::{matrix_csv, MATRIX_COLUMNS};
pub use scores::scores_csv;
