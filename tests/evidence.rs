//! Evidence an evaluator can defend, end to end: a demo run over the
//! fixture sites leaves a WARC that an independent reader accepts, a
//! stamped script-free snapshot for every verdict with evidence, a report,
//! exports, and a manifest that `govcheck verify` checks byte for byte.

mod common;
use common::{copy_dir, warcio_checks};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Each run gets its own history database, so parallel tests never wait
/// on each other's database lock.
fn fresh_db() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    dir.path().join(format!("history-{n}.sqlite"))
}

fn govcheck() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_govcheck"));
    c.env("GOVCHECK_DB", fresh_db())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy");
    c
}

/// The demo run shared by the tests of this file, and its history.
struct DemoRun {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

fn demo_run() -> &'static DemoRun {
    static RUN: OnceLock<DemoRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        let db = fresh_db();
        let out = govcheck()
            .env("GOVCHECK_DB", &db)
            .args(["demo", "--quiet", "--out"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        DemoRun { _tmp: tmp, dir, db }
    })
}

fn run_dir() -> &'static Path {
    &demo_run().dir
}

struct Row {
    county: String,
    item: String,
    status: String,
    evidence_url: String,
    evidence_file: String,
    warc_file: String,
    warc_record_id: String,
}

fn matrix(dir: &Path) -> Vec<Row> {
    let bytes = std::fs::read(dir.join("matrix.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                county: r[0].to_string(),
                item: r[2].to_string(),
                status: r[4].to_string(),
                evidence_url: r[8].to_string(),
                evidence_file: r[9].to_string(),
                warc_file: r[13].to_string(),
                warc_record_id: r[14].to_string(),
            }
        })
        .collect()
}

/// One county's line of scores.csv, by column name.
struct Score {
    county: String,
    total: u32,
    max_total: u32,
    pass: usize,
    fail: usize,
    inconclusive: usize,
}

