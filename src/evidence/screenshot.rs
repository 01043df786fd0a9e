//! Optional PNG pictures of the stamped snapshots, rendered by a headless
//! Chromium from the snapshot file (never from the live site).
//!
//! Chromium is not a dependency: when none is installed, `--screenshots`
//! says so once and everything else works.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// No picture was made.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    /// A step around the browser failed: `doing` says which.
    #[error("{doing}: {cause}")]
    Io {
        /// What was being done.
        doing: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// Waiting for the browser failed.
    #[error(transparent)]
    Wait(#[from] std::io::Error),
    /// The browser ended without writing the picture.
    #[error("chromium exited with {0} without a picture")]
    NoPicture(std::process::ExitStatus),
    /// The browser ran out of time and was killed.
    #[error("chromium took longer than 60 s")]
    TimedOut,
}

/// A `map_err` adapter naming the step that failed.
fn step(doing: String) -> impl FnOnce(std::io::Error) -> ScreenshotError {
    move |cause| ScreenshotError::Io { doing, cause }
}

const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The first Chromium on PATH that answers `--version`.
pub fn find_chromium() -> Option<PathBuf> {
    CANDIDATES.iter().map(PathBuf::from).find(|c| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    })
}

/// Render `html` (a local file) to `png`, 1280 px wide. The browser runs
/// with no network of its own beyond what the file references, a fresh
/// profile, and a time limit.
pub fn render(chromium: &Path, html: &Path, png: &Path) -> Result<(), ScreenshotError> {
    let profile =
        tempfile::tempdir().map_err(step("cannot create a browser profile directory".into()))?;
    let html = html
        .canonicalize()
        .map_err(step(format!("cannot find {}", html.display())))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(step(format!("cannot start {}", chromium.display())))?;
    match child.wait_timeout(Duration::from_secs(60))? {
        Some(status) if status.success() && png.is_file() => Ok(()),
        Some(status) => Err(ScreenshotError::NoPicture(status)),
        None => {
            child.kill().ok();
            child.wait().ok();
            Err(ScreenshotError::TimedOut)
        }
    }
}
