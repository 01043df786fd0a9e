//! Serves the fixture county websites in `fixtures/sites/` on 127.0.0.1.
//!
//! govcheck must be tested without the internet, yet against sites that
//! behave like real county portals: GBK pages that declare their charset only
//! in `<meta>`, `?page=2` and `?tab=` URLs, script-filled lists, WAF
//! challenges (HTTP 412), soft 404s, transient 503s. This module turns a
//! directory of static files plus a small `_site.toml` into such a site, one
//! ephemeral port per site, for the integration tests and `govcheck demo`.
//!
//! Mapping: a path is a file under the site directory (percent-decoded, never
//! escaping it); a directory answers with its `index.html` / `index.shtml` /
//! `index.htm`; a query string selects the sibling file `<file>@<query>`
//! (`/` in the query becomes `_`), falling back to the file itself. The
//! site's own top-level files (names starting with `_`, and `expected.csv`)
//! are never served; deeper names may start with `_` (VSB's `/__local/`).
//! `_site.toml`:
//!
//! ```toml
//! name = "北安市"            # the county (required)
//! html_charset = "utf-8"    # add a charset to text/html (default: none)
//! soft_404 = true           # missing paths answer 200 with the homepage
//! waf = true                # every request answers 412 with a 瑞数-style page
//! gzip = true               # gzip bodies when the client accepts it
//! slow_ms = 200             # delay every answer
//! validators = false        # no ETag / Last-Modified, never 304 (default: sent)
//! [[route]]
//! path = "/bas/c100783/list.shtml"
//! status = 503              # for the first `times` requests, then normal
//! times = 1
//! body = "_jsl_521.html"    # answer with this file of the site (default: a stub)
//! [[route]]
//! path = "/old/"
//! redirect = "/new/"        # 302
//! [[route]]
//! path = "/api/list"        # served as usual, with this Content-Type
//! content_type = "application/json"
//! [[post]]                  # TRS 动静结合: later list pages only by POST
//! path = "/search"          # GET (or any other method) answers 405
//! file = "search/{channelId}/{page}.json"
//! ```
//!
//! A `[[post]]` answers `POST path` with the site's file named by `file`,
//! each `{field}` filled from the request body (form-urlencoded, or a JSON
//! object); a missing field answers 400, a missing file 404, and any other
//! method 405 with `Allow: POST`. Elsewhere the method is ignored (an ASP.NET
//! postback answers the page itself).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_ENCODING, CONTENT_TYPE, LOCATION, SET_COOKIE, VARY};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use std::convert::Infallible;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

mod post;
mod seen;

pub use seen::SeenRequest;

/// One fixture site being served; stops serving when dropped.
pub struct SiteServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The county name from `_site.toml`.
    pub name: String,
    /// The site directory.
    pub dir: PathBuf,
    site: Arc<Site>,
    task: JoinHandle<()>,
}

