//! HTTP as county sites need it.
//!
//! Two reqwest clients share one cookie jar: one verifies certificates, the
//! other does not and is used only after a certificate error (unless
//! `strict_tls`), with the response flagged `tls_unverified`. Redirects are
//! followed by hand so each hop is recorded and checked against the scope,
//! and gzip/deflate are undone here under a cap, because reqwest's own
//! decompression drops the headers the evidence needs. Retries are for
//! transient failures only, and every request goes through [`Politeness`].

mod address_guard;
mod cookies;
mod submit;

use super::politeness::Politeness;
use super::scope::{is_http, is_loopback, normalise};
use super::{CrawlConfig, FetchError, FetchErrorClass, Fetched, Hop, SLOW_BODY_GRACE};
use crate::types::PostBody;
use address_guard::{AddressGuard, ForbiddenAddress};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use cookies::BrowserJar;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE};
use reqwest::{redirect, Client};
use std::collections::{HashMap, HashSet};
use std::io::{ErrorKind, Read};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// 502/503/504 and 429 are retried this many times.
const STATUS_RETRIES: u32 = 2;
/// One URL may come up this often in a redirect chain (a 302 to itself that
/// sets a cookie, then the page).
const MAX_SAME_URL: u32 = 3;

/// The HTTP side of one site's crawl.
pub struct Transport<'p> {
    verifying: Client,
    lenient: Client,
    politeness: &'p Politeness,
    strict_tls: bool,
    max_body_bytes: usize,
    max_decoded_bytes: usize,
    min_transfer_rate: u64,
    max_retry_after: Duration,
    max_redirects: u32,
    /// The addresses this site's crawl may reach.
    guard: AddressGuard,
    /// First backoff wait; doubled on each retry.
    backoff_base: Duration,
    /// Hosts whose certificate did not verify: go straight to `lenient`.
    unverified_hosts: Mutex<HashSet<String>>,
}

/// A response as read off the wire, body decoded.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    truncated: bool,
    remote_addr: Option<IpAddr>,
    fetched_at: DateTime<Utc>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One failed try, with what decides whether to try again.
#[derive(Debug)]
struct Failure {
    class: FetchErrorClass,
    message: String,
    /// Timeouts and connection resets.
    transient: bool,
    /// The certificate did not verify (the lenient client may read it).
    certificate: bool,
}

impl Failure {
    fn into_error(self, url: &Url) -> FetchError {
        FetchError {
            class: self.class,
            message: self.message,
            url: url.clone(),
        }
    }
}

fn error(class: FetchErrorClass, message: String, url: &Url) -> FetchError {
    FetchError {
        class,
        message,
        url: url.clone(),
    }
}

