//! Optional PNG pictures of the stamped snapshots (`--screenshots`),
//! rendered by a headless Chromium that is kept away from everything else
//! on the crawler host.
//!
//! A snapshot is made from markup a county server sent. The builder cleans
//! it, but the browser that pictures it must not depend on that alone: it
//! runs as root here, so it needs `--no-sandbox`. Instead, each picture is
//! one fresh Chromium that
//!
//! - has no network: every request goes to a dead proxy, loopback
//!   included, and every host name resolves to nothing ([`OFFLINE`]);
//! - runs no page script, opens no dialog, follows no refresh and shows no
//!   local file: the snapshot is shown in a sandboxed frame (`srcdoc`, no
//!   `allow-*` token) of a page govcheck writes, under a
//!   `default-src 'none'` policy that the frame inherits. (Chromium's
//!   `--blink-settings=scriptEnabled=false` would be simpler, but with it
//!   Chromium 156's `--screenshot` exits without writing a picture.);
//! - carries govcheck's banner in that outer page, above the frame, drawn
//!   from the finding's [`Stamp`] rather than the snapshot file, where the
//!   snapshot's markup can neither hide nor cover it;
//! - has its own home, profile and temporary directory, runs in its own
//!   process group, and is killed with everything it started when it is
//!   done or after [`DEADLINE`].
//!
//! Chromium is not a dependency: when none is installed, `--screenshots`
//! says so once and everything else works.

use crate::evidence::snapshot::Stamp;
use crate::util::escape;
use chrono::FixedOffset;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// No picture was made.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    /// A step around the browser failed: `doing` says which.
    #[error("{doing}: {cause}")]
    Io {
        /// What was being done.
        doing: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// Waiting for the browser failed.
    #[error(transparent)]
    Wait(#[from] std::io::Error),
    /// The browser ended without writing the picture.
    #[error("chromium exited with {0} without a picture")]
    NoPicture(std::process::ExitStatus),
    /// The browser wrote something that is not a PNG.
    #[error("chromium wrote a picture that is not a PNG")]
    NotPng,
    /// The browser ran out of time and was killed.
    #[error("chromium took longer than {} s and was killed with everything it started", .0.as_secs_f32())]
    TimedOut(Duration),
}

/// A `map_err` adapter naming the step that failed.
fn step(doing: String) -> impl FnOnce(std::io::Error) -> ScreenshotError {
    move |cause| ScreenshotError::Io { doing, cause }
}

/// The longest one picture may take: then the browser and every process
/// it started are killed, and the row keeps its snapshot and WARC record.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Width and height of the browser window, in CSS pixels: the picture's
/// size.
pub const WINDOW: (u32, u32) = (1280, 1600);

/// The banner's background colour, as in the snapshot's own banner.
pub const BANNER_BACKGROUND: [u8; 3] = [0xff, 0xfb, 0xe6];

/// The flags that cut the browser off the network: every request goes to
/// a SOCKS proxy on a privileged loopback port nothing serves, loopback
/// included (`<-loopback>` removes Chromium's implicit bypass), and every
/// host name, IP literals too, resolves to nothing; the background
/// services that would call home are off. Public so a test can check them
/// on their own, against a page with no other defence.
pub const OFFLINE: &[&str] = &[
    "--proxy-server=socks5://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-quic",
    "--no-pings",
];

/// A throwaway headless browser that keeps nothing and starts nothing it
/// does not need; the rendering browser (`crawl::render`) starts from
/// these too.
pub const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--mute-audio",
];

/// What a picture adds: no profile kept, no scrollbars in the picture.
const PICTURE: &[&str] = &["--incognito", "--hide-scrollbars"];

/// What the outer page may load: inline styles and `data:` images, nothing
/// else. The snapshot's frame (`srcdoc`) inherits it.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Environment variables the browser keeps; the rest of the crawler's
/// environment is not its business.
pub const KEPT_ENV: &[&str] = &["PATH", "LANG", "LC_ALL", "LC_CTYPE"];

