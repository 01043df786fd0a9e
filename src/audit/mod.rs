//! Audit: from parsed pages to one verdict per rubric item.
//!
//! Detectors (`detect`) are pure functions from one document to candidate
//! verdicts; [`SiteAudit`] collects the candidates of a site as the crawl
//! goes and `finish` turns them into findings (`verdict`). Beside the
//! detectors it does two jobs for the crawl, each in its own file:
//! `steering` says what to fetch next (link priority, focused rechecks) and
//! `coverage` remembers which relevant links could not be looked at and
//! why. Tri-state: `fail` only when the site was reachable and everything
//! relevant was visited.

mod coverage;
mod detect;
mod document;
mod issuer;
mod readability;
mod relevance;
mod steering;
mod text;
mod verdict;
mod vocab;

pub use document::Doc;
pub use issuer::{classify_org, Issuer};

use crate::campaign::County;
use crate::rubric::Rubric;
use crate::types::{Candidate, Finding, Status};
use crate::types::{CrawlOutcome, DateFact, Link, Page, ReasonCode, Visit};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use url::Url;

/// Facts of a visited page that later attachments inherit (their date,
/// issuer and column come from the article that linked them).
#[derive(Debug, Clone, Default)]
pub struct ParentFacts {
    /// The page's document title.
    pub title: String,
    /// The date that counted for the page.
    pub published: Option<DateFact>,
    /// The page's 发布机构/来源.
    pub publisher: Option<String>,
    /// The page's column name and breadcrumb entries.
    pub columns: Vec<String>,
}

/// Per-site audit state, fed by the crawl.
pub struct SiteAudit {
    rubric: Arc<Rubric>,
    /// The rubric's steering words, compiled.
    vocab: vocab::Vocab,
    county: County,
    window: (NaiveDate, NaiveDate),
    /// Links of the homepage: the site template, not content.
    template_links: HashSet<String>,
    /// Homepage links to the disclosure section itself (政务公开, not
    /// 基层政务公开): the hub that holds most items.
    hub_links: HashMap<String, String>,
    /// The texts of every homepage link, by `document::link_key`.
    home_links: HashMap<String, Vec<String>>,
    parents: HashMap<String, ParentFacts>,
    candidates: Vec<Candidate>,
    passed: HashSet<String>,
    /// Per item: relevant links not looked at, by reason code.
    not_covered: HashMap<String, Vec<(ReasonCode, String)>>,
    /// Documents that would confirm a pass shown on a list row or an
    /// article (the row's own page, the article's attachments), by
    /// `document::link_key`: fetched although their item is decided.
    confirming: HashSet<String>,
    /// The homepage leads only onward (a splash page, a redirect by meta
    /// refresh or script): its few links are the way in, whatever they say.
    gateway_home: Option<String>,
    /// List pages read, and the dated entries they showed: what a `fail`
    /// rests on.
    reading: verdict::Reading,
    /// Every page read (by `document::link_key`): a link skipped on one
    /// path and fetched on another was looked at after all.
    read: HashSet<String>,
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
    /// What kept the site or its disclosure section from being read.
    unread: readability::Unread,
    /// Lists' later pages and data requests, and which were refused.
    continuations: readability::Continuations,
}

impl SiteAudit {
    /// A site's audit before its first visit, judging `county`'s site by
    /// `rubric` within the campaign `window`.
    pub fn new(rubric: Arc<Rubric>, county: County, window: (NaiveDate, NaiveDate)) -> SiteAudit {
        SiteAudit {
            vocab: vocab::Vocab::new(&rubric),
            rubric,
            county,
            window,
            template_links: HashSet::new(),
            hub_links: HashMap::new(),
            home_links: HashMap::new(),
            parents: HashMap::new(),
            candidates: Vec::new(),
            passed: HashSet::new(),
            not_covered: HashMap::new(),
            read: HashSet::new(),
            reading: verdict::Reading::default(),
            confirming: HashSet::new(),
            gateway_home: None,
            unread_generic: HashMap::new(),
            adcode: None,
            declared_domain: None,
            focused: false,
            unread: readability::Unread::default(),
            continuations: readability::Continuations::default(),
        }
    }

    /// Crawl only towards undecided items (see `focused`).
    pub fn focused(mut self) -> SiteAudit {
        self.focused = true;
        self
    }

    /// The rubric the site is judged by.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// Every item has passed and every document confirming a pass was
    /// read: nothing left to look for.
    pub fn all_decided(&self) -> bool {
        self.passed.len() == self.rubric.items.len()
            && self.confirming.iter().all(|key| self.read.contains(key))
    }

