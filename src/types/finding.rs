//! What audit concludes: one detector's candidate verdict, the site's
//! finding per rubric item, and the evidence a verdict rests on.

use super::{DateFact, ReasonCode};
use chrono::{DateTime, Utc};
use url::Url;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
/// A verdict: `fail` claims the item is not on the site, so anything that
/// kept the crawler from really looking is `inconclusive`.
pub enum Status {
    /// The item is on the site; the evidence names where.
    Pass,
    /// The site was read and the item is not there.
    Fail,
    /// The crawler could not really look; the reason says why.
    Inconclusive,
}

impl Status {
    /// The status as written in the matrix.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
        }
    }
}

/// What a verdict rests on: the page, what matched, and when it was seen.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evidence {
    /// The page or attachment that shows the item.
    pub url: Url,
    /// Its title as govcheck read it.
    pub title: String,
    /// The text that matched (title, link text, date line).
    pub excerpt: String,
    /// Its publish date (发布日期), when known.
    pub published: Option<DateFact>,
    /// HTTP status of the evidence response.
    pub http_status: u16,
    /// sha256 of the captured body, lowercase hex.
    pub sha256: String,
    /// When the evidence was fetched.
    pub fetched_at: DateTime<Utc>,
    /// The certificate did not verify and the page was read anyway.
    pub tls_unverified: bool,
    /// Validators of the evidence response, for a later conditional recheck.
    pub etag: Option<String>,
    /// `Last-Modified` of the evidence response.
    pub last_modified: Option<String>,
    /// Read from the rendering browser: the DOM a page's scripts built, or
    /// the answer to a request they made.
    pub rendered: bool,
}

/// The verdict on one rubric item for one site.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    /// Rubric item id (`3`, `7.guide`, `10.education`, …).
    pub item: String,
    /// The item's name in the rubric (法治政府报告制度, …).
    pub item_name: String,
    /// The verdict.
    pub status: Status,
    /// Why, as a code (`found`, `late`, `robots_disallowed`, …).
    pub reason_code: ReasonCode,
    /// A sentence for the evaluator.
    pub reason: String,
    /// What the verdict rests on, when it rests on a page.
    pub evidence: Option<Evidence>,
}

/// One detector's opinion about one item from one document.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Rubric item id.
    pub item: String,
    /// This document's verdict on the item.
    pub status: Status,
    /// Why.
    pub reason_code: ReasonCode,
    /// A sentence for the evaluator.
    pub note: String,
    /// The document it comes from.
    pub evidence: Evidence,
    /// The document names the county government (or its office) as its
    /// issuer, in its title or 发布机构, rather than leaving it to be
    /// presumed: when both exist, the named one is the evidence.
    pub issuer_named: bool,
    /// For a pass shown on a list row: the row's own document, which
    /// confirms it better (its own date, its full text) and is fetched
    /// even though the item is already decided.
    pub confirmed_by: Option<url::Url>,
}
