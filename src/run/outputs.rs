//! The run directory's tables and pages, written once every site is done:
//! `matrix.csv`, `scores.csv`, `report.html`, and `run.json` last, with a
//! manifest of every other file's sha256 so `govcheck verify` can prove
//! nothing changed.

use super::error::OutputError;
use super::{RunReport, SiteReport};
use crate::campaign::Campaign;
use crate::crawl::CrawlConfig;
use crate::emit::{self, report::ReportMeta};
use crate::history::{FindingRow, OverrideRow, PreviousVerdicts, RunRow};
use crate::rubric::Rubric;
use crate::score::{previous_points, score_run, ScoredRun, SiteFindings};
use crate::types::SiteStart;
use crate::util::write_atomic;
use std::path::Path;

type Result<T, E = OutputError> = std::result::Result<T, E>;

/// The name of the manifest's own file, which it cannot list.
pub(super) const RUN_JSON: &str = "run.json";

/// The sites' findings as scoring takes them.
fn site_findings(report: &RunReport) -> Vec<SiteFindings<'_>> {
    report
        .sites
        .iter()
        .map(|s| SiteFindings {
            county: &s.county,
            url: s.url.as_str(),
            findings: &s.findings,
            evidence: &s.evidence,
        })
        .collect()
}

/// Scores the run once with the overrides in force and writes every
/// output from that one scored run; the report also shows the change since
/// the `previous` verdicts the history holds for each county.
pub fn write(
    campaign: &Campaign,
    rubric: &Rubric,
    crawl: &CrawlConfig,
    report: &RunReport,
    overrides: &[OverrideRow],
    previous: &[PreviousVerdicts],
) -> Result<()> {
    let out = &report.out;
    let sites = site_findings(report);
    let scored = score_run(rubric, &sites, overrides);
    write_atomic(&out.join("matrix.csv"), &emit::matrix_csv(&scored)?)?;
    write_atomic(&out.join("scores.csv"), &emit::scores_csv(&scored)?)?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let meta = ReportMeta {
        campaign: &campaign.name,
        window: format!("{} – {}", campaign.window_start, campaign.window_end),
        started: time(report.started),
        finished: time(report.finished),
        tool_version: env!("CARGO_PKG_VERSION"),
        crawl_notes: report.sites.iter().map(crawl_note).collect(),
        previous: previous_points(rubric, previous),
    };
    write_atomic(
        &out.join("report.html"),
        emit::report::render(rubric, &meta, &scored).as_bytes(),
    )?;
    let run = run_json(campaign, rubric, crawl, report, &scored)?;
    write_atomic(
        &out.join(RUN_JSON),
        serde_json::to_string_pretty(&run)?.as_bytes(),
    )?;
    Ok(())
}

/// `run.json`: what was run, how, each site's crawl, score and evidence,
/// and the manifest of every other file, written last.
fn run_json(
    campaign: &Campaign,
    rubric: &Rubric,
    crawl: &CrawlConfig,
    report: &RunReport,
    scored: &ScoredRun,
) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
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
        "sites": report.sites.iter().zip(&scored.sites).map(|(s, scored)| serde_json::json!({
            "county": s.county,
            "url": s.url,
            "started": s.started,
            "finished": s.finished,
            "crawl": s.outcome,
            "second_pass": s.second_pass,
            "score": scored.score,
            "evidence": s.evidence,
        })).collect::<Vec<_>>(),
        "files": manifest(&report.out)?,
    }))
}

/// Every file of the run directory but run.json, with its size and sha256.
fn manifest(dir: &Path) -> Result<Vec<serde_json::Value>> {
    let files = crate::evidence::verify::run_files(dir).map_err(|source| OutputError::List {
        path: dir.to_path_buf(),
        source,
    })?;
    files
        .into_iter()
        .map(|relative| {
            let path = dir.join(&relative);
            let (len, digest) = crate::evidence::verify::sha256_file(&path)
                .map_err(|source| OutputError::Read { path, source })?;
            Ok(serde_json::json!({"path": relative, "bytes": len, "sha256": digest}))
        })
        .collect()
}

fn crawl_note(site: &SiteReport) -> String {
    let o = &site.outcome;
    let start = match &o.start {
        SiteStart::Reached { homepage } => format!("reached {homepage}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.get("state").and_then(|s| s.as_str()).map(String::from))
            .unwrap_or_default(),
    };
    let errors: u32 = o.errors.values().sum();
    let mut note = format!(
        "{start}; {} pages fetched; {errors} fetch errors",
        o.pages_fetched
    );
    if o.budget_exhausted {
        note.push_str("; page budget exhausted");
    }
    if o.soft_404_host {
        note.push_str("; soft-404 host");
    }
    if let Some(delay) = o.crawl_delay {
        note.push_str(&format!("; robots Crawl-delay {delay}s"));
    }
    note
}

/// The table printed after a run: one line per county, the machine's
/// verdicts (overrides are not read here).
pub fn summary_table(rubric: &Rubric, report: &RunReport) -> String {
    let mut out = format!(
        "{:<12} {:>5} {:>5} {:>13} {:>7}\n",
        "county", "pass", "fail", "inconclusive", "score"
    );
    let sites = site_findings(report);
    for site in &score_run(rubric, &sites, &[]).sites {
        let s = &site.machine_score;
        out.push_str(&format!(
            "{:<12} {:>5} {:>5} {:>13} {:>4}/{}\n",
            site.county, s.pass, s.fail, s.inconclusive, s.total, s.max_total
        ));
    }
    // Titles and reasons come from county pages: no escape sequence
    // reaches the terminal.
    crate::util::without_controls(&out).into_owned()
}

/// The table `check` prints: one line per item with, on a recheck, what
/// changed since the earlier run; its evidence below it.
pub fn item_table(site: &SiteReport, previous: Option<&(RunRow, Vec<FindingRow>)>) -> String {
    let mut out = String::new();
    if let Some((run, _)) = previous {
        out.push_str(&format!(
            "{:<26} {:<13} {:<28} reason\n",
            "item",
            "status",
            format!("changed since {}", run.started.format("%Y-%m-%d"))
        ));
    }
    for f in &site.findings {
        let change = previous.map(|(_, rows)| match rows.iter().find(|r| r.item == f.item) {
            Some(r) if r.status == f.status.as_str() => {
                let evidence = f.evidence.as_ref();
                let url = evidence.map(|e| e.url.as_str());
                let sha = evidence
                    .map(|e| e.sha256.as_str())
                    .filter(|s| !s.is_empty());
                if url != r.evidence_url.as_deref() {
                    "other evidence".to_string()
                } else if sha != r.evidence_sha256.as_deref() {
                    "evidence edited".to_string()
                } else {
                    "unchanged".to_string()
                }
            }
            Some(r) => format!("{} → {}", r.status, f.status.as_str()),
            None => "new".to_string(),
        });
        match change {
            Some(change) => out.push_str(&format!(
                "{:<26} {:<13} {:<28} {}\n",
                f.item,
                f.status.as_str(),
                change,
                f.reason
            )),
            None => out.push_str(&format!(
                "{:<26} {:<13} {}\n",
                f.item,
                f.status.as_str(),
                f.reason
            )),
        }
        if let Some(e) = &f.evidence {
            out.push_str(&format!("{:<40} {}\n", "", e.url));
        }
    }
    // Titles and reasons come from county pages: no escape sequence
    // reaches the terminal.
    crate::util::without_controls(&out).into_owned()
}
