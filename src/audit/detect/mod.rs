//! The detectors: pure functions from one document (or one link) to
//! candidate verdicts for the items it bears on.
//!
//! Each applies DOMAIN.md's four tests as its item needs them — kind
//! (title's last word, excluded words), year (title, then body), issuer
//! (title prefix, 发布机构, column tree) and date (发布日期, never 成文日期)
//! — plus "real content" (not a 404, a soft-404 or an empty column).

use super::document::{link_key, Doc};
use super::issuer::{issuer_of, Issuer, IssuerEvidence};
use super::text::{
    body_report_year, contains_any, ends_with_any, first_match, title_core, years_named,
};
use super::{Candidate, Evidence, Status};
use crate::rubric::{IssuerRule, Item, ItemKind, Rubric, YearRule};
use crate::types::ReasonCode;
use crate::types::Visit;
use crate::types::{DateFact, Link};
use chrono::{Datelike, NaiveDate, Utc};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;
use url::Url;

pub struct Context<'a> {
    pub rubric: &'a Rubric,
    pub county: &'a str,
    pub window: (NaiveDate, NaiveDate),
    pub column_links: &'a HashMap<String, String>,
    pub sha256: &'a str,
}

impl Context<'_> {
    fn in_window(&self, date: NaiveDate) -> bool {
        date >= self.window.0 && date <= self.window.1
    }
}

/// Standard sub-column labels: a link with exactly this text is navigation,
/// not a document.
const NAV_LABELS: &[&str] = &[
    "政府信息公开指南",
    "政府信息公开制度",
    "法定主动公开内容",
    "政府信息公开年报",
    "政府信息公开目录",
    "信息公开指南",
    "信息公开制度",
    "信息公开年报",
    "主动公开目录",
    "依申请公开",
    "政务公开",
];

/// Every candidate one visit yields.
pub fn all(doc: &Doc, visit: &Visit, ctx: &Context) -> Vec<Candidate> {
    let mut out = Vec::new();
    let page = &visit.page;
    if visit.soft_404 || page.status >= 400 {
        dead_end(doc, visit, ctx, &mut out);
        return out;
    }
    if !(200..300).contains(&page.status) {
        return out;
    }
    for item in &ctx.rubric.items {
        let found = match item.kind {
            ItemKind::Report => report(item, doc, visit, ctx),
            ItemKind::Guide => guide(item, doc, visit, ctx),
            ItemKind::Column => column(item, doc, visit, ctx),
            ItemKind::Catalogue => catalogue(item, doc, visit, ctx),
            ItemKind::Rules => rules(item, doc, visit, ctx),
            ItemKind::List => list(item, doc, visit, ctx),
            ItemKind::Domain => domain(item, doc, visit, ctx),
            ItemKind::Debt => debt(item, doc, visit, ctx),
        };
        out.extend(found);
    }
    out
}

fn evidence(
    doc: &Doc,
    visit: &Visit,
    ctx: &Context,
    excerpt: String,
    published: Option<DateFact>,
) -> Evidence {
    Evidence {
        url: visit.page.url.clone(),
        title: doc.title.clone(),
        excerpt,
        published,
        http_status: visit.page.status,
        sha256: ctx.sha256.to_string(),
        fetched_at: visit.fetched.fetched_at,
        tls_unverified: visit.fetched.tls_unverified,
        etag: visit.fetched.header("etag").map(String::from),
        last_modified: visit.fetched.header("last-modified").map(String::from),
    }
}

fn candidate(
    item: &Item,
    status: Status,
    code: ReasonCode,
    note: String,
    evidence: Evidence,
) -> Candidate {
    Candidate {
        item: item.id.clone(),
        status,
        reason_code: code,
        note,
        evidence,
    }
}

fn describe_date(published: Option<DateFact>) -> String {
    match published {
        Some(fact) => format!("published {} ({:?})", fact.date, fact.source)
            .replace("(Visible)", "(发布日期 shown)"),
        None => "no publish date shown".to_string(),
    }
}

