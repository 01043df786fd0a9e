//! Crawl steering: what to fetch next.
//!
//! The crawler knows no rubric; it asks [`SiteAudit::link_priority`] how
//! strongly each link points at an item not yet passed, and fetches the
//! strongest first. A focused recheck follows only links towards undecided
//! items ([`SiteAudit::still_wanted`]).

use super::relevance::{is_attachment_link, names_a_document, names_topic_in, relevance, SPECIFIC};
use super::vocab::LinkWords;
use super::{classify_org, document, Issuer, SiteAudit};
use crate::types::{Link, LinkOrigin, Page};
use url::Url;

impl SiteAudit {
    /// How relevant a link must be to an item to count for it. A link that
    /// names a document, or names one item's column ("信息公开年报"), speaks
    /// for itself: only the items it names (or whose column it stands in)
    /// count (3). A generic navigation link ("政务公开") may lead to
    /// anything in the disclosure platform (1). `scores`: the link's
    /// relevance to every item, in rubric order ([`SiteAudit::scores`]).
    pub(super) fn threshold(&self, link: &Link, scores: &[u32]) -> u32 {
        let names_a_document = names_a_document(link);
        let names_an_item = scores.iter().any(|&score| score >= 6);
        if names_a_document || names_an_item {
            SPECIFIC
        } else {
            1
        }
    }

    /// The link's relevance to every item, in rubric order.
    pub(super) fn scores(&self, link: &LinkWords<'_>) -> Vec<u32> {
        self.vocab
            .items
            .iter()
            .map(|item| relevance(item, link, &self.vocab))
            .collect()
    }

