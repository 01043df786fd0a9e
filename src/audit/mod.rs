//! Audit: from parsed pages to one verdict per rubric item.
//!
//! Detectors (`detect`) are pure functions from one document to candidate
//! verdicts; [`SiteAudit`] collects the candidates of a site as the crawl
//! goes, remembers which relevant links could not be looked at and why, and
//! `finish` turns both into findings (`verdict`). Tri-state: `fail` only
//! when the site was reachable and everything relevant was visited.

mod detect;
mod document;
mod issuer;
mod relevance;
mod text;
mod verdict;

pub use document::Doc;
pub use issuer::{classify_org, Issuer};
pub use relevance::relevance;
use relevance::{names_item, SPECIFIC};

use crate::campaign::County;
use crate::rubric::Rubric;
use crate::types::{Candidate, Evidence, Finding, Status};
use crate::types::{CrawlOutcome, DateFact, FetchError, Link, Page, ReasonCode, SkipReason, Visit};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use url::Url;

/// Facts of a visited page that later attachments inherit (their date,
/// issuer and column come from the article that linked them).
#[derive(Debug, Clone, Default)]
pub struct ParentFacts {
    pub title: String,
    pub published: Option<DateFact>,
    pub publisher: Option<String>,
    pub columns: Vec<String>,
}

/// Per-site audit state, fed by the crawl.
pub struct SiteAudit {
    rubric: Arc<Rubric>,
    county: County,
    window: (NaiveDate, NaiveDate),
    /// Links of the homepage: the site template, not content.
    template_links: HashSet<String>,
    /// Homepage links that name the disclosure column (item 7.column).
    column_links: HashMap<String, String>,
    parents: HashMap<String, ParentFacts>,
    candidates: Vec<Candidate>,
    passed: HashSet<String>,
    /// Per item: relevant links not looked at, by reason code.
    not_covered: HashMap<String, Vec<(ReasonCode, String)>>,
    /// Per item: pages drawn or filled by script that pointed at it only
    /// through the generic 政务公开 words. They keep an item without any
    /// verdict of its own undecided, but do not outweigh what the item's
    /// own column showed.
    unread_generic: HashMap<String, Vec<String>>,
    /// SiteIDCode's adcode from the homepage, to recognise this county's
    /// list in a provincial system.
    adcode: Option<String>,
    /// The registered domain the site's `SiteDomain` meta tag names: the
    /// county's own domain even when the site is served under another
    /// name (a mirror, a test server), so its `xxgk.` hosts are known.
    declared_domain: Option<String>,
    /// A recheck: follow only links that point at an undecided item (and
    /// the homepage's own), not the whole site.
    focused: bool,
}

impl SiteAudit {
    pub fn new(rubric: Arc<Rubric>, county: County, window: (NaiveDate, NaiveDate)) -> SiteAudit {
        SiteAudit {
            rubric,
            county,
            window,
            template_links: HashSet::new(),
            column_links: HashMap::new(),
            parents: HashMap::new(),
            candidates: Vec::new(),
            passed: HashSet::new(),
            not_covered: HashMap::new(),
            unread_generic: HashMap::new(),
            adcode: None,
            declared_domain: None,
            focused: false,
        }
    }

