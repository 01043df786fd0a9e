//! The run directory's tables: `matrix.csv`, `scores.csv`, `run.json`.
//!
//! CSVs are for Excel users in China: UTF-8 with a BOM, CRLF line ends, and
//! cells that would start a formula neutralised. Every file is written to a
//! temporary name and renamed, so a crash never leaves half a file.

use crate::evidence::StoredEvidence;
use crate::history::OverrideRow;
use crate::rubric::Rubric;
use crate::score::{row_points, score_site, units, SiteScore};
use crate::types::{Finding, ReasonCode, Status};
pub use crate::util::write_atomic;
use anyhow::Result;
use std::collections::HashMap;
use std::io::Write;

/// The matrix columns: the 13 of the contract, in order, then where the
/// evidence is archived, what matched, and an evaluator's override.
pub const MATRIX_COLUMNS: [&str; 19] = [
    "county",
    "url",
    "item",
    "item_name",
    "status",
    "score",
    "max_score",
    "reason",
    "evidence_url",
    "evidence_file",
    "sha256",
    "published",
    "fetched_at",
    "warc_file",
    "warc_record_id",
    "excerpt",
    "override_status",
    "override_note",
    "override_by",
];

/// One county's findings, as the emitters need them.
pub struct SiteResult<'a> {
    pub county: &'a str,
    pub url: &'a str,
    pub findings: &'a [Finding],
    /// Snapshot and WARC record per item id.
    pub evidence: &'a HashMap<String, StoredEvidence>,
    /// Evaluators' overrides in force, per item id. `status` stays the
    /// machine's verdict; scores follow the override.
    pub overrides: &'a HashMap<String, OverrideRow>,
}

impl SiteResult<'_> {
    /// The findings as scored: an override replaces the machine's status.
    pub fn effective(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|f| match self.overrides.get(&f.item) {
                Some(o) => Finding {
                    status: if o.status == "pass" {
                        Status::Pass
                    } else {
                        Status::Fail
                    },
                    reason_code: ReasonCode::Override,
                    reason: format!("override: {} (machine: {})", o.note, f.reason),
                    ..f.clone()
                },
                None => f.clone(),
            })
            .collect()
    }
}

/// A cell Excel would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets
/// a leading apostrophe.
pub fn excel_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn excel_writer(buffer: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    buffer.extend_from_slice("\u{feff}".as_bytes());
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(buffer)
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[String]) -> Result<()> {
    w.write_record(cells.iter().map(|c| excel_safe(c)))?;
    Ok(())
}

pub fn matrix_csv(rubric: &Rubric, sites: &[SiteResult]) -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    {
        let mut w = excel_writer(&mut buffer);
        w.write_record(MATRIX_COLUMNS)?;
        for site in sites {
            let effective = site.effective();
            for (f, scored) in site.findings.iter().zip(&effective) {
                let max = rubric.item(&f.item).map(|i| i.points).unwrap_or(0);
                let over = site.overrides.get(&f.item);
                let ev = f.evidence.as_ref();
                let stored = site.evidence.get(&f.item);
                write_row(
                    &mut w,
                    &[
                        site.county.to_string(),
                        site.url.to_string(),
                        f.item.clone(),
                        f.item_name.clone(),
                        f.status.as_str().to_string(),
                        row_points(rubric, scored).to_string(),
                        max.to_string(),
                        f.reason.clone(),
                        ev.map(|e| e.url.to_string()).unwrap_or_default(),
                        stored.and_then(|s| s.snapshot.clone()).unwrap_or_default(),
                        ev.map(|e| e.sha256.clone()).unwrap_or_default(),
                        ev.and_then(|e| e.published)
                            .map(|p| p.date.to_string())
                            .unwrap_or_default(),
                        ev.map(|e| {
                            e.fetched_at
                                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        })
                        .unwrap_or_default(),
                        stored.map(|s| s.record.file.clone()).unwrap_or_default(),
                        stored
                            .map(|s| s.record.record_id.clone())
                            .unwrap_or_default(),
                        ev.map(|e| e.excerpt.clone()).unwrap_or_default(),
                        over.map(|o| o.status.clone()).unwrap_or_default(),
                        over.map(|o| o.note.clone()).unwrap_or_default(),
                        over.map(|o| {
                            format!("{} {}", o.who, o.created.format("%Y-%m-%d %H:%M UTC"))
                        })
                        .unwrap_or_default(),
                    ],
                )?;
            }
        }
        w.flush()?;
    }
    Ok(buffer)
}

pub fn scores_csv(rubric: &Rubric, sites: &[SiteResult]) -> Result<(Vec<u8>, Vec<SiteScore>)> {
    let mut buffer = Vec::new();
    let mut scores = Vec::new();
    {
        let mut w = excel_writer(&mut buffer);
        let mut header = vec!["county".to_string(), "url".to_string()];
        header.extend(
            units(rubric)
                .into_iter()
                .map(|(id, _, _)| format!("item_{id}")),
        );
        header.extend(
            [
                "total",
                "max_total",
                "pass",
                "fail",
                "inconclusive",
                "machine_total",
                "overrides",
            ]
            .map(String::from),
        );
        write_row(&mut w, &header)?;
        for site in sites {
            let s = score_site(rubric, &site.effective());
            let machine = score_site(rubric, site.findings);
            let mut row = vec![site.county.to_string(), site.url.to_string()];
            row.extend(s.units.iter().map(|u| u.points.to_string()));
            row.extend([s.total, s.max_total].map(|n| n.to_string()));
            row.extend([s.pass, s.fail, s.inconclusive].map(|n| n.to_string()));
            row.extend([machine.total as usize, site.overrides.len()].map(|n| n.to_string()));
            write_row(&mut w, &row)?;
            scores.push(s);
        }
        w.flush()?;
    }
    Ok((buffer, scores))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Status;

    #[test]
    fn matrix_is_excel_ready() {
        let r = Rubric::default_rubric();
        let findings = vec![Finding {
            item: "3".into(),
            item_name: "法治政府报告制度".into(),
            status: Status::Fail,
            reason_code: ReasonCode::Late,
            reason: "=HYPERLINK(\"x\")".into(),
            evidence: None,
        }];
        let none = HashMap::new();
        let no_overrides = HashMap::new();
        let sites = [SiteResult {
            county: "北安市",
            url: "http://a/",
            findings: &findings,
            evidence: &none,
            overrides: &no_overrides,
        }];
        let bytes = matrix_csv(&r, &sites).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\n"));
        assert!(text.starts_with("\u{feff}county,url,item,item_name,status,score,max_score,reason,evidence_url,evidence_file,sha256,published,fetched_at,"));
        assert!(text.contains("'=HYPERLINK"));
        assert!(text.contains("北安市"));
    }
}
