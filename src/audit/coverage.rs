//! Coverage bookkeeping: what was seen, and what was not and why.
//!
//! A relevant link that was not fetched (robots, budget, errors, another
//! host of the county) or a list a script fills unseen keeps the items it
//! points at from failing: `fail` only when everything relevant was looked
//! at. The verdicts read these notes in `finish`.

use super::relevance::{about, names_item, relevance, SPECIFIC};
use super::{detect, SiteAudit};
use crate::types::{
    registered_domain, sibling_hosts, FetchError, Link, LinkOrigin, ReasonCode, SkipReason,
};
use url::Url;

impl SiteAudit {
    /// A relevant link that was not fetched keeps the items it points at
    /// from failing.
    pub fn note_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        let code = match reason {
            SkipReason::Robots => ReasonCode::RobotsDisallowed,
            SkipReason::Budget => ReasonCode::BudgetExhausted,
            SkipReason::Depth => ReasonCode::DepthLimit,
            SkipReason::Blocked => ReasonCode::Blocked,
            SkipReason::OutOfScope => {
                self.note_external(link, parent);
                // Another host of the county's own domain (an `xxgk.`
                // platform) is the county's site too, but the crawl keeps
                // to one host and its robots.txt: not looked at.
                if sibling_hosts(parent, &link.url) || self.declared_sibling(&link.url) {
                    self.note_uncovered(link, parent, ReasonCode::OutOfScope);
                }
                return;
            }
            SkipReason::Trap | SkipReason::Scheme => return,
        };
        self.note_hub_unread(link, code, "it was not fetched");
        self.note_uncovered(link, parent, code);
    }

    /// A link into the domain the site declares as its own.
    fn declared_sibling(&self, url: &Url) -> bool {
        self.declared_domain.is_some() && registered_domain(url) == self.declared_domain
    }

    /// A relevant link that could not be fetched (network, TLS, timeout)
    /// keeps the items it points at from failing, as unreachable.
    pub fn note_error(&mut self, link: &Link, parent: &Url, error: &FetchError) {
        let what = format!("fetching it failed: {error}");
        self.note_hub_unread(link, ReasonCode::Unreachable, &what);
        self.note_uncovered(link, parent, ReasonCode::Unreachable);
    }

    /// Note `link` as not looked at, for `code`, against every undecided
    /// item it (or the list it continues) points at strongly enough.
    pub(super) fn note_uncovered(&mut self, link: &Link, parent: &Url, code: ReasonCode) {
        let vocab = &self.vocab;
        let words = vocab.link(link);
        let parent_link = self.known_page(parent);
        let continuation = matches!(
            link.origin,
            LinkOrigin::Pager | LinkOrigin::Script | LinkOrigin::Frame
        );
        let threshold = if continuation {
            1
        } else {
            self.threshold(link, &self.scores(&words))
        };
        // A continuation belongs to its list: a list named for some items
        // (财政预决算) holds those items only, while a generic one (信息公开,
        // 法定主动公开内容, or a list not seen) may hold any.
        let list = parent_link.as_ref().filter(|_| continuation);
        let list_words = list.map(|l| vocab.link(l));
        // A continuation may name its own list (`?tab=zdxzjc`, the tree's
        // 权责清单 category fetched from the 年报 page): then it, not the
        // page it came from, says which items it holds.
        let by_link: Vec<bool> = match list {
            Some(_) => {
                let named = vocab.list(&words);
                vocab.items.iter().map(|i| names_item(i, &named)).collect()
            }
            None => vec![false; vocab.items.len()],
        };
        let link_names_items = by_link.contains(&true);
        let named: Vec<bool> = match &list_words {
            _ if link_names_items => by_link,
            Some(l) => {
                let named = vocab.list(l);
                vocab.items.iter().map(|i| names_item(i, &named)).collect()
            }
            None => vec![false; vocab.items.len()],
        };
        let named_list = named.contains(&true);
        let items = self.rubric.items.iter().zip(&vocab.items).zip(named);
        for ((item, item_words), named_for_item) in items {
            if self.passed.contains(&item.id) {
                continue;
            }
            let own = about(item_words, &words, vocab);
            let list_score = list_words
                .as_ref()
                .map_or(0, |l| relevance(item_words, l, vocab));
            let score = match (named_list, named_for_item) {
                (false, _) => own.max(list_score),
                (true, true) => own.max(list_score).max(SPECIFIC),
                // A link that names its own items speaks for no others,
                // whatever column it was found in.
                (true, false) if own >= SPECIFIC && !link_names_items => own,
                (true, false) => 0,
            };
            if score == 0 || score < threshold {
                continue;
            }
            if code == ReasonCode::ScriptList && score < SPECIFIC {
                let urls = self.unread_generic.entry(item.id.clone()).or_default();
                if urls.len() < 20 {
                    urls.push(link.url.to_string());
                }
            } else {
                let entry = self.not_covered.entry(item.id.clone()).or_default();
                if entry.len() < 20 {
                    entry.push((code, link.url.to_string()));
                }
            }
        }
    }

    /// Off-site links matter for the provincial 权责清单 system only.
    fn note_external(&mut self, link: &Link, parent: &Url) {
        let found = detect::external_list_link(
            link,
            parent,
            &self.rubric,
            &self.county.name,
            self.adcode.as_deref(),
        );
        if let Some(candidate) = found {
            self.record(candidate);
        }
    }
}
