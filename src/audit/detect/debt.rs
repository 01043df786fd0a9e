//! 21.debt: local government debt information published inside the window.
//!
//! Debt documents listed with a date, a page whose title names the debt and
//! gives figures, or a budget package carrying debt tables. News about debt
//! work (a headline, a 部署会) discloses nothing, and neither does a dated
//! entry linking to another host (the national bond platform): the
//! evidence must be on the county's own host(s).

use super::{describe_date, Judging};
use crate::audit::text::{contains_any, first_match};
use crate::types::{Candidate, Link, ReasonCode, Status};
use regex::Regex;
use std::sync::LazyLock;

/// A sum of money as debt disclosures state it (`12.35亿元`, `8,600万元`).
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d,，.]*\s*(?:亿元|万元)").expect("static regex"));

/// The debt item's candidate verdict, from a dated row or a debt document.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    let news_columns = &ctx.rubric.document.news_columns;
    // Debt documents listed with a date on this page.
    let debt_rows: Vec<&Link> = doc
        .page
        .links
        .iter()
        .filter(|l| contains_any(&l.text, &item.topic) && !contains_any(&l.text, &item.exclude))
        .collect();
    // A news list's row is a headline, not a disclosure: its article is
    // judged on its own.
    let news_list = doc
        .column_names()
        .iter()
        .chain(std::iter::once(&doc.title.as_str()))
        .any(|c| contains_any(c, news_columns));
    let listed: Vec<&&Link> = debt_rows
        .iter()
        .filter(|l| !news_list && !contains_any(&l.section, news_columns))
        .filter(|l| l.date.is_some_and(|d| ctx.in_window(d)))
        .collect();
    if let Some(row) = listed.iter().find(|l| j.own_row(l)) {
        return Some(j.dated_row_pass(row, "listed:"));
    }
    // A dated entry that links to another host (the national bond
    // platform) points at data elsewhere: not the county's publication.
    let pointer = listed.first().map(|away| {
        let note = format!(
            "the entry 「{}」 links to another host ({}): a pointer, not debt information on the county's own site",
            away.text,
            away.url.host_str().unwrap_or_default()
        );
        j.verdict(
            Status::Fail,
            ReasonCode::WrongKind,
            note,
            away.text.clone(),
            None,
        )
    });
    let own_rows: Vec<&Link> = debt_rows.iter().copied().filter(|l| j.own_row(l)).collect();
    document(j, &own_rows).or(pointer)
}

/// The page itself as a debt document: its title names the debt and it
/// gives figures, or it is a budget package carrying debt tables.
fn document(j: &Judging, debt_rows: &[&Link]) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    if !j.is_document() {
        return None;
    }
    let title = &doc.title;
    if contains_any(title, &item.exclude) {
        return None;
    }
    // A page whose title names the debt must give figures: news that the
    // county "发行新增专项债券支持重点项目建设" discloses nothing.
    let readable = !doc.page.text.is_empty();
    let figures = !readable || AMOUNT.is_match(&doc.page.text);
    let titled = first_match(title, &item.topic).map(|w| format!("the title names 「{w}」"));
    let package = contains_any(title, &item.packages).then(|| {
        first_match(&doc.page.text, &item.body_markers)
            .map(|w| format!("the budget package carries debt figures (「{w}」)"))
            .or_else(|| {
                debt_rows
                    .first()
                    .or_else(|| {
                        doc.content_links
                            .iter()
                            .find(|l| contains_any(&l.text, &item.body_markers))
                    })
                    .map(|l| format!("the budget package attaches 「{}」", l.text))
            })
    });
    let published = doc.published;
    // Outside the window the figures do not matter: it fails either way.
    let in_window = published.is_some_and(|p| ctx.in_window(p.date));
    let titled = titled.filter(|_| figures || !in_window);
    let why = titled.or(package.flatten())?;
    match published {
        Some(p) if ctx.in_window(p.date) => {
            let note = format!("「{title}」: {why}; {}", describe_date(published));
            Some(j.on_title(Status::Pass, ReasonCode::Found, note))
        }
        Some(p) => {
            let note = format!("「{title}」 is dated {} outside the window", p.date);
            Some(j.on_title(Status::Fail, ReasonCode::OutsideWindow, note))
        }
        None => None,
    }
}