impl<'p> Transport<'p> {
    /// Build the clients. Proxies from the environment are used, except for
    /// a loopback start host.
    pub fn new(
        config: &CrawlConfig,
        politeness: &'p Politeness,
        start: &Url,
    ) -> Result<Self, FetchError> {
        let jar = Arc::new(BrowserJar::default());
        let guard = AddressGuard::new(start, &config.resolve);
        let loopback = is_loopback(start);
        let build = |accept_invalid: bool| {
            let mut headers = HeaderMap::new();
            headers.insert(
                ACCEPT,
                HeaderValue::from_static(
                    "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
                ),
            );
            headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("zh-CN,zh;q=0.9"));
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip, deflate"));
            let mut b = Client::builder()
                .user_agent(config.user_agent.clone())
                .default_headers(headers)
                .cookie_provider(jar.clone())
                .dns_resolver(Arc::new(guard.clone()))
                .redirect(redirect::Policy::none())
                .connect_timeout(config.connect_timeout)
                .timeout(config.request_timeout)
                .danger_accept_invalid_certs(accept_invalid);
            if loopback {
                b = b.no_proxy();
            }
            b.build().map_err(|e| {
                error(
                    FetchErrorClass::Other,
                    format!("cannot build HTTP client: {e}"),
                    start,
                )
            })
        };
        Ok(Transport {
            verifying: build(false)?,
            lenient: build(true)?,
            politeness,
            strict_tls: config.strict_tls,
            max_body_bytes: config.max_body_bytes,
            max_decoded_bytes: config.max_decoded_bytes,
            min_transfer_rate: config.min_transfer_rate,
            max_retry_after: config.max_retry_after,
            max_redirects: config.max_redirects,
            guard,
            backoff_base: if politeness.is_unlimited() {
                Duration::from_millis(10)
            } else {
                Duration::from_secs(1)
            },
            unverified_hosts: Mutex::new(HashSet::new()),
        })
    }

    /// GET `url`, following redirects while `allow` accepts the target, and
    /// retrying transient failures up to `retries` times. Any final status is
    /// returned as a response; the caller decides what a 5xx means.
    pub async fn fetch(
        &self,
        url: &Url,
        allow: &(dyn Fn(&Url) -> bool + Sync),
        retries: u32,
    ) -> Result<Fetched, FetchError> {
        self.fetch_with(url, &[], allow, retries).await
    }

    /// [`Transport::fetch`] with extra request headers on the first request
    /// (a conditional GET's validators; redirect hops go without them).
    pub async fn fetch_with(
        &self,
        url: &Url,
        headers: &[(String, String)],
        allow: &(dyn Fn(&Url) -> bool + Sync),
        retries: u32,
    ) -> Result<Fetched, FetchError> {
        let requested = normalise(url);
        let mut current = requested.clone();
        let mut hops = Vec::new();
        let mut seen: HashMap<String, u32> = HashMap::from([(current.to_string(), 1)]);
        let mut tls_unverified = false;
        loop {
            if let Err(refused) = self.guard.check_url(&current) {
                return Err(error(
                    FetchErrorClass::ForbiddenAddress,
                    refused.to_string(),
                    &current,
                ));
            }
            let extra = if hops.is_empty() { headers } else { &[] };
            let (raw, unverified) = self
                .request(&current, extra, None, retries)
                .await
                .map_err(|f| f.into_error(&current))?;
            tls_unverified |= unverified;
            let location = matches!(raw.status, 301 | 302 | 303 | 307 | 308)
                .then(|| raw.header("location").map(str::to_string))
                .flatten();
            let Some(location) = location else {
                return Ok(Fetched {
                    from_archive: false,
                    revisit: None,
                    posted: None,
                    rendered: None,
                    requested,
                    final_url: current,
                    status: raw.status,
                    headers: raw.headers,
                    body: Bytes::from(raw.body),
                    truncated: raw.truncated,
                    hops,
                    fetched_at: raw.fetched_at,
                    tls_unverified,
                    remote_addr: raw.remote_addr,
                });
            };
            hops.push(Hop {
                url: current.clone(),
                status: raw.status,
                location: Some(location.clone()),
            });
            let next = current
                .join(location.trim())
                .map(|u| normalise(&u))
                .map_err(|e| {
                    error(
                        FetchErrorClass::Other,
                        format!("bad redirect Location {location:?}: {e}"),
                        &current,
                    )
                })?;
            if hops.len() > self.max_redirects as usize {
                return Err(error(
                    FetchErrorClass::TooManyRedirects,
                    format!("more than {} redirects", self.max_redirects),
                    &requested,
                ));
            }
            if !is_http(&next) || !allow(&next) {
                return Err(error(
                    FetchErrorClass::RedirectOutOfScope,
                    format!("redirect from {current} to {next} leaves the site"),
                    &requested,
                ));
            }
            let n = seen.entry(next.to_string()).or_insert(0);
            *n += 1;
            if *n > MAX_SAME_URL {
                return Err(error(
                    FetchErrorClass::TooManyRedirects,
                    format!("redirect loop through {next}"),
                    &requested,
                ));
            }
            current = next;
        }
    }

    /// One request (no redirect following) with retries and the TLS
    /// fallback: a GET, or a POST of `post`. Returns the response and
    /// whether it came unverified.
    async fn request(
        &self,
        url: &Url,
        headers: &[(String, String)],
        post: Option<&PostBody>,
        retries: u32,
    ) -> Result<(Raw, bool), Failure> {
        let host = Politeness::host_key(url);
        let (mut net_tries, mut status_tries) = (0, 0);
        loop {
            let lenient = self.unverified_hosts.lock().expect("lock").contains(&host);
            let client = if lenient {
                &self.lenient
            } else {
                &self.verifying
            };
            let result = {
                let _permit = self.politeness.acquire(url).await;
                self.send_once(client, url, headers, post).await
            };
            match result {
                Err(f) if f.certificate && !lenient && !self.strict_tls => {
                    tracing::info!(%url, error = %f.message, "certificate did not verify; reading unverified");
                    self.unverified_hosts
                        .lock()
                        .expect("lock")
                        .insert(host.clone());
                }
                Err(f) if f.transient && net_tries < retries => {
                    tracing::debug!(%url, error = %f.message, "transient failure, retrying");
                    tokio::time::sleep(self.backoff(net_tries)).await;
                    net_tries += 1;
                }
                Err(f) => return Err(f),
                Ok(raw)
                    if matches!(raw.status, 429 | 502 | 503 | 504)
                        && status_tries < STATUS_RETRIES =>
                {
                    let wait = matches!(raw.status, 429 | 503)
                        .then(|| raw.header("retry-after").and_then(parse_retry_after))
                        .flatten()
                        .map(|d| d.min(self.max_retry_after))
                        .unwrap_or_else(|| self.backoff(status_tries));
                    tracing::debug!(%url, status = raw.status, ?wait, "server busy, retrying");
                    tokio::time::sleep(wait).await;
                    status_tries += 1;
                }
                Ok(raw) => return Ok((raw, lenient)),
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.backoff_base * 2u32.saturating_pow(attempt.min(10))
    }

    async fn send_once(
        &self,
        client: &Client,
        url: &Url,
        headers: &[(String, String)],
        post: Option<&PostBody>,
    ) -> Result<Raw, Failure> {
        let mut request = match post {
            None => client.get(url.clone()),
            Some(post) => {
                let mut request = client.post(url.clone()).body(post.body.clone());
                if let Some(content_type) = &post.content_type {
                    request = request.header(reqwest::header::CONTENT_TYPE, content_type.as_str());
                }
                request
            }
        };
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let mut resp = request.send().await.map_err(classify)?;
        let fetched_at = Utc::now();
        let status = resp.status().as_u16();
        let remote_addr = resp.remote_addr().map(|a| a.ip());
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut raw = Raw {
            status,
            headers,
            body: Vec::new(),
            truncated: false,
            remote_addr,
            fetched_at,
        };
        if (300..400).contains(&status) && raw.header("location").is_some() {
            return Ok(raw);
        }
        let mut body = Vec::new();
        let transfer_started = std::time::Instant::now();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.max_body_bytes - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        raw.truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                    if let Some(slow) = self.too_slow(body.len(), transfer_started.elapsed()) {
                        return Err(slow);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let mut f = classify(e);
                    if !f.transient {
                        f.class = FetchErrorClass::Body;
                    }
                    return Err(f);
                }
            }
        }
        let (body, cut) = decode(raw.header("content-encoding"), body, self.max_decoded_bytes);
        raw.body = body;
        raw.truncated |= cut;
        Ok(raw)
    }
}

