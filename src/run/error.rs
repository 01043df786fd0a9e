//! What stops a run, as types: a run directory that cannot be made or is
//! locked, a history, archive or output that fails, input that names no
//! site to check, and Ctrl-C.
//!
//! `RunError` is the one error the run's public functions return; the
//! stages' own errors are wrapped as they are (their message unchanged) or
//! under the sentence the run adds, so `{:#}` at the command line's edge
//! prints the same `context: cause` text as before. `OutputError` is the
//! job of writing the run directory's tables, kept apart so `RunError`
//! stays readable. [`Chain`] prints a cause chain the same way for the
//! errors the run only logs.

use super::interrupt::Interrupted;
use crate::campaign::CampaignError;
use crate::emit::EmitError;
use crate::evidence::archive::ArchiveError;
use crate::evidence::WarcError;
use crate::history::HistoryError;
use crate::types::UnknownReasonCode;
use crate::util::atomic::WriteError;
use std::fmt;
use std::path::PathBuf;

/// Why a run could not start, went wrong, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The run directory could not be created.
    #[error("cannot create run directory {}", .path.display())]
    RunDir {
        /// The run directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The directory of a lock file could not be created.
    #[error("cannot create {}", .path.display())]
    LockDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The lock file could not be opened.
    #[error("cannot open the lock file {}", .path.display())]
    LockFile {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another govcheck run holds the lock.
    #[error("another govcheck run is using {what}: lock {} is held; wait for it to finish", .path.display())]
    Busy {
        /// What the lock guards, with the way out (`--out`, `--db`).
        what: String,
        /// The lock file.
        path: PathBuf,
    },
    /// The run directory holds a finished run (its `run.json`): evidence,
    /// never overwritten, whichever history the new run records into.
    #[error("{} holds a finished run (it has run.json); a finished run's evidence is not overwritten: give another --out, or --force to delete it and run again", .path.display())]
    FinishedRun {
        /// The run directory.
        path: PathBuf,
    },
    /// The lock file could not be locked.
    #[error("cannot lock {}", .path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `--resume` without `--out`, and the history has no unfinished run.
    #[error("no unfinished run in {} to resume", .db.display())]
    NothingToResume {
        /// The history database.
        db: PathBuf,
    },
    /// The history database failed.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The targets file could not be read.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// The site to check is not a URL.
    #[error("`{url}` is not a URL")]
    NotAUrl {
        /// The text given.
        url: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// The site to check is a URL, but not http(s).
    #[error("`{0}` is not an http(s) URL")]
    NotHttp(String),
    /// The site to check has no `--name`, and neither the campaign nor the
    /// history knows its county.
    #[error("{host} is not in the campaign ({campaign}) and no run in the history ({}) crawled it; name its county with --name NAME", .db.display())]
    UnnamedSite {
        /// The site's host.
        host: String,
        /// The campaign searched (a file, or the embedded one).
        campaign: String,
        /// The history database searched.
        db: PathBuf,
    },
    /// `--out` names a directory that holds other files than a govcheck
    /// run's.
    #[error("{} is not empty and is not a govcheck run directory (it has neither run.json nor .govcheck.lock); give a new or empty --out", .path.display())]
    NotARunDir {
        /// The directory.
        path: PathBuf,
    },
    /// `--out` names something that is not a directory.
    #[error("{} exists and is not a directory; give a new or empty --out", .path.display())]
    OutNotADir {
        /// The path.
        path: PathBuf,
    },
    /// `--force` could not clear a finished run's directory.
    #[error("cannot remove {} to replace the finished run", .path.display())]
    ClearRunDir {
        /// The file or folder that would not go.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The fixture sites of `demo` could not be served.
    #[error("cannot serve the fixture sites in {}", .root.display())]
    ServeFixtures {
        /// The fixtures directory.
        root: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The fixtures directory of `demo` holds no site.
    #[error("no fixture sites (directories with _site.toml) in {}", .root.display())]
    NoFixtureSites {
        /// The fixtures directory.
        root: PathBuf,
    },
    /// A served fixture site's address is not a URL.
    #[error(transparent)]
    FixtureUrl(url::ParseError),
    /// The web archive could not be started.
    #[error("cannot start the web archive in {}", .out.display())]
    StartArchive {
        /// The run directory.
        out: PathBuf,
        /// Why.
        #[source]
        source: WarcError,
    },
    /// The web archive could not be finished.
    #[error("cannot finish the web archive")]
    FinishArchive(#[source] WarcError),
    /// The archive of an interrupted run could not be repaired, replayed
    /// or indexed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A crawl log (`pages.jsonl`, `skipped.jsonl`) could not be created.
    #[error("cannot create {}", .path.display())]
    CrawlLog {
        /// The log file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The crawl logs could not be written out.
    #[error(transparent)]
    FlushLog(std::io::Error),
    /// A site's task panicked or was cancelled.
    #[error("a site task failed")]
    SiteTask(#[source] tokio::task::JoinError),
    /// A resumed run cannot read a finished site's recorded crawl outcome.
    #[error("the recorded crawl outcome of {county} is unreadable")]
    RecordedOutcome {
        /// The county.
        county: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A resumed run cannot read a finished site's recorded finding.
    #[error("the recorded finding {item} of {county} is unreadable")]
    RecordedFinding {
        /// The rubric item.
        item: String,
        /// The county.
        county: String,
        /// Why.
        #[source]
        source: UnknownReasonCode,
    },
    /// The run directory's outputs could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Ctrl-C or SIGTERM stopped the run; it can be resumed.
    #[error(transparent)]
    Interrupted(Interrupted),
}

impl RunError {
    /// The interruption, when a signal stopped the run: the command line
    /// exits with [`super::interrupt::EXIT_CODE`] on it.
    pub fn interrupted(&self) -> Option<&Interrupted> {
        match self {
            RunError::Interrupted(interrupted) => Some(interrupted),
            _ => None,
        }
    }
}

/// The run directory's tables, report and manifest could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A table could not be made.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// `run.json` could not be serialised.
    #[error(transparent)]
    RunJson(#[from] serde_json::Error),
    /// The run directory (or a folder in it) could not be listed.
    #[error("cannot list {}", .path.display())]
    List {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be read for the manifest.
    #[error("cannot read {}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// An error and its causes as one line, `error: cause: cause`, the way
/// the command line prints them: for errors the run logs and goes on.
pub(super) struct Chain<'a>(pub(super) &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}
