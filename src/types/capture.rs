//! A response as the crawler captured it: what the site answered, on which
//! hop, and why a fetch gave nothing usable.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use url::Url;

/// One hop of a redirect chain, recorded for the evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hop {
    pub url: Url,
    pub status: u16,
    pub location: Option<String>,
}

/// One fetched response, content-encoding already undone.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for (before redirects).
    pub requested: Url,
    /// The URL that answered.
    pub final_url: Url,
    pub status: u16,
    /// Response headers as received (names lower-cased), in order.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// Body was longer than the cap and was cut.
    pub truncated: bool,
    /// Redirect hops before the final response (empty when none).
    pub hops: Vec<Hop>,
    pub fetched_at: DateTime<Utc>,
    /// The certificate did not verify and the page was read anyway.
    pub tls_unverified: bool,
    pub remote_addr: Option<IpAddr>,
    /// Served from an earlier capture of this run (`--resume`), not
    /// fetched again.
    pub from_archive: bool,
    /// The server answered a conditional GET with 304 Not Modified: status,
    /// headers and body are the earlier capture's (headers updated from the
    /// 304), `fetched_at` is now.
    pub revisit: Option<Revisit>,
}

/// A 304 answer and the earlier capture it confirms.
#[derive(Debug, Clone)]
pub struct Revisit {
    /// Headers of the 304 response as received.
    pub not_modified_headers: Vec<(String, String)>,
    /// Request headers that made the GET conditional.
    pub conditions: Vec<(String, String)>,
    pub earlier: EarlierCapture,
}

/// Where an earlier run archived a response.
#[derive(Debug, Clone)]
pub struct EarlierCapture {
    /// The earlier WARC file (absolute, or as the history names it).
    pub warc_path: std::path::PathBuf,
    pub offset: u64,
    pub length: u64,
    pub record_id: String,
    pub captured_at: DateTime<Utc>,
    /// sha256 of the earlier payload, lowercase hex.
    pub payload_sha256: String,
}

impl Fetched {
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
    Dns,
    Connect,
    Tls,
    Timeout,
    /// 5xx (after retries) or 429 past the Retry-After cap.
    ServerError,
    TooManyRedirects,
    /// A redirect left the site's scope (only the homepage may move the
    /// site to another host).
    RedirectOutOfScope,
    Body,
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
            FetchErrorClass::Other => "other",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{class:?}: {message}")]
pub struct FetchError {
    pub class: FetchErrorClass,
    pub message: String,
    pub url: Url,
}
