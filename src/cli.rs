//! The command line: `crawl`, `check` and `demo`, their flags, and the exit
//! codes a scheduler reads.

use crate::campaign::{Campaign, County, DEFAULT_TARGETS};
use crate::crawl::{default_user_agent, CrawlConfig, Rate};
use crate::rubric::Rubric;
use crate::run::{self, RunOptions, RunReport};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use url::Url;

const EXIT_CODES: &str =
    "Exit codes: 0 run completed (whatever the verdicts); 1 run failed (bad input, I/O); \
2 run completed but some row is inconclusive (a site could not be fully checked); \
3 (diff only) some item went from pass to fail.";

#[derive(Parser, Debug)]
#[command(name = "govcheck", version, about = "Checks Chinese county government websites for the disclosures an evaluation rubric requires, and keeps evidence.", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Crawl every county of the campaign and write a run directory.
    #[command(after_help = EXIT_CODES)]
    Crawl {
        /// Targets file (campaign window and counties).
        #[arg(long, default_value = DEFAULT_TARGETS)]
        targets: PathBuf,
        /// Continue an interrupted run (the one in --out, or the newest
        /// unfinished run in the history): finished sites are kept and
        /// captured pages are not fetched again.
        #[arg(long)]
        resume: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Recheck one site and print its item table.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The site's homepage URL.
        url: String,
        /// County name (the issuer test compares titles with it).
        #[arg(long)]
        name: Option<String>,
        /// Targets file the evaluation window is read from.
        #[arg(long, default_value = DEFAULT_TARGETS)]
        targets: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// What changed between two complete runs (default: the last two):
    /// per county, items whose status or evidence changed. Exit code 3 when
    /// any item went from pass to fail.
    Diff {
        /// The earlier run directory.
        before: Option<PathBuf>,
        /// The later run directory.
        after: Option<PathBuf>,
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// When each item first and last passed, and how often it flipped.
    History {
        #[arg(long)]
        county: Option<String>,
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Record an evaluator's decision over the machine verdict; it holds in
    /// later runs until removed with --remove.
    Override {
        #[arg(long)]
        county: String,
        #[arg(long)]
        item: String,
        /// pass or fail.
        #[arg(long, required_unless_present = "remove")]
        status: Option<String>,
        /// Why (shown in matrix, scores, report and export).
        #[arg(long, required_unless_present = "remove")]
        note: Option<String>,
        /// The evidence the evaluator relied on.
        #[arg(long)]
        evidence: Option<String>,
        /// Who decides (default: $USER).
        #[arg(long)]
        who: Option<String>,
        /// Remove the override in force instead.
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Export a run's evidence matrix as CSV (Excel), XLSX or JSON.
    Export {
        /// The run directory.
        #[arg(long)]
        run: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: crate::emit::export::ExportFormat,
        /// Output file (default: DIR/export.<format>).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Re-hash every file and WARC record of a run directory; exit code 1
    /// if anything differs from what govcheck wrote.
    Verify {
        /// The run directory.
        dir: PathBuf,
    },
    /// Serve the bundled fixture sites on 127.0.0.1 and crawl them: a
    /// complete run on a machine with no internet.
    Demo {
        /// Directory of fixture sites.
        #[arg(long)]
        fixtures: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args, Debug)]
pub struct Common {
    /// Run directory (default: runs/<UTC timestamp>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Requests per second per host; 0 or `inf` means unlimited.
    #[arg(long, default_value = "1")]
    rate: String,
    /// Page budget per site.
    #[arg(long, default_value_t = 2000)]
    max_pages: usize,
    /// Do not read or obey robots.txt (for sites you own or have leave to crawl).
    #[arg(long)]
    ignore_robots: bool,
    /// Refuse pages whose TLS certificate does not verify (default: read
    /// them and record `tls_unverified`).
    #[arg(long)]
    strict_tls: bool,
    /// User-Agent to send (default names govcheck and a contact URL).
    #[arg(long)]
    user_agent: Option<String>,
    /// Rubric file (default: the embedded Heihe 2023 rubric).
    #[arg(long)]
    rubric: Option<PathBuf>,
    /// Hide progress bars.
    #[arg(long)]
    quiet: bool,
    /// History database (default: $GOVCHECK_DB, else runs/govcheck.sqlite).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Also save a PNG of each evidence snapshot (needs Chromium on PATH).
    #[arg(long)]
    screenshots: bool,
    /// Operator contact recorded in the web archive (who ran this crawl).
    #[arg(long, env = "GOVCHECK_OPERATOR")]
    operator: Option<String>,
}

/// `--rate`: a positive number, or 0 / `inf` for unlimited.
pub fn parse_rate(value: &str) -> Result<Rate> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("inf") || v.eq_ignore_ascii_case("unlimited") {
        return Ok(None);
    }
    let r: f64 = v
        .parse()
        .map_err(|_| anyhow!("--rate `{value}` is not a number (or `inf`)"))?;
    if !r.is_finite() || r < 0.0 {
        bail!("--rate `{value}` must be 0, `inf` or a positive number");
    }
    Ok(if r == 0.0 { None } else { Some(r) })
}

impl Common {
    fn options(&self) -> Result<RunOptions> {
        let rubric = match &self.rubric {
            Some(path) => Rubric::load(path)?,
            None => Rubric::default_rubric(),
        };
        let crawl = CrawlConfig {
            rate: parse_rate(&self.rate)?,
            max_pages: self.max_pages.max(1),
            ignore_robots: self.ignore_robots,
            strict_tls: self.strict_tls,
            user_agent: self.user_agent.clone().unwrap_or_else(default_user_agent),
            ..CrawlConfig::default()
        };
        Ok(RunOptions {
            crawl,
            rubric: Arc::new(rubric),
            out: self.out.clone().unwrap_or_else(run::default_out_dir),
            progress: !self.quiet && std::io::stderr().is_terminal(),
            operator: self.operator.clone().unwrap_or_default(),
            db: self.db.clone().unwrap_or_else(crate::history::default_db_path),
            resume: false,
            focused: false,
            chromium: self.screenshots.then(crate::evidence::screenshot::find_chromium).flatten().or_else(|| {
                if self.screenshots {
                    eprintln!("notice: --screenshots needs Chromium (chromium, chromium-browser or google-chrome on PATH); none found, so no PNGs are made. Everything else runs as usual.");
                }
                None
            }),
        })
    }
}

/// Run the command; the result is the process exit code.
pub async fn main(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Crawl {
            targets,
            resume,
            common,
        } => {
            let campaign = Campaign::load(&targets)?;
            let mut options = common.options()?;
            if resume {
                options.resume = true;
                if common.out.is_none() {
                    let history = crate::history::History::open(&options.db)?;
                    let run = history.last_unfinished_run()?.ok_or_else(|| {
                        anyhow!("no unfinished run in {} to resume", options.db.display())
                    })?;
                    options.out = PathBuf::from(run.run_dir);
                }
            }
            let report = run::run_campaign(&campaign, &options).await?;
            print!("{}", run::summary_table(&options.rubric, &report));
            Ok(finish(&report))
        }
        Command::Check {
            url,
            name,
            targets,
            common,
        } => {
            let url = Url::parse(&url).with_context(|| format!("`{url}` is not a URL"))?;
            if url.scheme() != "http" && url.scheme() != "https" {
                bail!("`{url}` is not an http(s) URL");
            }
            let mut campaign = match Campaign::load(&targets) {
                Ok(c) => c,
                Err(e) if !targets.exists() => {
                    return Err(e.context(
                        "the evaluation window comes from the targets file; pass --targets",
                    ))
                }
                Err(e) => return Err(e),
            };
            let known = campaign
                .counties
                .iter()
                .find(|c| same_site(&c.url, &url))
                .map(|c| c.name.clone());
            let name = name.or(known).ok_or_else(|| {
                anyhow!(
                    "{url} is not in {}; name its county with --name",
                    targets.display()
                )
            })?;
            let mut options = common.options()?;
            // A recheck: the last complete run's evidence first, then only
            // what points at items it does not confirm.
            let previous = match crate::history::History::open(&options.db) {
                Ok(history) => history.last_findings_for_url(url.as_str())?,
                Err(e) => {
                    tracing::warn!("no history to recheck against: {e:#}");
                    None
                }
            };
            if let Some((run, findings)) = &previous {
                options.crawl.seeds = crate::run::recheck_seeds(findings);
                let earlier = crate::run::revalidate::EarlierEvidence::from_history(run, findings);
                if !earlier.is_empty() {
                    options.crawl.revalidate = Some(std::sync::Arc::new(earlier));
                }
                options.focused = true;
            }
            campaign.counties = vec![County { name, url }];
            let report = run::run_campaign(&campaign, &options).await?;
            if let Some(site) = report.sites.first() {
                print!("{}", run::item_table(site, previous.as_ref()));
                match &previous {
                    Some((run, _)) => println!(
                        "recheck of the run of {}: {} pages fetched, {} of them unchanged (304 Not Modified)",
                        run.started.format("%Y-%m-%d %H:%M UTC"),
                        site.outcome.pages_fetched,
                        site.outcome.pages_not_modified
                    ),
                    None => println!(
                        "first check of this site: {} pages fetched",
                        site.outcome.pages_fetched
                    ),
                }
            }
            print!("{}", run::summary_table(&options.rubric, &report));
            Ok(finish(&report))
        }
        Command::Diff { before, after, db } => {
            crate::history_cli::diff(&db_path(db), before, after)
        }
        Command::History { county, item, db } => {
            crate::history_cli::history(&db_path(db), county.as_deref(), item.as_deref())
        }
        Command::Override {
            county,
            item,
            status,
            note,
            evidence,
            who,
            remove,
            db,
        } => {
            let who = who
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "unknown".into());
            let db = db_path(db);
            if remove {
                crate::history_cli::remove_override(&db, &county, &item, &who)
            } else {
                let (status, note) = (status.unwrap_or_default(), note.unwrap_or_default());
                crate::history_cli::add_override(
                    &db, &county, &item, &status, &note, evidence, &who,
                )
            }
        }
        Command::Export {
            run,
            format,
            output,
        } => {
            let written = crate::emit::export::export(&run, format, output)?;
            println!("{}", written.display());
            Ok(0)
        }
        Command::Verify { dir } => {
            let v = crate::evidence::verify::verify(&dir)?;
            for problem in &v.problems {
                println!("MISMATCH {problem}");
            }
            println!(
                "{}: {} files and {} WARC records checked, {} problem(s)",
                dir.display(),
                v.files_checked,
                v.records_checked,
                v.problems.len()
            );
            Ok(if v.intact() { 0 } else { 1 })
        }
        Command::Demo { fixtures, common } => {
            let root = fixtures.unwrap_or_else(run::bundled_fixtures);
            let servers = crate::serve::start_all(&root)
                .await
                .with_context(|| format!("cannot serve the fixture sites in {}", root.display()))?;
            if servers.is_empty() {
                bail!(
                    "no fixture sites (directories with _site.toml) in {}",
                    root.display()
                );
            }
            let campaign = Campaign {
                name: "govcheck demo (bundled fixture sites on 127.0.0.1)".into(),
                window_start: chrono::NaiveDate::from_ymd_opt(2022, 7, 1).expect("valid date"),
                window_end: chrono::NaiveDate::from_ymd_opt(2023, 6, 30).expect("valid date"),
                counties: servers
                    .iter()
                    .map(|s| {
                        Ok(County {
                            name: s.name.clone(),
                            url: Url::parse(&s.url())?,
                        })
                    })
                    .collect::<Result<_>>()?,
            };
            let mut options = common.options()?;
            if common.rate == "1" {
                options.crawl.rate = None;
            }
            let report = run::run_campaign(&campaign, &options).await?;
            print!("{}", run::summary_table(&options.rubric, &report));
            Ok(finish(&report))
        }
    }
}

fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(crate::history::default_db_path)
}

fn same_site(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_string()
    };
    host(a) == host(b) && a.port_or_known_default() == b.port_or_known_default()
        || host(a) == host(b) && a.port().is_none() && b.port().is_none()
}

fn finish(report: &RunReport) -> i32 {
    eprintln!("run directory: {}", report.out.display());
    if report.has_inconclusive() {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(parse_rate("1").unwrap(), Some(1.0));
        assert_eq!(parse_rate("0").unwrap(), None);
        assert_eq!(parse_rate("inf").unwrap(), None);
        assert!(parse_rate("-1").is_err());
        assert!(parse_rate("fast").is_err());
    }

    #[test]
    fn cli_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
