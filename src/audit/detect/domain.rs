//! Items 10.*: a key-domain column (营商环境, 减税降费, 教育 …) holding an
//! item dated inside the campaign window.
//!
//! Any issuer counts here; what decides is the date. A box of the domain on
//! any page, the domain's own column (named by the rubric's words, or
//! whose dated entries name the domain), or an article filed under it.
//! Whether a name or an entry is the domain's is one rule
//! (`relevance::names_topic`), the one the crawl steered by. Only entries
//! on the county's own host(s) count: a row linking elsewhere is a pointer.
//! A department's name (教育局) is not a domain's column.

use super::{describe_date, Judging};
use crate::audit::issuer::{classify_org, title_prefix, Issuer};
use crate::audit::relevance::{entries_name, names_topic};
use crate::audit::text::contains_any;
use crate::types::{Candidate, Link, ReasonCode, Status};

/// The domain's candidate verdict, from a list of the domain or an article
/// filed under it.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    // Lists on this page whose box title names the domain.
    let boxed: Vec<&Link> = doc
        .page
        .links
        .iter()
        .filter(|l| l.date.is_some() && names_topic(item, &l.section))
        .collect();
    if let Some(first) = boxed
        .iter()
        .find(|l| l.date.is_some_and(|d| ctx.in_window(d)) && j.own_row(l))
    {
        let place = format!("the list 「{}」 holds", first.section);
        return Some(j.dated_row_pass(first, &place));
    }
    // A section of a page given to the domain (一 page of 重点领域 with a
    // heading per domain) whose items are all dated outside the window, or
    // lead only to other hosts.
    if let Some(row) = boxed.first().filter(|_| doc.is_list) {
        if let Some(away) = pointer(j, &row.section, &boxed) {
            return Some(away);
        }
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
    let names: Vec<&str> = if doc.is_list {
        doc.column_names()
    } else {
        doc.columns.iter().map(|c| c.as_str()).collect()
    };
    // A department's or a township's name (教育局, 营商环境建设监督局) says
    // whose sub-site a page is on, not which domain it is about.
    let organisation = |n: &str| {
        matches!(
            classify_org(n, ctx.county, &ctx.rubric.issuer),
            Issuer::Department(_) | Issuer::Township(_)
        )
    };
    let Some(name) = names
        .iter()
        .find(|n| names_topic(item, n) && !organisation(n))
        .copied()
    else {
        return by_entries(j);
    };
    if doc.is_list {
        let all_rows = doc.dated_rows();
        let rows: Vec<&Link> = all_rows.iter().copied().filter(|l| j.own_row(l)).collect();
        if let Some(first) = rows
            .iter()
            .find(|l| l.date.is_some_and(|d| ctx.in_window(d)))
        {
            let place = format!("the column 「{name}」 holds");
            return Some(j.dated_row_pass(first, &place));
        }
        let on_column = |code, note| j.verdict(Status::Fail, code, note, name.to_string(), None);
        if let Some(away) = pointer(j, name, &all_rows) {
            return Some(away);
        }
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

/// A fail for a list of the domain whose entries in the window all lead to
/// other hosts: pointers, not the county's publications.
fn pointer(j: &Judging, name: &str, rows: &[&Link]) -> Option<Candidate> {
    let away = rows
        .iter()
        .find(|l| l.date.is_some_and(|d| j.ctx.in_window(d)))?;
    let note = format!(
        "the column 「{name}」's entries in the window link to other hosts (「{}」 → {}), not to the county's own pages",
        away.text,
        away.url.host_str().unwrap_or_default()
    );
    Some(j.verdict(
        Status::Fail,
        ReasonCode::WrongKind,
        note,
        name.to_string(),
        None,
    ))
}

/// A list not named for the domain whose dated entries are the domain's
/// (a column 「优化发展环境」 of 营商环境 items): it counts as the domain's
/// column when an entry in the window names it. A news list does not: its
/// rows are headlines.
fn by_entries(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    if !doc.is_list || doc.is_attachment {
        return None;
    }
    let news = &ctx.rubric.document.news_columns;
    // A column another item names (年报, 政策文件) is that item's, whatever
    // its entries mention; generic disclosure words (政务公开) name none.
    let generic = &ctx.rubric.crawl.generic_leads;
    let names_other = |n: &str| {
        ctx.rubric.items.iter().any(|other| {
            other.id != item.id
                && other
                    .topic
                    .iter()
                    .any(|w| !generic.contains(w) && n.contains(w.as_str()))
        })
    };
    if doc
        .column_names()
        .iter()
        .any(|n| contains_any(n, news) || names_other(n))
    {
        return None;
    }
    let dated: Vec<&Link> = doc
        .dated_rows()
        .into_iter()
        .filter(|l| j.own_row(l) && !contains_any(&l.section, news))
        .collect();
    let wanted: Vec<&Link> = dated
        .iter()
        .copied()
        .filter(|l| l.date.is_some_and(|d| ctx.in_window(d)))
        .collect();
    // An entry's issuer (「讷河市教育局2023年部门预算」) is not its subject.
    let vocab = &ctx.rubric.issuer;
    let subject = |title: &str| {
        let prefix = title_prefix(title, &[], vocab);
        match classify_org(prefix, ctx.county, vocab) {
            Issuer::Department(_) | Issuer::Township(_) => title.replacen(prefix, "", 1),
            _ => title.to_string(),
        }
    };
    let row = entries_name(item, &dated, &wanted, subject)?;
    let place = format!(
        "the column 「{}」, whose entries name the domain, holds",
        doc.title
    );
    Some(j.dated_row_pass(row, &place))
}
