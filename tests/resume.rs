//! An unattended run killed mid-crawl (SIGKILL, no chance to clean up)
//! leaves the history consistent and the run marked incomplete; `crawl
//! --resume` continues it without fetching or archiving anything twice,
//! and no finding is lost. SIGTERM (systemd stopping the service) and
//! Ctrl-C stop it cleanly: whole archive, run marked incomplete, exit 130.

mod common;
use common::copy_dir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const SITES: [&str; 3] = ["beian", "nenjiang", "xunke"];

fn crawl(targets: &Path, out: &Path, db: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_govcheck"));
    c.arg("crawl")
        .arg("--targets")
        .arg(targets)
        .arg("--out")
        .arg(out)
        .arg("--db")
        .arg(db)
        .args(["--rate", "0", "--quiet"])
        .args(extra)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// (county, item) → status, from matrix.csv.
fn statuses(run: &Path) -> BTreeMap<(String, String), String> {
    let bytes = std::fs::read(run.join("matrix.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            ((r[0].to_string(), r[2].to_string()), r[4].to_string())
        })
        .collect()
}

/// Three fixture sites served slowly, their targets file and expected
/// verdicts, and where the run and its history go.
struct World {
    _servers: Vec<govcheck::serve::SiteServer>,
    _runtime: tokio::runtime::Runtime,
    expected: BTreeMap<(String, String), String>,
    targets_path: PathBuf,
    out: PathBuf,
    db: PathBuf,
    _tmp: tempfile::TempDir,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = tmp.path().join("sites");
    let mut expected = BTreeMap::new();
    for site in SITES {
        let dir = fixtures.join(site);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/sites")
                .join(site),
            &dir,
        );
        // Slow answers give the test time to kill the crawl mid-site.
        let mut config = std::fs::read_to_string(dir.join("_site.toml")).unwrap();
        config = format!("slow_ms = 15\n{config}");
        std::fs::write(dir.join("_site.toml"), config).unwrap();
        let mut rdr = csv::Reader::from_path(dir.join("expected.csv")).unwrap();
        for row in rdr.records() {
            let row = row.unwrap();
            let name = std::fs::read_to_string(dir.join("_site.toml")).unwrap();
            let county = name
                .lines()
                .find_map(|l| l.strip_prefix("name = "))
                .unwrap()
                .trim_matches('"')
                .to_string();
            expected.insert((county, row[0].to_string()), row[1].to_string());
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let servers = rt.block_on(govcheck::serve::start_all(&fixtures)).unwrap();
    let mut targets = String::from("[campaign]\nname = \"resume test\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n");
    for s in &servers {
        targets.push_str(&format!(
            "\n[[county]]\nname = \"{}\"\nurl = \"{}\"\n",
            s.name,
            s.url()
        ));
    }
    let targets_path = tmp.path().join("targets.toml");
    std::fs::write(&targets_path, targets).unwrap();
    let out: PathBuf = tmp.path().join("run");
    let db = tmp.path().join("history.sqlite");

    World {
        _tmp: tmp,
        _servers: servers,
        _runtime: rt,
        expected,
        targets_path,
        out,
        db,
    }
}

/// Starts the crawl and waits until it has fetched a good part of the
/// sites, but not all.
fn start_and_wait(w: &World) -> std::process::Child {
    let mut child = crawl(&w.targets_path, &w.out, &w.db, &[]).spawn().unwrap();
    let mut waited = 0;
    while lines(&w.out.join("pages.jsonl")) < 60 && waited < 600 {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the crawl ended before it could be stopped; slow the fixtures down"
    );
    child
}

#[test]
fn a_killed_crawl_resumes_without_refetching_or_losing_findings() {
    let w = world();
    let (expected, targets_path, out, db) = (
        &w.expected,
        w.targets_path.as_path(),
        w.out.as_path(),
        w.db.as_path(),
    );
    let mut child = start_and_wait(&w);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !out.join("matrix.csv").exists(),
        "the killed run wrote no matrix"
    );
    let fetched_before = lines(&out.join("pages.jsonl"));

    // -v (after the helper's --quiet, which it overrides) for the line
    // that says what the resume replays.
    let resumed = crawl(targets_path, out, db, &["--resume", "-v"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(matches!(resumed.status.code(), Some(0 | 2)), "{stderr}");
    assert!(
        stderr.contains("captured responses will not be fetched again"),
        "{stderr}"
    );

    // No finding lost: every county × item is there and right.
    let got = statuses(out);
    assert_eq!(got.len(), expected.len());
    for (key, status) in expected {
        assert_eq!(got.get(key), Some(status), "{key:?}");
    }
    // Nothing fetched or archived twice.
    let mut seen = BTreeMap::new();
    for path in govcheck::evidence::archive::warc_files(out).unwrap() {
        let (members, _) = govcheck::evidence::archive::members(&path).unwrap();
        for m in members {
            if m.record.header("WARC-Type") == Some("response") {
                let uri = m.record.header("WARC-Target-URI").unwrap().to_string();
                *seen.entry(uri).or_insert(0) += 1;
            }
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "archived twice: {twice:?}");
    let logged: Vec<String> = std::fs::read_to_string(out.join("pages.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["final_url"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut unique = logged.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), logged.len(), "a page was fetched twice");
    assert!(
        logged.len() > fetched_before,
        "the resumed run fetched the rest"
    );
    // The repaired archive and every output verify.
    let verify = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("verify")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn sigterm_stops_a_crawl_cleanly_and_it_resumes() {
    let w = world();
    let child = start_and_wait(&w);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopped = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert_eq!(stopped.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted by SIGTERM") && stderr.contains("--resume"),
        "{stderr}"
    );
    assert!(!w.out.join("matrix.csv").exists());
    // Every record handed to the writer was written whole.
    let files = govcheck::evidence::archive::warc_files(&w.out).unwrap();
    assert!(!files.is_empty());
    for path in &files {
        let (members, complete) = govcheck::evidence::archive::members(path).unwrap();
        assert!(!members.is_empty(), "{}", path.display());
        assert_eq!(
            complete,
            std::fs::metadata(path).unwrap().len(),
            "{} ends in a cut record",
            path.display()
        );
    }
    // The history says so at once, without waiting for the next run.
    let db = rusqlite::Connection::open(&w.db).unwrap();
    let state: String = db
        .query_row("SELECT state FROM runs", [], |row| row.get(0))
        .unwrap();
    assert_eq!(state, "incomplete");
    drop(db);

    let resumed = crawl(&w.targets_path, &w.out, &w.db, &["--resume"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(matches!(resumed.status.code(), Some(0 | 2)), "{stderr}");
    let got = statuses(&w.out);
    assert_eq!(got.len(), w.expected.len());
    for (key, status) in &w.expected {
        assert_eq!(got.get(key), Some(status), "{key:?}");
    }
}
