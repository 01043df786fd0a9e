//! The polite, focused crawler.
//!
//! It knows nothing of rubrics: the caller hands it a [`SiteObserver`] that
//! scores links (how strongly a link points at something still undecided)
//! and receives every fetched document. The crawler owns transport,
//! politeness (per-host rate limit, one request in flight per host,
//! robots.txt, Retry-After), scope, URL normalisation, trap bounds, the
//! priority frontier and the page budget. Bodies are handed on once and not
//! kept.

mod challenge;
mod frontier;
mod politeness;
mod robots;
mod scope;
mod site;
#[cfg(test)]
mod tests;
mod transport;

pub use challenge::detect_challenge;
pub use politeness::{HostPermit, Politeness};
pub use scope::{registered_domain, sibling_hosts};
pub use site::crawl_site;

use crate::page::{Link, Page};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;
use url::Url;

/// Requests per second per host; `None` is unlimited (loopback tests).
pub type Rate = Option<f64>;

#[derive(Debug, Clone)]
pub struct CrawlConfig {
    pub rate: Rate,
    /// Documents fetched per site, homepage included; failed fetches count
    /// too. robots.txt, the soft-404 probe and sitemaps do not.
    pub max_pages: usize,
    pub max_depth: u32,
    pub user_agent: String,
    pub ignore_robots: bool,
    pub strict_tls: bool,
    pub connect_timeout: Duration,
    /// Whole-request timeout (headers and body).
    pub request_timeout: Duration,
    /// Retries after the first try, for transient errors only.
    pub retries: u32,
    /// Largest body read off the wire; longer bodies are cut and flagged.
    pub max_body_bytes: usize,
    /// Largest body after gzip/deflate decoding.
    pub max_decoded_bytes: usize,
    /// Cap on a robots.txt Crawl-delay (the cap is reported when applied).
    pub max_crawl_delay: Duration,
    /// Cap on a 429/503 Retry-After wait.
    pub max_retry_after: Duration,
    pub max_redirects: u32,
    /// Captures of an interrupted run to replay (`--resume`).
    pub replay: Option<std::sync::Arc<dyn Replay>>,
    /// Links visited first, right after the homepage (a recheck's earlier
    /// evidence).
    pub seeds: Vec<Link>,
    /// An earlier run's captures of the seeds, revalidated with a
    /// conditional GET instead of fetched again.
    pub revalidate: Option<std::sync::Arc<dyn Revalidate>>,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            rate: Some(1.0),
            max_pages: 2000,
            max_depth: 8,
            user_agent: default_user_agent(),
            ignore_robots: false,
            strict_tls: false,
            connect_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(45),
            retries: 3,
            max_body_bytes: 30 * 1024 * 1024,
            max_decoded_bytes: 60 * 1024 * 1024,
            max_crawl_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            max_redirects: 10,
            replay: None,
            seeds: Vec::new(),
            revalidate: None,
        }
    }
}

/// The identifying User-Agent: product, version and a contact URL.
pub fn default_user_agent() -> String {
    format!(
        "govcheck/{} (+https://github.com/govcheck/govcheck; government-integrity evaluation crawler)",
        env!("CARGO_PKG_VERSION")
    )
}

/// One hop of a redirect chain, recorded for the evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hop {
    pub url: Url,
    pub status: u16,
    pub location: Option<String>,
}

/// One fetched response, content-encoding already undone.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for (before redirects).
    pub requested: Url,
    /// The URL that answered.
    pub final_url: Url,
    pub status: u16,
    /// Response headers as received (names lower-cased), in order.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// Body was longer than the cap and was cut.
    pub truncated: bool,
    /// Redirect hops before the final response (empty when none).
    pub hops: Vec<Hop>,
    pub fetched_at: DateTime<Utc>,
    /// The certificate did not verify and the page was read anyway.
    pub tls_unverified: bool,
    pub remote_addr: Option<IpAddr>,
    /// Served from an earlier capture of this run (`--resume`), not
    /// fetched again.
    pub from_archive: bool,
    /// The server answered a conditional GET with 304 Not Modified: status,
    /// headers and body are the earlier capture's (headers updated from the
    /// 304), `fetched_at` is now.
    pub revisit: Option<Revisit>,
}

/// A 304 answer and the earlier capture it confirms.
#[derive(Debug, Clone)]
pub struct Revisit {
    /// Headers of the 304 response as received.
    pub not_modified_headers: Vec<(String, String)>,
    /// Request headers that made the GET conditional.
    pub conditions: Vec<(String, String)>,
    pub earlier: EarlierCapture,
}

/// Where an earlier run archived a response.
#[derive(Debug, Clone)]
pub struct EarlierCapture {
    /// The earlier WARC file (absolute, or as the history names it).
    pub warc_path: std::path::PathBuf,
    pub offset: u64,
    pub length: u64,
    pub record_id: String,
    pub captured_at: DateTime<Utc>,
    /// sha256 of the earlier payload, lowercase hex.
    pub payload_sha256: String,
}

/// An earlier run's captures of the pages a recheck visits first: the
/// validators for a conditional GET, and the captured response to stand in
/// for a 304.
pub trait Revalidate: Send + Sync + std::fmt::Debug {
    /// `If-None-Match` / `If-Modified-Since` for `url`; empty when there is
    /// nothing to revalidate.
    fn conditions(&self, url: &Url) -> Vec<(String, String)>;
    /// The earlier capture of `url`, checked against its digest, as the
    /// response the 304 `not_modified` confirms; `None` when it cannot be
    /// read back (then the page is fetched again in full).
    fn unchanged(&self, url: &Url, not_modified: &Fetched) -> Option<Fetched>;
}

