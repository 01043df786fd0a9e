//! One run: crawl every county of a campaign concurrently, audit each site
//! as its pages arrive, and write the run directory.
//!
//! This is the only module that knows every stage: it hands the crawler an
//! observer that scores links with the audit's vocabulary and feeds each
//! visit to the site's audit, then scores and emits. Bodies are hashed and
//! audited inside the callback and dropped with the visit.

use crate::audit::{Finding, SiteAudit, Status};
use crate::campaign::{Campaign, County};
use crate::crawl::{
    crawl_site, CrawlConfig, CrawlOutcome, FetchError, Flow, Politeness, SiteObserver, SkipReason,
    Visit,
};
use crate::emit::{self, SiteResult};
use crate::page::{Link, Page};
use crate::rubric::Rubric;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use url::Url;

pub struct RunOptions {
    pub crawl: CrawlConfig,
    pub rubric: Arc<Rubric>,
    pub out: PathBuf,
    /// Draw progress bars on the terminal.
    pub progress: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct SiteReport {
    pub county: String,
    pub url: Url,
    pub outcome: CrawlOutcome,
    pub findings: Vec<Finding>,
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

/// `pages.jsonl` and `skipped.jsonl`: every URL fetched, and every URL not
/// fetched with the reason. Shared by the site tasks; one line per lock.
pub struct CrawlLog {
    pages: Mutex<BufWriter<File>>,
    skipped: Mutex<BufWriter<File>>,
}

impl CrawlLog {
    fn create(dir: &Path) -> Result<CrawlLog> {
        let open = |name: &str| -> Result<Mutex<BufWriter<File>>> {
            let path = dir.join(name);
            let file =
                File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            Ok(Mutex::new(BufWriter::new(file)))
        };
        Ok(CrawlLog {
            pages: open("pages.jsonl")?,
            skipped: open("skipped.jsonl")?,
        })
    }

    fn append(target: &Mutex<BufWriter<File>>, value: serde_json::Value) {
        let mut writer = target
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(e) = writeln!(writer, "{value}") {
            tracing::warn!("cannot append to the crawl log: {e}");
        }
    }

    fn flush(&self) -> Result<()> {
        for target in [&self.pages, &self.skipped] {
            target
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .flush()?;
        }
        Ok(())
    }
}

/// Connects the crawler to one site's audit and the run's logs.
struct AuditObserver {
    county: String,
    audit: SiteAudit,
    bar: ProgressBar,
    log: Arc<CrawlLog>,
}

impl SiteObserver for AuditObserver {
    fn priority(&self, link: &Link, parent: &Page) -> f32 {
        self.audit.link_priority(link, parent)
    }

    fn on_visit(&mut self, visit: &Visit) -> Flow {
        let sha256 = hex::encode(Sha256::digest(&visit.fetched.body));
        CrawlLog::append(
            &self.log.pages,
            serde_json::json!({
                "county": self.county,
                "url": visit.fetched.requested,
                "final_url": visit.fetched.final_url,
                "status": visit.fetched.status,
                "content_type": visit.fetched.header("content-type"),
                "bytes": visit.fetched.body.len(),
                "truncated": visit.fetched.truncated,
                "sha256": sha256,
                "fetched_at": visit.fetched.fetched_at,
                "depth": visit.depth,
                "found_via": visit.found_via.as_ref().map(|l| serde_json::json!({"parent": visit.parent, "text": l.text, "origin": l.origin})),
                "redirects": visit.fetched.hops,
                "tls_unverified": visit.fetched.tls_unverified,
                "soft_404": visit.soft_404,
                "title": visit.page.title,
            }),
        );
        self.bar.inc(1);
        self.bar.set_message(visit.page.url.to_string());
        if self.audit.observe(visit, &sha256) {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn on_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        CrawlLog::append(
            &self.log.skipped,
            serde_json::json!({"county": self.county, "url": link.url, "reason": reason, "parent": parent, "text": link.text}),
        );
        self.audit.note_skip(link, parent, reason);
    }

    fn on_fetch_error(&mut self, link: &Link, parent: &Url, error: &FetchError) {
        CrawlLog::append(
            &self.log.skipped,
            serde_json::json!({"county": self.county, "url": link.url, "reason": "error", "error": error.class, "message": error.message, "parent": parent, "text": link.text}),
        );
        self.audit.note_error(link, parent, error);
    }
}

async fn check_site(
    county: County,
    campaign_window: (chrono::NaiveDate, chrono::NaiveDate),
    rubric: Arc<Rubric>,
    config: CrawlConfig,
    politeness: Arc<Politeness>,
    bar: ProgressBar,
    log: Arc<CrawlLog>,
) -> SiteReport {
    let started = Utc::now();
    let mut observer = AuditObserver {
        county: county.name.clone(),
        audit: SiteAudit::new(rubric, county.clone(), campaign_window),
        bar,
        log,
    };
    let outcome = crawl_site(county.url.clone(), &config, &politeness, &mut observer).await;
    let AuditObserver { audit, bar, .. } = observer;
    let findings = audit.finish(&outcome);
    let passed = findings.iter().filter(|f| f.status == Status::Pass).count();
    bar.finish_with_message(format!("done: {passed}/{} items pass", findings.len()));
    SiteReport {
        county: county.name,
        url: county.url,
        outcome,
        findings,
        started,
        finished: Utc::now(),
    }
}

/// Crawl and audit every county, then write the run directory.
pub async fn run_campaign(campaign: &Campaign, options: &RunOptions) -> Result<RunReport> {
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create run directory {}", options.out.display()))?;
    let started = Utc::now();
    let politeness = Arc::new(Politeness::new(options.crawl.rate));
    let log = Arc::new(CrawlLog::create(&options.out)?);
    let bars = MultiProgress::new();
    if !options.progress {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let style = ProgressStyle::with_template("{spinner} {prefix:<8} {pos:>5} pages  {wide_msg}")
        .expect("static template");
    let mut tasks = tokio::task::JoinSet::new();
    for (index, county) in campaign.counties.iter().enumerate() {
        let bar = bars.add(
            ProgressBar::new_spinner()
                .with_style(style.clone())
                .with_prefix(county.name.clone()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let task = check_site(
            county.clone(),
            (campaign.window_start, campaign.window_end),
            options.rubric.clone(),
            options.crawl.clone(),
            politeness.clone(),
            bar,
            log.clone(),
        );
        tasks.spawn(async move { (index, task.await) });
    }
    let mut sites: Vec<Option<SiteReport>> = campaign.counties.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (index, report) = joined.context("a site task failed")?;
        sites[index] = Some(report);
    }
    log.flush()?;
    let report = RunReport {
        out: options.out.clone(),
        sites: sites.into_iter().flatten().collect(),
        started,
        finished: Utc::now(),
    };
    write_outputs(campaign, &options.rubric, &options.crawl, &report)?;
    Ok(report)
}

fn write_outputs(
    campaign: &Campaign,
    rubric: &Rubric,
    crawl: &CrawlConfig,
    report: &RunReport,
) -> Result<()> {
    let no_snapshot = |_: &str| None;
    let results: Vec<SiteResult> = report
        .sites
        .iter()
        .map(|s| SiteResult {
            county: &s.county,
            url: s.url.as_str(),
            findings: &s.findings,
            evidence_files: &no_snapshot,
        })
        .collect();
    let out = &report.out;
    emit::write_atomic(
        &out.join("matrix.csv"),
        &emit::matrix_csv(rubric, &results)?,
    )?;
    let (scores_bytes, scores) = emit::scores_csv(rubric, &results)?;
    emit::write_atomic(&out.join("scores.csv"), &scores_bytes)?;
    let run = serde_json::json!({
        "tool": "govcheck",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "campaign": {
            "name": campaign.name,
            "window_start": campaign.window_start,
            "window_end": campaign.window_end,
        },
        "rubric": { "id": rubric.rubric.id, "version": rubric.rubric.version },
        "user_agent": crawl.user_agent,
        "rate_per_host": crawl.rate,
        "max_pages": crawl.max_pages,
        "started": report.started,
        "finished": report.finished,
        "complete": true,
        "sites": report.sites.iter().zip(&scores).map(|(s, score)| serde_json::json!({
            "county": s.county,
            "url": s.url,
            "started": s.started,
            "finished": s.finished,
            "crawl": s.outcome,
            "score": score,
        })).collect::<Vec<_>>(),
    });
    emit::write_atomic(
        &out.join("run.json"),
        serde_json::to_string_pretty(&run)?.as_bytes(),
    )?;
    Ok(())
}

/// The table printed after a run: one line per county.
pub fn summary_table(rubric: &Rubric, report: &RunReport) -> String {
    let mut out = format!(
        "{:<12} {:>5} {:>5} {:>13} {:>7}\n",
        "county", "pass", "fail", "inconclusive", "score"
    );
    for site in &report.sites {
        let s = crate::score::score_site(rubric, &site.findings);
        out.push_str(&format!(
            "{:<12} {:>5} {:>5} {:>13} {:>4}/{}\n",
            site.county, s.pass, s.fail, s.inconclusive, s.total, s.max_total
        ));
    }
    out
}

/// The table `check` prints: one line per item with its evidence.
pub fn item_table(site: &SiteReport) -> String {
    let mut out = String::new();
    for f in &site.findings {
        let evidence = f
            .evidence
            .as_ref()
            .map(|e| e.url.to_string())
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<26} {:<13} {}\n{:<26} {:<13} {}\n",
            f.item,
            f.status.as_str(),
            f.reason,
            "",
            "",
            evidence
        ));
    }
    out
}

/// Where the bundled fixture sites live (for `govcheck demo`).
pub fn bundled_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("sites")
}
