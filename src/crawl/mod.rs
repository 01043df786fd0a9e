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
mod query;
pub mod render;
mod robots;
mod scope;
mod site;
#[cfg(test)]
mod tests;
mod transport;

pub use challenge::detect_challenge;

/// The crawler's readers of untrusted bytes and URLs (robots.txt, sitemaps,
/// URL normalisation, trap bounds), reachable from the fuzz targets in
/// `fuzz/`. Compiled only when cargo-fuzz sets `--cfg fuzzing`: not part of
/// the library's API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::robots::{sitemap_locs, Robots};
    pub use super::scope::{dedup_key, normalise, TrapGuard};
}
pub use politeness::{HostPermit, Politeness};
pub use site::crawl_site;

use crate::types::{
    CrawlOutcome, FetchError, FetchErrorClass, Fetched, Hop, Link, Page, SiteStart, SkipReason,
    Visit,
};
use std::time::Duration;
use url::Url;

/// Requests per second per host; `None` is unlimited (loopback tests).
pub type Rate = Option<f64>;

/// How to crawl: rate, budget, bounds, timeouts, identity, and what a resume or
/// a recheck brings along.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// Requests per second per host.
    pub rate: Rate,
    /// Documents fetched per site, homepage included; failed fetches count
    /// too. robots.txt, the soft-404 probe and sitemaps do not.
    pub max_pages: usize,
    /// Links followed from the homepage, at most.
    pub max_depth: u32,
    /// The User-Agent sent with every request.
    pub user_agent: String,
    /// Do not read or obey robots.txt.
    pub ignore_robots: bool,
    /// Refuse pages whose TLS certificate does not verify.
    pub strict_tls: bool,
    /// Timeout for opening a connection.
    pub connect_timeout: Duration,
    /// Whole-request deadline: connect, headers and body.
    pub request_timeout: Duration,
    /// Slowest body transfer accepted, in bytes per second, once
    /// [`SLOW_BODY_GRACE`] has passed: a slower body is abandoned (and not
    /// retried), so a server that trickles cannot hold a request for its
    /// whole deadline again and again.
    pub min_transfer_rate: u64,
    /// Wall-clock budget of one site: past it the crawl stops and the
    /// site's open rows are `inconclusive` (`site_timeout`).
    pub site_timeout: Duration,
    /// Names resolved to these addresses instead of asking DNS
    /// (`--resolve HOST=ADDR`, as curl's `--resolve`).
    pub resolve: Vec<(String, std::net::IpAddr)>,
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
    /// Redirects followed per request, at most.
    pub max_redirects: u32,
    /// Captures of an interrupted run to replay (`--resume`).
    pub replay: Option<std::sync::Arc<dyn Replay>>,
    /// Links visited first, right after the homepage (a recheck's earlier
    /// evidence).
    pub seeds: Vec<Link>,
    /// An earlier run's captures of the seeds, revalidated with a
    /// conditional GET instead of fetched again.
    pub revalidate: Option<std::sync::Arc<dyn Revalidate>>,
    /// The run's headless browser, for pages whose list only script
    /// builds (`--render`); `None` renders nothing.
    pub renderer: Option<std::sync::Arc<render::Renderer>>,
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
            request_timeout: Duration::from_secs(30),
            min_transfer_rate: 1024,
            site_timeout: Duration::from_secs(30 * 60),
            resolve: Vec::new(),
            retries: 3,
            max_body_bytes: 30 * 1024 * 1024,
            max_decoded_bytes: 30 * 1024 * 1024,
            max_crawl_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            max_redirects: 10,
            replay: None,
            seeds: Vec::new(),
            revalidate: None,
            renderer: None,
        }
    }
}

/// How long a body may arrive slower than the minimum transfer rate
/// before it is abandoned: a slow start (a server warming up) is normal.
pub const SLOW_BODY_GRACE: Duration = Duration::from_secs(5);

/// The identifying User-Agent: product, version and a contact URL.
pub fn default_user_agent() -> String {
    format!(
        "govcheck/{} (+https://github.com/govcheck/govcheck; government-integrity evaluation crawler)",
        env!("CARGO_PKG_VERSION")
    )
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
    /// The captured response for `url`, if the interrupted run has one.
    fn lookup(&self, url: &Url) -> Option<Fetched>;
}

/// What the observer tells the crawler after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on crawling the site.
    Continue,
    /// Everything is decided: stop this site.
    Stop,
}

/// What the crawler reports to, and asks of, its caller for one site.
pub trait SiteObserver: Send {
    /// How strongly `link` (found on `parent`) points at something still
    /// undecided. Links are visited highest first; 0.0 means "nothing
    /// undecided": once only such links are queued, the site is done.
    /// Negative: do not fetch.
    fn priority(&self, link: &Link, parent: &Page) -> f32;
    /// Every fetched document, in visiting order (robots.txt and the soft-404
    /// probe are not passed here).
    fn on_visit(&mut self, visit: &Visit) -> Flow;
    /// A fetched document that is the one fetched earlier at `first` on
    /// this site again (the same bytes, read the same way): to be archived
    /// and logged, not audited again. Its links are not followed.
    fn on_duplicate(&mut self, visit: &Visit, first: &Url);
    /// A link that will not be fetched, with the reason.
    fn on_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason);
    /// Asked when a queued link comes up: its priority now, found on
    /// `parent` (see [`SiteObserver::priority`]), for what was open when it
    /// was queued may have been decided since. `None`: as queued.
    fn priority_now(&self, link: &Link, parent: &Url) -> Option<f32> {
        let _ = (link, parent);
        None
    }
    /// Asked again when a queued link comes up: what mattered when it was
    /// found may have been decided since. `false` drops it unfetched.
    fn still_wanted(&self, link: &Link) -> bool {
        let _ = link;
        true
    }
    /// A link whose fetch failed after retries.
    fn on_fetch_error(&mut self, link: &Link, parent: &Url, error: &FetchError);
    /// A response the rendering browser needed that is not a document of
    /// its own (a script): archived, not audited.
    fn on_rendering_request(&mut self, fetched: &Fetched) {
        let _ = fetched;
    }
}
