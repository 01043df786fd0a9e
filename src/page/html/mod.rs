//! The facts of an HTML page that detectors judge a document by.
//!
//! Government pages wrap one article in a heavy template: navigation,
//! sidebars, a 当前位置 trail, the national meta tags and, on disclosure
//! articles, a metadata table (索引号, 发布机构, 成文日期, 发布日期). This
//! module finds the document inside the template: its own title (not the
//! site's), the content text, the trail and the metadata, keeping 成文日期
//! apart from 发布日期.
//!
//! [`fill`] runs the readers in order: the list readers that rewrite the
//! markup first (Hanweb datastores, `document.write` rows), then the title
//! (`title`), the trail (`breadcrumb`), the metadata block (`metadata`),
//! the links and redirects, and last the script-built lists (`lists`).

mod breadcrumb;
mod metadata;
mod title;

use super::dom::{selector, visible_text};
use super::lists::{self, docwrite, jpage, navfns::NavFunctions, postback, rendered};
use super::{charset, collapse, dates, links, redirects};
use crate::types::{BodyCut, DateFact, DateSource, Link, Page};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static HEADINGS: LazyLock<Selector> = LazyLock::new(|| selector("h1, h2, h3"));
static CONTENT: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "#UCAP-CONTENT",
        ".TRS_Editor",
        "#zoom",
        ".xxgk-content",
        ".article-content",
        ".article",
        "#content",
        ".content",
        "article",
    ]
    .iter()
    .map(|css| selector(css))
    .collect()
});

/// Matches of one container selector measured to find the main one.
const MAX_CONTAINER_CANDIDATES: usize = 20;

/// Parse an HTML body into `page`.
pub(super) fn fill(page: &mut Page, content_type: Option<&str>, body: &[u8]) {
    let (text, charset) = charset::decode(content_type, body);
    page.declared_charset = charset::overruled_declaration(content_type, body, &charset);
    page.charset = charset;
    let text = jpage::unwrap_records(&text);
    let text = docwrite::expand(&text);
    let doc = Html::parse_document(&text);
    page.html_title = doc
        .select(&TITLE)
        .next()
        .map(visible_text)
        .unwrap_or_default();
    page.meta = meta_tags(&doc);
    page.headings = doc
        .select(&HEADINGS)
        .map(visible_text)
        .filter(|h| !h.is_empty() && h.chars().count() <= 200)
        .take(50)
        .collect();
    page.breadcrumb = breadcrumb::breadcrumb(&doc);

    let body_el = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());
    let body_text = visible_text(body_el);
    let content = content_container(&doc);
    page.text = content
        .map(visible_text)
        .unwrap_or_else(|| body_text.clone());
    page.title = title::document_title(&doc, content, &page.meta, &page.html_title);

    let fields = metadata::metadata(&doc, &body_text);
    let field = |names: &[&str]| names.iter().find_map(|n| fields.get(*n)).cloned();
    page.index_number = field(&["索引号"]).filter(|v| v.chars().count() <= 60);
    page.publisher = field(&["发布机构", "发文机关", "信息来源", "文章来源", "来源"])
        .filter(|v| v.chars().count() <= 40);
    page.written = field(&["成文日期"]).and_then(|v| dates::find_date(&v));
    let scripts = lists::PageScripts::of(&doc);
    let nav = NavFunctions::from_scripts(&scripts);
    let mut found = links::extract(&doc, &page.url, |code| nav.target(code));
    // A "时间：2022-11-18" inside a list row dates the row, not the page: a
    // column page must not look like an article published that day.
    let row_dates: Vec<_> = found.iter().filter_map(|l| l.date).collect();
    let shown = field(&["发布日期", "发布时间", "上载日期", "公开日期", "公布日期"])
        .and_then(|v| dates::find_date(&v))
        .or_else(|| dates::visible_published(&body_text).filter(|d| !row_dates.contains(d)));
    page.published = match shown {
        Some(date) => Some(DateFact {
            date,
            source: DateSource::Visible,
        }),
        None => dates::published("", &page.meta, &page.url),
    };

    // Meta refresh and script navigation: a stub homepage's only way on.
    let redirects = redirects::extract(&doc, &scripts, &links::base(&doc, &page.url));
    for link in redirects {
        if !found.iter().any(|l| l.url == link.url) {
            found.push(link);
        }
    }
    // Script pagers and data endpoints fill this page's own list: its column
    // is their section.
    let column = page
        .meta
        .get("columnname")
        .cloned()
        .unwrap_or_else(|| page.title.clone());
    let scripted = lists::read_scripts(&doc, &scripts, &page.url, &found);
    page.script_gaps = scripted.gaps;
    page.script_gap_sections = scripted.gap_sections;
    page.app_scripts = scripted.app_scripts;
    if scripted.dropped_links {
        page.cut = Some(BodyCut::LinkLimit);
    }
    found.extend(scripted.links.into_iter().map(|l| Link {
        section: column.clone(),
        ..l
    }));
    // Links bound in a template: their rows are drawn by script, under
    // their box's heading or, without one, in the page's own column.
    let template_lists = rendered::template_lists(&doc);
    page.template_links = !template_lists.is_empty();
    for list in template_lists {
        page.script_gaps.push(format!(
            "links bound in a template are drawn by script: {}",
            list.template
        ));
        let heading = if list.heading.is_empty() {
            column.clone()
        } else {
            list.heading
        };
        if !page.script_gap_sections.contains(&heading) {
            page.script_gap_sections.push(heading);
        }
    }
    page.unfollowable_pages = postback::unfollowable_pages(&body_text, &found);
    page.drawn_by_script = !page.app_scripts.is_empty() && rendered::has_empty_mount_point(&doc);
    if page.drawn_by_script {
        page.script_gaps.push(format!(
            "the page is drawn in the browser by {}",
            page.app_scripts
                .iter()
                .map(|u| u.path())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    page.links = found;
}

/// The page's `<meta>` tags by lower-cased name (`name`, `http-equiv` or
/// `property`); the first of a name wins.
fn meta_tags(doc: &Html) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::new();
    for el in doc.select(&META) {
        let e = el.value();
        let name = e
            .attr("name")
            .or_else(|| e.attr("http-equiv"))
            .or_else(|| e.attr("property"));
        let (Some(name), Some(content)) = (name, e.attr("content")) else {
            continue;
        };
        let name = name.trim().to_lowercase();
        let content = collapse(content);
        if name.is_empty() || content.is_empty() {
            continue;
        }
        meta.entry(name).or_insert(content);
    }
    meta
}

/// The element holding the document's own content, if the template marks it.
fn content_container(doc: &Html) -> Option<ElementRef<'_>> {
    // Nested matches make measuring every one quadratic; the outermost come
    // first in document order.
    CONTENT.iter().find_map(|sel| {
        doc.select(sel)
            .take(MAX_CONTAINER_CANDIDATES)
            .map(|el| (visible_text(el).chars().count(), el))
            .filter(|(len, _)| *len >= 2)
            .max_by_key(|(len, _)| *len)
            .map(|(_, el)| el)
    })
}

#[cfg(test)]
mod tests;