fn scores(dir: &Path) -> Vec<Score> {
    let bytes = std::fs::read(dir.join("scores.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let header = rdr.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (total, max_total) = (column("total"), column("max_total"));
    let (pass, fail, inconclusive) = (column("pass"), column("fail"), column("inconclusive"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Score {
                county: r[0].to_string(),
                total: r[total].parse().unwrap(),
                max_total: r[max_total].parse().unwrap(),
                pass: r[pass].parse().unwrap(),
                fail: r[fail].parse().unwrap(),
                inconclusive: r[inconclusive].parse().unwrap(),
            }
        })
        .collect()
}

/// One bar of the report's charts: its row's `data-*` attributes and text.
struct Bar {
    data: std::collections::HashMap<String, String>,
    text: String,
}

impl Bar {
    fn number(&self, name: &str) -> i64 {
        self.data[name].parse().unwrap()
    }
}

/// The rows of the report's chart `table.<class>` (`counties`, `items`).
fn bars(html: &str, class: &str) -> Vec<Bar> {
    let dom = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse(&format!(
        "table.{class} tr[data-counties], table.{class} tr[data-county]"
    ))
    .unwrap();
    dom.select(&rows)
        .map(|row| Bar {
            data: row
                .value()
                .attrs()
                .filter_map(|(k, v)| {
                    k.strip_prefix("data-")
                        .map(|k| (k.to_string(), v.to_string()))
                })
                .collect(),
            text: row.text().collect(),
        })
        .collect()
}

/// Each county bar carries scores.csv's points, maximum and row counts, in
/// its attributes and in its text; each item bar the matrix's passes.
fn assert_bars_match_the_tables(html: &str, dir: &Path) {
    let scores = scores(dir);
    let counties = bars(html, "counties");
    assert_eq!(counties.len(), scores.len(), "one bar per county");
    for (bar, score) in counties.iter().zip(&scores) {
        assert_eq!(bar.data["county"], score.county);
        assert_eq!(
            bar.number("points"),
            i64::from(score.total),
            "{}",
            score.county
        );
        assert_eq!(
            bar.number("max"),
            i64::from(score.max_total),
            "{}",
            score.county
        );
        let counts = [score.pass, score.fail, score.inconclusive];
        for (name, count) in ["pass", "fail", "inconclusive"].into_iter().zip(counts) {
            assert_eq!(bar.number(name), count as i64, "{} {name}", score.county);
        }
        let written = [
            format!("{} / {}", score.total, score.max_total),
            format!(
                "{} pass · {} fail · {} inconclusive",
                counts[0], counts[1], counts[2]
            ),
        ];
        for text in written {
            assert!(
                bar.text.contains(&text),
                "{}: {text} not in {:?}",
                score.county,
                bar.text
            );
        }
    }
    let matrix = matrix(dir);
    let items = bars(html, "items");
    assert_eq!(items.len(), 17, "one bar per rubric item");
    for bar in &items {
        let item = &bar.data["item"];
        let passing = matrix
            .iter()
            .filter(|r| &r.item == item && r.status == "pass")
            .count();
        assert_eq!(bar.number("pass"), passing as i64, "item {item}");
        assert_eq!(bar.number("counties"), scores.len() as i64, "item {item}");
        let written = format!("{passing} / {}", scores.len());
        assert!(
            bar.text.contains(&written),
            "item {item}: {written} not in {:?}",
            bar.text
        );
    }
}

fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("archive"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_pass_names_a_snapshot_and_a_warc_record() {
    let dir = run_dir();
    let rows = matrix(dir);
    let passes: Vec<&Row> = rows
        .iter()
        .filter(|r| r.status == "pass" && r.item != "4")
        .collect();
    assert!(passes.len() > 30);
    for row in passes {
        assert!(
            !row.evidence_file.is_empty(),
            "{} {} has no snapshot",
            row.county,
            row.item
        );
        assert!(
            row.warc_record_id.starts_with("<urn:uuid:"),
            "{} {}",
            row.county,
            row.item
        );
        assert!(dir.join(&row.warc_file).is_file());
        let html = std::fs::read_to_string(dir.join(&row.evidence_file)).unwrap();
        assert!(html.contains("govcheck-banner"));
        assert!(html.contains(&row.evidence_url.replace('&', "&amp;")));
        assert!(html.contains(&row.warc_record_id.replace('<', "&lt;").replace('>', "&gt;")));
        assert!(
            html.contains("id=\"govcheck-match\""),
            "{}",
            row.evidence_file
        );
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "{}",
            row.evidence_file
        );
        assert!(!html.contains("onerror=") && !html.contains("javascript:"));
    }
    // The late rule-of-law report (a near-miss that decided a fail) has its snapshot too.
    let late = rows
        .iter()
        .find(|r| r.county == "嫩江市" && r.item == "3")
        .unwrap();
    assert_eq!(late.status, "fail");
    assert!(!late.evidence_file.is_empty());
}

#[test]
fn warc_is_read_by_an_independent_reader() {
    let dir = run_dir();
    let files = warc_files(dir);
    assert!(!files.is_empty());
    assert!(dir.join("archive/index.cdxj").is_file());
    warcio_checks(&files);
}

#[test]
fn logs_list_fetched_and_skipped_urls() {
    let dir = run_dir();
    let pages = std::fs::read_to_string(dir.join("pages.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(pages.lines().next().unwrap()).unwrap();
    for key in [
        "url",
        "status",
        "bytes",
        "sha256",
        "fetched_at",
        "depth",
        "found_via",
        "warc",
    ] {
        assert!(first.get(key).is_some(), "pages.jsonl lacks {key}: {first}");
    }
    let skipped = std::fs::read_to_string(dir.join("skipped.jsonl")).unwrap();
    assert!(
        skipped.lines().any(|l| l.contains("\"reason\":\"robots\"")),
        "robots skips are logged"
    );
}

#[test]
fn verify_catches_one_changed_byte() {
    let dir = run_dir();
    let out = govcheck().arg("verify").arg(dir).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Tamper with a copy, so the other tests keep their run.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir, copy.path());
    let snapshot = matrix(copy.path())
        .into_iter()
        .find(|r| !r.evidence_file.is_empty())
        .unwrap()
        .evidence_file;
    let path = copy.path().join(snapshot);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let out = govcheck().arg("verify").arg(copy.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MISMATCH"));

    // Files govcheck did not write fail the check too, however
    // self-consistent: a planted snapshot, a second report, a forged WARC.
    let planted = tempfile::tempdir().unwrap();
    copy_dir(dir, planted.path());
    std::fs::write(
        planted.path().join("snapshots/fake.html"),
        "<script>alert(1)</script>",
    )
    .unwrap();
    std::fs::write(planted.path().join("report2.html"), "<html></html>").unwrap();
    let out = govcheck()
        .arg("verify")
        .arg(planted.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("snapshots/fake.html: not in the manifest"),
        "{text}"
    );
    assert!(text.contains("report2.html: not in the manifest"), "{text}");
}

#[test]
fn exports_open_as_csv_xlsx_and_json() {
    let dir = run_dir();
    let tmp = tempfile::tempdir().unwrap();
    for format in ["csv", "xlsx", "json"] {
        let output = tmp.path().join(format!("m.{format}"));
        let out = govcheck()
            .args(["export", "--run"])
            .arg(dir)
            .args(["--format", format, "--output"])
            .arg(&output)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::metadata(&output).unwrap().len() > 100);
    }
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(tmp.path().join("m.json")).unwrap()).unwrap();
    assert!(json.len() >= 17 * 6 && json.len().is_multiple_of(17));
    assert!(json
        .iter()
        .any(|r| r["county"] == "北安市" && r["status"] == "pass"));
}

/// Chromium, when installed (.ci/run installs Debian's), renders the report
/// and a snapshot of a page full of hostile script: the report reads right
/// and nothing captured runs.
#[test]
fn report_and_snapshots_render_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        })
    else {
        eprintln!("note: no chromium on this machine; .ci/run installs it");
        return;
    };
    let dir = run_dir();
    let profile = tempfile::tempdir().unwrap();
    let headless = |extra: &[&str], file: &Path| {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=2000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", file.display()))
            .output()
            .unwrap()
    };
    let report = dir.join("report.html");
    let rendered = headless(&["--dump-dom", "--enable-logging=stderr", "--v=0"], &report);
    let console: Vec<&str> = std::str::from_utf8(&rendered.stderr)
        .unwrap_or_default()
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
        })
        .collect();
    assert!(
        console.is_empty(),
        "the report logged to the console: {console:?}"
    );
    let dom = String::from_utf8_lossy(&rendered.stdout);
    for text in ["北安市", "孙吴县", "Needs manual review", "inconclusive"] {
        assert!(dom.contains(text), "rendered report lacks {text}");
    }
    assert_bars_match_the_tables(&dom, dir);
    // The picture goes beside the run, not into it: the run directory
    // holds only what govcheck wrote (verify checks that).
    let pictures = tempfile::tempdir().unwrap();
    let png = pictures.path().join("report.png");
    headless(
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1400,900",
        ],
        &report,
    );
    assert!(
        std::fs::metadata(&png)
            .map(|m| m.len() > 1000)
            .unwrap_or(false),
        "no screenshot"
    );
    // Printed: A4 landscape, the whole matrix (each county's "points/max"
    // cell) on the page that heads it, the county detail from a new page.
    let pdf = pictures.path().join("report.pdf");
    headless(
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        &report,
    );
    if let Some(pages) = pdf_pages(&pdf) {
        let matrix_page = pages
            .iter()
            .find(|p| p.lines().any(|l| l.trim() == "Matrix"))
            .expect("a page heads the matrix");
        for score in scores(dir) {
            let cell = format!("{}/{}", score.total, score.max_total);
            assert!(
                matrix_page.contains(&cell),
                "{}'s {cell} is not on the matrix's page",
                score.county
            );
        }
        assert!(
            !pages
                .iter()
                .any(|p| p.contains("Needs manual review") && p.contains("pages fetched")),
            "the county detail does not start on a new page"
        );
    }
    // 北安市's rule-of-law report page carries a script, an onerror handler
    // and a javascript: link; its snapshot must render inert.
    let row = matrix(dir)
        .into_iter()
        .find(|r| r.county == "北安市" && r.item == "3")
        .unwrap();
    let dom = headless(&["--dump-dom"], &dir.join(&row.evidence_file));
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("govcheck evidence"), "snapshot did not render");
    assert!(
        !dom.contains("HACKED") && !dom.contains("data-pwned"),
        "captured script ran"
    );
}

