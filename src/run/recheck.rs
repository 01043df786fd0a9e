//! `govcheck check`: one site, checked again against what the history
//! remembers of it.
//!
//! A recheck visits the last complete run's passing evidence first (as
//! seeds, revalidated with conditional GETs) and then follows only links
//! towards items that evidence does not confirm. A site the history has
//! never seen gets a plain first check.

use super::error::{Chain, RunError};
use super::revalidate::EarlierEvidence;
use super::{outputs, run_campaign, RunOptions, RunReport};
use crate::campaign::Campaign;
use crate::history::{FindingRow, History, RunRow};
use crate::types::{Link, LinkOrigin};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Arc;
use url::Url;

type Result<T, E = RunError> = std::result::Result<T, E>;

/// The result of [`recheck`]: the one-site run and the earlier run it was
/// checked against, if any.
pub struct Recheck {
    /// The run of the one site.
    pub report: RunReport,
    /// The last complete run that had this site, with its findings.
    pub previous: Option<(RunRow, Vec<FindingRow>)>,
    rubric: Arc<crate::rubric::Rubric>,
}

impl Recheck {
    /// What `govcheck check` prints: the site's item table, one line on
    /// what was fetched, and the run's summary table.
    pub fn printout(&self) -> String {
        let mut text = String::new();
        if let Some(site) = self.report.sites.first() {
            text.push_str(&outputs::item_table(site, self.previous.as_ref()));
            let line = match &self.previous {
                Some((run, _)) => format!(
                    "recheck of the run of {}: {} pages fetched, {} of them unchanged (304 Not Modified)",
                    run.started.format("%Y-%m-%d %H:%M UTC"),
                    site.outcome.pages_fetched,
                    site.outcome.pages_not_modified
                ),
                None => format!(
                    "first check of this site: {} pages fetched",
                    site.outcome.pages_fetched
                ),
            };
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(&outputs::summary_table(&self.rubric, &self.report));
        text
    }
}

/// Check the one site of `campaign` (see [`super::one_site_campaign`]): a recheck
/// when the history has an earlier complete run of it, else a first check.
pub async fn recheck(campaign: &Campaign, mut options: RunOptions) -> Result<Recheck> {
    let previous = match campaign.counties.first() {
        Some(county) => previous_run(&options.db, &county.url)?,
        None => None,
    };
    if let Some((run, findings)) = &previous {
        focus_on_earlier_evidence(&mut options, run, findings);
    }
    let report = run_campaign(campaign, &options).await?;
    Ok(Recheck {
        report,
        previous,
        rubric: options.rubric,
    })
}

/// The last complete run's findings for `url`; none when there is no
/// history to read.
fn previous_run(db: &Path, url: &Url) -> Result<Option<(RunRow, Vec<FindingRow>)>> {
    match History::open(db) {
        Ok(history) => Ok(history.last_findings_for_url(url.as_str())?),
        Err(e) => {
            tracing::warn!("no history to recheck against: {}", Chain(&e));
            Ok(None)
        }
    }
}

/// The last complete run's evidence first, then only what points at items
/// it does not confirm.
fn focus_on_earlier_evidence(options: &mut RunOptions, run: &RunRow, findings: &[FindingRow]) {
    options.crawl.seeds = recheck_seeds(findings);
    let earlier = EarlierEvidence::from_history(run, findings);
    if !earlier.is_empty() {
        options.crawl.revalidate = Some(Arc::new(earlier));
    }
    options.focused = true;
}

/// The earlier run's passing evidence, as links to visit first in a
/// recheck, named as their links named them.
fn recheck_seeds(previous: &[FindingRow]) -> Vec<Link> {
    let mut seeds: Vec<Link> = Vec::new();
    for f in previous.iter().filter(|f| f.status == "pass") {
        let Some(url) = f.evidence_url.as_deref().and_then(|u| Url::parse(u).ok()) else {
            continue;
        };
        if seeds.iter().any(|s| s.url == url) {
            continue;
        }
        seeds.push(Link {
            url,
            text: f.evidence_title.clone().unwrap_or_default(),
            context: String::new(),
            section: String::new(),
            date: f
                .published
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            origin: LinkOrigin::Evidence,
        });
    }
    seeds
}
