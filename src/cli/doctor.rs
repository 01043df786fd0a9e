//! `govcheck doctor`: whether this machine can run govcheck, one line per
//! check — the PDF tools, Chromium, the history database and the folder
//! runs are written to — with what to install or fix. Exit code 0 when
//! every required check passes; Chromium is only a notice: without it,
//! lists only a browser can read stay `script_list` and `--screenshots`
//! makes no pictures, and everything else runs.

use crate::history::{inspect, DbState};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Fine.
    Ok,
    /// Missing or broken, and required: the exit code is 1.
    Missing,
    /// Missing, but only an optional feature needs it.
    Notice,
}

/// One line of the report.
struct Check {
    outcome: Outcome,
    what: &'static str,
    detail: String,
}

/// Run every check, print one line each, and return the exit code.
pub fn doctor(db: &Path, out: &Path) -> i32 {
    let checks = [
        tool(
            "pdftotext",
            "PDF attachments are read as text with it; install poppler-utils (apt install poppler-utils, dnf install poppler-utils, brew install poppler)",
        ),
        tool(
            "pdfinfo",
            "PDF dates and page counts come from it; install poppler-utils (apt install poppler-utils, dnf install poppler-utils, brew install poppler)",
        ),
        chromium(),
        database(db),
        output_folder(out),
    ];
    for check in &checks {
        let label = match check.outcome {
            Outcome::Ok => "ok",
            Outcome::Missing => "missing",
            Outcome::Notice => "notice",
        };
        println!("{label:<8} {:<18} {}", check.what, check.detail);
    }
    if checks.iter().any(|c| c.outcome == Outcome::Missing) {
        1
    } else {
        0
    }
}

/// A poppler tool on PATH, with the version it reports.
fn tool(name: &'static str, install: &str) -> Check {
    match Command::new(name).arg("-v").stdin(Stdio::null()).output() {
        Ok(output) => {
            // poppler prints its version on stderr.
            let text = String::from_utf8_lossy(&output.stderr).into_owned()
                + &String::from_utf8_lossy(&output.stdout);
            let version = text.lines().next().unwrap_or_default().trim().to_string();
            Check {
                outcome: Outcome::Ok,
                what: name,
                detail: version,
            }
        }
        Err(e) => Check {
            outcome: Outcome::Missing,
            what: name,
            detail: format!("not runnable ({e}): {install}"),
        },
    }
}

/// Chromium, for `--render` and `--screenshots`.
fn chromium() -> Check {
    match crate::evidence::screenshot::find_chromium() {
        Some(path) => Check {
            outcome: Outcome::Ok,
            what: "chromium",
            detail: format!("{} (for --render and --screenshots)", path.display()),
        },
        None => Check {
            outcome: Outcome::Notice,
            what: "chromium",
            detail: "not found (chromium, chromium-browser or google-chrome on PATH): lists only a browser can read stay script_list, and --screenshots makes no pictures (apt install chromium)".to_string(),
        },
    }
}

/// The history database: where it is, whether it opens, its schema.
fn database(db: &Path) -> Check {
    let shown = absolute(db).display().to_string();
    let (outcome, detail) = match inspect(db) {
        Ok(DbState::Absent) => match writable(db.parent().unwrap_or(Path::new("."))) {
            Ok(()) => (
                Outcome::Ok,
                format!("{shown}: none yet, the first run creates it"),
            ),
            Err(why) => (
                Outcome::Missing,
                format!("{shown}: none yet, and it cannot be created: {why} (set --db or GOVCHECK_DB)"),
            ),
        },
        Ok(DbState::Current { runs }) => (
            Outcome::Ok,
            format!("{shown}: opens, current schema, {runs} run(s) recorded"),
        ),
        Ok(DbState::Older { found, latest }) => (
            Outcome::Ok,
            format!("{shown}: opens, schema {found}; the next run upgrades it to {latest}"),
        ),
        Ok(DbState::Newer { found, latest }) => (
            Outcome::Missing,
            format!("{shown}: schema {found} is newer than this govcheck understands ({latest}): upgrade govcheck or use another --db"),
        ),
        Err(e) => (
            Outcome::Missing,
            format!("{shown}: cannot be read: {:#}", anyhow::Error::from(e)),
        ),
    };
    Check {
        outcome,
        what: "history database",
        detail,
    }
}

/// The folder run directories go to (`runs/` by default).
fn output_folder(out: &Path) -> Check {
    let shown = absolute(out).display().to_string();
    match writable(out) {
        Ok(()) => Check {
            outcome: Outcome::Ok,
            what: "output folder",
            detail: format!("{shown}: writable"),
        },
        Err(why) => Check {
            outcome: Outcome::Missing,
            what: "output folder",
            detail: format!("{shown}: not writable: {why} (give --out a folder you can write)"),
        },
    }
}

/// Whether files can be made in `dir`, or (when it does not exist yet) in
/// its nearest existing ancestor, where a run would create it. Leaves
/// nothing behind.
fn writable(dir: &Path) -> Result<(), String> {
    let dir = absolute(dir);
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .ok_or_else(|| "no part of the path exists".to_string())?;
    if !existing.is_dir() {
        return Err(format!("{} is not a directory", existing.display()));
    }
    tempfile::Builder::new()
        .prefix(".govcheck-doctor")
        .tempfile_in(existing)
        .map(drop)
        .map_err(|e| format!("{}: {e}", existing.display()))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_does_not_exist_yet_is_checked_where_it_would_be_made() {
        let dir = tempfile::tempdir().unwrap();
        assert!(writable(&dir.path().join("runs/later")).is_ok());
        assert!(!dir.path().join("runs").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(writable(&file.join("runs")).is_err());
    }

    #[test]
    fn a_database_from_elsewhere_is_reported_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.sqlite");
        let check = database(&db);
        assert_eq!(check.outcome, Outcome::Ok, "{}", check.detail);
        assert!(check.detail.contains("first run creates it"));
        assert!(!db.exists());
        std::fs::write(&db, "this is no database, only text of some length").unwrap();
        assert_eq!(database(&db).outcome, Outcome::Missing);
    }
}