impl Transport<'_> {
    /// A body that, past the grace period, arrives slower than the minimum
    /// rate: abandoned as a body error (not retried: the server is
    /// answering, only too slowly to be read).
    fn too_slow(&self, received: usize, elapsed: Duration) -> Option<Failure> {
        if elapsed < SLOW_BODY_GRACE || self.min_transfer_rate == 0 {
            return None;
        }
        let rate = received as f64 / elapsed.as_secs_f64();
        (rate < self.min_transfer_rate as f64).then(|| Failure {
            class: FetchErrorClass::Body,
            message: format!(
                "the body arrived at {rate:.0} bytes/s, slower than {} bytes/s; abandoned after {} bytes",
                self.min_transfer_rate, received
            ),
            transient: false,
            certificate: false,
        })
    }
}

/// Undo gzip/deflate, keeping at most `max` bytes (`true` when cut). A body
/// that does not decode at all is kept as it came.
fn decode(encoding: Option<&str>, body: Vec<u8>, max: usize) -> (Vec<u8>, bool) {
    let encoding = encoding.unwrap_or_default().trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let result = match encoding.as_str() {
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
            .take(max as u64 + 1)
            .read_to_end(&mut out),
        "deflate" => {
            let zlib = body.len() >= 2
                && body[0] & 0x0f == 8
                && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
            if zlib {
                flate2::read::ZlibDecoder::new(&body[..])
                    .take(max as u64 + 1)
                    .read_to_end(&mut out)
            } else {
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(max as u64 + 1)
                    .read_to_end(&mut out)
            }
        }
        _ => {
            let cut = body.len() > max;
            let mut body = body;
            body.truncate(max);
            return (body, cut);
        }
    };
    if let Err(e) = result {
        // A cut body ends mid-stream: keep what decoded.
        tracing::debug!(error = %e, "content decoding stopped early");
        if out.is_empty() {
            return (body, false);
        }
    }
    let cut = out.len() > max;
    out.truncate(max);
    (out, cut)
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (when.with_timezone(&Utc) - Utc::now())
            .to_std()
            .unwrap_or_default(),
    )
}

