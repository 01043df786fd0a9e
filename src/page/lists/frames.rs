//! Frames whose address a script sets.
//!
//! Some list pages ship an empty `<iframe id="listFrame">` and set its
//! address in a script: `f.src = '/zdly/list.html'`,
//! `$('#listFrame').attr('src', …)`, `setAttribute('src', …)`. A literal
//! address is followed like any frame. A computed one (joined from pieces,
//! chosen by screen width) cannot be without running the script: it is a
//! gap, so the items of the list it would show stay undecided instead of
//! failing.

use super::js::Expr;
use super::script::Script;
use crate::page::links::resolve;
use scraper::{Html, Selector};
use std::sync::LazyLock;
use url::Url;

static FRAMES: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("iframe, frame").expect("static selector"));
/// Calls that set an attribute: `.attr('src', …)`, `.prop("src", …)`,
/// `setAttribute('src', …)`.
const ATTRIBUTE_SETTERS: &[&str] = &["attr", "prop", "setAttribute"];
const IMAGES: &[&str] = &[".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".bmp"];

#[derive(Debug, Default)]
pub(super) struct ScriptedFrames {
    pub urls: Vec<Url>,
    pub gaps: Vec<String>,
}

/// The addresses `scripts` give the page's empty frames; nothing when
/// every frame has its own `src`.
pub(super) fn scripted(doc: &Html, page_url: &Url, scripts: &[Script]) -> ScriptedFrames {
    let mut found = ScriptedFrames::default();
    let empty_frame = doc.select(&FRAMES).any(|f| {
        f.value()
            .attr("src")
            .is_none_or(|src| resolve(page_url, src).is_none())
    });
    if !empty_frame {
        return found;
    }
    for script in scripts {
        let (code, folder) = (script.code, &script.folder);
        let assigned = code
            .assignments
            .iter()
            .filter(|a| a.target.last_name() == Some("src"))
            .map(|a| &a.value);
        let set = code.calls.iter().filter_map(|call| {
            let setter = call
                .callee
                .last_name()
                .is_some_and(|n| ATTRIBUTE_SETTERS.contains(&n));
            match call.args.as_slice() {
                [Expr::Str(name), value, ..] if setter && name == "src" => Some(value),
                _ => None,
            }
        });
        for address in assigned.chain(set) {
            match folder.text(address) {
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
                None => found.gaps.push(format!(
                    "a frame's address is computed by a script: {}",
                    address.describe()
                )),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::js::fold::Folder;
    use super::super::js::Code;
    use super::super::page_scripts::PageScripts;
    use super::*;
    use std::collections::HashMap;

    fn read(html: &str) -> ScriptedFrames {
        let doc = Html::parse_document(html);
        let codes: Vec<Code> = doc
            .select(&Selector::parse("script").unwrap())
            .map(|s| super::super::js::read(&s.text().collect::<String>()))
            .collect();
        let (page, no_query) = (PageScripts::default(), HashMap::new());
        let url = Url::parse("http://x.gov.cn/zdly/zcjc/index.html").unwrap();
        let scripts: Vec<Script> = codes
            .iter()
            .map(|code| Script::new(code, Folder::new(code, &no_query), &page, &url, &[]))
            .collect();
        scripted(&doc, &url, &scripts)
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
