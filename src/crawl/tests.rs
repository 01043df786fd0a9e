//! Crawler tests against an in-test HTTP server on 127.0.0.1.
//!
//! The server serves canned routes (a closure per path, with the hit count)
//! and logs every request, so tests can assert both what the observer saw
//! and what the site was asked. Links come from a tiny href extractor, not
//! the real page parser, so the loop is tested on its own; only the test of
//! stub homepages (meta refresh, script redirects) uses the real parser.

use super::site::crawl_site_with;
use super::*;
use crate::types::LinkOrigin;
use crate::types::{EarlierCapture, Revisit};
use bytes::Bytes;
use chrono::Utc;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use regex::Regex;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

// ---------------------------------------------------------------- server

struct Req {
    path: String,
    headers: HashMap<String, String>,
    /// How often this path has been asked for, this request included.
    n: usize,
}

impl Req {
    fn origin(&self) -> String {
        format!("http://{}", self.headers["host"])
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    fn redirect(status: u16, to: &str) -> Self {
        Reply::new(status, "").header("location", to)
    }
}

type Handler = Arc<dyn Fn(&Req) -> Reply + Send + Sync>;

fn route(f: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Handler {
    Arc::new(f)
}

/// A 200 HTML page.
fn html(body: &str) -> Handler {
    let body = body.to_string();
    route(move |_| Reply::new(200, body.clone()))
}

/// A page whose body is links to `paths` (anchor text = path).
fn links(paths: &[&str]) -> Handler {
    let anchors: String = paths
        .iter()
        .map(|p| format!("<a href=\"{p}\">{p}</a>\n"))
        .collect();
    html(&format!(
        "<html><head><title>t</title></head><body>{anchors}</body></html>"
    ))
}

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Serve `routes` (exact path and query; `*` catches the rest, else 404).
    async fn start(routes: Vec<(&str, Handler)>) -> Server {
        let routes: Arc<HashMap<String, Handler>> = Arc::new(
            routes
                .into_iter()
                .map(|(p, h)| (p.to_string(), h))
                .collect(),
        );
        let log = Arc::new(Mutex::new(Vec::new()));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = (routes, log.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (routes, log) = state.clone();
                let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (routes, log) = (routes.clone(), log.clone());
                    async move {
                        let path = req
                            .uri()
                            .path_and_query()
                            .map_or("/".to_string(), |p| p.as_str().to_string());
                        let headers = req
                            .headers()
                            .iter()
                            .map(|(k, v)| {
                                (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())
                            })
                            .collect();
                        let n = {
                            let mut log = log.lock().unwrap();
                            log.push(path.clone());
                            log.iter().filter(|p| **p == path).count()
                        };
                        let req = Req { path, headers, n };
                        let reply = match routes.get(&req.path).or_else(|| routes.get("*")) {
                            Some(h) => h(&req),
                            None => Reply::new(404, "<html><title>404</title>not found</html>"),
                        };
                        tokio::time::sleep(reply.delay).await;
                        let mut b = hyper::Response::builder().status(reply.status);
                        for (k, v) in &reply.headers {
                            b = b.header(k, v);
                        }
                        Ok::<_, Infallible>(b.body(Full::new(Bytes::from(reply.body))).unwrap())
                    }
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc),
                );
            }
        });
        Server { addr, log }
    }

    fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }

    fn hits(&self, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

// -------------------------------------------------------------- observer

struct Seen {
    fetched: Fetched,
    depth: u32,
    soft_404: bool,
    origin: Option<LinkOrigin>,
}

impl Seen {
    fn path(&self) -> &str {
        self.fetched.requested.path()
    }
}

#[derive(Default)]
struct Recorder {
    visits: Vec<Seen>,
    skips: Vec<(String, SkipReason)>,
    errors: Vec<(String, FetchErrorClass)>,
    /// (path fetched, path of the first copy) of each duplicate body.
    duplicates: Vec<(String, String)>,
    priority: Option<fn(&Link) -> f32>,
    stop_after: Option<usize>,
}

impl Recorder {
    fn visited(&self) -> Vec<&str> {
        self.visits.iter().map(Seen::path).collect()
    }
    fn visit(&self, path: &str) -> &Seen {
        self.visits
            .iter()
            .find(|v| v.path() == path)
            .unwrap_or_else(|| panic!("{path} not visited: {:?}", self.visited()))
    }
    fn skipped(&self, reason: SkipReason) -> Vec<&str> {
        self.skips
            .iter()
            .filter(|(_, r)| *r == reason)
            .map(|(u, _)| u.as_str())
            .collect()
    }
}

impl SiteObserver for Recorder {
    fn priority(&self, link: &Link, _parent: &Page) -> f32 {
        self.priority.map_or(1.0, |f| f(link))
    }
    fn on_visit(&mut self, visit: &Visit) -> Flow {
        self.visits.push(Seen {
            fetched: visit.fetched.clone(),
            depth: visit.depth,
            soft_404: visit.soft_404,
            origin: visit.found_via.as_ref().map(|l| l.origin),
        });
        match self.stop_after {
            Some(n) if self.visits.len() >= n => Flow::Stop,
            _ => Flow::Continue,
        }
    }
    fn on_duplicate(&mut self, visit: &Visit, first: &Url) {
        self.duplicates.push((
            visit.fetched.requested.path().to_string(),
            first.path().to_string(),
        ));
    }
    fn on_skip(&mut self, link: &Link, _parent: &Url, reason: SkipReason) {
        let shown = if matches!(link.url.scheme(), "http" | "https") {
            link.url[url::Position::BeforePath..].to_string()
        } else {
            link.url.to_string()
        };
        self.skips.push((shown, reason));
    }
    fn on_fetch_error(&mut self, link: &Link, _parent: &Url, error: &FetchError) {
        self.errors.push((link.url.path().to_string(), error.class));
    }
}

// --------------------------------------------------------------- helpers

/// The page stand-in: hrefs and `<title>` by regex.
fn test_parse(url: &Url, status: u16, content_type: Option<&str>, body: &[u8]) -> Page {
    let mut page = crate::page::parse(url, status, content_type, body);
    let text = String::from_utf8_lossy(body);
    let href = Regex::new(r#"<a href="([^"]*)">([^<]*)</a>"#).unwrap();
    page.links = href
        .captures_iter(&text)
        .filter_map(|c| {
            let mut u = url.join(&c[1]).ok()?;
            u.set_fragment(None);
            Some(Link {
                url: u,
                text: c[2].to_string(),
                context: String::new(),
                section: String::new(),
                date: None,
                // A "下一页" link pages its list, as the real parser says.
                origin: if &c[2] == "下一页" {
                    LinkOrigin::Pager
                } else {
                    LinkOrigin::Anchor
                },
            })
        })
        .collect();
    let title = Regex::new(r"<title>([^<]*)</title>").unwrap();
    page.html_title = title
        .captures(&text)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    page
}

fn config() -> CrawlConfig {
    CrawlConfig {
        rate: None,
        retries: 2,
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        max_retry_after: Duration::from_millis(200),
        max_crawl_delay: Duration::from_millis(20),
        ..CrawlConfig::default()
    }
}

async fn crawl_from(start: Url, config: &CrawlConfig, obs: &mut Recorder) -> CrawlOutcome {
    let politeness = Politeness::new(config.rate);
    crawl_site_with(start, config, &politeness, obs, test_parse).await
}

async fn crawl(server: &Server, config: &CrawlConfig, obs: &mut Recorder) -> CrawlOutcome {
    crawl_from(server.url("/"), config, obs).await
}

fn reached(outcome: &CrawlOutcome) -> &Url {
    match &outcome.start {
        SiteStart::Reached { homepage } => homepage,
        other => panic!("not reached: {other:?}"),
    }
}

// ----------------------------------------------------------------- tests

#[test]
fn crawl_site_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let config = CrawlConfig::default();
    let politeness = Politeness::new(None);
    let mut obs = Recorder::default();
    let fut = crawl_site(
        Url::parse("http://127.0.0.1:9/").unwrap(),
        &config,
        &politeness,
        &mut obs,
    );
    assert_send(&fut);
}

/// robots.txt that disallows `/private/` and asks for a 30 s Crawl-delay.
fn slow_robots() -> Handler {
    route(|_| {
        Reply::new(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 30\n")
            .header("content-type", "text/plain")
    })
}

#[tokio::test]
async fn robots_disallow_and_capped_crawl_delay() {
    let server = Server::start(vec![
        ("/robots.txt", slow_robots()),
        ("/", links(&["/a.html", "/private/x.html"])),
        ("/a.html", html("a")),
    ])
    .await;
    let mut obs = Recorder::default();
    // A limited rate: Crawl-delay applies even on loopback.
    let limited = CrawlConfig {
        rate: Some(1000.0),
        ..config()
    };
    let out = crawl(&server, &limited, &mut obs).await;
    reached(&out);
    assert_eq!(obs.visited(), ["/", "/a.html"]);
    assert_eq!(obs.skipped(SkipReason::Robots), ["/private/x.html"]);
    assert_eq!(server.hits("/private/x.html"), 0);
    assert_eq!(out.crawl_delay, Some(0.02));
    assert_eq!(out.crawl_delay_requested, Some(30.0));
    assert!(!out.robots_ignored);
}

#[tokio::test]
async fn crawl_delay_is_waived_on_loopback_with_unlimited_rate() {
    let server = Server::start(vec![
        ("/robots.txt", slow_robots()),
        ("/", links(&["/a.html", "/b.html", "/private/x.html"])),
        ("/a.html", html("a")),
        ("/b.html", html("b")),
    ])
    .await;
    let mut obs = Recorder::default();
    let uncapped = CrawlConfig {
        max_crawl_delay: Duration::from_secs(10),
        ..config()
    };
    let out = crawl(&server, &uncapped, &mut obs).await;
    reached(&out);
    assert_eq!(obs.visited(), ["/", "/a.html", "/b.html"]);
    assert_eq!(obs.skipped(SkipReason::Robots), ["/private/x.html"]);
    assert_eq!(out.crawl_delay, None, "not applied");
    assert_eq!(out.crawl_delay_requested, Some(30.0));
}

#[tokio::test]
async fn robots_404_allows_everything() {
    let server = Server::start(vec![
        ("/", links(&["/private/x.html"])),
        ("/private/x.html", html("x")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    reached(&out);
    assert_eq!(obs.visited(), ["/", "/private/x.html"]);
    assert_eq!(out.crawl_delay, None);
}

#[tokio::test]
async fn robots_503_is_unavailable_and_ignore_robots_skips_it() {
    let server = Server::start(vec![
        ("/robots.txt", route(|_| Reply::new(503, "busy"))),
        ("/", links(&["/a.html"])),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(
        matches!(out.start, SiteStart::RobotsUnavailable { .. }),
        "{:?}",
        out.start
    );
    assert!(obs.visits.is_empty());
    assert_eq!(server.hits("/"), 0);
    assert_eq!(server.hits("/robots.txt"), 3, "503 is retried twice");

    let mut obs = Recorder::default();
    let cfg = CrawlConfig {
        ignore_robots: true,
        ..config()
    };
    let out = crawl(&server, &cfg, &mut obs).await;
    reached(&out);
    assert!(out.robots_ignored);
    assert_eq!(server.hits("/robots.txt"), 3, "not asked again");
    assert_eq!(obs.visited(), ["/", "/a.html"]);
}

#[tokio::test]
async fn robots_timing_out_on_a_live_host_is_unavailable() {
    let server = Server::start(vec![
        (
            "/robots.txt",
            route(|_| Reply {
                delay: Duration::from_secs(5),
                ..Reply::new(200, "")
            }),
        ),
        ("/", links(&["/a.html"])),
    ])
    .await;
    let cfg = CrawlConfig {
        request_timeout: Duration::from_millis(150),
        retries: 1,
        ..config()
    };
    let mut obs = Recorder::default();
    let out = crawl(&server, &cfg, &mut obs).await;
    assert!(
        matches!(out.start, SiteStart::RobotsUnavailable { .. }),
        "{:?}",
        out.start
    );
    assert!(obs.visits.is_empty(), "the homepage is only probed");
    assert_eq!(server.hits("/a.html"), 0);
}

#[tokio::test]
async fn homepage_refusals_are_not_pages() {
    let server = Server::start(vec![(
        "/",
        route(|_| Reply::new(403, "<h1>403 Forbidden</h1>")),
    )])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(
        matches!(out.start, SiteStart::Blocked { status: 403, .. }),
        "{:?}",
        out.start
    );
    let server = Server::start(vec![("/", route(|_| Reply::new(500, "oops")))]).await;
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(
        matches!(
            out.start,
            SiteStart::Unreachable {
                class: FetchErrorClass::ServerError,
                ..
            }
        ),
        "{:?}",
        out.start
    );
    assert!(obs.visits.is_empty());
}

#[tokio::test]
async fn robots_disallowing_the_homepage() {
    let server = Server::start(vec![(
        "/robots.txt",
        route(|_| Reply::new(200, "User-agent: govcheck\nDisallow: /\n")),
    )])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(matches!(out.start, SiteStart::RobotsDisallowed));
    assert_eq!(server.hits("/"), 0);
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_cap() {
    let server = Server::start(vec![
        ("/", links(&["/busy"])),
        (
            "/busy",
            route(|r| {
                if r.n == 1 {
                    Reply::new(429, "slow down").header("retry-after", "30")
                } else {
                    Reply::new(200, "ok")
                }
            }),
        ),
    ])
    .await;
    let mut obs = Recorder::default();
    // Retry-After asks for 30 s; the test config caps waits at 200 ms, so
    // an uncapped wait would show as a stalled test, not a slow pass.
    crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visit("/busy").fetched.status, 200);
    assert_eq!(server.hits("/busy"), 2);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let server = Server::start(vec![
        ("/", links(&["/flaky", "/down", "/gone"])),
        (
            "/flaky",
            route(|r| {
                if r.n <= 2 {
                    Reply::new(503, "busy")
                } else {
                    Reply::new(200, "ok")
                }
            }),
        ),
        ("/down", route(|_| Reply::new(502, "bad gateway"))),
        ("/gone", route(|_| Reply::new(404, "no"))),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visit("/flaky").fetched.status, 200);
    assert_eq!(server.hits("/flaky"), 3);
    assert_eq!(server.hits("/down"), 3);
    assert_eq!(
        obs.errors,
        [("/down".to_string(), FetchErrorClass::ServerError)]
    );
    assert_eq!(out.errors.get("server_error"), Some(&1));
    // A 404 is a visit, asked once.
    assert_eq!(obs.visit("/gone").fetched.status, 404);
    assert_eq!(server.hits("/gone"), 1);
}

#[tokio::test]
async fn timeouts_are_retried_and_classified() {
    let server = Server::start(vec![
        ("/", links(&["/slow"])),
        (
            "/slow",
            route(|_| Reply {
                delay: Duration::from_secs(5),
                ..Reply::new(200, "late")
            }),
        ),
    ])
    .await;
    let cfg = CrawlConfig {
        request_timeout: Duration::from_millis(200),
        retries: 1,
        ..config()
    };
    let mut obs = Recorder::default();
    let out = crawl(&server, &cfg, &mut obs).await;
    assert_eq!(
        obs.errors,
        [("/slow".to_string(), FetchErrorClass::Timeout)]
    );
    assert_eq!(server.hits("/slow"), 2);
    assert_eq!(out.errors.get("timeout"), Some(&1));
}

#[tokio::test]
async fn redirects_are_recorded_and_kept_in_scope() {
    let server = Server::start(vec![
        ("/", links(&["/r1", "/final", "/out", "/loop"])),
        ("/r1", route(|_| Reply::redirect(302, "/r2"))),
        (
            "/r2",
            route(|r| Reply::redirect(301, &format!("{}/final", r.origin()))),
        ),
        ("/final", html("final")),
        (
            "/out",
            route(|_| Reply::redirect(302, "http://127.0.0.1:9/elsewhere")),
        ),
        ("/loop", route(|_| Reply::redirect(302, "/loop"))),
    ])
    .await;
    let mut obs = Recorder::default();
    crawl(&server, &config(), &mut obs).await;
    let v = obs.visit("/r1");
    assert_eq!(v.fetched.final_url.path(), "/final");
    let hops: Vec<(&str, u16)> = v
        .fetched
        .hops
        .iter()
        .map(|h| (h.url.path(), h.status))
        .collect();
    assert_eq!(hops, [("/r1", 302), ("/r2", 301)]);
    assert_eq!(
        server.hits("/final"),
        1,
        "the redirect target counts as visited"
    );
    assert_eq!(
        obs.errors,
        [
            ("/out".to_string(), FetchErrorClass::RedirectOutOfScope),
            ("/loop".to_string(), FetchErrorClass::TooManyRedirects)
        ]
    );
    assert_eq!(server.hits("/loop"), 3);
}

#[tokio::test]
async fn cookie_setting_self_redirect_is_followed() {
    let server = Server::start(vec![
        ("/", links(&["/guarded"])),
        (
            "/guarded",
            route(|r| {
                if r.headers
                    .get("cookie")
                    .is_some_and(|c| c.contains("pass=1"))
                {
                    Reply::new(200, "welcome")
                } else {
                    Reply::redirect(302, "/guarded").header("set-cookie", "pass=1; Path=/")
                }
            }),
        ),
    ])
    .await;
    let mut obs = Recorder::default();
    crawl(&server, &config(), &mut obs).await;
    let v = obs.visit("/guarded");
    assert_eq!(v.fetched.status, 200);
    assert_eq!(&v.fetched.body[..], b"welcome");
    assert_eq!(v.fetched.hops.len(), 1);
}

#[tokio::test]
async fn request_headers_gzip_and_body_cap() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all("<html>政府信息公开</html>".as_bytes())
        .unwrap();
    let gz = gz.finish().unwrap();
    let server = Server::start(vec![
        ("/", links(&["/echo", "/gz", "/big"])),
        (
            "/echo",
            route(|r| {
                let h = |k: &str| r.headers.get(k).cloned().unwrap_or_default();
                Reply::new(
                    200,
                    format!(
                        "{}\n{}\n{}\n{}",
                        h("user-agent"),
                        h("accept"),
                        h("accept-language"),
                        h("accept-encoding")
                    ),
                )
            }),
        ),
        (
            "/gz",
            route(move |_| Reply::new(200, gz.clone()).header("content-encoding", "gzip")),
        ),
        ("/big", route(|_| Reply::new(200, vec![b'x'; 200_000]))),
    ])
    .await;
    let cfg = CrawlConfig {
        max_body_bytes: 10_000,
        ..config()
    };
    let mut obs = Recorder::default();
    crawl(&server, &cfg, &mut obs).await;
    let echo = String::from_utf8_lossy(&obs.visit("/echo").fetched.body).into_owned();
    let lines: Vec<&str> = echo.lines().collect();
    assert_eq!(lines[0], default_user_agent());
    assert_eq!(
        lines[1],
        "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
    );
    assert_eq!(lines[2], "zh-CN,zh;q=0.9");
    assert_eq!(lines[3], "gzip, deflate");
    let g = obs.visit("/gz");
    assert_eq!(
        std::str::from_utf8(&g.fetched.body).unwrap(),
        "<html>政府信息公开</html>"
    );
    assert_eq!(g.fetched.header("content-encoding"), Some("gzip"));
    assert!(!g.fetched.truncated);
    let b = obs.visit("/big");
    assert!(b.fetched.truncated);
    assert_eq!(b.fetched.body.len(), 10_000);
    assert_eq!(
        b.fetched.remote_addr,
        Some("127.0.0.1".parse::<std::net::IpAddr>().unwrap())
    );
}

/// A list page `n` of a 40-page column whose pager shows only the next
/// page: page 40 is 41 clicks from the homepage.
fn list_page(n: u32) -> String {
    let next = if n < 40 {
        format!(
            "<div class=\"page\"><a href=\"/news/index_{}.html\">下一页</a></div>",
            n + 1
        )
    } else {
        String::new()
    };
    format!(
        "<html><head><title>新闻</title></head><body><ul><li><a href=\"/news/art{n}.html\">消息{n}</a></li></ul>{next}</body></html>"
    )
}

#[tokio::test]
async fn a_lists_pages_are_one_hop_from_the_list_however_deep() {
    let mut routes = vec![
        ("/".to_string(), links(&["/news/index_1.html"])),
        ("*".to_string(), html("article")),
    ];
    for n in 1..=40 {
        routes.push((format!("/news/index_{n}.html"), html(&list_page(n))));
    }
    let server = Server::start(
        routes
            .iter()
            .map(|(p, h)| (p.as_str(), h.clone()))
            .collect(),
    )
    .await;
    let cfg = CrawlConfig {
        max_depth: 3,
        ..config()
    };
    let mut obs = Recorder::default();
    crawl(&server, &cfg, &mut obs).await;
    assert_eq!(server.hits("/news/index_40.html"), 1);
    assert_eq!(
        server.hits("/news/art40.html"),
        1,
        "the last page's entries are read"
    );
    assert!(obs.skipped(SkipReason::Depth).is_empty());
}

#[tokio::test]
async fn trap_and_depth_bounds() {
    let mut home: Vec<String> = vec![
        "/a/a/a/x.html".into(),
        format!("/{}", (0..16).map(|i| format!("p{i}/")).collect::<String>()),
        "/d1.html".into(),
    ];
    home.extend((0..70).map(|d| format!("/cal?date={d}")));
    let home: Vec<&str> = home.iter().map(String::as_str).collect();
    let server = Server::start(vec![
        ("/", links(&home)),
        ("/d1.html", links(&["/d2.html"])),
        ("*", html("page")),
    ])
    .await;
    let cfg = CrawlConfig {
        max_depth: 1,
        ..config()
    };
    let mut obs = Recorder::default();
    crawl(&server, &cfg, &mut obs).await;
    let traps = obs.skipped(SkipReason::Trap);
    assert!(traps.contains(&"/a/a/a/x.html"));
    assert!(traps.iter().any(|t| t.starts_with("/p0/p1/")));
    assert_eq!(traps.iter().filter(|t| t.starts_with("/cal?")).count(), 10);
    assert_eq!(obs.skipped(SkipReason::Depth), ["/d2.html"]);
    assert_eq!(server.hits("/d2.html"), 0);
    assert_eq!(server.hits("/a/a/a/x.html"), 0);
    assert_eq!(server.hits("/cal?date=59"), 1);
    assert_eq!(server.hits("/cal?date=60"), 0);
}

#[tokio::test]
async fn urls_are_normalised_and_deduplicated() {
    let server = Server::start(vec![
        (
            "/",
            links(&[
                "/x.html",
                "/x.html#part",
                "/x.html?",
                "/X/../x.html",
                "http://127.0.0.1:9/other.html",
                "https://127.0.0.1:9/other.html#again",
                "mailto:xxgk@example.gov.cn",
                "javascript:void(0)",
                "/style/site.css",
                "/img/logo.PNG",
                "/files/report.pdf",
            ]),
        ),
        ("/x.html", html("x")),
        ("/files/report.pdf", route(|_| Reply::new(200, "%PDF-1.4"))),
    ])
    .await;
    let mut obs = Recorder::default();
    crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/x.html", "/files/report.pdf"]);
    assert_eq!(server.hits("/x.html"), 1);
    assert_eq!(
        obs.skipped(SkipReason::OutOfScope),
        ["/other.html"],
        "reported once for both schemes"
    );
    assert_eq!(obs.skipped(SkipReason::Scheme).len(), 2);
    assert_eq!(
        server.hits("/style/site.css") + server.hits("/img/logo.PNG"),
        0
    );
}

#[tokio::test]
async fn a_document_linked_under_several_urls_is_fetched_once() {
    const A: &str = "<html><head><title>政务公开</title></head><body>a</body></html>";
    let server = Server::start(vec![
        (
            "/",
            links(&[
                "/a/",
                "/a/index.html",
                "/a/index.html?print=1",
                "/a/index.html#x",
                "/a/?sort=date&utm_source=wx",
                "/index.html",
                // A missing index file does not hide its directory.
                "/b/index.htm",
                "/b/",
            ]),
        ),
        ("/index.html", html("<html>home</html>")),
        ("/a/", html(A)),
        ("/a/index.html", html(A)),
        ("/a/index.html?print=1", html(A)),
        ("/a/?sort=date&utm_source=wx", html(A)),
        ("/b/", html("<html>b</html>")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    let a_fetches: usize = [
        "/a/",
        "/a/index.html",
        "/a/index.html?print=1",
        "/a/?sort=date&utm_source=wx",
    ]
    .iter()
    .map(|p| server.hits(p))
    .sum();
    assert_eq!(a_fetches, 1, "{:?}", server.requests());
    assert_eq!(obs.visited(), ["/", "/a/", "/b/index.htm", "/b/"]);
    assert_eq!(server.hits("/index.html"), 0, "the homepage's index file");
    assert_eq!(out.duplicates, 0, "told apart by URL, before fetching");
    assert!(obs.duplicates.is_empty());
}

#[tokio::test]
async fn identical_documents_are_audited_once() {
    const LIST: &str = "<html><head><title>暂无信息</title></head><body>\
        <a href=\"/item.html\">item</a></body></html>";
    // The same bytes, but a relative link: each copy leads elsewhere.
    const RELATIVE: &str = "<html><head><title>列表</title></head><body>\
        <a href=\"item.html\">item</a></body></html>";
    let server = Server::start(vec![
        (
            "/",
            links(&[
                "/p/list.html",
                "/q/list.html",
                "/r/list.html?cid=2",
                "/s/list.html",
                "/t/list.html",
            ]),
        ),
        ("/p/list.html", html(LIST)),
        ("/q/list.html", html(LIST)),
        ("/r/list.html?cid=2", html(LIST)),
        ("/item.html", html("<html>item</html>")),
        ("/s/list.html", html(RELATIVE)),
        ("/t/list.html", html(RELATIVE)),
        ("/s/item.html", html("<html>s</html>")),
        ("/t/item.html", html("<html>t</html>")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    // Each copy is fetched (only the answer tells), but audited and
    // followed once.
    assert_eq!(
        obs.visited(),
        [
            "/",
            "/p/list.html",
            "/s/list.html",
            "/t/list.html",
            "/item.html",
            "/s/item.html",
            "/t/item.html"
        ]
    );
    assert_eq!(
        obs.duplicates,
        [
            ("/q/list.html".to_string(), "/p/list.html".to_string()),
            ("/r/list.html".to_string(), "/p/list.html".to_string())
        ]
    );
    assert_eq!(server.hits("/item.html"), 1);
    assert_eq!((out.duplicates, out.pages_fetched), (2, 9));
}

#[tokio::test]
async fn a_copy_reached_by_a_stronger_link_is_read_again() {
    const REPORT: &str = "<html><head><title>报告</title></head><body>report</body></html>";
    let server = Server::start(vec![
        ("/", links(&["/fj1.html", "/more.html"])),
        ("/more.html", links(&["/nb2022.html", "/weak.html"])),
        ("/fj1.html", html(REPORT)),
        ("/nb2022.html", html(REPORT)),
        ("/weak.html", html(REPORT)),
    ])
    .await;
    let mut obs = Recorder {
        priority: Some(|l: &Link| match l.text.as_str() {
            "/fj1.html" => 2.0,
            "/more.html" => 1.0,
            "/nb2022.html" => 9.0,
            _ => 0.5,
        }),
        ..Recorder::default()
    };
    let out = crawl(&server, &config(), &mut obs).await;
    assert_eq!(
        obs.visited(),
        ["/", "/fj1.html", "/more.html", "/nb2022.html"],
        "the link 2022年报 points at more than 附件1 did: judged again"
    );
    assert_eq!(
        obs.duplicates,
        [("/weak.html".to_string(), "/fj1.html".to_string())]
    );
    assert_eq!(out.duplicates, 1);
}

#[tokio::test]
async fn an_attachment_is_read_with_the_page_that_links_it() {
    // An attachment takes title, date and column from its link: the same
    // bytes linked from another page are another document to the audit;
    // linked again from the same page in the same words, they are not.
    let pdf = || {
        route(|_| Reply::new(200, "%PDF-1.4 same bytes").header("content-type", "application/pdf"))
    };
    let server = Server::start(vec![
        ("/", links(&["/x/list.html", "/y/list.html"])),
        (
            "/x/list.html",
            html(
                "<html><title>x</title><a href=\"f.pdf\">附件</a><a href=\"g.pdf\">附件</a></html>",
            ),
        ),
        (
            "/y/list.html",
            html("<html><title>y</title><a href=\"f.pdf\">附件</a></html>"),
        ),
        ("/x/f.pdf", pdf()),
        ("/x/g.pdf", pdf()),
        ("/y/f.pdf", pdf()),
    ])
    .await;
    let mut obs = Recorder::default();
    crawl(&server, &config(), &mut obs).await;
    assert_eq!(
        obs.visited(),
        ["/", "/x/list.html", "/y/list.html", "/x/f.pdf", "/y/f.pdf"]
    );
    assert_eq!(
        obs.duplicates,
        [("/x/g.pdf".to_string(), "/x/f.pdf".to_string())]
    );
}

#[tokio::test]
async fn catch_all_pages_are_not_duplicates() {
    // A soft-404 host: every unknown path answers the same page, and each
    // such answer speaks for the link that led to it.
    const HOME: &str = "<html><head><title>Home</title></head><body>\
        <a href=\"/gone1.html\">g1</a><a href=\"/gone2.html\">g2</a>\
        <a href=\"/copy.html\">c</a><a href=\"/index.html\">i</a></body></html>";
    let server = Server::start(vec![
        ("/", html(HOME)),
        ("/copy.html", html(HOME)),
        ("/index.html", html(HOME)),
        ("*", html("<html><title>Home</title>not here</html>")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(out.soft_404_host);
    for path in ["/gone1.html", "/gone2.html", "/copy.html", "/index.html"] {
        assert!(obs.visit(path).soft_404, "{path}");
    }
    assert!(obs.duplicates.is_empty());
}

#[tokio::test]
async fn twins_on_one_port_are_one_page() {
    let home_for = |port: u16| {
        vec![
            "/x.html".to_string(),
            format!("https://127.0.0.1:{port}/x.html"),
            format!("http://127.0.0.1:{port}/x.html#a"),
            format!("http://127.0.0.1:{port}/"),
        ]
    };
    // The port is only known once bound: serve links built from Host.
    let server = Server::start(vec![
        (
            "/",
            route(move |r| {
                let port: u16 = r.headers["host"]
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let anchors: String = home_for(port)
                    .iter()
                    .map(|p| format!("<a href=\"{p}\">{p}</a>"))
                    .collect();
                Reply::new(200, anchors)
            }),
        ),
        ("/x.html", html("x")),
    ])
    .await;
    let mut obs = Recorder::default();
    crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/x.html"]);
    assert_eq!(server.hits("/x.html"), 1);
    assert_eq!(server.hits("/"), 1);
    assert!(obs.skips.is_empty(), "{:?}", obs.skips);
}

#[tokio::test]
async fn budget_skips_the_rest() {
    let server = Server::start(vec![
        ("/", links(&["/1", "/2", "/3", "/4", "/5"])),
        ("*", html("p")),
    ])
    .await;
    let cfg = CrawlConfig {
        max_pages: 3,
        ..config()
    };
    let mut obs = Recorder::default();
    let out = crawl(&server, &cfg, &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/1", "/2"]);
    assert_eq!(obs.skipped(SkipReason::Budget), ["/3", "/4", "/5"]);
    assert!(out.budget_exhausted);
    assert_eq!(out.pages_fetched, 3);

    // A budget that covers everything is not exhausted.
    let mut obs = Recorder::default();
    let cfg = CrawlConfig {
        max_pages: 6,
        ..config()
    };
    let out = crawl(&server, &cfg, &mut obs).await;
    assert!(!out.budget_exhausted);
    assert_eq!(out.pages_fetched, 6);
}

#[tokio::test]
async fn a_site_past_its_time_budget_stops_and_says_so() {
    let server = Server::start(vec![("/", links(&["/1", "/2"])), ("*", html("p"))]).await;
    let cfg = CrawlConfig {
        site_timeout: Duration::ZERO,
        ..config()
    };
    let mut obs = Recorder::default();
    let out = crawl(&server, &cfg, &mut obs).await;
    assert_eq!(obs.visited(), ["/"]);
    assert!(out.timed_out && out.stopped_early);
    assert!(!out.budget_exhausted);
}

#[tokio::test]
async fn soft_404_host_is_recognised() {
    const HOME: &str = "<html><head><title>Site Home</title></head><body>\
        <a href=\"/real.html\">r</a><a href=\"/missing.html\">m</a>\
        <a href=\"/copy.html\">c</a><a href=\"/index.html\">i</a></body></html>";
    let server = Server::start(vec![
        ("/", html(HOME)),
        ("/index.html", html(HOME)),
        ("/copy.html", html(HOME)),
        (
            "/real.html",
            html("<html><head><title>2022年政府信息公开工作年度报告</title></head><body>report</body></html>"),
        ),
        // Unknown paths: 200 with a page that names the path.
        (
            "*",
            route(|r| {
                Reply::new(
                    200,
                    format!(
                        "<html><head><title>Site Home</title></head><body>welcome {:>40}</body></html>",
                        r.path
                    ),
                )
            }),
        ),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(out.soft_404_host);
    assert!(server
        .requests()
        .iter()
        .any(|p| p.ends_with("-govcheck-probe.html")));
    assert!(!obs.visit("/").soft_404);
    assert!(!obs.visit("/real.html").soft_404);
    assert!(
        obs.visit("/missing.html").soft_404,
        "same title, same length"
    );
    assert!(obs.visit("/copy.html").soft_404, "the homepage's body");
    assert!(obs.visit("/index.html").soft_404);
    assert_eq!(obs.visits.len(), 5, "the probe is not a visit");

    // A host that answers 404 is not a soft-404 host.
    let server = Server::start(vec![("/", links(&["/a"])), ("/a", html("<a>"))]).await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(!out.soft_404_host);
    assert!(!obs.visit("/a").soft_404);
}

const JSL: &str = "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+('1')+';Path=/;';location.href=location.pathname+location.search</script>";
const RUISHU: &str = "<html><head><meta charset=utf-8><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script><script src=\"/x.js\"></script></head><body></body></html>";

#[tokio::test]
async fn challenge_on_the_homepage_blocks_the_site() {
    let server = Server::start(vec![
        ("/", route(|_| Reply::new(412, RUISHU))),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    match &out.start {
        SiteStart::Blocked { status, message } => {
            assert_eq!(*status, 412);
            assert!(message.contains("$_ts"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.requests(),
        ["/robots.txt", "/"],
        "no further probing"
    );
    assert!(obs.visits.is_empty());
}

#[tokio::test]
async fn a_challenge_on_one_section_leaves_that_section_alone() {
    let server = Server::start(vec![
        (
            "/",
            links(&["/gk/a.html", "/gk/b.html", "/news/c.html", "/d.html"]),
        ),
        ("/gk/a.html", route(|_| Reply::new(521, JSL))),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(!out.blocked_midway);
    assert_eq!(out.blocked_sections, ["/gk/"]);
    assert_eq!(obs.visited(), ["/", "/news/c.html", "/d.html"]);
    assert_eq!(
        obs.skipped(SkipReason::Blocked),
        ["/gk/a.html", "/gk/b.html"]
    );
    assert_eq!(server.hits("/gk/b.html"), 0);
}

#[tokio::test]
async fn a_guarded_subdirectory_leaves_its_parent_open() {
    let server = Server::start(vec![
        (
            "/",
            links(&[
                "/zwgk/fdzdgk/index.htm",
                "/zwgk/fdzdgk/list_2.htm",
                "/zwgk/nb/list.htm",
            ]),
        ),
        ("/zwgk/fdzdgk/index.htm", route(|_| Reply::new(412, RUISHU))),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(!out.blocked_midway);
    assert_eq!(out.blocked_sections, ["/zwgk/fdzdgk/"]);
    assert_eq!(obs.visited(), ["/", "/zwgk/nb/list.htm"]);
    assert_eq!(server.hits("/zwgk/fdzdgk/list_2.htm"), 0);
}

#[tokio::test]
async fn challenges_in_three_sections_stop_the_site() {
    let server = Server::start(vec![
        (
            "/",
            links(&["/gk/a.html", "/news/b.html", "/zw/c.html", "/hd/d.html"]),
        ),
        ("/gk/a.html", route(|_| Reply::new(521, JSL))),
        ("/news/b.html", route(|_| Reply::new(521, JSL))),
        ("/zw/c.html", route(|_| Reply::new(521, JSL))),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(out.blocked_midway);
    assert_eq!(obs.visited(), ["/"]);
    assert_eq!(server.hits("/hd/d.html"), 0);
}

#[tokio::test]
async fn challenge_midway_stops_the_site() {
    let server = Server::start(vec![
        ("/", links(&["/a", "/b", "/c"])),
        ("/a", html("a")),
        ("/b", route(|_| Reply::new(412, RUISHU))),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(out.blocked_midway);
    assert_eq!(obs.visited(), ["/", "/a"]);
    assert_eq!(obs.skipped(SkipReason::Blocked), ["/b", "/c"]);
    assert_eq!(server.hits("/c"), 0);
}

#[tokio::test]
async fn priority_order_is_respected() {
    let server = Server::start(vec![
        ("/", links(&["/low", "/never", "/high", "/mid"])),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder {
        priority: Some(|l: &Link| match l.text.as_str() {
            "/high" => 5.0,
            "/mid" => 1.0,
            "/low" => 0.5,
            "/never" => -1.0,
            _ => 0.0,
        }),
        ..Recorder::default()
    };
    crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/high", "/mid", "/low"]);
    assert_eq!(server.hits("/never"), 0);
}

#[tokio::test]
async fn links_pointing_at_nothing_open_are_left_once_they_are_all_that_is_left() {
    let server = Server::start(vec![
        ("/", links(&["/a", "/idle1", "/idle2"])),
        ("*", html("p")),
    ])
    .await;
    let mut obs = Recorder {
        priority: Some(|l: &Link| if l.text == "/a" { 2.0 } else { 0.0 }),
        ..Recorder::default()
    };
    let out = crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/a"]);
    assert_eq!(out.links_not_needed, 2);
    assert!(!out.budget_exhausted);
    assert_eq!(server.hits("/idle1"), 0);
}

#[tokio::test]
async fn observer_can_stop_the_site() {
    let server = Server::start(vec![("/", links(&["/a", "/b"])), ("*", html("p"))]).await;
    let mut obs = Recorder {
        stop_after: Some(2),
        ..Recorder::default()
    };
    let out = crawl(&server, &config(), &mut obs).await;
    assert!(out.stopped_early);
    assert_eq!(obs.visited(), ["/", "/a"]);
    assert_eq!(server.hits("/b"), 0);
}

#[tokio::test]
async fn sitemap_urls_are_queued_at_depth_one() {
    let server = Server::start(vec![
        (
            "/robots.txt",
            route(|r| {
                Reply::new(
                    200,
                    format!(
                        "User-agent: *\nDisallow:\nSitemap: {0}/sitemap_index.xml\nSitemap: http://127.0.0.1:9/elsewhere.xml\n",
                        r.origin()
                    ),
                )
            }),
        ),
        (
            "/sitemap_index.xml",
            route(|r| {
                Reply::new(
                    200,
                    format!(
                        "<sitemapindex><sitemap><loc>{}/sitemap.xml</loc></sitemap></sitemapindex>",
                        r.origin()
                    ),
                )
            }),
        ),
        (
            "/sitemap.xml",
            route(|r| {
                Reply::new(
                    200,
                    format!("<urlset><url><loc>{}/from-sitemap.html</loc></url></urlset>", r.origin()),
                )
            }),
        ),
        ("/", html("<html>no links</html>")),
        ("/from-sitemap.html", html("s")),
    ])
    .await;
    let mut obs = Recorder::default();
    let out = crawl(&server, &config(), &mut obs).await;
    assert_eq!(obs.visited(), ["/", "/from-sitemap.html"]);
    let v = obs.visit("/from-sitemap.html");
    assert_eq!(v.depth, 1);
    assert_eq!(v.origin, Some(LinkOrigin::Sitemap));
    assert_eq!(out.pages_fetched, 2, "robots and sitemaps are not pages");
}

#[tokio::test]
async fn https_start_falls_back_to_plain_http() {
    let server = Server::start(vec![("/", links(&["/a"])), ("/a", html("a"))]).await;
    let start = Url::parse(&format!("https://{}/", server.addr)).unwrap();
    let mut obs = Recorder::default();
    let out = crawl_from(start, &config(), &mut obs).await;
    let home = reached(&out);
    assert_eq!(home.scheme(), "http");
    assert_eq!(obs.visited(), ["/", "/a"]);
    assert_eq!(obs.visit("/").fetched.final_url.scheme(), "http");
    assert!(!obs.visit("/").fetched.tls_unverified);
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let start = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let mut obs = Recorder::default();
    let out = crawl_from(start, &config(), &mut obs).await;
    match out.start {
        SiteStart::Unreachable { class, .. } => assert_eq!(class, FetchErrorClass::Connect),
        other => panic!("{other:?}"),
    }
    assert!(obs.visits.is_empty());
}

#[tokio::test]
async fn meta_refresh_and_script_stubs_are_followed() {
    let server = Server::start(vec![
        (
            "/",
            html(r#"<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL='/bas/index.shtml'"></head><body></body></html>"#),
        ),
        (
            "/bas/index.shtml",
            html(r#"<html><body><script>window.location.href="/xxx/index.html";</script></body></html>"#),
        ),
        ("/xxx/index.html", html("<html><body><h1>首页</h1></body></html>")),
    ])
    .await;
    let config = config();
    let politeness = Politeness::new(config.rate);
    let mut obs = Recorder::default();
    let out = crawl_site_with(
        server.url("/"),
        &config,
        &politeness,
        &mut obs,
        crate::page::parse,
    )
    .await;
    reached(&out);
    assert_eq!(obs.visited(), ["/", "/bas/index.shtml", "/xxx/index.html"]);
    assert_eq!(obs.visit("/xxx/index.html").depth, 2);
}

/// An old host whose every path redirects (301) to the same path on the
/// host set later in the returned cell.
async fn moved_host(extra: Vec<(&str, Handler)>) -> (Server, Arc<Mutex<String>>) {
    let target = Arc::new(Mutex::new(String::new()));
    let to = target.clone();
    let mut routes = vec![(
        "*",
        route(move |r| Reply::redirect(301, &format!("{}{}", to.lock().unwrap(), r.path))),
    )];
    routes.extend(extra);
    (Server::start(routes).await, target)
}

#[tokio::test]
async fn homepage_moved_to_another_host_moves_the_site() {
    // The old host answers robots.txt itself (404) and moves only `/`.
    let (old, target) = moved_host(vec![
        ("/robots.txt", route(|_| Reply::new(404, "none"))),
        ("/old.html", html("old")),
    ])
    .await;
    let old_page = format!("http://{}/old.html", old.addr);
    let back = old_page.clone();
    let new = Server::start(vec![
        ("/robots.txt", slow_robots()),
        (
            "/",
            route(|r| Reply::redirect(302, &format!("{}/index.html", r.origin()))),
        ),
        (
            "/index.html",
            links(&["/a.html", "/private/x.html", "/back", &old_page]),
        ),
        ("/a.html", html("a")),
        ("/private/x.html", html("x")),
        ("/back", route(move |_| Reply::redirect(302, &back))),
    ])
    .await;
    *target.lock().unwrap() = format!("http://{}", new.addr);
    let mut obs = Recorder::default();
    let out = crawl(&old, &config(), &mut obs).await;
    let home = reached(&out).clone();
    assert_eq!(home, new.url("/index.html"));
    assert_eq!(out.moved_to, Some(home));
    let hops: Vec<u16> = obs
        .visit("/")
        .fetched
        .hops
        .iter()
        .map(|h| h.status)
        .collect();
    assert_eq!(hops, [301, 302]);
    assert_eq!(obs.visited(), ["/", "/a.html"]);
    // The new host's robots.txt was read and applies.
    assert_eq!(new.hits("/robots.txt"), 1);
    assert_eq!(obs.skipped(SkipReason::Robots), ["/private/x.html"]);
    assert_eq!(new.hits("/private/x.html"), 0);
    assert_eq!(out.crawl_delay_requested, Some(30.0));
    // The old host is out of scope now, by link or by redirect.
    assert_eq!(obs.skipped(SkipReason::OutOfScope), ["/old.html"]);
    assert_eq!(
        obs.errors,
        [("/back".to_string(), FetchErrorClass::RedirectOutOfScope)]
    );
    assert_eq!(old.hits("/old.html"), 0);
    assert_eq!(
        old.requests(),
        ["/robots.txt", "/"],
        "the soft-404 probe goes to the new host"
    );
}

#[tokio::test]
async fn moved_site_robots_read_through_the_redirect_is_not_reread() {
    let (old, target) = moved_host(vec![]).await;
    let new = Server::start(vec![
        (
            "/robots.txt",
            route(|_| Reply::new(200, "User-agent: *\nDisallow: /private/\n")),
        ),
        ("/", links(&["/a.html", "/private/x.html"])),
        ("/a.html", html("a")),
    ])
    .await;
    *target.lock().unwrap() = format!("http://{}", new.addr);
    let mut obs = Recorder::default();
    let out = crawl(&old, &config(), &mut obs).await;
    assert_eq!(reached(&out), &new.url("/"));
    assert_eq!(new.hits("/robots.txt"), 1);
    assert_eq!(obs.visited(), ["/", "/a.html"]);
    assert_eq!(obs.skipped(SkipReason::Robots), ["/private/x.html"]);

    // A new host that disallows the homepage stops the site.
    let (old, target) = moved_host(vec![("/robots.txt", route(|_| Reply::new(404, "")))]).await;
    let closed = Server::start(vec![
        (
            "/robots.txt",
            route(|_| Reply::new(200, "User-agent: govcheck\nDisallow: /\n")),
        ),
        ("/", html("home")),
    ])
    .await;
    *target.lock().unwrap() = format!("http://{}", closed.addr);
    let mut obs = Recorder::default();
    let out = crawl(&old, &config(), &mut obs).await;
    assert!(
        matches!(out.start, SiteStart::RobotsDisallowed),
        "{:?}",
        out.start
    );
    assert_eq!(out.moved_to, Some(closed.url("/")));
    assert!(obs.visits.is_empty());
}

/// Earlier captures for the revalidation test: `/kept` can be read back,
/// `/lost` cannot.
#[derive(Debug)]
struct Earlier;

impl Revalidate for Earlier {
    fn conditions(&self, url: &Url) -> Vec<(String, String)> {
        if url.path() == "/fresh" {
            return Vec::new();
        }
        vec![("If-None-Match".into(), "\"v1\"".into())]
    }
    fn unchanged(&self, url: &Url, not_modified: &Fetched) -> Option<Fetched> {
        (url.path() == "/kept").then(|| Fetched {
            body: Bytes::from_static(b"<html><title>kept</title>earlier body</html>"),
            status: 200,
            posted: None,
            rendered: None,
            revisit: Some(Revisit {
                not_modified_headers: not_modified.headers.clone(),
                conditions: self.conditions(url),
                earlier: EarlierCapture {
                    warc_path: "earlier.warc.gz".into(),
                    offset: 0,
                    length: 1,
                    record_id: "<urn:uuid:1>".into(),
                    captured_at: Utc::now(),
                    payload_sha256: String::new(),
                },
            }),
            ..not_modified.clone()
        })
    }
}

#[tokio::test]
async fn evidence_is_revalidated_with_a_conditional_get() {
    let conditional = |req: &Req| match req.headers.get("if-none-match") {
        Some(tag) if tag == "\"v1\"" => Reply::new(304, "").header("etag", "\"v1\""),
        _ => Reply::new(200, "<html><title>full</title>full body</html>").header("etag", "\"v1\""),
    };
    let server = Server::start(vec![
        ("/", links(&[])),
        ("/kept", route(conditional)),
        ("/lost", route(conditional)),
        ("/fresh", route(conditional)),
    ])
    .await;
    let seed = |path: &str| Link {
        url: server.url(path),
        text: String::new(),
        context: String::new(),
        section: String::new(),
        date: None,
        origin: LinkOrigin::Evidence,
    };
    let mut config = config();
    config.seeds = vec![seed("/kept"), seed("/lost"), seed("/fresh")];
    config.revalidate = Some(Arc::new(Earlier));
    let mut obs = Recorder::default();
    let outcome = crawl(&server, &config, &mut obs).await;

    // 304 and a readable earlier capture: it stands for the page.
    let kept = obs.visit("/kept");
    assert_eq!(kept.fetched.status, 200);
    assert!(kept.fetched.revisit.is_some());
    assert_eq!(
        &kept.fetched.body[..],
        b"<html><title>kept</title>earlier body</html>"
    );
    assert_eq!(server.hits("/kept"), 1);
    // 304 but nothing to read back: fetched again, in full.
    let lost = obs.visit("/lost");
    assert_eq!(lost.fetched.status, 200);
    assert!(lost.fetched.revisit.is_none());
    assert_eq!(server.hits("/lost"), 2);
    // No validators: one plain GET.
    assert!(obs.visit("/fresh").fetched.revisit.is_none());
    assert_eq!(server.hits("/fresh"), 1);
    assert_eq!(outcome.pages_not_modified, 1);
}
