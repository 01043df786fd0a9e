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
    Pass,
    Fail,
    Inconclusive,
}

impl Status {
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
    pub url: Url,
    pub title: String,
    /// The text that matched (title, link text, date line).
    pub excerpt: String,
    pub published: Option<DateFact>,
    pub http_status: u16,
    pub sha256: String,
    pub fetched_at: DateTime<Utc>,
    pub tls_unverified: bool,
    /// Validators of the evidence response, for a later conditional recheck.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The verdict on one rubric item for one site.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub item: String,
    pub item_name: String,
    pub status: Status,
    /// Why, as a code (`found`, `late`, `robots_disallowed`, …).
    pub reason_code: ReasonCode,
    /// A sentence for the evaluator.
    pub reason: String,
    pub evidence: Option<Evidence>,
}

/// One detector's opinion about one item from one document.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub item: String,
    pub status: Status,
    pub reason_code: ReasonCode,
    pub note: String,
    pub evidence: Evidence,
}
