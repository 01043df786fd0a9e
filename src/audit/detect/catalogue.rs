//! 7.catalogue: 政府信息公开目录 / 主动公开目录, or the 法定主动公开内容
//! tree with 索引号 metadata.
//!
//! The evidence is the catalogue or tree page itself — the page whose own
//! name (title or ColumnName) is the catalogue's — never one article filed
//! under it nor a sub-column of the tree, and the reason says what made it
//! a catalogue: its entries, its sub-columns, or the table of rows it
//! publishes (索引号-shaped codes or dated entries, with or without links).
//!
//! The trap it guards against: a "目录" that only lists departments, each
//! with its own catalogue behind, is a 部门目录, not the county's.

use super::Judging;
use crate::audit::issuer::{classify_org, short_name, Issuer};
use crate::audit::text::{contains_any, first_match, normalise_title};
use crate::rubric::ItemKind;
use crate::types::{Candidate, ReasonCode, Status};
use regex::Regex;
use std::sync::OnceLock;

/// The catalogue's candidate verdict, if the page's column is one.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    let names = doc.column_names();
    let name = names
        .iter()
        .find(|n| contains_any(n, &item.topic) && !contains_any(n, &item.exclude))?;
    let word = first_match(name, &item.topic)?;
    let form = if contains_any(word, &item.tree_words) {
        "the 法定主动公开内容 tree"
    } else {
        "a 目录"
    };
    let verdict =
        |status, code, note| j.verdict(status, code, note, name.to_string(), doc.published);
    if let Some((code, why)) = j.issuer_problem() {
        return Some(verdict(Status::Fail, code, format!("「{name}」 {why}")));
    }
    // The catalogue page itself: named so by its own title or ColumnName
    // (not only by the breadcrumb above an article or a sub-column), and
    // not opened as another item's sub-column (a `?tab=` view of the same
    // template reached by 「政策文件」).
    let own_name = std::iter::once(doc.title.as_str())
        .chain(doc.page.meta.get("columnname").map(String::as_str))
        .any(|n| contains_any(n, &item.topic) && !contains_any(n, &item.exclude));
    if !own_name || opened_as_other_column(j) {
        return None;
    }
    // The catalogue as a table on the page: the pre-2019 headings (信息名称,
    // 公开形式, 责任部门…) or, whatever the headings, rows carrying
    // 索引号-shaped codes or dates, links or not.
    let headings = item
        .body_markers
        .iter()
        .filter(|m| doc.page.text.contains(m.as_str()))
        .count();
    let codes = index_codes(&doc.page.text);
    let dates = dated_entries(&doc.page.text);
    let dated_rows = doc.dated_rows().len();
    let entries = doc.content_links.len();
    // Under a 索引号 column heading, two coded rows are a table already
    // (a young tree whose other rows sit in its sub-columns).
    let coded_table = codes >= 3 || codes >= 2 && doc.page.text.contains("索引号");
    let table = if coded_table {
        Some(format!("a table of entries with {codes} 索引号 codes"))
    } else if headings >= 2 && dates >= 3 {
        Some(format!(
            "a table of {dates} dated entries under catalogue headings"
        ))
    } else if headings >= 2 {
        Some("a table under catalogue headings (信息名称, 公开形式 …)".to_string())
    } else if dates >= 3 && entries < 3 {
        Some(format!("a table of {dates} dated entries"))
    } else {
        None
    };
    // A dated article filed under the tree is not the tree (unless its body
    // is the catalogue's table, updated on a date).
    let single_article = !doc.is_list && doc.page.published.is_some() && !doc.is_attachment;
    if single_article && table.is_none() {
        return None;
    }
    // A "目录" that only lists departments (each with its own catalogue
    // behind) is a 部门目录, not the county's catalogue.
    let units: Vec<Issuer> = doc
        .content_links
        .iter()
        .map(|l| classify_org(&l.text, ctx.county, &ctx.rubric.issuer))
        .collect();
    let departments = units
        .iter()
        .filter(|u| matches!(u, Issuer::Department(_) | Issuer::Township(_)))
        .count();
    // The county government's own node beside the departments' is the
    // county's catalogue, to be followed.
    let short = short_name(ctx.county);
    let county_node = doc
        .content_links
        .iter()
        .zip(&units)
        .any(|(l, u)| matches!(u, Issuer::County | Issuer::Office) && l.text.contains(short));
    // Mostly departments, or a long run of them beside a side menu.
    let mostly_departments =
        departments * 5 >= entries * 4 || departments >= 8 && departments * 2 >= entries;
    if dated_rows == 0 && table.is_none() && departments >= 3 && mostly_departments && !county_node
    {
        let note = format!("「{name}」 only lists departments ({departments}): a 部门目录, not the county's catalogue");
        return Some(verdict(Status::Fail, ReasonCode::DepartmentOnly, note));
    }
    let sub_columns = doc
        .content_links
        .iter()
        .filter(|l| l.date.is_none() && normalise_title(&l.text).chars().count() <= 12)
        .count();
    let what = if let Some(table) = table {
        table
    } else if dated_rows >= 1 {
        format!("{dated_rows} dated entries")
    } else if entries >= 3 && !doc.says_empty {
        format!("{entries} entries ({sub_columns} of them sub-columns)")
    } else if !doc.is_list && doc.page.index_number.is_some() {
        "a page with 索引号 metadata".to_string()
    } else {
        let note = format!("「{name}」 has no entries");
        return Some(verdict(Status::Fail, ReasonCode::EmptyColumn, note));
    };
    let note = format!("{form} 「{name}」: {what}");
    Some(verdict(Status::Pass, ReasonCode::Found, note))
}

