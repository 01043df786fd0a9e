//! Items 10.*: a key-domain column (营商环境, 减税降费, 教育 …) holding an
//! item dated inside the campaign window.
//!
//! Any issuer counts here; what decides is the date. A box of the domain on
//! any page, the domain's own column, or an article filed under it.

use super::{describe_date, Judging};
use crate::audit::text::contains_any;
use crate::types::{Candidate, Link, ReasonCode, Status};

/// The domain's candidate verdict, from a list of the domain or an article
/// filed under it.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    // Lists on this page whose box title names the domain.
    let in_window: Vec<&Link> = doc
        .page
        .links
        .iter()
        .filter(|l| {
            contains_any(&l.section, &item.topic) && !contains_any(&l.section, &item.exclude)
        })
        .filter(|l| l.date.is_some_and(|d| ctx.in_window(d)))
        .collect();
    if let Some(first) = in_window.first() {
        let place = format!("the list 「{}」 holds", first.section);
        return Some(j.dated_row_pass(first, &place));
    }
    // A section of a page given to the domain (一 page of 重点领域 with a
    // heading per domain) whose items are all dated outside the window.
    if let Some(row) = doc.page.links.iter().find(|l| {
        l.date.is_some()
            && !l.section.is_empty()
            && contains_any(&l.section, &item.topic)
            && !contains_any(&l.section, &item.exclude)
    }) {
        if doc.is_list {
            let note = format!(
                "the list 「{}」 holds items dated only outside the window",
                row.section
            );
            return Some(j.verdict(
                Status::Fail,
                ReasonCode::OutsideWindow,
                note,
                row.section.clone(),
                None,
            ));
        }
    }
    let names: Vec<&str> = if doc.is_list {
        doc.column_names()
    } else {
        doc.columns.iter().map(|c| c.as_str()).collect()
    };
    let name = names
        .iter()
        .find(|n| contains_any(n, &item.topic) && !contains_any(n, &item.exclude))
        .copied()?;
    if doc.is_list {
        let rows = doc.dated_rows();
        if let Some(first) = rows
            .iter()
            .find(|l| l.date.is_some_and(|d| ctx.in_window(d)))
        {
            let place = format!("the column 「{name}」 holds");
            return Some(j.dated_row_pass(first, &place));
        }
        let on_column = |code, note| j.verdict(Status::Fail, code, note, name.to_string(), None);
        if !rows.is_empty() {
            let note = format!("the column 「{name}」 holds items dated only outside the window");
            return Some(on_column(ReasonCode::OutsideWindow, note));
        }
        if doc.is_empty {
            let note = format!("the column 「{name}」 is empty");
            return Some(on_column(ReasonCode::EmptyColumn, note));
        }
        return None;
    }
    // An article filed under the domain's column.
    let published = doc.published?;
    let excerpt = format!("{} {}", doc.title, published.date);
    let (status, code, note) = if ctx.in_window(published.date) {
        let note = format!(
            "「{}」 in the column 「{name}」, {}",
            doc.title,
            describe_date(Some(published))
        );
        (Status::Pass, ReasonCode::Found, note)
    } else {
        let note = format!(
            "「{}」 in the column 「{name}」 is dated {} outside the window",
            doc.title, published.date
        );
        (Status::Fail, ReasonCode::OutsideWindow, note)
    };
    Some(j.verdict(status, code, note, excerpt, Some(published)))
}
