//! The detectors: pure functions from one document (or one link) to
//! candidate verdicts for the items it bears on.
//!
//! Each applies DOMAIN.md's four tests as its item needs them — kind
//! (title's last word, excluded words), year (title, then body), issuer
//! (title prefix, 发布机构, column tree) and date (发布日期, never 成文日期)
//! — plus "real content" (not a 404, a soft-404 or an empty column).
//!
//! One file per [`ItemKind`]; this module holds what they share: the site
//! [`Context`], the dispatch ([`all`]) and [`Judging`], the opening every
//! detector repeats (is it a document, does its title name the item, the
//! evidence and the candidate built from it).

mod catalogue;
mod column;
mod debt;
mod domain;
mod guide;
mod list;
mod report;
mod rules;

pub use list::external_list_link;

use super::document::{link_key, Doc};
use super::issuer::{issuer_of, Issuer, IssuerEvidence};
use super::text::{contains_any, ends_with_any, first_match, title_core};
use crate::rubric::{IssuerRule, Item, ItemKind, Rubric};
use crate::types::{registered_domain, same_registered_domain};
use crate::types::{Candidate, DateFact, DateSource, Evidence, Link, ReasonCode, Status, Visit};
use chrono::NaiveDate;
use std::collections::HashMap;
use url::Url;

/// What the detectors know about the site beyond the one visit.
pub struct Context<'a> {
    /// The items and their words.
    pub rubric: &'a Rubric,
    /// The county's full name ("北安市"), for the issuer test.
    pub county: &'a str,
    /// The campaign window, first and last day included.
    pub window: (NaiveDate, NaiveDate),
    /// Homepage links that name the disclosure section itself (政务公开,
    /// 政府信息公开专栏; not 基层政务公开), by [`link_key`].
    pub hub_links: &'a HashMap<String, String>,
    /// The texts of every homepage link, by [`link_key`]: what the
    /// homepage says a page is (a script-drawn section's routes included).
    pub home_links: &'a HashMap<String, Vec<String>>,
    /// Digest of the visit's body as archived, for the evidence.
    pub sha256: &'a str,
    /// The registered domain the site declares as its own (`SiteDomain`),
    /// when it has said so: its other hosts are the county's too.
    pub own_domain: Option<&'a str>,
}

impl Context<'_> {
    fn in_window(&self, date: NaiveDate) -> bool {
        date >= self.window.0 && date <= self.window.1
    }

    /// `url` lives on the county's own host(s): the registered domain of the
    /// page that links it (or that host itself, for an address), or the
    /// domain the site declares. A list entry pointing elsewhere (the
    /// national bond platform, the city's site) is a pointer, not the
    /// county's publication.
    fn on_own_host(&self, url: &Url, page: &Url) -> bool {
        same_registered_domain(url, page)
            || self
                .own_domain
                .is_some_and(|d| registered_domain(url).as_deref() == Some(d))
    }
}

/// Every candidate one visit yields.
pub fn all(doc: &Doc, visit: &Visit, ctx: &Context) -> Vec<Candidate> {
    let mut out = Vec::new();
    let page = &visit.page;
    if visit.soft_404 || page.status >= 400 {
        dead_end(doc, visit, ctx, &mut out);
        return out;
    }
    if !(200..300).contains(&page.status) {
        return out;
    }
    for item in &ctx.rubric.items {
        let judging = Judging {
            item,
            doc,
            visit,
            ctx,
        };
        let found = match item.kind {
            ItemKind::Report => report::detect(&judging),
            ItemKind::Guide => guide::detect(&judging),
            ItemKind::Column => column::detect(&judging),
            ItemKind::Catalogue => catalogue::detect(&judging),
            ItemKind::Rules => rules::detect(&judging),
            ItemKind::List => list::detect(&judging),
            ItemKind::Domain => domain::detect(&judging),
            ItemKind::Debt => debt::detect(&judging),
        };
        out.extend(found);
    }
    out
}

/// One item judged on one visit: what every detector starts from, with the
/// steps they share.
struct Judging<'a> {
    item: &'a Item,
    doc: &'a Doc<'a>,
    visit: &'a Visit,
    ctx: &'a Context<'a>,
}

/// A document whose title names the item: the shared opening of the
/// detectors that judge single documents by their title.
struct Titled<'a> {
    /// The normalised title, as the notes quote it.
    title: &'a str,
    /// The longest topic word the title carries.
    topic: &'a str,
    /// The title without trailing bracketed notes: its last word is the kind.
    core: String,
}

impl<'a> Judging<'a> {
    /// A single document rather than a list page (an attachment counts as
    /// one even when listed): a list's entries are judged, not its frame.
    fn is_document(&self) -> bool {
        !self.doc.is_list || self.doc.is_attachment
    }

