//! The screenshot browser is a second browser on the crawler host, so its
//! isolation is tested against snapshot files written here by hand with
//! the tricks a page could play (script, refreshes, requests to a loopback
//! listener, local files, a hidden banner, a fake verdict), not against
//! what the snapshot builder makes of a page: the picture must carry
//! govcheck's real banner, and the browser must make no connection, run no
//! script, show no local file and leave no process behind.
//!
//! Chromium, when installed (.ci/run installs Debian's), really runs; on a
//! machine without one the tests say so and pass.

use govcheck::evidence::screenshot::{
    self, find_chromium, render_in, stragglers, Caption, ScreenshotError, BANNER_BACKGROUND,
    DEADLINE, OFFLINE, WINDOW,
};
use govcheck::evidence::snapshot::Stamp;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

fn chromium() -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        eprintln!("note: no chromium on this machine; .ci/run installs it");
    }
    found
}

/// A loopback listener that counts the connections it is offered (and
/// reads what it is sent, so a request is complete before it is counted).
fn listener() -> (u16, Arc<AtomicUsize>) {
    let socket = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in socket.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .ok();
            let mut request = Vec::new();
            stream.take(4096).read_to_end(&mut request).ok();
        }
    });
    (port, count)
}

fn caption() -> Caption {
    let url = url::Url::parse("http://www.beian.gov.cn/bas/c100/202301/c1_2.shtml").unwrap();
    Caption::new(&Stamp {
        county: "北安市",
        item: "3",
        item_name: "法治政府建设年度报告",
        status: "fail",
        reason: "no report for 2022 was found",
        url: &url,
        fetched_at: chrono::Utc::now(),
        http_status: 200,
        sha256: "0123456789abcdef",
        warc: Some(("archive/govcheck-1-00000.warc.gz", "<urn:uuid:1>")),
        tls_unverified: false,
        not_modified_since: None,
        rendered: None,
    })
}

/// A 64×64 red PNG, to stand for a local file a page must not show.
fn red_png(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(file, 64, 64);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&[255, 0, 0].repeat(64 * 64))
        .unwrap();
}

