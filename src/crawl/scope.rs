//! What belongs to a site, when two URLs are the same, and which URLs are
//! traps.
//!
//! A county site is its host plus the `www.`/bare twin, on either scheme,
//! on the same port. Dedup keys fold those twins together so one page is not
//! fetched four times, and fold away what never selects a document: a
//! fragment, a session id, the order of query parameters and the
//! parameters `query` finds cosmetic (print views, sort orders,
//! tracking tags, cache busters). A directory and its index file
//! (`/zwgk/` and `/zwgk/index.html`) are only *probably* one document, so
//! they keep their own keys: once one of them answers with a document,
//! [`same_document_keys`] names the other. Trap bounds keep calendars,
//! search loops and self-nesting relative links from eating the page
//! budget.

use super::query::query_key;
use super::SkipReason;
use crate::types::bare_host;
use std::collections::{HashMap, HashSet};
use url::Url;

/// The hosts and port of one site.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Host without a leading `www.`, lower-cased.
    base_host: String,
    /// Explicit port (`None` for the scheme's default).
    port: Option<u16>,
    loopback: bool,
}

impl Scope {
    /// The scope of the site whose homepage is `start`.
    pub fn new(start: &Url) -> Self {
        Scope {
            base_host: bare_host(start),
            port: start.port(),
            loopback: is_loopback(start),
        }
    }

    /// The site is on this machine (a fixture or test server).
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// The site's origins: both schemes, the host and its twin (for a
    /// domain), on the site's port.
    pub fn origins(&self) -> Vec<Url> {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let mut hosts = vec![self.base_host.clone()];
        if self.base_host.parse::<std::net::IpAddr>().is_err() && !self.base_host.starts_with('[') {
            hosts.push(format!("www.{}", self.base_host));
        }
        let mut out = Vec::new();
        for scheme in ["https", "http"] {
            for host in &hosts {
                if let Ok(u) = Url::parse(&format!("{scheme}://{host}{port}/")) {
                    out.push(u);
                }
            }
        }
        out
    }

    /// `url` is http(s) on the site's host or its twin, same port.
    pub fn contains(&self, url: &Url) -> bool {
        is_http(url) && url.port() == self.port && bare_host(url) == self.base_host
    }
}

/// The URL's host is this machine: 127.0.0.0/8, `::1` or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Whether `url` is http or https.
pub fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// The URL as fetched: fragment, session id and a bare `?` dropped. The
/// url crate already lower-cases scheme and host and drops default ports.
pub fn normalise(url: &Url) -> Url {
    let mut u = url.clone();
    u.set_fragment(None);
    crate::page::strip_session_id(&mut u);
    if u.query() == Some("") {
        u.set_query(None);
    }
    u
}

/// The key URLs are deduplicated by: scheme and `www.` folded away, port
/// and path kept, the query reduced to the parameters that may select
/// content, in a fixed order (`query::query_key`). Two URLs with one key are one
/// document and only the first is fetched; the URL fetched is the one
/// linked, never rewritten, so evidence names a URL the site serves.
pub fn dedup_key(url: &Url) -> String {
    let u = normalise(url);
    let mut key = bare_host(&u);
    if let Some(port) = u.port() {
        key.push(':');
        key.push_str(&port.to_string());
    }
    key.push_str(u.path());
    if let Some(q) = u.query().map(query_key).filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(&q);
    }
    key
}

/// File names a static web server answers a directory URL with: the
/// index pages of the static CMSs county sites run (TRS, Hanweb, the
/// Heilongjiang platform, IIS's `default.htm`). A JSP, PHP or ASP index
/// is left out: there the directory goes through an application that may
/// answer it differently.
const DIRECTORY_INDEXES: &[&str] = &[
    "index.html",
    "index.htm",
    "index.shtml",
    "default.html",
    "default.htm",
];

