//! One inline script as the list readers see it, and what they found.
//!
//! Every per-script reader of the hub gets the same two things: the
//! script's parsed facts with what its URL expressions may draw on (a
//! folder over its assignments and the page URL's query values, the
//! page's event handlers, the ids the page's tree offers), and the page's findings so far, to which it
//! adds links and gaps. The hub builds both; a reader needs nothing else.

use super::js::fold::Folder;
use super::js::{Code, Expr};
use super::page_scripts::PageScripts;
use crate::page::collapse;
use crate::types::{Link, LinkOrigin};
use scraper::{Html, Selector};
use std::cell::OnceCell;
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

static ID_CARRIERS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("a[href^='#'], [data-cid], [data-id], [data-tab], [data-code], [data-channel]")
        .expect("static selector")
});

/// Keys whose value is a list's id in a script's configuration.
const ID_KEYS: &[&str] = &["id", "cid", "tab", "channelId", "classId"];
/// Keys that name what an id stands for.
const NAME_KEYS: &[&str] = &["name", "title", "text"];
/// At most this many guessed ids per script.
const MAX_ID_EXPANSIONS: usize = 40;

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
    tree_ids: &'a [(String, String)],
    /// The ids of [`Script::ids`], once asked for.
    ids: OnceCell<Vec<(String, String)>>,
}

impl<'a> Script<'a> {
    /// The script `code` of the page at `page_url`, among the page's
    /// scripts `page`, its values worked out by `folder`.
    pub fn new(
        code: &'a Code,
        folder: Folder<'a>,
        page: &'a PageScripts,
        page_url: &'a Url,
        tree_ids: &'a [(String, String)],
    ) -> Script<'a> {
        Script {
            code,
            folder,
            page,
            page_url,
            tree_ids,
            ids: OnceCell::new(),
        }
    }

    /// Values a list script may be called with when the page URL has
    /// none, each with the category name anything gives it.
    pub fn ids(&self) -> &[(String, String)] {
        self.ids.get_or_init(|| ids(self.code, self.tree_ids))
    }
}

/// Ids a script's list may be called with: the page tree's, the ids of
/// the script's configuration objects, its defaults and the numbers its
/// calls pass, one entry per id, named when anything names it.
fn ids(code: &Code, tree_ids: &[(String, String)]) -> Vec<(String, String)> {
    let mut ids = tree_ids.to_vec();
    for object in &code.objects {
        let Expr::Object(fields) = object else {
            continue;
        };
        let value_of = |keys: &[&str]| {
            fields
                .iter()
                .find(|(k, _)| keys.contains(&k.as_str()))
                .and_then(|(_, v)| v.scalar())
        };
        if let Some(id) = value_of(ID_KEYS).filter(|id| is_id(id)) {
            let name = value_of(&["id", "cid"])
                .and(value_of(NAME_KEYS))
                .filter(|n| (1..=30).contains(&n.chars().count()))
                .unwrap_or_default();
            ids.push((id, name));
        }
    }
    let defaults = code.defaults.iter().filter(|d| is_id(d)).cloned();
    // A numeric id passed to a page function: `loadList(2808, 1)`.
    let call_ids = code.calls.iter().filter_map(|call| {
        let id = call.args.first()?.scalar()?;
        let digits = (3..=12).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
        (digits && call.callee.path().is_some()).then_some(id)
    });
    ids.extend(defaults.chain(call_ids).map(|id| (id, String::new())));
    ids.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
    ids.dedup_by(|a, b| a.0 == b.0);
    ids.truncate(MAX_ID_EXPANSIONS);
    ids
}

/// A value that can be an id: a short word of letters, digits, `_`, `-`.
fn is_id(value: &str) -> bool {
    (1..=40).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
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