impl SiteServer {
    /// Every request received so far (at most the first 100,000), in order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.site
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The homepage URL, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteConfig {
    name: String,
    #[serde(default)]
    html_charset: Option<String>,
    #[serde(default)]
    soft_404: bool,
    #[serde(default)]
    waf: bool,
    #[serde(default)]
    gzip: bool,
    #[serde(default)]
    slow_ms: Option<u64>,
    /// Send ETag / Last-Modified and answer conditional GETs with 304.
    #[serde(default = "yes")]
    validators: bool,
    #[serde(default)]
    route: Vec<RouteConfig>,
    /// Endpoints that answer only `POST`, from files named by body fields.
    #[serde(default)]
    post: Vec<post::PostConfig>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteConfig {
    path: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    times: Option<u32>,
    #[serde(default)]
    redirect: Option<String>,
    /// A file of the site sent as the body of a `status` answer (a
    /// challenge page, a vendor's error page).
    #[serde(default)]
    body: Option<String>,
    /// The Content-Type of the file served at this path (an extensionless
    /// JSON endpoint), when it answers normally.
    #[serde(default)]
    content_type: Option<String>,
}

struct Route {
    config: RouteConfig,
    hits: AtomicU32,
}

struct Site {
    dir: PathBuf,
    config: SiteConfig,
    routes: Vec<Route>,
    seen: std::sync::Mutex<Vec<SeenRequest>>,
}

/// The body a 瑞数-style WAF answers with HTTP 412.
const WAF_BODY: &str = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><script>var $_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};$_ts.nsd=12345;$_ts.cd=\"qxcDrrAlEaVWcGqDrrlGcqAmEqQmqqQ1crQmqqAlrAlDqqQDhaAlqGqFWcGRcqWVqal\";if($_ts.lcd)$_ts.lcd();</script><script src=\"/aPzGxFiXh1Ke/c.FxJzG50F.dfe1675.js\"></script></head><body></body></html>";

const NOT_FOUND_BODY: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body></html>";

/// Serves the site in `dir` (which holds a `_site.toml`) on an ephemeral
/// port of 127.0.0.1.
pub async fn start_site(dir: &Path) -> io::Result<SiteServer> {
    let toml_path = dir.join("_site.toml");
    let text = tokio::fs::read_to_string(&toml_path).await?;
    let mut config: SiteConfig = toml::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", toml_path.display()),
        )
    })?;
    let name = config.name.clone();
    let routes = config
        .route
        .drain(..)
        .map(|config| Route {
            config,
            hits: AtomicU32::new(0),
        })
        .collect();
    let site = Arc::new(Site {
        dir: dir.to_path_buf(),
        config,
        routes,
        seen: std::sync::Mutex::new(Vec::new()),
    });
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(accept_loop(listener, site.clone()));
    Ok(SiteServer {
        addr,
        name,
        dir: dir.to_path_buf(),
        site,
        task,
    })
}

/// Serves every subdirectory of `root` that holds a `_site.toml`, in the
/// order of the directory names.
pub async fn start_all(root: &Path) -> io::Result<Vec<SiteServer>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.is_dir() && path.join("_site.toml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    let mut servers = Vec::with_capacity(dirs.len());
    for dir in dirs {
        servers.push(start_site(&dir).await?);
    }
    Ok(servers)
}

