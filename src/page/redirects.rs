//! Redirects that happen in the page, not in HTTP.
//!
//! Many county homepages are a stub: a `<meta http-equiv="refresh"
//! content="0;url=/bas/index.shtml">`, or a body that is only
//! `<script>window.location.href="/xxx/index.html"</script>` (or a
//! constant a script builds: `location.href = home`). A browser
//! goes on to the target; the crawler must too, so the targets are handed
//! out as ordinary links (origin `Anchor`, no text).

use super::links::resolve;
use super::lists::PageScripts;
use crate::types::{Link, LinkOrigin};
use scraper::{Html, Selector};
use std::sync::LazyLock;
use url::Url;

static META: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("meta[http-equiv][content]").expect("static selector"));

/// The targets of the page's meta refresh and of its scripts' constant
/// `location` changes, resolved against `base`, in document order (meta
/// first), without repeats.
pub(super) fn extract(doc: &Html, scripts: &PageScripts, base: &Url) -> Vec<Link> {
    let metas = doc
        .select(&META)
        .filter(|m| {
            m.value()
                .attr("http-equiv")
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
        })
        .filter_map(|m| refresh_target(m.value().attr("content")?).map(str::to_string));
    let scripted = scripts.location_targets();
    let mut out: Vec<Link> = Vec::new();
    for raw in metas.chain(scripted) {
        let Some(url) = resolve(base, &raw) else {
            continue;
        };
        if out.iter().any(|l| l.url == url) {
            continue;
        }
        out.push(Link {
            url,
            text: String::new(),
            context: String::new(),
            section: String::new(),
            date: None,
            origin: LinkOrigin::Anchor,
        });
    }
    out
}

/// The URL of a refresh `content` (`0;url=/x`, `5; URL='/x'`, `0,/x`), as
/// browsers read it; `None` for a plain reload (`content="300"`).
fn refresh_target(content: &str) -> Option<&str> {
    let rest = content
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    let rest = rest.strip_prefix([';', ',']).unwrap_or(rest).trim_start();
    let rest = match rest.get(..3) {
        Some(word) if word.eq_ignore_ascii_case("url") => {
            match rest[3..].trim_start().strip_prefix('=') {
                Some(after) => after.trim_start(),
                None => rest,
            }
        }
        _ => rest,
    };
    let rest = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = &rest[1..];
            &inner[..inner.find(q).unwrap_or(inner.len())]
        }
        _ => rest,
    };
    let url = rest.trim();
    (!url.is_empty()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse;

    fn targets(url: &str, html: &str) -> Vec<String> {
        let page = parse(
            &Url::parse(url).unwrap(),
            200,
            Some("text/html"),
            html.as_bytes(),
        );
        page.links
            .iter()
            .filter(|l| l.origin == LinkOrigin::Anchor)
            .map(|l| l.url.to_string())
            .collect()
    }

    #[test]
    fn meta_refresh_in_its_spellings() {
        for meta in [
            r#"<meta http-equiv="refresh" content="0;url=/bas/index.shtml">"#,
            r#"<META HTTP-EQUIV="Refresh" CONTENT="0; URL=/bas/index.shtml">"#,
            r#"<meta http-equiv='refresh' content='0;URL="/bas/index.shtml"'>"#,
            r#"<meta content="3 ; url = '/bas/index.shtml'" http-equiv=" REFRESH ">"#,
            r#"<meta http-equiv="refresh" content="0.5,/bas/index.shtml">"#,
            r##"<meta http-equiv=refresh content=0;url=http://www.hljba.gov.cn/bas/index.shtml#top>"##,
        ] {
            let html = format!("<html><head>{meta}</head><body></body></html>");
            assert_eq!(
                targets("http://www.hljba.gov.cn/", &html),
                ["http://www.hljba.gov.cn/bas/index.shtml"],
                "{meta}"
            );
        }
        let reload = r#"<html><head><meta http-equiv="refresh" content="300"></head></html>"#;
        assert!(targets("http://www.hljba.gov.cn/", reload).is_empty());
    }

    #[test]
    fn script_only_bodies() {
        for script in [
            r#"window.location.href="/xxx/index.html";"#,
            r#"window.location.href = '/xxx/index.html'"#,
            r#"location.replace('/xxx/index.html');"#,
            r#"window.location.replace( "/xxx/index.html" )"#,
            r#"top.location='/xxx/index.html';"#,
            r#"self.location = "/xxx/index.html";"#,
            r#"document.location.href="xxx/index.html";"#,
            r#"location.assign("/xxx/index.html")"#,
            r#"var home = '/xxx/' + 'index.html'; setTimeout(function () { location.href = home; }, 0);"#,
            r#"window.location.href = `/xxx/index.html`; // 跳转"#,
        ] {
            let html = format!("<html><body><script>{script}</script></body></html>");
            let found = targets("http://www.xunke.gov.cn/", &html);
            assert_eq!(
                found,
                ["http://www.xunke.gov.cn/xxx/index.html"],
                "{script}"
            );
        }
    }

    #[test]
    fn only_literal_navigations() {
        let html = r##"<html><body><script>
if (location.href == "/old.html") { }
var u = location.href.replace("http:", "https:");
location.href = "/search?q=" + kw;
window.location.href = "javascript:void(0)";
location.href = "#top";
</script><script src="/r.js">location.href="/not-run.html"</script></body></html>"##;
        assert!(targets("http://www.xunke.gov.cn/", html).is_empty());
    }

    #[test]
    fn base_and_order() {
        let html = r#"<html><head><base href="http://www.aihui.gov.cn/ahq/">
<meta http-equiv="refresh" content="0;url=index.html"></head>
<body><script>top.location = "index.html"; setTimeout(function(){ location.replace('/m/'); }, 0);</script>
<a href="/about.html">关于</a></body></html>"#;
        let page = parse(
            &Url::parse("http://www.aihui.gov.cn/").unwrap(),
            200,
            Some("text/html"),
            html.as_bytes(),
        );
        let found: Vec<(&str, &str, LinkOrigin)> = page
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str(), l.origin))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "http://www.aihui.gov.cn/about.html",
                    "关于",
                    LinkOrigin::Anchor
                ),
                (
                    "http://www.aihui.gov.cn/ahq/index.html",
                    "",
                    LinkOrigin::Anchor
                ),
                ("http://www.aihui.gov.cn/m/", "", LinkOrigin::Anchor),
            ]
        );
    }
}
