//! Item 4: the county's 权责清单, on its own site or in the provincial
//! system.
//!
//! On the site: a column or page with the lists (rows, a table, an article
//! or its attachments), not news about the work. Off the site: a link into
//! the provincial system counts when it leads to this county's list.

use super::{candidate, Judging};
use crate::audit::issuer::{classify_org, short_name, Issuer};
use crate::audit::text::contains_any;
use crate::rubric::{ItemKind, Rubric};
use crate::types::{Candidate, Evidence, Link, ReasonCode, Status};
use chrono::Utc;
use url::Url;

/// The list's candidate verdict, for a 权责清单 column or page.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc) = (j.item, j.doc);
    let names = doc.column_names();
    let name = names
        .iter()
        .find(|n| contains_any(n, &item.topic))
        .copied()?;
    if doc.is_list
        || doc.title != name
        || doc.content_links.len() >= 3 && doc.page.published.is_none()
    {
        if contains_any(&doc.title, &item.exclude) {
            return None;
        }
        let rows: Vec<&&Link> = doc
            .content_links
            .iter()
            .filter(|l| {
                (l.date.is_some()
                    || contains_any(&l.text, &item.topic)
                    || contains_any(&l.text, &item.row_words))
                    // News about the work (召开…部署会) and its 工作方案 are
                    // not the lists.
                    && !contains_any(&l.text, &item.exclude)
            })
            .collect();
        // A column of the county's departments, each name opening that
        // department's 权力清单和责任清单: the county's list, published by
        // department (「X县政府部门权责清单」).
        let departments: Vec<&&Link> = doc
            .content_links
            .iter()
            .filter(|l| {
                matches!(
                    classify_org(leading_name(&l.text), j.ctx.county, &j.ctx.rubric.issuer),
                    Issuer::Department(_)
                ) && !contains_any(&l.text, &item.exclude)
            })
            .collect();
        let rows = if rows.is_empty() && departments.len() >= 3 {
            departments
        } else {
            rows
        };
        let on_column =
            |status, code, note| j.verdict(status, code, note, name.to_string(), doc.published);
        // The list itself as a table on the page (事项名称, 实施主体, 设定依据…).
        let headings: Vec<&str> = item
            .body_markers
            .iter()
            .map(String::as_str)
            .filter(|m| doc.page.text.contains(m))
            .collect();
        if headings.len() >= 3 && !doc.is_attachment {
            let note = format!(
                "「{}」 publishes the list as a table ({})",
                doc.title,
                headings.join("、")
            );
            return Some(on_column(Status::Pass, ReasonCode::Found, note));
        }
        if let Some(first) = rows.first() {
            let note = format!(
                "「{name}」 lists {} entries, e.g. 「{}」",
                rows.len(),
                first.text
            );
            return Some(on_column(Status::Pass, ReasonCode::Found, note));
        }
        if !doc.is_list && doc.page.text.chars().count() >= 300 && doc.title.contains(name) {
            let note = format!("「{}」 publishes the list", doc.title);
            return Some(on_column(Status::Pass, ReasonCode::Found, note));
        }
        if doc.is_empty {
            let note = format!("「{name}」 is empty");
            return Some(on_column(Status::Fail, ReasonCode::EmptyColumn, note));
        }
        return None;
    }
    // An article: the list itself, not news about the work.
    if contains_any(&doc.title, &item.exclude) {
        return None;
    }
    let attachments = doc
        .content_links
        .iter()
        .filter(|l| is_attachment_url(&l.url))
        .count();
    if doc.page.text.chars().count() >= 300 || attachments > 0 || doc.is_attachment {
        let note = format!("「{}」 publishes the list", doc.title);
        return Some(j.on_title(Status::Pass, ReasonCode::Found, note));
    }
    None
}

/// A department tile's name without what follows it (「虎林市财政局 88项」,
/// 「财政局（88项）」).
fn leading_name(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || c.is_ascii_digit() || "（(：:".contains(c))
        .unwrap_or(text.len());
    &text[..end]
}

/// A link to a file (PDF, Word, Excel, WPS, OFD, archive) rather than a page.
fn is_attachment_url(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    [
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".zip", ".rar",
    ]
    .iter()
    .any(|ext| path.ends_with(ext))
}

/// An off-site 权责清单 link (the provincial system): this county's list
/// when the target names the county or its adcode, else the front page only.
pub fn external_list_link(
    link: &Link,
    parent: &Url,
    rubric: &Rubric,
    county: &str,
    adcode: Option<&str>,
) -> Option<Candidate> {
    let item = rubric.items.iter().find(|i| i.kind == ItemKind::List)?;
    if !contains_any(&link.text, &item.topic) && !contains_any(&link.section, &item.topic) {
        return None;
    }
    let target = format!("{}", link.url);
    let decoded: String = url::form_urlencoded::parse(link.url.query().unwrap_or("").as_bytes())
        .map(|(k, v)| format!("{k}={v} "))
        .collect::<String>()
        + &url::form_urlencoded::parse(link.url.path().as_bytes())
            .map(|(k, _)| k.into_owned())
            .collect::<String>();
    let names_county =
        decoded.contains(short_name(county)) || adcode.is_some_and(|a| target.contains(a));
    let ev = Evidence {
        url: parent.clone(),
        title: link.text.clone(),
        excerpt: format!("{} → {}", link.text, link.url),
        published: None,
        http_status: 200,
        sha256: String::new(),
        fetched_at: Utc::now(),
        tls_unverified: false,
        etag: None,
        last_modified: None,
        rendered: false,
    };
    if names_county {
        let note = format!(
            "the link 「{}」 leads to this county's list in an external system ({})",
            link.text, link.url
        );
        Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
    } else {
        let note = format!(
            "the link 「{}」 leads only to an external system's front page ({}); check by hand",
            link.text, link.url
        );
        Some(candidate(
            item,
            Status::Inconclusive,
            ReasonCode::ProvinceSystemFrontPage,
            note,
            ev,
        ))
    }
}
