//! 7.column: the disclosure section the homepage links, with content.
//!
//! Judged on the page a link named for the section itself leads to
//! (政务公开, 政府信息公开, 信息公开专栏), never on one of its sub-columns
//! whose name merely holds the words (基层政务公开, 教育信息公开, 重点领域信息
//! 公开): the evidence is the section's own front page. It passes when the
//! page holds entries, dated rows or the platform's sub-columns (for a
//! section drawn by script, the routes into it the homepage links), and
//! fails when it opens an empty frame. The reason names the homepage link
//! only when the homepage has it.

use super::Judging;
use crate::audit::document::link_key;
use crate::audit::readability::{homepage_routes, names_the_section};
use crate::audit::text::{contains_any, normalise_title};
use crate::types::{Candidate, ReasonCode, Status};
use std::collections::HashSet;

/// The column's candidate verdict, if a link named for the section led to
/// this page.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, visit, ctx) = (j.item, j.doc, j.visit, j.ctx);
    let via = doc.found_via?;
    let text = normalise_title(&via.text);
    if !names_the_section(&text, &item.topic, &ctx.rubric.document.section_suffixes) {
        return None;
    }
    let key = link_key(&via.url);
    let on_homepage = ctx.hub_links.contains_key(&key);
    // Content: entries of its own, sub-columns of the disclosure platform
    // (a hub page linking 指南, 制度, 年报 …), or dated rows.
    let rows = doc.content_links.len();
    let names_another_item = |t: &str| {
        ctx.rubric
            .items
            .iter()
            .any(|i| i.id != item.id && contains_any(t, &i.topic))
    };
    let mut sub_columns: HashSet<&str> = doc
        .page
        .links
        .iter()
        .filter(|l| l.url != doc.page.url && l.url != via.url)
        .map(|l| l.text.as_str())
        .filter(|t| names_another_item(t))
        .collect();
    // A section drawn by script (a single-page application): its columns
    // are the routes into it that the homepage links (`/zwgk/#/column/101`).
    sub_columns.extend(homepage_routes(
        ctx.home_links,
        ctx.rubric,
        item,
        &via.url,
        &doc.page.url,
    ));
    let sub_columns = sub_columns.len();
    let dated = doc.dated_rows().len();
    let empty = doc.says_empty && dated == 0 && rows < 6;
    let link = if on_homepage {
        format!("the homepage link 「{}」", via.text)
    } else {
        let on = visit
            .parent
            .as_ref()
            .map(|p| format!(" on {p}"))
            .unwrap_or_default();
        format!("the link 「{}」{on}", via.text)
    };
    let (status, code, note) = if (rows >= 3 || sub_columns >= 3 || dated >= 1) && !empty {
        let note = format!(
            "{link} opens the disclosure section with {rows} entries and {sub_columns} disclosure sub-columns"
        );
        (Status::Pass, ReasonCode::Found, note)
    } else {
        let note = format!("{link} opens a disclosure section without content");
        (Status::Fail, ReasonCode::EmptyColumn, note)
    };
    Some(j.verdict(status, code, note, via.text.clone(), None))
}
