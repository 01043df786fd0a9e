//! What the commands ask of the history: recording a run as it goes, and
//! reading runs back for a recheck, a diff, the item history and overrides.

use super::error::{HistoryError, Result};
use super::{
    parse_ts, site_key, ts, Change, FindingRow, History, ItemHistory, OverrideRow,
    PreviousVerdicts, RunRow, RunState, SiteRow,
};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use std::collections::BTreeMap;

const RUN_COLUMNS: &str =
    "runs.id, runs.run_dir, runs.campaign, runs.rubric_version, runs.tool_version, \
     runs.started, runs.finished, runs.state";

const FINDING_COLUMNS: &str =
    "f.item, f.status, f.reason_code, f.reason, f.evidence_url, f.evidence_sha256, \
     f.published, f.fetched_at, f.snapshot, f.warc_file, f.warc_record_id, f.etag, \
     f.last_modified, f.evidence_title, f.excerpt, f.warc_offset, f.warc_length";

const OVERRIDE_COLUMNS: &str =
    "id, county, item, status, note, evidence_url, who, created, removed";

fn opt_ts(row: &Row, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(idx)?
        .map(|s| parse_ts(idx, &s))
        .transpose()
}

/// A run from `RUN_COLUMNS` starting at column `at`.
fn run_row(row: &Row, at: usize) -> rusqlite::Result<RunRow> {
    let state: String = row.get(at + 7)?;
    Ok(RunRow {
        id: row.get(at)?,
        run_dir: row.get(at + 1)?,
        campaign: row.get(at + 2)?,
        rubric_version: row.get(at + 3)?,
        tool_version: row.get(at + 4)?,
        started: parse_ts(at + 5, &row.get::<_, String>(at + 5)?)?,
        finished: opt_ts(row, at + 6)?,
        state: RunState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                at + 7,
                rusqlite::types::Type::Text,
                format!("unknown run state {state:?}").into(),
            )
        })?,
    })
}

/// A finding from `FINDING_COLUMNS` starting at column `at`.
fn finding_row(row: &Row, at: usize) -> rusqlite::Result<FindingRow> {
    Ok(FindingRow {
        item: row.get(at)?,
        status: row.get(at + 1)?,
        reason_code: row.get(at + 2)?,
        reason: row.get(at + 3)?,
        evidence_url: row.get(at + 4)?,
        evidence_sha256: row.get(at + 5)?,
        published: row.get(at + 6)?,
        fetched_at: opt_ts(row, at + 7)?,
        snapshot: row.get(at + 8)?,
        warc_file: row.get(at + 9)?,
        warc_record_id: row.get(at + 10)?,
        etag: row.get(at + 11)?,
        last_modified: row.get(at + 12)?,
        evidence_title: row.get(at + 13)?,
        excerpt: row.get(at + 14)?,
        warc_offset: row.get(at + 15)?,
        warc_length: row.get(at + 16)?,
    })
}

fn override_row(row: &Row) -> rusqlite::Result<OverrideRow> {
    Ok(OverrideRow {
        id: row.get(0)?,
        county: row.get(1)?,
        item: row.get(2)?,
        status: row.get(3)?,
        note: row.get(4)?,
        evidence_url: row.get(5)?,
        who: row.get(6)?,
        created: parse_ts(7, &row.get::<_, String>(7)?)?,
        removed: opt_ts(row, 8)?,
    })
}

