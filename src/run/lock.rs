//! One run per run directory, and one per history database, at a time: an
//! advisory lock held for the whole run. The operating system drops it when
//! the process ends, even by SIGKILL, so a killed run never leaves a stale
//! lock behind.

use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

pub const LOCK_FILE: &str = ".govcheck.lock";

pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Lock a run directory.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        RunLock::acquire_file(
            &dir.join(LOCK_FILE),
            &format!("{} (choose another --out)", dir.display()),
        )
    }

    /// Lock the history database at `db` (through `<db>.lock`).
    pub fn acquire_db(db: &Path) -> Result<RunLock> {
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

    fn acquire_file(path: &Path, what: &str) -> Result<RunLock> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "another govcheck run is using {what}: lock {} is held; wait for it to finish",
                path.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
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
