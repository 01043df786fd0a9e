//! `report.html`: the run as one static, offline page an evaluator can open,
//! forward and print.
//!
//! The picture first (`charts`: each county's points out of the rubric's
//! maximum with its rows by verdict and the change since the last complete
//! run; each item's passing counties), the county × item matrix coloured by
//! status with scores, each cell linking to its evidence; the rows that
//! need a human; per-county detail with reasons; run metadata. No external
//! resources, no scripts (a Content-Security-Policy forbids them), every
//! captured string escaped; `style` prints it on A4 landscape.

mod charts;
mod style;

use crate::evidence::snapshot::MATCH_ANCHOR;
use crate::rubric::Rubric;
use crate::score::{PreviousPoints, ScoredRow, ScoredRun, ScoredSite};
use crate::types::Status;
use crate::util::escape;
use std::fmt::Write;
use style::STYLE;

/// What the report says about the run besides its verdicts.
pub struct ReportMeta<'a> {
    /// The campaign's name.
    pub campaign: &'a str,
    /// The evaluation window, as shown.
    pub window: String,
    /// When the run started, as shown.
    pub started: String,
    /// When the run finished, as shown.
    pub finished: String,
    /// govcheck's version.
    pub tool_version: &'a str,
    /// One line per site about its crawl (pages fetched, errors, robots),
    /// in the run's order.
    pub crawl_notes: Vec<String>,
    /// Each county's points in its last complete run before this one, from
    /// the history (empty without one).
    pub previous: Vec<PreviousPoints>,
}

/// The row's snapshot with the fragment that lands on the match.
fn snapshot_link(row: &ScoredRow) -> Option<String> {
    row.stored
        .and_then(|s| s.snapshot.as_deref())
        .map(|s| format!("{s}#{MATCH_ANCHOR}"))
}

/// Only http(s) URLs and relative paths become links; anything else
/// (`javascript:`, `data:`) is shown as text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let relative = !lower.contains(':') && !lower.starts_with("//");
    (lower.starts_with("http://") || lower.starts_with("https://") || relative && !lower.is_empty())
        .then(|| escape(url.trim()))
}

