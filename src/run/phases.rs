//! A run from start to finish, phase by phase: open the run directory
//! (locks, history, web archive), take the sites an interrupted run
//! finished, crawl the rest, then close the archive and write the outputs
//! — or, on Ctrl-C, close what is open and say how to resume.

use super::error::{Chain, RunError};
use super::lock::RunLock;
use super::observer::CrawlLog;
use super::rundir::{self, Found};
use super::sites::{crawl_sites, Shared};
use super::warnings::RunWarning;
use super::{
    interrupt, open_files, outputs, record, replay, run_dir_key, RunOptions, RunReport, SiteReport,
};
use crate::campaign::Campaign;
use crate::crawl::Politeness;
use crate::evidence::{WarcHandle, WarcInfo, WarcWriter};
use crate::history::{History, RunRow, RunState};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;

type Result<T, E = RunError> = std::result::Result<T, E>;

/// Crawl and audit every county, then write the run directory.
pub async fn run_campaign(campaign: &Campaign, options: &RunOptions) -> Result<RunReport> {
    let run = OpenRun::open(campaign, options)?;
    let sites = run.sites_already_done(campaign, options)?;
    // The terminal's bars, drawn only when it shows them: log lines from
    // the crawl are written above them.
    let bars = crate::terminal::bars();
    let phase = tokio::select! {
        sites = crawl_sites(campaign, &run.shared, &bars, sites) => Phase::Done(sites?),
        signal = interrupt::signalled() => Phase::Interrupted(signal),
    };
    match phase {
        Phase::Done(sites) => run.complete(campaign, options, sites).await,
        Phase::Interrupted(signal) => {
            // The site tasks were dropped with the crawl phase (a JoinSet
            // aborts its tasks); what they archived is kept whole.
            interrupt::exit_on_second_signal();
            bars.clear().ok();
            Err(run.abandon(signal, options).await)
        }
    }
}