/// A link whose target answered 404 or with the homepage: for the items its
/// text names, that is a broken link (hard 404) or a soft 404.
fn dead_end(doc: &Doc, visit: &Visit, ctx: &Context, out: &mut Vec<Candidate>) {
    let via = match doc.found_via {
        Some(link) => link,
        None => return,
    };
    let is_column_link = ctx.column_links.contains_key(&link_key(&via.url));
    for item in &ctx.rubric.items {
        let named = contains_any(&via.text, &item.topic)
            || (item.kind == ItemKind::Column && is_column_link);
        if !named {
            continue;
        }
        let (status, code, note) = if visit.soft_404 {
            (
                Status::Inconclusive,
                ReasonCode::Soft404,
                format!(
                    "the link 「{}」 answers with the site's catch-all page (soft 404)",
                    via.text
                ),
            )
        } else {
            (
                Status::Fail,
                ReasonCode::BrokenLink,
                format!(
                    "the link 「{}」 answers HTTP {}",
                    via.text, visit.page.status
                ),
            )
        };
        let ev = evidence(doc, visit, ctx, via.text.clone(), None);
        out.push(candidate(item, status, code, note, ev));
    }
}

/// The issuer test as an item's rule reads it; `None` means acceptable.
fn issuer_problem(item: &Item, doc: &Doc, ctx: &Context) -> Option<(ReasonCode, String)> {
    if item.issuer_rule == IssuerRule::Any {
        return None;
    }
    let evidence = IssuerEvidence {
        title: &doc.title,
        publisher: doc.publisher.as_deref(),
        columns: doc.columns.iter().map(|c| c.as_str()).collect(),
    };
    match issuer_of(&evidence, &item.topic, ctx.county, &ctx.rubric.issuer) {
        Issuer::County | Issuer::Office | Issuer::Unknown => None,
        i @ (Issuer::Department(_) | Issuer::Township(_)) => Some((
            ReasonCode::DepartmentOnly,
            format!("issued by {}", i.describe()),
        )),
        i => Some((
            ReasonCode::WrongIssuer,
            format!("issued by {}", i.describe()),
        )),
    }
}

fn is_office_title(doc: &Doc, item: &Item, ctx: &Context) -> bool {
    let prefix = super::issuer::title_prefix(&doc.title, &item.topic);
    super::issuer::classify_org(prefix, ctx.county, &ctx.rubric.issuer) == Issuer::Office
}

/// Items 3 and 9: a report of the county for the report year.
fn report(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
    if doc.is_list && !doc.is_attachment {
        return None;
    }
    let title = &doc.title;
    let topic = first_match(title, &item.topic)?;
    let core = title_core(title);
    let miss = |code: ReasonCode, note: String| {
        let ev = evidence(doc, visit, ctx, title.clone(), doc.published);
        Some(candidate(item, Status::Fail, code, note, ev))
    };
    // Kind: the title must end as a report, without plan or notice words.
    if contains_any(&core, &item.exclude) || !ends_with_any(&core, &item.title_ends) {
        let looks_like_paper = ["报告", "要点", "计划", "方案", "通知", "年报"]
            .iter()
            .any(|w| core.contains(w));
        return if looks_like_paper {
            miss(
                ReasonCode::WrongKind,
                format!("「{title}」 is not the report itself"),
            )
        } else {
            None
        };
    }
    // Year: named in the title, else stated in the body.
    let year = ctx.rubric.rubric.report_year;
    let years = years_named(&core);
    let year_ok = if item.year_rule != YearRule::ReportYear {
        true
    } else if !years.is_empty() {
        years.contains(&year)
    } else if let Some(body_year) = body_report_year(&doc.page.text) {
        body_year == year
    } else {
        doc.published
            .is_some_and(|p| p.date.year() == year + 1 && p.date.month() <= 6)
    };
    if !year_ok {
        let named = years
            .first()
            .map(|y| format!("{y}"))
            .unwrap_or_else(|| "no year".into());
        return miss(
            ReasonCode::WrongYear,
            format!("「{title}」 is about {named}, not {year}"),
        );
    }
    // Issuer.
    let office = item.issuer_rule == IssuerRule::CountyOrOffice && is_office_title(doc, item, ctx);
    if let Some((code, why)) = issuer_problem(item, doc, ctx) {
        return miss(code, format!("「{title}」 {why}"));
    }
    // Date.
    let date_note = describe_date(doc.published);
    if let (Some(deadline), Some(published)) = (item.deadline, doc.published) {
        if published.date >= deadline {
            return miss(
                ReasonCode::Late,
                format!("「{title}」 {date_note}, on or after the deadline {deadline}"),
            );
        }
    }
    let mut note = format!("「{title}」 matched 「{topic}」, {date_note}");
    if let (Some(late), Some(published)) = (item.report_late_after, doc.published) {
        if published.date >= late {
            note.push_str(&format!("; published late (on or after {late})"));
        }
    }
    if let Some(p) = doc.published {
        if p.date
            > visit
                .fetched
                .fetched_at
                .date_naive()
                .max(Utc::now().date_naive())
        {
            note.push_str("; the shown date is later than the fetch time");
        }
    }
    if doc.is_attachment && doc.page.text.is_empty() {
        note.push_str("; attachment text not extracted, judged by its link text");
    }
    let code = if office {
        ReasonCode::OfficeReport
    } else {
        ReasonCode::Found
    };
    let ev = evidence(doc, visit, ctx, title.clone(), doc.published);
    Some(candidate(item, Status::Pass, code, note, ev))
}

