//! Rendering in headless Chromium (issue 14), through the built binary
//! against the fixture sites of `fixtures/render/` served on 127.0.0.1:
//! with a browser the rows only script can show are decided as the truth
//! labels say, and with `--render never` they stay `script_list`; every
//! request the browser made is in the WARC and kept the rate limit; a run
//! killed while rendering leaves no Chromium behind.
//!
//! Skipped, with a note, where no Chromium is installed (CI installs it).

mod common;

use common::{render_root, RENDER_SITES};
use govcheck::serve::{start_site, SiteServer};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

fn chromium_installed() -> bool {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if !found {
        eprintln!("no Chromium on PATH: rendering tests skipped");
    }
    found
}

/// item → (status, reason) of a label file.
fn labels(site: &str, file: &str) -> BTreeMap<String, (String, String)> {
    let mut rdr = csv::Reader::from_path(render_root().join(site).join(file)).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), (r[1].to_string(), r[2].to_string()))
        })
        .collect()
}

/// item → (status, reason) of a run's matrix.csv.
fn matrix(run: &Path) -> BTreeMap<String, (String, String)> {
    let bytes = std::fs::read(run.join("matrix.csv")).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut rdr = csv::Reader::from_reader(body);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (item, status, reason) = (col("item"), col("status"), col("reason"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[item].to_string(),
                (r[status].to_string(), r[reason].to_string()),
            )
        })
        .collect()
}

/// `govcheck check` of `site` into `out`, with `extra` flags.
fn check(site: &SiteServer, out: &Path, extra: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_govcheck"));
    cmd.arg("check")
        .arg(site.url())
        .args(["--name", &site.name, "--quiet"])
        .arg("--out")
        .arg(out)
        .arg("--db")
        .arg(out.with_extension("sqlite"))
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    cmd
}

async fn run(site: &SiteServer, out: &Path, extra: &[&str]) {
    let done = check(site, out, extra).output().await.unwrap();
    assert!(
        out.join("matrix.csv").is_file(),
        "{} gave no matrix: {}",
        site.name,
        String::from_utf8_lossy(&done.stderr)
    );
}