impl History {
    /// Records the start of a run and returns its id. The run is `running`
    /// whatever `run.state` says. A run directory already known and not
    /// complete is resumed: it is `running` again, keeps its id and the
    /// sites it recorded. A complete one is refused.
    pub fn begin_run(&self, run: RunRow) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, state FROM runs WHERE run_dir = ?1",
                [&run.run_dir],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let id = match existing {
            Some((_, state)) if state == RunState::Complete.as_str() => {
                return Err(HistoryError::RunComplete(run.run_dir))
            }
            Some((id, _)) => {
                tx.execute(
                    "UPDATE runs SET state = 'running', finished = NULL WHERE id = ?1",
                    [id],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO runs (run_dir, campaign, rubric_version, tool_version, \
                     started, finished, state) VALUES (?1, ?2, ?3, ?4, ?5, NULL, 'running')",
                    params![
                        run.run_dir,
                        run.campaign,
                        run.rubric_version,
                        run.tool_version,
                        ts(&run.started)
                    ],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Forgets a run: its row, sites and findings. For a run whose
    /// directory no longer holds it (deleted by hand, or replaced with
    /// `--force`): its evidence pointers lead nowhere, or into the new run
    /// that takes its directory. Overrides are kept; they belong to a
    /// county and item, not to a run.
    pub fn forget_run(&self, run_id: i64) -> Result<()> {
        let n = self
            .conn()
            .execute("DELETE FROM runs WHERE id = ?1", [run_id])?;
        if n == 0 {
            return Err(HistoryError::NoSuchRun(run_id));
        }
        Ok(())
    }

    /// Records one site of a run and its findings, in one transaction. A
    /// county recorded again for the same run (a resume, a second pass)
    /// replaces its earlier row and findings.
    pub fn record_site(&self, run_id: i64, site: SiteRow, findings: &[FindingRow]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let site_id: i64 = tx
            .query_row(
                "INSERT INTO sites (run_id, county, url, url_key, pages_fetched, outcome_json) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (run_id, county) DO UPDATE SET url = excluded.url, \
                 url_key = excluded.url_key, pages_fetched = excluded.pages_fetched, \
                 outcome_json = excluded.outcome_json \
                 RETURNING id",
                params![
                    run_id,
                    site.county,
                    site.url,
                    site_key(&site.url),
                    site.pages_fetched,
                    site.outcome_json
                ],
                |r| r.get(0),
            )
            .map_err(|source| HistoryError::RecordSite {
                county: site.county.clone(),
                run_id,
                source,
            })?;
        tx.execute("DELETE FROM findings WHERE site_id = ?1", [site_id])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO findings (site_id, item, status, reason_code, reason, \
                 evidence_url, evidence_sha256, published, fetched_at, snapshot, warc_file, \
                 warc_record_id, etag, last_modified, evidence_title, excerpt, warc_offset, \
                 warc_length) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                 ?17, ?18)",
            )?;
            for f in findings {
                insert
                    .execute(params![
                        site_id,
                        f.item,
                        f.status,
                        f.reason_code,
                        f.reason,
                        f.evidence_url,
                        f.evidence_sha256,
                        f.published,
                        f.fetched_at.as_ref().map(ts),
                        f.snapshot,
                        f.warc_file,
                        f.warc_record_id,
                        f.etag,
                        f.last_modified,
                        f.evidence_title,
                        f.excerpt,
                        f.warc_offset,
                        f.warc_length
                    ])
                    .map_err(|source| HistoryError::RecordFinding {
                        item: f.item.clone(),
                        status: f.status.clone(),
                        county: site.county.clone(),
                        source: Box::new(source),
                    })?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Closes a run: `complete` if every site was checked, else
    /// `incomplete`.
    pub fn finish_run(&self, run_id: i64, finished: DateTime<Utc>, complete: bool) -> Result<()> {
        let state = if complete {
            RunState::Complete
        } else {
            RunState::Incomplete
        };
        let n = self.conn().execute(
            "UPDATE runs SET finished = ?1, state = ?2 WHERE id = ?3",
            params![ts(&finished), state.as_str(), run_id],
        )?;
        if n == 0 {
            return Err(HistoryError::NoSuchRun(run_id));
        }
        Ok(())
    }

    /// Marks every `running` run `incomplete` and returns how many there
    /// were. Call it holding the lock that keeps other runs off this
    /// database: then a run still `running` is one whose process died.
    pub fn mark_incomplete_stale_runs(&self) -> Result<usize> {
        Ok(self.conn().execute(
            "UPDATE runs SET state = 'incomplete' WHERE state = 'running'",
            [],
        )?)
    }

    /// The newest `n` complete runs, newest first.
    pub fn last_complete_runs(&self, n: usize) -> Result<Vec<RunRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE state = 'complete' \
             ORDER BY started DESC, id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([n as i64], |r| run_row(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest run that did not finish (killed, or still running), the
    /// one `crawl --resume` continues by default.
    pub fn last_unfinished_run(&self) -> Result<Option<RunRow>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!(
                    "SELECT {RUN_COLUMNS} FROM runs WHERE state != 'complete' \
                     ORDER BY started DESC, id DESC LIMIT 1"
                ),
                [],
                |r| run_row(r, 0),
            )
            .optional()?)
    }

    /// The run recorded for this run directory (matched exactly).
    pub fn run_by_dir(&self, run_dir: &str) -> Result<Option<RunRow>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE run_dir = ?1"),
                [run_dir],
                |r| run_row(r, 0),
            )
            .optional()?)
    }

    /// The run with this id.
    pub fn run_by_id(&self, run_id: i64) -> Result<Option<RunRow>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
                [run_id],
                |r| run_row(r, 0),
            )
            .optional()?)
    }

    /// The sites a run recorded, by county: what a resume can skip.
    pub fn sites_of_run(&self, run_id: i64) -> Result<Vec<SiteRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT county, url, pages_fetched, outcome_json FROM sites \
             WHERE run_id = ?1 ORDER BY county",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            Ok(SiteRow {
                county: r.get(0)?,
                url: r.get(1)?,
                pages_fetched: r.get(2)?,
                outcome_json: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every finding of a run with its county, by county then item.
    pub fn findings_of_run(&self, run_id: i64) -> Result<Vec<(String, FindingRow)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT s.county, {FINDING_COLUMNS} FROM findings f \
             JOIN sites s ON f.site_id = s.id WHERE s.run_id = ?1 \
             ORDER BY s.county, f.item"
        ))?;
        let rows = stmt.query_map([run_id], |r| Ok((r.get(0)?, finding_row(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest complete run that checked the site at `url` (its http or
    /// https, `www.` or bare twin, with or without a trailing slash), and
    /// that site's findings by item.
    pub fn last_findings_for_url(&self, url: &str) -> Result<Option<(RunRow, Vec<FindingRow>)>> {
        let conn = self.conn();
        let found = conn
            .query_row(
                &format!(
                    "SELECT sites.id, {RUN_COLUMNS} FROM sites \
                     JOIN runs ON sites.run_id = runs.id \
                     WHERE sites.url_key = ?1 AND runs.state = 'complete' \
                     ORDER BY runs.started DESC, runs.id DESC LIMIT 1"
                ),
                [site_key(url)],
                |r| Ok((r.get::<_, i64>(0)?, run_row(r, 1)?)),
            )
            .optional()?;
        let Some((site_id, run)) = found else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings f WHERE f.site_id = ?1 ORDER BY f.item"
        ))?;
        let findings = stmt
            .query_map([site_id], |r| finding_row(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some((run, findings)))
    }

    /// Per county, the verdicts of the newest complete run with the same
    /// rubric that started before run `run_id` and checked that county (so
    /// a one-site `check` counts for its county), each status as that run
    /// scored it: an override in force when the run finished stands for
    /// the machine's verdict. By county then item; counties no earlier run
    /// checked are absent.
    pub fn previous_verdicts(&self, run_id: i64) -> Result<Vec<PreviousVerdicts>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "WITH this AS (SELECT rubric_version, started FROM runs WHERE id = ?1), \
             earlier AS ( \
               SELECT s.id AS site_id, s.county, r.started, r.finished, \
                 ROW_NUMBER() OVER (PARTITION BY s.county \
                   ORDER BY r.started DESC, r.id DESC) AS newest \
               FROM sites s JOIN runs r ON s.run_id = r.id JOIN this \
               WHERE r.state = 'complete' AND r.id != ?1 \
                 AND r.rubric_version = this.rubric_version AND r.started < this.started) \
             SELECT e.county, e.started, f.item, COALESCE( \
               (SELECT o.status FROM overrides o \
                WHERE o.county = e.county AND o.item = f.item AND o.created <= e.finished \
                  AND (o.removed IS NULL OR o.removed > e.finished) \
                ORDER BY o.created DESC LIMIT 1), \
               f.status) \
             FROM earlier e JOIN findings f ON f.site_id = e.site_id \
             WHERE e.newest = 1 ORDER BY e.county, f.item",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                parse_ts(1, &r.get::<_, String>(1)?)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out: Vec<PreviousVerdicts> = Vec::new();
        for row in rows {
            let (county, run_started, item, status) = row?;
            match out.last_mut() {
                Some(last) if last.county == county => last.statuses.push((item, status)),
                _ => out.push(PreviousVerdicts {
                    county,
                    run_started,
                    statuses: vec![(item, status)],
                }),
            }
        }
        Ok(out)
    }

    /// The county × items whose status or evidence sha256 differs from run
    /// `before` to run `after`, by county then item. An item only one run
    /// has shows with `None` on the other side.
    pub fn diff(&self, before: i64, after: i64) -> Result<Vec<Change>> {
        let mut pairs: BTreeMap<(String, String), (Option<FindingRow>, Option<FindingRow>)> =
            BTreeMap::new();
        for (county, f) in self.findings_of_run(before)? {
            let key = (county, f.item.clone());
            pairs.entry(key).or_default().0 = Some(f);
        }
        for (county, f) in self.findings_of_run(after)? {
            let key = (county, f.item.clone());
            pairs.entry(key).or_default().1 = Some(f);
        }
        Ok(pairs
            .into_iter()
            .filter(|(_, (b, a))| match (b, a) {
                (Some(b), Some(a)) => {
                    b.status != a.status || b.evidence_sha256 != a.evidence_sha256
                }
                _ => true,
            })
            .map(|((county, item), (before, after))| Change {
                county,
                item,
                before,
                after,
            })
            .collect())
    }

    /// Each county × item over the complete runs in time order, optionally
    /// narrowed to one county and/or one item; by county then item.
    pub fn item_history(
        &self,
        county: Option<&str>,
        item: Option<&str>,
    ) -> Result<Vec<ItemHistory>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT s.county, f.item, f.status, r.started FROM findings f \
             JOIN sites s ON f.site_id = s.id JOIN runs r ON s.run_id = r.id \
             WHERE r.state = 'complete' AND (?1 IS NULL OR s.county = ?1) \
             AND (?2 IS NULL OR f.item = ?2) \
             ORDER BY s.county, f.item, r.started, r.id",
        )?;
        let rows = stmt.query_map(params![county, item], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                parse_ts(3, &r.get::<_, String>(3)?)?,
            ))
        })?;
        let mut out: Vec<ItemHistory> = Vec::new();
        // The last decided (pass/fail) status of the entry being built.
        let mut decided: Option<String> = None;
        for row in rows {
            let (county, item, status, started) = row?;
            let same = out
                .last()
                .is_some_and(|h| h.county == county && h.item == item);
            if !same {
                decided = None;
                out.push(ItemHistory {
                    county,
                    item,
                    first_pass: None,
                    last_pass: None,
                    flips: 0,
                    runs: 0,
                    current: String::new(),
                });
            }
            let h = out.last_mut().expect("pushed above");
            h.runs += 1;
            if status == "pass" {
                h.first_pass.get_or_insert(started);
                h.last_pass = Some(started);
            }
            if status == "pass" || status == "fail" {
                if decided.as_ref().is_some_and(|d| *d != status) {
                    h.flips += 1;
                }
                decided = Some(status.clone());
            }
            h.current = status;
        }
        Ok(out)
    }

    /// Records an override and returns its id; one already in force for
    /// the same county × item is superseded (marked removed by `who`).
    pub fn add_override(&self, o: OverrideRow) -> Result<i64> {
        if o.status != "pass" && o.status != "fail" {
            return Err(HistoryError::OverrideStatus(o.status));
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE overrides SET removed = ?1, removed_by = ?2 \
             WHERE county = ?3 AND item = ?4 AND removed IS NULL",
            params![ts(&o.created), o.who, o.county, o.item],
        )?;
        tx.execute(
            "INSERT INTO overrides (county, item, status, note, evidence_url, who, created) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                o.county,
                o.item,
                o.status,
                o.note,
                o.evidence_url,
                o.who,
                ts(&o.created)
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Removes the override in force for a county × item, recording who and
    /// when; `false` if there was none.
    pub fn remove_override(&self, county: &str, item: &str, who: &str) -> Result<bool> {
        let n = self.conn().execute(
            "UPDATE overrides SET removed = ?1, removed_by = ?2 \
             WHERE county = ?3 AND item = ?4 AND removed IS NULL",
            params![ts(&Utc::now()), who, county, item],
        )?;
        Ok(n > 0)
    }

    /// The overrides in force, by county then item.
    pub fn active_overrides(&self) -> Result<Vec<OverrideRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OVERRIDE_COLUMNS} FROM overrides WHERE removed IS NULL \
             ORDER BY county, item"
        ))?;
        let rows = stmt.query_map([], override_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
