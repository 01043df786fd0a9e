//! `matrix.csv`: one row per county and rubric item, with the machine's
//! verdict, the points as scored, where the evidence is archived, and an
//! evaluator's override beside the machine's verdict.

use super::excel::{excel_writer, write_row};
use super::EmitError;
use crate::score::ScoredRun;

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

/// The bytes of `matrix.csv`. `status` and `reason` are the machine's;
/// `score` follows an override.
pub fn matrix_csv(run: &ScoredRun) -> Result<Vec<u8>, EmitError> {
    let mut buffer = Vec::new();
    {
        let mut w = excel_writer(&mut buffer);
        w.write_record(MATRIX_COLUMNS)?;
        for site in &run.sites {
            for row in &site.rows {
                let f = row.machine;
                let over = row.override_row;
                let ev = f.evidence.as_ref();
                let stored = row.stored;
                write_row(
                    &mut w,
                    &[
                        site.county.to_string(),
                        site.url.to_string(),
                        f.item.clone(),
                        f.item_name.clone(),
                        f.status.as_str().to_string(),
                        row.points.to_string(),
                        row.max_points.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;
    use crate::score::{score_run, SiteFindings};
    use crate::types::{Finding, ReasonCode, Status};
    use std::collections::HashMap;

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
        let sites = [SiteFindings {
            county: "北安市",
            url: "http://a/",
            findings: &findings,
            evidence: &none,
        }];
        let bytes = matrix_csv(&score_run(&r, &sites, &[])).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\n"));
        assert!(text.starts_with("\u{feff}county,url,item,item_name,status,score,max_score,reason,evidence_url,evidence_file,sha256,published,fetched_at,"));
        assert!(text.contains("'=HYPERLINK"));
        assert!(text.contains("北安市"));
    }
}