/// Dedup keys of the URLs that name the same document as `url`, once `url`
/// has answered with one (2xx, not the site's catch-all page): its
/// directory for an index file (`/zwgk/index.html` → `/zwgk/`), the index
/// files for a directory (`/zwgk/` → `/zwgk/index.html`, `index.htm`, …),
/// with the same query. Not a rule of the dedup key: a server does not
/// always answer a directory with its `index.html` (a link to a missing
/// `index.htm` must not hide the directory), so only an answer confirms it.
pub fn same_document_keys(url: &Url) -> Vec<String> {
    let mut u = normalise(url);
    let path = u.path().to_string();
    let Some(slash) = path.rfind('/') else {
        return Vec::new();
    };
    let (dir, file) = path.split_at(slash + 1);
    let mut keys = Vec::new();
    if file.is_empty() {
        for index in DIRECTORY_INDEXES {
            u.set_path(&format!("{dir}{index}"));
            keys.push(dedup_key(&u));
        }
    } else if DIRECTORY_INDEXES
        .iter()
        .any(|index| file.eq_ignore_ascii_case(index))
    {
        u.set_path(dir);
        keys.push(dedup_key(&u));
    }
    keys
}

/// Extensions that are never documents: not worth a request.
const NON_DOCUMENT: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "css", "js", "mjs",
    "map", "woff", "woff2", "ttf", "otf", "eot", "mp3", "wav", "wma", "aac", "ogg", "flac", "mp4",
    "avi", "wmv", "flv", "mov", "mkv", "webm", "m4v", "rm", "rmvb", "swf", "exe", "msi", "apk",
    "ipa", "dmg", "iso", "bin",
];

