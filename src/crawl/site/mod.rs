//! The crawl of one site, start to finish.
//!
//! robots.txt → homepage (scheme fallback; a homepage that redirects to
//! another host moves the site there, and that host's robots.txt is read)
//! → soft-404 probe → homepage visit → sitemaps → the priority loop, until
//! the observer has what it needs, the budget is spent, the frontier is
//! empty or the host starts answering with challenges. Every decision that
//! could make a missing disclosure look absent (robots, budget, challenge,
//! errors) is reported to the observer or in the [`CrawlOutcome`], never
//! swallowed.
//!
//! One [`Site`] value carries the crawl's state; its methods live by job:
//! `start` (homepage, scheme fallback, a moved host), `robots_txt` (reading
//! robots.txt and its Crawl-delay), `probe` (soft-404 detection),
//! `sitemaps`, `walk` (the frontier loop and each visit) and `duplicates`
//! (a body already read under another URL).

mod duplicates;
mod probe;
mod render;
mod robots_txt;
mod sitemaps;
mod start;
mod walk;

use super::frontier::{Frontier, Queued};
use super::politeness::Politeness;
use super::robots::Robots;
use super::scope::{dedup_key, is_http, normalise, Scope, TrapGuard};
use super::transport::Transport;
use super::{
    CrawlConfig, CrawlOutcome, FetchError, FetchErrorClass, Fetched, SiteObserver, SiteStart,
    SkipReason,
};
use crate::types::{BodyCut, Link, Page};
use probe::SoftSignature;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use url::Url;

/// The page parser: `crate::page::parse` in production, a stand-in in tests.
pub(crate) type ParseFn = fn(&Url, u16, Option<&str>, &[u8]) -> Page;

/// Crawl one site from `start`, handing every document to `observer`.
pub async fn crawl_site(
    start: Url,
    config: &CrawlConfig,
    politeness: &Politeness,
    observer: &mut dyn SiteObserver,
) -> CrawlOutcome {
    crawl_site_with(start, config, politeness, observer, crate::page::parse).await
}

/// [`crawl_site`] with the parser given, so the loop is testable before and
/// apart from the real parser.
pub(crate) async fn crawl_site_with(
    start: Url,
    config: &CrawlConfig,
    politeness: &Politeness,
    observer: &mut dyn SiteObserver,
    parse: ParseFn,
) -> CrawlOutcome {
    let start = normalise(&start);
    let mut outcome = CrawlOutcome {
        robots_ignored: config.ignore_robots,
        ..CrawlOutcome::starting(SiteStart::RobotsDisallowed)
    };
    let transport = match Transport::new(config, politeness, &start) {
        Ok(t) => t,
        Err(e) => {
            outcome.start = SiteStart::Unreachable {
                class: e.class,
                message: e.message,
            };
            return outcome;
        }
    };
    let mut site = Site {
        config,
        politeness,
        transport,
        scope: Scope::new(&start),
        observer,
        parse,
        robots: Robots::default(),
        robots_from: None,
        frontier: Frontier::default(),
        traps: TrapGuard::default(),
        bodies: duplicates::Bodies::default(),
        skipped: HashSet::new(),
        preferred_scheme: None,
        soft: None,
        attempts: 0,
        started: std::time::Instant::now(),
        rendered_views: 0,
        rendered_pages: HashSet::new(),
        refused_lists: HashSet::new(),
        render_cache: std::collections::HashMap::new(),
        render_cache_bytes: 0,
        outcome,
    };
    match site.begin(&start).await {
        Ok(home) => {
            site.outcome.start = SiteStart::Reached {
                homepage: home.final_url.clone(),
            };
            site.crawl(&start, home).await;
        }
        Err(start) => site.outcome.start = start,
    }
    site.outcome
}

/// Everything one site's crawl keeps between fetches.
struct Site<'a> {
    config: &'a CrawlConfig,
    politeness: &'a Politeness,
    transport: Transport<'a>,
    scope: Scope,
    observer: &'a mut dyn SiteObserver,
    parse: ParseFn,
    robots: Robots,
    /// The URL robots.txt was read from (after redirects).
    robots_from: Option<Url>,
    frontier: Frontier,
    traps: TrapGuard,
    /// The first document of each body read, by digest.
    bodies: duplicates::Bodies,
    /// Hashes of (reason, dedup key) already reported through `on_skip`.
    skipped: HashSet<u64>,
    /// The scheme that answered last, tried first next time.
    preferred_scheme: Option<String>,
    soft: Option<SoftSignature>,
    /// Documents fetched or attempted; what the page budget counts.
    attempts: usize,
    /// When the site's crawl began, for its wall-clock budget.
    started: std::time::Instant,
    /// Views read in the browser so far (the render budget counts these).
    rendered_views: usize,
    /// Pages already opened in the browser.
    rendered_pages: HashSet<String>,
    /// Next-page URLs of lists that answered a GET with 405 (a pager that
    /// POSTs): a list linking one is read in the browser.
    refused_lists: HashSet<String>,
    /// Answers to the browser's GETs, kept for the site's next rendering.
    render_cache: std::collections::HashMap<String, Fetched>,
    render_cache_bytes: usize,
    outcome: CrawlOutcome,
}

