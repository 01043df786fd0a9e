//! The findings of the security review of snapshots (issue 10), reproduced
//! end to end: a hostile page's snapshot opened in Chromium runs nothing
//! and reaches no server, though the same page opened as captured does;
//! and an attachment served under a page's name (`x.htm`, `x.html`) is
//! stored by what its bytes are, beside a snapshot it cannot replace.

mod common;
use common::copy_dir;

use chrono::{DateTime, Utc};
use govcheck::evidence::snapshot::{html_snapshot, Stamp, PREAMBLE};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use url::Url;

/// A stand-in for the live county site on a loopback port: it answers
/// every request and remembers its request line.
fn live_site() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let log = log.clone();
            // One thread per connection: a preconnected socket that never
            // sends a request must not hold up the others.
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let mut head = Vec::new();
                let mut buf = [0u8; 2048];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16384 {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or("(a connection, no request)")
                    .to_string();
                log.lock().unwrap().push(line);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                );
            });
        }
    });
    (port, seen)
}

/// Every vector of the review, aimed at the live site; the page has no
/// `<head>`, as the one that slipped past the old policy.
fn hostile_page(live: &str) -> String {
    format!(
        r#"<p>2022年某县政府信息公开工作年度报告</p>
<script>document.title='HACKED';new Image().src='{live}/script';</script>
<iframe srcdoc="<script>fetch('{live}/srcdoc')</script>"></iframe>
<iframe src="{live}/iframe"></iframe>
<embed src="{live}/embed.svg"><object data="{live}/object.svg"></object>
<link rel=stylesheet href="{live}/link.css">
<style>@import url({live}/import.css);</style>
<div style="background:url({live}/background.png);height:10px">x</div>
<table background="{live}/table.png"><tr><td>x</td></tr></table>
<img src="{live}/img.png"><img src=x onerror="fetch('{live}/onerror')">
<video poster="{live}/poster.png" src="{live}/video.mp4" autoplay></video>
<form action="{live}/form"><input type=image src="{live}/input.png"><button formaction="&#106;avascript:fetch('{live}/formaction')">发送</button></form>
<svg><a xlink:href="javascript:fetch('{live}/xlink')"><animate attributeName="href" values="javascript:fetch('{live}/animate')"/><text y="20">x</text></a><image href="{live}/svg-image.png"/></svg>
<a href=" java&#x09;script:fetch('{live}/a')">链接</a>
<base href="{live}/base/"><img src="relative.png">
<meta http-equiv=refresh content="1;url={live}/refresh">
<body onload="fetch('{live}/onload')">"#
    )
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        })
}