const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The first Chromium on PATH, found without starting it: an executable
/// file of one of the usual names. Whether it runs shows when it is first
/// needed (the renderer then says it would not start).
pub fn chromium_on_path() -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| CANDIDATES.iter().map(move |name| dir.join(name)))
        .find(|file| {
            std::fs::metadata(file)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The first Chromium on PATH that answers `--version`.
pub fn find_chromium() -> Option<PathBuf> {
    CANDIDATES.iter().map(PathBuf::from).find(|c| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    })
}

/// The banner a picture carries: govcheck's statement of what the picture
/// shows, made from the finding's [`Stamp`] (trusted data), never read
/// from the snapshot file.
#[derive(Debug, Clone)]
pub struct Caption {
    html: String,
}

impl Caption {
    /// The banner for the snapshot stamped with `stamp`.
    pub fn new(stamp: &Stamp) -> Caption {
        let beijing = FixedOffset::east_opt(8 * 3600).expect("valid offset");
        let warc = stamp
            .warc
            .map(|(file, id)| format!("{} {}", escape(file), escape(id)))
            .unwrap_or_else(|| "—".into());
        let tls = if stamp.tls_unverified {
            " · TLS certificate not verified"
        } else {
            ""
        };
        let revisit = stamp
            .not_modified_since
            .map(|(date, id)| {
                format!(
                    " · 304 Not Modified: content as captured {} (record {})",
                    escape(date),
                    escape(id)
                )
            })
            .unwrap_or_default();
        let html = format!(
            "<b>govcheck evidence</b> · {county} · {item} {item_name} · <b>{status}</b> — {reason}<br>\
URL: {url}<br>fetched {utc} UTC ({bj} 北京时间) · HTTP {http}{revisit}{tls}<br>\
sha256 {sha} · WARC {warc} · govcheck {version} · below: the archived page, without script or network",
            county = escape(stamp.county),
            item = escape(stamp.item),
            item_name = escape(stamp.item_name),
            status = escape(stamp.status),
            reason = escape(stamp.reason),
            url = escape(stamp.url.as_str()),
            utc = stamp.fetched_at.format("%Y-%m-%d %H:%M:%S"),
            bj = stamp
                .fetched_at
                .with_timezone(&beijing)
                .format("%Y-%m-%d %H:%M:%S"),
            http = stamp.http_status,
            sha = escape(stamp.sha256),
            version = env!("CARGO_PKG_VERSION"),
        );
        Caption { html }
    }
}

/// The page Chromium renders: the banner, then the snapshot in a frame
/// that may run nothing and load nothing, filling the rest of the window.
fn frame_page(caption: &Caption, snapshot: &str) -> String {
    let [r, g, b] = BANNER_BACKGROUND;
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\
<meta name=\"referrer\" content=\"no-referrer\"><title>govcheck picture</title><style>\
html,body{{margin:0;height:100%;overflow:hidden;background:#fff}}\
body{{display:flex;flex-direction:column}}\
#govcheck-picture-banner{{flex:none;background:#{r:02x}{g:02x}{b:02x};border-bottom:3px solid #c90;\
padding:8px 12px;font:13px/1.5 sans-serif;color:#000;overflow-wrap:anywhere;max-height:40%;overflow:hidden}}\
iframe{{flex:1 1 auto;min-height:0;width:100%;border:0;display:block}}\
</style></head><body><div id=\"govcheck-picture-banner\">{banner}</div>\
<iframe sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"the archived page\" srcdoc=\"{srcdoc}\"></iframe>\
</body></html>\n",
        banner = caption.html,
        srcdoc = escape(snapshot),
    )
}

/// Picture the snapshot file `snapshot` under `caption`'s banner and
/// return the PNG's bytes. Everything the browser writes stays in a
/// temporary directory that is removed after.
pub fn render(
    chromium: &Path,
    snapshot: &Path,
    caption: &Caption,
) -> Result<Vec<u8>, ScreenshotError> {
    let work = tempfile::tempdir().map_err(step(
        "cannot create a working directory for the browser".into(),
    ))?;
    render_in(chromium, snapshot, caption, work.path(), DEADLINE)
}