/// The URL's last path segment has an extension that is never a document
/// (images, styles, scripts, fonts, media, installers). Attachments such as
/// PDF, DOC(X), XLS(X), WPS, ET, OFD and ZIP are documents.
pub fn is_non_document(url: &Url) -> bool {
    let last = url.path().rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        Some((_, ext)) => NON_DOCUMENT.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

/// More path segments than this is a trap.
const MAX_SEGMENTS: usize = 15;
/// One segment this many times in a path is a trap (`a/b/a/b/a/b`).
const MAX_REPEATS: usize = 3;
/// Distinct non-pagination queries for one path (calendars, searches).
const MAX_QUERIES: usize = 60;
/// Distinct pagination values for one path and non-pagination query.
const MAX_PAGES_PER_LIST: usize = 300;
const PAGINATION_PARAMS: &[&str] = &["page", "p", "pageno", "pageindex", "index"];

/// Remembers the queries seen per path and tells traps apart.
#[derive(Debug, Default)]
pub struct TrapGuard {
    /// dedup key of the path → distinct non-pagination query parts.
    queries: HashMap<String, HashSet<String>>,
    /// path and non-pagination query → distinct pagination parts.
    pages: HashMap<String, HashSet<String>>,
}

impl TrapGuard {
    /// `Some(Trap)` when the URL looks like a crawler trap; otherwise the
    /// URL's query is counted and `None` returned.
    pub fn check(&mut self, url: &Url) -> Option<SkipReason> {
        let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
        if segments.len() > MAX_SEGMENTS {
            return Some(SkipReason::Trap);
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for s in &segments {
            let n = counts.entry(s).or_default();
            *n += 1;
            if *n >= MAX_REPEATS {
                return Some(SkipReason::Trap);
            }
        }
        let query = url.query().filter(|q| !q.is_empty())?;
        let (mut plain, mut paging) = (Vec::new(), Vec::new());
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap_or_default();
            if PAGINATION_PARAMS.contains(&name.to_ascii_lowercase().as_str()) {
                paging.push(pair);
            } else {
                plain.push(pair);
            }
        }
        let mut path_key = dedup_key(url);
        if let Some(i) = path_key.find('?') {
            path_key.truncate(i);
        }
        let plain = plain.join("&");
        let paging = paging.join("&");
        let list_key = format!("{path_key}?{plain}");
        if !admit(
            self.queries.entry(path_key).or_default(),
            &plain,
            MAX_QUERIES,
        ) || !admit(
            self.pages.entry(list_key).or_default(),
            &paging,
            MAX_PAGES_PER_LIST,
        ) {
            return Some(SkipReason::Trap);
        }
        None
    }
}

/// Count `value` in `seen` unless that would pass `cap`.
fn admit(seen: &mut HashSet<String>, value: &str, cap: usize) -> bool {
    if seen.contains(value) {
        return true;
    }
    if seen.len() >= cap {
        return false;
    }
    seen.insert(value.to_string());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{registered_domain, sibling_hosts};

    #[test]
    fn registered_domains_and_siblings() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            registered_domain(&u("http://xxgk.hljba.gov.cn/a")).as_deref(),
            Some("hljba.gov.cn")
        );
        assert_eq!(
            registered_domain(&u("http://www.example.com/")).as_deref(),
            Some("example.com")
        );
        assert_eq!(registered_domain(&u("http://127.0.0.1:8080/")), None);
        assert!(sibling_hosts(
            &u("http://www.hljba.gov.cn/"),
            &u("https://xxgk.hljba.gov.cn/x")
        ));
        assert!(!sibling_hosts(
            &u("http://www.hljba.gov.cn/"),
            &u("http://hljba.gov.cn/x")
        ));
        assert!(!sibling_hosts(
            &u("http://www.hljba.gov.cn/"),
            &u("http://www.hlj.gov.cn/")
        ));
        assert!(!sibling_hosts(
            &u("http://127.0.0.1:1/"),
            &u("http://127.0.0.1:2/")
        ));
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn scope_takes_twins_and_both_schemes_on_one_port() {
        let s = Scope::new(&url("http://www.aihui.gov.cn/"));
        assert!(s.contains(&url("https://aihui.gov.cn/a")));
        assert!(s.contains(&url("http://WWW.AIHUI.GOV.CN/b")));
        assert!(!s.contains(&url("http://xxgk.aihui.gov.cn/")));
        assert!(!s.contains(&url("http://www.aihui.gov.cn:8080/")));
        assert!(!s.contains(&url("ftp://www.aihui.gov.cn/")));
        let l = Scope::new(&url("http://127.0.0.1:4000/"));
        assert!(l.contains(&url("https://127.0.0.1:4000/x")));
        assert!(!l.contains(&url("http://127.0.0.1:4001/x")));
        assert_eq!(l.origins().len(), 2);
        let origins: Vec<String> = s.origins().iter().map(|u| u.to_string()).collect();
        assert_eq!(
            origins,
            [
                "https://aihui.gov.cn/",
                "https://www.aihui.gov.cn/",
                "http://aihui.gov.cn/",
                "http://www.aihui.gov.cn/"
            ]
        );
    }

    #[test]
    fn loopback_hosts() {
        for s in [
            "http://127.0.0.1:4000/",
            "http://127.8.9.10/",
            "http://[::1]:8080/",
            "http://LOCALHOST/",
        ] {
            assert!(is_loopback(&url(s)), "{s}");
        }
        for s in [
            "http://10.0.0.1/",
            "http://www.aihui.gov.cn/",
            "http://[::2]/",
        ] {
            assert!(!is_loopback(&url(s)), "{s}");
        }
        assert!(Scope::new(&url("http://127.0.0.1:4000/")).is_loopback());
        assert!(!Scope::new(&url("http://www.aihui.gov.cn/")).is_loopback());
    }

    #[test]
    fn dedup_folds_twins_and_drops_noise() {
        let k = dedup_key(&url("https://www.a.gov.cn:443/x/y.html?#top"));
        assert_eq!(k, "a.gov.cn/x/y.html");
        assert_eq!(k, dedup_key(&url("HTTP://A.GOV.CN/x/y.html")));
        assert_ne!(k, dedup_key(&url("http://a.gov.cn/x/y.html?page=2")));
        assert_eq!(
            dedup_key(&url("http://127.0.0.1:9/a?b=1#c")),
            "127.0.0.1:9/a?b=1"
        );
        assert_eq!(
            normalise(&url("http://a.gov.cn/x?#f")).as_str(),
            "http://a.gov.cn/x"
        );
    }

    #[test]
    fn dedup_keys_drop_cosmetic_parameters_and_sort_the_rest() {
        let k = dedup_key(&url(
            "http://www.a.gov.cn/l.jsp;jsessionid=AB?pageIndex=2&print=1&cid=1#x",
        ));
        assert_eq!(k, "a.gov.cn/l.jsp?cid=1&pageIndex=2");
        assert_eq!(
            k,
            dedup_key(&url("http://a.gov.cn/l.jsp?cid=1&sort=date&pageIndex=2"))
        );
        assert_eq!(
            dedup_key(&url("http://a.gov.cn/a.html?print=1")),
            "a.gov.cn/a.html"
        );
    }

    #[test]
    fn a_directory_and_its_index_file_name_each_other() {
        let keys = |s: &str| same_document_keys(&url(s));
        assert_eq!(
            keys("http://www.a.gov.cn/zwgk/index.html"),
            ["a.gov.cn/zwgk/"]
        );
        assert_eq!(
            keys("http://a.gov.cn/zwgk/INDEX.HTM?page=2"),
            ["a.gov.cn/zwgk/?page=2"]
        );
        assert_eq!(keys("http://a.gov.cn/index.shtml"), ["a.gov.cn/"]);
        assert_eq!(keys("http://a.gov.cn/c/default.htm"), ["a.gov.cn/c/"]);
        assert_eq!(
            keys("https://a.gov.cn/zwgk/#top"),
            [
                "a.gov.cn/zwgk/index.html",
                "a.gov.cn/zwgk/index.htm",
                "a.gov.cn/zwgk/index.shtml",
                "a.gov.cn/zwgk/default.html",
                "a.gov.cn/zwgk/default.htm"
            ]
        );
        // Not an index file, or an application's: no other name.
        for s in [
            "http://a.gov.cn/zwgk/list.shtml",
            "http://a.gov.cn/zwgk/index_1.html",
            "http://a.gov.cn/zwgk/index.jsp?cid=1",
            "http://a.gov.cn/zwgk",
        ] {
            assert!(keys(s).is_empty(), "{s}");
        }
        // A directory and its index file keep their own dedup keys.
        assert_ne!(
            dedup_key(&url("http://a.gov.cn/zwgk/")),
            dedup_key(&url("http://a.gov.cn/zwgk/index.html"))
        );
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        // Found by the url_normalise fuzz target: only the first
        // `;jsessionid=` was dropped, so the frontier's key of a URL and
        // of its normalised form differed.
        let twice = url("http://a.gov.cn/c/a.jsp;jsessionid=7D41/b.jsp;JSESSIONID=C0B9?x=1#f");
        let once = normalise(&twice);
        assert_eq!(once.as_str(), "http://a.gov.cn/c/a.jsp/b.jsp?x=1");
        assert_eq!(normalise(&once), once);
        assert_eq!(dedup_key(&twice), dedup_key(&once));
        let dots = url("http://a.gov.cn/c/.;jsessionid=1/d/..;jsessionid=2/e");
        let once = normalise(&dots);
        assert_eq!(once.as_str(), "http://a.gov.cn/c/e");
        assert_eq!(normalise(&once), once);
    }

    #[test]
    fn non_documents_by_extension() {
        for s in [
            "/a.JPG",
            "/s/site.css",
            "/x.js",
            "/f.woff2",
            "/v.mp4",
            "/app.apk",
        ] {
            assert!(is_non_document(&url(&format!("http://a.cn{s}"))), "{s}");
        }
        for s in [
            "/", "/a.html", "/r.pdf", "/r.doc", "/r.docx", "/t.xls", "/t.xlsx", "/w.wps", "/e.et",
            "/o.ofd", "/z.zip", "/dir.v2/",
        ] {
            assert!(!is_non_document(&url(&format!("http://a.cn{s}"))), "{s}");
        }
    }

    #[test]
    fn trap_bounds() {
        let mut g = TrapGuard::default();
        assert_eq!(g.check(&url("http://a.cn/a/b/a/b/")), None);
        assert_eq!(
            g.check(&url("http://a.cn/a/b/a/b/a/")),
            Some(SkipReason::Trap)
        );
        let deep = format!(
            "http://a.cn/{}",
            (0..16).map(|i| format!("s{i}/")).collect::<String>()
        );
        assert_eq!(g.check(&url(&deep)), Some(SkipReason::Trap));
        for d in 0..60 {
            assert_eq!(g.check(&url(&format!("http://a.cn/cal?date={d}"))), None);
        }
        // Seen again: still fine; a new one is over the cap.
        assert_eq!(g.check(&url("http://a.cn/cal?date=3")), None);
        assert_eq!(
            g.check(&url("http://a.cn/cal?date=x")),
            Some(SkipReason::Trap)
        );
        // Another path has its own count.
        assert_eq!(g.check(&url("http://a.cn/cal2?date=x")), None);
        // Pagination gets the higher cap.
        for p in 0..300 {
            assert_eq!(
                g.check(&url(&format!("http://a.cn/list?cid=1&pageNo={p}"))),
                None
            );
        }
        assert_eq!(
            g.check(&url("http://a.cn/list?cid=1&pageNo=999")),
            Some(SkipReason::Trap)
        );
    }
}
