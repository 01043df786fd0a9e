//! govcheck as a new user meets it after `cargo install`: the built binary
//! run from a temporary directory outside the repository, with the shipped
//! campaign and rubric embedded, the history database inside that
//! directory, and run directories reused after a hand deletion.
//!
//! Offline: the shipped campaign's real hosts are resolved to 127.0.0.1
//! with `--resolve`, where ports 80 and 443 are closed, so every site is
//! unreachable at once and nothing leaves the machine.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The shipped campaign's hosts, with their bare twins.
const SHIPPED_HOSTS: [&str; 6] = [
    "www.hljba.gov.cn",
    "www.nenjiang.gov.cn",
    "www.wdlc.gov.cn",
    "www.xunke.gov.cn",
    "www.hljsunwu.gov.cn",
    "www.aihui.gov.cn",
];

/// The binary, started in `dir` (outside the repository) with its history
/// database there too.
fn govcheck_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_govcheck"));
    cmd.current_dir(dir)
        .env("GOVCHECK_DB", dir.join("history.sqlite"))
        .env_remove("GOVCHECK_OPERATOR");
    cmd
}

/// Flags that keep a crawl of the shipped campaign on this machine and
/// quick: every shipped host resolves to loopback, no rate limit.
fn offline(cmd: &mut Command) -> &mut Command {
    cmd.args(["--quiet", "--rate", "inf"]);
    for host in SHIPPED_HOSTS {
        let bare = host.trim_start_matches("www.");
        cmd.arg("--resolve").arg(format!("{host}=127.0.0.1"));
        cmd.arg("--resolve").arg(format!("{bare}=127.0.0.1"));
    }
    cmd
}