/// The text of each page of an A4 landscape PDF, or `None` without
/// poppler's pdftotext (.ci/run installs it).
fn pdf_pages(pdf: &Path) -> Option<Vec<String>> {
    let info = Command::new("pdfinfo").arg(pdf).output().ok()?;
    let info = String::from_utf8_lossy(&info.stdout);
    // "Page size:      841.92 x 595.2 pts (A4)"
    let size: Vec<f64> = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        matches!(size[..], [w, h] if (w - 842.0).abs() < 2.0 && (h - 595.0).abs() < 2.0),
        "not A4 landscape: {info}"
    );
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    Some(
        String::from_utf8_lossy(&text.stdout)
            .split('\u{c}')
            .map(String::from)
            .collect(),
    )
}

/// A second run into the same history shows each county's change in
/// points since the first, dated by the first run's start.
#[test]
fn the_report_shows_the_change_in_points_since_the_previous_complete_run() {
    let first = demo_run();
    let first_html = std::fs::read_to_string(first.dir.join("report.html")).unwrap();
    assert!(
        bars(&first_html, "counties")
            .iter()
            .all(|b| !b.data.contains_key("change")),
        "a first run has nothing to compare with"
    );
    let tmp = tempfile::tempdir().unwrap();
    let second = tmp.path().join("run");
    let out = govcheck()
        .env("GOVCHECK_DB", &first.db)
        .args(["demo", "--quiet", "--out"])
        .arg(&second)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(first.dir.join("run.json")).unwrap()).unwrap();
    let since = format!("since {} run", &run_json["started"].as_str().unwrap()[..10]);
    let before = scores(&first.dir);
    let html = std::fs::read_to_string(second.join("report.html")).unwrap();
    let counties = bars(&html, "counties");
    assert_eq!(counties.len(), before.len());
    for (bar, (now, then)) in counties.iter().zip(scores(&second).iter().zip(&before)) {
        let change = i64::from(now.total) - i64::from(then.total);
        assert_eq!(bar.number("change"), change, "{}", now.county);
        assert!(
            bar.text.contains(&since),
            "{}: {since} not in {:?}",
            now.county,
            bar.text
        );
    }
}