/// 7.guide: the county's 政府信息公开指南.
fn guide(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
    if doc.is_list && !doc.is_attachment {
        // The guide column: its entries are judged, not its frame.
        return None;
    }
    let title = &doc.title;
    let topic = first_match(title, &item.topic)?;
    let core = title_core(title);
    if contains_any(&core, &item.exclude) || !ends_with_any(&core, &item.title_ends) {
        return None;
    }
    let markers = item
        .body_markers
        .iter()
        .filter(|m| doc.page.text.contains(m.as_str()))
        .count();
    let readable = !doc.is_attachment || !doc.page.text.is_empty();
    if readable && markers < 2 {
        // A column listing guides, or a news item about one.
        return None;
    }
    let ev = evidence(doc, visit, ctx, title.clone(), doc.published);
    if let Some((code, why)) = issuer_problem(item, doc, ctx) {
        return Some(candidate(
            item,
            Status::Fail,
            code,
            format!("「{title}」 {why}"),
            ev,
        ));
    }
    let note = format!("「{title}」 matched 「{topic}」 and names {markers} of the guide's particulars (office, address, hours, phone, channels)");
    Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
}

/// 7.column: the disclosure column the homepage links, with content.
fn column(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
    // A column label ("政务公开", "政府信息公开"), not a document title that
    // happens to contain the words.
    let label = |l: &&Link| {
        let text = super::text::normalise_title(&l.text);
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
    let ev = evidence(doc, visit, ctx, via.text.clone(), None);
    let empty = doc.says_empty() && dated == 0 && rows < 6;
    if (rows >= 3 || sub_columns >= 3 || dated >= 1) && !empty {
        let note = format!(
            "the homepage link 「{}」 opens a column with {rows} entries and {sub_columns} disclosure sub-columns",
            via.text
        );
        Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
    } else {
        let note = format!("the link 「{}」 opens a column without content", via.text);
        Some(candidate(
            item,
            Status::Fail,
            ReasonCode::EmptyColumn,
            note,
            ev,
        ))
    }
}

/// 7.catalogue: 政府信息公开目录 / 主动公开目录, or the 法定主动公开内容
/// tree with 索引号 metadata.
fn catalogue(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
    let names = doc.column_names();
    let name = names
        .iter()
        .find(|n| contains_any(n, &item.topic) && !contains_any(n, &item.exclude))?;
    let word = first_match(name, &item.topic)?;
    let form = if word.contains("法定主动公开") {
        "the 法定主动公开内容 tree"
    } else {
        "a 目录"
    };
    let ev = evidence(doc, visit, ctx, name.to_string(), doc.published);
    if let Some((code, why)) = issuer_problem(item, doc, ctx) {
        return Some(candidate(
            item,
            Status::Fail,
            code,
            format!("「{name}」 {why}"),
            ev,
        ));
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
            && !(doc.says_empty() && doc.dated_rows().is_empty())
    } else {
        true
    };
    // A "目录" that only lists departments (each with its own catalogue
    // behind) is a 部门目录, not the county's catalogue.
    let units: Vec<Issuer> = doc
        .content_links
        .iter()
        .map(|l| super::issuer::classify_org(&l.text, ctx.county, &ctx.rubric.issuer))
        .collect();
    let departments = units
        .iter()
        .filter(|u| matches!(u, Issuer::Department(_) | Issuer::Township(_)))
        .count();
    // The county government's own node beside the departments' is the
    // county's catalogue, to be followed.
    let short = super::issuer::short_name(ctx.county);
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
        return Some(candidate(
            item,
            Status::Fail,
            ReasonCode::DepartmentOnly,
            note,
            ev,
        ));
    }
    if !has_content {
        return Some(candidate(
            item,
            Status::Fail,
            ReasonCode::EmptyColumn,
            format!("「{name}」 has no entries"),
            ev,
        ));
    }
    let indexed = if doc.page.index_number.is_some() {
        " with 索引号 metadata"
    } else {
        ""
    };
    let note = format!("{form}: 「{name}」{indexed}");
    Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
}