/// Rows this test knows to miss, each with why; the test fails when the
/// set changes either way, so a fix or a regression is seen and this list
/// is kept true.
const KNOWN_MISSES: &[(&str, &str, &str)] = &[
    // Both fail; the rendered 制度 list holds a 2020 provincial 基层政务公开
    // document, so the reason names that list's dates instead.
    (
        "render_vue_app_huachuan 10.township_catalogue",
        "rendered",
        "fail outside_window, labelled fail not_found",
    ),
    // The article page is the county's 2022 report (发布日期 2023-03-30): a
    // static reader passes it, where the label expects only the PDF viewer
    // to show it.
    (
        "render_template_links_longjiang 3",
        "never",
        "pass on the article page",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_only_rows_are_decided_when_rendered_and_stay_open_without() {
    if !chromium_installed() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    for name in RENDER_SITES {
        let site = start_site(&render_root().join(name)).await.unwrap();
        let truth = labels(name, "expected.csv");
        let honest = labels(name, "expected-static.csv");
        let rendered_run = tmp.path().join(format!("{name}-rendered"));
        let static_run = tmp.path().join(format!("{name}-static"));
        run(&site, &rendered_run, &["--rate", "0"]).await;
        run(&site, &static_run, &["--rate", "0", "--render", "never"]).await;
        let (rendered, without) = (matrix(&rendered_run), matrix(&static_run));
        for (item, (status, reason)) in &honest {
            if reason != "script_list" {
                continue;
            }
            let want = &truth[item];
            let got = &rendered[item];
            let reason = got.1.split([' ', ':']).next().unwrap_or_default();
            if got.0 != want.0 || reason != want.1 {
                wrong.push((format!("{name} {item}"), "rendered", format!("{got:?}")));
            }
            let got = &without[item];
            if got.0 != *status || !got.1.starts_with("script_list") {
                wrong.push((format!("{name} {item}"), "never", format!("{got:?}")));
            }
        }
    }
    let mut missed: Vec<(&str, &str)> = wrong
        .iter()
        .map(|(row, mode, _)| (row.as_str(), *mode))
        .collect();
    let mut known: Vec<(&str, &str)> = KNOWN_MISSES
        .iter()
        .map(|(row, mode, _)| (*row, *mode))
        .collect();
    missed.sort();
    known.sort();
    assert_eq!(
        missed, known,
        "rows decided otherwise than labelled: {wrong:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browsers_requests_are_archived_and_kept_to_the_rate() {
    if !chromium_installed() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = start_site(&render_root().join("render_post_pager_suileng"))
        .await
        .unwrap();
    let out = tmp.path().join("run");
    let rate = 4;
    run(&site, &out, &["--rate", &rate.to_string()]).await;

    // What the browser asked for, as the crawl logged it.
    let log = std::fs::read_to_string(out.join("pages.jsonl")).unwrap();
    let browser: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["rendered_for"].is_string())
        .collect();
    let posts = browser.iter().filter(|l| l["method"] == "POST").count();
    assert!(
        posts >= 2,
        "the POST pager was pressed through page 3: {posts} POSTs"
    );
    assert!(
        browser.iter().any(|l| l["rendered"].is_string()),
        "rendered views were archived"
    );
    for line in &browser {
        assert!(
            line["warc"]["record_id"].is_string(),
            "not archived: {line}"
        );
    }

    // Every request the server saw is in the archive, POSTs as POSTs.
    let mut archived: Vec<String> = Vec::new();
    for file in std::fs::read_dir(out.join("archive")).unwrap() {
        let path = file.unwrap().path();
        if path.to_string_lossy().ends_with(".warc.gz") {
            for record in govcheck::evidence::read_all(&path).unwrap() {
                if record.header("WARC-Type") == Some("request") {
                    let line = record.block.split(|b| *b == b'\r').next().unwrap().to_vec();
                    archived.push(String::from_utf8(line).unwrap());
                }
            }
        }
    }
    let seen = site.requests();
    for request in &seen {
        if request.target.starts_with("/robots.txt") || request.target.contains("govcheck-probe") {
            continue;
        }
        let line = format!("{} {} HTTP/1.1", request.method, request.target);
        assert!(
            archived.contains(&line),
            "not in the WARC: {line}\narchived: {archived:#?}"
        );
    }

    // At most `rate` requests start in any one second, as the server saw
    // them arrive (less 20 ms for the way there: the crawler spaces its
    // starts 1/rate apart, and a request can arrive a little sooner after
    // the one before than it was sent).
    let starts: Vec<(Instant, &str)> = seen.iter().map(|r| (r.at, r.target.as_str())).collect();
    for (i, (first, _)) in starts.iter().enumerate() {
        let burst: Vec<(u128, &str)> = starts[i..]
            .iter()
            .take_while(|(t, _)| t.duration_since(*first) < Duration::from_millis(980))
            .map(|(t, target)| (t.duration_since(*first).as_millis(), *target))
            .collect();
        assert!(
            burst.len() <= rate,
            "{} requests within one second: {burst:?}",
            burst.len()
        );
    }
}

/// Live (not zombie) processes whose command line contains `needle`, or
/// that are in process group `group`: the browser, its helpers, and the
/// crash handlers it starts in sessions of their own (they name its
/// profile directory).
fn browser_processes(group: i32, needle: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp …: fields after the last ')'.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() == Some(&"Z") {
            continue;
        }
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let in_group = fields.get(2).and_then(|g| g.parse().ok()) == Some(group);
        if in_group || String::from_utf8_lossy(&cmdline).contains(needle) {
            found.push(pid);
        }
    }
    found
}

/// The rendering browser started by process `parent`, once it runs: its
/// pid and its profile directory.
fn browser_of(parent: u32) -> Option<(i32, String)> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).into_owned();
        let Some(profile) = cmdline
            .split('\0')
            .find_map(|arg| arg.strip_prefix("--user-data-dir="))
            .filter(|dir| dir.contains("govcheck-render-"))
        else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let rest = stat
            .rsplit_once(')')
            .map(|(_, r)| r.to_string())
            .unwrap_or_default();
        if rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
            == Some(parent)
        {
            return Some((pid, profile.to_string()));
        }
    }
    None
}

async fn killed_while_rendering_leaves_no_browser(signal: i32) {
    let tmp = tempfile::tempdir().unwrap();
    let site = start_site(&render_root().join("render_vue_app_huachuan"))
        .await
        .unwrap();
    let mut child = check(&site, &tmp.path().join("run"), &["--rate", "1"])
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let started = Instant::now();
    let (browser, profile) = loop {
        if let Some(found) = browser_of(pid) {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the browser never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Let it get into the page (its helpers and crash handlers start).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!browser_processes(browser, &profile).is_empty());
    // SAFETY: signals the child this test started.
    unsafe {
        libc::kill(pid as i32, signal);
    }
    let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !browser_processes(browser, &profile).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        browser_processes(browser, &profile).is_empty(),
        "Chromium outlived govcheck (signal {signal}): {:?}",
        browser_processes(browser, &profile)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_while_rendering_leaves_no_chromium() {
    if !chromium_installed() {
        return;
    }
    killed_while_rendering_leaves_no_browser(libc::SIGKILL).await;
    killed_while_rendering_leaves_no_browser(libc::SIGTERM).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_will_not_start_leaves_the_rows_open_and_says_so() {
    // A "chromium" that answers --version and dies at once when started.
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo Chromium 1.0; exit 0; }\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let name = "render_vue_app_huachuan";
    let site = start_site(&render_root().join(name)).await.unwrap();
    let out = tmp.path().join("run");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let done = check(&site, &out, &["--rate", "0"])
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        stdout.contains("would not start") && stdout.contains("script_list"),
        "{stdout}"
    );
    let got = matrix(&out);
    for (item, (_, reason)) in labels(name, "expected-static.csv") {
        if reason == "script_list" {
            assert!(
                got[&item].1.starts_with("script_list"),
                "{item}: {:?}",
                got[&item]
            );
        }
    }
}