    /// How relevant a link must be to an item to count for it. A link that
    /// names a document, or names one item's column ("信息公开年报"), speaks
    /// for itself: only the items it names (or whose column it stands in)
    /// count (3). A generic navigation link ("政务公开") may lead to
    /// anything in the disclosure platform (1).
    fn threshold(&self, link: &Link) -> u32 {
        let names_a_document = link.date.is_some() || link.text.chars().count() >= 12;
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

    /// Crawl only towards undecided items (see `focused`).
    pub fn focused(mut self) -> SiteAudit {
        self.focused = true;
        self
    }

    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// Every item has passed: nothing left to look for.
    pub fn all_decided(&self) -> bool {
        self.passed.len() == self.rubric.items.len()
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
        for item in undecided {
            best = best.max(relevance(item, link, &self.rubric.crawl));
            parent_best = parent_best.max(relevance(item, &parent_link, &self.rubric.crawl));
        }
        // Pages of the same list, and an iframe's page, which a visitor sees
        // as part of this one.
        let continuation = matches!(
            link.origin,
            crate::types::LinkOrigin::Pager
                | crate::types::LinkOrigin::Script
                | crate::types::LinkOrigin::Data
                | crate::types::LinkOrigin::Frame
        );
        let mut priority = best as f32;
        if continuation {
            priority = priority.max(parent_best as f32 + 1.0);
        }
        if text::contains_any(&link.text, &self.rubric.crawl.unlikely) {
            priority -= 0.5;
        }
        if !self.still_wanted(link) {
            return -1.0;
        }
        priority.max(0.0)
    }

    /// In a focused recheck, a link is worth fetching only if it points at
    /// an undecided item as strongly as coverage asks (a document link by
    /// its own words; a navigation link or list continuation may lead
    /// anywhere), or it is one of the site's navigation links.
    pub fn still_wanted(&self, link: &Link) -> bool {
        use crate::types::LinkOrigin;
        let threshold = self.threshold(link);
        let site_nav =
            threshold == 1 && self.template_links.contains(&document::link_key(&link.url));
        let continuation = matches!(
            link.origin,
            LinkOrigin::Pager | LinkOrigin::Script | LinkOrigin::Data | LinkOrigin::Frame
        );
        if !self.focused || site_nav || continuation || link.origin == LinkOrigin::Evidence {
            return true;
        }
        self.rubric
            .items
            .iter()
            .filter(|i| !self.passed.contains(&i.id))
            .any(|i| relevance(i, link, &self.rubric.crawl) >= threshold)
    }

    /// Run the detectors over one visit. Returns true when every item has
    /// passed.
    pub fn observe(&mut self, visit: &Visit, sha256: &str) -> bool {
        let page = &visit.page;
        if visit.depth == 0 && visit.parent.is_none() {
            self.learn_homepage(page);
        }
        if self.declared_domain.is_none() {
            self.declared_domain = page
                .meta
                .get("sitedomain")
                .map(|d| {
                    let d = d.trim();
                    d.strip_prefix("https://")
                        .or_else(|| d.strip_prefix("http://"))
                        .unwrap_or(d)
                        .to_string()
                })
                .and_then(|d| Url::parse(&format!("http://{d}")).ok())
                .and_then(|u| crate::types::registered_domain(&u));
        }
        let parent = visit
            .parent
            .as_ref()
            .and_then(|p| self.parents.get(p.as_str()))
            .cloned();
        let doc = Doc::new(visit, parent.as_ref(), &self.template_links);
        let ctx = detect::Context {
            rubric: &self.rubric,
            county: &self.county.name,
            window: self.window,
            column_links: &self.column_links,
            sha256,
        };
        let found = detect::all(&doc, visit, &ctx);
        if page.status < 400 && !visit.soft_404 {
            self.parents.insert(
                page.url.to_string(),
                ParentFacts {
                    title: doc.title.clone(),
                    published: doc.published,
                    publisher: page.publisher.clone(),
                    columns: doc.columns.iter().map(|c| c.to_string()).collect(),
                },
            );
        }
        let rows_in_html = doc
            .content_links
            .iter()
            .any(|l| l.date.is_some() && l.origin == crate::types::LinkOrigin::Anchor);
        let unread_list = !page.script_gaps.is_empty() && !rows_in_html;
        if page.published.is_none() && (unread_list || page.unfollowable_pages.is_some()) {
            // Its list (or its later pages) comes from a request the crawler
            // could not make: whatever it holds was never seen. The page
            // speaks for the items its own name points at (not its
            // breadcrumb's).
            let list = Link {
                url: page.url.clone(),
                text: doc.title.clone(),
                context: String::new(),
                section: page.meta.get("columnname").cloned().unwrap_or_default(),
                date: None,
                // A page drawn wholly by script hides all it holds, like a
                // list page never fetched: it counts as part of its own
                // column, and a generic one (政务公开) may hold any item.
                origin: if page.drawn_by_script {
                    crate::types::LinkOrigin::Script
                } else {
                    crate::types::LinkOrigin::Anchor
                },
            };
            self.note_uncovered(&list, &page.url, ReasonCode::ScriptList);
        }
        // A section of the page (教育 on a 重点领域 page) whose list a script
        // fills: its items were never seen.
        for heading in &page.script_gap_sections {
            let section = Link {
                url: page.url.clone(),
                text: heading.clone(),
                context: String::new(),
                section: String::new(),
                date: None,
                origin: crate::types::LinkOrigin::Anchor,
            };
            self.note_uncovered(&section, &page.url, ReasonCode::ScriptList);
        }
        for candidate in found {
            if candidate.status == Status::Pass {
                self.passed.insert(candidate.item.clone());
            }
            self.candidates.push(candidate);
        }
        self.all_decided()
    }

    fn learn_homepage(&mut self, page: &Page) {
        self.template_links = page
            .links
            .iter()
            .map(|l| document::link_key(&l.url))
            .collect();
        if let Some(item) = self
            .rubric
            .items
            .iter()
            .find(|i| i.kind == crate::rubric::ItemKind::Column)
        {
            for link in &page.links {
                if text::contains_any(&link.text, &item.topic)
                    && !text::contains_any(&link.text, &item.exclude)
                {
                    self.column_links
                        .insert(document::link_key(&link.url), link.text.clone());
                }
            }
        }
        self.adcode = page
            .meta
            .get("siteidcode")
            .map(|code| {
                code.chars()
                    .take_while(|c| c.is_ascii_digit())
                    .take(6)
                    .collect::<String>()
            })
            .filter(|code| code.len() == 6);
    }

    /// A relevant link that was not fetched keeps the items it points at
    /// from failing.
    pub fn note_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        let code = match reason {
            SkipReason::Robots => ReasonCode::RobotsDisallowed,
            SkipReason::Budget => ReasonCode::BudgetExhausted,
            SkipReason::Depth => ReasonCode::BudgetExhausted,
            SkipReason::Blocked => ReasonCode::Blocked,
            SkipReason::OutOfScope => {
                self.note_external(link, parent);
                // Another host of the county's own domain (an `xxgk.`
                // platform) is the county's site too, but the crawl keeps
                // to one host and its robots.txt: not looked at.
                if crate::types::sibling_hosts(parent, &link.url)
                    || self.declared_sibling(&link.url)
                {
                    self.note_uncovered(link, parent, ReasonCode::OutOfScope);
                }
                return;
            }
            SkipReason::Trap | SkipReason::Scheme => return,
        };
        self.note_uncovered(link, parent, code);
    }

