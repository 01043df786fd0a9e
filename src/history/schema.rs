//! The history database's schema, as an ordered list of migrations.
//!
//! A database records how many migrations it has seen in
//! `PRAGMA user_version`; opening it applies the rest, each in its own
//! immediate transaction so two processes opening a fresh file at once
//! cannot both apply the same step. A database written by a newer govcheck
//! (a version beyond this list) is refused rather than misread.
//!
//! Append to `MIGRATIONS`, never edit a step that has shipped: databases in
//! the field have already run it.

use super::error::{HistoryError, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Migration `i` takes a database from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: runs, the sites each run checked, one finding per site × item, and
    // the evaluators' overrides (kept after removal, for the record).
    r#"
    CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        run_dir        TEXT NOT NULL UNIQUE,
        campaign       TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        tool_version   TEXT NOT NULL,
        started        TEXT NOT NULL,
        finished       TEXT,
        state          TEXT NOT NULL
                       CHECK (state IN ('running', 'complete', 'incomplete'))
    );
    CREATE INDEX runs_state_started ON runs (state, started);

    CREATE TABLE sites (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        county        TEXT NOT NULL,
        url           TEXT NOT NULL,
        -- the URL without scheme, `www.` and trailing slash: http/https and
        -- www/bare twins of a site share it
        url_key       TEXT NOT NULL,
        pages_fetched INTEGER NOT NULL,
        outcome_json  TEXT NOT NULL,
        UNIQUE (run_id, county)
    );
    CREATE INDEX sites_county ON sites (county);
    CREATE INDEX sites_url_key ON sites (url_key);

    CREATE TABLE findings (
        id              INTEGER PRIMARY KEY,
        site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        item            TEXT NOT NULL,
        status          TEXT NOT NULL
                        CHECK (status IN ('pass', 'fail', 'inconclusive')),
        reason_code     TEXT NOT NULL,
        reason          TEXT NOT NULL,
        evidence_url    TEXT,
        evidence_sha256 TEXT,
        published       TEXT,
        fetched_at      TEXT,
        snapshot        TEXT,
        warc_file       TEXT,
        warc_record_id  TEXT,
        etag            TEXT,
        last_modified   TEXT,
        UNIQUE (site_id, item)
    );
    CREATE INDEX findings_item ON findings (item);

    CREATE TABLE overrides (
        id           INTEGER PRIMARY KEY,
        county       TEXT NOT NULL,
        item         TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pass', 'fail')),
        note         TEXT NOT NULL,
        evidence_url TEXT,
        who          TEXT NOT NULL,
        created      TEXT NOT NULL,
        removed      TEXT,
        removed_by   TEXT
    );
    CREATE INDEX overrides_county_item ON overrides (county, item);
    -- at most one override in force per county × item
    CREATE UNIQUE INDEX overrides_active ON overrides (county, item)
        WHERE removed IS NULL;
    "#,
    // 2: what the evidence was called and what matched, so a recheck can
    // revisit an attachment under the name its link gave it.
    r#"
    ALTER TABLE findings ADD COLUMN evidence_title TEXT;
    ALTER TABLE findings ADD COLUMN excerpt TEXT;
    "#,
    // 3: where the evidence record sits in its WARC file, so a recheck can
    // read it back to stand for a 304 Not Modified.
    r#"
    ALTER TABLE findings ADD COLUMN warc_offset INTEGER;
    ALTER TABLE findings ADD COLUMN warc_length INTEGER;
    "#,
];

/// The schema version this build writes.
pub(super) const LATEST: u32 = MIGRATIONS.len() as u32;

fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings `conn` up to [`LATEST`]; refuses a database from a newer build.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read under the write lock: another process may have just migrated.
        let current = version(&tx)?;
        if current > LATEST {
            return Err(HistoryError::NewerSchema {
                found: current,
                latest: LATEST,
            });
        }
        if current == LATEST {
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[current as usize])
            .map_err(|source| HistoryError::Migration {
                number: current + 1,
                source,
            })?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}
