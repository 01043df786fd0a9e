//! The cookie jar as a browser keeps it. Some WAFs only want a cookie
//! back, so the crawler keeps one; but a browser drops a cookie larger than
//! 4 KiB, and a site that sets one anyway (70 KB, by mistake or on purpose)
//! would otherwise make every later request too large to be answered
//! (HTTP 431), hiding the whole site behind a fault of its own making.

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderValue;
use url::Url;

/// The largest `Set-Cookie` (name, value and attributes) kept, as in
/// browsers (RFC 6265 §6.1 asks for at least 4096 bytes per cookie).
pub const MAX_COOKIE_BYTES: usize = 4096;

/// A [`Jar`] that drops cookies larger than [`MAX_COOKIE_BYTES`].
#[derive(Debug, Default)]
pub struct BrowserJar {
    jar: Jar,
}

impl CookieStore for BrowserJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let mut kept = cookie_headers.filter(|header| {
            let keep = header.len() <= MAX_COOKIE_BYTES;
            if !keep {
                tracing::debug!(%url, bytes = header.len(), "cookie larger than browsers keep: dropped");
            }
            keep
        });
        self.jar.set_cookies(&mut kept, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.jar.cookies(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_larger_than_browsers_keep_is_dropped() {
        let jar = BrowserJar::default();
        let url = Url::parse("http://www.hljba.gov.cn/").unwrap();
        let small = HeaderValue::from_static("waf=ok; Path=/");
        let big = HeaderValue::from_str(&format!("junk={}; Path=/", "x".repeat(70_000))).unwrap();
        jar.set_cookies(&mut [&small, &big].into_iter(), &url);
        let sent = jar.cookies(&url).unwrap();
        assert_eq!(sent.to_str().unwrap(), "waf=ok");
    }
}