/// Is this title a national or provincial text rather than the county's?
fn higher_level(title: &str, ctx: &Context) -> bool {
    let t = title.trim_start_matches(['《', '“']);
    contains_any(t, &ctx.rubric.issuer.higher_levels)
        && !t.contains(super::issuer::short_name(ctx.county))
        || t.contains("条例")
}

/// Item 8: the county's own disclosure rules.
fn rules(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
    let names = doc.column_names();
    let in_rules_column = names.iter().any(|n| contains_any(n, &item.topic));
    let title = &doc.title;
    let is_rule_title = |t: &str| {
        (t.contains("公开") || in_rules_column)
            && contains_any(t, &item.rule_words)
            && !contains_any(t, &item.exclude)
            && !NAV_LABELS.contains(&t)
            && !item.topic.iter().any(|w| w == t)
            && t.chars().count() >= 6
    };
    if !doc.is_list && !doc.is_attachment && in_rules_column || is_rule_title(title) && !doc.is_list
    {
        if is_rule_title(title)
            && (in_rules_column || title.contains("信息公开") || title.contains("政务公开"))
        {
            let ev = evidence(doc, visit, ctx, title.clone(), doc.published);
            if higher_level(title, ctx) {
                return in_rules_column.then(|| {
                    candidate(
                        item,
                        Status::Inconclusive,
                        ReasonCode::OnlyHigherLevelTexts,
                        format!("「{title}」 is a national or provincial text"),
                        ev,
                    )
                });
            }
            if let Some((code, why)) = issuer_problem(item, doc, ctx) {
                return Some(candidate(
                    item,
                    Status::Fail,
                    code,
                    format!("「{title}」 {why}"),
                    ev,
                ));
            }
            return Some(candidate(
                item,
                Status::Pass,
                ReasonCode::Found,
                format!("「{title}」, {}", describe_date(doc.published)),
                ev,
            ));
        }
        return None;
    }
    if !in_rules_column || !doc.is_list && doc.content_links.is_empty() {
        return None;
    }
    // A 制度 column: judge its rows.
    let rows: Vec<&Link> = doc
        .content_links
        .iter()
        .copied()
        .filter(|l| is_rule_title(&super::text::normalise_title(&l.text)))
        .collect();
    let name = names
        .iter()
        .find(|n| contains_any(n, &item.topic))
        .copied()
        .unwrap_or_default();
    let own: Vec<&&Link> = rows
        .iter()
        .filter(|l| !higher_level(&l.text, ctx))
        .collect();
    // A row's own title names its issuer; an unprefixed one belongs to the
    // unit whose tree holds the column (县政府部门 > 自然资源局 > 制度).
    let department = |l: &&&Link| {
        let evidence = IssuerEvidence {
            title: &l.text,
            publisher: None,
            columns: doc.columns.iter().map(String::as_str).collect(),
        };
        matches!(
            issuer_of(&evidence, &item.topic, ctx.county, &ctx.rubric.issuer),
            Issuer::Department(_) | Issuer::Township(_)
        )
    };
    if let Some(first) = own.iter().find(|l| !department(l)) {
        let ev = evidence(doc, visit, ctx, first.text.clone(), doc.published);
        let note = format!(
            "the column 「{name}」 lists the county's own rules, e.g. 「{}」",
            first.text
        );
        return Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev));
    }
    if let Some(first) = own.first() {
        let ev = evidence(doc, visit, ctx, first.text.clone(), doc.published);
        let note = format!(
            "the column 「{name}」 lists only departments' or townships' rules, e.g. 「{}」",
            first.text
        );
        return Some(candidate(
            item,
            Status::Fail,
            ReasonCode::DepartmentOnly,
            note,
            ev,
        ));
    }
    let ev = evidence(doc, visit, ctx, name.to_string(), doc.published);
    // National and provincial disclosure texts the column reposts (条例,
    // 办法, 实施意见) whatever their wording.
    let higher = doc.content_links.iter().find(|l| {
        let title = super::text::normalise_title(&l.text);
        title.contains("公开") && title.chars().count() >= 8 && higher_level(&title, ctx)
    });
    if let Some(first) = rows.first().or(higher) {
        let note = format!(
            "the column 「{name}」 holds only national/provincial texts such as 「{}」",
            first.text
        );
        return Some(candidate(
            item,
            Status::Inconclusive,
            ReasonCode::OnlyHigherLevelTexts,
            note,
            ev,
        ));
    }
    // Plans instead of rules: a 工作要点 or 实施方案 is not a 制度.
    if let Some(plan) = doc
        .content_links
        .iter()
        .find(|l| l.date.is_some() && contains_any(&l.text, &item.exclude))
    {
        let note = format!(
            "the column 「{name}」 holds plans, not rules, such as 「{}」",
            plan.text
        );
        return Some(candidate(
            item,
            Status::Fail,
            ReasonCode::WrongKind,
            note,
            ev,
        ));
    }
    if (doc.says_empty() || doc.content_links.is_empty()) && !doc.filled_by_script {
        return Some(candidate(
            item,
            Status::Fail,
            ReasonCode::EmptyColumn,
            format!("the column 「{name}」 is empty"),
            ev,
        ));
    }
    None
}

