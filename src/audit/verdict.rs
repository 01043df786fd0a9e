//! From a site's candidates and its crawl coverage to one finding per item.
//!
//! A pass needs one passing candidate. Otherwise the crawl must have been
//! able to look: an unreachable or blocked site, a robots rule, an error or
//! the budget on a relevant link, or an inconclusive candidate (soft 404,
//! only national texts, an external system's front page) each make the
//! item `inconclusive`. Only then is it `fail`, with the most telling
//! near-miss as its reason.

use super::readability::{hub_reason, Unread};
use super::text::years_named;
use super::{Candidate, Finding, Status};
use crate::rubric::{ItemKind, Rubric};
use crate::types::{CrawlOutcome, ReasonCode, SiteStart};
use std::collections::HashMap;

/// How telling a failing near-miss is: the highest one names the failure.
/// A broken link to the report year's document is as near as a report of
/// the wrong year; one to another year's is barely a miss. Between equals,
/// the one that names the report year.
fn fail_rank(c: &Candidate, report_year: i32) -> (u8, u8) {
    let years = years_named(&c.evidence.excerpt);
    let names_year = years.contains(&report_year);
    // The county's own department is nearer than another government.
    let code = match c.reason_code {
        ReasonCode::Late => 10,
        ReasonCode::DepartmentOnly => 9,
        ReasonCode::WrongIssuer => 8,
        ReasonCode::WrongYear => 7,
        ReasonCode::BrokenLink if names_year => 7,
        ReasonCode::BrokenLink if !years.is_empty() => 1,
        ReasonCode::OutsideWindow => 6,
        ReasonCode::WrongKind => 5,
        ReasonCode::EmptyColumn => 4,
        ReasonCode::BrokenLink => 3,
        _ => 1,
    };
    (code, u8::from(names_year))
}

/// Which passing candidate to show: the whole county's over its office's,
/// one that names the county as issuer over one whose issuer is only
/// presumed (a unit's sub-site page without a name), then a shown 发布日期
/// over weaker dates. A column item (the 政务公开 section, the catalogue,
/// the 权责清单) is shown by its column, reached before its entries:
/// neither issuer naming nor dates rank it, and the first seen wins a tie. A document item keeps the
/// last seen of equals (an attachment after the article that links it: the
/// document itself).
fn pass_rank(c: &Candidate, kind: ItemKind) -> (u8, u8, u8) {
    let whole = u8::from(c.reason_code == ReasonCode::Found);
    // A column is told from a department's by `whole`; whether its page
    // names the county as issuer does not rank it above its own entries.
    let named = u8::from(c.issuer_named && !is_column_kind(kind));
    let dated = match c.evidence.published {
        _ if is_column_kind(kind) => 0,
        Some(p) => 8 - p.source as u8,
        None => 0,
    };
    (whole, named, dated)
}

/// Items judged on a column page rather than on one document.
fn is_column_kind(kind: ItemKind) -> bool {
    matches!(
        kind,
        ItemKind::Column | ItemKind::Catalogue | ItemKind::List
    )
}

fn start_blocker(outcome: &CrawlOutcome) -> Option<(ReasonCode, String)> {
    match &outcome.start {
        SiteStart::Reached { .. } => None,
        SiteStart::Unreachable { class, message } => {
            Some((ReasonCode::Unreachable, format!("the site could not be reached ({class:?}: {message})")))
        }
        SiteStart::Blocked { status, .. } => Some((
            ReasonCode::Blocked,
            format!("the site answered HTTP {status} with an anti-bot challenge; check by hand in a browser"),
        )),
        SiteStart::RobotsUnavailable { message } => Some((
            ReasonCode::RobotsUnavailable,
            format!("robots.txt could not be read ({message}); RFC 9309 says crawl nothing"),
        )),
        SiteStart::RobotsDisallowed => Some((ReasonCode::RobotsDisallowed, "robots.txt disallows the homepage".to_string())),
        SiteStart::MovedAway { to } => Some((
            ReasonCode::HomepageMoved,
            format!("the homepage redirects to {to}, another registered domain; if that is the county's new site, put it in the targets file"),
        )),
    }
}

/// What the crawl read of the site's lists: a `fail` says so.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reading {
    /// List pages (columns and their later pages) read.
    pub list_pages: usize,
    /// Dated entries those pages showed.
    pub entries: usize,
}

