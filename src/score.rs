//! Rubric points from findings.
//!
//! Weights are data: each item's points, and each group's cap (item 7: the
//! column, guide and catalogue parts; item 10: one point per domain, at
//! most 7). `inconclusive` scores nothing but is counted apart, so the
//! evaluator sees what still needs a human.

use crate::rubric::Rubric;
use crate::types::{Finding, Status};

/// One scored unit: a stand-alone item, or a group of items under a cap.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitScore {
    pub id: String,
    pub name: String,
    pub points: u32,
    pub max_points: u32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteScore {
    pub units: Vec<UnitScore>,
    pub total: u32,
    pub max_total: u32,
    pub pass: usize,
    pub fail: usize,
    pub inconclusive: usize,
}

/// Points a single row earns before any group cap.
pub fn row_points(rubric: &Rubric, finding: &Finding) -> u32 {
    match (finding.status, rubric.item(&finding.item)) {
        (Status::Pass, Some(item)) => item.points,
        _ => 0,
    }
}

/// The scoring units in rubric order: ("3", None), ("7", Some(group)), …
pub fn units(rubric: &Rubric) -> Vec<(String, String, Option<u32>)> {
    let mut out: Vec<(String, String, Option<u32>)> = Vec::new();
    for item in &rubric.items {
        match &item.group {
            None => out.push((item.id.clone(), item.name.clone(), None)),
            Some(g) if !out.iter().any(|(id, _, _)| id == g) => {
                let group = rubric.group(g).expect("rubric checks groups");
                out.push((group.id.clone(), group.name.clone(), Some(group.cap)));
            }
            Some(_) => {}
        }
    }
    out
}

pub fn score_site(rubric: &Rubric, findings: &[Finding]) -> SiteScore {
    let units = units(rubric)
        .into_iter()
        .map(|(id, name, cap)| {
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
        let s = score_site(&r, &all);
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
        let s = score_site(&r, &all);
        let seven = s.units.iter().find(|u| u.id == "7").unwrap();
        assert_eq!(seven.points, 2);
        assert_eq!(s.total, 2);
        assert_eq!(s.inconclusive, 1);
    }
}
