//! `govcheck init [DIR]`: the embedded campaign and rubric written out as
//! files to edit (a new county list, a new year), at the paths they have in
//! the repository, so `--targets` and `--rubric` can name the edited copies.
//! Existing files are kept unless `--force`: an edited rubric is work.

use crate::campaign::{DEFAULT_CAMPAIGN, DEFAULT_TARGETS_FILE};
use crate::rubric::{DEFAULT_RUBRIC, DEFAULT_RUBRIC_FILE};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Write both files into `dir`; refuse, writing nothing, when either
/// exists and `force` is not set. Returns the files written.
pub fn write_defaults(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let files = [
        (dir.join(DEFAULT_TARGETS_FILE), DEFAULT_CAMPAIGN),
        (dir.join(DEFAULT_RUBRIC_FILE), DEFAULT_RUBRIC),
    ];
    if !force {
        let existing: Vec<String> = files
            .iter()
            .filter(|(path, _)| path.exists())
            .map(|(path, _)| path.display().to_string())
            .collect();
        if !existing.is_empty() {
            bail!(
                "{} already exist(s); nothing written (--force overwrites)",
                existing.join(" and ")
            );
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::util::write_atomic(path, text.as_bytes())?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// `govcheck init`: write the files and say how to use them.
pub fn init(dir: &Path, force: bool) -> Result<i32> {
    let written = write_defaults(dir, force)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "edit them, then: govcheck crawl --targets {} --rubric {}",
        written[0].display(),
        written[1].display()
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_files_and_keeps_them_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_defaults(dir.path(), false).unwrap();
        assert_eq!(
            std::fs::read_to_string(&written[0]).unwrap(),
            DEFAULT_CAMPAIGN
        );
        assert_eq!(
            std::fs::read_to_string(&written[1]).unwrap(),
            DEFAULT_RUBRIC
        );
        std::fs::write(&written[1], "edited").unwrap();
        let err = write_defaults(dir.path(), false).unwrap_err().to_string();
        assert!(err.contains("already exist"), "{err}");
        assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), "edited");
        write_defaults(dir.path(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&written[1]).unwrap(),
            DEFAULT_RUBRIC
        );
    }
}
