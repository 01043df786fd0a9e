//! A run's memory: what each site's findings become in the history
//! database, recorded as each site finishes so an interrupted run keeps
//! what it completed.

use super::error::RunError;
use super::replay::ArchiveReplay;
use super::SiteReport;
use crate::campaign::County;
use crate::evidence::{RecordRef, StoredEvidence};
use crate::history::{FindingRow, SiteRow};
use crate::rubric::Rubric;
use crate::types::{DateFact, DateSource};
use crate::types::{Evidence, Finding, Status};
use std::collections::HashMap;

/// The site as the history database keeps it.
pub fn site_row(site: &SiteReport) -> SiteRow {
    SiteRow {
        county: site.county.clone(),
        url: site.url.to_string(),
        pages_fetched: site.outcome.pages_fetched as u32,
        outcome_json: serde_json::to_string(&site.outcome).unwrap_or_default(),
    }
}

/// The site's findings as the history database keeps them, with where
/// their evidence is stored.
pub fn finding_rows(site: &SiteReport) -> Vec<FindingRow> {
    site.findings
        .iter()
        .map(|f| {
            let evidence = f.evidence.as_ref();
            let stored = site.evidence.get(&f.item);
            FindingRow {
                item: f.item.clone(),
                status: f.status.as_str().to_string(),
                reason_code: f.reason_code.to_string(),
                reason: f.reason.clone(),
                evidence_url: evidence.map(|e| e.url.to_string()),
                evidence_sha256: evidence.map(|e| e.sha256.clone()).filter(|s| !s.is_empty()),
                published: evidence
                    .and_then(|e| e.published)
                    .map(|p| p.date.to_string()),
                fetched_at: evidence.map(|e| e.fetched_at),
                snapshot: stored.and_then(|s| s.snapshot.clone()),
                warc_file: stored.map(|s| s.record.file.clone()),
                warc_record_id: stored.map(|s| s.record.record_id.clone()),
                warc_offset: stored.map(|s| s.record.offset),
                warc_length: stored.map(|s| s.record.length),
                etag: evidence.and_then(|e| e.etag.clone()),
                last_modified: evidence.and_then(|e| e.last_modified.clone()),
                evidence_title: evidence.map(|e| e.title.clone()).filter(|t| !t.is_empty()),
                excerpt: evidence
                    .map(|e| e.excerpt.clone())
                    .filter(|t| !t.is_empty()),
            }
        })
        .collect()
}

/// A site the interrupted run finished, as the history recorded it: a
/// resumed run reports it without crawling it again.
pub fn site_from_history(
    county: &County,
    site: &SiteRow,
    rows: &[FindingRow],
    rubric: &Rubric,
    replay: &ArchiveReplay,
) -> Result<SiteReport, RunError> {
    let outcome =
        serde_json::from_str(&site.outcome_json).map_err(|source| RunError::RecordedOutcome {
            county: site.county.clone(),
            source,
        })?;
    let mut evidence = HashMap::new();
    let findings = rows
        .iter()
        .map(|row| -> Result<Finding, RunError> {
            let reason_code =
                row.reason_code
                    .parse()
                    .map_err(|source| RunError::RecordedFinding {
                        item: row.item.clone(),
                        county: site.county.clone(),
                        source,
                    })?;
            let url = row
                .evidence_url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok());
            if let (Some(url), Some(record_id)) = (&url, &row.warc_record_id) {
                let record = replay.record_of(url).unwrap_or_else(|| RecordRef {
                    file: row.warc_file.clone().unwrap_or_default(),
                    offset: row.warc_offset.unwrap_or_default(),
                    length: row.warc_length.unwrap_or_default(),
                    record_id: record_id.clone(),
                    payload_sha256: row.evidence_sha256.clone().unwrap_or_default(),
                });
                evidence.insert(
                    row.item.clone(),
                    StoredEvidence {
                        snapshot: row.snapshot.clone(),
                        record,
                        screenshot: None,
                    },
                );
            }
            Ok(Finding {
                item: row.item.clone(),
                item_name: rubric
                    .item(&row.item)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                status: match row.status.as_str() {
                    "pass" => Status::Pass,
                    "fail" => Status::Fail,
                    _ => Status::Inconclusive,
                },
                reason_code,
                reason: row.reason.clone(),
                evidence: url.map(|url| Evidence {
                    url,
                    title: row.evidence_title.clone().unwrap_or_default(),
                    excerpt: row.excerpt.clone().unwrap_or_default(),
                    etag: row.etag.clone(),
                    last_modified: row.last_modified.clone(),
                    rendered: row.reason.contains(" (rendered): "),
                    published: row
                        .published
                        .as_deref()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .map(|date| DateFact {
                            date,
                            source: DateSource::Visible,
                        }),
                    http_status: 200,
                    sha256: row.evidence_sha256.clone().unwrap_or_default(),
                    fetched_at: row.fetched_at.unwrap_or_else(chrono::Utc::now),
                    tls_unverified: false,
                }),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SiteReport {
        county: county.name.clone(),
        url: county.url.clone(),
        outcome,
        findings,
        evidence,
        second_pass: false,
        started: chrono::Utc::now(),
        finished: chrono::Utc::now(),
    })
}
