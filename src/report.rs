//! `report.html`: the run as one static, offline page an evaluator can open
//! and forward.
//!
//! The county × item matrix coloured by status with scores, each cell
//! linking to its evidence; per-county detail with reasons; the rows that
//! need a human; run metadata. No external resources, no scripts (a
//! Content-Security-Policy forbids them), every captured string escaped.

use crate::rubric::Rubric;
use crate::score::score_site;
use crate::types::{Finding, Status};
use crate::util::escape;
use std::fmt::Write;

/// One county as the report shows it.
pub struct ReportSite<'a> {
    pub county: &'a str,
    pub url: &'a str,
    pub findings: &'a [Finding],
    /// Evidence snapshot per item (path relative to the run directory).
    pub snapshot: &'a dyn Fn(&str) -> Option<String>,
    /// One line about the crawl (pages fetched, errors, robots).
    pub crawl_note: String,
}

pub struct ReportMeta<'a> {
    pub campaign: &'a str,
    pub window: String,
    pub started: String,
    pub finished: String,
    pub tool_version: &'a str,
}

/// Only http(s) URLs and relative paths become links; anything else
/// (`javascript:`, `data:`) is shown as text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let relative = !lower.contains(':') && !lower.starts_with("//");
    (lower.starts_with("http://") || lower.starts_with("https://") || relative && !lower.is_empty())
        .then(|| escape(url.trim()))
}

const STYLE: &str = "body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .5em;font-size:13px;vertical-align:top}\
th{background:#f0f0f0}.pass{background:#d8f0d8}.fail{background:#f6d5d5}.inconclusive{background:#fbeec2}\
td.num{text-align:right}small{color:#555}h2{margin-top:2em}";

pub fn render(rubric: &Rubric, meta: &ReportMeta, sites: &[ReportSite]) -> String {
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
    // The matrix.
    h.push_str("<h2>Matrix</h2><table><tr><th>county</th>");
    for item in &rubric.items {
        let _ = write!(
            h,
            "<th title=\"{}\">{}</th>",
            escape(&item.name),
            escape(&item.id)
        );
    }
    h.push_str("<th>score</th><th>inconclusive</th></tr>");
    for site in sites {
        let score = score_site(rubric, site.findings);
        let _ = write!(
            h,
            "<tr><th><a href=\"#{0}\">{0}</a></th>",
            escape(site.county)
        );
        for item in &rubric.items {
            match site.findings.iter().find(|f| f.item == item.id) {
                Some(f) => {
                    let label = f.status.as_str();
                    let shown = if f.reason_code == "override" {
                        format!("{label} (override)")
                    } else {
                        label.to_string()
                    };
                    let cell = match (site.snapshot)(&f.item).and_then(|s| safe_href(&s)) {
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
    h.push_str("</table>");
    // Needs manual review.
    h.push_str("<h2>Needs manual review</h2>");
    let open: Vec<(&ReportSite, &Finding)> = sites
        .iter()
        .flat_map(|s| s.findings.iter().map(move |f| (s, f)))
        .filter(|(_, f)| f.status == Status::Inconclusive)
        .collect();
    if open.is_empty() {
        h.push_str("<p>Nothing: every row was decided.</p>");
    } else {
        h.push_str("<table><tr><th>county</th><th>item</th><th>reason</th></tr>");
        for (site, f) in open {
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
    // Per-county detail.
    for site in sites {
        let _ = write!(
            h,
            "<h2 id=\"{0}\">{0}</h2><p><small>{1} · {2}</small></p>",
            escape(site.county),
            escape(site.url),
            escape(&site.crawl_note)
        );
        h.push_str("<table><tr><th>item</th><th>status</th><th>reason</th><th>evidence</th><th>published</th></tr>");
        for f in site.findings {
            let evidence = f
                .evidence
                .as_ref()
                .map(|e| {
                    let url = match safe_href(e.url.as_str()) {
                        Some(href) => format!("<a href=\"{href}\">{}</a>", escape(e.url.as_str())),
                        None => escape(e.url.as_str()),
                    };
                    let snapshot = (site.snapshot)(&f.item)
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
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let snap = |_: &str| Some("javascript:alert(1)".to_string());
        let sites = [ReportSite {
            county: "北安市",
            url: "http://127.0.0.1/",
            findings: &findings,
            snapshot: &snap,
            crawl_note: String::new(),
        }];
        let meta = ReportMeta {
            campaign: "c",
            window: "2022-07-01 – 2023-06-30".into(),
            started: String::new(),
            finished: String::new(),
            tool_version: "0",
        };
        let html = render(&rubric, &meta, &sites);
        assert!(!html.contains("<script"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("Content-Security-Policy"));
        assert!(html.contains("Needs manual review"));
    }
}
