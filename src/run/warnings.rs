//! The conditions that change how a run's verdicts must be read: the run
//! not recorded in the history, robots.txt or an anti-bot challenge keeping
//! a site (or part of it) out, a page or time budget spent, pages read
//! without a verified certificate.
//!
//! They are known in different places — the history when the run opens,
//! each site's crawl outcome and findings when it ends — and scroll past
//! among the progress lines. Collected here as one type, they are said once
//! when they happen and repeated in a short "Warnings" block under the
//! final table, also under `--quiet`.

use super::SiteReport;
use crate::types::{ReasonCode, SiteStart, Status};
use std::fmt;

/// One condition of a run that changes how its verdicts read, and the
/// site it concerns (none for the run as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunWarning {
    /// The county whose site it concerns; none for the whole run.
    pub county: Option<String>,
    /// What happened.
    pub condition: Condition,
}

/// What happened, in the words the summary uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The history database could not be used (another run holds it, or it
    /// cannot be opened): `diff`, `history` and `check` will not know this
    /// run. Why, as the history said it.
    NotRecorded(String),
    /// The open-file limit is below what the sites in flight may need:
    /// sites may fail with "too many open files". What to do, in words.
    OpenFiles(String),
    /// The rendering browser would not start (why): lists only a browser
    /// can read stayed `script_list`.
    RenderingOff(String),
    /// robots.txt disallows the homepage: nothing was checked.
    RobotsDisallowHomepage,
    /// robots.txt could not be read, which RFC 9309 reads as disallow all:
    /// nothing was checked. What the server said.
    RobotsUnavailable(String),
    /// robots.txt disallows pages these many rows needed.
    RobotsKeptRowsOpen(usize),
    /// An anti-bot challenge answered the homepage (HTTP status): nothing
    /// was checked.
    BlockedHomepage(u16),
    /// An anti-bot challenge appeared partway and the host was left.
    BlockedMidway,
    /// These sections answered with a challenge and were left alone.
    BlockedSections(Vec<String>),
    /// The page budget ran out after these many pages.
    BudgetExhausted(usize),
    /// The site's time budget ran out after these many pages.
    SiteTimeout(usize),
    /// These many pages were read although their TLS certificate did not
    /// verify.
    TlsUnverified(usize),
}

impl RunWarning {
    /// The run is not recorded in the history, for `why`.
    pub fn not_recorded(why: String) -> RunWarning {
        RunWarning {
            county: None,
            condition: Condition::NotRecorded(why),
        }
    }

    /// Too few open files for the sites in flight, as `advice` says.
    pub fn open_files(advice: String) -> RunWarning {
        RunWarning {
            county: None,
            condition: Condition::OpenFiles(advice),
        }
    }

    /// The rendering browser would not start, for `why`.
    pub fn rendering_off(why: String) -> RunWarning {
        RunWarning {
            county: None,
            condition: Condition::RenderingOff(why),
        }
    }