/// [`render`] in the working directory `work` (which must exist and which
/// the caller removes) with a time limit of `deadline`. When it returns,
/// no process that names `work` is left running.
pub fn render_in(
    chromium: &Path,
    snapshot: &Path,
    caption: &Caption,
    work: &Path,
    deadline: Duration,
) -> Result<Vec<u8>, ScreenshotError> {
    let work = work
        .canonicalize()
        .map_err(step(format!("cannot find {}", work.display())))?;
    let bytes =
        std::fs::read(snapshot).map_err(step(format!("cannot read {}", snapshot.display())))?;
    let frame = work.join("frame.html");
    std::fs::write(
        &frame,
        frame_page(caption, &String::from_utf8_lossy(&bytes)),
    )
    .map_err(step(format!("cannot write {}", frame.display())))?;
    let (home, profile, tmp) = (work.join("home"), work.join("profile"), work.join("tmp"));
    for dir in [&home, &profile, &tmp] {
        std::fs::create_dir_all(dir).map_err(step(format!("cannot create {}", dir.display())))?;
    }
    let frame_url = url::Url::from_file_path(&frame).map_err(|()| ScreenshotError::Io {
        doing: format!("cannot name {} as a file URL", frame.display()),
        cause: std::io::ErrorKind::InvalidInput.into(),
    })?;
    let png = work.join("picture.png");
    let mut command = Command::new(chromium);
    command
        .args(HEADLESS)
        .args(PICTURE)
        .args(OFFLINE)
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(frame_url.as_str())
        .env_clear()
        .envs(
            KEPT_ENV
                .iter()
                .filter_map(|k| Some((k, std::env::var_os(k)?))),
        )
        // Crash reports, font caches and certificate stores land here, not
        // in the crawler's home; and every process the browser starts
        // carries this `HOME`, which is how `sweep` finds it.
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("TMPDIR", &tmp)
        .current_dir(&work)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(step(format!("cannot start {}", chromium.display())))?;
    let waited = child.wait_timeout(deadline);
    end(&mut child, &work);
    match waited? {
        None => Err(ScreenshotError::TimedOut(deadline)),
        Some(status) if !status.success() => Err(ScreenshotError::NoPicture(status)),
        Some(status) => match std::fs::read(&png) {
            Ok(bytes) if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Ok(bytes),
            Ok(_) => Err(ScreenshotError::NotPng),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ScreenshotError::NoPicture(status))
            }
            Err(e) => Err(step(format!("cannot read {}", png.display()))(e)),
        },
    }
}

/// Kill the browser's process group (its zygotes, renderers and utility
/// processes), reap the browser, then kill what left the group and still
/// names `work` (Chromium's crash handlers start their own sessions).
fn end(child: &mut Child, work: &Path) {
    #[cfg(unix)]
    if let Ok(group) = libc::pid_t::try_from(child.id()) {
        // The group's id is the browser's pid (`process_group(0)`); while
        // the browser is unreaped, or any member lives, no other group can
        // have that id. Never 0 or 1: those would be this process's group
        // or init's.
        if group > 1 {
            // SAFETY: killpg takes no pointers; it only sends a signal.
            unsafe {
                libc::killpg(group, libc::SIGKILL);
            }
        }
    }
    child.kill().ok();
    child.wait().ok();
    sweep(work);
}

/// Kill, by pid, every process that still names `work` on its command
/// line, until none is left or two seconds have passed.
fn sweep(work: &Path) {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let left = stragglers(work);
        if left.is_empty() || Instant::now() > until {
            return;
        }
        #[cfg(unix)]
        for pid in left {
            // SAFETY: kill takes no pointers; it only sends a signal.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Processes other than this one whose command line or environment names
/// `work/…`: every process the browser starts inherits `HOME` inside
/// `work`, even one that leaves the process group. Read from Linux's
/// `/proc`; elsewhere none are found. Public so tests can check that a
/// picture leaves nothing running.
pub fn stragglers(work: &Path) -> Vec<i32> {
    let mut needle = work.as_os_str().as_encoded_bytes().to_vec();
    needle.push(b'/');
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            ["cmdline", "environ"].iter().any(|file| {
                std::fs::read(format!("/proc/{pid}/{file}"))
                    .map(|text| text.windows(needle.len()).any(|w| w == needle))
                    .unwrap_or(false)
            })
        })
        .filter_map(|pid| i32::try_from(pid).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn the_frame_page_escapes_the_snapshot_and_keeps_the_banner_outside() {
        let url = url::Url::parse("http://127.0.0.1/a.html").unwrap();
        let stamp = Stamp {
            county: "北安市",
            item: "9",
            item_name: "<年度报告>",
            status: "pass",
            reason: "found",
            url: &url,
            fetched_at: DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            http_status: 200,
            sha256: "abc123",
            warc: Some(("archive/a.warc.gz", "<urn:uuid:1>")),
            tls_unverified: false,
            not_modified_since: None,
            rendered: None,
        };
        let page = frame_page(
            &Caption::new(&stamp),
            "<p title=\"x\">\"></iframe><div id=govcheck-picture-banner>",
        );
        assert!(page.contains("&lt;年度报告&gt;"));
        assert!(page.contains("10:00:00 北京时间"));
        assert!(page.contains("srcdoc=\"&lt;p title=&quot;x&quot;&gt;&quot;&gt;&lt;/iframe&gt;"));
        assert_eq!(page.matches("<iframe").count(), 1);
        assert_eq!(page.matches("id=\"govcheck-picture-banner\"").count(), 1);
        assert!(page.contains("sandbox=\"\""));
        assert!(page.contains("content=\"default-src 'none';"));
        assert!(page.contains("#fffbe6"));
    }
}
