//! What `--out` holds before a run starts, and what the run may do with it.
//!
//! A govcheck run directory is recognised by the lock file every run
//! creates first (`.govcheck.lock`, left behind by an interrupted run) or
//! by the `run.json` a finished run writes last. Anything else that is not
//! empty belongs to someone else and is refused, so a mistyped `--out`
//! never mixes a run into a user's folder. A finished run is evidence: it
//! is replaced only with `--force`, and then deleted whole first. The
//! history database may live in the run directory (`--db OUT/h.db`, as the
//! benchmark runs it): its files are the run's own, neither refused nor
//! deleted.

use super::error::RunError;
use super::lock::LOCK_FILE;
use super::outputs::RUN_JSON;
use std::path::Path;

/// What the run directory held when the run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// Nothing: no directory, or an empty one. A run the history still
    /// records for this path has lost its files.
    Nothing,
    /// An unfinished govcheck run (interrupted, killed, or failed).
    Unfinished,
    /// A finished run (`run.json`).
    Finished,
}

/// Look at `dir` before the run touches it; refuse a path that is not a
/// directory, or a directory with files that are not a govcheck run's.
pub(super) fn inspect(dir: &Path, db: &Path) -> Result<Found, RunError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(_) if !dir.exists() => return Ok(Found::Nothing),
        Err(_) if !dir.is_dir() => {
            return Err(RunError::OutNotADir {
                path: dir.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(RunError::RunDir {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let history = HistoryFiles::of(dir, db);
    let others = entries
        .filter_map(Result::ok)
        .filter(|entry| !history.holds(&entry.file_name()))
        .count();
    if others == 0 {
        Ok(Found::Nothing)
    } else if dir.join(RUN_JSON).exists() {
        Ok(Found::Finished)
    } else if dir.join(LOCK_FILE).exists() {
        Ok(Found::Unfinished)
    } else {
        Err(RunError::NotARunDir {
            path: dir.to_path_buf(),
        })
    }
}

/// The history database's files (`h.db`, `h.db-wal`, `h.db.lock`, …)
/// when the database lives in the run directory itself.
struct HistoryFiles(Option<std::ffi::OsString>);

impl HistoryFiles {
    fn of(dir: &Path, db: &Path) -> HistoryFiles {
        let parent = match db.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let same_dir = matches!(
            (std::fs::canonicalize(parent), std::fs::canonicalize(dir)),
            (Ok(a), Ok(b)) if a == b
        );
        HistoryFiles(
            same_dir
                .then(|| db.file_name().map(|n| n.to_owned()))
                .flatten(),
        )
    }

    fn holds(&self, name: &std::ffi::OsStr) -> bool {
        let (Some(db), Some(name)) = (self.0.as_ref().and_then(|d| d.to_str()), name.to_str())
        else {
            return false;
        };
        name.strip_prefix(db)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '.']))
    }
}

/// `--force` on a finished run: delete everything in `dir` but the lock
/// file, which this run holds.
pub(super) fn clear(dir: &Path, db: &Path) -> Result<(), RunError> {
    let history = HistoryFiles::of(dir, db);
    let cannot = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| RunError::ClearRunDir { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(cannot(dir))? {
        let path = entry.map_err(cannot(dir))?.path();
        if path
            .file_name()
            .is_some_and(|n| n == LOCK_FILE || history.holds(n))
        {
            continue;
        }
        // A planted link is removed, never followed.
        let is_dir = std::fs::symlink_metadata(&path)
            .map(|m| m.is_dir())
            .map_err(cannot(&path))?;
        if is_dir {
            std::fs::remove_dir_all(&path).map_err(cannot(&path))?;
        } else {
            std::fs::remove_file(&path).map_err(cannot(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_new_unfinished_finished_and_foreign_directories_apart() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let db = dir.path().join("history.db");
        assert_eq!(inspect(&out, &db).unwrap(), Found::Nothing);
        std::fs::create_dir(&out).unwrap();
        assert_eq!(inspect(&out, &db).unwrap(), Found::Nothing);
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = inspect(&out, &db).unwrap_err().to_string();
        assert!(err.contains("not a govcheck run directory"), "{err}");
        std::fs::write(out.join(LOCK_FILE), "").unwrap();
        assert_eq!(inspect(&out, &db).unwrap(), Found::Unfinished);
        std::fs::write(out.join(RUN_JSON), "{}").unwrap();
        assert_eq!(inspect(&out, &db).unwrap(), Found::Finished);
        assert!(inspect(&out.join(RUN_JSON), &db).is_err());
    }

    #[test]
    fn the_history_database_in_the_run_directory_is_the_runs_own() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.db");
        for name in ["h.db", "h.db-wal", "h.db.lock"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(inspect(dir.path(), &db).unwrap(), Found::Nothing);
        std::fs::write(dir.path().join("h.dbx"), "").unwrap();
        assert!(inspect(dir.path(), &db).is_err(), "another file");
        std::fs::remove_file(dir.path().join("h.dbx")).unwrap();
        std::fs::write(dir.path().join(RUN_JSON), "{}").unwrap();
        clear(dir.path(), &db).unwrap();
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["h.db", "h.db-wal", "h.db.lock"]);
    }

    #[test]
    fn clearing_keeps_the_lock_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "").unwrap();
        std::fs::write(dir.path().join(RUN_JSON), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join("archive/x")).unwrap();
        clear(dir.path(), Path::new("/elsewhere/h.db")).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from(LOCK_FILE)]);
    }
}