/// Whether something listens on loopback's web ports: then resolving the
/// shipped hosts there would not make them unreachable.
fn web_ports_in_use() -> bool {
    [80, 443].into_iter().any(|port| {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `status` column of a run's matrix.csv.
fn statuses(run: &Path) -> Vec<String> {
    let bytes = std::fs::read(run.join("matrix.csv")).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(body);
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "status")
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect()
}

/// A one-county campaign on a closed loopback port: a crawl that ends at once.
fn loopback_targets(dir: &Path, county: &str) -> PathBuf {
    let targets = dir.join("loopback.toml");
    std::fs::write(
        &targets,
        format!("[campaign]\nname = \"x\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n[[county]]\nname = \"{county}\"\nurl = \"http://127.0.0.1:9/\"\n"),
    )
    .unwrap();
    targets
}

/// A first crawl into `out` that completes (exit 0 or 2).
fn first_run_completes(dir: &Path, out: &Path) {
    let first = loopback_crawl(dir, out, &[]);
    assert!(
        matches!(first.status.code(), Some(0 | 2)),
        "{}",
        text(&first.stderr)
    );
}

fn loopback_crawl(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    govcheck_in(dir)
        .args(["crawl", "--quiet", "--rate", "inf", "--targets"])
        .arg(loopback_targets(dir, "测试县"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn crawl_of_the_embedded_campaign_runs_from_any_directory() {
    if web_ports_in_use() {
        eprintln!("127.0.0.1:80 or :443 answers: the offline crawl test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = offline(govcheck_in(dir.path()).arg("crawl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let runs: Vec<PathBuf> = std::fs::read_dir(dir.path().join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let statuses = statuses(&runs[0]);
    assert_eq!(statuses.len(), 6 * 17);
    assert!(statuses.iter().all(|s| s == "inconclusive"), "{statuses:?}");
    let table = text(&out.stdout);
    for county in [
        "北安市",
        "嫩江市",
        "五大连池市",
        "逊克县",
        "孙吴县",
        "爱辉区",
    ] {
        assert!(table.contains(county), "{table}");
    }
    assert!(dir.path().join("history.sqlite").exists());
}

#[test]
fn check_of_a_campaign_host_without_scheme_knows_its_county() {
    if web_ports_in_use() {
        eprintln!("127.0.0.1:80 or :443 answers: the offline check test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = offline(govcheck_in(dir.path()).args(["check", "www.hljba.gov.cn/zwgk/index.html"]))
        .args(["--out", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("北安市"),
        "{}",
        text(&out.stdout)
    );
    let statuses = statuses(&dir.path().join("check"));
    assert_eq!(statuses.len(), 17);
}

#[test]
fn check_of_a_host_the_history_knows_takes_its_county_from_there() {
    let dir = tempfile::tempdir().unwrap();
    let first = loopback_crawl(dir.path(), &dir.path().join("first"), &[]);
    assert!(
        matches!(first.status.code(), Some(0 | 2)),
        "{}",
        text(&first.stderr)
    );

    let check = govcheck_in(dir.path())
        .args([
            "check",
            "127.0.0.1:9/zwgk/",
            "--quiet",
            "--rate",
            "inf",
            "--out",
            "again",
        ])
        .output()
        .unwrap();
    assert!(
        matches!(check.status.code(), Some(0 | 2)),
        "{}",
        text(&check.stderr)
    );
    assert!(
        text(&check.stdout).contains("测试县"),
        "{}",
        text(&check.stdout)
    );

    let unknown = govcheck_in(dir.path())
        .args(["check", "127.0.0.1:7/", "--quiet", "--out", "unknown"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = text(&unknown.stderr);
    assert!(
        stderr.contains("127.0.0.1") && stderr.contains("--name"),
        "{stderr}"
    );
}

#[test]
fn campaign_show_and_rubric_show_print_what_will_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let campaign = govcheck_in(dir.path())
        .args(["campaign", "show"])
        .output()
        .unwrap();
    assert_eq!(
        campaign.status.code(),
        Some(0),
        "{}",
        text(&campaign.stderr)
    );
    let shown = text(&campaign.stdout);
    for expected in [
        "黑河市政务诚信第三方评价",
        "2022-07-01",
        "2023-06-30",
        "北安市",
        "http://www.hljba.gov.cn/",
        "爱辉区",
    ] {
        assert!(shown.contains(expected), "{expected}: {shown}");
    }

    let rubric = govcheck_in(dir.path())
        .args(["rubric", "show"])
        .output()
        .unwrap();
    assert_eq!(rubric.status.code(), Some(0), "{}", text(&rubric.stderr));
    let shown = text(&rubric.stdout);
    for expected in ["法治政府报告制度", "32 points", "2023-04-01", "21.debt"] {
        assert!(shown.contains(expected), "{expected}: {shown}");
    }

    // A user's file replaces the embedded one; its mistakes name file,
    // line and field.
    let targets = loopback_targets(dir.path(), "测试县");
    let mine = govcheck_in(dir.path())
        .args(["campaign", "show", "--targets"])
        .arg(&targets)
        .output()
        .unwrap();
    assert!(
        text(&mine.stdout).contains("测试县"),
        "{}",
        text(&mine.stdout)
    );
    std::fs::write(
        &targets,
        "[campaign]\nname = \"x\"\nwindow_start = \"2022-13-01\"\nwindow_end = \"2023-06-30\"\n",
    )
    .unwrap();
    let bad = govcheck_in(dir.path())
        .args(["campaign", "show", "--targets"])
        .arg(&targets)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("loopback.toml:3: field `campaign.window_start`"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn init_writes_both_files_and_keeps_edited_ones() {
    let dir = tempfile::tempdir().unwrap();
    let init = govcheck_in(dir.path())
        .args(["init", "here"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    let targets = dir.path().join("here/targets/heihe-2023.toml");
    let rubric = dir.path().join("here/rubrics/heihe-2023.toml");
    let shown = govcheck_in(dir.path())
        .args(["rubric", "show", "--rubric"])
        .arg(&rubric)
        .output()
        .unwrap();
    assert!(text(&shown.stdout).contains("法治政府报告制度"));
    std::fs::write(&targets, "edited").unwrap();
    let again = govcheck_in(dir.path())
        .args(["init", "here"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&targets).unwrap(), "edited");
    let forced = govcheck_in(dir.path())
        .args(["init", "here", "--force"])
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(&targets)
        .unwrap()
        .contains("北安市"));
}

#[test]
fn doctor_reports_each_check_and_fails_without_the_pdf_tools() {
    let dir = tempfile::tempdir().unwrap();
    let poppler = Command::new("pdftotext").arg("-v").output().is_ok();
    let doctor = govcheck_in(dir.path()).arg("doctor").output().unwrap();
    let report = text(&doctor.stdout);
    for check in [
        "pdftotext",
        "pdfinfo",
        "chromium",
        "history database",
        "output folder",
    ] {
        assert!(report.contains(check), "{check}: {report}");
    }
    assert!(report.contains("history.sqlite: none yet"), "{report}");
    assert_eq!(
        doctor.status.code(),
        Some(if poppler { 0 } else { 1 }),
        "{report}"
    );

    let empty = dir.path().join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let bare = govcheck_in(dir.path())
        .arg("doctor")
        .env("PATH", &empty)
        .output()
        .unwrap();
    let report = text(&bare.stdout);
    assert_eq!(bare.status.code(), Some(1), "{report}");
    assert!(report.contains("missing  pdftotext"), "{report}");
    assert!(report.contains("poppler-utils"), "{report}");
    assert!(report.contains("notice   chromium"), "{report}");
}

#[test]
fn a_run_directory_deleted_by_hand_can_be_run_into_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    first_run_completes(dir.path(), &out);
    std::fs::remove_dir_all(&out).unwrap();

    let again = loopback_crawl(dir.path(), &out, &[]);
    let stderr = text(&again.stderr);
    assert!(matches!(again.status.code(), Some(0 | 2)), "{stderr}");
    assert!(stderr.contains("forgotten"), "{stderr}");
    assert!(out.join("run.json").exists());
    assert_eq!(statuses(&out).len(), 17);
}

#[test]
fn a_finished_run_is_replaced_only_with_force_and_a_foreign_folder_never() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    first_run_completes(dir.path(), &out);
    let refused = loopback_crawl(dir.path(), &out, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("--force"),
        "{}",
        text(&refused.stderr)
    );
    let forced = loopback_crawl(dir.path(), &out, &["--force"]);
    assert!(
        matches!(forced.status.code(), Some(0 | 2)),
        "{}",
        text(&forced.stderr)
    );
    assert!(out.join("run.json").exists());

    let foreign = dir.path().join("documents");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let run = loopback_crawl(dir.path(), &foreign, extra);
        assert_eq!(run.status.code(), Some(1));
        let stderr = text(&run.stderr);
        assert!(stderr.contains("not a govcheck run directory"), "{stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(&foreign).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing added to a foreign folder");
}
