//! One fetched document as the detectors see it: the title to judge, the
//! date that counts, the columns it sits in and its content links.
//!
//! Attachments carry little of their own, so they borrow: the link text
//! for a title, the list date or the linking article's date, its issuer
//! and columns.

use super::text::{contains_any, normalise_title};
use super::ParentFacts;
use crate::rubric::DocumentVocabulary;
use crate::types::Visit;
use crate::types::{DateFact, DateSource, Link, LinkOrigin, Page, PageKind};
use std::collections::HashSet;
use url::Url;

/// One visit as the detectors judge it: its own facts and those it borrows.
pub struct Doc<'a> {
    /// The page as parsed.
    pub page: &'a Page,
    /// Normalised document title.
    pub title: String,
    /// The date that counts: 发布日期, else the list's date for the row.
    pub published: Option<DateFact>,
    /// 发布机构/来源, the attachment's from its article.
    pub publisher: Option<String>,
    /// Column name meta and breadcrumb entries (home excluded).
    pub columns: Vec<String>,
    /// A PDF, Word or other file rather than a page.
    pub is_attachment: bool,
    /// A column/list page rather than a single document.
    pub is_list: bool,
    /// Links that are not part of the site template: list rows, data
    /// entries, attachments.
    pub content_links: Vec<&'a Link>,
    /// The link the crawl followed to this visit.
    pub found_via: Option<&'a Link>,
    /// The list is filled by a script from a data endpoint: its rows are
    /// judged when the endpoint is fetched, not here.
    pub filled_by_script: bool,
    /// A column with nothing in it (see [`Doc::new`]); counted as a list.
    pub is_empty: bool,
    /// The page says it has nothing in it ("暂无信息").
    pub says_empty: bool,
}

/// The same document, whatever fragment either URL carries.
fn same_page(a: &Url, b: &Url) -> bool {
    a[..url::Position::AfterQuery] == b[..url::Position::AfterQuery]
}

/// Key for comparing URLs: no scheme, no `www.`, no fragment.
pub fn link_key(url: &Url) -> String {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches("www.");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{host}{port}{}{query}", url.path())
}