/// Item 4: a 权责清单 column or page with the lists.
fn list(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
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
                (l.date.is_some() || contains_any(&l.text, &item.topic) || l.text.contains("清单"))
                    // News about the work (召开…部署会) and its 工作方案 are
                    // not the lists.
                    && !contains_any(&l.text, &item.exclude)
            })
            .collect();
        let ev = evidence(doc, visit, ctx, name.to_string(), doc.published);
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
            return Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev));
        }
        if let Some(first) = rows.first() {
            let note = format!(
                "「{name}」 lists {} entries, e.g. 「{}」",
                rows.len(),
                first.text
            );
            return Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev));
        }
        if !doc.is_list && doc.page.text.chars().count() >= 300 && doc.title.contains(name) {
            return Some(candidate(
                item,
                Status::Pass,
                ReasonCode::Found,
                format!("「{}」 publishes the list", doc.title),
                ev,
            ));
        }
        if doc.is_empty {
            return Some(candidate(
                item,
                Status::Fail,
                ReasonCode::EmptyColumn,
                format!("「{name}」 is empty"),
                ev,
            ));
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
        let ev = evidence(doc, visit, ctx, doc.title.clone(), doc.published);
        return Some(candidate(
            item,
            Status::Pass,
            ReasonCode::Found,
            format!("「{}」 publishes the list", doc.title),
            ev,
        ));
    }
    None
}

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
    let names_county = decoded.contains(super::issuer::short_name(county))
        || adcode.is_some_and(|a| target.contains(a));
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

