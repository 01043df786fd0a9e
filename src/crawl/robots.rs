//! robots.txt (RFC 9309) and the sitemaps it names.
//!
//! A 2xx robots.txt is parsed for our token `govcheck` (falling back to `*`);
//! a 4xx means no restrictions; a 5xx or no answer means "disallow all for
//! now", which the site loop reports as `RobotsUnavailable`. Sitemaps are a
//! cheap way to reach pages that menus only build in script.

use super::Fetched;
use std::io::Read;
use texting_robots::Robot;
use url::Url;

/// Our product token in robots.txt groups.
pub const AGENT: &str = "govcheck";

/// Largest decompressed sitemap read.
const MAX_SITEMAP_BYTES: u64 = 10 * 1024 * 1024;

/// The rules that apply to us.
#[derive(Debug, Default)]
pub struct Robots {
    /// `None`: no restrictions.
    robot: Option<Robot>,
}

/// What a robots.txt answer means.
#[derive(Debug)]
pub enum RobotsAnswer {
    /// The rules to obey (empty when the file is missing).
    Rules(Robots),
    /// 5xx, 429 or an odd status: RFC 9309 says assume complete disallow.
    Unavailable(String),
}

impl Robots {
    /// Parse a robots.txt body. A body that is HTML (a soft-404 host
    /// answering with its homepage) or does not parse restricts nothing.
    pub fn parse(body: &[u8]) -> Self {
        let body = within_parse_limit(body);
        let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<?xml") {
            return Robots::default();
        }
        match Robot::new(AGENT, body) {
            Ok(robot) => Robots { robot: Some(robot) },
            Err(e) => {
                tracing::debug!(error = %e, "robots.txt did not parse; no restrictions");
                Robots::default()
            }
        }
    }

    /// Interpret a robots.txt response (after redirects).
    pub fn from_response(fetched: &Fetched) -> RobotsAnswer {
        match fetched.status {
            200..=299 => RobotsAnswer::Rules(Robots::parse(&fetched.body)),
            429 => RobotsAnswer::Unavailable("robots.txt answered HTTP 429".into()),
            400..=499 => RobotsAnswer::Rules(Robots::default()),
            s => RobotsAnswer::Unavailable(format!("robots.txt answered HTTP {s}")),
        }
    }

    /// Whether the rules let govcheck fetch `url`.
    pub fn allowed(&self, url: &Url) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url.as_str()))
    }

    /// Crawl-delay in seconds, as written.
    pub fn crawl_delay(&self) -> Option<f64> {
        self.robot
            .as_ref()
            .and_then(|r| r.delay)
            .map(f64::from)
            .filter(|d| d.is_finite() && *d > 0.0)
    }

    /// `Sitemap:` URLs, as written.
    pub fn sitemaps(&self) -> &[String] {
        self.robot.as_ref().map_or(&[], |r| r.sitemaps.as_slice())
    }
}

/// How much of a robots.txt is read: RFC 9309 asks crawlers to parse at
/// least 500 KiB and lets them ignore the rest, which keeps a file of a
/// million rules from costing gigabytes.
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// `body` up to [`MAX_ROBOTS_BYTES`], cut after the last whole line.
fn within_parse_limit(body: &[u8]) -> &[u8] {
    if body.len() <= MAX_ROBOTS_BYTES {
        return body;
    }
    let head = &body[..MAX_ROBOTS_BYTES];
    match head.iter().rposition(|&b| b == b'\n') {
        Some(end) => &head[..=end],
        None => head,
    }
}

