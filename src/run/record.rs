//! A run's memory: what each site's findings become in the history
//! database, recorded as each site finishes so an interrupted run keeps
//! what it completed.

use super::SiteReport;
use crate::history::{FindingRow, SiteRow};

pub fn site_row(site: &SiteReport) -> SiteRow {
    SiteRow {
        county: site.county.clone(),
        url: site.url.to_string(),
        pages_fetched: site.outcome.pages_fetched as u32,
        outcome_json: serde_json::to_string(&site.outcome).unwrap_or_default(),
    }
}

pub fn finding_rows(site: &SiteReport) -> Vec<FindingRow> {
    site.findings
        .iter()
        .map(|f| {
            let evidence = f.evidence.as_ref();
            let stored = site.evidence.get(&f.item);
            FindingRow {
                item: f.item.clone(),
                status: f.status.as_str().to_string(),
                reason_code: f.reason_code.clone(),
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
                etag: None,
                last_modified: None,
            }
        })
        .collect()
}
