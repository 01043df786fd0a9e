//! Run history: memory across runs, in an embedded SQLite database.
//!
//! The credit office runs govcheck on a schedule and evaluators recheck one
//! county at a time; both need to know what the last runs found. This
//! module records runs, the sites each run checked, one finding per site ×
//! item with its evidence pointers (URL, sha256, snapshot, WARC record,
//! validators for a conditional refetch), and evaluators' overrides. The
//! run directories stay the place for bulky evidence; the database only
//! points into them.
//!
//! It takes and returns plain rows (strings, options, UTC timestamps) and
//! knows nothing of crawl or run types, so the orchestration maps its own
//! values in and out and this module tests on its own. Timestamps are stored
//! as fixed-width RFC 3339 text (`2023-03-28T10:00:00.000000Z`), so text
//! order is time order.
//!
//! Durability: WAL journal with a busy timeout, so several readers and one
//! writer at a time share a file; every multi-statement write is one
//! immediate transaction, so a killed process leaves either all of a site
//! or none of it. Runs a killed process left `running` are closed as
//! `incomplete` by [`History::mark_incomplete_stale_runs`].

mod error;
mod inspect;
mod lookup;
mod queries;
mod schema;
#[cfg(test)]
mod tests;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use url::Url;

pub use error::HistoryError;
use error::Result;
pub use inspect::{inspect, DbState};
pub use lookup::KnownSite;

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the history database lives when `--db` is not given:
/// `$GOVCHECK_DB` if set (and not empty), else `runs/govcheck.sqlite`
/// relative to the working directory, beside the run directories.
pub fn default_db_path() -> PathBuf {
    db_path_from(std::env::var_os("GOVCHECK_DB"))
}

fn db_path_from(var: Option<OsString>) -> PathBuf {
    match var {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from("runs").join("govcheck.sqlite"),
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Started and not finished (or its process was killed).
    Running,
    /// Every site was checked.
    Complete,
    /// Interrupted or failed; `crawl --resume` may continue it.
    Incomplete,
}

impl RunState {
    /// The state as stored (`running`, `complete`, `incomplete`).
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Complete => "complete",
            RunState::Incomplete => "incomplete",
        }
    }

    fn parse(s: &str) -> Option<RunState> {
        match s {
            "running" => Some(RunState::Running),
            "complete" => Some(RunState::Complete),
            "incomplete" => Some(RunState::Incomplete),
            _ => None,
        }
    }
}

/// One run (a `crawl` or a `check`), keyed by its run directory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunRow {
    /// Assigned by [`History::begin_run`]; ignored on input.
    pub id: i64,
    /// The run directory, as the caller names it (store one canonical
    /// form: [`History::run_by_dir`] matches the text exactly).
    pub run_dir: String,
    /// The campaign's name.
    pub campaign: String,
    /// The rubric's id and version.
    pub rubric_version: String,
    /// The govcheck version that ran it.
    pub tool_version: String,
    /// When the run started.
    pub started: DateTime<Utc>,
    /// Set by [`History::finish_run`]; ignored by `begin_run`.
    pub finished: Option<DateTime<Utc>>,
    /// Set by the store; `begin_run` always starts `Running`.
    pub state: RunState,
}

/// One county site as a run checked it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiteRow {
    /// The county.
    pub county: String,
    /// The site's start URL.
    pub url: String,
    /// Documents fetched.
    pub pages_fetched: u32,
    /// The crawl outcome, serialized by the caller.
    pub outcome_json: String,
}

/// The verdict on one item for one site, with its evidence pointers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FindingRow {
    /// Rubric item id (`3`, `7.column`, …).
    pub item: String,
    /// `pass`, `fail` or `inconclusive`.
    pub status: String,
    /// Short code (`found`, `not_found`, `unreachable`, …).
    pub reason_code: String,
    /// A sentence for the evaluator.
    pub reason: String,
    /// The evidence's URL.
    pub evidence_url: Option<String>,
    /// sha256 of the evidence body, lowercase hex.
    pub evidence_sha256: Option<String>,
    /// The evidence's publish date as the page stated it.
    pub published: Option<String>,
    /// When the evidence was fetched.
    pub fetched_at: Option<DateTime<Utc>>,
    /// Snapshot path, relative to the run directory.
    pub snapshot: Option<String>,
    /// WARC file, relative to the run directory.
    pub warc_file: Option<String>,
    /// `<urn:uuid:…>` of the evidence's response record.
    pub warc_record_id: Option<String>,
    /// Offset and length of that record's gzip member in `warc_file`.
    pub warc_offset: Option<u64>,
    /// Length of that gzip member.
    pub warc_length: Option<u64>,
    /// Validators of the evidence response, for a conditional refetch.
    pub etag: Option<String>,
    /// `Last-Modified` of the evidence response.
    pub last_modified: Option<String>,
    /// The evidence's title (for an attachment, its link text).
    pub evidence_title: Option<String>,
    /// The text that matched.
    pub excerpt: Option<String>,
}

