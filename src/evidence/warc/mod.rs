//! WARC 1.1 records and the writer that appends them.
//!
//! Every record is its own gzip member, so a record's `(file, offset,
//! length)` is enough to read it back, a killed process leaves only whole
//! records behind, and `warcio`, pywb and the webrecorder tools read the
//! files as they are. Digests are `sha256:<lowercase hex>`: WARC allows any
//! RFC 3548 encoding and `warcio check` decodes hex (it compares against
//! base32 after converting), and hex is what the rest of govcheck prints.
//!
//! What goes in a record lives here; `record` turns it into bytes (ids,
//! dates, digests, HTTP blocks, gzip members), `writer` appends records to
//! files and rolls them over, and `task` puts the one writer of a run on
//! its own thread behind cloneable handles.

mod record;
mod task;
mod writer;

pub use super::warc_error::WarcError;
pub use record::{http_request_block, http_response_block, sha256_hex};
pub use task::WarcHandle;
pub use writer::WarcWriter;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use std::path::PathBuf;
use url::Url;

/// Files roll over once they pass this size unless told otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

/// The archive directory under a run directory.
pub const ARCHIVE_DIR: &str = "archive";

/// The index file inside [`ARCHIVE_DIR`].
pub const INDEX_FILE: &str = "index.cdxj";

/// What the `warcinfo` record at the head of every file says about the run,
/// besides govcheck's name and version and the format.
#[derive(Debug, Clone, Default)]
pub struct WarcInfo {
    /// Written as the standard `isPartOf` field.
    pub campaign: String,
    /// Written as `rubric-version`.
    pub rubric_version: String,
    /// Written as the standard `http-header-user-agent` field.
    pub user_agent: String,
    /// Who ran the crawl and how to reach them; the standard `operator`.
    pub operator: String,
    /// Further `name: value` fields (e.g. `robots: obey`), in order.
    pub extra: Vec<(String, String)>,
}

/// One HTTP GET and the response it got, as the crawler saw them.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The URL asked for (one hop of a redirect chain is one exchange).
    pub url: Url,
    /// When the response arrived.
    pub fetched_at: DateTime<Utc>,
    /// The server's address, when known (`WARC-IP-Address`).
    pub ip_address: Option<IpAddr>,
    /// Request headers as sent, without `Host` (it is written from `url`).
    pub request_headers: Vec<(String, String)>,
    /// The HTTP status code.
    pub status: u16,
    /// Response headers as received; the framing headers are normalised by
    /// [`http_response_block`].
    pub response_headers: Vec<(String, String)>,
    /// The body after content-encoding was undone.
    pub body: Bytes,
    /// The body was cut at the crawler's size cap (`WARC-Truncated: length`).
    pub truncated: bool,
    /// Sent as a POST with this body rather than a GET: the request
    /// record says so and carries the body.
    pub posted: Option<crate::types::PostBody>,
    /// Not a server's answer but the DOM the rendering browser built, and
    /// how (`waited 1.8 s, 12 requests`): written as a `conversion` record
    /// with this note in `GovCheck-Rendered`, with no request record, and
    /// left out of the replay index.
    pub rendered: Option<String>,
}

/// The record field that carries how a rendered DOM was made.
pub const RENDERED_FIELD: &str = "GovCheck-Rendered";

/// A conditional GET the server answered with 304 Not Modified, and the
/// earlier capture (another run's archive) it confirms.
#[derive(Debug, Clone)]
pub struct RevisitExchange {
    /// The URL asked for.
    pub url: Url,
    /// When the 304 arrived.
    pub fetched_at: DateTime<Utc>,
    /// The server's address, when known.
    pub ip_address: Option<IpAddr>,
    /// Request headers as sent, the validators included.
    pub request_headers: Vec<(String, String)>,
    /// Headers of the 304 response.
    pub response_headers: Vec<(String, String)>,
    /// Content type of the earlier capture (for the index).
    pub content_type: Option<String>,
    /// The capture the 304 confirms.
    pub earlier: EarlierRecord,
}

/// A record in another run's archive.
#[derive(Debug, Clone)]
pub struct EarlierRecord {
    /// The WARC file: absolute, or relative to this run's directory.
    pub path: PathBuf,
    /// Byte offset of its gzip member.
    pub offset: u64,
    /// Length of its gzip member.
    pub length: u64,
    /// Its `WARC-Record-ID`.
    pub record_id: String,
    /// Its `WARC-Date`.
    pub date: DateTime<Utc>,
    /// sha256 of its payload, lowercase hex.
    pub payload_sha256: String,
}

/// The revisit profile of a 304 answer (WARC 1.1, section 6.7.2).
pub const SERVER_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

// Extension fields of a revisit record that locate the earlier capture
// (standard WARC names the record, not the file it is in).

/// The earlier WARC file, relative to this run's directory.
pub const REFERS_TO_FILE: &str = "GovCheck-Refers-To-File";
/// Byte offset of the earlier record's gzip member.
pub const REFERS_TO_OFFSET: &str = "GovCheck-Refers-To-Offset";
/// Length of the earlier record's gzip member.
pub const REFERS_TO_LENGTH: &str = "GovCheck-Refers-To-Length";
/// The earlier capture's payload digest, `sha256:<hex>`.
pub const REFERS_TO_PAYLOAD_DIGEST: &str = "GovCheck-Refers-To-Payload-Digest";

/// A document govcheck made itself (a snapshot, a screenshot).
#[derive(Debug, Clone)]
pub struct Resource {
    /// A URI naming the document, e.g. `urn:govcheck:snapshot:<sha256>`.
    pub target_uri: String,
    /// When it was made.
    pub date: DateTime<Utc>,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub body: Bytes,
    /// Record id of the capture it was made from (`WARC-Refers-To`).
    pub refers_to: Option<String>,
}

/// `name: value` facts about a capture that HTTP does not carry (redirect
/// chain, relaxed TLS), as an `application/warc-fields` metadata record.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// The URI described.
    pub target_uri: String,
    /// When the facts were recorded.
    pub date: DateTime<Utc>,
    /// Record id of the record described (`WARC-Refers-To`).
    pub refers_to: Option<String>,
    /// The `name: value` pairs, in order.
    pub fields: Vec<(String, String)>,
}

/// Where a record landed: what evidence pointers carry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordRef {
    /// WARC file, relative to the run directory (`archive/….warc.gz`).
    pub file: String,
    /// Byte offset of the record's gzip member in the file.
    pub offset: u64,
    /// Length of the record's gzip member.
    pub length: u64,
    /// `<urn:uuid:…>`.
    pub record_id: String,
    /// sha256 of the payload (the response body), lowercase hex.
    pub payload_sha256: String,
}
