//! End to end on the offline test world: serve every fixture county site on
//! 127.0.0.1, run `govcheck crawl` over all of them, and compare each
//! county × item verdict (status and reason code) of `matrix.csv` with the
//! site's `expected.csv`. Every mismatch is listed before the test fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// (status, reason code) per item.
type Verdicts = BTreeMap<String, (String, String)>;

fn read_expected(path: &Path) -> Verdicts {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Verdicts::new();
    for row in rdr.records() {
        let row = row.unwrap();
        out.insert(row[0].to_string(), (row[1].to_string(), row[2].to_string()));
    }
    assert_eq!(out.len(), 17, "{}: one row per item", path.display());
    out
}

/// The reason code: the reason cell up to the first space or colon.
fn reason_code(cell: &str) -> String {
    cell.trim()
        .split([' ', ':', '：'])
        .next()
        .unwrap_or("")
        .to_string()
}

struct Row {
    status: String,
    reason: String,
    evidence_url: String,
}

/// county → item → row, from matrix.csv (UTF-8 with a BOM).
fn read_matrix(path: &Path) -> BTreeMap<String, BTreeMap<String, Row>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "matrix.csv starts with a BOM"
    );
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("matrix.csv has no `{name}` column: {headers:?}"))
    };
    let (county, item, status, reason, evidence) = (
        col("county"),
        col("item"),
        col("status"),
        col("reason"),
        col("evidence_url"),
    );
    let mut out: BTreeMap<String, BTreeMap<String, Row>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        out.entry(rec[county].to_string()).or_default().insert(
            rec[item].to_string(),
            Row {
                status: rec[status].to_string(),
                reason: rec[reason].to_string(),
                evidence_url: rec[evidence].to_string(),
            },
        );
    }
    out
}

#[test]
fn reason_codes_are_cut_at_space_or_colon() {
    assert_eq!(reason_code("late 发布日期 2023-04-12"), "late");
    assert_eq!(reason_code("office_report: 县政府办公室"), "office_report");
    assert_eq!(reason_code("found：标题"), "found");
    assert_eq!(reason_code("not_found"), "not_found");
}

#[test]
fn every_fixture_site_has_a_complete_expected_csv() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    let mut n = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("_site.toml").is_file() {
            let expected = read_expected(&dir.join("expected.csv"));
            for (item, (status, _)) in &expected {
                assert!(
                    ["pass", "fail", "inconclusive"].contains(&status.as_str()),
                    "{}: {item}: {status}",
                    dir.display()
                );
            }
            n += 1;
        }
    }
    assert!(n >= 6, "at least six fixture sites");
}

#[test]
fn crawl_of_fixture_sites_matches_expected_verdicts() {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    // The servers run on this runtime's worker threads while the binary runs.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let servers = rt.block_on(govcheck::serve::start_all(&root)).unwrap();
    assert!(servers.len() >= 6);

    let tmp = tempfile::tempdir().unwrap();
    let mut targets = String::from(
        "[campaign]\nname = \"fixture campaign\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n",
    );
    let mut expected = BTreeMap::new();
    for s in &servers {
        targets.push_str(&format!(
            "\n[[county]]\nname = \"{}\"\nurl = \"{}\"\n",
            s.name,
            s.url()
        ));
        expected.insert(s.name.clone(), read_expected(&s.dir.join("expected.csv")));
    }
    let targets_path = tmp.path().join("targets.toml");
    std::fs::write(&targets_path, &targets).unwrap();
    let out_dir = tmp.path().join("run");

    let mut child = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("crawl")
        .arg("--targets")
        .arg(&targets_path)
        .arg("--out")
        .arg(&out_dir)
        .args(["--rate", "0"])
        .arg("--db")
        .arg(tmp.path().join("history.sqlite"))
        // Loopback only: no proxy may stand between the crawler and the sites.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a chatty crawl cannot block on them.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = match child.wait_timeout(Duration::from_secs(600)).unwrap() {
        Some(status) => status,
        None => {
            child.kill().ok();
            child.wait().ok();
            panic!("govcheck crawl did not finish within 600 s");
        }
    };
    let stdout = out_thread.join().unwrap();
    let stderr = err_thread.join().unwrap();
    // 0: all decided; 2: completed with inconclusive rows (the WAF site).
    assert!(
        matches!(status.code(), Some(0) | Some(2)),
        "govcheck crawl exited with {status}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );

    let matrix_path = out_dir.join("matrix.csv");
    assert!(
        matrix_path.is_file(),
        "govcheck crawl ({status}) wrote no matrix.csv\n--- stderr (tail)\n{}",
        tail(&stderr, 40)
    );
    let matrix = read_matrix(&matrix_path);
    let mut mismatches = Vec::new();
    let mut total = 0;
    for (county, items) in &expected {
        let got = matrix.get(county);
        for (item, (want_status, want_reason)) in items {
            total += 1;
            match got.and_then(|rows| rows.get(item)) {
                None => mismatches.push(format!(
                    "{county:<8} {item:<26} {:<34} (no row)",
                    format!("{want_status} {want_reason}")
                )),
                Some(row) => {
                    let code = reason_code(&row.reason);
                    if &row.status != want_status || &code != want_reason {
                        mismatches.push(format!(
                            "{county:<8} {item:<26} {:<34} {:<34} {} {}",
                            format!("{want_status} {want_reason}"),
                            format!("{} {}", row.status, code),
                            row.reason,
                            row.evidence_url
                        ));
                    }
                }
            }
        }
    }
    for county in matrix.keys() {
        if !expected.contains_key(county) {
            mismatches.push(format!("{county}: unexpected county in matrix.csv"));
        }
    }
    if !mismatches.is_empty() {
        eprintln!(
            "\n{} of {total} verdicts differ from expected.csv:\n{:<8} {:<26} {:<34} {:<34} reason / evidence\n{}",
            mismatches.len(),
            "county",
            "item",
            "expected",
            "got",
            mismatches.join("\n")
        );
        eprintln!("--- govcheck stderr (tail)\n{}", tail(&stderr, 40));
        panic!(
            "{} of {total} verdicts differ from the fixtures' expected.csv",
            mismatches.len()
        );
    }
    drop(servers);
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
