//! One inline script as the list readers see it, and what they found.
//!
//! Every per-script reader of the hub gets the same two things: the
//! script's parsed facts with what its URL expressions may draw on (a
//! folder over its assignments and the page URL's query values, the
//! page's event handlers, the ids the page's tree offers), and the page's findings so far, to which it
//! adds links and gaps. The hub builds both; a reader needs nothing else.

use super::js::fold::Folder;
use super::js::Code;
use super::page_scripts::PageScripts;
use crate::page::collapse;
use crate::types::{Link, LinkOrigin};
use scraper::{Html, Selector};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

static ID_CARRIERS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("a[href^='#'], [data-cid], [data-id], [data-tab], [data-code], [data-channel]")
        .expect("static selector")
});

/// One inline script, parsed, and what its URL expressions may draw on.
pub(super) struct Script<'a> {
    /// The script's calls, assignments and strings.
    pub code: &'a Code,
    /// Works out its expressions from its assignments and the page's query.
    pub folder: Folder<'a>,
    /// The page's other scripts and its event handlers.
    pub page: &'a PageScripts,
    /// The address of the page the script stands in.
    pub page_url: &'a Url,
    /// Ids the page's tree offers, for hash-driven lists, with the
    /// category name the tree gives each (empty when none).
    pub tree_ids: &'a [(String, String)],
}

/// Links the readers list for one page at most. The crawler keeps no more
/// than 5,000 links of a page (`crawl::site`), and pagers name up to 200
/// pages a call: a page of thousands of calls must not cost gigabytes
/// before that cut.
const MAX_LINKS: usize = 5_000;

/// What the list readers found on one page so far.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// URLs already found or already among the page's own links.
    seen: HashSet<Url>,
    /// Pager pages, data endpoints and frames, in the order found.
    pub links: Vec<Link>,
    /// Lists that could not be read, described for a person.
    pub gaps: Vec<String>,
    /// URL literals of the current script's requests that send data:
    /// fetched bare they return some default list, not this page's, so
    /// later readers of the same script leave them alone.
    pub with_data: HashSet<String>,
    /// [`MAX_LINKS`] were found and a new link after them was dropped.
    pub dropped: bool,
}

impl Found {
    /// Nothing found yet; the URLs of `known` are never repeated.
    pub fn new(known: &[Link]) -> Found {
        Found {
            seen: known.iter().map(|l| l.url.clone()).collect(),
            ..Found::default()
        }
    }

    /// Adds a link to `url` unless it was found before or [`MAX_LINKS`]
    /// are.
    pub fn link(&mut self, url: Url, origin: LinkOrigin, text: String) {
        if self.links.len() >= MAX_LINKS {
            self.dropped |= !self.seen.contains(&url);
            return;
        }
        if self.seen.insert(url.clone()) {
            self.links.push(Link {
                url,
                text,
                context: String::new(),
                section: String::new(),
                date: None,
                origin,
            });
        }
    }

    /// No further link is taken.
    pub fn is_full(&self) -> bool {
        self.links.len() >= MAX_LINKS
    }
}

/// Values a list script may be called with when the page URL has none:
/// the ids its tree links carry (`href="#2655"`, `data-cid="2655"`).
pub(super) fn tree_ids(doc: &Html) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for el in doc.select(&ID_CARRIERS) {
        let value = el.value();
        let from_fragment = value.attr("href").and_then(|h| h.strip_prefix('#'));
        let from_data = [
            "data-cid",
            "data-id",
            "data-tab",
            "data-code",
            "data-channel",
        ]
        .iter()
        .find_map(|a| value.attr(a));
        for id in [from_fragment, from_data].into_iter().flatten() {
            if (1..=40).contains(&id.len())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                let name = collapse(&el.text().collect::<String>());
                let name = if name.chars().count() <= 30 {
                    name
                } else {
                    String::new()
                };
                ids.push((id.to_string(), name));
            }
        }
    }
    ids
}
