//! Whether the site was read at all.
//!
//! `fail` claims the county's site was read and the item is not there. That
//! needs a homepage that parsed as HTML, whole, with links into the site,
//! and a disclosure section (the 政务公开 page the homepage links) that was
//! reached and read. A site whose homepage is cut, binary or without links
//! keeps every row open (`homepage_unreadable`); a disclosure section that
//! could not be fetched or read keeps open every item it could hold, and so
//! does one drawn by script (a single-page application) when no link names
//! the columns it holds. A relevant page read only in part keeps its own
//! items open (`unreadable`).

use super::document::link_key;
use super::text::contains_any;
use super::SiteAudit;
use crate::rubric::{Item, ItemKind, Rubric};
use crate::types::{bare_host, Link, LinkOrigin, Page, PageKind, ReasonCode, Visit};
use std::collections::{HashMap, HashSet};
use url::Url;

/// What kept the site, or its disclosure section, from being read.
#[derive(Debug, Default)]
pub(super) struct Unread {
    /// Why the homepage cannot stand for a read site (`no_links: …`).
    pub homepage: Option<String>,
    /// Disclosure sections the homepage links that were not read.
    pub hubs: Vec<UnreadHub>,
}

/// A disclosure section the homepage links that was not read, and why.
#[derive(Debug)]
pub(super) struct UnreadHub {
    /// What stopped it (`unreachable`, `budget_exhausted`, `unreadable`, …).
    pub code: ReasonCode,
    /// The section's URL.
    pub url: String,
    /// The homepage link's text (政务公开).
    pub text: String,
    /// What happened, for the reason sentence.
    pub what: String,
}

/// A link text that names the disclosure section itself: one of its names
/// (`topic`), alone or with a section suffix (专栏), spaces aside.
pub(super) fn names_the_section(text: &str, topic: &[String], suffixes: &[String]) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    topic.iter().any(|name| {
        text.strip_prefix(name.as_str())
            .is_some_and(|rest| rest.is_empty() || suffixes.iter().any(|s| s == rest))
    })
}

/// Why the homepage of `visit` cannot show that the site was read, or
/// `None` when it can.
pub(super) fn homepage_problem(visit: &Visit) -> Option<String> {
    let page = &visit.page;
    if let Some(cut) = page.cut {
        return Some(format!(
            "{}: the homepage ({} bytes captured) could not be read whole, so its links are not all known",
            cut.as_str(),
            visit.fetched.body.len()
        ));
    }
    if page.kind != PageKind::Html {
        let declared = visit
            .fetched
            .header("content-type")
            .unwrap_or("no Content-Type");
        return Some(format!(
            "not_html: the homepage answered {declared}, not an HTML page"
        ));
    }
    if page.status >= 400 {
        return Some(format!(
            "http_error: the homepage answered HTTP {}",
            page.status
        ));
    }
    let home = bare_host(&page.url);
    let into_site = page
        .links
        .iter()
        .any(|l| matches!(l.url.scheme(), "http" | "https") && bare_host(&l.url) == home);
    if !into_site {
        return Some(
            "no_links: the homepage has no link into the site, so no section of it could be reached"
                .to_string(),
        );
    }
    None
}

/// The columns of a disclosure section that the homepage names by links
/// into it (`/zwgk/#/column/101` 政府信息公开指南): the texts of homepage
/// links to the section (`via`, or the page it opened) that name another
/// rubric item than the section itself. For a section drawn by script,
/// all a static reader knows of what it holds.
pub(super) fn homepage_routes<'a>(
    home_links: &'a HashMap<String, Vec<String>>,
    rubric: &Rubric,
    section: &Item,
    via: &Url,
    page: &Url,
) -> HashSet<&'a str> {
    let names_another_item = |t: &str| {
        rubric
            .items
            .iter()
            .any(|i| i.id != section.id && contains_any(t, &i.topic))
    };
    [link_key(via), link_key(page)]
        .iter()
        .filter_map(|k| home_links.get(k))
        .flatten()
        .map(String::as_str)
        .filter(|t| names_another_item(t))
        .collect()
}

impl SiteAudit {
    /// [`homepage_routes`] of the disclosure section reached by `via`.
    fn homepage_routes(&self, via: &Url, page: &Page) -> HashSet<&str> {
        let section = self
            .rubric
            .items
            .iter()
            .find(|i| i.kind == ItemKind::Column);
        section.map_or_else(HashSet::new, |section| {
            homepage_routes(&self.home_links, &self.rubric, section, via, &page.url)
        })
    }

    /// A homepage link to the disclosure section (政务公开) that was not
    /// read: every item the section could hold stays open.
    pub(super) fn note_hub_unread(&mut self, link: &Link, code: ReasonCode, what: &str) {
        if let Some(text) = self.hub_links.get(&link_key(&link.url)) {
            self.unread.hubs.push(UnreadHub {
                code,
                url: link.url.to_string(),
                text: text.clone(),
                what: what.to_string(),
            });
        }
    }