/// Width, height and RGB pixels, row by row.
fn pixels(png_bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let rgb = buf[..info.buffer_size()]
        .chunks(step)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Processes whose command line or environment names `work/…`: what the
/// browser started there (it runs with its `HOME` inside `work`). Written
/// here, not taken from the library, so the check does not grade itself.
fn processes_naming(work: &Path) -> Vec<String> {
    let needle = format!("{}/", work.canonicalize().unwrap().display()).into_bytes();
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()) && *pid != me)
                .filter(|pid| {
                    ["cmdline", "environ"].iter().any(|file| {
                        std::fs::read(format!("/proc/{pid}/{file}"))
                            .map(|text| text.windows(needle.len()).any(|w| w == needle))
                            .unwrap_or(false)
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_red(p: &[u8; 3]) -> bool {
    p[0] > 200 && p[1] < 80 && p[2] < 80
}

fn is_green(p: &[u8; 3]) -> bool {
    p[1] > 150 && p[0] < 80 && p[2] < 80
}

/// Every trick in one page: each would show red, draw over the banner, or
/// reach the listener on `port`, if the browser let it.
fn hostile_snapshot(port: u16, secret_html: &Path, secret_png: &Path) -> String {
    let secret_html = url::Url::from_file_path(secret_html).unwrap();
    let secret_png = url::Url::from_file_path(secret_png).unwrap();
    let listener = format!("http://127.0.0.1:{port}");
    format!(
        r#"<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0;url=data:text/html,%3Cbody%20style%3D%22background%3A%23ff0000%22%3E">
<link rel="stylesheet" href="{listener}/style.css">
<link rel="preconnect" href="{listener}">
<link rel="dns-prefetch" href="//evil.example">
<link rel="prefetch" href="{listener}/prefetch">
<link rel="icon" href="{listener}/favicon.ico">
<style>
@import url({listener}/import.css);
@font-face {{ font-family: x; src: url(http://localhost:{port}/font.woff); }}
#govcheck-banner, #govcheck-picture-banner {{ display: none !important; }}
html, body {{ margin: 0; font-family: x; background: #fff url({listener}/background.png); }}
.fake {{ position: fixed; top: -500px; left: -500px; right: -500px; height: 900px;
  z-index: 2147483647; background: #00c800; color: #fff; font: bold 120px sans-serif; }}
.below {{ position: absolute; top: 600px; left: 0; width: 100%; height: 800px; }}
</style></head>
<body onload="document.body.style.background='#ff0000'">
<div id="govcheck-banner">govcheck evidence · 北安市 · 3 · pass</div>
<div class="fake">PASS</div>
<div class="below" id="below">
<img src="{listener}/image.png"><img src="http://[::ffff:127.0.0.1]:{port}/v6.png">
<img src="{secret_png}" width="300" height="300">
<iframe src="{secret_html}" width="300" height="300"></iframe>
<iframe src="{listener}/frame.html"></iframe>
<iframe srcdoc="&lt;meta http-equiv=refresh content='0;url={listener}/refresh'&gt;&lt;img src={listener}/nested.png&gt;&lt;iframe src={secret_html} width=300 height=300&gt;&lt;/iframe&gt;" width="400" height="400"></iframe>
<object data="{listener}/object"></object><embed src="{listener}/embed">
<video poster="{listener}/poster.png" src="{listener}/video.mp4" autoplay></video>
<form action="{listener}/form"><input autofocus name="q"></form>
</div>
<script>
document.getElementById('below').style.background = '#ff0000';
fetch('{listener}/fetch');
navigator.sendBeacon('{listener}/beacon', 'x');
alert('a dialog that would stall the browser');
</script>
</body></html>"#
    )
}

/// The picture of a hostile snapshot shows govcheck's banner on top, the
/// page (its fake green verdict included) only below it, no red (no
/// script, no refresh, no local file), and the browser made no connection
/// and left no process.
#[test]
fn a_hostile_snapshot_is_pictured_inert_offline_and_under_the_real_banner() {
    let Some(chromium) = chromium() else { return };
    let (port, connections) = listener();
    let dir = tempfile::tempdir().unwrap();
    let secret_html = dir.path().join("secret.html");
    std::fs::write(
        &secret_html,
        "<body style=\"background:#ff0000\">local secret</body>",
    )
    .unwrap();
    let secret_png = dir.path().join("secret.png");
    red_png(&secret_png);
    let snapshot = dir.path().join("snapshot.html");
    std::fs::write(&snapshot, hostile_snapshot(port, &secret_html, &secret_png)).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();

    // Watch the browser's processes while it works, so the check after
    // is known to see them.
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (done, work) = (done.clone(), work.clone());
        std::thread::spawn(move || {
            let mut most = 0;
            while !done.load(Ordering::SeqCst) {
                most = most.max(processes_naming(&work).len());
                std::thread::sleep(Duration::from_millis(20));
            }
            most
        })
    };
    let started = Instant::now();
    let png = render_in(&chromium, &snapshot, &caption(), &work, DEADLINE);
    eprintln!("one picture took {:?}", started.elapsed());
    done.store(true, Ordering::SeqCst);
    let most = watcher.join().unwrap();
    let png = png.unwrap();

    assert!(most > 0, "the browser's processes were never seen");
    let left = processes_naming(&work);
    assert!(left.is_empty(), "browser processes left running: {left:?}");
    assert!(stragglers(&work).is_empty());
    let (width, height, rgb) = pixels(&png);
    assert_eq!((width, height), WINDOW);
    let row = |y: u32| &rgb[(y * width) as usize..((y + 1) * width) as usize];
    // The banner's band: its background across the top rows, no green.
    for y in 1..=8 {
        let banner = row(y).iter().filter(|p| **p == BANNER_BACKGROUND).count();
        assert!(
            banner * 10 >= width as usize * 8,
            "row {y} is not the banner ({banner} of {width} pixels)"
        );
    }
    let banner_band = (0..48).flat_map(row).filter(|p| is_green(p)).count();
    assert_eq!(banner_band, 0, "the page drew over the banner");
    // The page was drawn, fake verdict and all, but only in its frame.
    assert!(
        rgb.iter().filter(|p| is_green(p)).count() > 100_000,
        "the snapshot was not rendered at all"
    );
    let red = rgb.iter().filter(|p| is_red(p)).count();
    assert_eq!(red, 0, "script, a refresh or a local file showed");
    // Late connections (a refresh, a preconnect) would have come by now.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "the browser reached the loopback listener"
    );
}

/// The network flags hold on their own, for a page that runs script and
/// has no policy and no sandbox: without them the same page reaches the
/// listener (so the check can fail), with them it does not.
#[test]
fn the_offline_flags_alone_keep_a_scripted_page_off_loopback() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = |offline: bool| {
        let (port, connections) = listener();
        let page = dir.path().join(format!("page-{port}.html"));
        let listener = format!("http://127.0.0.1:{port}");
        std::fs::write(
            &page,
            format!(
                "<!DOCTYPE html><link rel=stylesheet href={listener}/a.css>\
<link rel=preconnect href={listener}><img src={listener}/b.png>\
<img src=http://localhost:{port}/c.png><iframe src={listener}/d.html></iframe>\
<script>fetch('{listener}/e'); new WebSocket('ws://127.0.0.1:{port}/f');</script>"
            ),
        )
        .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut command = Command::new(&chromium);
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=2000",
        ]);
        if offline {
            command.args(OFFLINE);
        }
        let mut child = command
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!(
                "--screenshot={}",
                dir.path().join(format!("{port}.png")).display()
            ))
            .arg(url::Url::from_file_path(&page).unwrap().as_str())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if child.wait_timeout(DEADLINE).unwrap().is_none() {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish");
        }
        std::thread::sleep(Duration::from_millis(300));
        connections.load(Ordering::SeqCst)
    };
    assert!(
        run(false) > 0,
        "the page reaches loopback without the flags"
    );
    assert_eq!(run(true), 0, "the page reached loopback despite the flags");
}

/// A browser that never finishes is killed at the deadline together with
/// everything it started: what stayed in its process group (even with
/// its environment cleared) and what left it (as Chromium's crash handler
/// does).
#[test]
fn a_browser_past_its_deadline_is_killed_with_all_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake-chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\n\
sleep 300 & echo $! >> \"$HOME/pids\"\n\
setsid sleep 300 & echo $! >> \"$HOME/pids\"\n\
env -i sleep 300 & echo $! >> \"$HOME/pids\"\n\
sh -c 'sleep 300' & echo $! >> \"$HOME/pids\"\n\
echo $$ >> \"$HOME/pids\"\n\
sleep 300\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let snapshot = dir.path().join("snapshot.html");
    std::fs::write(&snapshot, "<p>x</p>").unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let started = Instant::now();
    let result = render_in(&fake, &snapshot, &caption(), &work, Duration::from_secs(1));
    let took = started.elapsed();
    assert!(
        matches!(result, Err(ScreenshotError::TimedOut(_))),
        "{result:?}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(result
        .unwrap_err()
        .to_string()
        .contains("killed with everything it started"));
    let pids = std::fs::read_to_string(work.join("home/pids")).unwrap();
    let pids: Vec<&str> = pids.lines().collect();
    assert_eq!(pids.len(), 5, "{pids:?}");
    for pid in pids {
        // Gone, or a zombie waiting for init to reap it: not running.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let running = state
            .rsplit_once(") ")
            .map(|(_, rest)| !rest.starts_with('Z'))
            .unwrap_or(false);
        assert!(!running, "process {pid} outlived the deadline: {state}");
    }
    assert!(processes_naming(&work).is_empty());
    assert!(stragglers(&work).is_empty());
}

/// A snapshot that cannot be read is a clear error, and no browser starts.
#[test]
fn a_missing_snapshot_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = screenshot::render(
        Path::new("/nonexistent/chromium"),
        &dir.path().join("missing.html"),
        &caption(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
}
