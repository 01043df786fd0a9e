//! Whole-file writes: a crash or a full disk never leaves half a file
//! where a finished one is expected.

use std::io::Write;
use std::path::Path;

/// Why a file could not be written; the path says which.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The temporary file beside the target could not be created.
    #[error("cannot create a temporary file in {dir}")]
    CreateTemp {
        /// The directory of the target.
        dir: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The bytes could not be written to the temporary file or synced.
    #[error("cannot write {path}")]
    Write {
        /// The target.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The finished temporary file could not be renamed over the target.
    #[error("cannot move the new file into place at {path}")]
    Persist {
        /// The target.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

/// Write `bytes` to `path` through a temporary file in the same directory,
/// synced and then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|source| WriteError::CreateTemp {
            dir: dir.display().to_string(),
            source,
        })?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|source| WriteError::Write {
            path: path.display().to_string(),
            source,
        })?;
    tmp.persist(path).map_err(|e| WriteError::Persist {
        path: path.display().to_string(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }
}
