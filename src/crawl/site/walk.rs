//! The frontier loop: after the homepage, queued links are visited highest
//! priority first until the observer stops, the budget is spent, the
//! frontier is empty or the host starts answering with challenges.

use super::{parse_page, Site};
use crate::crawl::challenge::detect_challenge;
use crate::crawl::frontier::Queued;
use crate::crawl::scope::{is_http, is_non_document, normalise};
use crate::crawl::Flow;
use crate::types::{
    FetchError, FetchErrorClass, Fetched, Link, LinkOrigin, Page, SkipReason, Visit,
};
use url::Url;

impl Site<'_> {
    /// The homepage visit, the probe, sitemaps and the priority loop.
    pub(super) async fn crawl(&mut self, start: &Url, home: Fetched) {
        let Some(page) = self.visit_home(start, home).await else {
            return;
        };
        self.enqueue_links(&page, 0, 0);
        self.queue_seeds(&page.url);
        drop(page);
        self.read_sitemaps().await;
        self.walk_frontier().await;
    }

    /// Probe for soft 404s and hand the homepage on; its page, unless the
    /// observer already has all it needs.
    async fn visit_home(&mut self, start: &Url, home: Fetched) -> Option<Page> {
        self.frontier.mark_visited(start);
        self.frontier.mark_visited(&home.final_url);
        self.attempts += 1;
        self.probe_soft_404(&home).await;
        let page = parse_page(self.parse, &home).await;
        self.compare_body(&home, &page, self.outcome.soft_404_host, None);
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
            return None;
        }
        let Visit { fetched, page, .. } = visit;
        drop(fetched);
        Some(page)
    }

    /// Evidence of an earlier run (a recheck): looked at before anything
    /// else, under the name its link gave it then.
    fn queue_seeds(&mut self, home: &Url) {
        for seed in self.config.seeds.clone() {
            let url = normalise(&seed.url);
            if is_http(&url) && self.scope.contains(&url) {
                self.frontier.push(Queued {
                    link: Link { url, ..seed },
                    parent: home.clone(),
                    depth: 1,
                    list_pages: 0,
                    priority: f32::MAX,
                });
            }
        }
    }

    /// Visit queued links, best first, until the frontier is empty, the
    /// budget is spent or a visit ends the site.
    async fn walk_frontier(&mut self) {
        loop {
            let observer = &*self.observer;
            // An earlier run's evidence (a recheck's seeds) is queued first
            // by the crawler, not by what is open: it keeps its place.
            let Some(item) = self.frontier.pop_current(|queued| {
                (queued.link.origin != LinkOrigin::Evidence)
                    .then(|| observer.priority_now(&queued.link, &queued.parent))
                    .flatten()
            }) else {
                break;
            };
            if !self.observer.still_wanted(&item.link) {
                continue;
            }
            if item.priority <= 0.0 {
                // Best first: nothing left points at an open row, so no
                // fetch could change a verdict.
                self.outcome.links_not_needed = 1 + self.frontier.drain().len();
                self.outcome.stopped_early = true;
                break;
            }
            if self.started.elapsed() >= self.config.site_timeout {
                tracing::warn!(
                    minutes = self.config.site_timeout.as_secs_f64() / 60.0,
                    pages = self.outcome.pages_fetched,
                    "the site's time budget ran out; its open rows stay inconclusive"
                );
                self.outcome.timed_out = true;
                self.outcome.stopped_early = true;
                break;
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
        let fetched = match self.fetch_queued(&item).await {
            Ok(f) => f,
            Err(e) => {
                self.fetch_error(&item, &e);
                return Flow::Continue;
            }
        };
        if let Some(message) = detect_challenge(fetched.status, &fetched.body) {
            return self.challenged(&item, &fetched.final_url, &message);
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
        let mut page = parse_page(self.parse, &fetched).await;
        let soft_404 = self.is_soft_404(&fetched, &page);
        let body = self.compare_body(&fetched, &page, soft_404, Some(&item));
        if let super::duplicates::Body::Duplicate(first) = &body {
            return self.duplicate(item, fetched, page, first);
        }
        self.outcome.pages_fetched += 1;
        if fetched.revisit.is_some() {
            self.outcome.pages_not_modified += 1;
        }
        // A list only its scripts fill is read in the browser before the
        // page is handed on, so the page does not first declare its list
        // unreadable.
        let rendered = match !soft_404 && self.wants_rendering(&fetched, &page) {
            true => {
                self.render(&fetched.final_url, Some((&fetched, &page)))
                    .await
            }
            false => None,
        };
        if rendered.as_ref().is_some_and(|r| r.covers_its_list()) {
            super::render::read_in_browser(&mut page);
        }
        let refused_list = (fetched.status == 405
            && matches!(item.link.origin, LinkOrigin::Pager | LinkOrigin::Script))
        .then(|| item.parent.clone());
        if refused_list.is_some() {
            self.refused_lists.insert(fetched.final_url.to_string());
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
        let page_url = fetched.final_url.clone();
        drop(fetched);
        if success && body.is_new() {
            self.enqueue_links(&page, item.depth, item.list_pages);
        }
        if let Some(rendered) = rendered {
            return self
                .hand_on_rendered(rendered, &page_url, item.depth, item.list_pages + 1)
                .await;
        }
        if let Some(list) = refused_list.filter(|list| self.wants_refused_list_rendered(list)) {
            // The list's next page is asked for by a POST only a browser
            // makes: its pager is pressed there.
            if let Some(rendered) = self.render(&list, None).await {
                return self
                    .hand_on_rendered(rendered, &list, item.depth, item.list_pages + 1)
                    .await;
            }
        }
        Flow::Continue
    }

    /// A queued link's response: replayed (a resume), revalidated (an
    /// earlier run's evidence) or fetched.
    async fn fetch_queued(&mut self, item: &Queued) -> Result<Fetched, FetchError> {
        let scope = self.scope.clone();
        let allow = move |u: &Url| scope.contains(u);
        let replayed = self
            .config
            .replay
            .as_ref()
            .and_then(|r| r.lookup(&item.link.url));
        match replayed {
            Some(f) => Ok(f),
            None if item.link.origin == LinkOrigin::Evidence => {
                self.revalidate(&item.link.url, &allow).await
            }
            None => {
                self.transport
                    .fetch(&item.link.url, &allow, self.config.retries)
                    .await
            }
        }
    }

    /// A challenge mid-crawl. A section behind its own guard (an
    /// application under /zwgk/fdzdgk/) is left alone; a page at the top,
    /// or a third guarded section, means the host guards everything and
    /// the site ends (`Stop`).
    fn challenged(&mut self, item: &Queued, url: &Url, message: &str) -> Flow {
        let section = section_of(url);
        let room = self.outcome.blocked_sections.len() < MAX_BLOCKED_SECTIONS;
        if let Some(section) = section.filter(|_| room) {
            tracing::warn!(%url, %message, %section, "challenge mid-crawl; leaving the section");
            self.outcome.blocked_sections.push(section);
            self.skip(&item.link, &item.parent, SkipReason::Blocked);
            return Flow::Continue;
        }
        tracing::warn!(%url, %message, "challenge mid-crawl; leaving the host");
        self.outcome.blocked_midway = true;
        self.skip(&item.link, &item.parent, SkipReason::Blocked);
        for rest in self.frontier.drain() {
            self.skip(&rest.link, &rest.parent, SkipReason::Blocked);
        }
        Flow::Stop
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

    /// Queue the links of a page `depth` hops from the homepage,
    /// `list_pages` pager hops into its list. A list's next pages stay at
    /// the list's depth: paging through a section is not leaving it.
    pub(super) fn enqueue_links(&mut self, page: &Page, depth: u32, list_pages: u32) {
        for link in &page.links {
            if pages_its_list(link) {
                self.consider(link, page, depth, list_pages + 1);
            } else {
                self.consider(link, page, depth + 1, 0);
            }
        }
    }

    /// Decide what to do with one discovered link, `depth` hops from the
    /// homepage and `list_pages` pager hops into its list.
    pub(super) fn consider(&mut self, link: &Link, parent: &Page, depth: u32, list_pages: u32) {
        // An attachment is part of the page that links it, not a step
        // further: the depth limit lets it one hop past.
        let limit = self.config.max_depth + u32::from(crate::page::names_an_attachment(&link.url));
        let too_deep = depth > limit || list_pages > MAX_LIST_PAGES;
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
            if too_deep {
                self.skip(link, &parent.url, SkipReason::Depth);
                return;
            }
            if let Some(reason) = self.traps.check(&url) {
                self.skip(link, &parent.url, reason);
                return;
            }
        } else if too_deep {
            return;
        }
        let queue_cap = MIN_QUEUE_CAP.max(QUEUE_PER_BUDGETED_PAGE * self.config.max_pages);
        if !self.frontier.is_known(&url) && self.frontier.queued_count() >= queue_cap {
            // More links wait than the page budget could ever visit (a page
            // generating links without end): the budget is spent in effect,
            // and run.json says so as the skipped rows do.
            self.outcome.budget_exhausted = true;
            self.skip(link, &parent.url, SkipReason::Budget);
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
            list_pages,
            priority,
        });
    }
}

/// A link to the same list's next page (its pager, or the data request a
/// script makes for it) or to an iframe a visitor sees as part of the page.
fn pages_its_list(link: &Link) -> bool {
    matches!(
        link.origin,
        LinkOrigin::Pager | LinkOrigin::Script | LinkOrigin::Frame
    )
}

/// Pages of one list followed through its pager, at most: a 200-page news
/// column is read to its end, a pager that never ends is not.
const MAX_LIST_PAGES: u32 = 1_000;

/// Links waiting in one site's queue at most: ten for every page the
/// budget allows (at least 20,000), far more than the crawl visits and few
/// enough that a site generating links without end cannot fill memory.
const QUEUE_PER_BUDGETED_PAGE: usize = 10;
const MIN_QUEUE_CAP: usize = 20_000;

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
