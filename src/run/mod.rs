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

pub mod interrupt;
mod lock;
mod observer;
mod outputs;
mod record;
mod replay;
pub mod revalidate;
mod snapshots;

use crate::audit::SiteAudit;
use crate::campaign::{Campaign, County};
use crate::crawl::{crawl_site, CrawlConfig, Politeness};
use crate::evidence::{StoredEvidence, WarcHandle, WarcInfo, WarcWriter};
use crate::history::{History, RunRow, RunState};
use crate::rubric::Rubric;
use crate::types::CrawlOutcome;
use crate::types::{Finding, Status};
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use observer::{AuditObserver, CrawlLog};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use url::Url;

pub use outputs::{item_table, summary_table};

pub struct RunOptions {
    pub crawl: CrawlConfig,
    pub rubric: Arc<Rubric>,
    pub out: PathBuf,
    /// Draw progress bars on the terminal.
    pub progress: bool,
    /// Who runs the crawl, for the WARC's warcinfo record.
    pub operator: String,
    /// Picture each snapshot with this Chromium (`--screenshots`).
    pub chromium: Option<PathBuf>,
    /// The history database.
    pub db: PathBuf,
    /// Continue the interrupted run in `out`: finished sites are taken from
    /// the history, captured pages from the archive.
    pub resume: bool,
    /// A recheck: follow only links towards undecided items (the earlier
    /// evidence comes in as `crawl.seeds`).
    pub focused: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct SiteReport {
    pub county: String,
    pub url: Url,
    pub outcome: CrawlOutcome,
    pub findings: Vec<Finding>,
    /// Snapshot and WARC record per item id.
    pub evidence: HashMap<String, StoredEvidence>,
    /// This result comes from the end-of-run retry of a site that failed
    /// for a transient reason.
    pub second_pass: bool,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
}

#[derive(Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub sites: Vec<SiteReport>,
    pub started: DateTime<Utc>,
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

/// The default run directory: `runs/<UTC timestamp>/`.
pub fn default_out_dir() -> PathBuf {
    PathBuf::from("runs").join(Utc::now().format("%Y%m%dT%H%M%SZ").to_string())
}

/// What every site task shares.
struct Shared {
    rubric: Arc<Rubric>,
    window: (NaiveDate, NaiveDate),
    config: CrawlConfig,
    politeness: Arc<Politeness>,
    log: Arc<CrawlLog>,
    warc: WarcHandle,
    out: PathBuf,
    chromium: Option<PathBuf>,
    /// The history and this run's id in it, when the run is recorded.
    history: Option<(Arc<History>, i64)>,
    replay: Option<Arc<replay::ArchiveReplay>>,
    focused: bool,
}

async fn check_site(county: County, shared: Arc<Shared>, bar: ProgressBar) -> SiteReport {
    let started = Utc::now();
    let records = Arc::new(Mutex::new(HashMap::new()));
    let mut observer = AuditObserver {
        county: county.name.clone(),
        audit: {
            let audit = SiteAudit::new(shared.rubric.clone(), county.clone(), shared.window);
            if shared.focused {
                audit.focused()
            } else {
                audit
            }
        },
        bar,
        log: shared.log.clone(),
        warc: shared.warc.clone(),
        user_agent: shared.config.user_agent.clone(),
        records: records.clone(),
        pending: tokio::task::JoinSet::new(),
        replay: shared.replay.clone(),
    };
    let outcome = crawl_site(
        county.url.clone(),
        &shared.config,
        &shared.politeness,
        &mut observer,
    )
    .await;
    let AuditObserver {
        audit,
        bar,
        mut pending,
        ..
    } = observer;
    while pending.join_next().await.is_some() {}
    let findings = audit.finish(&outcome);
    let records = records.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let out = shared.out.clone();
    let name = county.name.clone();
    let for_snapshots = findings.clone();
    let mut evidence = tokio::task::spawn_blocking(move || {
        snapshots::store(&out, &name, &for_snapshots, &records)
    })
    .await
    .unwrap_or_default();
    if let Some(chromium) = &shared.chromium {
        snapshots::picture(&shared.out, chromium, &shared.warc, &mut evidence).await;
    }
    let passed = findings.iter().filter(|f| f.status == Status::Pass).count();
    bar.finish_with_message(format!("done: {passed}/{} items pass", findings.len()));
    let report = SiteReport {
        county: county.name,
        url: county.url,
        outcome,
        findings,
        evidence,
        second_pass: false,
        started,
        finished: Utc::now(),
    };
    if let Some((history, id)) = &shared.history {
        let rows = record::finding_rows(&report);
        if let Err(e) = history.record_site(*id, record::site_row(&report), &rows) {
            tracing::error!(
                "cannot record {} in the history database: {e:#}",
                report.county
            );
        }
    }
    report
}

/// The earlier run's passing evidence, as links to visit first in a
/// recheck, named as their links named them.
pub fn recheck_seeds(previous: &[crate::history::FindingRow]) -> Vec<crate::types::Link> {
    let mut seeds: Vec<crate::types::Link> = Vec::new();
    for f in previous.iter().filter(|f| f.status == "pass") {
        let Some(url) = f.evidence_url.as_deref().and_then(|u| Url::parse(u).ok()) else {
            continue;
        };
        if seeds.iter().any(|s| s.url == url) {
            continue;
        }
        seeds.push(crate::types::Link {
            url,
            text: f.evidence_title.clone().unwrap_or_default(),
            context: String::new(),
            section: String::new(),
            date: f
                .published
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            origin: crate::types::LinkOrigin::Evidence,
        });
    }
    seeds
}

/// How a run directory is named in the history: its absolute path.
pub fn run_dir_key(dir: &Path) -> String {
    std::path::absolute(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Timeouts, refused connections, 5xx and resets pass; a site (or a row)
/// that failed only for such a reason is worth one more look.
fn needs_second_pass(site: &SiteReport) -> bool {
    use crate::types::{FetchErrorClass as C, SiteStart};
    let transient_start = matches!(
        site.outcome.start,
        SiteStart::Unreachable {
            class: C::Timeout | C::Connect | C::ServerError | C::Body | C::Other,
            ..
        }
    );
    transient_start
        || site
            .findings
            .iter()
            .any(|f| f.status == Status::Inconclusive && f.reason_code == "unreachable")
}

/// Crawl and audit every county, then write the run directory.
pub async fn run_campaign(campaign: &Campaign, options: &RunOptions) -> Result<RunReport> {
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create run directory {}", options.out.display()))?;
    let _lock = lock::RunLock::acquire(&options.out)?;
    // The history is the run's memory, not its product: when the database
    // is busy with another run or cannot be opened, the run goes on
    // unrecorded and says so. Only a resume cannot do without it.
    let memory = match Memory::open(&options.db) {
        Ok(memory) => Some(memory),
        Err(e) if !options.resume => {
            eprintln!("warning: this run is not recorded in the history: {e:#}");
            None
        }
        Err(e) => return Err(e),
    };
    let started = Utc::now();
    // Unique per process: a run resumed within the second it was killed
    // must not collide with the archive files of the first attempt.
    let run_id = format!(
        "{}-{}",
        started.format("%Y%m%dT%H%M%SZ"),
        std::process::id()
    );
    let warc = WarcWriter::create(
        &options.out,
        &run_id,
        WarcInfo {
            campaign: campaign.name.clone(),
            rubric_version: format!(
                "{} {}",
                options.rubric.rubric.id, options.rubric.rubric.version
            ),
            user_agent: options.crawl.user_agent.clone(),
            operator: options.operator.clone(),
            extra: vec![],
        },
    )
    .with_context(|| format!("cannot start the web archive in {}", options.out.display()))?
    .spawn();
    let replay = if options.resume {
        let replay = replay::ArchiveReplay::load(&options.out)?;
        eprintln!(
            "resuming {}: {} captured responses will not be fetched again",
            options.out.display(),
            replay.len()
        );
        Some(Arc::new(replay))
    } else {
        None
    };
    let mut crawl = options.crawl.clone();
    crawl.replay = replay.clone().map(|r| r as Arc<dyn crate::crawl::Replay>);
    let history_run = memory
        .as_ref()
        .map(|m| {
            m.history.begin_run(RunRow {
                id: 0,
                run_dir: run_dir_key(&options.out),
                campaign: campaign.name.clone(),
                rubric_version: format!(
                    "{} {}",
                    options.rubric.rubric.id, options.rubric.rubric.version
                ),
                tool_version: env!("CARGO_PKG_VERSION").to_string(),
                started,
                finished: None,
                state: RunState::Running,
            })
        })
        .transpose()?;
    let history = memory
        .as_ref()
        .zip(history_run)
        .map(|(m, id)| (m.history.clone(), id));
    let shared = Arc::new(Shared {
        rubric: options.rubric.clone(),
        window: (campaign.window_start, campaign.window_end),
        config: crawl,
        politeness: Arc::new(Politeness::new(options.crawl.rate)),
        log: Arc::new(CrawlLog::create(&options.out)?),
        warc: warc.clone(),
        out: options.out.clone(),
        chromium: options.chromium.clone(),
        history: history.clone(),
        replay: replay.clone(),
        focused: options.focused,
    });
    // Sites the interrupted run finished are not crawled again.
    let mut sites: Vec<Option<SiteReport>> = campaign.counties.iter().map(|_| None).collect();
    if let (Some(replay), Some((history, history_run))) = (&replay, &history) {
        let done = history.sites_of_run(*history_run)?;
        let findings = history.findings_of_run(*history_run)?;
        for (index, county) in campaign.counties.iter().enumerate() {
            if let Some(site) = done.iter().find(|s| s.county == county.name) {
                let rows: Vec<_> = findings
                    .iter()
                    .filter(|(c, _)| c == &county.name)
                    .map(|(_, f)| f.clone())
                    .collect();
                sites[index] = Some(record::site_from_history(
                    county,
                    site,
                    &rows,
                    &options.rubric,
                    replay,
                )?);
            }
        }
    }
    let bars = MultiProgress::new();
    if !options.progress {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let phase = tokio::select! {
        sites = crawl_sites(campaign, &shared, &bars, sites) => Phase::Done(sites?),
        signal = interrupt::signalled() => Phase::Interrupted(signal),
    };
    let sites = match phase {
        Phase::Done(sites) => sites,
        Phase::Interrupted(signal) => {
            // The site tasks were dropped with the crawl phase (a JoinSet
            // aborts its tasks); what they archived is kept whole.
            interrupt::exit_on_second_signal();
            bars.clear().ok();
            shared.log.flush()?;
            drop(shared);
            warc.finish()
                .await
                .context("cannot finish the web archive")?;
            if let Some((history, id)) = &history {
                history.finish_run(*id, Utc::now(), false)?;
            }
            return Err(interrupt::Interrupted {
                signal,
                out: options.out.clone(),
            }
            .into());
        }
    };
    shared.log.flush()?;
    drop(shared);
    warc.finish()
        .await
        .context("cannot finish the web archive")?;
    if replay.is_some() {
        // The index must cover the interrupted run's files too.
        crate::evidence::archive::reindex(&options.out)?;
    }
    let report = RunReport {
        out: options.out.clone(),
        sites: sites.into_iter().flatten().collect(),
        started,
        finished: Utc::now(),
    };
    let overrides = match &history {
        Some((history, _)) => history.active_overrides()?,
        None => Vec::new(),
    };
    outputs::write(
        campaign,
        &options.rubric,
        &options.crawl,
        &report,
        &overrides,
    )?;
    if let Some((history, id)) = &history {
        history.finish_run(*id, report.finished, true)?;
    }
    Ok(report)
}

enum Phase {
    Done(Vec<Option<SiteReport>>),
    Interrupted(&'static str),
}

/// Crawls every county not already done, concurrently, then gives the
/// sites that failed for a transient reason their second pass.
async fn crawl_sites(
    campaign: &Campaign,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    mut sites: Vec<Option<SiteReport>>,
) -> Result<Vec<Option<SiteReport>>> {
    let style = ProgressStyle::with_template("{spinner} {prefix:<8} {pos:>5} pages  {wide_msg}")
        .expect("static template");
    let mut tasks = tokio::task::JoinSet::new();
    for (index, county) in campaign.counties.iter().enumerate() {
        if sites[index].is_some() {
            continue;
        }
        let bar = bars.add(
            ProgressBar::new_spinner()
                .with_style(style.clone())
                .with_prefix(county.name.clone()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let task = check_site(county.clone(), shared.clone(), bar);
        tasks.spawn(async move { (index, task.await) });
    }
    while let Some(joined) = tasks.join_next().await {
        let (index, report) = joined.context("a site task failed")?;
        sites[index] = Some(report);
    }
    // Second pass: a site that failed for a transient reason gets one more
    // try after the others, as an evaluator would look again later.
    let mut retries = tokio::task::JoinSet::new();
    for (index, site) in sites.iter().enumerate() {
        if site.as_ref().is_some_and(needs_second_pass) {
            let county = campaign.counties[index].clone();
            let bar = bars.add(
                ProgressBar::new_spinner()
                    .with_style(style.clone())
                    .with_prefix(format!("{} (2nd)", county.name)),
            );
            let task = check_site(county, shared.clone(), bar);
            retries.spawn(async move { (index, task.await) });
        }
    }
    while let Some(joined) = retries.join_next().await {
        let (index, mut retry) = joined.context("a site task failed")?;
        retry.second_pass = true;
        let first = sites[index].take();
        let inconclusive = |s: &SiteReport| {
            s.findings
                .iter()
                .filter(|f| f.status == Status::Inconclusive)
                .count()
        };
        sites[index] = match first {
            Some(first) if inconclusive(&first) < inconclusive(&retry) => Some(first),
            _ => Some(retry),
        };
    }
    Ok(sites)
}

/// The history database, locked for this run.
struct Memory {
    _lock: lock::RunLock,
    history: Arc<History>,
}

impl Memory {
    fn open(db: &Path) -> Result<Memory> {
        let lock = lock::RunLock::acquire_db(db)?;
        let history = Arc::new(History::open(db)?);
        // Holding the database lock, any run still marked running was killed.
        history.mark_incomplete_stale_runs()?;
        Ok(Memory {
            _lock: lock,
            history,
        })
    }
}

/// Where the bundled fixture sites live (for `govcheck demo`).
pub fn bundled_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("sites")
}
