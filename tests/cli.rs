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
