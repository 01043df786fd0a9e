//! Items 3 and 9: the county's report for the report year (法治政府建设
//! 年度报告, 政府信息公开工作年度报告).
//!
//! The strictest detector: all four tests apply, in order — kind (a report,
//! not a plan or a notice about one), year (title, then body), issuer (the
//! county, or for item 9 its office) and date (before the deadline).

use super::{describe_date, Judging};
use crate::audit::issuer::{classify_org, title_prefix, Issuer};
use crate::audit::text::{body_report_year, contains_any, years_named};
use crate::rubric::{IssuerRule, YearRule};
use crate::types::{Candidate, ReasonCode, Status};
use chrono::{Datelike, Utc};

/// The report's candidate verdict, if the document's title names the item.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc, ctx) = (j.item, j.doc, j.ctx);
    let super::Titled { title, topic, core } = j.titled()?;
    let miss = |code: ReasonCode, note: String| Some(j.on_title(Status::Fail, code, note));
    // Kind: the title must end as a report, without plan or notice words.
    if !j.is_right_kind(&core) {
        return if contains_any(&core, &item.paper_words) {
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
        // The link that opened it may promise the right year (「2022年年报」).
        let via = doc
            .found_via
            .map(|l| l.text.trim())
            .filter(|t| years_named(t).contains(&year) && !title.contains(*t))
            .map(|t| format!(", although the link 「{t}」 that opens it names {year}"))
            .unwrap_or_default();
        return miss(
            ReasonCode::WrongYear,
            format!("「{title}」 is about {named}, not {year}{via}"),
        );
    }
    // Issuer.
    let office = item.issuer_rule == IssuerRule::CountyOrOffice && is_office_title(j);
    if let Some((code, why)) = j.issuer_problem() {
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
            > j.visit
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
    Some(j.on_title(Status::Pass, code, note))
}

/// The title's issuer is the county government's office (人民政府办公室).
fn is_office_title(j: &Judging) -> bool {
    let prefix = title_prefix(&j.doc.title, &j.item.topic, &j.ctx.rubric.issuer);
    classify_org(prefix, j.ctx.county, &j.ctx.rubric.issuer) == Issuer::Office
}