/// How the crawl phase ended.
enum Phase {
    Done(Vec<Option<SiteReport>>),
    Interrupted(&'static str),
}

/// A run directory in use: locked, its archive open, its run begun in the
/// history.
struct OpenRun {
    shared: Arc<Shared>,
    warc: WarcHandle,
    replay: Option<Arc<replay::ArchiveReplay>>,
    /// The history and this run's id in it, when the run is recorded.
    history: Option<(Arc<History>, i64)>,
    /// Warnings about the run as a whole (not recorded in the history).
    warnings: Vec<RunWarning>,
    started: DateTime<Utc>,
    _memory: Option<Memory>,
    _lock: RunLock,
}

impl OpenRun {
    /// Create and lock the run directory, open the history, start the web
    /// archive and (for a resume) load what the interrupted run captured.
    fn open(campaign: &Campaign, options: &RunOptions) -> Result<OpenRun> {
        let found = rundir::inspect(&options.out, &options.db)?;
        std::fs::create_dir_all(&options.out).map_err(|source| RunError::RunDir {
            path: options.out.clone(),
            source,
        })?;
        let lock = RunLock::acquire(&options.out)?;
        let mut warnings = Vec::new();
        let memory = Memory::open_for(options, &mut warnings)?;
        // Looked at again under the lock: a run may have finished meanwhile.
        if options.out.join(super::outputs::RUN_JSON).exists() {
            if !options.replace_finished {
                return Err(RunError::FinishedRun {
                    path: options.out.clone(),
                });
            }
            rundir::clear(&options.out, &options.db)?;
        }
        let started = Utc::now();
        let warc = start_archive(campaign, options, started)?;
        let replay = if options.resume {
            let replay = replay::ArchiveReplay::load(&options.out)?;
            crate::terminal::say(&format!(
                "resuming {}: {} captured responses will not be fetched again",
                options.out.display(),
                replay.len()
            ));
            Some(Arc::new(replay))
        } else {
            None
        };
        let mut crawl = options.crawl.clone();
        crawl.replay = replay.clone().map(|r| r as Arc<dyn crate::crawl::Replay>);
        let history = match &memory {
            Some(m) => Some((
                m.history.clone(),
                m.begin_run(campaign, options, started, found)?,
            )),
            None => None,
        };
        if let Some(advice) = open_files::raise_for(options.sites_in_flight) {
            let warning = RunWarning::open_files(advice);
            tracing::warn!("{warning}");
            warnings.push(warning);
        }
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
            sites_in_flight: options.sites_in_flight,
        });
        Ok(OpenRun {
            shared,
            warc,
            replay,
            history,
            warnings,
            started,
            _memory: memory,
            _lock: lock,
        })
    }

    /// The sites an interrupted run finished, from the history, by county
    /// index: they are not crawled again.
    fn sites_already_done(
        &self,
        campaign: &Campaign,
        options: &RunOptions,
    ) -> Result<Vec<Option<SiteReport>>> {
        let mut sites: Vec<Option<SiteReport>> = campaign.counties.iter().map(|_| None).collect();
        let (Some(replay), Some((history, history_run))) = (&self.replay, &self.history) else {
            return Ok(sites);
        };
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
        Ok(sites)
    }

    /// Close the archive, write the run's outputs and mark the run
    /// complete in the history.
    async fn complete(
        self,
        campaign: &Campaign,
        options: &RunOptions,
        sites: Vec<Option<SiteReport>>,
    ) -> Result<RunReport> {
        let OpenRun {
            shared,
            warc,
            replay,
            history,
            mut warnings,
            started,
            _memory,
            _lock,
        } = self;
        if let Some(renderer) = &options.crawl.renderer {
            renderer.shut_down();
        }
        close_archive(shared, warc).await?;
        if replay.is_some() {
            // The index must cover the interrupted run's files too.
            crate::evidence::archive::reindex(&options.out)?;
        }
        let sites: Vec<SiteReport> = sites.into_iter().flatten().collect();
        if let Some(why) = options.crawl.renderer.as_ref().and_then(|r| r.failure()) {
            warnings.push(RunWarning::rendering_off(why));
        }
        warnings.extend(sites.iter().flat_map(RunWarning::of_site));
        let report = RunReport {
            out: options.out.clone(),
            sites,
            warnings,
            started,
            finished: Utc::now(),
        };
        let (overrides, previous) = match &history {
            Some((history, id)) => (history.active_overrides()?, history.previous_verdicts(*id)?),
            None => Default::default(),
        };
        outputs::write(
            campaign,
            &options.rubric,
            &options.crawl,
            &report,
            &overrides,
            &previous,
        )?;
        if let Some((history, id)) = &history {
            history.finish_run(*id, report.finished, true)?;
        }
        Ok(report)
    }

    /// An interrupted run: close the archive, mark the run incomplete in
    /// the history, and return the error that says how to resume.
    async fn abandon(self, signal: &'static str, options: &RunOptions) -> RunError {
        let OpenRun {
            shared,
            warc,
            history,
            _memory,
            _lock,
            ..
        } = self;
        let closed = close_archive(shared, warc)
            .await
            .and_then(|()| match &history {
                Some((history, id)) => Ok(history.finish_run(*id, Utc::now(), false)?),
                None => Ok(()),
            });
        match closed {
            Ok(()) => RunError::Interrupted(interrupt::Interrupted {
                signal,
                out: options.out.clone(),
            }),
            Err(e) => e,
        }
    }
}

/// Flush the crawl log and close the web archive (the site tasks' handles
/// on it go with `shared`).
async fn close_archive(shared: Arc<Shared>, warc: WarcHandle) -> Result<()> {
    shared.log.flush().map_err(RunError::FlushLog)?;
    drop(shared);
    warc.finish().await.map_err(RunError::FinishArchive)?;
    Ok(())
}