    /// The conditions of one site's crawl that change how its rows read,
    /// from its crawl outcome and findings.
    pub fn of_site(site: &SiteReport) -> Vec<RunWarning> {
        let outcome = &site.outcome;
        let mut conditions = Vec::new();
        match &outcome.start {
            SiteStart::RobotsDisallowed => conditions.push(Condition::RobotsDisallowHomepage),
            SiteStart::RobotsUnavailable { message } => {
                conditions.push(Condition::RobotsUnavailable(message.clone()))
            }
            SiteStart::Blocked { status, .. } => {
                conditions.push(Condition::BlockedHomepage(*status))
            }
            SiteStart::Reached { .. } => {
                let robots_rows = site
                    .findings
                    .iter()
                    .filter(|f| {
                        f.status == Status::Inconclusive
                            && f.reason_code == ReasonCode::RobotsDisallowed
                    })
                    .count();
                if robots_rows > 0 {
                    conditions.push(Condition::RobotsKeptRowsOpen(robots_rows));
                }
            }
            SiteStart::Unreachable { .. } | SiteStart::MovedAway { .. } => {}
        }
        if outcome.blocked_midway {
            conditions.push(Condition::BlockedMidway);
        }
        if !outcome.blocked_sections.is_empty() {
            conditions.push(Condition::BlockedSections(outcome.blocked_sections.clone()));
        }
        if outcome.budget_exhausted {
            conditions.push(Condition::BudgetExhausted(outcome.pages_fetched));
        }
        if outcome.timed_out {
            conditions.push(Condition::SiteTimeout(outcome.pages_fetched));
        }
        if outcome.tls_unverified_pages > 0 {
            conditions.push(Condition::TlsUnverified(outcome.tls_unverified_pages));
        }
        conditions
            .into_iter()
            .map(|condition| RunWarning {
                county: Some(site.county.clone()),
                condition,
            })
            .collect()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::NotRecorded(why) => write!(
                f,
                "this run is not recorded in the history ({why}); diff, history and check will not know it"
            ),
            Condition::OpenFiles(advice) => f.write_str(advice),
            Condition::RenderingOff(why) => write!(
                f,
                "the browser for lists built by script would not start ({why}); their rows stayed script_list"
            ),
            Condition::RobotsDisallowHomepage => {
                f.write_str("robots.txt disallows the homepage; nothing on the site was checked")
            }
            Condition::RobotsUnavailable(message) => write!(
                f,
                "robots.txt could not be read ({message}), which means disallow all; nothing on the site was checked"
            ),
            Condition::RobotsKeptRowsOpen(rows) => write!(
                f,
                "robots.txt disallows pages {rows} row(s) needed; they are inconclusive"
            ),
            Condition::BlockedHomepage(status) => write!(
                f,
                "an anti-bot challenge (HTTP {status}) answered the homepage; nothing on the site was checked"
            ),
            Condition::BlockedMidway => f.write_str(
                "an anti-bot challenge stopped the crawl partway; rows still open are inconclusive",
            ),
            Condition::BlockedSections(sections) => write!(
                f,
                "an anti-bot challenge guards {}; those sections were not read",
                sections.join(", ")
            ),
            Condition::BudgetExhausted(pages) => write!(
                f,
                "the page budget ran out after {pages} pages (--max-pages); rows still open are inconclusive"
            ),
            Condition::SiteTimeout(pages) => write!(
                f,
                "the site's time budget ran out after {pages} pages (--site-timeout); rows still open are inconclusive"
            ),
            Condition::TlsUnverified(pages) => write!(
                f,
                "{pages} page(s) read although their TLS certificate did not verify (--strict-tls refuses them)"
            ),
        }
    }
}

impl fmt::Display for RunWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.county {
            Some(county) => write!(f, "{county}: {}", self.condition),
            None => self.condition.fmt(f),
        }
    }
}

/// The "Warnings" block printed under the final table; empty when there
/// are none.
pub fn warnings_summary(warnings: &[RunWarning]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let mut block = String::from("\nWarnings (they change how to read the table):\n");
    for warning in warnings {
        block.push_str(&format!("  {warning}\n"));
    }
    // Messages can come from servers: no escape sequence reaches the
    // terminal.
    crate::util::without_controls(&block).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_warnings_print_nothing() {
        assert_eq!(warnings_summary(&[]), "");
    }

    #[test]
    fn the_block_names_each_site_and_drops_control_characters() {
        let warnings = [
            RunWarning::not_recorded("busy".into()),
            RunWarning {
                county: Some("北安市".into()),
                condition: Condition::RobotsUnavailable("HTTP 503\u{1b}[31m".into()),
            },
        ];
        let block = warnings_summary(&warnings);
        assert!(block.contains("Warnings"), "{block}");
        assert!(
            block.contains("  this run is not recorded in the history (busy)"),
            "{block}"
        );
        assert!(
            block.contains("  北安市: robots.txt could not be read"),
            "{block}"
        );
        assert!(!block.contains('\u{1b}'), "{block}");
    }
}
