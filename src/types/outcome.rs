//! What the crawl saw of a site: each visited document, each link left
//! alone and why, and how the site's crawl went as a whole.

use super::{FetchErrorClass, Fetched, Link, Page};
use std::collections::BTreeMap;
use url::Url;

/// Why a discovered link was not fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// robots.txt disallows it.
    Robots,
    /// Another host than the site's.
    OutOfScope,
    /// The page budget ran out.
    Budget,
    /// A trap bound (calendar, repeating path) stopped it.
    Trap,
    /// Deeper than the click-depth limit.
    Depth,
    /// The host answered with an anti-bot challenge and is no longer probed.
    Blocked,
    /// Not http(s), or a `mailto:`/`javascript:` link.
    Scheme,
}

/// One fetched document as the observer sees it.
#[derive(Debug)]
pub struct Visit {
    /// The response as captured.
    pub fetched: Fetched,
    /// What the page parser made of it.
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

/// How the start of a site went.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SiteStart {
    /// The homepage answered (possibly on the other scheme, possibly on
    /// the host it redirected to): `homepage` is the URL that answered.
    Reached {
        /// The URL that answered.
        homepage: Url,
    },
    /// The homepage could not be fetched.
    Unreachable {
        /// Why, by class.
        class: FetchErrorClass,
        /// What the transport said.
        message: String,
    },
    /// The homepage answered with an anti-bot challenge.
    Blocked {
        /// HTTP status of the challenge.
        status: u16,
        /// What the challenge looked like.
        message: String,
    },
    /// robots.txt answered 5xx or not at all: RFC 9309 says disallow all.
    RobotsUnavailable {
        /// What the transport or server said.
        message: String,
    },
    /// robots.txt disallows the homepage itself.
    RobotsDisallowed,
    /// The homepage redirects to another registered domain. That may be
    /// the county's new address or a hijacked site sending the crawler
    /// elsewhere; either way the evaluator decides, so the site is not
    /// crawled there.
    MovedAway {
        /// Where the homepage ended.
        to: Url,
    },
}

/// What the crawl of one site did; run.json reports it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CrawlOutcome {
    /// How the start went.
    pub start: SiteStart,
    /// The homepage redirected to another host (a site that moved domain):
    /// the homepage URL it ended on. That host became the site's scope and
    /// its robots.txt applied; the start host was left alone.
    pub moved_to: Option<Url>,
    /// Documents fetched, homepage included (robots.txt, probes and sitemaps not).
    pub pages_fetched: usize,
    /// Of those, earlier evidence the server confirmed unchanged (HTTP 304
    /// to a conditional GET): no body was transferred.
    #[serde(default)]
    pub pages_not_modified: usize,
    /// Views read in the rendering browser (a page as its scripts drew
    /// it, each pager step, each in-page route).
    #[serde(default)]
    pub pages_rendered: usize,
    /// Of those, documents whose bytes were those of a page fetched
    /// earlier under another URL: archived and logged, not read again.
    #[serde(default)]
    pub duplicates: usize,
    /// Fetch errors by class.
    pub errors: BTreeMap<String, u32>,
    /// The page budget ran out with links left to visit (or more links
    /// queued than it could ever visit): the only case a row may say
    /// `budget_exhausted`.
    pub budget_exhausted: bool,
    /// A challenge page appeared mid-crawl and the host was left alone.
    pub blocked_midway: bool,
    /// Sections (`/fdzdgk/`) that answered with a challenge while the rest
    /// of the host did not: their links were left alone, the rest crawled.
    #[serde(default)]
    pub blocked_sections: Vec<String>,
    /// The host answers unknown paths with 200 (soft 404).
    pub soft_404_host: bool,
    /// Crawl-delay from robots.txt as applied (after the cap), if any.
    pub crawl_delay: Option<f64>,
    /// Crawl-delay asked for, when the cap cut it or it was waived: with an
    /// unlimited rate a loopback host (a fixture server) is not slowed.
    pub crawl_delay_requested: Option<f64>,
    /// robots.txt was not read (`--ignore-robots`).
    pub robots_ignored: bool,
    /// The crawl stopped before its frontier was empty (every item decided, or interrupted).
    pub stopped_early: bool,
    /// The site's wall-clock budget ran out before the crawl was done.
    #[serde(default)]
    pub timed_out: bool,
    /// Skipped links not handed to the observer: past the number a site
    /// remembers (a site generating links without end), a new skip is only
    /// counted. Any of them could have been relevant, so nothing is failed.
    #[serde(default)]
    pub skips_unreported: usize,
    /// Links still queued when nothing queued pointed at an open row any
    /// more: left unfetched, since none could change a verdict.
    #[serde(default)]
    pub links_not_needed: usize,
    /// Pages read although their TLS certificate did not verify (without
    /// `--strict-tls`), as the run's observer counted them.
    #[serde(default)]
    pub tls_unverified_pages: usize,
}

impl CrawlOutcome {
    /// The outcome of a crawl that has done nothing yet beyond `start`:
    /// no pages, no errors, no limits hit.
    pub fn starting(start: SiteStart) -> CrawlOutcome {
        CrawlOutcome {
            start,
            moved_to: None,
            pages_fetched: 0,
            pages_not_modified: 0,
            pages_rendered: 0,
            duplicates: 0,
            errors: BTreeMap::new(),
            budget_exhausted: false,
            blocked_midway: false,
            blocked_sections: Vec::new(),
            soft_404_host: false,
            crawl_delay: None,
            crawl_delay_requested: None,
            robots_ignored: false,
            stopped_early: false,
            timed_out: false,
            skips_unreported: 0,
            links_not_needed: 0,
            tls_unverified_pages: 0,
        }
    }
}
