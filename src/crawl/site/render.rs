//! A page read in the rendering browser, when its list comes only from
//! its scripts: the browser loads it, every request it makes is paused and
//! answered by this site's crawl (scope, robots, budget, politeness and the
//! archive hold as for any fetch), and what it drew is read back, its pager
//! pressed to the end and its in-page routes followed, within the
//! renderer's bounds.

use super::{parse_page, Site};
use crate::crawl::render::{RenderMode, Tab, Waited};
use crate::crawl::scope::{is_http, normalise};
use crate::crawl::Flow;
use crate::types::{
    Fetched, Link, LinkOrigin, Page, PageKind, PostBody, Rendered, SkipReason, Visit,
};
use bytes::Bytes;
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// What rendering one page gave.
pub(super) struct RenderedPage {
    /// Answers to the data requests the page's scripts made (XHR, fetch,
    /// frames), in the order they were made, with the name of the view
    /// that made them.
    answers: Vec<(Fetched, String)>,
    /// The views read (the page as drawn, each pager step, each route),
    /// each parsed as the page it shows.
    views: Vec<(Fetched, Page)>,
    /// Every view's pager was pressed until it had no next page.
    complete: bool,
    /// The scripts drew something: see [`RenderedPage::covers_its_list`].
    drew_something: bool,
}

impl RenderedPage {
    /// The browser read what the static reader could not, so the page's
    /// own script gaps are covered: its pager was read to the end, and its
    /// scripts drew something (a link the static page did not have). A
    /// bundle that drew nothing (a script failed, an endpoint refused its
    /// request) proves nothing missing, whatever its data requests got.
    pub(super) fn covers_its_list(&self) -> bool {
        self.complete && self.drew_something
    }
}

/// Network quiet, after the last request was answered, taken to mean the
/// page has drawn what it will.
const QUIET: Duration = Duration::from_millis(600);

/// Requests one rendering may make; past this, they are refused.
const MAX_REQUESTS_PER_PAGE: usize = 150;

/// Pager steps one view is pressed through at most.
const MAX_PAGER_STEPS: usize = 20;

/// Script, stylesheet and data answers kept per site for the next
/// rendering of the same site (a page's bundle is fetched once).
const MAX_CACHED_BYTES: usize = 16 * 1024 * 1024;

/// What one rendering has served so far.
#[derive(Default)]
struct Served {
    requests: usize,
    /// Data answers, each with the name of the view that asked for it
    /// (the route's link text; empty for the page itself).
    answers: Vec<(Fetched, String)>,
    /// The view being drawn now.
    view_name: String,
}