async fn accept_loop(listener: TcpListener, site: Arc<Site>) {
    // Connections live in this set, so aborting the loop closes them too.
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        let site = site.clone();
        connections.spawn(async move {
            let service = service_fn(move |req| {
                let site = site.clone();
                async move { Ok::<_, Infallible>(handle(&site, req).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle<B>(site: &Site, req: Request<B>) -> Response<Full<Bytes>>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    seen::record(&site.seen, &req);
    if let Some(ms) = site.config.slow_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let endpoint = (!site.config.waf)
        .then(|| site.config.post.iter().find(|p| p.path == req.uri().path()))
        .flatten();
    if let Some(endpoint) = endpoint {
        return post::answer(site, endpoint, req).await.map(Full::new);
    }
    let accepts_gzip = req
        .headers()
        .get_all(hyper::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("gzip"));
    let mut resp = answer(site, req.uri().path(), req.uri().query(), req.headers());
    if site.config.gzip && accepts_gzip && !resp.body().is_empty() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        if enc.write_all(resp.body()).is_ok() {
            if let Ok(gz) = enc.finish() {
                *resp.body_mut() = Bytes::from(gz);
                resp.headers_mut()
                    .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                resp.headers_mut()
                    .insert(VARY, HeaderValue::from_static("Accept-Encoding"));
            }
        }
    }
    resp.map(Full::new)
}

fn answer(
    site: &Site,
    raw_path: &str,
    query: Option<&str>,
    request: &hyper::HeaderMap,
) -> Response<Bytes> {
    if site.config.waf {
        let mut resp = html_response(StatusCode::PRECONDITION_FAILED, WAF_BODY.into(), None);
        resp.headers_mut().insert(
            SET_COOKIE,
            HeaderValue::from_static(
                "FSSBBIl1UgzbN7N80S=ZcT7mQ0Sgo8ybWTuk2vA5Hy0Hc0qZ4XGxOjT6y0F0vdcU9Ek; Path=/; HttpOnly",
            ),
        );
        return resp;
    }
    let full = match query {
        Some(q) => format!("{raw_path}?{q}"),
        None => raw_path.to_string(),
    };
    for route in &site.routes {
        let c = &route.config;
        if c.path != full && c.path != raw_path {
            continue;
        }
        if let Some(to) = &c.redirect {
            let mut resp = html_response(StatusCode::FOUND, Bytes::new(), None);
            if let Ok(v) = HeaderValue::from_str(to) {
                resp.headers_mut().insert(LOCATION, v);
            }
            return resp;
        }
        if let Some(status) = c.status {
            let n = route.hits.fetch_add(1, Ordering::SeqCst);
            if c.times.is_none_or(|t| n < t) {
                let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                let body = c
                    .body
                    .as_ref()
                    .and_then(|file| std::fs::read(site.dir.join(file)).ok())
                    .map(Bytes::from)
                    .unwrap_or_else(|| {
                        format!("<html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>")
                            .into()
                    });
                return html_response(code, body, None);
            }
        }
    }
    let charset = site.config.html_charset.as_deref();
    let declared_type = site
        .routes
        .iter()
        .find(|r| r.config.path == full || r.config.path == raw_path)
        .and_then(|r| r.config.content_type.clone());
    match resolve(&site.dir, raw_path, query) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let validators = site
                    .config
                    .validators
                    .then(|| Validators::of(&file, &bytes));
                let unchanged = validators.as_ref().is_some_and(|v| v.matches(request));
                let body = if unchanged {
                    Bytes::new()
                } else {
                    Bytes::from(bytes)
                };
                let mut resp = Response::new(body);
                if unchanged {
                    *resp.status_mut() = StatusCode::NOT_MODIFIED;
                }
                let ct = declared_type.unwrap_or_else(|| content_type(&file, charset));
                if let Ok(v) = HeaderValue::from_str(&ct) {
                    resp.headers_mut().insert(CONTENT_TYPE, v);
                }
                if let Some(v) = validators {
                    v.insert(resp.headers_mut());
                }
                resp
            }
            Err(_) => not_found(site),
        },
        None => not_found(site),
    }
}

/// A served file's `ETag` (from its bytes) and `Last-Modified` (its
/// modification time), as a static web server sends them.
struct Validators {
    etag: String,
    last_modified: Option<chrono::DateTime<chrono::Utc>>,
}

impl Validators {
    fn of(file: &Path, bytes: &[u8]) -> Validators {
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(bytes));
        let last_modified = std::fs::metadata(file)
            .and_then(|m| m.modified())
            .ok()
            .map(chrono::DateTime::<chrono::Utc>::from);
        Validators {
            etag: format!("\"{}\"", &digest[..16]),
            last_modified,
        }
    }

    /// The request's `If-None-Match` names this ETag, or (without one) its
    /// `If-Modified-Since` is not before the modification time.
    fn matches(&self, request: &hyper::HeaderMap) -> bool {
        let header = |name| request.get(name).and_then(|v| v.to_str().ok());
        if let Some(tags) = header(hyper::header::IF_NONE_MATCH) {
            return tags
                .split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == "*" || t == self.etag);
        }
        match (header(hyper::header::IF_MODIFIED_SINCE), self.last_modified) {
            (Some(since), Some(modified)) => chrono::DateTime::parse_from_rfc2822(since)
                .is_ok_and(|since| since.timestamp() >= modified.timestamp()),
            _ => false,
        }
    }

    fn insert(&self, headers: &mut hyper::HeaderMap) {
        if let Ok(v) = HeaderValue::from_str(&self.etag) {
            headers.insert(hyper::header::ETAG, v);
        }
        if let Some(date) = self.last_modified {
            let text = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            if let Ok(v) = HeaderValue::from_str(&text) {
                headers.insert(hyper::header::LAST_MODIFIED, v);
            }
        }
    }
}

