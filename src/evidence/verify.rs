//! `govcheck verify DIR`: prove a run directory is as govcheck wrote it.
//!
//! Every file listed in run.json's manifest is re-hashed, and every WARC
//! record's block and payload digests are recomputed. A revisit record (a
//! recheck's 304 Not Modified) must lead to the earlier run's capture it
//! names, intact, so that run directory has to travel with this one. A county disputing a
//! verdict, or an auditor questioning one, can run this on the copy they
//! were given.

use super::{check_digests, each_record, follow_revisit, ARCHIVE_DIR};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// A file's length and sha256 (lowercase hex), read in 64 KiB pieces: a
/// run's archive files reach 1 GB each and are never held whole.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                len += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((len, hex::encode(hasher.finalize())))
}

/// The run directory could not be checked at all (as opposed to a check
/// that found problems).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// run.json is missing or unreadable.
    #[error("cannot read {path}: {cause}")]
    ReadManifest {
        /// run.json's path.
        path: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// run.json is not JSON.
    #[error("{path} is not valid JSON: {cause}")]
    BadJson {
        /// run.json's path.
        path: String,
        /// What the parser said.
        cause: serde_json::Error,
    },
    /// run.json has no `files` list.
    #[error("{path} has no file manifest (`files`)")]
    NoManifest {
        /// run.json's path.
        path: String,
    },
    /// The archive directory could not be listed.
    #[error(transparent)]
    ListArchive(#[from] std::io::Error),
}

/// What `govcheck verify` found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Manifest entries whose file was re-hashed.
    pub files_checked: usize,
    /// WARC records whose digests were recomputed.
    pub records_checked: usize,
    /// Every difference or unreadable part, one line each.
    pub problems: Vec<String>,
}

impl Verification {
    /// Nothing differed and everything could be read.
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The files of the run directory `dir` that its manifest covers, as
/// relative paths with `/`, sorted: every file but run.json (which cannot
/// list itself) and the top-level dot files (locks, temporary files of
/// atomic writes). The run writes the manifest from this list and `verify`
/// checks the directory against it.
pub fn run_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if relative != "run.json" && !relative.starts_with('.') {
                out.push(relative);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Files of the run directory its manifest does not list: a file added to
/// a run (a forged WARC, a snapshot with script) must not pass as
/// evidence. `govcheck export`'s default outputs are derived, not
/// evidence, and are left out.
fn files_not_listed(
    dir: &Path,
    listed: &std::collections::HashSet<String>,
) -> Result<Vec<String>, VerifyError> {
    Ok(run_files(dir)?
        .into_iter()
        .filter(|f| !matches!(f.as_str(), "export.csv" | "export.xlsx" | "export.json"))
        .filter(|f| !listed.contains(f))
        .collect())
}

/// Re-hashes every file in run.json's manifest and every WARC record of
/// the run directory `dir`.
pub fn verify(dir: &Path) -> Result<Verification, VerifyError> {
    let run_json = dir.join("run.json");
    let path = || run_json.display().to_string();
    let text = std::fs::read_to_string(&run_json).map_err(|cause| VerifyError::ReadManifest {
        path: path(),
        cause,
    })?;
    let run: serde_json::Value =
        serde_json::from_str(&text).map_err(|cause| VerifyError::BadJson {
            path: path(),
            cause,
        })?;
    let files = run
        .get("files")
        .and_then(|f| f.as_array())
        .ok_or_else(|| VerifyError::NoManifest { path: path() })?;
    let mut result = Verification::default();
    let mut listed = std::collections::HashSet::new();
    for entry in files {
        let (Some(path), Some(expected)) = (entry["path"].as_str(), entry["sha256"].as_str())
        else {
            result
                .problems
                .push(format!("manifest entry without path or sha256: {entry}"));
            continue;
        };
        if path.contains("..") || Path::new(path).is_absolute() {
            result
                .problems
                .push(format!("{path}: manifest path leaves the run directory"));
            continue;
        }
        result.files_checked += 1;
        listed.insert(path.to_string());
        match sha256_file(&dir.join(path)) {
            Ok((_, digest)) if digest == expected => {}
            Ok(_) => result
                .problems
                .push(format!("{path}: sha256 differs from the manifest")),
            Err(e) => result.problems.push(format!("{path}: cannot read ({e})")),
        }
    }
    for unlisted in files_not_listed(dir, &listed)? {
        result.problems.push(format!(
            "{unlisted}: not in the manifest (govcheck did not write it)"
        ));
    }
    let archive = dir.join(ARCHIVE_DIR);
    if archive.is_dir() {
        let mut warcs: Vec<_> = std::fs::read_dir(&archive)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
            .collect();
        warcs.sort();
        for path in warcs {
            let walked = each_record(&path, |record| {
                result.records_checked += 1;
                for problem in check_digests(&record) {
                    result
                        .problems
                        .push(format!("{}: {problem}", path.display()));
                }
                if record.header("WARC-Type") == Some("revisit") {
                    // A 304 rests on an earlier run's capture: it must
                    // still be there, intact.
                    if let Err(e) = follow_revisit(dir, &record) {
                        result.problems.push(format!("{}: {e:#}", path.display()));
                    }
                }
            });
            if let Err(e) = walked {
                result.problems.push(format!("{}: {e:#}", path.display()));
            }
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::warc::sha256_hex;

    #[test]
    fn a_changed_byte_is_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("matrix.csv"), "a,b\r\n").unwrap();
        let manifest = serde_json::json!({"files": [{"path": "matrix.csv", "sha256": sha256_hex(b"a,b\r\n")}]});
        std::fs::write(dir.path().join("run.json"), manifest.to_string()).unwrap();
        assert!(verify(dir.path()).unwrap().intact());
        std::fs::write(dir.path().join("matrix.csv"), "a,c\r\n").unwrap();
        let v = verify(dir.path()).unwrap();
        assert!(!v.intact());
        assert!(v.problems[0].contains("matrix.csv"));
    }

    #[test]
    fn no_manifest_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(verify(dir.path()).is_err());
    }
}
