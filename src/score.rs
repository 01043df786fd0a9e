//! Rubric points from findings: findings + evaluators' overrides → one
//! [`ScoredRun`], built once by [`score_run`] and read by every output.
//!
//! Weights are data: each item's points, and each group's cap (item 7: the
//! column, guide and catalogue parts; item 10: one point per domain, at
//! most 7). `inconclusive` scores nothing but is counted apart, so the
//! evaluator sees what still needs a human. An override in force replaces
//! the machine's verdict for scoring; the machine's verdict is kept beside
//! it, so the outputs can show both.

use crate::evidence::StoredEvidence;
use crate::history::{OverrideRow, PreviousVerdicts};
use crate::rubric::Rubric;
use crate::types::{Finding, ReasonCode, Status};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// One scoring unit of the rubric: a stand-alone item, or a group of items
/// under a cap.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The item id, or the group id.
    pub id: String,
    /// The item's or the group's name.
    pub name: String,
    /// The group's cap; `None` for a stand-alone item.
    pub cap: Option<u32>,
}

/// The points one unit earned.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitScore {
    /// The unit's id.
    pub id: String,
    /// The unit's name.
    pub name: String,
    /// Points earned, capped.
    pub points: u32,
    /// Points the unit can earn, capped.
    pub max_points: u32,
}

/// One site's points and verdict counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteScore {
    /// Per unit, in rubric order.
    pub units: Vec<UnitScore>,
    /// Sum of the units' points.
    pub total: u32,
    /// Sum of the units' maximum points.
    pub max_total: u32,
    /// Rows that pass.
    pub pass: usize,
    /// Rows that fail.
    pub fail: usize,
    /// Rows that need a human.
    pub inconclusive: usize,
}

/// One site's findings, as the run gathered them: what [`score_run`] takes.
#[derive(Clone, Copy)]
pub struct SiteFindings<'a> {
    /// The county's name.
    pub county: &'a str,
    /// The site's start URL.
    pub url: &'a str,
    /// The machine's findings, one per rubric item.
    pub findings: &'a [Finding],
    /// Snapshot and WARC record per item id, carried to the rows.
    pub evidence: &'a HashMap<String, StoredEvidence>,
}

/// A whole run, scored: what `matrix.csv`, `scores.csv`, `report.html`,
/// `run.json` and the terminal summary read.
pub struct ScoredRun<'a> {
    /// The rubric's scoring units, in order.
    pub units: Vec<Unit>,
    /// The sites, in run order.
    pub sites: Vec<ScoredSite<'a>>,
}

/// One site, scored.
pub struct ScoredSite<'a> {
    /// The county's name.
    pub county: &'a str,
    /// The site's start URL.
    pub url: &'a str,
    /// One row per finding, in the findings' order.
    pub rows: Vec<ScoredRow<'a>>,
    /// Points with the overrides applied.
    pub score: SiteScore,
    /// Points of the machine's verdicts alone.
    pub machine_score: SiteScore,
    /// How many items of this site have an override in force.
    pub overrides: usize,
}

/// One finding, scored.
pub struct ScoredRow<'a> {
    /// The machine's verdict.
    pub machine: &'a Finding,
    /// The verdict as scored: the override's, marked as one and carrying
    /// the machine's reason, or the machine's own.
    pub effective: Finding,
    /// The evaluator's override in force, if any.
    pub override_row: Option<&'a OverrideRow>,
    /// Where the row's evidence is stored, if it was.
    pub stored: Option<&'a StoredEvidence>,
    /// Points the effective verdict earns before any group cap.
    pub points: u32,
    /// Points the item can earn.
    pub max_points: u32,
}