/// One finding per rubric item, in rubric order: the best candidate, or
/// `inconclusive` where relevant pages were not covered, else `fail`.
pub fn decide(
    rubric: &Rubric,
    candidates: Vec<Candidate>,
    not_covered: &HashMap<String, Vec<(ReasonCode, String)>>,
    unread_generic: &HashMap<String, Vec<String>>,
    unread: &Unread,
    reading: &Reading,
    outcome: &CrawlOutcome,
) -> Vec<Finding> {
    let mut by_item: HashMap<&str, Vec<&Candidate>> = HashMap::new();
    for c in &candidates {
        by_item.entry(c.item.as_str()).or_default().push(c);
    }
    let blocker = start_blocker(outcome);
    rubric
        .items
        .iter()
        .map(|item| {
            let found = by_item.remove(item.id.as_str()).unwrap_or_default();
            let finding =
                |status: Status, code: ReasonCode, reason: String, from: Option<&Candidate>| Finding {
                    item: item.id.clone(),
                    item_name: item.name.clone(),
                    status,
                    reason_code: code,
                    // A row read from the rendering browser says so: the
                    // evaluator checks it in a browser, not in the source.
                    reason: match from.is_some_and(|c| c.evidence.rendered) {
                        true => format!("{code} (rendered): {reason}"),
                        false => format!("{code}: {reason}"),
                    },
                    evidence: from.map(|c| c.evidence.clone()),
                };
            // `max_by` keeps the last of equals; for a column item the list
            // is reversed, so the first seen (the column before its later
            // pages and articles) wins a tie.
            let mut passes: Vec<&&Candidate> =
                found.iter().filter(|c| c.status == Status::Pass).collect();
            if is_column_kind(item.kind) {
                passes.reverse();
            }
            if let Some(best) = passes
                .into_iter()
                .max_by(|a, b| pass_rank(a, item.kind).cmp(&pass_rank(b, item.kind)))
            {
                return finding(
                    Status::Pass,
                    best.reason_code,
                    best.note.clone(),
                    Some(best),
                );
            }
            if let Some((code, why)) = &blocker {
                return finding(Status::Inconclusive, *code, why.clone(), None);
            }
            if let Some(why) = &unread.homepage {
                return finding(Status::Inconclusive, ReasonCode::HomepageUnreadable, why.clone(), None);
            }
            if outcome.blocked_midway {
                return finding(
                    Status::Inconclusive,
                    ReasonCode::Blocked,
                    "the site started answering with an anti-bot challenge during the crawl".into(),
                    None,
                );
            }
            if outcome.timed_out {
                return finding(
                    Status::Inconclusive,
                    ReasonCode::SiteTimeout,
                    format!(
                        "the site's time budget ran out after {} pages, before every relevant page was read",
                        outcome.pages_fetched
                    ),
                    None,
                );
            }
            if let Some(c) = found.iter().find(|c| c.status == Status::Inconclusive) {
                return finding(Status::Inconclusive, c.reason_code, c.note.clone(), Some(c));
            }
            if let Some(hub) = unread.hubs.first() {
                return finding(Status::Inconclusive, hub.code, hub_reason(hub), None);
            }
            if let Some(missed) = not_covered.get(&item.id) {
                for code in [
                    ReasonCode::RobotsDisallowed,
                    ReasonCode::Unreachable,
                    ReasonCode::Blocked,
                    ReasonCode::BudgetExhausted,
                    ReasonCode::DepthLimit,
                    ReasonCode::ScriptList,
                    ReasonCode::Unreadable,
                    ReasonCode::OutOfScope,
                ] {
                    let urls: Vec<&str> = missed
                        .iter()
                        .filter(|(c, _)| *c == code)
                        .map(|(_, u)| u.as_str())
                        .collect();
                    if let Some(first) = urls.first() {
                        let why = match code {
                            ReasonCode::RobotsDisallowed => "robots.txt disallows",
                            ReasonCode::Unreachable => "fetching failed for",
                            ReasonCode::Blocked => "an anti-bot challenge stopped the crawl before",
                            ReasonCode::OutOfScope => "another host of the county's domain (not crawled) holds",
                            ReasonCode::Unreadable => "only part of the body could be read of",
                            ReasonCode::DepthLimit => "the crawl's click-depth limit left unvisited",
                            _ => "the page budget ran out before",
                        };
                        let reason = if code == ReasonCode::ScriptList {
                            format!(
                                "{} relevant list page(s) are filled by a script whose data request could not be reproduced without a browser, e.g. {first}",
                                urls.len()
                            )
                        } else {
                            format!("{why} {} relevant link(s), e.g. {first}", urls.len())
                        };
                        return finding(Status::Inconclusive, code, reason, None);
                    }
                }
            }
            if outcome.skips_unreported > 0 {
                return finding(
                    Status::Inconclusive,
                    ReasonCode::BudgetExhausted,
                    format!(
                        "the site links more pages than govcheck keeps track of ({} skipped links were not looked at), so nothing can be claimed absent",
                        outcome.skips_unreported
                    ),
                    None,
                );
            }
            if let Some(c) = found
                .iter()
                .filter(|c| c.status == Status::Fail)
                .max_by_key(|c| fail_rank(c, rubric.rubric.report_year))
            {
                return finding(Status::Fail, c.reason_code, c.note.clone(), Some(c));
            }
            if let Some(urls) = unread_generic.get(&item.id) {
                let reason = format!(
                    "nothing of its own was found, and {} disclosure page(s) drawn or filled by a script could not be read without a browser, e.g. {}",
                    urls.len(),
                    urls[0]
                );
                return finding(Status::Inconclusive, ReasonCode::ScriptList, reason, None);
            }
            let reason = format!(
                "nothing on the site matched: {} list pages read ({} dated entries) among {} pages visited, and no link pointing at the item was left unvisited",
                reading.list_pages, reading.entries, outcome.pages_fetched
            );
            finding(Status::Fail, ReasonCode::NotFound, reason, None)
        })
        .collect()
}