    /// The items not passed yet, by their place in the rubric.
    fn undecided(&self) -> Vec<usize> {
        self.rubric
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| !self.passed.contains(&i.id))
            .map(|(n, _)| n)
            .collect()
    }

    /// Crawl priority of a link: how strongly it points at an item that has
    /// not passed yet. List continuations inherit their list's relevance.
    pub fn link_priority(&self, link: &Link, parent: &Page) -> f32 {
        let parent_link = self
            .known_page(&parent.url)
            .unwrap_or_else(|| page_as_link(parent));
        self.priority_from(link, &parent_link)
    }

    /// [`SiteAudit::link_priority`] now, of a link queued earlier from the
    /// page at `parent`; `None` when that page's facts were not kept (an
    /// error page), and the link keeps its queued priority.
    pub fn priority_now(&self, link: &Link, parent: &Url) -> Option<f32> {
        let parent_link = self.known_page(parent)?;
        Some(self.priority_from(link, &parent_link))
    }

    /// The priority of `link` on the page `parent_link` describes (its
    /// title and columns).
    fn priority_from(&self, link: &Link, parent_link: &Link) -> f32 {
        let words = self.vocab.link(link);
        let scores = self.scores(&words);
        let undecided = self.undecided();
        let best = undecided.iter().map(|&n| scores[n]).max().unwrap_or(0);
        let near_miss = undecided
            .iter()
            .any(|&n| names_topic_in(&self.vocab.items[n], &words.text));
        // Pages of the same list, and an iframe's page, which a visitor sees
        // as part of this one; they matter as much as their list does.
        let continuation = continues_its_list(link);
        let attachment = is_attachment_link(link);
        let parent_best = if continuation || attachment {
            self.parent_best(parent_link, &undecided)
        } else {
            0
        };
        let mut priority = best as f32;
        if continuation && parent_best > 0 {
            priority = priority.max(parent_best as f32 + 1.0);
        }
        // An attachment is what its page is about, whatever its link says
        // (附件：点击下载).
        if attachment {
            priority = priority.max(parent_best as f32);
        }
        // An entry naming an item that is not its kind (a 要点, a news
        // headline) cannot pass it, but read last it tells the nearest
        // miss.
        if priority == 0.0 && (near_miss || self.names_a_unit(link)) {
            priority = NEAR_MISS;
        }
        if self.confirming.contains(&document::link_key(&link.url))
            || self.gateway_home.as_deref() == Some(&document::link_key(&parent_link.url))
        {
            priority = priority.max(ONWARD);
        }
        if words.text.any(&self.vocab.unlikely) {
            priority -= 0.5;
        }
        if !self.wanted(&words, &scores, &undecided) {
            return -1.0;
        }
        priority.max(0.0)
    }

    /// How strongly the page a link stands on points at an undecided item:
    /// what its list continuations and attachments inherit.
    /// A data endpoint's own page has no title: its facts borrowed from the
    /// page that requested it (`parent_link`) say what its pages hold.
    fn parent_best(&self, parent_link: &Link, undecided: &[usize]) -> u32 {
        let parent_words = self.vocab.link(parent_link);
        undecided
            .iter()
            .map(|&n| relevance(&self.vocab.items[n], &parent_words, &self.vocab))
            .max()
            .unwrap_or(0)
    }

    /// The link names one of the county's departments or townships (「虎林市
    /// 供销合作社」, 「XX镇」): the way into a unit's own site, whose
    /// reports are the nearest misses when the county has none of its own.
    fn names_a_unit(&self, link: &Link) -> bool {
        link.date.is_none()
            && link.text.chars().count() <= UNIT_NAME_CHARS
            && matches!(
                classify_org(&link.text, &self.county.name, &self.rubric.issuer),
                Issuer::Department(_) | Issuer::Township(_)
            )
    }

    /// In a focused recheck, a link is worth fetching only if it points at
    /// an undecided item as strongly as coverage asks (a document link by
    /// its own words; a navigation link or list continuation may lead
    /// anywhere), or it is one of the site's navigation links.
    pub fn still_wanted(&self, link: &Link) -> bool {
        let words = self.vocab.link(link);
        self.wanted(&words, &self.scores(&words), &self.undecided())
    }

    /// [`SiteAudit::still_wanted`] of a link already scored for every item.
    fn wanted(&self, words: &LinkWords<'_>, scores: &[u32], undecided: &[usize]) -> bool {
        let link = words.link;
        let confirming = self.confirming.contains(&document::link_key(&link.url));
        if self.passed.len() == self.rubric.items.len() {
            // Every row passed: only the documents confirming a pass are
            // still worth a request.
            return confirming;
        }
        let threshold = self.threshold(link, scores);
        let site_nav =
            threshold == 1 && self.template_links.contains(&document::link_key(&link.url));
        let continuation = continues_its_list(link);
        if !self.focused
            || site_nav
            || continuation
            || confirming
            || link.origin == LinkOrigin::Evidence
        {
            return true;
        }
        undecided.iter().any(|&n| scores[n] >= threshold)
    }
}

/// A unit's name is no longer than this (「黑龙江省虎林市疾病预防控制中心」 is 15).
const UNIT_NAME_CHARS: usize = 20;

/// The priority of an entry that names an item without being its kind:
/// above every link that points at nothing open, below every one that
/// does.
const NEAR_MISS: f32 = 0.5;

/// The priority of a link that must be followed whatever it points at:
/// a pass's confirming document, the way in from a splash homepage.
const ONWARD: f32 = 1.0;

/// A later page of the same list, its data or an iframe's page: a visitor
/// sees it as part of the page that links it.
fn continues_its_list(link: &Link) -> bool {
    matches!(
        link.origin,
        LinkOrigin::Pager | LinkOrigin::Script | LinkOrigin::Data | LinkOrigin::Frame
    )
}

/// A page seen as the link that led to it: its title and columns as text.
fn page_as_link(page: &Page) -> Link {
    let mut section = page.breadcrumb.join(" ");
    if let Some(column) = page.meta.get("columnname") {
        section.push(' ');
        section.push_str(column);
    }
    Link {
        url: page.url.clone(),
        text: page.title.clone(),
        context: String::new(),
        section,
        date: None,
        origin: LinkOrigin::Anchor,
    }
}
