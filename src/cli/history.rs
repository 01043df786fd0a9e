//! The history commands: `diff`, `history` and `override`, reading and
//! writing the history database and printing tables a scheduler or an
//! evaluator can read.
//!
//! They are subcommand bodies (they print, and say what is wrong in the
//! words of the command line's flags), so they live at the binary's edge
//! with the rest of the CLI and report errors with `anyhow`.

use crate::history::{regressions, Change, FindingRow, History, OverrideRow, RunRow};
use anyhow::{anyhow, bail, Context, Result};
use chrono::Utc;
use std::path::{Path, PathBuf};

/// Exit code of `diff` when some item went from pass to fail.
pub const REGRESSION_EXIT: i32 = 3;

fn open(db: &Path) -> Result<History> {
    if !db.exists() {
        bail!(
            "no history database at {} (it is made by the first crawl; see --db)",
            db.display()
        );
    }
    Ok(History::open(db)?)
}

fn run_of(history: &History, dir: &Path) -> Result<RunRow> {
    let key = crate::run::run_dir_key(dir);
    history.run_by_dir(&key)?.ok_or_else(|| {
        anyhow!(
            "{} is not a run recorded in the history database",
            dir.display()
        )
    })
}

fn describe(f: &Option<FindingRow>, run: &RunRow) -> String {
    match f {
        Some(f) => {
            let snapshot = f
                .snapshot
                .as_ref()
                .map(|s| format!(" {}", Path::new(&run.run_dir).join(s).display()))
                .unwrap_or_default();
            format!("{} ({}){snapshot}", f.status, f.reason_code)
        }
        None => "—".into(),
    }
}

/// `govcheck diff`: print what changed between two complete runs (default:
/// the last two); exit code 3 when an item went from pass to fail.
pub fn diff(db: &Path, before: Option<PathBuf>, after: Option<PathBuf>) -> Result<i32> {
    let history = open(db)?;
    let (a, b) = match (before, after) {
        (Some(a), Some(b)) => (run_of(&history, &a)?, run_of(&history, &b)?),
        (Some(_), None) | (None, Some(_)) => {
            bail!("give both run directories, or neither for the last two runs")
        }
        (None, None) => {
            let mut last = history.last_complete_runs(2)?;
            if last.len() < 2 {
                bail!(
                    "the history holds {} complete run(s); diff needs two",
                    last.len()
                );
            }
            let newer = last.remove(0);
            (last.remove(0), newer)
        }
    };
    let changes: Vec<Change> = history.diff(a.id, b.id)?;
    println!(
        "before: {} ({})\nafter:  {} ({})",
        a.run_dir,
        a.started.format("%Y-%m-%d %H:%M UTC"),
        b.run_dir,
        b.started.format("%Y-%m-%d %H:%M UTC")
    );
    if changes.is_empty() {
        println!("no item changed");
    }
    let mut county = "";
    for c in &changes {
        if c.county != county {
            county = &c.county;
            println!("\n{county}");
        }
        let mark = if c.is_regression() { "REGRESSION " } else { "" };
        println!(
            "  {mark}{:<26} {}  →  {}",
            c.item,
            describe(&c.before, &a),
            describe(&c.after, &b)
        );
    }
    let lost = regressions(&changes);
    if lost > 0 {
        println!("\n{lost} item(s) went from pass to fail");
        return Ok(REGRESSION_EXIT);
    }
    Ok(0)
}

/// `govcheck history`: when each item first and last passed, and how
/// often it flipped.
pub fn history(db: &Path, county: Option<&str>, item: Option<&str>) -> Result<i32> {
    let history = open(db)?;
    let rows = history.item_history(county, item)?;
    println!(
        "{:<12} {:<26} {:<13} {:<17} {:<17} {:>5} {:>5}",
        "county", "item", "current", "first pass", "last pass", "flips", "runs"
    );
    let day = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "never".into())
    };
    for r in rows {
        println!(
            "{:<12} {:<26} {:<13} {:<17} {:<17} {:>5} {:>5}",
            r.county,
            r.item,
            r.current,
            day(r.first_pass),
            day(r.last_pass),
            r.flips,
            r.runs
        );
    }
    Ok(0)
}

/// `govcheck override`: record an evaluator's decision over the machine
/// verdict.
pub fn add_override(
    db: &Path,
    county: &str,
    item: &str,
    status: &str,
    note: &str,
    evidence: Option<String>,
    who: &str,
) -> Result<i32> {
    if status != "pass" && status != "fail" {
        bail!("--status must be pass or fail, not `{status}`");
    }
    if crate::rubric::Rubric::default_rubric().item(item).is_none() {
        bail!("`{item}` is not a rubric item id (3, 4, 7.column, …)");
    }
    let history = History::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    if history.item_history(Some(county), Some(item))?.is_empty() {
        bail!(
            "no complete run in {} checked `{county}`; an override attaches to a county the history knows (see `govcheck history`)",
            db.display()
        );
    }
    history.add_override(OverrideRow {
        id: 0,
        county: county.to_string(),
        item: item.to_string(),
        status: status.to_string(),
        note: note.to_string(),
        evidence_url: evidence,
        who: who.to_string(),
        created: Utc::now(),
        removed: None,
    })?;
    println!("{county} {item}: override {status} recorded by {who}; it holds in later runs until `govcheck override --remove`");
    Ok(0)
}

/// `govcheck override --remove`: remove the override in force.
pub fn remove_override(db: &Path, county: &str, item: &str, who: &str) -> Result<i32> {
    let history = open(db)?;
    if history.remove_override(county, item, who)? {
        println!("{county} {item}: override removed by {who}");
        Ok(0)
    } else {
        bail!("{county} {item} has no override in force")
    }
}