/// A pass resting on one dated row of a list: the row's text and date are
/// the excerpt, the list's page the evidence.
fn dated_row_pass(
    item: &Item,
    doc: &Doc,
    visit: &Visit,
    ctx: &Context,
    row: &Link,
    place: &str,
) -> Candidate {
    let date = row.date.unwrap_or_default();
    let fact = DateFact {
        date,
        source: crate::types::DateSource::ListContext,
    };
    let ev = evidence(doc, visit, ctx, format!("{} {date}", row.text), Some(fact));
    let note = format!("{place} 「{}」 dated {date}", row.text);
    candidate(item, Status::Pass, ReasonCode::Found, note, ev)
}

/// Items 10.*: a column of the domain holding an item dated in the window.
fn domain(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
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
        return Some(dated_row_pass(item, doc, visit, ctx, first, &place));
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
            let ev = evidence(doc, visit, ctx, row.section.clone(), None);
            let note = format!(
                "the list 「{}」 holds items dated only outside the window",
                row.section
            );
            return Some(candidate(
                item,
                Status::Fail,
                ReasonCode::OutsideWindow,
                note,
                ev,
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
            return Some(dated_row_pass(item, doc, visit, ctx, first, &place));
        }
        let ev = evidence(doc, visit, ctx, name.to_string(), None);
        if !rows.is_empty() {
            let note = format!("the column 「{name}」 holds items dated only outside the window");
            return Some(candidate(
                item,
                Status::Fail,
                ReasonCode::OutsideWindow,
                note,
                ev,
            ));
        }
        if doc.is_empty {
            return Some(candidate(
                item,
                Status::Fail,
                ReasonCode::EmptyColumn,
                format!("the column 「{name}」 is empty"),
                ev,
            ));
        }
        return None;
    }
    // An article filed under the domain's column.
    let published = doc.published?;
    let ev = evidence(
        doc,
        visit,
        ctx,
        format!("{} {}", doc.title, published.date),
        Some(published),
    );
    if ctx.in_window(published.date) {
        let note = format!(
            "「{}」 in the column 「{name}」, {}",
            doc.title,
            describe_date(Some(published))
        );
        Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
    } else {
        let note = format!(
            "「{}」 in the column 「{name}」 is dated {} outside the window",
            doc.title, published.date
        );
        Some(candidate(
            item,
            Status::Fail,
            ReasonCode::OutsideWindow,
            note,
            ev,
        ))
    }
}

/// 21.debt: debt information published inside the window.
/// Columns of news, whose rows are headlines.
const NEWS_COLUMNS: &[&str] = &["新闻", "要闻", "动态", "资讯", "媒体"];

/// A sum of money as debt disclosures state it (`12.35亿元`, `8,600万元`).
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d,，.]*\s*(?:亿元|万元)").expect("static regex"));

fn debt(item: &Item, doc: &Doc, visit: &Visit, ctx: &Context) -> Option<Candidate> {
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
        .any(|c| NEWS_COLUMNS.iter().any(|w| c.contains(w)));
    if let Some(row) = debt_rows
        .iter()
        .filter(|l| !news_list && !NEWS_COLUMNS.iter().any(|w| l.section.contains(w)))
        .find(|l| l.date.is_some_and(|d| ctx.in_window(d)))
    {
        return Some(dated_row_pass(item, doc, visit, ctx, row, "listed:"));
    }
    if doc.is_list && !doc.is_attachment {
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
    let ev = evidence(doc, visit, ctx, title.clone(), published);
    match published {
        Some(p) if ctx.in_window(p.date) => {
            let note = format!("「{title}」: {why}; {}", describe_date(published));
            Some(candidate(item, Status::Pass, ReasonCode::Found, note, ev))
        }
        Some(p) => {
            let note = format!("「{title}」 is dated {} outside the window", p.date);
            Some(candidate(
                item,
                Status::Fail,
                ReasonCode::OutsideWindow,
                note,
                ev,
            ))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests;