/// Responses an interrupted run already captured: a resumed crawl takes
/// them from here instead of asking the site again.
pub trait Replay: Send + Sync + std::fmt::Debug {
    fn lookup(&self, url: &Url) -> Option<Fetched>;
}

impl Fetched {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a fetch gave no usable response, by class (run.json counts these).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorClass {
    Dns,
    Connect,
    Tls,
    Timeout,
    /// 5xx (after retries) or 429 past the Retry-After cap.
    ServerError,
    TooManyRedirects,
    /// A redirect left the site's scope (only the homepage may move the
    /// site to another host).
    RedirectOutOfScope,
    Body,
    Other,
}

impl FetchErrorClass {
    /// The snake_case name used as the key of [`CrawlOutcome::errors`].
    pub fn as_str(self) -> &'static str {
        match self {
            FetchErrorClass::Dns => "dns",
            FetchErrorClass::Connect => "connect",
            FetchErrorClass::Tls => "tls",
            FetchErrorClass::Timeout => "timeout",
            FetchErrorClass::ServerError => "server_error",
            FetchErrorClass::TooManyRedirects => "too_many_redirects",
            FetchErrorClass::RedirectOutOfScope => "redirect_out_of_scope",
            FetchErrorClass::Body => "body",
            FetchErrorClass::Other => "other",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{class:?}: {message}")]
pub struct FetchError {
    pub class: FetchErrorClass,
    pub message: String,
    pub url: Url,
}

/// Why a discovered link was not fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    Robots,
    OutOfScope,
    Budget,
    Trap,
    Depth,
    /// The host answered with an anti-bot challenge and is no longer probed.
    Blocked,
    /// Not http(s), or a `mailto:`/`javascript:` link.
    Scheme,
}

/// One fetched document as the observer sees it.
#[derive(Debug)]
pub struct Visit {
    pub fetched: Fetched,
    pub page: Page,
    /// Link hops from the homepage (the homepage is 0).
    pub depth: u32,
    /// The link that led here (None for the homepage, robots, sitemaps).
    pub found_via: Option<Link>,
    /// URL of the page that held `found_via`.
    pub parent: Option<Url>,
    /// The host answers unknown paths with 200 and this body looks like that
    /// answer (or like the homepage, for a URL that is not the homepage).
    pub soft_404: bool,
}

/// What the observer tells the crawler after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Everything is decided: stop this site.
    Stop,
}

pub trait SiteObserver: Send {
    /// How strongly `link` (found on `parent`) points at something still
    /// undecided. Links are visited highest first; 0.0 means "no particular
    /// reason", still crawled while budget remains. Negative: do not fetch.
    fn priority(&self, link: &Link, parent: &Page) -> f32;
    /// Every fetched document, in visiting order (robots.txt and the soft-404
    /// probe are not passed here).
    fn on_visit(&mut self, visit: &Visit) -> Flow;
    /// A link that will not be fetched, with the reason.
    fn on_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason);
    /// Asked again when a queued link comes up: what mattered when it was
    /// found may have been decided since. `false` drops it unfetched.
    fn still_wanted(&self, link: &Link) -> bool {
        let _ = link;
        true
    }
    /// A link whose fetch failed after retries.
    fn on_fetch_error(&mut self, link: &Link, parent: &Url, error: &FetchError);
}

/// How the start of a site went.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SiteStart {
    /// The homepage answered (possibly on the other scheme, possibly on
    /// the host it redirected to): `homepage` is the URL that answered.
    Reached { homepage: Url },
    Unreachable {
        class: FetchErrorClass,
        message: String,
    },
    /// The homepage answered with an anti-bot challenge.
    Blocked { status: u16, message: String },
    /// robots.txt answered 5xx or not at all: RFC 9309 says disallow all.
    RobotsUnavailable { message: String },
    /// robots.txt disallows the homepage itself.
    RobotsDisallowed,
}

/// What the crawl of one site did; run.json reports it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CrawlOutcome {
    pub start: SiteStart,
    /// The homepage redirected to another host (a site that moved domain):
    /// the homepage URL it ended on. That host became the site's scope and
    /// its robots.txt applied; the start host was left alone.
    pub moved_to: Option<Url>,
    pub pages_fetched: usize,
    /// Of those, earlier evidence the server confirmed unchanged (HTTP 304
    /// to a conditional GET): no body was transferred.
    #[serde(default)]
    pub pages_not_modified: usize,
    /// Fetch errors by class.
    pub errors: BTreeMap<String, u32>,
    /// Links left in the frontier when the page budget ran out.
    pub budget_exhausted: bool,
    /// A challenge page appeared mid-crawl and the host was left alone.
    pub blocked_midway: bool,
    /// Sections (`/fdzdgk/`) that answered with a challenge while the rest
    /// of the host did not: their links were left alone, the rest crawled.
    #[serde(default)]
    pub blocked_sections: Vec<String>,
    pub soft_404_host: bool,
    /// Crawl-delay from robots.txt as applied (after the cap), if any.
    pub crawl_delay: Option<f64>,
    /// Crawl-delay asked for, when the cap cut it or it was waived: with an
    /// unlimited rate a loopback host (a fixture server) is not slowed.
    pub crawl_delay_requested: Option<f64>,
    pub robots_ignored: bool,
    pub stopped_early: bool,
}
