//! The crawl phase of a run: every county's site crawled and audited, a
//! bounded number at once, then a second pass for sites that failed for a
//! transient reason.
//!
//! At most `sites_in_flight` sites are crawled at the same time (the
//! `--sites-in-flight` flag; see docs/scale.md for why the default is
//! what it is): sites start in campaign order as earlier ones finish, and
//! only a site in flight has a task, a progress bar, HTTP clients and an
//! open audit. A finished site's bar is removed and one status line
//! printed (above the bars on a terminal, a plain line elsewhere), so
//! 2,800 counties never mean 2,800 bars.

use super::error::{Chain, RunError};
use super::observer::{AuditObserver, CrawlLog};
use super::warnings::RunWarning;
use super::{record, replay, snapshots, SiteReport};
use crate::audit::SiteAudit;
use crate::campaign::{Campaign, County};
use crate::crawl::{crawl_site, CrawlConfig, Politeness};
use crate::evidence::{RecordRef, StoredEvidence, WarcHandle};
use crate::history::History;
use crate::rubric::Rubric;
use crate::types::{Finding, Status};
use chrono::{NaiveDate, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What every site task shares.
pub(super) struct Shared {
    /// The rubric each site is audited against.
    pub(super) rubric: Arc<Rubric>,
    /// The evaluation window.
    pub(super) window: (NaiveDate, NaiveDate),
    /// Crawler settings (with the replay of a resume).
    pub(super) config: CrawlConfig,
    /// Per-host rate limits, shared across sites.
    pub(super) politeness: Arc<Politeness>,
    /// The run's crawl log.
    pub(super) log: Arc<CrawlLog>,
    /// The run's web archive.
    pub(super) warc: WarcHandle,
    /// The run directory.
    pub(super) out: PathBuf,
    /// Chromium for screenshots (`--screenshots`).
    pub(super) chromium: Option<PathBuf>,
    /// The history and this run's id in it, when the run is recorded.
    pub(super) history: Option<(Arc<History>, i64)>,
    /// What an interrupted run captured (`--resume`).
    pub(super) replay: Option<Arc<replay::ArchiveReplay>>,
    /// A recheck: follow only links towards undecided items.
    pub(super) focused: bool,
    /// How many sites are crawled at once (`--sites-in-flight`).
    pub(super) sites_in_flight: usize,
}

/// Crawls every county not already done, at most `sites_in_flight` at
/// once, then gives the sites that failed for a transient reason their
/// second pass.
pub(super) async fn crawl_sites(
    campaign: &Campaign,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    mut sites: Vec<Option<SiteReport>>,
) -> Result<Vec<Option<SiteReport>>, RunError> {
    let todo: Vec<(usize, County, String)> = campaign
        .counties
        .iter()
        .enumerate()
        .filter(|(index, _)| sites[*index].is_none())
        .map(|(index, county)| (index, county.clone(), county.name.clone()))
        .collect();
    crawl_bounded(todo, "sites", shared, bars, |index, report| {
        sites[index] = Some(report);
    })
    .await?;
    second_pass(campaign, shared, bars, &mut sites).await?;
    Ok(sites)
}

/// A site that failed for a transient reason gets one more try after the
/// others, as an evaluator would look again later; the try with fewer
/// inconclusive rows is kept.
async fn second_pass(
    campaign: &Campaign,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    sites: &mut [Option<SiteReport>],
) -> Result<(), RunError> {
    let todo: Vec<(usize, County, String)> = sites
        .iter()
        .enumerate()
        .filter(|(_, site)| site.as_ref().is_some_and(needs_second_pass))
        .map(|(index, _)| {
            let county = campaign.counties[index].clone();
            let prefix = format!("{} (2nd)", county.name);
            (index, county, prefix)
        })
        .collect();
    let inconclusive = |s: &SiteReport| {
        s.findings
            .iter()
            .filter(|f| f.status == Status::Inconclusive)
            .count()
    };
    crawl_bounded(todo, "2nd pass", shared, bars, |index, mut retry| {
        retry.second_pass = true;
        sites[index] = match sites[index].take() {
            Some(first) if inconclusive(&first) < inconclusive(&retry) => Some(first),
            _ => Some(retry),
        };
    })
    .await
}

/// Crawl and audit `todo` (county index, county, bar label) in order, with
/// at most `shared.sites_in_flight` sites started and not yet collected;
/// each report goes to `done` as its site finishes. The bound is the
/// length of the task set: a new site starts only after one is collected,
/// so no more than that many crawls, clients, audits or bars exist at
/// once, however long the campaign.
async fn crawl_bounded(
    todo: Vec<(usize, County, String)>,
    label: &str,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    mut done: impl FnMut(usize, SiteReport),
) -> Result<(), RunError> {
    if todo.is_empty() {
        return Ok(());
    }
    let limit = shared.sites_in_flight.max(1);
    let total = bars.add(
        ProgressBar::new(todo.len() as u64)
            .with_style(
                ProgressStyle::with_template("{prefix} {pos}/{len} done  {wide_msg}")
                    .expect("static template"),
            )
            .with_prefix(label.to_string()),
    );
    let style = ProgressStyle::with_template("{spinner} {prefix:<8} {pos:>5} pages  {wide_msg}")
        .expect("static template");
    let mut tasks = tokio::task::JoinSet::new();
    let mut collect = |joined: Result<(usize, SiteReport), tokio::task::JoinError>| {
        let (index, report) = joined.map_err(RunError::SiteTask)?;
        total.inc(1);
        done(index, report);
        Ok::<(), RunError>(())
    };
    for (index, county, prefix) in todo {
        while tasks.len() >= limit {
            let joined = tasks.join_next().await.expect("the set is not empty");
            collect(joined)?;
        }
        total.set_message(format!("{} in flight", tasks.len() + 1));
        let bar = bars.add(
            ProgressBar::new_spinner()
                .with_style(style.clone())
                .with_prefix(prefix),
        );
        if !bars.is_hidden() {
            // A ticker is a thread: only for bars someone sees.
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        let (shared, bars) = (shared.clone(), bars.clone());
        tasks.spawn(async move {
            let report = check_site(county, shared, bar.clone()).await;
            bars.remove(&bar);
            let passed = report
                .findings
                .iter()
                .filter(|f| f.status == Status::Pass)
                .count();
            crate::terminal::say(&site_done_line(&report, passed));
            (index, report)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        collect(joined)?;
        total.set_message(format!("{} in flight", tasks.len()));
    }
    total.finish_and_clear();
    bars.remove(&total);
    Ok(())
}

/// The status line of a finished site: pages, items passed, and the
/// conditions that change how its rows read (repeated under the final
/// table).
fn site_done_line(report: &SiteReport, passed: usize) -> String {
    let mut line = format!(
        "{}: {} pages, {passed}/{} items pass",
        report.county,
        report.outcome.pages_fetched,
        report.findings.len()
    );
    for warning in RunWarning::of_site(report) {
        line.push_str("; ");
        line.push_str(&warning.condition.to_string());
    }
    crate::util::without_controls(&line).into_owned()
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

/// Crawl and audit one site, store its evidence snapshots and record it in
/// the history.
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
        skips: Default::default(),
        tls_unverified_pages: 0,
    };
    let mut outcome = crawl_site(
        county.url.clone(),
        &shared.config,
        &shared.politeness,
        &mut observer,
    )
    .await;
    observer.summarise_skips();
    let AuditObserver {
        audit,
        bar,
        mut pending,
        tls_unverified_pages,
        ..
    } = observer;
    outcome.tls_unverified_pages = tls_unverified_pages;
    while pending.join_next().await.is_some() {}
    let findings = audit.finish(&outcome);
    let records = records.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let evidence = store_evidence(&shared, &county.name, &findings, records).await;
    bar.finish_and_clear();
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
    record_in_history(&shared, &report);
    report
}

/// The site's evidence snapshots (and their pictures, with Chromium).
async fn store_evidence(
    shared: &Shared,
    county: &str,
    findings: &[Finding],
    records: HashMap<String, RecordRef>,
) -> HashMap<String, StoredEvidence> {
    let out = shared.out.clone();
    let name = county.to_string();
    let for_snapshots = findings.to_vec();
    let (mut evidence, captions) = tokio::task::spawn_blocking(move || {
        snapshots::store(&out, &name, &for_snapshots, &records)
    })
    .await
    .unwrap_or_default();
    if let Some(chromium) = &shared.chromium {
        snapshots::picture(
            &shared.out,
            chromium,
            &shared.warc,
            &mut evidence,
            &captions,
        )
        .await;
    }
    evidence
}

/// Write the site and its findings to the history, when the run is
/// recorded; a failure is logged, not fatal.
fn record_in_history(shared: &Shared, report: &SiteReport) {
    if let Some((history, id)) = &shared.history {
        let rows = record::finding_rows(report);
        if let Err(e) = history.record_site(*id, record::site_row(report), &rows) {
            tracing::error!(
                "cannot record {} in the history database: {}",
                report.county,
                Chain(&e)
            );
        }
    }
}
