//! 7.catalogue: 政府信息公开目录 / 主动公开目录, or the 法定主动公开内容
//! tree with 索引号 metadata.
//!
//! The trap it guards against: a "目录" that only lists departments, each
//! with its own catalogue behind, is a 部门目录, not the county's.

use super::Judging;
use crate::audit::issuer::{classify_org, short_name, Issuer};
use crate::audit::text::{contains_any, first_match};
use crate::types::{Candidate, ReasonCode, Status};

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
    // The pre-2019 form: the catalogue as a table (信息名称, 公开形式, 责任部门…).
    let table = item
        .body_markers
        .iter()
        .filter(|m| doc.page.text.contains(m.as_str()))
        .count()
        >= 2;
    let has_content = if table {
        true
    } else if doc.is_list || doc.page.index_number.is_none() {
        (!doc.dated_rows().is_empty() || doc.content_links.len() >= 3)
            && !(doc.says_empty && doc.dated_rows().is_empty())
    } else {
        true
    };
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
    let mostly_departments = departments * 5 >= doc.content_links.len() * 4
        || departments >= 8 && departments * 2 >= doc.content_links.len();
    if doc.dated_rows().is_empty() && departments >= 3 && mostly_departments && !county_node {
        let note = format!("「{name}」 only lists departments ({departments}): a 部门目录, not the county's catalogue");
        return Some(verdict(Status::Fail, ReasonCode::DepartmentOnly, note));
    }
    if !has_content {
        let note = format!("「{name}」 has no entries");
        return Some(verdict(Status::Fail, ReasonCode::EmptyColumn, note));
    }
    let indexed = if doc.page.index_number.is_some() {
        " with 索引号 metadata"
    } else {
        ""
    };
    let note = format!("{form}: 「{name}」{indexed}");
    Some(verdict(Status::Pass, ReasonCode::Found, note))
}