/// Pages parsed at the same time, process-wide: one per core. Parsing is
/// all CPU, so more at once only adds threads and memory: with 200 sites in
/// flight the blocking pool would otherwise hold up to 200 parse trees at
/// once (docs/scale.md).
fn parse_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        tokio::sync::Semaphore::new(cores)
    })
}

/// Parse off the async threads (a free function: the site holds the
/// observer, which is `Send` but not `Sync`).
async fn parse_page(parse: ParseFn, f: &Fetched) -> Page {
    let url = f.final_url.clone();
    let status = f.status;
    let content_type = f.header("content-type").map(str::to_string);
    let body = f.body.clone();
    // The semaphore is never closed, so a permit always comes.
    let slot = parse_slots().acquire().await.ok();
    let job =
        tokio::task::spawn_blocking(move || parse(&url, status, content_type.as_deref(), &body));
    let parsed = job.await;
    drop(slot);
    let mut page = match parsed {
        Ok(page) => page,
        Err(e) => {
            tracing::warn!(url = %f.final_url, error = %e, "page parser failed");
            parse(&f.final_url, f.status, None, &[])
        }
    };
    if f.truncated {
        page.cut = Some(transfer_cut(f));
    }
    if page.links.len() > MAX_LINKS_PER_PAGE {
        page.links.truncate(MAX_LINKS_PER_PAGE);
        page.cut.get_or_insert(BodyCut::LinkLimit);
    }
    page
}

/// Links read from one page at most. Real list pages hold a few hundred;
/// a page of tens of thousands is a generator, and following all of them
/// from every page would fill memory. A page cut here says so, and keeps
/// open the items it could hold.
const MAX_LINKS_PER_PAGE: usize = 5_000;

/// Skips one site remembers, to report each once (about 18 MB of hashes;
/// a real portal of 60,000 pages skips far fewer): a site whose every
/// page links thousands of new pages skips millions.
const MAX_REMEMBERED_SKIPS: usize = 1_000_000;

/// Which cap cut a truncated body: a compressed body is cut when undoing
/// it passes the decompression cap (its wire form stays far smaller), a
/// plain one on the wire.
fn transfer_cut(f: &Fetched) -> BodyCut {
    let encoded = f
        .header("content-encoding")
        .is_some_and(|e| !e.trim().is_empty() && !e.trim().eq_ignore_ascii_case("identity"));
    if encoded {
        BodyCut::DecompressionLimit
    } else {
        BodyCut::BodyTooLarge
    }
}

impl Site<'_> {
    fn fetch_error(&mut self, item: &Queued, e: &FetchError) {
        tracing::debug!(url = %item.link.url, error = %e, "fetch failed");
        self.count_error(e.class);
        self.observer.on_fetch_error(&item.link, &item.parent, e);
    }

    fn count_error(&mut self, class: FetchErrorClass) {
        *self
            .outcome
            .errors
            .entry(class.as_str().to_string())
            .or_default() += 1;
    }

    /// Report a skip once per URL and reason. Past [`MAX_REMEMBERED_SKIPS`]
    /// (a site generating links without end) a new skip is only counted in
    /// `skips_unreported`: memory and work stay bounded, and the audit
    /// fails nothing on such a site.
    fn skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        let mut hasher = std::hash::DefaultHasher::new();
        reason.hash(&mut hasher);
        if is_http(&link.url) {
            dedup_key(&link.url).hash(&mut hasher);
        } else {
            link.url.as_str().hash(&mut hasher);
        }
        let key = hasher.finish();
        if self.skipped.contains(&key) {
            return;
        }
        if self.skipped.len() < MAX_REMEMBERED_SKIPS {
            self.skipped.insert(key);
            self.observer.on_skip(link, parent, reason);
        } else {
            self.outcome.skips_unreported += 1;
        }
    }
}