/// `--screenshots` pictures each snapshot with Chromium and archives the
/// PNG as a WARC resource record; without Chromium it says so once and the
/// run still completes.
#[test]
fn screenshots_of_snapshots_are_pictured_and_archived() {
    let fixtures = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites/wudalianchi"),
        &fixtures.path().join("wudalianchi"),
    );
    let out_dir = fixtures.path().join("run");
    let out = govcheck()
        .args(["demo", "--quiet", "--screenshots", "--fixtures"])
        .arg(fixtures.path())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let has_chromium = Command::new("chromium")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("run.json")).unwrap()).unwrap();
    let shots: Vec<String> = run["sites"][0]["evidence"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|e| e["screenshot"].as_str().map(String::from))
        .collect();
    if !has_chromium {
        assert!(String::from_utf8_lossy(&out.stderr).contains("--screenshots needs Chromium"));
        assert!(shots.is_empty());
        return;
    }
    assert!(!shots.is_empty(), "no screenshots recorded");
    for shot in &shots {
        let bytes = std::fs::read(out_dir.join(shot)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{shot} is not a PNG");
        // The top of every picture is govcheck's own banner, drawn outside
        // the page (tests/screenshots.rs tries to hide it).
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let top_row = &buf[channels * info.width as usize * 2..][..channels * info.width as usize];
        let banner = top_row
            .chunks(channels)
            .filter(|p| p[..3] == govcheck::evidence::screenshot::BANNER_BACKGROUND)
            .count();
        assert!(
            banner * 10 >= info.width as usize * 8,
            "{shot} does not open with the banner"
        );
    }
    let archived = warc_files(&out_dir)
        .iter()
        .flat_map(|f| govcheck::evidence::read_all(f).unwrap())
        .filter(|r| {
            r.header("WARC-Type") == Some("resource")
                && r.header("Content-Type") == Some("image/png")
        })
        .count();
    assert_eq!(archived, shots.len());
}

/// A site whose homepage answers 503 through every retry of the first pass
/// is tried once more after the other sites, and decided then.
#[test]
fn transient_failures_get_a_second_pass() {
    let fixtures = tempfile::tempdir().unwrap();
    let site = fixtures.path().join("wudalianchi");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites/wudalianchi"),
        &site,
    );
    let mut config = std::fs::read_to_string(site.join("_site.toml")).unwrap();
    config.push_str("\n[[route]]\npath = \"/\"\nstatus = 503\ntimes = 3\n");
    std::fs::write(site.join("_site.toml"), config).unwrap();
    let out_dir = fixtures.path().join("run");
    let out = govcheck()
        .args(["demo", "--quiet", "--fixtures"])
        .arg(fixtures.path())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["sites"][0]["second_pass"], true);
    assert_eq!(run["sites"][0]["crawl"]["start"]["state"], "reached");
    let rows = matrix(&out_dir);
    assert!(
        rows.iter().any(|r| r.status == "pass"),
        "decided on the second pass"
    );
    assert!(!rows
        .iter()
        .any(|r| r.status == "inconclusive" && r.item == "7.column"));
}