/// The DOM Chromium shows for `file` after letting it run a while.
fn render(chromium: &str, file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_hostile_pages_snapshot_runs_nothing_and_reaches_no_server_in_chromium() {
    let (port, seen) = live_site();
    let live = format!("http://127.0.0.1:{port}");
    let page = hostile_page(&live);
    let url = Url::parse(&format!("{live}/zwgk/2023/a.html")).unwrap();
    let stamp = Stamp {
        county: "某县",
        item: "9",
        item_name: "政务公开年度报告",
        status: "pass",
        reason: "found",
        url: &url,
        fetched_at: DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        http_status: 200,
        sha256: "abc",
        warc: None,
        tls_unverified: false,
        not_modified_since: None,
        rendered: None,
    };
    let snapshot = html_snapshot(&stamp, &page, "2022年某县政府信息公开工作年度报告");
    assert!(snapshot.starts_with(PREAMBLE));
    let lower = snapshot.to_ascii_lowercase();
    for gone in [
        "<script",
        "srcdoc",
        "javascript:",
        "<iframe",
        "<embed",
        "<object",
        "<svg",
        "<link",
        "<base",
        "url(",
        "@import",
        "src=\"http",
        "http-equiv=\"refresh\"",
    ] {
        assert!(!lower.contains(gone), "{gone} in {snapshot}");
    }
    let Some(chromium) = chromium() else {
        eprintln!("note: no chromium on this machine; .ci/run installs it");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The page as captured reaches the live site: the stand-in is heard.
    let captured = dir.path().join("captured.html");
    std::fs::write(&captured, &page).unwrap();
    let dom = render(chromium, &captured);
    let heard = std::mem::take(&mut *seen.lock().unwrap());
    eprintln!("the raw page reached: {heard:?}");
    assert!(
        !heard.is_empty(),
        "the stand-in heard nothing from the raw page; the test cannot tell: {dom}"
    );
    // Its snapshot does not.
    let file = dir.path().join("snapshot.html");
    std::fs::write(&file, &snapshot).unwrap();
    let dom = render(chromium, &file);
    assert!(dom.contains("govcheck evidence"), "did not render: {dom}");
    assert!(dom.contains("id=\"govcheck-match\""));
    assert!(!dom.contains("HACKED"), "captured script ran: {dom}");
    let heard = seen.lock().unwrap().clone();
    assert!(
        heard.is_empty(),
        "the snapshot reached the live site: {heard:?}"
    );
}

/// Demo run over two fixture sites whose attachments are renamed as
/// pages: 北安市's debt table (a PDF) as `.htm`, 明水县's guide (a PDF)
/// as `.html`.
#[test]
fn attachments_served_as_pages_are_stored_by_their_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = tmp.path().join("sites");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    for (site, dir, file, page, renamed) in [
        (
            "beian",
            "bas/c100783/202302",
            "P020230210384512.pdf",
            "bas/c100783/202302/c06_1163363.shtml",
            "P020230210384512.htm",
        ),
        (
            "holdout7_static_mingshui",
            "uploadfile/2023/0213",
            "msxxgkzn.pdf",
            "zwgk/xxgkzn/202302/art_1075.htm",
            "msxxgkzn.html",
        ),
    ] {
        let site = fixtures.join(site);
        copy_dir(&root.join(site.file_name().unwrap()), &site);
        std::fs::rename(site.join(dir).join(file), site.join(dir).join(renamed)).unwrap();
        let page = site.join(page);
        let text = std::fs::read(&page).unwrap();
        let text = String::from_utf8_lossy(&text).replace(file, renamed);
        std::fs::write(&page, text).unwrap();
    }
    let out = tmp.path().join("run");
    let run = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .args(["demo", "--quiet", "--fixtures"])
        .arg(&fixtures)
        .arg("--out")
        .arg(&out)
        .env("GOVCHECK_DB", tmp.path().join("history.sqlite"))
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(out.join("matrix.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(&bytes[3..]);
    let mut checked = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let (url, snapshot) = (&row[8], &row[9]);
        let renamed = url.ends_with("/P020230210384512.htm") || url.ends_with("/msxxgkzn.html");
        if !renamed {
            continue;
        }
        let html = std::fs::read_to_string(out.join(snapshot)).unwrap();
        assert!(html.starts_with(PREAMBLE), "{snapshot}");
        assert!(html.contains("govcheck-banner"), "{snapshot} was replaced");
        let stem = snapshot.trim_end_matches(".html");
        let captured = format!("{stem}.captured.pdf");
        let name = Path::new(&captured).file_name().unwrap().to_string_lossy();
        assert!(html.contains(&format!("href=\"{name}\"")), "{html}");
        assert!(std::fs::read(out.join(&captured))
            .unwrap()
            .starts_with(b"%PDF-"));
        checked += 1;
    }
    assert_eq!(checked, 2, "both renamed attachments are evidence");
    // Snapshots are `<hash>.html`; captured files `<hash>.captured.<ext>`,
    // never with a page's extension.
    for entry in std::fs::read_dir(out.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let (_, rest) = name.split_once('.').unwrap();
        let captured = rest.strip_prefix("captured.");
        assert!(
            rest == "html"
                || captured
                    .is_some_and(|ext| !["html", "htm", "svg", "xml", "xhtml"].contains(&ext)),
            "{name}"
        );
    }
    let verify = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("verify")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}
