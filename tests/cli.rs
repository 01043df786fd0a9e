//! The binary's contract at its edges: bad input is refused with the file,
//! line and field named and exit code 1; `--help` documents exit codes.

use std::process::Command;

fn govcheck() -> Command {
    Command::new(env!("CARGO_BIN_EXE_govcheck"))
}

#[test]
fn bad_targets_file_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let targets = dir.path().join("bad.toml");
    std::fs::write(
        &targets,
        "[campaign]\nname = \"x\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n\n[[county]]\nname = \"北安市\"\nurl = \"ftp://127.0.0.1/\"\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = govcheck()
        .args(["crawl", "--targets"])
        .arg(&targets)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml:8: field `county.url`"),
        "{stderr}"
    );
    assert!(!out_dir.join("matrix.csv").exists());
}

#[test]
fn missing_targets_file_is_a_clear_error() {
    let out = govcheck()
        .args(["crawl", "--targets", "/nonexistent/targets.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/targets.toml"));
}

#[test]
fn help_documents_exit_codes() {
    let out = govcheck().args(["crawl", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit codes"), "{text}");
    assert!(text.contains("--rate"), "{text}");
}

/// A campaign of one unreachable loopback site: a crawl that ends at once.
fn quick_targets(dir: &std::path::Path) -> std::path::PathBuf {
    let targets = dir.join("t.toml");
    std::fs::write(
        &targets,
        "[campaign]\nname = \"x\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n[[county]]\nname = \"北安市\"\nurl = \"http://127.0.0.1:9/\"\n",
    )
    .unwrap();
    targets
}

fn quick_crawl(dir: &std::path::Path, out: &std::path::Path, db: &str) -> std::process::Output {
    govcheck()
        .args(["crawl", "--quiet", "--targets"])
        .arg(quick_targets(dir))
        .arg("--out")
        .arg(out)
        .arg("--db")
        .arg(dir.join(db))
        .output()
        .unwrap()
}

#[test]
fn a_finished_run_is_never_overwritten_even_with_another_history() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let first = quick_crawl(dir.path(), &out, "a.sqlite");
    assert!(
        matches!(first.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let matrix = std::fs::read(out.join("matrix.csv")).unwrap();
    let again = quick_crawl(dir.path(), &out, "b.sqlite");
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("holds a finished run"), "{stderr}");
    assert_eq!(std::fs::read(out.join("matrix.csv")).unwrap(), matrix);
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_the_run_directory_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out = dir.path().join("run");
    std::fs::create_dir(&out).unwrap();
    // An interrupted run's directory (its lock file), with a link planted.
    std::fs::write(out.join(".govcheck.lock"), "").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("pages.jsonl")).unwrap();
    let run = quick_crawl(dir.path(), &out, "h.sqlite");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("pages.jsonl"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn a_user_agent_with_a_line_break_is_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let out = govcheck()
        .args([
            "crawl",
            "--quiet",
            "--user-agent",
            "govcheck\r\nX-Evil: 1",
            "--targets",
        ])
        .arg(quick_targets(dir.path()))
        .arg("--out")
        .arg(dir.path().join("run"))
        .arg("--db")
        .arg(dir.path().join("h.sqlite"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--user-agent"), "{stderr}");
    assert!(!dir.path().join("run/matrix.csv").exists());
}
