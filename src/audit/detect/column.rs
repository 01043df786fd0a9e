//! 7.column: the disclosure column the homepage links, with content.
//!
//! Judged on the page a column label leads to: it passes when it holds
//! entries, dated rows or the platform's sub-columns, and fails when the
//! homepage's link opens an empty frame.

use super::Judging;
use crate::audit::document::link_key;
use crate::audit::text::{contains_any, first_match, normalise_title, years_named};
use crate::types::{Candidate, Link, ReasonCode, Status};

/// The column's candidate verdict, if a column label led to this page.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, visit, ctx) = (j.item, j.doc, j.visit, j.ctx);
    // A column label ("政务公开", "政府信息公开"), not a document title that
    // happens to contain the words.
    let label = |l: &&Link| {
        let text = normalise_title(&l.text);
        text.chars().count() <= 12
            && years_named(&text).is_empty()
            && !contains_any(&text, &item.exclude)
    };
    let via_home = doc
        .found_via
        .filter(|l| {
            ctx.column_links.contains_key(&link_key(&l.url))
                || visit.depth <= 1 && contains_any(&l.text, &item.topic)
        })
        .filter(label);
    let via = via_home.or_else(|| {
        doc.found_via
            .filter(|l| visit.depth <= 2 && first_match(&l.text, &item.topic).is_some())
            .filter(label)
    })?;
    // Content: entries of its own, sub-columns of the disclosure platform
    // (a hub page linking 指南, 制度, 年报 …), or dated rows.
    let rows = doc.content_links.len();
    let sub_columns = doc
        .page
        .links
        .iter()
        .filter(|l| l.url != doc.page.url && l.url != via.url)
        .filter(|l| {
            ctx.rubric
                .items
                .iter()
                .any(|i| i.id != item.id && contains_any(&l.text, &i.topic))
        })
        .count();
    let dated = doc.dated_rows().len();
    let empty = doc.says_empty && dated == 0 && rows < 6;
    let (status, code, note) = if (rows >= 3 || sub_columns >= 3 || dated >= 1) && !empty {
        let note = format!(
            "the homepage link 「{}」 opens a column with {rows} entries and {sub_columns} disclosure sub-columns",
            via.text
        );
        (Status::Pass, ReasonCode::Found, note)
    } else {
        let note = format!("the link 「{}」 opens a column without content", via.text);
        (Status::Fail, ReasonCode::EmptyColumn, note)
    };
    Some(j.verdict(status, code, note, via.text.clone(), None))
}
