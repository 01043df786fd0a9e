//! The report's picture: a bar per county of its points out of the
//! rubric's maximum, with a strip of its pass / fail / inconclusive rows
//! and the change since the last complete run; a bar per rubric item of how
//! many counties pass it.
//!
//! Inline SVG, so the page stays one static, script-free, offline file that
//! also prints. Every bar has a `<title>` and its numbers written as text,
//! so the chart reads without colour (and to a screen reader); every row
//! carries its numbers as `data-*` attributes for tools and tests. Widths
//! are proportional to the numbers, and a maximum of 0 draws empty bars.

use crate::rubric::Rubric;
use crate::score::{PreviousPoints, ScoredRun, ScoredSite};
use crate::types::Status;
use crate::util::escape;
use std::fmt::Write;

/// Width of a full bar, in SVG user units (CSS pixels).
const BAR: f64 = 240.0;
/// Room right of a bar for its numbers.
const LABEL: f64 = 56.0;

/// The three verdicts in the order the strips draw them.
const STATUSES: [Status; 3] = [Status::Pass, Status::Fail, Status::Inconclusive];

/// A verdict's place in [`STATUSES`] and in the counts that follow it.
fn slot(status: Status) -> usize {
    match status {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::Inconclusive => 2,
    }
}

/// Fill of a verdict's segment: dark enough to stand out from the white
/// page (contrast above 3:1) and to print in grey as three shades.
fn fill(status: Status) -> &'static str {
    match status {
        Status::Pass => "#2e7d32",
        Status::Fail => "#c62828",
        Status::Inconclusive => "#b26a00",
    }
}

/// `part` of `whole` as a width out of [`BAR`]; 0 when `whole` is 0.
fn scaled(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        BAR * part.min(whole) as f64 / whole as f64
    }
}

/// SVG numbers with one decimal: exact enough, and stable in tests.
fn units(value: f64) -> String {
    format!("{value:.1}")
}

/// One verdict's share of a strip.
#[derive(Debug, PartialEq)]
struct Segment {
    status: Status,
    count: usize,
    x: f64,
    width: f64,
}

/// Side-by-side segments for `counts` (in [`STATUSES`] order) out of
/// `whole`; edges are placed from the running total, so rounding never
/// leaves a gap or an overlap.
fn segments(counts: [usize; 3], whole: usize) -> Vec<Segment> {
    let mut before = 0;
    STATUSES
        .iter()
        .zip(counts)
        .map(|(&status, count)| {
            let x = scaled(before, whole);
            before += count;
            Segment {
                status,
                count,
                x,
                width: scaled(before, whole) - x,
            }
        })
        .collect()
}