/// Scores every site once: applies the overrides in force (the later of
/// two for one county and item wins), and computes per-row points, unit
/// scores, totals and counts, with and without the overrides.
pub fn score_run<'a>(
    rubric: &Rubric,
    sites: &[SiteFindings<'a>],
    overrides: &'a [OverrideRow],
) -> ScoredRun<'a> {
    let sites = sites
        .iter()
        .map(|site| {
            let in_force: HashMap<&str, &OverrideRow> = overrides
                .iter()
                .filter(|o| o.county == site.county)
                .map(|o| (o.item.as_str(), o))
                .collect();
            let rows: Vec<ScoredRow> = site
                .findings
                .iter()
                .map(|machine| {
                    let override_row = in_force.get(machine.item.as_str()).copied();
                    let effective = match override_row {
                        Some(o) => overridden(machine, o),
                        None => machine.clone(),
                    };
                    ScoredRow {
                        points: row_points(rubric, &effective),
                        max_points: rubric.item(&machine.item).map(|i| i.points).unwrap_or(0),
                        machine,
                        effective,
                        override_row,
                        stored: site.evidence.get(&machine.item),
                    }
                })
                .collect();
            let effective: Vec<Finding> = rows.iter().map(|r| r.effective.clone()).collect();
            ScoredSite {
                county: site.county,
                url: site.url,
                score: score_findings(rubric, &effective),
                machine_score: score_findings(rubric, site.findings),
                overrides: in_force.len(),
                rows,
            }
        })
        .collect();
    ScoredRun {
        units: units(rubric),
        sites,
    }
}

/// One county's points in an earlier run, for the change since then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousPoints {
    /// The county.
    pub county: String,
    /// Points that run scored, under this rubric's weights and caps.
    pub points: u32,
    /// When that run started.
    pub run_started: DateTime<Utc>,
}

/// The earlier runs' verdicts, as the history keeps them, scored with this
/// rubric: one [`PreviousPoints`] per county.
pub fn previous_points(rubric: &Rubric, earlier: &[PreviousVerdicts]) -> Vec<PreviousPoints> {
    earlier
        .iter()
        .map(|site| {
            let passed: Vec<Finding> = site
                .statuses
                .iter()
                .filter(|(_, status)| status == Status::Pass.as_str())
                .map(|(item, _)| Finding {
                    item: item.clone(),
                    item_name: String::new(),
                    status: Status::Pass,
                    reason_code: ReasonCode::Found,
                    reason: String::new(),
                    evidence: None,
                })
                .collect();
            PreviousPoints {
                county: site.county.clone(),
                points: score_findings(rubric, &passed).total,
                run_started: site.run_started,
            }
        })
        .collect()
}

/// The finding as scored under an override: the override's status, the
/// machine's reason kept in the new one.
fn overridden(machine: &Finding, o: &OverrideRow) -> Finding {
    Finding {
        status: if o.status == "pass" {
            Status::Pass
        } else {
            Status::Fail
        },
        reason_code: ReasonCode::Override,
        reason: format!("override: {} (machine: {})", o.note, machine.reason),
        ..machine.clone()
    }
}

/// Points a single row earns before any group cap.
fn row_points(rubric: &Rubric, finding: &Finding) -> u32 {
    match (finding.status, rubric.item(&finding.item)) {
        (Status::Pass, Some(item)) => item.points,
        _ => 0,
    }
}

/// The scoring units in rubric order: item 3, group 7, …
fn units(rubric: &Rubric) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for item in &rubric.items {
        match &item.group {
            None => out.push(Unit {
                id: item.id.clone(),
                name: item.name.clone(),
                cap: None,
            }),
            Some(g) if !out.iter().any(|u| &u.id == g) => {
                let group = rubric.group(g).expect("rubric checks groups");
                out.push(Unit {
                    id: group.id.clone(),
                    name: group.name.clone(),
                    cap: Some(group.cap),
                });
            }
            Some(_) => {}
        }
    }
    out
}

