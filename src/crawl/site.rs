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

use super::challenge::detect_challenge;
use super::frontier::{Frontier, Queued};
use super::politeness::Politeness;
use super::robots::{sitemap_locs, Robots, RobotsAnswer};
use super::scope::{dedup_key, is_http, is_non_document, normalise, Scope, TrapGuard};
use super::transport::Transport;
use super::{
    CrawlConfig, CrawlOutcome, FetchError, FetchErrorClass, Fetched, Flow, SiteObserver, SiteStart,
    SkipReason, Visit,
};
use crate::types::{Link, LinkOrigin, Page};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use url::Url;

/// The page parser: `crate::page::parse` in production, a stand-in in tests.
pub(crate) type ParseFn = fn(&Url, u16, Option<&str>, &[u8]) -> Page;

/// Sitemap files fetched per site (indexes included).
const MAX_SITEMAP_FILES: usize = 5;
/// Sitemap URLs queued per site.
const MAX_SITEMAP_URLS: usize = 500;
/// A page this close in length to the probe, with its title, is soft 404.
const SOFT_404_LENGTH_TOLERANCE: f64 = 0.05;

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
        start: SiteStart::RobotsDisallowed,
        moved_to: None,
        pages_fetched: 0,
        pages_not_modified: 0,
        errors: BTreeMap::new(),
        budget_exhausted: false,
        blocked_midway: false,
        blocked_sections: Vec::new(),
        soft_404_host: false,
        crawl_delay: None,
        crawl_delay_requested: None,
        robots_ignored: config.ignore_robots,
        stopped_early: false,
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
        skipped: BTreeSet::new(),
        preferred_scheme: None,
        soft: None,
        attempts: 0,
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

/// What marks a soft-404 answer on this host.
struct SoftSignature {
    /// sha256 of the probe's body, when the host answered it with 2xx.
    probe: Option<ProbeAnswer>,
    home_hash: [u8; 32],
    home_key: String,
}

struct ProbeAnswer {
    hash: [u8; 32],
    title: String,
    len: usize,
}

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
    /// (reason, dedup key) already reported through `on_skip`.
    skipped: BTreeSet<(SkipReason, String)>,
    /// The scheme that answered last, tried first next time.
    preferred_scheme: Option<String>,
    soft: Option<SoftSignature>,
    /// Documents fetched or attempted; what the page budget counts.
    attempts: usize,
    outcome: CrawlOutcome,
}