fn not_found(site: &Site) -> Response<Bytes> {
    let charset = site.config.html_charset.as_deref();
    if site.config.soft_404 {
        if let Some(home) = resolve(&site.dir, "/", None) {
            if let Ok(bytes) = std::fs::read(home) {
                return html_response(StatusCode::OK, bytes.into(), charset);
            }
        }
    }
    html_response(StatusCode::NOT_FOUND, NOT_FOUND_BODY.into(), Some("utf-8"))
}

fn html_response(status: StatusCode, body: Bytes, charset: Option<&str>) -> Response<Bytes> {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let ct = match charset {
        Some(cs) => format!("text/html; charset={cs}"),
        None => "text/html".to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&ct) {
        resp.headers_mut().insert(CONTENT_TYPE, v);
    }
    resp
}

/// The file a request path (and query) names under `dir`, if it may be
/// served.
fn resolve(dir: &Path, raw_path: &str, query: Option<&str>) -> Option<PathBuf> {
    let decoded = percent_decode(raw_path)?;
    let mut path = dir.to_path_buf();
    let segments: Vec<&str> = decoded
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    for seg in &segments {
        if *seg == ".." || seg.contains('\\') {
            return None;
        }
        path.push(seg);
    }
    // The site's own files (`_site.toml`, route bodies, `expected.csv`) sit
    // at its top; deeper names may start with `_` (VSB's `/__local/`).
    if let [only] = segments.as_slice() {
        if only.starts_with('_') || *only == "expected.csv" {
            return None;
        }
    }
    if path.is_dir() {
        path = ["index.html", "index.shtml", "index.htm"]
            .iter()
            .map(|f| path.join(f))
            .find(|p| p.is_file())?;
    }
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        let name = path.file_name()?.to_str()?;
        let sibling = path.with_file_name(format!("{name}@{}", q.replace('/', "_")));
        if sibling.is_file() {
            return Some(sibling);
        }
    }
    path.is_file().then_some(path)
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 or holds NUL.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

fn content_type(file: &Path, html_charset: Option<&str>) -> String {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    // `list.shtml@page=2` has the type of `list.shtml`.
    let base = name.split('@').next().unwrap_or(name);
    let ext = base.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let ct = match ext.as_deref() {
        Some("html" | "htm" | "shtml") => {
            return match html_charset {
                Some(cs) => format!("text/html; charset={cs}"),
                None => "text/html".to_string(),
            }
        }
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xls") => "application/vnd.ms-excel",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("txt") => "text/plain",
        Some("xml") => "application/xml",
        Some("js") => "application/javascript",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        _ => "application/octet-stream",
    };
    ct.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b/%E5%B9%B4").unwrap(), "/a b/年");
        assert_eq!(percent_decode("/100%").unwrap(), "/100%");
        assert!(percent_decode("/%00").is_none());
    }

    #[test]
    fn paths_never_leave_the_site_nor_show_hidden_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites/beian");
        assert!(resolve(&dir, "/", None).is_some_and(|p| p.ends_with("index.html")));
        assert!(resolve(&dir, "/bas/c100752/list.shtml", Some("page=3"))
            .is_some_and(|p| p.ends_with("list.shtml@page=3")));
        assert!(resolve(&dir, "/bas/c100752/list.shtml", Some("page=9"))
            .is_some_and(|p| p.ends_with("list.shtml")));
        for bad in [
            "/../nenjiang/index.html",
            "/bas/%2e%2e/%2e%2e/nenjiang/index.html",
            "/bas/..%2f..%2fnenjiang/index.html",
            "/_site.toml",
            "/%5fsite.toml",
            "/expected.csv",
        ] {
            assert_eq!(resolve(&dir, bad, None), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        let t = |f: &str| content_type(Path::new(f), None);
        assert_eq!(t("a/list.shtml@page=2"), "text/html");
        assert_eq!(t("x.PDF"), "application/pdf");
        assert_eq!(t("data/list_zfyjs.json"), "application/json");
        assert_eq!(
            content_type(Path::new("index.html"), Some("utf-8")),
            "text/html; charset=utf-8"
        );
    }
}