impl<'a> Doc<'a> {
    /// The document of `visit`, borrowing from the page that linked it
    /// (`parent`) and leaving out the site template's links.
    pub fn new(
        visit: &'a Visit,
        parent: Option<&ParentFacts>,
        template: &HashSet<String>,
        words: &DocumentVocabulary,
    ) -> Doc<'a> {
        let page = &visit.page;
        let found_via = visit.found_via.as_ref();
        let is_attachment = matches!(page.kind, PageKind::Pdf | PageKind::OtherAttachment);
        // Attachments and data endpoints carry little of their own: they
        // borrow title, date, issuer and columns from the linking page.
        let inherits = is_attachment || page.kind == PageKind::Json;
        // An iframe's page is shown inside its parent: it sits in the
        // parent's columns, and is called what the parent is called when
        // it has no name of its own.
        let framed = found_via.is_some_and(|l| l.origin == LinkOrigin::Frame);
        let link_text = found_via.map(|l| normalise_title(&l.text)).filter(|t| {
            t.chars().count() >= 6
                && !words
                    .generic_link_text
                    .iter()
                    .any(|g| t.starts_with(g.as_str()) && t.chars().count() < 8)
        });
        let title = if is_attachment {
            link_text
                .or_else(|| Some(normalise_title(&page.title)).filter(|t| !t.is_empty()))
                .or_else(|| parent.map(|p| p.title.clone()))
                .unwrap_or_default()
        } else if page.kind == PageKind::Json && page.rendered {
            // Asked for by a rendered page after a menu entry was clicked:
            // the entry names the list better than the page around it.
            link_text
                .or_else(|| parent.map(|p| p.title.clone()))
                .unwrap_or_default()
        } else if page.kind == PageKind::Json {
            parent
                .map(|p| p.title.clone())
                .or(link_text)
                .unwrap_or_default()
        } else if page.title.is_empty() {
            link_text
                .or_else(|| framed.then(|| parent.map(|p| p.title.clone())).flatten())
                .unwrap_or_default()
        } else {
            normalise_title(&page.title)
        };
        let list_date = found_via.and_then(|l| l.date).map(|date| DateFact {
            date,
            source: DateSource::ListContext,
        });
        let published = if is_attachment {
            list_date
                .or_else(|| parent.and_then(|p| p.published))
                .or(page.published)
        } else {
            match page.published {
                Some(fact) if fact.source <= DateSource::Url => Some(fact),
                weak => list_date.or(weak),
            }
        };
        let mut columns: Vec<String> = Vec::new();
        if let Some(column) = page.meta.get("columnname") {
            columns.push(column.clone());
        }
        columns.extend(
            page.breadcrumb
                .iter()
                .filter(|c| !contains_any(c, &words.home_crumbs))
                .cloned(),
        );
        if inherits || framed {
            if let Some(p) = parent {
                columns.extend(p.columns.iter().cloned());
                if framed {
                    columns.push(p.title.clone());
                }
            }
        }
        let publisher = page.publisher.clone().or_else(|| {
            if is_attachment {
                parent.and_then(|p| p.publisher.clone())
            } else {
                None
            }
        });
        let content_links: Vec<&Link> = page
            .links
            .iter()
            .filter(|l| {
                // A rendered view (`…#rendered`) is still its page.
                !same_page(&l.url, &page.url)
                    && l.origin != LinkOrigin::Pager
                    && !template.contains(&link_key(&l.url))
            })
            .collect();
        let dated = page.links.iter().filter(|l| l.date.is_some()).count();
        let says_empty = contains_any(&page.text, &words.empty_column);
        let filled_by_script = page.links.iter().any(|l| l.origin == LinkOrigin::Script);
        // Empty: it says so (暂无信息), or its data endpoint answered with no
        // entries, or the page is a bare frame — no rows, no dated links,
        // little text and no script of the site's own that could add some.
        let is_empty = !filled_by_script
            && page.script_gaps.is_empty()
            && match page.kind {
                PageKind::Json => {
                    page.extract_error.is_none()
                        && !page.links.iter().any(|l| l.origin == LinkOrigin::Data)
                }
                PageKind::Html => {
                    page.published.is_none()
                        && (says_empty
                            || (content_links.is_empty()
                                && dated == 0
                                && page.app_scripts.is_empty()
                                && page.text.chars().count() < 300))
                }
                _ => false,
            };
        // A column page that shows its list in an iframe: the frame's page
        // holds the content, this one only the site's frame around it.
        let frame_shell = page.kind == PageKind::Html
            && page.published.is_none()
            && content_links.iter().any(|l| l.origin == LinkOrigin::Frame);
        let is_list = is_empty
            || frame_shell
            || page.kind == PageKind::Json
            || (page.published.is_none() && says_empty)
            || dated >= 3
            || page.links.iter().any(|l| l.origin == LinkOrigin::Pager)
            || (page.published.is_none() && dated >= 1)
            || (page.kind == PageKind::Html
                && page.published.is_none()
                && content_links.len() >= 8
                && page.text.chars().count() < 3000);
        Doc {
            page,
            title,
            published,
            publisher,
            columns,
            is_attachment,
            is_list,
            content_links,
            found_via,
            filled_by_script,
            is_empty,
            says_empty,
        }
    }

    /// List rows: content links that carry a date, or entries of a data
    /// endpoint.
    pub fn dated_rows(&self) -> Vec<&'a Link> {
        self.content_links
            .iter()
            .copied()
            .filter(|l| l.date.is_some())
            .collect()
    }

    /// The names a column is known by: its title, column name and
    /// breadcrumb (not box headings, which name other columns' links).
    pub fn column_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = vec![self.title.as_str()];
        names.extend(self.columns.iter().map(|c| c.as_str()));
        names
    }
}