/// An evaluator's verdict that stands in for the machine's until removed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverrideRow {
    /// Assigned by [`History::add_override`]; ignored on input.
    pub id: i64,
    /// The county.
    pub county: String,
    /// The rubric item id.
    pub item: String,
    /// `pass` or `fail`.
    pub status: String,
    /// Why the evaluator decided so.
    pub note: String,
    /// The evidence's URL.
    pub evidence_url: Option<String>,
    /// Who decided.
    pub who: String,
    /// When it was recorded.
    pub created: DateTime<Utc>,
    /// When it was removed (or superseded); `None` while in force.
    pub removed: Option<DateTime<Utc>>,
}

/// One county × item whose status or evidence differs between two runs.
/// `before`/`after` is `None` where that run has no finding for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The county.
    pub county: String,
    /// The rubric item id.
    pub item: String,
    /// The finding in the earlier run.
    pub before: Option<FindingRow>,
    /// The finding in the later run.
    pub after: Option<FindingRow>,
}

impl Change {
    /// A `pass` that became a `fail`: the alert a scheduler waits for.
    pub fn is_regression(&self) -> bool {
        matches!(
            (&self.before, &self.after),
            (Some(b), Some(a)) if b.status == "pass" && a.status == "fail"
        )
    }
}

/// How many changes are regressions (`pass` → `fail`).
pub fn regressions(changes: &[Change]) -> usize {
    changes.iter().filter(|c| c.is_regression()).count()
}

/// One county × item across the complete runs, oldest to newest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemHistory {
    /// The county.
    pub county: String,
    /// The rubric item id.
    pub item: String,
    /// Start time of the first run where it passed.
    pub first_pass: Option<DateTime<Utc>>,
    /// Start time of the latest run where it passed.
    pub last_pass: Option<DateTime<Utc>>,
    /// Changes between `pass` and `fail`; an `inconclusive` in between is
    /// "not known", neither a flip nor the end of one.
    pub flips: u32,
    /// Complete runs with a finding for it.
    pub runs: u32,
    /// The status in the newest of those runs.
    pub current: String,
}

/// One county as the newest earlier complete run of the same rubric saw
/// it: each item's status as that run scored it (the machine's verdict, or
/// the override in force when the run finished), so the report can say how
/// the points changed since.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PreviousVerdicts {
    /// The county.
    pub county: String,
    /// When that earlier run started.
    pub run_started: DateTime<Utc>,
    /// `(item, status)` by item; status is `pass`, `fail` or `inconclusive`.
    pub statuses: Vec<(String, String)>,
}

/// A handle on the history database. `Send + Sync`: calls from several
/// tasks take turns on one connection; several processes may open the same
/// file.
pub struct History {
    conn: Mutex<Connection>,
}

impl History {
    /// Opens (or creates) the database at `path`, creating its parent
    /// directories, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<History> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| HistoryError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let opening = |source: HistoryError| HistoryError::Open {
            path: path.to_path_buf(),
            source: Box::new(source),
        };
        let mut conn = Connection::open(path).map_err(|e| opening(e.into()))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| opening(e.into()))?;
        let mode = wal_journal(&conn).map_err(|e| opening(e.into()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(HistoryError::NoWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        // WAL + NORMAL survives a killed process; only a power cut may lose
        // the last transactions.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| opening(e.into()))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| opening(e.into()))?;
        schema::migrate(&mut conn).map_err(opening)?;
        Ok(History {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-call leaves no open transaction behind (rusqlite rolls
        // back on drop), so a poisoned connection is still usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Switches `conn` to a WAL journal and returns the mode in force. On a
/// fresh file two openers can deadlock on the switch, and SQLite then
/// answers "busy" at once instead of calling the busy handler; the switch
/// is retried until [`BUSY_TIMEOUT`].
fn wal_journal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5 + rand::random::<u64>() % 20));
            }
            result => return result,
        }
    }
}

/// How timestamps are stored: fixed width, so text order is time order.
fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(idx: usize, s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
        })
}

/// The key under which twins of a site match: host without `www.`, port if
/// not the default, path without trailing slashes, query; no scheme.
fn site_key(url: &str) -> String {
    let url = url.trim();
    let parsed = Url::parse(url)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| Url::parse(&format!("http://{url}")).ok());
    let Some(u) = parsed else {
        return url.trim_end_matches('/').to_lowercase();
    };
    let host = u.host_str().unwrap_or_default();
    let mut key = host.strip_prefix("www.").unwrap_or(host).to_string();
    if let Some(port) = u.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(u.path().trim_end_matches('/'));
    if let Some(query) = u.query() {
        key.push('?');
        key.push_str(query);
    }
    key
}