    /// The shared opening: a single document whose title names the item.
    fn titled(&self) -> Option<Titled<'a>> {
        if !self.is_document() {
            return None;
        }
        let title = self.doc.title.as_str();
        let topic = first_match(title, &self.item.topic)?;
        Some(Titled {
            title,
            topic,
            core: title_core(title),
        })
    }

    /// The kind test: the title's core ends as the item's kind and carries
    /// none of its excluded words.
    fn is_right_kind(&self, core: &str) -> bool {
        !contains_any(core, &self.item.exclude) && ends_with_any(core, &self.item.title_ends)
    }

    /// The evidence of this visit, quoting `excerpt`.
    fn evidence(&self, excerpt: String, published: Option<DateFact>) -> Evidence {
        let visit = self.visit;
        Evidence {
            url: visit.page.url.clone(),
            title: self.doc.title.clone(),
            excerpt,
            published,
            http_status: visit.page.status,
            sha256: self.ctx.sha256.to_string(),
            fetched_at: visit.fetched.fetched_at,
            tls_unverified: visit.fetched.tls_unverified,
            etag: visit.fetched.header("etag").map(String::from),
            last_modified: visit.fetched.header("last-modified").map(String::from),
            rendered: visit.page.rendered,
        }
    }

    /// A candidate verdict for the item, resting on this visit's evidence.
    fn verdict(
        &self,
        status: Status,
        code: ReasonCode,
        note: String,
        excerpt: String,
        published: Option<DateFact>,
    ) -> Candidate {
        let mut found = candidate(
            self.item,
            status,
            code,
            note,
            self.evidence(excerpt, published),
        );
        found.issuer_named = self.issuer_named();
        found
    }

    /// The document's title or 发布机构 names the county government or its
    /// office (not merely nothing else): for items judged by issuer only.
    fn issuer_named(&self) -> bool {
        if self.item.issuer_rule == IssuerRule::Any {
            return false;
        }
        let evidence = IssuerEvidence {
            title: &self.doc.title,
            publisher: self.doc.publisher.as_deref(),
            columns: Vec::new(),
        };
        let issuer = issuer_of(
            &evidence,
            &self.item.topic,
            self.ctx.county,
            &self.ctx.rubric.issuer,
        );
        matches!(issuer, Issuer::County | Issuer::Office)
    }

    /// A candidate verdict quoting the document's title and date.
    fn on_title(&self, status: Status, code: ReasonCode, note: String) -> Candidate {
        self.verdict(
            status,
            code,
            note,
            self.doc.title.clone(),
            self.doc.published,
        )
    }

    /// A list row that links to the county's own host(s): only such a row
    /// can be evidence of what the county published.
    fn own_row(&self, row: &Link) -> bool {
        self.ctx.on_own_host(&row.url, &self.visit.page.url)
    }

    /// A pass resting on one dated row of a list: the row's text and date
    /// are the excerpt, the list's page the evidence.
    fn dated_row_pass(&self, row: &Link, place: &str) -> Candidate {
        let date = row.date.unwrap_or_default();
        let fact = DateFact {
            date,
            source: DateSource::ListContext,
        };
        let note = format!("{place} 「{}」 dated {date}", row.text);
        let mut found = self.verdict(
            Status::Pass,
            ReasonCode::Found,
            note,
            format!("{} {date}", row.text),
            Some(fact),
        );
        found.confirmed_by = Some(row.url.clone());
        found
    }

    /// The issuer test as the item's rule reads it; `None` means acceptable.
    fn issuer_problem(&self) -> Option<(ReasonCode, String)> {
        let (item, doc, ctx) = (self.item, self.doc, self.ctx);
        if item.issuer_rule == IssuerRule::Any {
            return None;
        }
        let evidence = IssuerEvidence {
            title: &doc.title,
            publisher: doc.publisher.as_deref(),
            columns: doc.columns.iter().map(|c| c.as_str()).collect(),
        };
        match issuer_of(&evidence, &item.topic, ctx.county, &ctx.rubric.issuer) {
            Issuer::County | Issuer::Office | Issuer::Unknown => None,
            i @ (Issuer::Department(_) | Issuer::Township(_)) => Some((
                ReasonCode::DepartmentOnly,
                format!("issued by {}", i.describe()),
            )),
            i => Some((
                ReasonCode::WrongIssuer,
                format!("issued by {}", i.describe()),
            )),
        }
    }
}

fn candidate(
    item: &Item,
    status: Status,
    code: ReasonCode,
    note: String,
    evidence: Evidence,
) -> Candidate {
    Candidate {
        item: item.id.clone(),
        status,
        reason_code: code,
        note,
        evidence,
        issuer_named: false,
        confirmed_by: None,
    }
}

/// The publish date as a note states it.
fn describe_date(published: Option<DateFact>) -> String {
    match published {
        Some(fact) => format!("published {} ({:?})", fact.date, fact.source)
            .replace("(Visible)", "(发布日期 shown)"),
        None => "no publish date shown".to_string(),
    }
}

/// A link whose target answered 404 or with the homepage: for the items its
/// text names, that is a broken link (hard 404) or a soft 404.
fn dead_end(doc: &Doc, visit: &Visit, ctx: &Context, out: &mut Vec<Candidate>) {
    let via = match doc.found_via {
        Some(link) => link,
        None => return,
    };
    // The section itself (政务公开), not a sub-column whose name holds the
    // words (基层政务公开): its dead end is not the section's.
    let is_column_link = ctx.hub_links.contains_key(&link_key(&via.url));
    for item in &ctx.rubric.items {
        let named = contains_any(&via.text, &item.topic)
            || (item.kind == ItemKind::Column && is_column_link);
        if !named {
            continue;
        }
        let (status, code, note) = if visit.soft_404 {
            (
                Status::Inconclusive,
                ReasonCode::Soft404,
                format!(
                    "the link 「{}」 answers with the site's catch-all page (soft 404)",
                    via.text
                ),
            )
        } else {
            (
                Status::Fail,
                ReasonCode::BrokenLink,
                format!(
                    "the link 「{}」 answers HTTP {}",
                    via.text, visit.page.status
                ),
            )
        };
        let judging = Judging {
            item,
            doc,
            visit,
            ctx,
        };
        out.push(judging.verdict(status, code, note, via.text.clone(), None));
    }
}

#[cfg(test)]
mod tests;