/// The `<loc>` URLs of a sitemap or sitemap index (gzip undone when the
/// body is gzip), and whether it is an index of further sitemaps.
pub fn sitemap_locs(body: &[u8]) -> (Vec<String>, bool) {
    let mut unzipped = Vec::new();
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        let _ = flate2::read::MultiGzDecoder::new(body)
            .take(MAX_SITEMAP_BYTES)
            .read_to_end(&mut unzipped);
        &unzipped[..]
    } else {
        body
    };
    let text = String::from_utf8_lossy(body);
    let index = text.contains("<sitemapindex");
    let mut locs = Vec::new();
    let mut rest = &text[..];
    while let Some(start) = rest.find("<loc>") {
        rest = &rest[start + 5..];
        let Some(end) = rest.find("</loc>") else {
            break;
        };
        let raw = rest[..end].trim();
        let cdata = raw
            .strip_prefix("<![CDATA[")
            .and_then(|r| r.strip_suffix("]]>"));
        locs.push(match cdata {
            Some(c) => c.trim().to_string(),
            None => raw
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        });
        rest = &rest[end..];
    }
    (locs, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_first_500_kib_are_read() {
        let mut body = b"User-agent: *\nDisallow: /early/\n".to_vec();
        while body.len() < MAX_ROBOTS_BYTES {
            body.extend_from_slice(b"Disallow: /filler/path/segment/\n");
        }
        body.extend_from_slice(b"Disallow: /late/\n");
        let r = Robots::parse(&body);
        assert!(!r.allowed(&url("http://a.cn/early/x")));
        assert!(r.allowed(&url("http://a.cn/late/x")));
        assert!(within_parse_limit(&body).ends_with(b"\n"));
        assert!(within_parse_limit(&body).len() <= MAX_ROBOTS_BYTES);
    }

    #[test]
    fn our_group_wins_over_star() {
        let r = Robots::parse(
            b"User-agent: *\nDisallow: /\n\nUser-agent: govcheck\nDisallow: /admin/\nAllow: /admin/open/\nCrawl-delay: 3\nSitemap: http://a.cn/sitemap.xml\n",
        );
        assert!(r.allowed(&url("http://a.cn/xxgk/")));
        assert!(!r.allowed(&url("http://a.cn/admin/x.html")));
        assert!(r.allowed(&url("http://a.cn/admin/open/x.html")));
        assert_eq!(r.crawl_delay(), Some(3.0));
        assert_eq!(r.sitemaps(), ["http://a.cn/sitemap.xml"]);
    }

    #[test]
    fn star_group_applies_when_ours_is_absent() {
        let r = Robots::parse(b"User-agent: *\nDisallow: /search\n");
        assert!(!r.allowed(&url("http://a.cn/search?q=1")));
        assert!(r.allowed(&url("http://a.cn/")));
        assert_eq!(r.crawl_delay(), None);
    }

    #[test]
    fn html_robots_restricts_nothing() {
        let r = Robots::parse(b"<!DOCTYPE html><html><body>Disallow: /</body></html>");
        assert!(r.allowed(&url("http://a.cn/x")));
        assert!(Robots::default().allowed(&url("http://a.cn/x")));
    }

    #[test]
    fn sitemap_and_index() {
        let (locs, index) = sitemap_locs(
            br#"<?xml version="1.0"?><urlset><url><loc> http://a.cn/a.html </loc></url>
            <url><loc><![CDATA[http://a.cn/b?x=1&amp;y=2]]></loc></url><url><loc>http://a.cn/c?x=1&amp;y=2</loc></url></urlset>"#,
        );
        assert!(!index);
        assert_eq!(
            locs,
            [
                "http://a.cn/a.html",
                "http://a.cn/b?x=1&amp;y=2",
                "http://a.cn/c?x=1&y=2"
            ]
        );
        let (locs, index) = sitemap_locs(
            b"<sitemapindex><sitemap><loc>http://a.cn/s1.xml</loc></sitemap></sitemapindex>",
        );
        assert!(index);
        assert_eq!(locs, ["http://a.cn/s1.xml"]);
    }

    #[test]
    fn gzipped_sitemap() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"<urlset><url><loc>http://a.cn/z</loc></url></urlset>")
            .unwrap();
        assert_eq!(sitemap_locs(&e.finish().unwrap()).0, ["http://a.cn/z"]);
    }
}
