//! A look at the history database without changing it, for
//! `govcheck doctor`: is there one, does it open, which schema does it
//! carry. Opening it for a run would migrate it; this only reads.

use super::error::Result;
use super::schema::LATEST;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// What the database file at a path holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbState {
    /// No file yet: the first run creates it.
    Absent,
    /// The schema this govcheck writes, with how many runs it records.
    Current {
        /// Runs recorded.
        runs: u64,
    },
    /// An older schema, brought up to date by the next run.
    Older {
        /// The file's schema version.
        found: u32,
        /// The version this govcheck writes.
        latest: u32,
    },
    /// A newer govcheck wrote it: this one refuses it.
    Newer {
        /// The file's schema version.
        found: u32,
        /// The version this govcheck writes.
        latest: u32,
    },
}

/// Read the database at `path` without creating or migrating it. A file
/// that is not an SQLite database, or cannot be read, is an error.
pub fn inspect(path: &Path) -> Result<DbState> {
    if !path.exists() {
        return Ok(DbState::Absent);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // Reading the schema table proves the file is a database at all.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(if found > LATEST {
        DbState::Newer {
            found,
            latest: LATEST,
        }
    } else if found < LATEST {
        DbState::Older {
            found,
            latest: LATEST,
        }
    } else {
        DbState::Current {
            runs: conn.query_row("SELECT count(*) FROM runs", [], |r| r.get(0))?,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::History;

    #[test]
    fn absent_current_and_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.sqlite");
        assert_eq!(inspect(&db).unwrap(), DbState::Absent);
        assert!(!db.exists(), "inspecting creates nothing");
        drop(History::open(&db).unwrap());
        assert_eq!(inspect(&db).unwrap(), DbState::Current { runs: 0 });
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, "not a database, just some text long enough").unwrap();
        assert!(inspect(&junk).is_err());
    }
}
