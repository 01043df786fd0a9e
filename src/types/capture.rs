//! A response as the crawler captured it: what the site answered, on which
//! hop, and why a fetch gave nothing usable.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use url::Url;

/// One hop of a redirect chain, recorded for the evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hop {
    /// The URL that answered.
    pub url: Url,
    /// Its HTTP status (a 3xx).
    pub status: u16,
    /// The `Location` header as sent, if any.
    pub location: Option<String>,
}

/// One fetched response, content-encoding already undone.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for (before redirects).
    pub requested: Url,
    /// The URL that answered.
    pub final_url: Url,
    /// HTTP status of the final response.
    pub status: u16,
    /// Response headers as received (names lower-cased), in order.
    pub headers: Vec<(String, String)>,
    /// The body, content-encoding undone, at most the body cap.
    pub body: Bytes,
    /// Body was longer than the cap and was cut.
    pub truncated: bool,
    /// Redirect hops before the final response (empty when none).
    pub hops: Vec<Hop>,
    /// When the response arrived.
    pub fetched_at: DateTime<Utc>,
    /// The certificate did not verify and the page was read anyway.
    pub tls_unverified: bool,
    /// The address that answered, when known.
    pub remote_addr: Option<IpAddr>,
    /// Served from an earlier capture of this run (`--resume`), not
    /// fetched again.
    pub from_archive: bool,
    /// The server answered a conditional GET with 304 Not Modified: status,
    /// headers and body are the earlier capture's (headers updated from the
    /// 304), `fetched_at` is now.
    pub revisit: Option<Revisit>,
    /// Sent as a POST with this body (a pager a page's script drives),
    /// not a GET.
    pub posted: Option<PostBody>,
    /// Came from the rendering browser rather than a plain fetch.
    pub rendered: Option<Rendered>,
}

/// The body of a POST request, as sent.
#[derive(Debug, Clone)]
pub struct PostBody {
    /// Its `Content-Type`, when the page's script gave one.
    pub content_type: Option<String>,
    /// Its bytes.
    pub body: Bytes,
}

/// How a document came out of the rendering browser.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// The DOM the page's scripts built, read back once the network had
    /// been quiet (or the time was up): not what the server sent, but what
    /// a visitor saw.
    Dom {
        /// The page the browser loaded.
        of: Url,
        /// How long the browser waited for this view.
        waited: std::time::Duration,
        /// Requests the page made until then (all through the crawl).
        requests: usize,
    },
    /// A response to a request the page's scripts made while `of` was
    /// rendered (fetched by the crawl like any other).
    Request {
        /// The page being rendered.
        of: Url,
    },
}

/// A 304 answer and the earlier capture it confirms.
#[derive(Debug, Clone)]
pub struct Revisit {
    /// Headers of the 304 response as received.
    pub not_modified_headers: Vec<(String, String)>,
    /// Request headers that made the GET conditional.
    pub conditions: Vec<(String, String)>,
    /// Where the confirmed capture is.
    pub earlier: EarlierCapture,
}

/// Where an earlier run archived a response.
#[derive(Debug, Clone)]
pub struct EarlierCapture {
    /// The earlier WARC file (absolute, or as the history names it).
    pub warc_path: std::path::PathBuf,
    /// Byte offset of the record in that file.
    pub offset: u64,
    /// Length of the record in bytes.
    pub length: u64,
    /// `WARC-Record-ID` of the earlier response record.
    pub record_id: String,
    /// When the earlier capture was made.
    pub captured_at: DateTime<Utc>,
    /// sha256 of the earlier payload, lowercase hex.
    pub payload_sha256: String,
}

impl Fetched {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a fetch gave no usable response, by class (run.json counts these).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorClass {
    /// The host name did not resolve.
    Dns,
    /// The connection was refused or reset.
    Connect,
    /// The TLS handshake failed (with `--strict-tls`, or broken beyond reading).
    Tls,
    /// No answer within the request timeout.
    Timeout,
    /// 5xx (after retries) or 429 past the Retry-After cap.
    ServerError,
    /// The redirect chain was longer than the cap.
    TooManyRedirects,
    /// A redirect left the site's scope (only the homepage may move the
    /// site to another host).
    RedirectOutOfScope,
    /// The body could not be read whole (cut connection, bad encoding).
    Body,
    /// The address is not one a county site may send the crawler to (a
    /// private, loopback or link-local address that is not the campaign's
    /// own host).
    ForbiddenAddress,
    /// Anything else.
    Other,
}

impl FetchErrorClass {
    /// The snake_case name used as the key of [`CrawlOutcome::errors`].
    pub fn as_str(self) -> &'static str {
        match self {
            FetchErrorClass::Dns => "dns",
            FetchErrorClass::Connect => "connect",
            FetchErrorClass::Tls => "tls",
            FetchErrorClass::Timeout => "timeout",
            FetchErrorClass::ServerError => "server_error",
            FetchErrorClass::TooManyRedirects => "too_many_redirects",
            FetchErrorClass::RedirectOutOfScope => "redirect_out_of_scope",
            FetchErrorClass::Body => "body",
            FetchErrorClass::ForbiddenAddress => "forbidden_address",
            FetchErrorClass::Other => "other",
        }
    }
}

/// A fetch that gave no usable response, after retries.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{class:?}: {message}")]
pub struct FetchError {
    /// What kind of failure.
    pub class: FetchErrorClass,
    /// What the transport said.
    pub message: String,
    /// The URL asked for.
    pub url: Url,
}
