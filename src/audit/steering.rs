//! Crawl steering: what to fetch next.
//!
//! The crawler knows no rubric; it asks [`SiteAudit::link_priority`] how
//! strongly each link points at an item not yet passed, and fetches the
//! strongest first. A focused recheck follows only links towards undecided
//! items ([`SiteAudit::still_wanted`]).

use super::relevance::{is_attachment_link, names_a_document, names_topic, relevance, SPECIFIC};
use super::{classify_org, document, text, Issuer, SiteAudit};
use crate::types::{Link, LinkOrigin, Page};

impl SiteAudit {
    /// How relevant a link must be to an item to count for it. A link that
    /// names a document, or names one item's column ("信息公开年报"), speaks
    /// for itself: only the items it names (or whose column it stands in)
    /// count (3). A generic navigation link ("政务公开") may lead to
    /// anything in the disclosure platform (1).
    pub(super) fn threshold(&self, link: &Link) -> u32 {
        let names_a_document = names_a_document(link);
        let names_an_item = self
            .rubric
            .items
            .iter()
            .any(|item| relevance(item, link, &self.rubric.crawl) >= 6);
        if names_a_document || names_an_item {
            SPECIFIC
        } else {
            1
        }
    }

    /// Crawl priority of a link: how strongly it points at an item that has
    /// not passed yet. List continuations inherit their list's relevance.
    pub fn link_priority(&self, link: &Link, parent: &Page) -> f32 {
        let undecided = self
            .rubric
            .items
            .iter()
            .filter(|i| !self.passed.contains(&i.id));
        let mut best = 0u32;
        let mut parent_best = 0u32;
        // A data endpoint's own page has no title: its facts borrowed from
        // the page that requested it say what its pages hold.
        let parent_link = self
            .known_page(&parent.url)
            .unwrap_or_else(|| page_as_link(parent));
        let mut near_miss = false;
        for item in undecided {
            best = best.max(relevance(item, link, &self.rubric.crawl));
            parent_best = parent_best.max(relevance(item, &parent_link, &self.rubric.crawl));
            near_miss = near_miss || names_topic(item, &link.text);
        }
        // Pages of the same list, and an iframe's page, which a visitor sees
        // as part of this one; they matter as much as their list does.
        let continuation = continues_its_list(link);
        let mut priority = best as f32;
        if continuation && parent_best > 0 {
            priority = priority.max(parent_best as f32 + 1.0);
        }
        // An attachment is what its page is about, whatever its link says
        // (附件：点击下载).
        if is_attachment_link(link) {
            priority = priority.max(parent_best as f32);
        }
        // An entry naming an item that is not its kind (a 要点, a news
        // headline) cannot pass it, but read last it tells the nearest
        // miss.
        if priority == 0.0 && (near_miss || self.names_a_unit(link)) {
            priority = NEAR_MISS;
        }
        if self.confirming.contains(&document::link_key(&link.url))
            || self.gateway_home.as_deref() == Some(&document::link_key(&parent.url))
        {
            priority = priority.max(ONWARD);
        }
        if text::contains_any(&link.text, &self.rubric.crawl.unlikely) {
            priority -= 0.5;
        }
        if !self.still_wanted(link) {
            return -1.0;
        }
        priority.max(0.0)
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
        let confirming = self.confirming.contains(&document::link_key(&link.url));
        if self.passed.len() == self.rubric.items.len() {
            // Every row passed: only the documents confirming a pass are
            // still worth a request.
            return confirming;
        }
        let threshold = self.threshold(link);
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
        self.rubric
            .items
            .iter()
            .filter(|i| !self.passed.contains(&i.id))
            .any(|i| relevance(i, link, &self.rubric.crawl) >= threshold)
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
