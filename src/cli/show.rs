//! `govcheck campaign show` and `govcheck rubric show`: the campaign and the
//! rubric in use, as plain text, so an evaluator sees what will be crawled
//! and checked without reading TOML.

use crate::campaign::{Campaign, EMBEDDED_ORIGIN};
use crate::rubric::{IssuerRule, Item, Rubric, YearRule, DEFAULT_RUBRIC_FILE};
use std::fmt::Write as _;
use std::path::Path;

/// The campaign: its name, where it comes from, the window and each
/// county's URL.
pub fn campaign_text(campaign: &Campaign, origin: Option<&Path>) -> String {
    let mut out = String::new();
    let origin = origin.map_or(EMBEDDED_ORIGIN.to_string(), |p| p.display().to_string());
    let _ = writeln!(out, "campaign: {}", campaign.name);
    let _ = writeln!(out, "from:     {origin}");
    let _ = writeln!(
        out,
        "window:   {} – {} (both days included)",
        campaign.window_start, campaign.window_end
    );
    let _ = writeln!(out, "counties: {}", campaign.counties.len());
    for county in &campaign.counties {
        // The name last: CJK characters are two columns wide.
        let _ = writeln!(out, "  {:<34} {}", county.url.as_str(), county.name);
    }
    crate::util::without_controls(&out).into_owned()
}

/// The rubric: what it is, then one line per item (points, what its
/// documents must be, deadline) and the groups' caps.
pub fn rubric_text(rubric: &Rubric, origin: Option<&Path>) -> String {
    let meta = &rubric.rubric;
    let origin = origin.map_or(format!("<embedded {DEFAULT_RUBRIC_FILE}>"), |p| {
        p.display().to_string()
    });
    let mut out = String::new();
    let _ = writeln!(out, "rubric:      {}", meta.name);
    let _ = writeln!(out, "id:          {} version {}", meta.id, meta.version);
    let _ = writeln!(out, "from:        {origin}");
    let _ = writeln!(out, "report year: {}", meta.report_year);
    let _ = writeln!(out, "total:       {} points", meta.total_points);
    let _ = writeln!(out);
    // The name last: CJK characters are two columns wide.
    let _ = writeln!(
        out,
        "{:<24} {:>6}  {:<44} {:<54} name",
        "item", "points", "deadline", "what counts"
    );
    for item in &rubric.items {
        let _ = writeln!(
            out,
            "{:<24} {:>6}  {:<44} {:<54} {}",
            item.id,
            item.points,
            deadline(item),
            what_counts(item, meta.report_year),
            item.name
        );
    }
    if !rubric.groups.is_empty() {
        let _ = writeln!(out);
    }
    for group in &rubric.groups {
        let members: Vec<&str> = rubric
            .items
            .iter()
            .filter(|i| i.group.as_deref() == Some(group.id.as_str()))
            .map(|i| i.id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "group {} {}: at most {} points together ({})",
            group.id,
            group.name,
            group.cap,
            members.join(", ")
        );
    }
    crate::util::without_controls(&out).into_owned()
}

/// The item's year and issuer rules in words.
fn what_counts(item: &Item, report_year: i32) -> String {
    let issuer = match item.issuer_rule {
        IssuerRule::Any => "any issuer",
        IssuerRule::County => "the county government's",
        IssuerRule::CountyOrOffice => "the county government's (or its office's)",
    };
    match item.year_rule {
        YearRule::None => issuer.to_string(),
        YearRule::ReportYear => format!("{issuer}, about {report_year}"),
        YearRule::Window => format!("{issuer}, dated in the window"),
    }
}

/// The item's deadline in words, or `—`.
fn deadline(item: &Item) -> String {
    match (item.deadline, item.report_late_after) {
        (Some(fail), _) => format!("before {fail} (from then: fail, late)"),
        (None, Some(late)) => format!("before {late} (later: pass, noted late)"),
        (None, None) => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_campaign_shows_its_window_and_counties() {
        let text = campaign_text(&Campaign::default_campaign(), None);
        assert!(text.contains("2022-07-01 – 2023-06-30"), "{text}");
        assert!(text.contains("北安市"), "{text}");
        assert!(text.contains("http://www.hljba.gov.cn/"), "{text}");
        assert!(text.contains(EMBEDDED_ORIGIN), "{text}");
    }

    #[test]
    fn the_shipped_rubric_shows_items_points_and_deadlines() {
        let text = rubric_text(&Rubric::default_rubric(), None);
        assert!(text.contains("法治政府报告制度"), "{text}");
        assert!(
            text.contains("before 2023-04-01 (from then: fail, late)"),
            "{text}"
        );
        assert!(text.contains("32 points"), "{text}");
        assert!(text.contains("group 7"), "{text}");
    }
}
