//! Frames whose address a script sets.
//!
//! Some list pages ship an empty `<iframe id="listFrame">` and set its
//! address in a script: `f.src = '/zdly/list.html'`,
//! `$('#listFrame').attr('src', …)`, `setAttribute('src', …)`. A literal
//! address is followed like any frame. A computed one (joined from pieces,
//! chosen by screen width) cannot be without running the script: it is a
//! gap, so the items of the list it would show stay undecided instead of
//! failing.

use super::js;
use crate::page::links::resolve;
use regex::Regex;
use scraper::{Html, Selector};
use std::sync::LazyLock;
use url::Url;

static FRAMES: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("iframe, frame").expect("static selector"));
/// `x.src = …` (not `==`), up to the end of the statement.
static SRC_ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.src\s*=\s*([^=;\n][^;\n]*)").unwrap());
/// `.attr('src', …)`, `.prop("src", …)`, `setAttribute('src', …)`.
static SRC_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\.attr|\.prop|\.setAttribute)\s*(\()\s*["']src["']\s*,"#).unwrap()
});
const IMAGES: &[&str] = &[".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".bmp"];

#[derive(Debug, Default)]
pub(super) struct ScriptedFrames {
    pub urls: Vec<Url>,
    pub gaps: Vec<String>,
}

/// The addresses `scripts` give the page's empty frames; nothing when
/// every frame has its own `src`.
pub(super) fn scripted(doc: &Html, page_url: &Url, scripts: &[&str]) -> ScriptedFrames {
    let mut found = ScriptedFrames::default();
    let empty_frame = doc.select(&FRAMES).any(|f| {
        f.value()
            .attr("src")
            .is_none_or(|src| resolve(page_url, src).is_none())
    });
    if !empty_frame {
        return found;
    }
    for code in scripts {
        let code = js::without_comments(code);
        let mut addresses: Vec<&str> = SRC_ASSIGNMENT
            .captures_iter(&code)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().trim())
            .collect();
        for call in SRC_CALL.captures_iter(&code) {
            let open = call.get(1).map_or(0, |m| m.start());
            if let Some(args) = js::enclosed(&code, open) {
                if let Some(value) = js::split_top(args, b',').get(1) {
                    addresses.push(value);
                }
            }
        }
        for expr in addresses {
            match js::string_literal(expr) {
                Some(literal) => {
                    let lower = literal.to_ascii_lowercase();
                    if IMAGES.iter().any(|ext| lower.ends_with(ext)) {
                        continue;
                    }
                    if let Some(url) = resolve(page_url, &literal) {
                        if !found.urls.contains(&url) {
                            found.urls.push(url);
                        }
                    }
                }
                None => found
                    .gaps
                    .push(format!("a frame's address is computed by a script: {expr}")),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> ScriptedFrames {
        let doc = Html::parse_document(html);
        let scripts: Vec<String> = doc
            .select(&Selector::parse("script").unwrap())
            .map(|s| s.text().collect())
            .collect();
        let scripts: Vec<&str> = scripts.iter().map(String::as_str).collect();
        scripted(
            &doc,
            &Url::parse("http://x.gov.cn/zdly/zcjc/index.html").unwrap(),
            &scripts,
        )
    }

    #[test]
    fn a_literal_address_is_followed() {
        let found = read(
            r#"<iframe id="f"></iframe><script>document.getElementById('f').src = 'list.html';
            $('#g').attr('src', "/zdly/zcjc/list_2.html");</script>"#,
        );
        assert!(found.gaps.is_empty(), "{:?}", found.gaps);
        let urls: Vec<_> = found.urls.iter().map(Url::as_str).collect();
        assert_eq!(
            urls,
            [
                "http://x.gov.cn/zdly/zcjc/list.html",
                "http://x.gov.cn/zdly/zcjc/list_2.html"
            ]
        );
    }

    #[test]
    fn a_computed_address_is_a_gap() {
        let found = read(
            r#"<iframe id="f"></iframe><script>var seg = ['zdly', 'zcjc'];
            f.src = '/' + seg.join('/') + (window.innerWidth > 1000 ? '_pc' : '_m') + '.html';
            f.setAttribute('src', base + 'list.html');</script>"#,
        );
        assert!(found.urls.is_empty());
        assert_eq!(found.gaps.len(), 2, "{:?}", found.gaps);
    }

    #[test]
    fn frames_with_their_own_address_and_images_are_left_alone() {
        let found = read(
            r#"<iframe src="/list.html"></iframe><script>img.src = base + n + '.jpg';</script>"#,
        );
        assert!(found.urls.is_empty() && found.gaps.is_empty());
        let found =
            read(r#"<iframe></iframe><script>if (a == b) {} banner.src = '/img/1.png';</script>"#);
        assert!(found.urls.is_empty() && found.gaps.is_empty(), "{found:?}");
    }
}
