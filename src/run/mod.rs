//! One run: crawl every county of a campaign concurrently, audit each site
//! as its pages arrive, archive every response, and write the run
//! directory.
//!
//! This is the only module that knows every stage: it hands the crawler an
//! observer (`observer`) that scores links with the audit's vocabulary,
//! archives each response and feeds it to the site's audit; after a site it
//! builds the evidence snapshots (`snapshots`); after all sites it scores
//! and emits (`outputs`). Bodies live only as long as one visit and its
//! archive write.

mod demo;
mod error;
pub mod interrupt;
mod lock;
mod observer;
mod one_site;
mod open_files;
mod outputs;
mod phases;
mod recheck;
mod record;
mod replay;
pub mod revalidate;
mod rundir;
mod sites;
mod snapshots;
mod warnings;

use crate::crawl::CrawlConfig;
use crate::evidence::StoredEvidence;
use crate::history::History;
use crate::rubric::Rubric;
use crate::types::CrawlOutcome;
use crate::types::{Finding, Status};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url::Url;

pub use demo::{bundled_fixtures, Demo};
pub use error::{OutputError, RunError};
pub use one_site::one_site_campaign;
pub use outputs::{item_table, summary_table};
pub use phases::run_campaign;
pub use recheck::{recheck, Recheck};
pub use warnings::{warnings_summary, Condition, RunWarning};

/// How to run: crawler settings, rubric, where the run directory and the
/// history are, and what kind of run this is.
pub struct RunOptions {
    /// Crawler settings (rate, budget, robots, TLS, seeds, replay).
    pub crawl: CrawlConfig,
    /// The rubric the sites are audited against.
    pub rubric: Arc<Rubric>,
    /// The run directory.
    pub out: PathBuf,
    /// Who runs the crawl, for the WARC's warcinfo record.
    pub operator: String,
    /// Picture each snapshot with this Chromium (`--screenshots`).
    pub chromium: Option<PathBuf>,
    /// The history database.
    pub db: PathBuf,
    /// `--force`: a finished run in `out` is deleted and run again
    /// (without it, it is refused).
    pub replace_finished: bool,
    /// Continue the interrupted run in `out`: finished sites are taken from
    /// the history, captured pages from the archive.
    pub resume: bool,
    /// A recheck: follow only links towards undecided items (the earlier
    /// evidence comes in as `crawl.seeds`).
    pub focused: bool,
    /// How many sites are crawled at once, at least 1
    /// (`--sites-in-flight`; [`DEFAULT_SITES_IN_FLIGHT`]).
    pub sites_in_flight: usize,
}

/// Sites crawled at once unless `--sites-in-flight` says otherwise. At one
/// request per second per host this is at most 64 pages/s, about 0.7 of a
/// core and 64 × ~4 file descriptors; docs/scale.md has the measurements
/// and the arithmetic behind it.
pub const DEFAULT_SITES_IN_FLIGHT: usize = 64;

/// One county's site after its crawl and audit.
#[derive(Debug, serde::Serialize)]
pub struct SiteReport {
    /// The county's name.
    pub county: String,
    /// The homepage URL the crawl started from.
    pub url: Url,
    /// How the crawl went.
    pub outcome: CrawlOutcome,
    /// One finding per rubric item.
    pub findings: Vec<Finding>,
    /// Snapshot and WARC record per item id.
    pub evidence: HashMap<String, StoredEvidence>,
    /// This result comes from the end-of-run retry of a site that failed
    /// for a transient reason.
    pub second_pass: bool,
    /// When the site's crawl started.
    pub started: DateTime<Utc>,
    /// When its audit and evidence were done.
    pub finished: DateTime<Utc>,
}

/// A finished run: its directory and its sites, in campaign order.
#[derive(Debug)]
pub struct RunReport {
    /// The run directory.
    pub out: PathBuf,
    /// One report per county.
    pub sites: Vec<SiteReport>,
    /// What changes how the verdicts read (see [`RunWarning`]), for the
    /// final summary.
    pub warnings: Vec<RunWarning>,
    /// When the run started.
    pub started: DateTime<Utc>,
    /// When the crawl phase ended.
    pub finished: DateTime<Utc>,
}

impl RunReport {
    /// Some row could not be decided: the evaluator has work to do.
    pub fn has_inconclusive(&self) -> bool {
        self.sites
            .iter()
            .any(|s| s.findings.iter().any(|f| f.status == Status::Inconclusive))
    }
}

impl RunOptions {
    /// `--resume`: continue an interrupted run. Without an explicit `--out`
    /// (`out_given`) the run directory is the history's newest unfinished
    /// run.
    pub fn resume_interrupted_run(&mut self, out_given: bool) -> Result<(), RunError> {
        self.resume = true;
        if !out_given {
            let history = History::open(&self.db)?;
            let run = history
                .last_unfinished_run()?
                .ok_or_else(|| RunError::NothingToResume {
                    db: self.db.clone(),
                })?;
            self.out = PathBuf::from(run.run_dir);
        }
        Ok(())
    }
}

/// The default run directory: `runs/<UTC timestamp>/`.
pub fn default_out_dir() -> PathBuf {
    PathBuf::from("runs").join(Utc::now().format("%Y%m%dT%H%M%SZ").to_string())
}

/// How a run directory is named in the history: its absolute path.
pub fn run_dir_key(dir: &Path) -> String {
    std::path::absolute(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .to_string_lossy()
        .into_owned()
}
