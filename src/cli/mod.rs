//! The command line: `crawl`, `check` and `demo`, their flags, and the exit
//! codes a scheduler reads.
//!
//! This is the binary's edge: the library's typed errors become `anyhow`
//! here (and only here, with `src/main.rs`), which prints them as
//! `context: cause`. The history subcommands' bodies are in `history`;
//! `campaign show` / `rubric show` in `show`, `init` in `init`, `doctor`
//! in `doctor`.

mod doctor;
mod history;
mod init;
mod show;

use crate::campaign::Campaign;
use crate::crawl::render::{RenderLimits, RenderMode, Renderer};
use crate::crawl::{default_user_agent, CrawlConfig, Rate};
use crate::rubric::Rubric;
use crate::run::{self, RunOptions, RunReport};
use crate::terminal::Verbosity;
use anyhow::{anyhow, bail, Result};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const EXIT_CODES: &str =
    "Exit codes: 0 run completed (whatever the verdicts); 1 run failed (bad input, I/O, \
an unknown flag); \
2 run completed but some row is inconclusive (a site could not be fully checked); \
3 (diff only) some item went from pass to fail.";

/// The command line: one subcommand and its flags.
#[derive(Parser, Debug)]
#[command(name = "govcheck", version, about = "Checks Chinese county government websites for the disclosures an evaluation rubric requires, and keeps evidence.", after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
// Doc comments here are `--help` text, so flags that have none stay so.
#[allow(missing_docs)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Crawl every county of the campaign and write a run directory.
    #[command(after_help = EXIT_CODES)]
    Crawl {
        /// Targets file (campaign window and counties); default: the
        /// embedded Heihe 2023 campaign (see `govcheck campaign show`).
        #[arg(long)]
        targets: Option<PathBuf>,
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
        /// The site's URL: its homepage or any page of it; `http://` is
        /// assumed without a scheme.
        url: String,
        /// County name (the issuer test compares titles with it); default:
        /// as the campaign, else the last run that crawled the host, names it.
        #[arg(long)]
        name: Option<String>,
        /// Targets file the evaluation window (and the county's name) is
        /// read from; default: the embedded campaign.
        #[arg(long)]
        targets: Option<PathBuf>,
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
    /// The campaign in use: name, window, counties and URLs.
    Campaign {
        #[command(subcommand)]
        action: CampaignAction,
    },
    /// The rubric in use: items, points and deadlines.
    Rubric {
        #[command(subcommand)]
        action: RubricAction,
    },
    /// Write the shipped campaign and rubric into DIR for editing
    /// (targets/heihe-2023.toml, rubrics/heihe-2023.toml).
    Init {
        /// Where to write them.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Check what govcheck needs on this machine: poppler's pdftotext and
    /// pdfinfo, Chromium (for --render and --screenshots), the history database,
    /// the output folder. Exit code 1 when a required one is missing.
    Doctor {
        #[arg(long)]
        db: Option<PathBuf>,
        /// The folder run directories are written to.
        #[arg(long, default_value = "runs")]
        out: PathBuf,
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

/// `govcheck campaign …`.
#[derive(Subcommand, Debug)]
pub enum CampaignAction {
    /// Print the campaign: name, window, counties and URLs.
    Show {
        /// Targets file (default: the embedded campaign).
        #[arg(long)]
        targets: Option<PathBuf>,
    },
}

/// `govcheck rubric …`.
#[derive(Subcommand, Debug)]
pub enum RubricAction {
    /// Print the rubric: items, points, what counts, deadlines.
    Show {
        /// Rubric file (default: the embedded rubric).
        #[arg(long)]
        rubric: Option<PathBuf>,
    },
}

/// The flags every crawling subcommand (`crawl`, `check`, `demo`) takes.
#[derive(Args, Debug)]
pub struct Common {
    /// Run directory (default: runs/<UTC timestamp>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Delete a finished run in --out and run again (without it, a
    /// finished run is never overwritten).
    #[arg(long)]
    force: bool,
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
    /// Print only errors, the final table and its warnings (no progress
    /// bars, no per-site lines).
    #[arg(long, short, overrides_with = "verbose")]
    quiet: bool,
    /// Say more on stderr: -v the crawler's info lines, -vv debug lines
    /// ($GOVCHECK_LOG, a tracing filter, overrides both).
    #[arg(long, short, action = clap::ArgAction::Count, overrides_with = "quiet")]
    verbose: u8,
    /// History database (default: $GOVCHECK_DB, else runs/govcheck.sqlite).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Also save a PNG of each evidence snapshot (needs Chromium on PATH).
    #[arg(long)]
    screenshots: bool,
    /// Read lists that only a browser can read in headless Chromium:
    /// `auto` renders the pages the static reader could not read,
    /// `always` every HTML page (up to --render-pages), `never` none (such
    /// rows stay `script_list`). Without Chromium on PATH: `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = RenderMode::Auto)]
    render: RenderMode,
    /// Views (a page, a pager step, an in-page route) rendered per site at
    /// most.
    #[arg(long, value_name = "N", default_value_t = RenderLimits::default().pages_per_site)]
    render_pages: usize,
    /// Operator contact recorded in the web archive (who ran this crawl).
    #[arg(long, env = "GOVCHECK_OPERATOR")]
    operator: Option<String>,
    /// Deadline of one request in seconds: connect, headers and body.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    request_timeout: u64,
    /// Wall-clock budget of one site in minutes; its rows still open then
    /// are `inconclusive` (`site_timeout`).
    #[arg(long, default_value_t = 30, value_name = "MINUTES")]
    site_timeout: u64,
    /// Resolve HOST to ADDR instead of asking DNS, like curl's --resolve
    /// (a mirror, a test). Repeatable.
    #[arg(long, value_name = "HOST=ADDR", value_parser = parse_resolve)]
    resolve: Vec<(String, std::net::IpAddr)>,
    /// How many sites are crawled at once; the rest wait their turn in
    /// campaign order. Each host still gets one request at a time at
    /// --rate. See docs/scale.md.
    #[arg(long, value_name = "N", default_value_t = run::DEFAULT_SITES_IN_FLIGHT)]
    sites_in_flight: usize,
}

/// `--resolve HOST=ADDR`.
fn parse_resolve(value: &str) -> Result<(String, std::net::IpAddr), String> {
    let (host, addr) = value
        .split_once('=')
        .ok_or_else(|| format!("`{value}` is not HOST=ADDR"))?;
    let addr = addr
        .trim()
        .trim_matches(|c| c == '[' || c == ']')
        .parse()
        .map_err(|_| format!("`{addr}` is not an IP address"))?;
    Ok((host.trim().to_ascii_lowercase(), addr))
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
    /// The run's renderer, unless `--render never` or no Chromium is found
    /// (said once, here).
    fn renderer(&self) -> Option<Arc<Renderer>> {
        if self.render == RenderMode::Never {
            return None;
        }
        // Found without starting it: a run that renders nothing pays
        // nothing for the browser.
        let Some(chromium) = crate::evidence::screenshot::chromium_on_path() else {
            eprintln!("notice: --render {} needs Chromium (chromium, chromium-browser or google-chrome on PATH); none found, so lists only a browser can read stay `script_list`.", if self.render == RenderMode::Always { "always" } else { "auto" });
            return None;
        };
        let limits = RenderLimits {
            pages_per_site: self.render_pages,
            ..RenderLimits::default()
        };
        Some(Arc::new(Renderer::new(self.render, chromium, limits)))
    }

    fn options(&self) -> Result<RunOptions> {
        let rubric = match &self.rubric {
            Some(path) => Rubric::load(path)?,
            None => Rubric::default_rubric(),
        };
        if let Some(agent) = &self.user_agent {
            if reqwest::header::HeaderValue::from_str(agent).is_err() {
                bail!("--user-agent must be one line of visible text (no control characters)");
            }
        }
        if self.request_timeout == 0 || self.site_timeout == 0 {
            bail!("--request-timeout and --site-timeout must be at least 1");
        }
        if self.sites_in_flight == 0 {
            bail!(
                "--sites-in-flight must be at least 1 (it is how many sites are crawled at once)"
            );
        }
        let crawl = CrawlConfig {
            rate: parse_rate(&self.rate)?,
            request_timeout: std::time::Duration::from_secs(self.request_timeout),
            site_timeout: std::time::Duration::from_secs(self.site_timeout.saturating_mul(60)),
            resolve: self.resolve.clone(),
            max_pages: self.max_pages.max(1),
            ignore_robots: self.ignore_robots,
            strict_tls: self.strict_tls,
            user_agent: self.user_agent.clone().unwrap_or_else(default_user_agent),
            renderer: self.renderer(),
            ..CrawlConfig::default()
        };
        Ok(RunOptions {
            crawl,
            rubric: Arc::new(rubric),
            out: self.out.clone().unwrap_or_else(run::default_out_dir),
            operator: self.operator.clone().unwrap_or_default(),
            db: self.db.clone().unwrap_or_else(crate::history::default_db_path),
            replace_finished: self.force,
            resume: false,
            focused: false,
            sites_in_flight: self.sites_in_flight,
            chromium: self.screenshots.then(crate::evidence::screenshot::find_chromium).flatten().or_else(|| {
                if self.screenshots {
                    eprintln!("notice: --screenshots needs Chromium (chromium, chromium-browser or google-chrome on PATH); none found, so no PNGs are made. Everything else runs as usual.");
                }
                None
            }),
        })
    }
}

impl Cli {
    /// How much to say on stderr, from the crawling subcommands'
    /// `--quiet` and `-v`; other subcommands print their answer and errors.
    pub fn verbosity(&self) -> Verbosity {
        match &self.command {
            Command::Crawl { common, .. }
            | Command::Check { common, .. }
            | Command::Demo { common, .. } => Verbosity::from_flags(common.quiet, common.verbose),
            _ => Verbosity::Normal,
        }
    }
}

/// Run the command; the result is the process exit code.
pub async fn main(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Crawl {
            targets,
            resume,
            common,
        } => crawl(targets.as_deref(), resume, &common).await,
        Command::Check {
            url,
            name,
            targets,
            common,
        } => check(&url, name, targets.as_deref(), &common).await,
        Command::Campaign {
            action: CampaignAction::Show { targets },
        } => {
            let campaign = Campaign::load_or_default(targets.as_deref())?;
            print!("{}", show::campaign_text(&campaign, targets.as_deref()));
            Ok(0)
        }
        Command::Rubric {
            action: RubricAction::Show { rubric },
        } => {
            let loaded = match &rubric {
                Some(path) => Rubric::load(path)?,
                None => Rubric::default_rubric(),
            };
            print!("{}", show::rubric_text(&loaded, rubric.as_deref()));
            Ok(0)
        }
        Command::Init { dir, force } => init::init(&dir, force),
        Command::Doctor { db, out } => Ok(doctor::doctor(&db_path(db), &out)),
        Command::Diff { before, after, db } => history::diff(&db_path(db), before, after),
        Command::History { county, item, db } => {
            history::history(&db_path(db), county.as_deref(), item.as_deref())
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
                history::remove_override(&db, &county, &item, &who)
            } else {
                let (status, note) = (status.unwrap_or_default(), note.unwrap_or_default());
                history::add_override(&db, &county, &item, &status, &note, evidence, &who)
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
        Command::Verify { dir } => verify(&dir),
        Command::Demo { fixtures, common } => demo(fixtures, &common).await,
    }
}

/// `govcheck crawl`: the whole campaign, or the rest of an interrupted run.
async fn crawl(targets: Option<&Path>, resume: bool, common: &Common) -> Result<i32> {
    let campaign = Campaign::load_or_default(targets)?;
    let mut options = common.options()?;
    if resume {
        options.resume_interrupted_run(common.out.is_some())?;
    }
    let report = run::run_campaign(&campaign, &options).await?;
    Ok(completed(
        &run::summary_table(&options.rubric, &report),
        &report,
    ))
}

/// `govcheck check`: one site, rechecked against the history.
async fn check(
    url: &str,
    name: Option<String>,
    targets: Option<&Path>,
    common: &Common,
) -> Result<i32> {
    let options = common.options()?;
    let campaign = run::one_site_campaign(url, name, targets, &options.db)?;
    let check = run::recheck(&campaign, options).await?;
    Ok(completed(&check.printout(), &check.report))
}

/// `govcheck demo`: the bundled fixture sites, served and crawled.
async fn demo(fixtures: Option<PathBuf>, common: &Common) -> Result<i32> {
    let root = fixtures.unwrap_or_else(run::bundled_fixtures);
    let demo = run::Demo::start(&root).await?;
    let mut options = common.options()?;
    // Local servers need no rate limit unless one is asked for.
    if common.rate == "1" {
        options.crawl.rate = None;
    }
    let report = run::run_campaign(&demo.campaign, &options).await?;
    Ok(completed(
        &run::summary_table(&options.rubric, &report),
        &report,
    ))
}

/// `govcheck verify`: every mismatch, then a count; exit code 1 if any.
fn verify(dir: &Path) -> Result<i32> {
    let v = crate::evidence::verify::verify(dir)?;
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

fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(crate::history::default_db_path)
}

/// Print a finished run's table and the warnings that change how it
/// reads, and name its directory; the exit code says whether some row is
/// inconclusive.
fn completed(table: &str, report: &RunReport) -> i32 {
    print!("{table}{}", run::warnings_summary(&report.warnings));
    crate::terminal::say(&format!("run directory: {}", report.out.display()));
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