/// Parse off the async threads (a free function: the site holds the
/// observer, which is `Send` but not `Sync`).
async fn parse_page(parse: ParseFn, f: &Fetched) -> Page {
    let url = f.final_url.clone();
    let status = f.status;
    let content_type = f.header("content-type").map(str::to_string);
    let body = f.body.clone();
    let job =
        tokio::task::spawn_blocking(move || parse(&url, status, content_type.as_deref(), &body));
    match job.await {
        Ok(page) => page,
        Err(e) => {
            tracing::warn!(url = %f.final_url, error = %e, "page parser failed");
            parse(&f.final_url, f.status, None, &[])
        }
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

impl Site<'_> {
    /// robots.txt and the homepage. `Err` is the reason the site cannot be
    /// crawled.
    async fn begin(&mut self, start: &Url) -> Result<Fetched, SiteStart> {
        if !self.config.ignore_robots {
            self.read_robots(start).await?;
            if !self.robots.allowed(start) {
                return Err(SiteStart::RobotsDisallowed);
            }
        }
        // The homepage's redirects may leave the host: a site that moved.
        let replayed = self.config.replay.as_ref().and_then(|r| r.lookup(start));
        let home = match replayed {
            Some(home) => Ok(home),
            None => self.fetch_start(start, self.config.retries).await,
        };
        let home = match home {
            Ok(home) => home,
            Err(e) => {
                self.count_error(e.class);
                return Err(SiteStart::Unreachable {
                    class: e.class,
                    message: e.message,
                });
            }
        };
        if let Some(message) = detect_challenge(home.status, &home.body) {
            return Err(SiteStart::Blocked {
                status: home.status,
                message,
            });
        }
        match home.status {
            200..=299 => {
                if !self.scope.contains(&home.final_url) {
                    self.move_to(&home.final_url).await?;
                }
                Ok(home)
            }
            s @ (401 | 403 | 407 | 429 | 451) => Err(SiteStart::Blocked {
                status: s,
                message: format!("homepage answered HTTP {s}"),
            }),
            s => {
                let class = if s >= 500 {
                    FetchErrorClass::ServerError
                } else {
                    FetchErrorClass::Other
                };
                self.count_error(class);
                Err(SiteStart::Unreachable {
                    class,
                    message: format!("homepage answered HTTP {s}"),
                })
            }
        }
    }

    /// The homepage ended on another host: make that host the site's
    /// scope and read its robots.txt (unless robots.txt was already read
    /// there, through a redirect).
    async fn move_to(&mut self, home: &Url) -> Result<(), SiteStart> {
        tracing::info!(to = %home, "the homepage redirects to another host; following the site there");
        self.outcome.moved_to = Some(home.clone());
        self.scope = Scope::new(home);
        if self.config.ignore_robots {
            return Ok(());
        }
        let read_there = self
            .robots_from
            .as_ref()
            .is_some_and(|u| self.scope.contains(u));
        if read_there {
            self.apply_crawl_delay();
        } else {
            self.robots = Robots::default();
            self.read_robots(home).await?;
        }
        if !self.robots.allowed(home) {
            return Err(SiteStart::RobotsDisallowed);
        }
        Ok(())
    }

    async fn read_robots(&mut self, start: &Url) -> Result<(), SiteStart> {
        let Ok(robots_url) = start.join("/robots.txt") else {
            return Ok(());
        };
        let fetched = match self.fetch_start(&robots_url, self.config.retries).await {
            Ok(f) => f,
            Err(e) => return Err(self.robots_failed(start, e).await),
        };
        if let Some(message) = detect_challenge(fetched.status, &fetched.body) {
            return Err(SiteStart::Blocked {
                status: fetched.status,
                message: format!("robots.txt: {message}"),
            });
        }
        self.robots = match Robots::from_response(&fetched) {
            RobotsAnswer::Rules(r) => r,
            RobotsAnswer::Unavailable(message) => {
                return Err(SiteStart::RobotsUnavailable { message })
            }
        };
        self.robots_from = Some(fetched.final_url);
        self.apply_crawl_delay();
        Ok(())
    }

    /// Slow the site's origins to robots.txt's Crawl-delay, capped. With an
    /// unlimited rate a loopback host is not slowed: that is a test or
    /// benchmark against a local server, which the delay only stalls.
    fn apply_crawl_delay(&mut self) {
        self.outcome.crawl_delay = None;
        self.outcome.crawl_delay_requested = None;
        let Some(requested) = self.robots.crawl_delay() else {
            return;
        };
        if self.politeness.is_unlimited() && self.scope.is_loopback() {
            tracing::debug!(
                requested,
                "Crawl-delay waived: unlimited rate on a loopback host"
            );
            self.outcome.crawl_delay_requested = Some(requested);
            return;
        }
        let cap = self.config.max_crawl_delay.as_secs_f64();
        let applied = requested.min(cap);
        self.outcome.crawl_delay = Some(applied);
        if requested > cap {
            self.outcome.crawl_delay_requested = Some(requested);
        }
        for origin in self.scope.origins() {
            self.politeness
                .set_crawl_delay(&origin, Duration::from_secs_f64(applied));
        }
    }

    /// robots.txt got no answer. When nothing answers on the host (no
    /// name, refused, bad TLS) the site is unreachable; after a timeout one
    /// try of the homepage tells a dead host from a dead robots.txt. Any
    /// other failure means the server answered: robots.txt is unavailable.
    async fn robots_failed(&mut self, start: &Url, e: FetchError) -> SiteStart {
        let unreachable = |e: FetchError| SiteStart::Unreachable {
            class: e.class,
            message: format!("robots.txt: {}", e.message),
        };
        match e.class {
            FetchErrorClass::Dns | FetchErrorClass::Connect | FetchErrorClass::Tls => {
                unreachable(e)
            }
            FetchErrorClass::Timeout => match self.fetch_start(start, 0).await {
                Ok(_) => SiteStart::RobotsUnavailable {
                    message: format!("robots.txt: {e}"),
                },
                Err(_) => unreachable(e),
            },
            _ => SiteStart::RobotsUnavailable {
                message: format!("robots.txt: {e}"),
            },
        }
    }

    /// Fetch a start URL (robots.txt, homepage) with the scheme fallback:
    /// without an explicit port https is tried first and http after a
    /// connect, TLS or timeout failure; with one, the URL as given and the
    /// other scheme only after a connect or TLS failure. The scheme that
    /// answered is tried first next time. Redirects may lead anywhere: the
    /// caller decides what an answer from another host means.
    async fn fetch_start(&mut self, url: &Url, retries: u32) -> Result<Fetched, FetchError> {
        let implicit_port = url.port().is_none();
        let first_scheme = self
            .preferred_scheme
            .clone()
            .unwrap_or_else(|| if implicit_port { "https" } else { url.scheme() }.to_string());
        let other_scheme = if first_scheme == "https" {
            "http"
        } else {
            "https"
        };
        let with_scheme = |scheme: &str| {
            let mut u = url.clone();
            // http ↔ https is always allowed by the url crate.
            let _ = u.set_scheme(scheme);
            u
        };
        let allow = |_: &Url| true;
        // Without a port a timeout falls back, so the first scheme gets one
        // retry and the fallback the rest.
        let first_retries = if implicit_port {
            retries.min(1)
        } else {
            retries
        };
        let first = self
            .transport
            .fetch(&with_scheme(&first_scheme), &allow, first_retries)
            .await;
        let first_error = match first {
            Ok(f) => {
                self.preferred_scheme = Some(f.final_url.scheme().to_string());
                return Ok(f);
            }
            Err(e) => e,
        };
        let fall_back = match first_error.class {
            FetchErrorClass::Connect | FetchErrorClass::Tls => true,
            FetchErrorClass::Timeout => implicit_port,
            _ => false,
        };
        if !fall_back {
            return Err(first_error);
        }
        tracing::debug!(%url, error = %first_error, "trying the other scheme");
        match self
            .transport
            .fetch(&with_scheme(other_scheme), &allow, retries)
            .await
        {
            Ok(f) => {
                self.preferred_scheme = Some(f.final_url.scheme().to_string());
                Ok(f)
            }
            // The other scheme is simply not served: the first error says more.
            Err(e) if matches!(e.class, FetchErrorClass::Connect | FetchErrorClass::Tls) => {
                Err(first_error)
            }
            Err(e) => Err(e),
        }
    }

    /// The homepage visit, the probe, sitemaps and the priority loop.
    async fn crawl(&mut self, start: &Url, home: Fetched) {
        self.frontier.mark_visited(start);
        self.frontier.mark_visited(&home.final_url);
        self.attempts += 1;
        self.probe_soft_404(&home).await;
        let page = parse_page(self.parse, &home).await;
        self.outcome.pages_fetched += 1;
        let visit = Visit {
            fetched: home,
            page,
            depth: 0,
            found_via: None,
            parent: None,
            soft_404: false,
        };
        if self.observer.on_visit(&visit) == Flow::Stop {
            self.outcome.stopped_early = true;
            return;
        }
        let Visit { fetched, page, .. } = visit;
        drop(fetched);
        self.enqueue_links(&page, 1);
        // Evidence of an earlier run (a recheck): looked at before anything
        // else, under the name its link gave it then.
        for seed in self.config.seeds.clone() {
            let url = normalise(&seed.url);
            if is_http(&url) && self.scope.contains(&url) {
                self.frontier.push(Queued {
                    link: Link { url, ..seed },
                    parent: page.url.clone(),
                    depth: 1,
                    priority: f32::MAX,
                });
            }
        }
        drop(page);
        self.read_sitemaps().await;

        while let Some(item) = self.frontier.pop() {
            if !self.observer.still_wanted(&item.link) {
                continue;
            }
            if self.in_blocked_section(&item.link.url) {
                self.skip(&item.link, &item.parent, SkipReason::Blocked);
                continue;
            }
            if !self.robots.allowed(&item.link.url) {
                self.skip(&item.link, &item.parent, SkipReason::Robots);
                continue;
            }
            if self.attempts >= self.config.max_pages {
                self.skip(&item.link, &item.parent, SkipReason::Budget);
                self.outcome.budget_exhausted = true;
                for rest in self.frontier.drain() {
                    let reason = if self.robots.allowed(&rest.link.url) {
                        SkipReason::Budget
                    } else {
                        SkipReason::Robots
                    };
                    self.skip(&rest.link, &rest.parent, reason);
                }
                break;
            }
            if self.visit(item).await == Flow::Stop {
                break;
            }
        }
    }

    /// Fetch and hand on one queued link. `Stop` ends the site.
    async fn visit(&mut self, item: Queued) -> Flow {
        self.attempts += 1;
        let scope = self.scope.clone();
        let allow = move |u: &Url| scope.contains(u);
        let replayed = self
            .config
            .replay
            .as_ref()
            .and_then(|r| r.lookup(&item.link.url));
        let fetched = match replayed {
            Some(f) => Ok(f),
            None if item.link.origin == LinkOrigin::Evidence => {
                self.revalidate(&item.link.url, &allow).await
            }
            None => {
                self.transport
                    .fetch(&item.link.url, &allow, self.config.retries)
                    .await
            }
        };
        let fetched = match fetched {
            Ok(f) => f,
            Err(e) => {
                self.fetch_error(&item, &e);
                return Flow::Continue;
            }
        };
        if let Some(message) = detect_challenge(fetched.status, &fetched.body) {
            // A section behind its own guard (an application under
            // /zwgk/fdzdgk/) is left alone; a page at the top, or a third
            // guarded section, means the host guards everything.
            let section = section_of(&fetched.final_url);
            let room = self.outcome.blocked_sections.len() < MAX_BLOCKED_SECTIONS;
            if let Some(section) = section.filter(|_| room) {
                tracing::warn!(url = %fetched.final_url, %message, %section, "challenge mid-crawl; leaving the section");
                self.outcome.blocked_sections.push(section);
                self.skip(&item.link, &item.parent, SkipReason::Blocked);
                return Flow::Continue;
            }
            tracing::warn!(url = %fetched.final_url, %message, "challenge mid-crawl; leaving the host");
            self.outcome.blocked_midway = true;
            self.skip(&item.link, &item.parent, SkipReason::Blocked);
            for rest in self.frontier.drain() {
                self.skip(&rest.link, &rest.parent, SkipReason::Blocked);
            }
            return Flow::Stop;
        }
        if fetched.status >= 500 || fetched.status == 429 {
            let e = FetchError {
                class: FetchErrorClass::ServerError,
                message: format!("HTTP {} after retries", fetched.status),
                url: fetched.final_url.clone(),
            };
            self.fetch_error(&item, &e);
            return Flow::Continue;
        }
        self.frontier.mark_visited(&fetched.final_url);
        let page = parse_page(self.parse, &fetched).await;
        let soft_404 = self.is_soft_404(&fetched, &page);
        self.outcome.pages_fetched += 1;
        if fetched.revisit.is_some() {
            self.outcome.pages_not_modified += 1;
        }
        let success = (200..300).contains(&fetched.status);
        let visit = Visit {
            fetched,
            page,
            depth: item.depth,
            found_via: Some(item.link),
            parent: Some(item.parent),
            soft_404,
        };
        if self.observer.on_visit(&visit) == Flow::Stop {
            self.outcome.stopped_early = true;
            return Flow::Stop;
        }
        let Visit { fetched, page, .. } = visit;
        drop(fetched);
        if success {
            self.enqueue_links(&page, item.depth + 1);
        }
        Flow::Continue
    }

    fn in_blocked_section(&self, url: &Url) -> bool {
        let path = url.path();
        self.outcome
            .blocked_sections
            .iter()
            .any(|section| path.starts_with(section.as_str()))
    }

    /// An earlier run's evidence: a conditional GET when the earlier
    /// capture has validators; a 304 stands for the earlier response when
    /// that can be read back, else the page is fetched again in full.
    async fn revalidate(
        &mut self,
        url: &Url,
        allow: &(dyn Fn(&Url) -> bool + Sync),
    ) -> Result<Fetched, FetchError> {
        let retries = self.config.retries;
        let Some(earlier) = self.config.revalidate.clone() else {
            return self.transport.fetch(url, allow, retries).await;
        };
        let conditions = earlier.conditions(url);
        if conditions.is_empty() {
            return self.transport.fetch(url, allow, retries).await;
        }
        let answer = self
            .transport
            .fetch_with(url, &conditions, allow, retries)
            .await?;
        if answer.status != 304 {
            return Ok(answer);
        }
        match earlier.unchanged(url, &answer) {
            Some(unchanged) => Ok(unchanged),
            None => {
                tracing::info!(%url, "304 but the earlier capture cannot be read back; fetching in full");
                self.attempts += 1;
                self.transport.fetch(url, allow, retries).await
            }
        }
    }

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

    /// Ask for a path that cannot exist; a 2xx answer makes this a soft-404
    /// host and the answer its signature.
    async fn probe_soft_404(&mut self, home: &Fetched) {
        let name = format!("/{:016x}-govcheck-probe.html", rand::random::<u64>());
        let mut soft = SoftSignature {
            probe: None,
            home_hash: sha256(&home.body),
            home_key: dedup_key(&home.final_url),
        };
        if let Ok(probe_url) = home.final_url.join(&name) {
            let scope = self.scope.clone();
            let allow = move |u: &Url| scope.contains(u);
            let retries = self.config.retries.min(1);
            match self.transport.fetch(&probe_url, &allow, retries).await {
                Ok(p) if (200..300).contains(&p.status) => {
                    let page = parse_page(self.parse, &p).await;
                    tracing::info!(url = %probe_url, "unknown paths answer 2xx: soft-404 host");
                    soft.probe = Some(ProbeAnswer {
                        hash: sha256(&p.body),
                        title: page.html_title.trim().to_string(),
                        len: p.body.len(),
                    });
                    self.outcome.soft_404_host = true;
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "soft-404 probe failed"),
            }
        }
        self.soft = Some(soft);
    }

    fn is_soft_404(&self, f: &Fetched, page: &Page) -> bool {
        let Some(SoftSignature {
            probe: Some(probe),
            home_hash,
            home_key,
        }) = &self.soft
        else {
            return false;
        };
        if !(200..300).contains(&f.status) {
            return false;
        }
        let hash = sha256(&f.body);
        if hash == probe.hash {
            return true;
        }
        if hash == *home_hash && dedup_key(&f.final_url) != *home_key {
            return true;
        }
        let title = page.html_title.trim();
        let tolerance = probe.len as f64 * SOFT_404_LENGTH_TOLERANCE;
        !probe.title.is_empty()
            && title == probe.title
            && (f.body.len() as f64 - probe.len as f64).abs() <= tolerance
    }

    /// Queue the sitemaps' URLs at depth 1.
    async fn read_sitemaps(&mut self) {
        let mut pending: Vec<String> = self.robots.sitemaps().to_vec();
        pending.reverse();
        let (mut files, mut queued) = (0, 0);
        let scope = self.scope.clone();
        let allow = move |u: &Url| scope.contains(u);
        while let Some(raw) = pending.pop() {
            if files >= MAX_SITEMAP_FILES || queued >= MAX_SITEMAP_URLS {
                break;
            }
            let Ok(url) = Url::parse(raw.trim()) else {
                continue;
            };
            if !self.scope.contains(&url) || !self.robots.allowed(&url) {
                continue;
            }
            files += 1;
            let fetched = match self.transport.fetch(&url, &allow, 1).await {
                Ok(f) if (200..300).contains(&f.status) => f,
                Ok(f) => {
                    tracing::debug!(%url, status = f.status, "sitemap not read");
                    continue;
                }
                Err(e) => {
                    tracing::debug!(%url, error = %e, "sitemap not read");
                    continue;
                }
            };
            let (locs, index) = sitemap_locs(&fetched.body);
            if index {
                pending.extend(locs.into_iter().rev());
                continue;
            }
            let parent = (self.parse)(&fetched.final_url, fetched.status, None, &[]);
            for loc in locs {
                if queued >= MAX_SITEMAP_URLS {
                    break;
                }
                let Ok(loc) = fetched.final_url.join(loc.trim()) else {
                    continue;
                };
                queued += 1;
                let link = Link {
                    url: loc,
                    text: String::new(),
                    context: String::new(),
                    section: String::new(),
                    date: None,
                    origin: LinkOrigin::Sitemap,
                };
                self.consider(&link, &parent, 1);
            }
        }
    }

    fn enqueue_links(&mut self, page: &Page, depth: u32) {
        for link in &page.links {
            self.consider(link, page, depth);
        }
    }

    /// Decide what to do with one discovered link.
    fn consider(&mut self, link: &Link, parent: &Page, depth: u32) {
        let url = normalise(&link.url);
        if !is_http(&url) {
            self.skip(link, &parent.url, SkipReason::Scheme);
            return;
        }
        if is_non_document(&url) {
            return;
        }
        if !self.scope.contains(&url) {
            self.skip(link, &parent.url, SkipReason::OutOfScope);
            return;
        }
        // A URL seen before passed these checks then: only a higher
        // priority changes anything.
        if !self.frontier.is_known(&url) {
            if depth > self.config.max_depth {
                self.skip(link, &parent.url, SkipReason::Depth);
                return;
            }
            if let Some(reason) = self.traps.check(&url) {
                self.skip(link, &parent.url, reason);
                return;
            }
        } else if depth > self.config.max_depth {
            return;
        }
        let priority = self.observer.priority(link, parent);
        self.frontier.push(Queued {
            link: Link {
                url,
                ..link.clone()
            },
            parent: parent.url.clone(),
            depth,
            priority,
        });
    }

    /// Report a skip once per URL and reason.
    fn skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        let key = if is_http(&link.url) {
            dedup_key(&link.url)
        } else {
            link.url.to_string()
        };
        if self.skipped.insert((reason, key)) {
            self.observer.on_skip(link, parent, reason);
        }
    }
}

/// Sections answering with a challenge before the whole host is taken to
/// be guarded.
const MAX_BLOCKED_SECTIONS: usize = 2;

/// The directory of a URL's path (`/zwgk/fdzdgk/` of
/// `/zwgk/fdzdgk/list.aspx?cid=3`); `None` for a page at the top of the
/// site.
fn section_of(url: &Url) -> Option<String> {
    let path = url.path();
    let dir = &path[..=path.rfind('/')?];
    (dir.len() > 1).then(|| dir.to_string())
}