/// "5 pass · 3 fail · 2 inconclusive".
fn counts_text(counts: [usize; 3]) -> String {
    STATUSES
        .iter()
        .zip(counts)
        .map(|(status, count)| format!("{count} {}", status.as_str()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The non-empty segments of a strip as rects, each titled with its count.
fn strip(counts: [usize; 3], whole: usize, y: f64, height: f64) -> String {
    let mut out = String::new();
    for s in segments(counts, whole).into_iter().filter(|s| s.count > 0) {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{height}\" fill=\"{}\">\
<title>{} {}</title></rect>",
            units(s.x),
            units(s.width),
            fill(s.status),
            s.count,
            s.status.as_str()
        );
    }
    out
}

/// An SVG of `height` with an accessible name; `body` is already markup.
fn svg(height: u32, title: &str, body: &str) -> String {
    format!(
        "<svg class=\"bar\" width=\"{0}\" height=\"{height}\" viewBox=\"0 0 {0} {height}\" \
role=\"img\"><title>{1}</title>{body}</svg>",
        BAR + LABEL,
        escape(title)
    )
}

/// The grey track that shows a bar's maximum, with the number right of it.
fn track(height: f64, label: &str) -> String {
    format!(
        "<rect class=\"track\" x=\"0\" y=\"0\" width=\"{BAR}\" height=\"{height}\" \
fill=\"#eeeeee\" stroke=\"#888888\" stroke-width=\"0.5\"/>\
<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#222222\">{}</text>",
        BAR + 6.0,
        height - 2.0,
        escape(label)
    )
}

/// The verdict counts of one site's rows.
fn site_counts(site: &ScoredSite) -> [usize; 3] {
    [site.score.pass, site.score.fail, site.score.inconclusive]
}

/// "+2 since 2026-11-30 run", and the signed change.
fn change_since(points: u32, previous: &PreviousPoints) -> (i64, String) {
    let change = i64::from(points) - i64::from(previous.points);
    let sign = match change {
        0 => "±",
        c if c > 0 => "+",
        _ => "−",
    };
    let text = format!(
        "{sign}{} since {} run",
        change.unsigned_abs(),
        previous.run_started.format("%Y-%m-%d")
    );
    (change, text)
}

/// One county's bar: points out of the maximum above, its rows by verdict
/// below.
fn county_row(site: &ScoredSite, previous: Option<&PreviousPoints>, with_change: bool) -> String {
    let score = &site.score;
    let counts = site_counts(site);
    let rows: usize = counts.iter().sum();
    let points = format!("{} / {}", score.total, score.max_total);
    let title = format!(
        "{}: {} of {} points; rows {}",
        site.county,
        score.total,
        score.max_total,
        counts_text(counts)
    );
    let filled = scaled(score.total as usize, score.max_total as usize);
    let body = format!(
        "{}<rect class=\"points\" x=\"0\" y=\"0\" width=\"{}\" height=\"12\" fill=\"#1f5fa8\"/>{}",
        track(12.0, &points),
        units(filled),
        strip(counts, rows, 14.0, 6.0)
    );
    let county = escape(site.county);
    let mut out = format!(
        "<tr data-county=\"{county}\" data-points=\"{}\" data-max=\"{}\" data-pass=\"{}\" \
data-fail=\"{}\" data-inconclusive=\"{}\"",
        score.total, score.max_total, counts[0], counts[1], counts[2]
    );
    let change = previous.map(|p| change_since(score.total, p));
    if let Some((delta, _)) = &change {
        let _ = write!(out, " data-change=\"{delta}\"");
    }
    let _ = write!(
        out,
        "><th><a href=\"#{county}\">{county}</a></th><td>{}</td><td>{}</td>",
        svg(20, &title, &body),
        counts_text(counts)
    );
    if with_change {
        let since = change.map(|(_, text)| text);
        let _ = write!(
            out,
            "<td>{}</td>",
            escape(since.as_deref().unwrap_or("no earlier run"))
        );
    }
    out.push_str("</tr>");
    out
}

/// The county chart: one bar per county, in run order, with the change
/// since each county's last complete run when the history has one.
pub(super) fn county_chart(run: &ScoredRun, previous: &[PreviousPoints]) -> String {
    let earlier = |county: &str| previous.iter().find(|p| p.county == county);
    let with_change = run.sites.iter().any(|s| earlier(s.county).is_some());
    let mut h = String::from(
        "<table class=\"chart counties\"><tr><th>county</th>\
<th>points of the maximum (bar) · rows by verdict (strip)</th><th>rows</th>",
    );
    if with_change {
        h.push_str("<th>change</th>");
    }
    h.push_str("</tr>");
    for site in &run.sites {
        h.push_str(&county_row(site, earlier(site.county), with_change));
    }
    h.push_str("</table>");
    h
}

/// The colour key of both charts, in words too.
pub(super) fn legend() -> String {
    let mut h = String::from(
        "<p class=\"legend\">blue bar: <span class=\"key points\"></span> points out of the \
maximum · coloured strips: verdicts,",
    );
    for status in STATUSES {
        let _ = write!(
            h,
            " <span class=\"key {0}-key\"></span> {0}",
            status.as_str()
        );
    }
    h.push_str("</p>");
    h
}

/// The item chart: per rubric item, how many counties pass (and fail, and
/// are inconclusive) out of the counties of the run.
pub(super) fn item_chart(rubric: &Rubric, run: &ScoredRun) -> String {
    let counties = run.sites.len();
    let mut h = String::from(
        "<table class=\"chart items\"><tr><th>item</th><th>name</th>\
<th>counties that pass (bar)</th><th>pass · fail ·<br>inconclusive</th></tr>",
    );
    for item in &rubric.items {
        let mut counts = [0; 3];
        for site in &run.sites {
            if let Some(row) = site.rows.iter().find(|r| r.effective.item == item.id) {
                counts[slot(row.effective.status)] += 1;
            }
        }
        let title = format!(
            "{} {}: {} of {counties} counties pass; {}",
            item.id,
            item.name,
            counts[0],
            counts_text(counts)
        );
        let body = format!(
            "{}{}",
            track(12.0, &format!("{} / {counties}", counts[0])),
            strip(counts, counties, 0.0, 12.0)
        );
        let _ = write!(
            h,
            "<tr data-item=\"{0}\" data-pass=\"{1}\" data-fail=\"{2}\" data-inconclusive=\"{3}\" \
data-counties=\"{counties}\"><th>{0}</th><td>{4}</td><td>{5}</td><td>{6}</td></tr>",
            escape(&item.id),
            counts[0],
            counts[1],
            counts[2],
            escape(&item.name),
            svg(12, &title, &body),
            counts.map(|n| n.to_string()).join(" · ")
        );
    }
    h.push_str("</table>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::SiteScore;

    fn site(
        county: &'static str,
        total: u32,
        max_total: u32,
        counts: [usize; 3],
    ) -> ScoredSite<'static> {
        let score = SiteScore {
            units: vec![],
            total,
            max_total,
            pass: counts[0],
            fail: counts[1],
            inconclusive: counts[2],
        };
        ScoredSite {
            county,
            url: "http://127.0.0.1/",
            rows: vec![],
            machine_score: score.clone(),
            score,
            overrides: 0,
        }
    }

    fn previous(county: &str, points: u32) -> PreviousPoints {
        PreviousPoints {
            county: county.into(),
            points,
            run_started: "2026-11-30T02:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn bars_are_proportional_to_points_and_strips_to_rows() {
        assert_eq!(scaled(8, 32), BAR / 4.0);
        assert_eq!(scaled(40, 32), BAR, "never past the maximum");
        let html = county_row(&site("北安市", 24, 32, [5, 3, 2]), None, false);
        assert!(
            html.contains("class=\"points\" x=\"0\" y=\"0\" width=\"180.0\""),
            "{html}"
        );
        // 5, 3 and 2 of 10 rows: 120, 72 and 48 wide, edge to edge.
        for (x, width) in [("0.0", "120.0"), ("120.0", "72.0"), ("192.0", "48.0")] {
            assert!(
                html.contains(&format!("x=\"{x}\" y=\"14\" width=\"{width}\"")),
                "{html}"
            );
        }
        assert!(html.contains("data-points=\"24\" data-max=\"32\""));
        assert!(html.contains(">24 / 32</text>"));
        assert!(html.contains("5 pass · 3 fail · 2 inconclusive"));
        assert!(html.contains(
            "<title>北安市: 24 of 32 points; rows 5 pass · 3 fail · 2 inconclusive</title>"
        ));
    }

    #[test]
    fn a_maximum_of_zero_draws_empty_bars() {
        assert_eq!(scaled(0, 0), 0.0);
        assert!(segments([0, 0, 0], 0).iter().all(|s| s.width == 0.0));
        let html = county_row(&site("北安市", 0, 0, [0, 0, 0]), None, false);
        assert!(
            html.contains("class=\"points\" x=\"0\" y=\"0\" width=\"0.0\""),
            "{html}"
        );
        assert!(!html.contains("NaN") && !html.contains("inf"), "{html}");
        let empty = ScoredRun {
            units: vec![],
            sites: vec![],
        };
        let items = item_chart(&Rubric::default_rubric(), &empty);
        assert!(items.contains(">0 / 0</text>") && !items.contains("NaN"));
    }

    #[test]
    fn county_names_are_escaped_everywhere() {
        let run = ScoredRun {
            units: vec![],
            sites: vec![site("<script>\"x\"&", 4, 32, [1, 0, 0])],
        };
        let html = county_chart(&run, &[]);
        assert!(
            !html.contains("<script>") && !html.contains("\"x\""),
            "{html}"
        );
        assert!(html.contains("data-county=\"&lt;script&gt;&quot;x&quot;&amp;\""));
        assert!(html.contains("<title>&lt;script&gt;&quot;x&quot;&amp;: 4 of 32 points"));
    }

    #[test]
    fn the_change_since_the_earlier_run_is_signed_and_dated() {
        let run = ScoredRun {
            units: vec![],
            sites: vec![
                site("北安市", 18, 32, [5, 3, 2]),
                site("孙吴县", 10, 32, [3, 7, 0]),
                site("逊克县", 12, 32, [4, 6, 0]),
                site("爱辉区", 12, 32, [4, 6, 0]),
            ],
        };
        let earlier = [
            previous("北安市", 16),
            previous("孙吴县", 14),
            previous("逊克县", 12),
        ];
        let html = county_chart(&run, &earlier);
        assert!(html.contains("data-change=\"2\"") && html.contains("+2 since 2026-11-30 run"));
        assert!(html.contains("data-change=\"-4\"") && html.contains("−4 since 2026-11-30 run"));
        assert!(html.contains("±0 since 2026-11-30 run"));
        assert!(html.contains("no earlier run"), "爱辉区 has none");
        let without = county_chart(&run, &[]);
        assert!(!without.contains("<th>change</th>") && !without.contains("since"));
    }
}
