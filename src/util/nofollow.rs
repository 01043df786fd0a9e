//! Files and folders inside a run directory, opened without following a
//! link someone planted there.
//!
//! A run directory may be shared or reused: a `pages.jsonl` that is a
//! symbolic link to `~/.bashrc`, or an `archive` folder that links to
//! `/etc`, must not make govcheck write through it. Files are opened with
//! `O_NOFOLLOW` (the open fails on a link), folders are checked after they
//! are made. Whole-file writes go through [`super::write_atomic`], whose
//! rename replaces a link rather than following it.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// `options` with `O_NOFOLLOW` where the system has it.
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// Create `path` (emptying an existing regular file); fails if `path` is
/// a symbolic link.
pub fn create_file(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().write(true).create(true).truncate(true)).open(path)
}

/// Open an existing `path` for writing in place (to cut it back); fails if
/// `path` is a symbolic link.
pub fn open_for_writing(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().write(true)).open(path)
}

/// Open or create `path` without emptying it (a lock file); fails if
/// `path` is a symbolic link.
pub fn open_or_create(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().write(true).create(true).truncate(false)).open(path)
}

/// Make the folder `path` (and its parents) and check that `path` itself
/// is a real folder, not a link to one elsewhere.
pub fn create_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir_all(path)?;
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other(format!(
            "{} is a symbolic link; govcheck writes only into real folders of the run directory",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn planted_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim.txt");
        std::fs::write(&target, "precious").unwrap();
        let link = dir.path().join("pages.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(create_file(&link).is_err());
        assert!(open_for_writing(&link).is_err());
        assert!(open_or_create(&link).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");

        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let linked_dir = dir.path().join("archive");
        std::os::unix::fs::symlink(&elsewhere, &linked_dir).unwrap();
        assert!(create_dir(&linked_dir).is_err());
        assert!(create_dir(&dir.path().join("snapshots")).is_ok());

        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "old").unwrap();
        create_file(&plain).unwrap();
        assert_eq!(std::fs::read(&plain).unwrap(), b"");
    }
}