    /// After a visit: the homepage gate, a disclosure section that answered
    /// but could not be read, and any relevant page read only in part.
    pub(super) fn check_readability(&mut self, visit: &Visit, title: &str) {
        let page = &visit.page;
        if visit.depth == 0 && visit.parent.is_none() {
            self.unread.homepage = homepage_problem(visit);
        }
        let hub_link = visit.found_via.as_ref().filter(|l| {
            self.hub_links.contains_key(&link_key(&l.url))
                || self.hub_links.contains_key(&link_key(&page.url))
        });
        if let Some(link) = hub_link.cloned() {
            // 404 and 410 say the section is gone (a broken link, judged by
            // 7.column); other errors say only that it was not served.
            let refused = page.status >= 400 && !matches!(page.status, 404 | 410);
            if let Some(cut) = page.cut {
                let what = format!("it was read only in part ({})", cut.as_str());
                self.note_hub_unread(&link, ReasonCode::Unreadable, &what);
            } else if refused {
                let what = format!("it answered HTTP {}", page.status);
                self.note_hub_unread(&link, ReasonCode::Unreachable, &what);
            } else if page.drawn_by_script && self.homepage_routes(&link.url, page).is_empty() {
                // A single-page application whose columns no homepage link
                // names: nothing shows what it holds, so it may hold any
                // item, even one whose column elsewhere came up empty.
                let what =
                    "it is drawn in the browser by script, and no link names the columns it holds";
                self.note_hub_unread(&link, ReasonCode::ScriptList, what);
            } else if page.template_links
                && !page.rendered
                && self.homepage_routes(&link.url, page).is_empty()
            {
                // Its menu of columns is a template a script repeats: the
                // columns it lists were never seen, as in an application.
                let what = "its links are bound in a template that only a browser fills, and no link names the columns it holds";
                self.note_hub_unread(&link, ReasonCode::ScriptList, what);
            }
        }
        self.check_list_continuation(visit);
        if page.kind == PageKind::Html && page.cut.is_some() {
            let partial = Link {
                url: page.url.clone(),
                text: title.to_string(),
                context: String::new(),
                section: page.meta.get("columnname").cloned().unwrap_or_default(),
                date: None,
                origin: LinkOrigin::Anchor,
            };
            self.note_uncovered(&partial, &page.url, ReasonCode::Unreadable);
        }
    }
}

/// The later pages and data requests of the lists read so far, and those
/// that were refused. Lists of one template often share one continuation
/// (a pager that POSTs every list's page 2 to `/search`): the crawler
/// requests it once, and its refusal leaves every list behind it unread.
#[derive(Debug, Default)]
pub(super) struct Continuations {
    /// List pages by the continuation their pager or script leads to (by
    /// `link_key`), while it has not been refused.
    lists: HashMap<String, Vec<Url>>,
    /// Continuations refused, by `link_key`, with the code they keep open.
    refused: HashMap<String, ReasonCode>,
}

impl SiteAudit {
    /// A list's next page (its pager, or the data request its script
    /// makes) that was refused keeps open what the list is for: only a list
    /// read to its last page proves an absence. 405 says the request
    /// needs another method (a pager that POSTs to `/search`, which a
    /// static reader can only GET): `script_list`. Other refusals (403,
    /// 429, 5xx) are `unreachable`. 404 and 410 say there is no such page
    /// (an off-by-one 下一页, a URL misread from a script) and keep
    /// nothing open. Every list that continues through the same request is
    /// kept open with it, seen before or after the refusal.
    fn check_list_continuation(&mut self, visit: &Visit) {
        let status = visit.page.status;
        if status < 400 || matches!(status, 404 | 410) {
            return;
        }
        let (Some(link), Some(parent)) = (visit.found_via.as_ref(), visit.parent.as_ref()) else {
            return;
        };
        if !is_continuation(link) {
            return;
        }
        let code = if status == 405 {
            ReasonCode::ScriptList
        } else {
            ReasonCode::Unreachable
        };
        let key = link_key(&link.url);
        self.continuations.refused.insert(key.clone(), code);
        let mut lists = self.continuations.lists.remove(&key).unwrap_or_default();
        if !lists.contains(parent) {
            lists.push(parent.clone());
        }
        for list in &lists {
            self.note_list_unread(list, &visit.page.url, code);
        }
    }

    /// After a list page is read: the continuations it shares with lists
    /// read before. One already refused keeps this list open too; the
    /// others are remembered in case they are refused later.
    pub(super) fn note_continuations(&mut self, page: &Page) {
        for link in page.links.iter().filter(|l| is_continuation(l)) {
            let key = link_key(&link.url);
            if let Some(&code) = self.continuations.refused.get(&key) {
                self.note_list_unread(&page.url, &link.url, code);
            } else {
                let lists = self.continuations.lists.entry(key).or_default();
                if !lists.contains(&page.url) {
                    lists.push(page.url.clone());
                }
            }
        }
    }

    /// The list at `list_url`, whose continuation `continuation` was
    /// refused, keeps open the items its own name points at, not its
    /// breadcrumb's (a 基层政务公开 list under 政务公开 holds no 权责清单).
    fn note_list_unread(&mut self, list_url: &Url, continuation: &Url, code: ReasonCode) {
        let Some(list) = self.known_page(list_url) else {
            return;
        };
        let list = Link {
            url: continuation.clone(),
            section: String::new(),
            ..list
        };
        self.note_uncovered(&list, list_url, code);
    }
}

/// A list's later page or the data request that fills it.
fn is_continuation(link: &Link) -> bool {
    matches!(link.origin, LinkOrigin::Pager | LinkOrigin::Script)
}

/// The reason sentence for an item kept open by an unread disclosure
/// section.
pub(super) fn hub_reason(hub: &UnreadHub) -> String {
    format!(
        "the disclosure section 「{}」 ({}) linked from the homepage was not read ({}): every item it could hold stays open",
        hub.text, hub.url, hub.what
    )
}