/// Sort a reqwest error into a class by walking its source chain (without
/// the URL, whose text must not look like an error).
fn classify(e: reqwest::Error) -> Failure {
    let e = e.without_url();
    let mut parts = Vec::new();
    let mut io_kind = None;
    let mut forbidden = false;
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = src {
        forbidden |= s.downcast_ref::<ForbiddenAddress>().is_some();
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        parts.push(s.to_string());
        src = s.source();
    }
    parts.dedup();
    let message = parts.join(": ");
    let lower = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    let (class, transient) = if forbidden {
        (FetchErrorClass::ForbiddenAddress, false)
    } else if e.is_timeout()
        || io_kind == Some(ErrorKind::TimedOut)
        || has(&["timed out", "timeout"])
    {
        (FetchErrorClass::Timeout, true)
    } else if has(&[
        "dns error",
        "failed to lookup",
        "name or service not known",
        "no address associated",
        "nodename nor servname",
        "resolve",
    ]) {
        (FetchErrorClass::Dns, false)
    } else if io_kind == Some(ErrorKind::ConnectionRefused) || has(&["connection refused"]) {
        (FetchErrorClass::Connect, false)
    } else if has(&[
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "rustls",
        "corrupt message",
        "invalidcontenttype",
        "peer sent",
        "alert",
    ]) {
        (FetchErrorClass::Tls, false)
    } else if matches!(
        io_kind,
        Some(
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
        )
    ) || has(&[
        "reset",
        "connection closed",
        "incomplete message",
        "broken pipe",
    ]) {
        (FetchErrorClass::Connect, true)
    } else if e.is_connect() {
        (FetchErrorClass::Connect, false)
    } else if e.is_body() || e.is_decode() {
        (FetchErrorClass::Body, false)
    } else {
        (FetchErrorClass::Other, false)
    };
    let certificate = class == FetchErrorClass::Tls && has(&["certificate", "cert"]);
    Failure {
        class,
        message,
        transient,
        certificate,
    }
}

#[cfg(test)]
mod tests;