/// The link that opened the page names another item's column (政策文件,
/// 财政预决算): the page is that sub-column's view, even when it shares the
/// catalogue's template and title.
fn opened_as_other_column(j: &Judging) -> bool {
    let Some(via) = j.doc.found_via else {
        return false;
    };
    // The link's text, or for a data request without one, its address's
    // words (`…/gfxwj.json`, `?tab=gfxwj`).
    let text = normalise_title(&via.text);
    let words = if text.is_empty() {
        format!("{}?{}", via.url.path(), via.url.query().unwrap_or("")).to_lowercase()
    } else {
        text
    };
    let names = |topic: &[String], leads: &[String]| {
        contains_any(&words, topic)
            || leads
                .iter()
                .any(|l| words.contains(l.to_lowercase().as_str()))
    };
    if names(&j.item.topic, &j.item.leads) {
        return false;
    }
    j.ctx
        .rubric
        .items
        .iter()
        .any(|i| i.id != j.item.id && i.kind != ItemKind::Column && names(&i.topic, &i.leads))
}

/// How many 索引号-shaped codes a text carries: an identifier (an
/// organisation code or a number of six or more characters), a year and a
/// serial (`000014349/2023-00031`, `11231102MB0X12345A/2022-00012`,
/// `231102-2023-000123`).
fn index_codes(text: &str) -> usize {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"[0-9A-Z]{6,20}[-/／](?:19|20)\d{2}[-/／]\d{2,8}").expect("static regex")
    });
    re.find_iter(text).count()
}

/// How many full dates (2023-01-18, 2023/1/18, 2023年1月18日) a text shows.
fn dated_entries(text: &str) -> usize {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)")
            .expect("static regex")
    });
    re.find_iter(text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_codes_are_counted_in_their_usual_shapes() {
        let text = "000014349/2023-00031 关于… 2023-01-18\n11231102MB0X12345A/2022-00012 \
                    231102-2023-000123 电话 0456-1234567";
        assert_eq!(index_codes(text), 3);
        assert_eq!(dated_entries(text), 1);
        assert_eq!(dated_entries("2022年7月1日 2023/6/30"), 2);
    }
}
