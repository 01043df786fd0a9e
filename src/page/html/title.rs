//! The document's own title, not the site's.
//!
//! Templates put the site name everywhere a title could be: in `<title>`
//! (`…年度报告_北安市人民政府`), in a header `<h1>`, even in the
//! `ArticleTitle` meta of a copied template. The title is taken from the
//! first source that names the document, with trailing site names cut.

use crate::page::dom::{selector, visible_text};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static AREA_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("h2, .title"));

/// `ArticleTitle` meta, else the main heading, else `<title>` without the
/// site name.
pub(super) fn document_title(
    doc: &Html,
    content: Option<ElementRef>,
    meta: &BTreeMap<String, String>,
    html_title: &str,
) -> String {
    let site_name = meta.get("sitename").map(String::as_str);
    // Copied templates leave the site name in ArticleTitle
    // ("…年度报告_嘉荫县人民政府"), or only the site name.
    if let Some(t) = meta
        .get("articletitle")
        .map(|t| strip_site_name(t, site_name))
        .filter(|t| !t.is_empty() && !is_site_name(t, site_name))
    {
        return t;
    }
    let plausible =
        |t: &String| (2..=200).contains(&t.chars().count()) && !is_site_name(t, site_name);
    // A unit's name in a header <h1> comes before the document's own: the
    // longest <h1> the <title> repeats is the document's.
    let h1s: Vec<String> = doc
        .select(&H1)
        .map(visible_text)
        .filter(plausible)
        .collect();
    let in_title = h1s
        .iter()
        .filter(|h| html_title.contains(h.as_str()))
        .max_by_key(|h| h.chars().count());
    if let Some(h1) = in_title.or(h1s.first()) {
        return h1.clone();
    }
    let areas = content.into_iter().flat_map(|c| {
        let parent = c
            .parent()
            .and_then(ElementRef::wrap)
            .filter(|p| !matches!(p.value().name(), "body" | "html"));
        std::iter::once(c).chain(parent)
    });
    for area in areas {
        if let Some(t) = area.select(&AREA_TITLE).map(visible_text).find(plausible) {
            return t;
        }
    }
    strip_site_name(html_title, site_name)
}

/// Whether `text` is only a site's name: the page's `SiteName`, or a
/// name ending like a government site's (`…人民政府`, `…网`).
fn is_site_name(text: &str, site_name: Option<&str>) -> bool {
    let text = text.trim();
    text.is_empty()
        || site_name.is_some_and(|s| s.trim() == text)
        || ["人民政府", "政府", "网", "门户网站", "门户", "政府网站"]
            .iter()
            .any(|s| text.ends_with(s))
}

/// `<title>` minus trailing `_北安市人民政府`-style parts.
pub(super) fn strip_site_name(title: &str, site_name: Option<&str>) -> String {
    const SEPARATORS: &[char] = &['_', '-', '|', '—', '｜', '－', '–'];
    let mut title = title.trim();
    while let Some(idx) = title.rfind(SEPARATORS) {
        let sep_len = title[idx..].chars().next().map_or(1, char::len_utf8);
        let (head, tail) = (
            title[..idx].trim_end_matches(SEPARATORS).trim(),
            &title[idx + sep_len..],
        );
        if head.is_empty() || !is_site_name(tail, site_name) {
            break;
        }
        title = head;
    }
    title.to_string()
}