impl Site<'_> {
    /// Whether `page` goes to the browser: `--render always`, or under
    /// `auto` a list the static reader could not reproduce (a data request
    /// it could not make, an empty mount point, a pager it could not
    /// follow), while the site's render budget lasts.
    pub(super) fn wants_rendering(&self, fetched: &Fetched, page: &Page) -> bool {
        let Some(renderer) = &self.config.renderer else {
            return false;
        };
        if fetched.rendered.is_some()
            || fetched.status != 200
            || page.kind != PageKind::Html
            || self.rendered_views >= renderer.limits.pages_per_site
            || self.rendered_pages.contains(fetched.final_url.as_str())
        {
            return false;
        }
        match renderer.mode {
            RenderMode::Never => false,
            RenderMode::Always => true,
            RenderMode::Auto => {
                let rows_in_html = page
                    .links
                    .iter()
                    .any(|l| l.date.is_some() && l.origin == LinkOrigin::Anchor);
                let pager_refused = page.links.iter().any(|l| {
                    matches!(l.origin, LinkOrigin::Pager | LinkOrigin::Script)
                        && self.refused_lists.contains(normalise(&l.url).as_str())
                });
                page.drawn_by_script
                    || page.unfollowable_pages.is_some()
                    || !page.script_gap_sections.is_empty()
                    || (!page.script_gaps.is_empty() && !rows_in_html)
                    || pager_refused
                    || page.template_links
            }
        }
    }

    /// Whether a list whose next page was refused to a GET (405: a pager
    /// that POSTs) is worth opening in the browser.
    pub(super) fn wants_refused_list_rendered(&self, parent: &Url) -> bool {
        self.config.renderer.as_ref().is_some_and(|r| {
            r.mode != RenderMode::Never
                && self.rendered_views < r.limits.pages_per_site
                && !self.rendered_pages.contains(parent.as_str())
        })
    }

    /// Open `url` in the browser (answering its document with `document`
    /// when the crawl already has it) and read what it draws. `None` when
    /// the browser is not available.
    pub(super) async fn render(
        &mut self,
        url: &Url,
        document: Option<(&Fetched, &Page)>,
    ) -> Option<RenderedPage> {
        let static_links: std::collections::HashSet<String> = document
            .map(|(_, page)| {
                page.links
                    .iter()
                    .map(|l| normalise(&l.url).to_string())
                    .collect()
            })
            .unwrap_or_default();
        let document = document.map(|(fetched, _)| fetched);
        let renderer = self.config.renderer.clone()?;
        self.rendered_pages.insert(url.to_string());
        let mut tab = match renderer.open_tab().await {
            Ok(tab) => tab,
            Err(e) => {
                tracing::debug!(%url, "not rendered: {e}");
                return None;
            }
        };
        tracing::info!(%url, "rendering in the browser");
        let mut served = Served::default();
        let mut views = Vec::new();
        let mut complete = true;
        if tab.navigate(url).await.is_err() {
            return None;
        }
        let waited = self
            .settle(&mut tab, url, document, &mut served, true)
            .await;
        if let Some(view) = read_view(&tab, url, "rendered", 1, waited, &served).await {
            views.push(view);
        }
        complete &= self
            .press_through(&mut tab, url, "rendered", document, &mut served, &mut views)
            .await;
        let routes = tab.routes().await;
        for route in routes {
            if !self.room_for_views(views.len()) {
                complete = false;
                break;
            }
            let link = Link {
                url: url.clone(),
                text: route.text.clone(),
                context: String::new(),
                section: String::new(),
                date: None,
                origin: LinkOrigin::Script,
            };
            if !self.observer.still_wanted(&link) {
                continue;
            }
            served.view_name = route.text.clone();
            if !tab.open_route(&route.href).await {
                continue;
            }
            let name = route.href.trim_start_matches('#').to_string();
            let waited = self
                .settle(&mut tab, url, document, &mut served, false)
                .await;
            if let Some(view) = read_view(&tab, url, &name, 1, waited, &served).await {
                views.push(view);
            }
            complete &= self
                .press_through(&mut tab, url, &name, document, &mut served, &mut views)
                .await;
        }
        self.rendered_views += views.len();
        self.outcome.pages_rendered += views.len();
        let mut parsed = Vec::with_capacity(views.len());
        for view in views {
            let page = self.parse_view(&view).await;
            parsed.push((view, page));
        }
        let own = normalise(url);
        let drew_something = parsed.iter().any(|(_, page)| {
            page.links
                .iter()
                .map(|l| normalise(&l.url))
                .any(|u| u != own && !static_links.contains(u.as_str()))
        });
        Some(RenderedPage {
            answers: served.answers,
            views: parsed,
            complete,
            drew_something,
        })
    }

    /// Parse a rendered view as the page it is a view of (its links to the
    /// page itself are the page's own), then name it by its view.
    async fn parse_view(&mut self, view: &Fetched) -> Page {
        let mut page_itself = view.clone();
        page_itself.final_url.set_fragment(None);
        let mut page = parse_page(self.parse, &page_itself).await;
        page.url = view.final_url.clone();
        page
    }

    fn room_for_views(&self, pending: usize) -> bool {
        self.config
            .renderer
            .as_ref()
            .is_some_and(|r| self.rendered_views + pending < r.limits.pages_per_site)
    }

    /// Press the view's next-page control until there is none, the page
    /// stops changing, or the bounds are reached; `false` when a bound cut
    /// it short.
    async fn press_through(
        &mut self,
        tab: &mut Tab<'_>,
        url: &Url,
        name: &str,
        document: Option<&Fetched>,
        served: &mut Served,
        views: &mut Vec<Fetched>,
    ) -> bool {
        for step in 2..=MAX_PAGER_STEPS + 1 {
            if !tab.press_next().await {
                return true;
            }
            if !self.room_for_views(views.len()) {
                return false;
            }
            let waited = self.settle(tab, url, document, served, false).await;
            let Some(view) = read_view(tab, url, name, step, waited, served).await else {
                return false;
            };
            if views.last().is_some_and(|last| last.body == view.body) {
                // Pressed, and nothing changed: the last page.
                return true;
            }
            views.push(view);
        }
        false
    }

    /// Serve the tab's requests until the network has been quiet for
    /// [`QUIET`] (after the load event, when `navigating`) or the page's
    /// time is up. Returns the time waited.
    async fn settle(
        &mut self,
        tab: &mut Tab<'_>,
        url: &Url,
        document: Option<&Fetched>,
        served: &mut Served,
        navigating: bool,
    ) -> Duration {
        let started = Instant::now();
        let deadline = started + tab.page_time;
        let mut loaded = !navigating;
        let mut quiet_until = started + QUIET;
        loop {
            let until = if loaded {
                quiet_until.min(deadline)
            } else {
                deadline
            };
            match tab.next_event(until).await {
                Waited::Gone => break,
                Waited::TimeUp if loaded || Instant::now() >= deadline => break,
                Waited::TimeUp => {}
                Waited::Event(event) => match event.method.as_str() {
                    "Fetch.requestPaused" => {
                        self.serve(tab, url, document, &event.params, served).await;
                        quiet_until = Instant::now() + QUIET;
                    }
                    "Page.loadEventFired" => {
                        loaded = true;
                        quiet_until = Instant::now() + QUIET;
                    }
                    _ => {}
                },
            }
        }
        started.elapsed()
    }

    /// Answer one paused request: from the crawl's own fetch when the
    /// site's rules allow it, refused otherwise (and off-scope hosts are
    /// logged as skipped).
    async fn serve(
        &mut self,
        tab: &Tab<'_>,
        page_url: &Url,
        document: Option<&Fetched>,
        params: &Value,
        served: &mut Served,
    ) {
        let request_id = params["requestId"].as_str().unwrap_or_default();
        let kind = params["resourceType"].as_str().unwrap_or("Other");
        let method = params["request"]["method"].as_str().unwrap_or("GET");
        let parsed = params["request"]["url"]
            .as_str()
            .and_then(|u| Url::parse(u).ok());
        let Some(url) = parsed.filter(is_http).map(|u| normalise(&u)) else {
            let _ = tab.refuse(request_id).await;
            return;
        };
        if !needed(kind) || !matches!(method, "GET" | "POST") {
            let _ = tab.refuse(request_id).await;
            return;
        }
        if let Some(doc) = document.filter(|d| kind == "Document" && normalise(&d.final_url) == url)
        {
            let _ = tab
                .fulfil(request_id, doc.status, &doc.headers, &doc.body)
                .await;
            return;
        }
        let link = Link {
            url: url.clone(),
            text: String::new(),
            context: String::new(),
            section: String::new(),
            date: None,
            origin: LinkOrigin::Script,
        };
        let refusal = if !self.scope.contains(&url) {
            Some(SkipReason::OutOfScope)
        } else if !self.robots.allowed(&url) {
            Some(SkipReason::Robots)
        } else if self.attempts >= self.config.max_pages || served.requests >= MAX_REQUESTS_PER_PAGE
        {
            Some(SkipReason::Budget)
        } else {
            None
        };
        if let Some(reason) = refusal {
            self.skip(&link, page_url, reason);
            let _ = tab.refuse(request_id).await;
            return;
        }
        let post = (method == "POST").then(|| PostBody {
            content_type: header(&params["request"]["headers"], "content-type"),
            body: Bytes::from(
                params["request"]["postData"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
        });
        let cache_key = post.is_none().then(|| url.to_string());
        let cached = cache_key
            .as_ref()
            .and_then(|k| self.render_cache.get(k))
            .cloned();
        let fetched = match cached {
            Some(f) => f,
            None => {
                self.attempts += 1;
                served.requests += 1;
                let scope = self.scope.clone();
                let allow = move |u: &Url| scope.contains(u);
                let answer = match &post {
                    Some(post) => self.transport.submit(&url, post, self.config.retries).await,
                    None => {
                        self.transport
                            .fetch(&url, &allow, self.config.retries)
                            .await
                    }
                };
                match answer {
                    Ok(mut f) => {
                        f.rendered = Some(Rendered::Request {
                            of: page_url.clone(),
                        });
                        self.keep_answer(&f, kind, page_url, served);
                        if let Some(key) = cache_key.filter(|_| f.status == 200) {
                            self.cache(key, &f);
                        }
                        f
                    }
                    Err(e) => {
                        self.count_error(e.class);
                        self.observer.on_fetch_error(&link, page_url, &e);
                        let _ = tab.refuse(request_id).await;
                        return;
                    }
                }
            }
        };
        let _ = tab
            .fulfil(request_id, fetched.status, &fetched.headers, &fetched.body)
            .await;
    }

    /// A data answer (XHR, fetch, frame) is read like a page once the
    /// rendering is done; anything else (a script, the page itself) is
    /// only archived.
    fn keep_answer(&mut self, fetched: &Fetched, kind: &str, page_url: &Url, served: &mut Served) {
        self.frontier.mark_visited(&fetched.final_url);
        if matches!(kind, "XHR" | "Fetch" | "Document") && fetched.final_url != *page_url {
            served
                .answers
                .push((fetched.clone(), served.view_name.clone()));
        } else {
            self.observer.on_rendering_request(fetched);
        }
    }

    fn cache(&mut self, key: String, fetched: &Fetched) {
        let size = fetched.body.len();
        if self.render_cache_bytes + size <= MAX_CACHED_BYTES {
            self.render_cache_bytes += size;
            self.render_cache.insert(key, fetched.clone());
        }
    }

    /// Hand the rendered page to the observer: the data answers first (as
    /// documents the page found through its scripts), then each view.
    /// Their links are queued like any page's. `Stop` ends the site.
    pub(super) async fn hand_on_rendered(
        &mut self,
        rendered: RenderedPage,
        page_url: &Url,
        depth: u32,
        list_pages: u32,
    ) -> Flow {
        let covered = rendered.covers_its_list();
        let RenderedPage {
            answers,
            views,
            complete,
            ..
        } = rendered;
        let mut documents = Vec::with_capacity(answers.len() + views.len());
        for (fetched, name) in answers {
            let page = parse_page(self.parse, &fetched).await;
            documents.push((fetched, page, name, false));
        }
        let last_view = views.len().saturating_sub(1);
        for (i, (fetched, page)) in views.into_iter().enumerate() {
            documents.push((fetched, page, String::new(), i == last_view));
        }
        for (fetched, mut page, view_name, last) in documents {
            page.rendered = true;
            if covered && matches!(fetched.rendered, Some(Rendered::Dom { .. })) {
                // The browser ran what the static reader could not: what is
                // missing from the view is missing from the page, unless the
                // pager could not be read to its end.
                read_in_browser(&mut page);
                if !complete && last {
                    page.unfollowable_pages = Some(0);
                }
            } else if !matches!(fetched.rendered, Some(Rendered::Dom { .. })) {
                self.outcome.pages_fetched += 1;
            }
            // A data answer is named by the view that asked for it (the
            // menu entry a visitor clicked), as a link names its page.
            let text = match view_name.is_empty() {
                true => page.title.clone(),
                false => view_name,
            };
            let found_via = Link {
                url: fetched.final_url.clone(),
                text,
                context: String::new(),
                section: String::new(),
                date: None,
                origin: LinkOrigin::Script,
            };
            let success = (200..300).contains(&fetched.status);
            let visit = Visit {
                fetched,
                page,
                depth,
                found_via: Some(found_via),
                parent: Some(page_url.clone()),
                soft_404: false,
            };
            if self.observer.on_visit(&visit) == Flow::Stop {
                self.outcome.stopped_early = true;
                return Flow::Stop;
            }
            if success {
                self.enqueue_links(&visit.page, depth, list_pages);
            }
        }
        Flow::Continue
    }
}

/// A page whose list the browser read to its end: the script requests
/// and pager links the static reader found in it are what the browser
/// already did, so they are neither gaps nor links to follow.
pub(super) fn read_in_browser(page: &mut Page) {
    page.script_gaps.clear();
    page.script_gap_sections.clear();
    page.drawn_by_script = false;
    page.template_links = false;
    page.unfollowable_pages = None;
    page.links
        .retain(|l| !matches!(l.origin, LinkOrigin::Pager | LinkOrigin::Script));
}

/// Requests a list can depend on: the document and its frames, scripts,
/// data. Pictures, fonts, styles and media are refused unfetched.
fn needed(kind: &str) -> bool {
    matches!(kind, "Document" | "Script" | "XHR" | "Fetch" | "Other")
}

/// A request header from the DevTools `Headers` object, any case.
fn header(headers: &Value, name: &str) -> Option<String> {
    headers
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

/// The DOM as drawn now, as a document of its own: the page's URL with
/// a fragment naming the view (`#rendered`, `#/list/3;page=2`).
async fn read_view(
    tab: &Tab<'_>,
    url: &Url,
    name: &str,
    step: usize,
    waited: Duration,
    served: &Served,
) -> Option<Fetched> {
    let dom = tab.dom().await?;
    let mut view_url = url.clone();
    let fragment = if step > 1 {
        format!("{name};page={step}")
    } else {
        name.to_string()
    };
    view_url.set_fragment(Some(&fragment));
    Some(Fetched {
        requested: view_url.clone(),
        final_url: view_url,
        status: 200,
        headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body: Bytes::from(dom),
        truncated: false,
        hops: Vec::new(),
        fetched_at: chrono::Utc::now(),
        tls_unverified: false,
        remote_addr: None,
        from_archive: false,
        revisit: None,
        posted: None,
        rendered: Some(Rendered::Dom {
            of: url.clone(),
            waited,
            requests: served.requests,
        }),
    })
}
