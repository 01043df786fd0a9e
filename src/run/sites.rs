//! The crawl phase of a run: every county's site crawled and audited
//! concurrently, then a second pass for sites that failed for a transient
//! reason.

use super::error::{Chain, RunError};
use super::observer::{AuditObserver, CrawlLog};
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
}

/// Crawls every county not already done, concurrently, then gives the
/// sites that failed for a transient reason their second pass.
pub(super) async fn crawl_sites(
    campaign: &Campaign,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    mut sites: Vec<Option<SiteReport>>,
) -> Result<Vec<Option<SiteReport>>, RunError> {
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
        let (index, report) = joined.map_err(RunError::SiteTask)?;
        sites[index] = Some(report);
    }
    second_pass(campaign, shared, bars, &style, &mut sites).await?;
    Ok(sites)
}

/// A site that failed for a transient reason gets one more try after the
/// others, as an evaluator would look again later; the try with fewer
/// inconclusive rows is kept.
async fn second_pass(
    campaign: &Campaign,
    shared: &Arc<Shared>,
    bars: &MultiProgress,
    style: &ProgressStyle,
    sites: &mut [Option<SiteReport>],
) -> Result<(), RunError> {
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
        let (index, mut retry) = joined.map_err(RunError::SiteTask)?;
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
    Ok(())
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
    };
    let outcome = crawl_site(
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
        ..
    } = observer;
    while pending.join_next().await.is_some() {}
    let findings = audit.finish(&outcome);
    let records = records.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let evidence = store_evidence(&shared, &county.name, &findings, records).await;
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