/// Start the run's web archive, its warcinfo naming the campaign, rubric,
/// User-Agent and operator.
fn start_archive(
    campaign: &Campaign,
    options: &RunOptions,
    started: DateTime<Utc>,
) -> Result<WarcHandle> {
    // Unique per process: a run resumed within the second it was killed
    // must not collide with the archive files of the first attempt.
    let run_id = format!(
        "{}-{}",
        started.format("%Y%m%dT%H%M%SZ"),
        std::process::id()
    );
    Ok(WarcWriter::create(
        &options.out,
        &run_id,
        WarcInfo {
            campaign: campaign.name.clone(),
            rubric_version: rubric_version(options),
            user_agent: options.crawl.user_agent.clone(),
            operator: options.operator.clone(),
            extra: vec![],
        },
    )
    .map_err(|source| RunError::StartArchive {
        out: options.out.clone(),
        source,
    })?
    .spawn())
}

/// The rubric's id and version, as the archive and the history name it.
fn rubric_version(options: &RunOptions) -> String {
    format!(
        "{} {}",
        options.rubric.rubric.id, options.rubric.rubric.version
    )
}

/// The history database, locked for this run.
struct Memory {
    _lock: RunLock,
    history: Arc<History>,
}

impl Memory {
    /// The history is the run's memory, not its product: when the database
    /// is busy with another run or cannot be opened, the run goes on
    /// unrecorded, says so now and adds it to `warnings` for the final
    /// summary. Only a resume cannot do without it.
    fn open_for(options: &RunOptions, warnings: &mut Vec<RunWarning>) -> Result<Option<Memory>> {
        match Memory::open(&options.db) {
            Ok(memory) => Ok(Some(memory)),
            Err(e) if !options.resume => {
                let warning = RunWarning::not_recorded(Chain(&e).to_string());
                tracing::warn!("{warning}");
                warnings.push(warning);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn open(db: &Path) -> Result<Memory> {
        let lock = RunLock::acquire_db(db)?;
        let history = Arc::new(History::open(db)?);
        // Holding the database lock, any run still marked running was killed.
        history.mark_incomplete_stale_runs()?;
        Ok(Memory {
            _lock: lock,
            history,
        })
    }

    /// Enter this run in the history; its id there. What the history
    /// recorded for this directory is forgotten when the directory no
    /// longer holds it (see [`Memory::forget_stale_run`]).
    fn begin_run(
        &self,
        campaign: &Campaign,
        options: &RunOptions,
        started: DateTime<Utc>,
        found: Found,
    ) -> Result<i64> {
        let run_dir = run_dir_key(&options.out);
        self.forget_stale_run(&run_dir, found)?;
        Ok(self.history.begin_run(RunRow {
            id: 0,
            run_dir,
            campaign: campaign.name.clone(),
            rubric_version: rubric_version(options),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            started,
            finished: None,
            state: RunState::Running,
        })?)
    }

    /// A recorded run whose directory no longer holds it is forgotten, not
    /// kept as "already complete": a complete run whose `run.json` is gone
    /// (deleted by hand, or replaced with `--force`), or any run whose
    /// directory was missing or empty. Its snapshots and WARC offsets would
    /// point at nothing, or into the new run's files at the same path, and
    /// `diff` and `check` read them. Only an unfinished run still on disk
    /// stays, for `--resume`.
    fn forget_stale_run(&self, run_dir: &str, found: Found) -> Result<()> {
        let Some(old) = self.history.run_by_dir(run_dir)? else {
            return Ok(());
        };
        if old.state != RunState::Complete && found == Found::Unfinished {
            return Ok(());
        }
        self.history.forget_run(old.id)?;
        let why = match found {
            Found::Finished => "replaced with --force",
            _ => "its directory no longer holds it",
        };
        eprintln!(
            "notice: the history's run of {} in {run_dir} is forgotten: {why}",
            old.started.format("%Y-%m-%d %H:%M UTC")
        );
        Ok(())
    }
}
