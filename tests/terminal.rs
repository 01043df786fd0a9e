//! What the binary says, and where, for the person and the scheduler
//! reading it: `--quiet` leaves only errors on stderr, a stderr that is not
//! a terminal (a file, as under cron) gets plain lines without escape
//! codes, the warnings that change how the verdicts read are repeated
//! under the final table (also under `--quiet`), and a usage error exits 1,
//! never 2 ("complete with inconclusive rows").

mod common;

use common::copy_dir;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A test's own directory with copies of the fixture sites it serves.
struct World {
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        World {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Serve a copy of the bundled `site` as `as_name`, named `county`,
    /// with `extra` appended to its `_site.toml`; returns the site directory.
    fn add_site(&self, site: &str, as_name: &str, county: &str, extra: &str) -> PathBuf {
        let to = self.path("fixtures").join(as_name);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/sites")
                .join(site),
            &to,
        );
        std::fs::write(
            to.join("_site.toml"),
            format!("name = \"{county}\"\n{extra}"),
        )
        .unwrap();
        to
    }

    /// Hold the history database's lock as another running crawl would:
    /// a run started now is not recorded, and warns so.
    fn hold_history(&self) -> File {
        let lock = File::create(self.path("h.sqlite.lock")).unwrap();
        lock.try_lock().unwrap();
        lock
    }

    /// `govcheck demo` over this world's sites with `args`, stderr written
    /// to a file (not a terminal); the output and that file's text.
    fn demo(&self, run: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        let stderr_file = self.path(&format!("{run}.stderr"));
        let out = govcheck()
            .arg("demo")
            .args(args)
            .arg("--fixtures")
            .arg(self.path("fixtures"))
            .arg("--out")
            .arg(self.path(run))
            .arg("--db")
            .arg(self.path("h.sqlite"))
            .envs(env.iter().copied())
            .stderr(File::create(&stderr_file).unwrap())
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        let stderr = std::fs::read_to_string(&stderr_file).unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "exit {:?}\n{stderr}",
            out.status.code()
        );
        (out, stderr)
    }
}

/// The binary with no colour or log settings from the environment.
fn govcheck() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govcheck"));
    command
        .env_remove("GOVCHECK_LOG")
        .env_remove("NO_COLOR")
        .env_remove("GOVCHECK_DB");
    command
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn quiet_leaves_stderr_to_errors_and_the_summary_keeps_the_warning() {
    let world = World::new();
    world.add_site("wudalianchi", "wudalianchi", "五大连池市", "");
    let _held = world.hold_history();
    let (out, stderr) = world.demo("run", &["--quiet"], &[]);
    assert!(
        !stderr.contains("\x1b["),
        "escape code on stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("WARN"),
        "a warning under --quiet:\n{stderr}"
    );
    assert!(
        stderr.trim().is_empty(),
        "an ordinary run under --quiet says nothing on stderr:\n{stderr}"
    );
    // The warning it did not print on stderr is in the final summary.
    let summary = stdout(&out);
    assert!(summary.contains("五大连池市"), "{summary}");
    assert!(summary.contains("\nWarnings"), "{summary}");
    assert!(
        summary.contains("this run is not recorded in the history")
            && summary.contains("another govcheck run"),
        "{summary}"
    );
}

#[test]
fn a_stderr_that_is_no_terminal_gets_plain_lines_without_escape_codes() {
    let world = World::new();
    world.add_site("wudalianchi", "wudalianchi", "五大连池市", "");
    let _held = world.hold_history();
    let (_, stderr) = world.demo("run", &[], &[]);
    assert!(
        !stderr.contains("\x1b["),
        "escape code on stderr:\n{stderr}"
    );
    // The log line said it as it happened, and the site's status line is a
    // plain line where there are no bars.
    assert!(
        stderr.contains("WARN") && stderr.contains("not recorded in the history"),
        "{stderr}"
    );
    assert!(stderr.contains("五大连池市: "), "{stderr}");
    assert!(stderr.contains("run directory: "), "{stderr}");
}

#[test]
fn govcheck_log_overrides_the_verbosity() {
    let world = World::new();
    world.add_site("wudalianchi", "wudalianchi", "五大连池市", "");
    let _held = world.hold_history();
    let (_, stderr) = world.demo("run", &["--quiet"], &[("GOVCHECK_LOG", "warn")]);
    assert!(
        stderr.contains("WARN") && stderr.contains("not recorded in the history"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("\x1b["),
        "escape code on stderr:\n{stderr}"
    );
}

#[test]
fn warnings_that_change_the_verdicts_are_repeated_under_the_table_when_quiet() {
    let world = World::new();
    world.add_site("wudalianchi", "wudalianchi", "五大连池市", "");
    let closed = world.add_site("xunke", "closed", "逊克县", "");
    std::fs::write(closed.join("robots.txt"), "User-agent: *\nDisallow: /\n").unwrap();
    world.add_site("beian", "guarded", "北安市", "waf = true\n");
    let (out, stderr) = world.demo("run", &["--quiet", "--max-pages", "3"], &[]);
    assert_eq!(out.status.code(), Some(2), "inconclusive rows\n{stderr}");
    assert!(!stderr.contains("WARN"), "{stderr}");
    let summary = stdout(&out);
    let warnings = summary
        .split_once("\nWarnings")
        .unwrap_or_else(|| panic!("no Warnings block:\n{summary}"))
        .1;
    assert!(
        warnings.contains("五大连池市: the page budget ran out after 3 pages"),
        "{summary}"
    );
    assert!(
        warnings.contains("逊克县: robots.txt disallows the homepage"),
        "{summary}"
    );
    assert!(
        warnings.contains("北安市: an anti-bot challenge (HTTP 412) answered the homepage"),
        "{summary}"
    );
}

#[test]
fn a_usage_error_exits_1_and_help_and_version_exit_0() {
    let typo = govcheck()
        .args(["crawl", "--max-page", "3"])
        .output()
        .unwrap();
    assert_eq!(typo.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert!(stderr.contains("--max-page"), "{stderr}");
    let unknown = govcheck().arg("crwal").output().unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let help = govcheck().args(["crawl", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--verbose"), "{}", stdout(&help));
    let version = govcheck().arg("--version").output().unwrap();
    assert_eq!(version.status.code(), Some(0));
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
}