    /// Run the detectors over one visit. Returns true when every item has
    /// passed.
    pub fn observe(&mut self, visit: &Visit, sha256: &str) -> bool {
        let page = &visit.page;
        // A refusal (403, 405, 5xx) is not a reading; a 404 says there is
        // nothing to read.
        if page.status < 400 || matches!(page.status, 404 | 410) {
            self.read.insert(document::link_key(&page.url));
            if let Some(via) = &visit.found_via {
                self.read.insert(document::link_key(&via.url));
            }
        }
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
        let doc = Doc::new(
            visit,
            parent.as_ref(),
            &self.template_links,
            &self.rubric.document,
        );
        let ctx = detect::Context {
            rubric: &self.rubric,
            county: &self.county.name,
            window: self.window,
            hub_links: &self.hub_links,
            home_links: &self.home_links,
            sha256,
            own_domain: self.declared_domain.as_deref(),
        };
        let found = detect::all(&doc, visit, &ctx);
        if doc.is_list {
            self.reading.list_pages += 1;
            self.reading.entries += doc
                .content_links
                .iter()
                .filter(|l| l.date.is_some())
                .count();
        }
        self.check_readability(visit, &doc.title);
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
            self.note_continuations(page);
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
        for candidate in &found {
            self.note_confirmations(candidate, &doc);
        }
        for candidate in found {
            self.record(candidate);
        }
        self.all_decided()
    }

    /// Keep a candidate verdict; a pass decides its item.
    fn record(&mut self, candidate: Candidate) {
        if candidate.status == Status::Pass {
            self.passed.insert(candidate.item.clone());
        }
        self.candidates.push(candidate);
    }

    /// A pass shown on a list row is confirmed by the row's document; one
    /// shown on an article, by the attachments the article carries.
    fn note_confirmations(&mut self, candidate: &Candidate, doc: &Doc) {
        if candidate.status != Status::Pass {
            return;
        }
        if let Some(url) = &candidate.confirmed_by {
            self.confirming.insert(document::link_key(url));
        } else if !doc.is_list && !doc.is_attachment && candidate.evidence.url == doc.page.url {
            for link in &doc.content_links {
                if relevance::is_attachment_link(link) {
                    self.confirming.insert(document::link_key(&link.url));
                }
            }
        }
    }

    fn learn_homepage(&mut self, page: &Page) {
        if page.links.len() <= GATEWAY_LINKS {
            self.gateway_home = Some(document::link_key(&page.url));
        }
        self.template_links = page
            .links
            .iter()
            .map(|l| document::link_key(&l.url))
            .collect();
        for link in &page.links {
            self.home_links
                .entry(document::link_key(&link.url))
                .or_default()
                .push(link.text.clone());
        }
        if let Some(item) = self
            .rubric
            .items
            .iter()
            .find(|i| i.kind == crate::rubric::ItemKind::Column)
        {
            for link in &page.links {
                if readability::names_the_section(
                    &link.text,
                    &item.topic,
                    &self.rubric.document.section_suffixes,
                ) {
                    self.hub_links
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

    /// The verdicts, one per rubric item, in rubric order.
    pub fn finish(mut self, outcome: &CrawlOutcome) -> Vec<Finding> {
        self.forget_links_read_after_all();
        verdict::decide(
            &self.rubric,
            self.candidates,
            &self.not_covered,
            &self.unread_generic,
            &self.unread,
            &self.reading,
            outcome,
        )
    }
}

/// A homepage with this many links or fewer is a way into the site (a
/// splash page, a meta refresh), not its front page.
const GATEWAY_LINKS: usize = 5;

impl SiteAudit {
    /// A link noted as not looked at (skipped on one path: depth, budget,
    /// an error) that was read on another is not named as unvisited. A
    /// page read in part, or a list its script fills unseen, was read and
    /// still keeps its note.
    fn forget_links_read_after_all(&mut self) {
        let read = &self.read;
        for notes in self.not_covered.values_mut() {
            notes.retain(|(code, url)| {
                matches!(code, ReasonCode::ScriptList | ReasonCode::Unreadable)
                    || !Url::parse(url).is_ok_and(|u| read.contains(&document::link_key(&u)))
            });
        }
        self.not_covered.retain(|_, notes| !notes.is_empty());
    }
}

#[cfg(test)]
mod tests;