/// The whole page. Verdicts are shown as scored: an override stands,
/// marked, with the machine's verdict in its reason.
pub fn render(rubric: &Rubric, meta: &ReportMeta, run: &ScoredRun) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<title>govcheck — {}</title><style>{STYLE}</style></head><body>",
        escape(meta.campaign)
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>评价期间 window {} · run {} – {} · govcheck {} · rubric {} {}</p>",
        escape(meta.campaign),
        escape(&meta.window),
        escape(&meta.started),
        escape(&meta.finished),
        escape(meta.tool_version),
        escape(&rubric.rubric.id),
        escape(&rubric.rubric.version)
    );
    h.push_str(&charts::legend());
    h.push_str("<div class=\"picture\"><section><h2>Points by county</h2>");
    h.push_str(&charts::county_chart(run, &meta.previous));
    h.push_str("</section><section><h2>Counties that pass each item</h2>");
    h.push_str(&charts::item_chart(rubric, run));
    h.push_str("</section></div>");
    // The matrix.
    h.push_str(
        "<section class=\"matrix\"><h2>Matrix</h2><table class=\"matrix\"><tr><th>county</th>",
    );
    for item in &rubric.items {
        let _ = write!(
            h,
            "<th title=\"{}\">{}</th>",
            escape(&item.name),
            escape(&item.id)
        );
    }
    h.push_str("<th>score</th><th>inconclusive</th></tr>");
    for site in &run.sites {
        let score = &site.score;
        let _ = write!(
            h,
            "<tr><th><a href=\"#{0}\">{0}</a></th>",
            escape(site.county)
        );
        for item in &rubric.items {
            match site.rows.iter().find(|r| r.effective.item == item.id) {
                Some(row) => {
                    let f = &row.effective;
                    let label = f.status.as_str();
                    let shown = if f.reason_code == "override" {
                        format!("{label} (override)")
                    } else {
                        label.to_string()
                    };
                    let cell = match snapshot_link(row).and_then(|s| safe_href(&s)) {
                        Some(href) => format!("<a href=\"{href}\">{shown}</a>"),
                        None => shown,
                    };
                    let _ = write!(
                        h,
                        "<td class=\"{label}\" title=\"{}\">{cell}</td>",
                        escape(&f.reason)
                    );
                }
                None => h.push_str("<td></td>"),
            }
        }
        let _ = write!(
            h,
            "<td class=\"num\">{}/{}</td><td class=\"num\">{}</td></tr>",
            score.total, score.max_total, score.inconclusive
        );
    }
    h.push_str("</table></section>");
    // Needs manual review.
    h.push_str("<h2>Needs manual review</h2>");
    let open: Vec<(&ScoredSite, &ScoredRow)> = run
        .sites
        .iter()
        .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
        .filter(|(_, r)| r.effective.status == Status::Inconclusive)
        .collect();
    if open.is_empty() {
        h.push_str("<p>Nothing: every row was decided.</p>");
    } else {
        h.push_str("<table><tr><th>county</th><th>item</th><th>reason</th></tr>");
        for (site, row) in open {
            let f = &row.effective;
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                escape(site.county),
                escape(&f.item),
                escape(&f.item_name),
                escape(&f.reason)
            );
        }
        h.push_str("</table>");
    }
    // Per-county detail, printed from a new page.
    h.push_str("<div class=\"details\">");
    for (i, site) in run.sites.iter().enumerate() {
        let crawl_note = meta.crawl_notes.get(i).map(String::as_str).unwrap_or("");
        let _ = write!(
            h,
            "<h2 id=\"{0}\">{0}</h2><p><small>{1} · {2}</small></p>",
            escape(site.county),
            escape(site.url),
            escape(crawl_note)
        );
        h.push_str("<table><tr><th>item</th><th>status</th><th>reason</th><th>evidence</th><th>published</th></tr>");
        for row in &site.rows {
            let f = &row.effective;
            let evidence = f
                .evidence
                .as_ref()
                .map(|e| {
                    let url = match safe_href(e.url.as_str()) {
                        Some(href) => format!("<a href=\"{href}\">{}</a>", escape(e.url.as_str())),
                        None => escape(e.url.as_str()),
                    };
                    let snapshot = snapshot_link(row)
                        .and_then(|s| safe_href(&s))
                        .map(|href| format!(" · <a href=\"{href}\">snapshot</a>"))
                        .unwrap_or_default();
                    format!("{url}{snapshot}<br><small>{}</small>", escape(&e.excerpt))
                })
                .unwrap_or_default();
            let published = f
                .evidence
                .as_ref()
                .and_then(|e| e.published)
                .map(|p| p.date.to_string())
                .unwrap_or_default();
            let _ = write!(
                h,
                "<tr class=\"{0}\"><td>{1} {2}</td><td>{0}</td><td>{3}</td><td>{4}</td><td>{5}</td></tr>",
                f.status.as_str(),
                escape(&f.item),
                escape(&f.item_name),
                escape(&f.reason),
                evidence,
                published
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{RecordRef, StoredEvidence};
    use crate::score::{score_run, SiteFindings};
    use crate::types::Finding;
    use std::collections::HashMap;

    #[test]
    fn captured_strings_are_escaped_and_scripts_cannot_run() {
        let rubric = Rubric::default_rubric();
        let findings = vec![Finding {
            item: "3".into(),
            item_name: "法治政府报告制度".into(),
            status: Status::Inconclusive,
            reason_code: crate::types::ReasonCode::Blocked,
            reason: "blocked: <script>alert(1)</script>".into(),
            evidence: None,
        }];
        let stored = StoredEvidence {
            snapshot: Some("javascript:alert(1)".into()),
            record: RecordRef {
                file: String::new(),
                offset: 0,
                length: 0,
                record_id: String::new(),
                payload_sha256: String::new(),
            },
            screenshot: None,
        };
        let evidence = HashMap::from([("3".to_string(), stored)]);
        let sites = [SiteFindings {
            county: "北安市",
            url: "http://127.0.0.1/",
            findings: &findings,
            evidence: &evidence,
        }];
        let meta = ReportMeta {
            campaign: "c",
            window: "2022-07-01 – 2023-06-30".into(),
            started: String::new(),
            finished: String::new(),
            tool_version: "0",
            crawl_notes: vec![String::new()],
            previous: vec![],
        };
        let html = render(&rubric, &meta, &score_run(&rubric, &sites, &[]));
        assert!(!html.contains("<script"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("Content-Security-Policy"));
        assert!(html.contains("Needs manual review"));
        assert!(html.contains("<svg") && html.contains("data-county=\"北安市\""));
        assert!(html.contains("@page{size:A4 landscape"));
    }
}
