//! What stops a run before it starts: a run directory that cannot be made,
//! or a run directory or history database another run holds.

use std::path::PathBuf;

/// A run that cannot start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The run directory could not be created.
    #[error("cannot create run directory {}", .path.display())]
    RunDir {
        /// The run directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The directory of a lock file could not be created.
    #[error("cannot create {}", .path.display())]
    LockDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The lock file could not be opened.
    #[error("cannot open the lock file {}", .path.display())]
    LockFile {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another govcheck run holds the lock.
    #[error("another govcheck run is using {what}: lock {} is held; wait for it to finish", .path.display())]
    Busy {
        /// What the lock guards, with the way out (`--out`, `--db`).
        what: String,
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be locked.
    #[error("cannot lock {}", .path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}