/// Points and counts of one site's findings, as they stand.
fn score_findings(rubric: &Rubric, findings: &[Finding]) -> SiteScore {
    let units = units(rubric)
        .into_iter()
        .map(|Unit { id, name, cap }| {
            let members = rubric.items.iter().filter(|i| match cap {
                Some(_) => i.group.as_deref() == Some(id.as_str()),
                None => i.id == id,
            });
            let (mut points, mut max_points) = (0, 0);
            for item in members {
                max_points += item.points;
                points += findings
                    .iter()
                    .filter(|f| f.item == item.id)
                    .map(|f| row_points(rubric, f))
                    .sum::<u32>();
            }
            if let Some(cap) = cap {
                points = points.min(cap);
                max_points = max_points.min(cap);
            }
            UnitScore {
                id,
                name,
                points,
                max_points,
            }
        })
        .collect::<Vec<_>>();
    let count = |s: Status| findings.iter().filter(|f| f.status == s).count();
    SiteScore {
        total: units.iter().map(|u| u.points).sum(),
        max_total: units.iter().map(|u| u.max_points).sum(),
        units,
        pass: count(Status::Pass),
        fail: count(Status::Fail),
        inconclusive: count(Status::Inconclusive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(item: &str, status: Status) -> Finding {
        Finding {
            item: item.into(),
            item_name: String::new(),
            status,
            reason_code: crate::types::ReasonCode::NotFound,
            reason: String::new(),
            evidence: None,
        }
    }

    #[test]
    fn all_pass_is_32_and_item_10_is_capped() {
        let r = Rubric::default_rubric();
        let all: Vec<Finding> = r
            .items
            .iter()
            .map(|i| finding(&i.id, Status::Pass))
            .collect();
        let s = score_findings(&r, &all);
        assert_eq!(s.total, 32);
        assert_eq!(s.max_total, 32);
        let ten = s.units.iter().find(|u| u.id == "10").unwrap();
        assert_eq!((ten.points, ten.max_points), (7, 7));
    }

    #[test]
    fn item_7_loses_two_per_missing_part_and_inconclusive_scores_nothing() {
        let r = Rubric::default_rubric();
        let mut all: Vec<Finding> = r
            .items
            .iter()
            .map(|i| finding(&i.id, Status::Fail))
            .collect();
        all[2].status = Status::Pass; // 7.column
        all[3].status = Status::Inconclusive; // 7.guide
        let s = score_findings(&r, &all);
        let seven = s.units.iter().find(|u| u.id == "7").unwrap();
        assert_eq!(seven.points, 2);
        assert_eq!(s.total, 2);
        assert_eq!(s.inconclusive, 1);
    }

    #[test]
    fn previous_points_apply_this_rubrics_weights_and_caps() {
        let r = Rubric::default_rubric();
        let pair = |item: &str, status: &str| (item.to_string(), status.to_string());
        let mut statuses = vec![pair("3", "pass"), pair("4", "inconclusive")];
        statuses.extend(
            r.items
                .iter()
                .filter(|i| i.id.starts_with("10."))
                .map(|i| pair(&i.id, "pass")),
        );
        statuses.push(pair("retired item", "pass"));
        let earlier = [PreviousVerdicts {
            county: "北安市".into(),
            run_started: chrono::Utc::now(),
            statuses,
        }];
        let points = previous_points(&r, &earlier);
        assert_eq!(points[0].county, "北安市");
        assert_eq!(points[0].points, 4 + 7, "item 3, and item 10 capped");
    }

    #[test]
    fn an_override_is_scored_and_the_machine_verdict_kept() {
        let r = Rubric::default_rubric();
        let findings = vec![finding("3", Status::Fail)];
        let override_row = OverrideRow {
            id: 1,
            county: "北安市".into(),
            item: "3".into(),
            status: "pass".into(),
            note: "seen by hand".into(),
            evidence_url: None,
            who: "e".into(),
            created: chrono::Utc::now(),
            removed: None,
        };
        let evidence = HashMap::new();
        let sites = [SiteFindings {
            county: "北安市",
            url: "http://a/",
            findings: &findings,
            evidence: &evidence,
        }];
        let overrides = [override_row];
        let run = score_run(&r, &sites, &overrides);
        let site = &run.sites[0];
        let row = &site.rows[0];
        assert_eq!(row.machine.status, Status::Fail);
        assert_eq!(row.effective.status, Status::Pass);
        assert_eq!(row.effective.reason_code, ReasonCode::Override);
        assert_eq!(row.points, 4);
        assert_eq!((site.score.total, site.machine_score.total), (4, 0));
        assert_eq!(site.overrides, 1);
    }
}
