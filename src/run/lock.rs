//! One run per run directory, and one per history database, at a time: an
//! advisory lock held for the whole run. The operating system drops it when
//! the process ends, even by SIGKILL, so a killed run never leaves a stale
//! lock behind.

use super::error::RunError;
use std::fs::{File, TryLockError};
use std::path::Path;

/// The lock file in a run directory.
pub const LOCK_FILE: &str = ".govcheck.lock";

/// A held lock; released when dropped (or when the process ends).
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Lock a run directory.
    pub fn acquire(dir: &Path) -> Result<RunLock, RunError> {
        RunLock::acquire_file(
            &dir.join(LOCK_FILE),
            &format!("{} (choose another --out)", dir.display()),
        )
    }

    /// Lock the history database at `db` (through `<db>.lock`).
    pub fn acquire_db(db: &Path) -> Result<RunLock, RunError> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        RunLock::acquire_file(
            Path::new(&name),
            &format!(
                "the history database {} (or use another --db)",
                db.display()
            ),
        )
    }

    fn acquire_file(path: &Path, what: &str) -> Result<RunLock, RunError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| RunError::LockDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let file =
            crate::util::nofollow::open_or_create(path).map_err(|source| RunError::LockFile {
                path: path.to_path_buf(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(RunError::Busy {
                what: what.to_string(),
                path: path.to_path_buf(),
            }),
            Err(TryLockError::Error(source)) => Err(RunError::Lock {
                path: path.to_path_buf(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_on_the_same_directory_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        let err = RunLock::acquire(dir.path()).err().unwrap().to_string();
        assert!(err.contains("another govcheck run"), "{err}");
        drop(first);
        assert!(RunLock::acquire(dir.path()).is_ok());
        let db = dir.path().join("h/govcheck.sqlite");
        let held = RunLock::acquire_db(&db).unwrap();
        assert!(RunLock::acquire_db(&db).is_err());
        drop(held);
    }
}
