//! One page open in the rendering browser: its session, its paused
//! requests, and the few things the crawl asks of it (go to a URL, read
//! the DOM, press the pager's next button, list and follow in-page routes).
//!
//! The scripts run in the county's page, so what they return is treated as
//! any other county bytes: strings, capped, parsed by the crawl's own
//! parser.

use super::cdp::{Browser, CdpError, Event};
use base64::Engine;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, SemaphorePermit};
use tokio::time::Instant;

/// An open tab; closed when dropped.
pub struct Tab<'r> {
    browser: Arc<Browser>,
    target: String,
    session: String,
    events: mpsc::UnboundedReceiver<Event>,
    /// How long one page or step may take to settle.
    pub page_time: Duration,
    _permit: SemaphorePermit<'r>,
}

/// What waiting for the tab's next event gave.
pub enum Waited {
    /// An event.
    Event(Event),
    /// Nothing before the time given.
    TimeUp,
    /// The browser is gone.
    Gone,
}

/// An in-page link a script router handles (`#/list/3`), with its text.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ViewLink {
    /// The `href` as written.
    pub href: String,
    /// The visible text.
    pub text: String,
}

/// Largest rendered DOM read back, in bytes of UTF-8.
pub const MAX_DOM_BYTES: usize = 8 * 1024 * 1024;

/// Press the first enabled "next page" control; `true` when one was
/// pressed. Matches the words county pagers use, not a library.
const PRESS_NEXT: &str = r#"(() => {
  const words = ['下一页', '下页', '后一页', '下一頁', 'next', '>', '›', '»'];
  const candidates = document.querySelectorAll('a, button, span, li, input[type=button], input[type=submit]');
  for (const el of candidates) {
    const text = (el.innerText || el.value || '').trim().toLowerCase();
    if (!words.includes(text)) continue;
    const off = el.disabled || /disabled|disable|no-?more/i.test(el.className || '')
      || (el.parentElement && /disabled/i.test(el.parentElement.className || ''));
    if (off) continue;
    el.click();
    return true;
  }
  return false;
})()"#;

/// Links a script router handles: `#/…` or `#!/…` hrefs, distinct, in
/// page order, at most 60.
const ROUTES: &str = r##"(() => {
  const seen = new Set(); const out = [];
  for (const a of document.querySelectorAll('a[href^="#/"], a[href^="#!/"]')) {
    const href = a.getAttribute('href');
    if (seen.has(href)) continue;
    seen.add(href);
    out.push({href, text: (a.innerText || '').trim().slice(0, 200)});
    if (out.length >= 60) break;
  }
  return JSON.stringify(out);
})()"##;

impl<'r> Tab<'r> {
    /// A blank tab with request interception on.
    pub(super) async fn open(
        browser: Arc<Browser>,
        permit: SemaphorePermit<'r>,
        page_time: Duration,
    ) -> Result<Tab<'r>, CdpError> {
        let created = browser
            .call(None, "Target.createTarget", json!({"url": "about:blank"}))
            .await?;
        let target = created["targetId"].as_str().unwrap_or_default().to_string();
        let attached = browser
            .call(
                None,
                "Target.attachToTarget",
                json!({"targetId": target, "flatten": true}),
            )
            .await?;
        let session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let events = browser.subscribe(&session);
        let tab = Tab {
            browser,
            target,
            session,
            events,
            page_time,
            _permit: permit,
        };
        tab.call("Page.enable", json!({})).await?;
        tab.call(
            "Fetch.enable",
            json!({"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}),
        )
        .await?;
        Ok(tab)
    }

    async fn call(&self, method: &str, params: Value) -> Result<Value, CdpError> {
        self.browser.call(Some(&self.session), method, params).await
    }

    /// Start loading `url` (its requests arrive as events).
    pub async fn navigate(&self, url: &url::Url) -> Result<(), CdpError> {
        self.browser
            .send(
                Some(&self.session),
                "Page.navigate",
                json!({"url": url.as_str()}),
            )
            .await
    }

    /// The next event before `until`.
    pub async fn next_event(&mut self, until: Instant) -> Waited {
        match tokio::time::timeout_at(until, self.events.recv()).await {
            Ok(Some(event)) => Waited::Event(event),
            Ok(None) => Waited::Gone,
            Err(_) => Waited::TimeUp,
        }
    }

    /// Answer a paused request with a response the crawl fetched.
    pub async fn fulfil(
        &self,
        request_id: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<(), CdpError> {
        let headers: Vec<Value> = headers
            .iter()
            .filter(|(name, _)| {
                !matches!(
                    name.to_ascii_lowercase().as_str(),
                    "content-encoding" | "content-length" | "transfer-encoding" | "connection"
                )
            })
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect();
        let body = base64::engine::general_purpose::STANDARD.encode(body);
        self.call(
            "Fetch.fulfillRequest",
            json!({"requestId": request_id, "responseCode": status.max(100), "responseHeaders": headers, "body": body}),
        )
        .await
        .map(drop)
    }

    /// Refuse a paused request (`BlockedByClient`).
    pub async fn refuse(&self, request_id: &str) -> Result<(), CdpError> {
        self.call(
            "Fetch.failRequest",
            json!({"requestId": request_id, "errorReason": "BlockedByClient"}),
        )
        .await
        .map(drop)
    }

    /// The document as the page's scripts left it, at most
    /// [`MAX_DOM_BYTES`] (`None` past that, or when unreadable).
    pub async fn dom(&self) -> Option<String> {
        let html = self
            .evaluate("document.documentElement ? document.documentElement.outerHTML : ''")
            .await?;
        (!html.is_empty() && html.len() <= MAX_DOM_BYTES).then_some(html)
    }

    /// Press the pager's next control; `true` when there was one.
    pub async fn press_next(&self) -> bool {
        self.evaluate(&format!("String({PRESS_NEXT})"))
            .await
            .as_deref()
            == Some("true")
    }

    /// The in-page routes the document links.
    pub async fn routes(&self) -> Vec<ViewLink> {
        self.evaluate(ROUTES)
            .await
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Follow an in-page route (`#/list/3`).
    pub async fn open_route(&self, href: &str) -> bool {
        let expression = format!("location.hash = {}; 'ok'", json!(href));
        self.evaluate(&expression).await.is_some()
    }

    /// Run `expression` in the page; its value when it is a string.
    async fn evaluate(&self, expression: &str) -> Option<String> {
        let answer = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "timeout": 5000}),
            )
            .await
            .ok()?;
        answer["result"]["value"].as_str().map(str::to_string)
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        self.browser.unsubscribe(&self.session);
        let browser = self.browser.clone();
        let target = std::mem::take(&mut self.target);
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = browser
                    .call(None, "Target.closeTarget", json!({"targetId": target}))
                    .await;
            });
        }
    }
}
