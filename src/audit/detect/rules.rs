//! Item 8: the county's own disclosure rules (政府信息公开制度).
//!
//! Judged on a rule's own page, or on a 制度 column by its rows. The traps:
//! national and provincial texts the column reposts (inconclusive), the
//! departments' rules (department only) and plans filed as rules (wrong
//! kind).

use super::{describe_date, Context, Judging};
use crate::audit::issuer::{issuer_of, short_name, Issuer, IssuerEvidence};
use crate::audit::text::{contains_any, normalise_title};
use crate::types::{Candidate, Link, ReasonCode, Status};

/// The rules' candidate verdict, for a rule's page or a 制度 column.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    let words = &ctx.rubric.document;
    let names = doc.column_names();
    let in_rules_column = names.iter().any(|n| contains_any(n, &item.topic));
    let title = &doc.title;
    let is_rule_title = |t: &str| {
        (contains_any(t, &words.disclosure) || in_rules_column)
            && contains_any(t, &item.rule_words)
            && !contains_any(t, &item.exclude)
            && !words.navigation_labels.iter().any(|w| w == t)
            && !item.topic.iter().any(|w| w == t)
            && t.chars().count() >= 6
    };
    if !doc.is_list && !doc.is_attachment && in_rules_column || is_rule_title(title) && !doc.is_list
    {
        if is_rule_title(title) && (in_rules_column || contains_any(title, &words.disclosure_work))
        {
            if higher_level(title, ctx) {
                return in_rules_column.then(|| {
                    j.on_title(
                        Status::Inconclusive,
                        ReasonCode::OnlyHigherLevelTexts,
                        format!("「{title}」 is a national or provincial text"),
                    )
                });
            }
            if let Some((code, why)) = j.issuer_problem() {
                return Some(j.on_title(Status::Fail, code, format!("「{title}」 {why}")));
            }
            return Some(j.on_title(
                Status::Pass,
                ReasonCode::Found,
                format!("「{title}」, {}", describe_date(doc.published)),
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
        .filter(|l| is_rule_title(&normalise_title(&l.text)))
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
    let on_row = |status, code, note, row: &Link| {
        j.verdict(status, code, note, row.text.clone(), doc.published)
    };
    if let Some(first) = own.iter().find(|l| !department(l)) {
        let note = format!(
            "the column 「{name}」 lists the county's own rules, e.g. 「{}」",
            first.text
        );
        let mut found = on_row(Status::Pass, ReasonCode::Found, note, first);
        found.confirmed_by = Some(first.url.clone());
        return Some(found);
    }
    if let Some(first) = own.first() {
        let note = format!(
            "the column 「{name}」 lists only departments' or townships' rules, e.g. 「{}」",
            first.text
        );
        return Some(on_row(
            Status::Fail,
            ReasonCode::DepartmentOnly,
            note,
            first,
        ));
    }
    let on_column =
        |status, code, note| j.verdict(status, code, note, name.to_string(), doc.published);
    // National and provincial disclosure texts the column reposts (条例,
    // 办法, 实施意见) whatever their wording.
    let higher = doc.content_links.iter().find(|l| {
        let title = normalise_title(&l.text);
        contains_any(&title, &words.disclosure)
            && title.chars().count() >= 8
            && higher_level(&title, ctx)
    });
    if let Some(first) = rows.first().or(higher) {
        let note = format!(
            "the column 「{name}」 holds only national/provincial texts such as 「{}」",
            first.text
        );
        return Some(on_column(
            Status::Inconclusive,
            ReasonCode::OnlyHigherLevelTexts,
            note,
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
        return Some(on_column(Status::Fail, ReasonCode::WrongKind, note));
    }
    if (doc.says_empty || doc.content_links.is_empty()) && !doc.filled_by_script {
        let note = format!("the column 「{name}」 is empty");
        return Some(on_column(Status::Fail, ReasonCode::EmptyColumn, note));
    }
    None
}

/// Is this title a national or provincial text rather than the county's?
fn higher_level(title: &str, ctx: &Context) -> bool {
    let t = title.trim_start_matches(['《', '“']);
    contains_any(t, &ctx.rubric.issuer.higher_levels) && !t.contains(short_name(ctx.county))
        || contains_any(t, &ctx.rubric.document.regulations)
}
