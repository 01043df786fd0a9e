//! Pages read through a headless browser, when the static reader could not
//! reproduce their list (`--render`).
//!
//! One Chromium per run, started the first time a page needs it, with at
//! most [`RenderLimits::tabs`] pages open at once. The browser has no
//! network of its own: it runs with the same dead proxy and host-resolver
//! rules as the screenshot browser ([`OFFLINE`]), and every request its
//! pages make is paused by the DevTools `Fetch` domain and answered by the
//! crawl (`crawl::site::render`) through the site's transport: the same
//! rate limit, robots rules, scope, address guard and WARC as any other
//! fetch. What a tab does is [`Tab`]'s job; the protocol is [`cdp`]'s.

pub mod cdp;
mod stale;
mod tab;

pub use tab::{Tab, ViewLink, Waited};

use crate::evidence::screenshot::{HEADLESS, KEPT_ENV, OFFLINE};
use cdp::{Browser, CdpError};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

/// When pages are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RenderMode {
    /// Only pages whose list the static reader could not read.
    Auto,
    /// Every HTML page read, up to the per-site cap.
    Always,
    /// Never: such rows stay `script_list`.
    Never,
}

/// How much rendering one run may do.
#[derive(Debug, Clone, Copy)]
pub struct RenderLimits {
    /// Pages open in the browser at once.
    pub tabs: usize,
    /// The longest one page (or one pager step) may take to settle.
    pub page_time: Duration,
    /// Rendered views (a page, a pager step, a route) per site.
    pub pages_per_site: usize,
}

impl Default for RenderLimits {
    fn default() -> Self {
        RenderLimits {
            tabs: 2,
            page_time: Duration::from_secs(20),
            pages_per_site: 50,
        }
    }
}

/// The run's renderer: which Chromium, when, and how much.
#[derive(Debug)]
pub struct Renderer {
    /// When to render.
    pub mode: RenderMode,
    /// The bounds.
    pub limits: RenderLimits,
    executable: PathBuf,
    browser: OnceCell<Result<Arc<Browser>, String>>,
    /// Set when the browser stopped answering: not tried again this run.
    broken: std::sync::Mutex<Option<String>>,
    tabs: Semaphore,
}

/// What the rendering browser adds to [`HEADLESS`] and [`OFFLINE`]: no
/// pictures (a list needs none).
const FLAGS: &[&str] = &["--blink-settings=imagesEnabled=false"];

impl Renderer {
    /// A renderer for `mode` with `executable`; the browser starts on first
    /// use.
    pub fn new(mode: RenderMode, executable: PathBuf, limits: RenderLimits) -> Renderer {
        Renderer {
            mode,
            limits,
            executable,
            browser: OnceCell::new(),
            broken: std::sync::Mutex::new(None),
            tabs: Semaphore::new(limits.tabs.max(1)),
        }
    }

    /// A new blank tab, once one of the [`RenderLimits::tabs`] is free.
    /// An error says why rendering is not possible (then for the whole run:
    /// a browser that would not start is not tried again).
    pub async fn open_tab(&self) -> Result<Tab<'_>, String> {
        let browser = self
            .browser
            .get_or_init(|| async {
                let flags = [HEADLESS, FLAGS, OFFLINE].concat();
                let started = Browser::launch(&self.executable, &flags, KEPT_ENV)
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                if let Err(e) = &started {
                    tracing::warn!("rendering is off for this run: {e}");
                }
                started
            })
            .await
            .clone()?;
        let permit = self
            .tabs
            .acquire()
            .await
            .map_err(|_| "the renderer is closed".to_string())?;
        if let Some(why) = self.broken() {
            return Err(why);
        }
        Tab::open(browser, permit, self.limits.page_time)
            .await
            .map_err(|e: CdpError| {
                if matches!(e, CdpError::Gone | CdpError::NoAnswer { .. }) {
                    tracing::warn!("rendering is off for the rest of this run: {e}");
                    *self.broken.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                }
                e.to_string()
            })
    }

    fn broken(&self) -> Option<String> {
        self.broken
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Kill the browser and everything it started, when the crawl is
    /// over (the process may end without dropping the renderer).
    pub fn shut_down(&self) {
        if let Some(Ok(browser)) = self.browser.get() {
            browser.kill();
        }
    }

    /// Why the browser would not start or stopped answering, once it was
    /// tried and failed.
    pub fn failure(&self) -> Option<String> {
        self.broken()
            .or_else(|| self.browser.get()?.as_ref().err().cloned())
    }

    /// The browser's main process, once started (for tests that check it
    /// is gone afterwards).
    pub fn browser_pid(&self) -> Option<u32> {
        self.browser.get()?.as_ref().ok()?.pid()
    }
}
