//! Optional PNG pictures of the stamped snapshots, rendered by a headless
//! Chromium from the snapshot file (never from the live site).
//!
//! Chromium is not a dependency: when none is installed, `--screenshots`
//! says so once and everything else works.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

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
pub fn render(chromium: &Path, html: &Path, png: &Path) -> Result<()> {
    let profile = tempfile::tempdir().context("cannot create a browser profile directory")?;
    let html = html
        .canonicalize()
        .with_context(|| format!("cannot find {}", html.display()))?;
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
        .with_context(|| format!("cannot start {}", chromium.display()))?;
    match child.wait_timeout(Duration::from_secs(60))? {
        Some(status) if status.success() && png.is_file() => Ok(()),
        Some(status) => bail!("chromium exited with {status} without a picture"),
        None => {
            child.kill().ok();
            child.wait().ok();
            bail!("chromium took longer than 60 s")
        }
    }
}
