//! `scores.csv`: one row per county with the points of every scoring unit
//! as scored, the totals and counts, and what the machine alone would
//! have scored.

use super::excel::{excel_writer, write_row};
use super::EmitError;
use crate::score::ScoredRun;

/// The bytes of `scores.csv`.
pub fn scores_csv(run: &ScoredRun) -> Result<Vec<u8>, EmitError> {
    let mut buffer = Vec::new();
    {
        let mut w = excel_writer(&mut buffer);
        let mut header = vec!["county".to_string(), "url".to_string()];
        header.extend(run.units.iter().map(|u| format!("item_{}", u.id)));
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
        for site in &run.sites {
            let s = &site.score;
            let mut row = vec![site.county.to_string(), site.url.to_string()];
            row.extend(s.units.iter().map(|u| u.points.to_string()));
            row.extend([s.total, s.max_total].map(|n| n.to_string()));
            row.extend([s.pass, s.fail, s.inconclusive].map(|n| n.to_string()));
            row.extend([site.machine_score.total as usize, site.overrides].map(|n| n.to_string()));
            write_row(&mut w, &row)?;
        }
        w.flush()?;
    }
    Ok(buffer)
}
