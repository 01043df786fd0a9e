//! What can go wrong with the history database, as one error type: the
//! SQLite errors underneath, and the history's own refusals (a newer
//! schema, a run already complete, an override that is neither pass nor
//! fail).

use std::path::PathBuf;

/// An error of the history database.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The database's directory could not be created.
    #[error("cannot create {}", .path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be opened, set up or migrated.
    #[error("cannot open the history database {}", .path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<HistoryError>,
    },
    /// SQLite would not switch the database to a WAL journal.
    #[error("the history database {} cannot use a WAL journal (got {mode})", .path.display())]
    NoWal {
        /// The database file.
        path: PathBuf,
        /// The journal mode SQLite kept.
        mode: String,
    },
    /// The database was written by a newer govcheck.
    #[error(
        "the history database has schema version {found}, newer than this \
         govcheck understands (version {latest}); upgrade govcheck or use \
         another --db"
    )]
    NewerSchema {
        /// The database's schema version.
        found: u32,
        /// The newest version this build knows.
        latest: u32,
    },
    /// A schema migration failed (and was rolled back).
    #[error("history schema migration {number} failed")]
    Migration {
        /// The migration's number, 1-based.
        number: u32,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// A run directory whose run is complete cannot be begun again.
    #[error("run {0} is already complete")]
    RunComplete(String),
    /// No run has this id.
    #[error("no run {0} in the history")]
    NoSuchRun(i64),
    /// A site could not be recorded in a run.
    #[error("cannot record {county} in run {run_id}")]
    RecordSite {
        /// The county.
        county: String,
        /// The run's id.
        run_id: i64,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// A finding could not be recorded.
    #[error("cannot record item {item} ({status}) of {county}")]
    RecordFinding {
        /// The rubric item.
        item: String,
        /// Its status as given.
        status: String,
        /// The county.
        county: String,
        /// Why (boxed: the other fields make this variant the largest).
        #[source]
        source: Box<rusqlite::Error>,
    },
    /// An override's status must be `pass` or `fail`.
    #[error("an override is pass or fail, not {0:?}")]
    OverrideStatus(String),
    /// Any other SQLite error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// A history result.
pub type Result<T, E = HistoryError> = std::result::Result<T, E>;
