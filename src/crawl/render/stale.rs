//! Profiles of rendering browsers whose run was killed.
//!
//! Each run's Chromium gets a throwaway profile directory,
//! `govcheck-render-*` in the temporary directory, removed when the
//! renderer shuts down. A run killed outright (SIGKILL, an out-of-memory
//! kill, a power cut) cannot remove it, and a scheduled campaign would
//! leave one behind per killed run. The next run's browser sweeps them
//! away: a profile is stale when the Chromium that locked it is gone, or,
//! never locked, when it is an hour old. Only this user's directories are
//! touched, and a symbolic link is never followed.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The prefix of a renderer's profile directory.
pub(super) const PROFILE_PREFIX: &str = "govcheck-render-";
/// A profile no Chromium ever locked is stale after this long.
const UNLOCKED_STALE_AFTER: Duration = Duration::from_secs(3600);

/// Removes the stale renderer profiles in `temp_dir`; how many.
pub(super) fn sweep(temp_dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(temp_dir) else {
        return 0;
    };
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PROFILE_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_dir() || meta.uid() != uid || !is_stale(&path, &meta) {
            continue;
        }
        if fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the profile at `path` belongs to no running Chromium.
fn is_stale(path: &Path, meta: &fs::Metadata) -> bool {
    // Chromium's lock is a symbolic link to `<host>-<pid>`.
    match fs::read_link(path.join("SingletonLock")) {
        Ok(target) => {
            let target = target.to_string_lossy();
            let pid = target
                .rsplit('-')
                .next()
                .and_then(|p| p.parse::<i32>().ok());
            pid.is_some_and(|pid| pid > 0 && !is_running(pid))
        }
        Err(_) => meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age > UNLOCKED_STALE_AFTER),
    }
}

/// Whether a process `pid` exists (one of another user's counts).
fn is_running(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn only_profiles_of_dead_browsers_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let profile = |name: &str, lock: Option<String>| {
            let dir = temp.path().join(name);
            fs::create_dir(&dir).unwrap();
            fs::write(dir.join("Local State"), "{}").unwrap();
            if let Some(target) = lock {
                symlink(target, dir.join("SingletonLock")).unwrap();
            }
            dir
        };
        // A process that has exited: its pid is free.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let killed = profile("govcheck-render-killed", Some(format!("vm-{dead}")));
        let running = profile(
            "govcheck-render-running",
            Some(format!("vm-{}", std::process::id())),
        );
        let starting = profile("govcheck-render-starting", None);
        let other = profile("other-killed", Some(format!("vm-{dead}")));
        // A link named like a profile is not followed.
        let outside = tempfile::tempdir().unwrap();
        symlink(outside.path(), temp.path().join("govcheck-render-link")).unwrap();

        assert_eq!(sweep(temp.path()), 1);
        assert!(!killed.exists());
        for kept in [&running, &starting, &other, outside.path()] {
            assert!(kept.exists(), "{}", kept.display());
        }
    }
}