    /// A link into the domain the site declares as its own.
    fn declared_sibling(&self, url: &Url) -> bool {
        self.declared_domain.is_some()
            && crate::types::registered_domain(url) == self.declared_domain
    }

    pub fn note_error(&mut self, link: &Link, parent: &Url, error: &FetchError) {
        let _ = error;
        self.note_uncovered(link, parent, ReasonCode::Unreachable);
    }

    fn note_uncovered(&mut self, link: &Link, parent: &Url, code: ReasonCode) {
        let parent_link = self.known_page(parent);
        let continuation = matches!(
            link.origin,
            crate::types::LinkOrigin::Pager
                | crate::types::LinkOrigin::Script
                | crate::types::LinkOrigin::Frame
        );
        let threshold = if continuation {
            1
        } else {
            self.threshold(link)
        };
        // A continuation belongs to its list: a list named for some items
        // (财政预决算) holds those items only, while a generic one (信息公开,
        // 法定主动公开内容, or a list not seen) may hold any.
        let list = parent_link.as_ref().filter(|_| continuation);
        // A continuation may name its own list (`?tab=zdxzjc`, the tree's
        // 权责清单 category fetched from the 年报 page): then it, not the
        // page it came from, says which items it holds.
        let by_link: Vec<bool> = self
            .rubric
            .items
            .iter()
            .map(|item| list.is_some() && names_item(item, link, &self.rubric.crawl))
            .collect();
        let link_names_items = by_link.contains(&true);
        let named: Vec<bool> = if link_names_items {
            by_link
        } else {
            self.rubric
                .items
                .iter()
                .map(|item| list.is_some_and(|l| names_item(item, l, &self.rubric.crawl)))
                .collect()
        };
        let named_list = named.contains(&true);
        for (item, named_for_item) in self.rubric.items.iter().zip(named) {
            if self.passed.contains(&item.id) {
                continue;
            }
            let own = relevance(item, link, &self.rubric.crawl);
            let list_score = list.map_or(0, |l| relevance(item, l, &self.rubric.crawl));
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

    /// An audited page as the link that led to it, from the facts kept
    /// about it (titles and columns borrowed from its parent included).
    fn known_page(&self, url: &Url) -> Option<Link> {
        self.parents.get(url.as_str()).map(|p| Link {
            url: url.clone(),
            text: p.title.clone(),
            context: String::new(),
            section: p.columns.join(" "),
            date: None,
            origin: crate::types::LinkOrigin::Anchor,
        })
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
            if candidate.status == Status::Pass {
                self.passed.insert(candidate.item.clone());
            }
            self.candidates.push(candidate);
        }
    }

    /// The verdicts, one per rubric item, in rubric order.
    pub fn finish(self, outcome: &CrawlOutcome) -> Vec<Finding> {
        verdict::decide(
            &self.rubric,
            self.candidates,
            &self.not_covered,
            &self.unread_generic,
            outcome,
        )
    }
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
        origin: crate::types::LinkOrigin::Anchor,
    }
}

#[cfg(test)]
mod tests;
