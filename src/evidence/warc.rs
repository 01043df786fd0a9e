//! WARC 1.1 records and the writer that appends them.
//!
//! Every record is its own gzip member, so a record's `(file, offset,
//! length)` is enough to read it back, a killed process leaves only whole
//! records behind, and `warcio`, pywb and the webrecorder tools read the
//! files as they are. Digests are `sha256:<lowercase hex>`: WARC allows any
//! RFC 3548 encoding and `warcio check` decodes hex (it compares against
//! base32 after converting), and hex is what the rest of govcheck prints.
//!
//! [`WarcWriter`] is synchronous and owns the files; [`WarcWriter::spawn`]
//! moves it onto one blocking task and hands out [`WarcHandle`]s, so
//! concurrent site crawls can all capture without their records
//! interleaving.

use super::cdxj::{mime_of, CdxjEntry, CdxjIndex};
use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use tokio::sync::{mpsc, oneshot};
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
    pub fetched_at: DateTime<Utc>,
    pub ip_address: Option<IpAddr>,
    /// Request headers as sent, without `Host` (it is written from `url`).
    pub request_headers: Vec<(String, String)>,
    pub status: u16,
    /// Response headers as received; the framing headers are normalised by
    /// [`http_response_block`].
    pub response_headers: Vec<(String, String)>,
    /// The body after content-encoding was undone.
    pub body: Bytes,
    /// The body was cut at the crawler's size cap (`WARC-Truncated: length`).
    pub truncated: bool,
}

/// A conditional GET the server answered with 304 Not Modified, and the
/// earlier capture (another run's archive) it confirms.
#[derive(Debug, Clone)]
pub struct RevisitExchange {
    pub url: Url,
    pub fetched_at: DateTime<Utc>,
    pub ip_address: Option<IpAddr>,
    /// Request headers as sent, the validators included.
    pub request_headers: Vec<(String, String)>,
    /// Headers of the 304 response.
    pub response_headers: Vec<(String, String)>,
    /// Content type of the earlier capture (for the index).
    pub content_type: Option<String>,
    pub earlier: EarlierRecord,
}

/// A record in another run's archive.
#[derive(Debug, Clone)]
pub struct EarlierRecord {
    /// The WARC file: absolute, or relative to this run's directory.
    pub path: PathBuf,
    pub offset: u64,
    pub length: u64,
    pub record_id: String,
    pub date: DateTime<Utc>,
    /// sha256 of its payload, lowercase hex.
    pub payload_sha256: String,
}

/// The revisit profile of a 304 answer (WARC 1.1, section 6.7.2).
pub const SERVER_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// Extension fields of a revisit record that locate the earlier capture
/// (standard WARC names the record, not the file it is in).
pub const REFERS_TO_FILE: &str = "GovCheck-Refers-To-File";
pub const REFERS_TO_OFFSET: &str = "GovCheck-Refers-To-Offset";
pub const REFERS_TO_LENGTH: &str = "GovCheck-Refers-To-Length";
pub const REFERS_TO_PAYLOAD_DIGEST: &str = "GovCheck-Refers-To-Payload-Digest";

/// A document govcheck made itself (a snapshot, a screenshot).
#[derive(Debug, Clone)]
pub struct Resource {
    /// A URI naming the document, e.g. `urn:govcheck:snapshot:<sha256>`.
    pub target_uri: String,
    pub date: DateTime<Utc>,
    pub content_type: String,
    pub body: Bytes,
    /// Record id of the capture it was made from (`WARC-Refers-To`).
    pub refers_to: Option<String>,
}

/// `name: value` facts about a capture that HTTP does not carry (redirect
/// chain, relaxed TLS), as an `application/warc-fields` metadata record.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub target_uri: String,
    pub date: DateTime<Utc>,
    /// Record id of the record described (`WARC-Refers-To`).
    pub refers_to: Option<String>,
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

/// A fresh `WARC-Record-ID`: a random (version 4) UUID as `<urn:uuid:…>`.
pub fn new_record_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `WARC-Date` form: UTC, second precision, `2023-03-28T10:00:00Z`.
pub fn warc_date(date: DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A header value safe to put on one line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(one_line(value).as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// The HTTP response as a WARC `response` block: status line, headers,
/// blank line, body.
///
/// The body reaches the archive decoded, so the headers that describe the
/// wire framing (`Content-Encoding`, `Content-Length`, `Transfer-Encoding`)
/// would lie about it; they are dropped and a `Content-Length` of the body
/// as stored is added, so replay tools and `warcio` read it as it is. The
/// reason phrase is the canonical one (the HTTP client does not keep the
/// server's).
pub fn http_response_block(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut out = Vec::with_capacity(body.len() + 1024);
    out.extend_from_slice(format!("HTTP/1.1 {status} {reason}\r\n").as_bytes());
    for (name, value) in headers {
        let framing = ["content-encoding", "content-length", "transfer-encoding"]
            .iter()
            .any(|f| name.eq_ignore_ascii_case(f));
        if !framing {
            push_header(&mut out, name, value);
        }
    }
    push_header(&mut out, "Content-Length", &body.len().to_string());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// The HTTP request as a WARC `request` block: `GET` request line with the
/// path and query of `url`, `Host`, the other headers, blank line.
pub fn http_request_block(url: &Url, headers: &[(String, String)]) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let mut host = url.host_str().unwrap_or_default().to_string();
    if let Some(port) = url.port() {
        host.push_str(&format!(":{port}"));
    }
    let mut out = format!("GET {target} HTTP/1.1\r\n").into_bytes();
    push_header(&mut out, "Host", &host);
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("host") {
            push_header(&mut out, name, value);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The `application/warc-fields` body of `fields`.
fn warc_fields(fields: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        push_header(&mut out, name, value);
    }
    out
}

/// One WARC record before serialisation: its named headers (the digest,
/// type and length headers are added by [`Record::to_bytes`]) and block.
struct Record<'a> {
    headers: Vec<(&'static str, String)>,
    content_type: &'a str,
    block: &'a [u8],
}

impl<'a> Record<'a> {
    fn new(
        warc_type: &str,
        record_id: &str,
        date: DateTime<Utc>,
        content_type: &'a str,
        block: &'a [u8],
    ) -> Self {
        Record {
            headers: vec![
                ("WARC-Type", warc_type.to_string()),
                ("WARC-Record-ID", record_id.to_string()),
                ("WARC-Date", warc_date(date)),
            ],
            content_type,
            block,
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn header_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// `WARC/1.1`, the headers, `WARC-Block-Digest`, `Content-Type`,
    /// `Content-Length`, blank line, block, and the two-CRLF trailer.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block.len() + 1024);
        out.extend_from_slice(b"WARC/1.1\r\n");
        for (name, value) in &self.headers {
            push_header(&mut out, name, value);
        }
        let digest = format!("sha256:{}", sha256_hex(self.block));
        push_header(&mut out, "WARC-Block-Digest", &digest);
        push_header(&mut out, "Content-Type", self.content_type);
        push_header(&mut out, "Content-Length", &self.block.len().to_string());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }
}

/// `bytes` as one complete gzip member.
fn gzip_member(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut gz = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        Compression::default(),
    );
    gz.write_all(bytes)?;
    Ok(gz.finish()?)
}

/// The WARC file being appended to.
struct OpenFile {
    /// File name inside the archive directory.
    name: String,
    file: File,
    /// Bytes written so far (the next record's offset).
    len: u64,
    /// Records written after the warcinfo record.
    records: u64,
    warcinfo_id: String,
}

/// Appends WARC records to `DIR/archive/govcheck-<run-id>-<NNNNN>.warc.gz`,
/// rolling over to the next number once a file passes the size limit, and
/// keeps the CDXJ index of the response records.
pub struct WarcWriter {
    archive_dir: PathBuf,
    run_id: String,
    info: WarcInfo,
    max_file_bytes: u64,
    next_seq: u32,
    current: OpenFile,
    index: CdxjIndex,
}

impl WarcWriter {
    /// Creates `run_dir/archive/` and its first WARC file (which must not
    /// exist yet), headed by a `warcinfo` record. `run_id` goes into file
    /// names, so it is limited to ASCII letters, digits, `-`, `_` and `.`.
    pub fn create(run_dir: &Path, run_id: &str, info: WarcInfo) -> Result<Self> {
        let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if run_id.is_empty() || !run_id.chars().all(safe) {
            bail!("run id {run_id:?} is not usable in a file name");
        }
        let archive_dir = run_dir.join(ARCHIVE_DIR);
        std::fs::create_dir_all(&archive_dir)
            .with_context(|| format!("creating {}", archive_dir.display()))?;
        let current = open_file(&archive_dir, run_id, 0, &info)?;
        Ok(WarcWriter {
            archive_dir,
            run_id: run_id.to_string(),
            info,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            next_seq: 1,
            current,
            index: CdxjIndex::new(),
        })
    }

    /// Sets the size after which the next write starts a new file.
    pub fn with_max_file_bytes(mut self, max_file_bytes: u64) -> Self {
        self.max_file_bytes = max_file_bytes;
        self
    }

    /// The path of `index.cdxj`.
    pub fn index_path(&self) -> PathBuf {
        self.archive_dir.join(INDEX_FILE)
    }

    /// Writes the exchange as a `response` record followed by its `request`
    /// record (`WARC-Concurrent-To` the response), both in the same file,
    /// and indexes the response.
    pub fn write_exchange(&mut self, ex: &Exchange) -> Result<RecordRef> {
        self.roll_if_full()?;
        let response_id = new_record_id();
        let request_id = new_record_id();
        let payload_sha256 = sha256_hex(&ex.body);
        let payload_digest = format!("sha256:{payload_sha256}");
        let ip = ex.ip_address.map(|ip| ip.to_string());

        let block = http_response_block(ex.status, &ex.response_headers, &ex.body);
        let response = Record::new(
            "response",
            &response_id,
            ex.fetched_at,
            "application/http;msgtype=response",
            &block,
        )
        .header("WARC-Target-URI", ex.url.as_str())
        .header_opt("WARC-IP-Address", ip.clone())
        .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
        .header_opt("WARC-Truncated", ex.truncated.then_some("length"))
        .header("WARC-Payload-Digest", payload_digest.clone());
        let (offset, length) = self.append(&response.to_bytes())?;

        let block = http_request_block(&ex.url, &ex.request_headers);
        let request = Record::new(
            "request",
            &request_id,
            ex.fetched_at,
            "application/http;msgtype=request",
            &block,
        )
        .header("WARC-Target-URI", ex.url.as_str())
        .header_opt("WARC-IP-Address", ip)
        .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
        .header("WARC-Concurrent-To", response_id.clone());
        self.append(&request.to_bytes())?;

        let content_type = ex
            .response_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        self.index.insert(&CdxjEntry {
            url: ex.url.clone(),
            date: ex.fetched_at,
            mime: mime_of(content_type),
            status: ex.status,
            digest: payload_digest,
            length,
            offset,
            filename: self.current.name.clone(),
        });
        Ok(self.record_ref(offset, length, response_id, payload_sha256))
    }

    /// Writes a 304 answer as a `revisit` record (profile
    /// server-not-modified, block the 304's headers) pointing at the
    /// earlier capture, followed by its `request` record, and indexes it.
    /// The reference's payload digest is the earlier capture's: that is the
    /// content the evidence rests on.
    pub fn write_revisit(&mut self, rv: &RevisitExchange) -> Result<RecordRef> {
        self.roll_if_full()?;
        let revisit_id = new_record_id();
        let request_id = new_record_id();
        let ip = rv.ip_address.map(|ip| ip.to_string());
        let earlier = &rv.earlier;
        let run_dir = self.archive_dir.parent().unwrap_or(&self.archive_dir);
        let earlier_file = relative_path(run_dir, &earlier.path);
        let earlier_digest = format!("sha256:{}", earlier.payload_sha256);

        let block = http_response_block(304, &rv.response_headers, b"");
        let revisit = Record::new(
            "revisit",
            &revisit_id,
            rv.fetched_at,
            "application/http;msgtype=response",
            &block,
        )
        .header("WARC-Target-URI", rv.url.as_str())
        .header_opt("WARC-IP-Address", ip.clone())
        .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
        .header("WARC-Profile", SERVER_NOT_MODIFIED)
        .header("WARC-Refers-To", earlier.record_id.clone())
        .header("WARC-Refers-To-Target-URI", rv.url.as_str())
        .header("WARC-Refers-To-Date", warc_date(earlier.date))
        .header(REFERS_TO_FILE, earlier_file.to_string_lossy().into_owned())
        .header(REFERS_TO_OFFSET, earlier.offset.to_string())
        .header(REFERS_TO_LENGTH, earlier.length.to_string())
        .header(REFERS_TO_PAYLOAD_DIGEST, earlier_digest.clone());
        let (offset, length) = self.append(&revisit.to_bytes())?;

        let block = http_request_block(&rv.url, &rv.request_headers);
        let request = Record::new(
            "request",
            &request_id,
            rv.fetched_at,
            "application/http;msgtype=request",
            &block,
        )
        .header("WARC-Target-URI", rv.url.as_str())
        .header_opt("WARC-IP-Address", ip)
        .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
        .header("WARC-Concurrent-To", revisit_id.clone());
        self.append(&request.to_bytes())?;

        self.index.insert(&CdxjEntry {
            url: rv.url.clone(),
            date: rv.fetched_at,
            mime: "warc/revisit".into(),
            status: 304,
            digest: earlier_digest,
            length,
            offset,
            filename: self.current.name.clone(),
        });
        Ok(self.record_ref(offset, length, revisit_id, earlier.payload_sha256.clone()))
    }

    /// Writes a `resource` record.
    pub fn write_resource(&mut self, res: &Resource) -> Result<RecordRef> {
        self.roll_if_full()?;
        let id = new_record_id();
        let sha = sha256_hex(&res.body);
        let record = Record::new("resource", &id, res.date, &res.content_type, &res.body)
            .header("WARC-Target-URI", res.target_uri.as_str())
            .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
            .header_opt("WARC-Refers-To", res.refers_to.clone())
            .header("WARC-Payload-Digest", format!("sha256:{sha}"));
        let (offset, length) = self.append(&record.to_bytes())?;
        Ok(self.record_ref(offset, length, id, sha))
    }

    /// Writes a `metadata` record of `application/warc-fields`.
    pub fn write_metadata(&mut self, meta: &Metadata) -> Result<RecordRef> {
        self.roll_if_full()?;
        let id = new_record_id();
        let body = warc_fields(&meta.fields);
        let sha = sha256_hex(&body);
        let record = Record::new("metadata", &id, meta.date, "application/warc-fields", &body)
            .header("WARC-Target-URI", meta.target_uri.as_str())
            .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
            .header_opt("WARC-Refers-To", meta.refers_to.clone());
        let (offset, length) = self.append(&record.to_bytes())?;
        Ok(self.record_ref(offset, length, id, sha))
    }

    /// Syncs the open file and writes `index.cdxj` atomically. The writer
    /// also does this at every rollover, so after a crash the index covers
    /// every file but the last (`warcio index` rebuilds the rest).
    pub fn checkpoint(&mut self) -> Result<()> {
        self.current
            .file
            .sync_all()
            .with_context(|| format!("syncing {}", self.current.name))?;
        self.index.write_atomic(&self.index_path())
    }

    /// Syncs the last file, writes the index and syncs the directory.
    pub fn finish(mut self) -> Result<()> {
        self.checkpoint()?;
        File::open(&self.archive_dir)
            .and_then(|dir| dir.sync_all())
            .with_context(|| format!("syncing {}", self.archive_dir.display()))
    }

    /// Moves the writer onto its own blocking task; records from every
    /// handle are written one after another, in the order they arrive.
    /// Must be called inside a tokio runtime. If every handle is dropped
    /// without [`WarcHandle::finish`], the task still finishes the archive.
    pub fn spawn(self) -> WarcHandle {
        let (tx, mut rx) = mpsc::channel::<Command>(32);
        tokio::task::spawn_blocking(move || {
            let mut writer = self;
            while let Some(command) = rx.blocking_recv() {
                match command {
                    Command::Exchange(ex, reply) => {
                        let _ = reply.send(writer.write_exchange(&ex));
                    }
                    Command::Revisit(rv, reply) => {
                        let _ = reply.send(writer.write_revisit(&rv));
                    }
                    Command::Resource(res, reply) => {
                        let _ = reply.send(writer.write_resource(&res));
                    }
                    Command::Metadata(meta, reply) => {
                        let _ = reply.send(writer.write_metadata(&meta));
                    }
                    Command::Finish(reply) => {
                        let _ = reply.send(writer.finish());
                        return;
                    }
                }
            }
            if let Err(e) = writer.finish() {
                tracing::error!("finishing the WARC archive: {e:#}");
            }
        });
        WarcHandle { tx }
    }

    fn record_ref(&self, offset: u64, length: u64, record_id: String, sha: String) -> RecordRef {
        RecordRef {
            file: format!("{ARCHIVE_DIR}/{}", self.current.name),
            offset,
            length,
            record_id,
            payload_sha256: sha,
        }
    }

    /// Starts the next file when the current one has passed the limit and
    /// holds more than its warcinfo record (so a tiny limit means one
    /// exchange per file, not endless empty files).
    fn roll_if_full(&mut self) -> Result<()> {
        if self.current.len < self.max_file_bytes || self.current.records == 0 {
            return Ok(());
        }
        let next = open_file(&self.archive_dir, &self.run_id, self.next_seq, &self.info)?;
        self.next_seq += 1;
        let full = std::mem::replace(&mut self.current, next);
        full.file
            .sync_all()
            .with_context(|| format!("syncing {}", full.name))?;
        self.index.write_atomic(&self.index_path())
    }

    /// Appends one record as a gzip member; returns its offset and length.
    fn append(&mut self, record: &[u8]) -> Result<(u64, u64)> {
        let (offset, length) = append_member(&mut self.current, record)?;
        self.current.records += 1;
        Ok((offset, length))
    }
}

/// `target` as seen from directory `base` (`../run-a/archive/x.warc.gz`),
/// so run directories kept side by side can move together; `target` as it
/// is when either path is relative.
fn relative_path(base: &Path, target: &Path) -> PathBuf {
    use std::path::Component;
    if !base.is_absolute() || !target.is_absolute() {
        return target.to_path_buf();
    }
    let base: Vec<Component> = base.components().collect();
    let target_parts: Vec<Component> = target.components().collect();
    let common = base
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &target_parts[common..] {
        out.push(part.as_os_str());
    }
    out
}

/// Compresses the record whole, then writes it with one `write_all`
/// straight to the file, so nothing waits in a user-space buffer between
/// records. On a failed write the file is cut back to where the member
/// began, keeping every offset already handed out valid.
fn append_member(out: &mut OpenFile, record: &[u8]) -> Result<(u64, u64)> {
    let member = gzip_member(record)?;
    let offset = out.len;
    if let Err(e) = out.file.write_all(&member) {
        let _ = out.file.set_len(offset);
        let _ = out.file.seek(SeekFrom::Start(offset));
        return Err(e).with_context(|| format!("writing to {}", out.name));
    }
    out.len += member.len() as u64;
    Ok((offset, member.len() as u64))
}

/// Creates file number `seq` and writes its warcinfo record.
fn open_file(archive_dir: &Path, run_id: &str, seq: u32, info: &WarcInfo) -> Result<OpenFile> {
    let name = format!("govcheck-{run_id}-{seq:05}.warc.gz");
    let path = archive_dir.join(&name);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    let mut fields = vec![
        (
            "software".to_string(),
            format!("govcheck/{}", env!("CARGO_PKG_VERSION")),
        ),
        ("format".into(), "WARC File Format 1.1".into()),
        (
            "conformsTo".into(),
            "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/".into(),
        ),
        ("isPartOf".into(), info.campaign.clone()),
        ("rubric-version".into(), info.rubric_version.clone()),
        ("http-header-user-agent".into(), info.user_agent.clone()),
        ("operator".into(), info.operator.clone()),
    ];
    fields.extend(info.extra.iter().cloned());
    let body = warc_fields(&fields);
    let warcinfo_id = new_record_id();
    let record = Record::new(
        "warcinfo",
        &warcinfo_id,
        Utc::now(),
        "application/warc-fields",
        &body,
    )
    .header("WARC-Filename", name.clone());
    let mut open = OpenFile {
        name,
        file,
        len: 0,
        records: 0,
        warcinfo_id,
    };
    append_member(&mut open, &record.to_bytes())?;
    Ok(open)
}

enum Command {
    Exchange(Exchange, oneshot::Sender<Result<RecordRef>>),
    Revisit(Box<RevisitExchange>, oneshot::Sender<Result<RecordRef>>),
    Resource(Resource, oneshot::Sender<Result<RecordRef>>),
    Metadata(Metadata, oneshot::Sender<Result<RecordRef>>),
    Finish(oneshot::Sender<Result<()>>),
}

/// A cheap, cloneable way to send records to the run's one writer task.
#[derive(Clone)]
pub struct WarcHandle {
    tx: mpsc::Sender<Command>,
}

impl WarcHandle {
    /// Writes the exchange; the reference is to its response record.
    pub async fn write_exchange(&self, exchange: Exchange) -> Result<RecordRef> {
        self.call(|reply| Command::Exchange(exchange, reply))
            .await?
    }

    /// Writes the 304 answer; the reference is to its revisit record.
    pub async fn write_revisit(&self, revisit: RevisitExchange) -> Result<RecordRef> {
        self.call(|reply| Command::Revisit(Box::new(revisit), reply))
            .await?
    }

    pub async fn write_resource(&self, resource: Resource) -> Result<RecordRef> {
        self.call(|reply| Command::Resource(resource, reply))
            .await?
    }

    pub async fn write_metadata(&self, metadata: Metadata) -> Result<RecordRef> {
        self.call(|reply| Command::Metadata(metadata, reply))
            .await?
    }

    /// Flushes and syncs the archive and writes the index. Records sent
    /// before this from any handle are written first; writes through other
    /// handles afterwards fail.
    pub async fn finish(self) -> Result<()> {
        self.call(Command::Finish).await?
    }

    async fn call<T>(&self, command: impl FnOnce(oneshot::Sender<T>) -> Command) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(command(reply))
            .await
            .map_err(|_| anyhow!("the WARC writer has finished"))?;
        answer
            .await
            .map_err(|_| anyhow!("the WARC writer stopped before answering"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hdrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn record_id_is_a_v4_uuid_urn() {
        let id = new_record_id();
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36, "{id}");
        let uuid = id
            .strip_prefix("<urn:uuid:")
            .and_then(|s| s.strip_suffix('>'))
            .unwrap();
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(uuid
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, new_record_id());
    }

    #[test]
    fn date_is_utc_to_the_second() {
        let d = Utc
            .with_ymd_and_hms(2023, 3, 28, 10, 0, 0)
            .unwrap()
            .checked_add_signed(chrono::Duration::milliseconds(789))
            .unwrap();
        assert_eq!(warc_date(d), "2023-03-28T10:00:00Z");
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn response_block_replaces_framing_headers() {
        let headers = hdrs(&[
            ("content-type", "text/html; charset=gbk"),
            ("Content-Encoding", "gzip"),
            ("content-length", "999"),
            ("transfer-encoding", "chunked"),
            ("set-cookie", "a=1\r\nInjected: yes"),
        ]);
        let block = http_response_block(200, &headers, b"<p>hi</p>");
        assert_eq!(
            String::from_utf8(block).unwrap(),
            "HTTP/1.1 200 OK\r\n\
             content-type: text/html; charset=gbk\r\n\
             set-cookie: a=1  Injected: yes\r\n\
             Content-Length: 9\r\n\
             \r\n\
             <p>hi</p>"
        );
        let block = http_response_block(412, &[], b"");
        assert!(block.starts_with(b"HTTP/1.1 412 Precondition Failed\r\n"));
        assert!(http_response_block(599, &[], b"").starts_with(b"HTTP/1.1 599 \r\n"));
    }

    #[test]
    fn request_block_has_target_and_host() {
        let url = Url::parse("http://127.0.0.1:8080/政务/list.jsp?page=2#frag").unwrap();
        let block = http_request_block(&url, &hdrs(&[("user-agent", "govcheck/0"), ("host", "x")]));
        assert_eq!(
            String::from_utf8(block).unwrap(),
            "GET /%E6%94%BF%E5%8A%A1/list.jsp?page=2 HTTP/1.1\r\n\
             Host: 127.0.0.1:8080\r\n\
             user-agent: govcheck/0\r\n\
             \r\n"
        );
    }

    #[test]
    fn record_serialisation() {
        let date = Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap();
        let block = b"hello";
        let bytes = Record::new("resource", "<urn:uuid:x>", date, "text/plain", block)
            .header("WARC-Target-URI", "urn:test")
            .header_opt("WARC-Refers-To", None::<String>)
            .to_bytes();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!(
                "WARC/1.1\r\n\
                 WARC-Type: resource\r\n\
                 WARC-Record-ID: <urn:uuid:x>\r\n\
                 WARC-Date: 2023-03-28T10:00:00Z\r\n\
                 WARC-Target-URI: urn:test\r\n\
                 WARC-Block-Digest: sha256:{}\r\n\
                 Content-Type: text/plain\r\n\
                 Content-Length: 5\r\n\
                 \r\n\
                 hello\r\n\r\n",
                sha256_hex(block)
            )
        );
    }

    #[test]
    fn run_id_must_be_file_name_safe() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["", "../x", "a b", "a/b"] {
            assert!(WarcWriter::create(dir.path(), bad, WarcInfo::default()).is_err());
        }
    }

    #[test]
    fn an_existing_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        WarcWriter::create(dir.path(), "r1", WarcInfo::default())
            .unwrap()
            .finish()
            .unwrap();
        let err = WarcWriter::create(dir.path(), "r1", WarcInfo::default())
            .err()
            .unwrap();
        assert!(
            format!("{err:#}").contains("govcheck-r1-00000.warc.gz"),
            "{err:#}"
        );
    }

    fn exchange(path: &str, body: &'static [u8]) -> Exchange {
        Exchange {
            url: Url::parse(&format!("http://www.aihui.gov.cn{path}")).unwrap(),
            fetched_at: Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap(),
            ip_address: None,
            request_headers: vec![],
            status: 200,
            response_headers: hdrs(&[("content-type", "text/html")]),
            body: Bytes::from_static(body),
            truncated: false,
        }
    }

    #[test]
    fn rollover_starts_each_file_with_warcinfo_and_keeps_pairs_together() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::create(dir.path(), "roll", WarcInfo::default())
            .unwrap()
            .with_max_file_bytes(1);
        let refs: Vec<RecordRef> = (0..3)
            .map(|i| w.write_exchange(&exchange(&format!("/{i}"), b"x")).unwrap())
            .collect();
        w.finish().unwrap();
        let files: Vec<&str> = refs.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "archive/govcheck-roll-00000.warc.gz",
                "archive/govcheck-roll-00001.warc.gz",
                "archive/govcheck-roll-00002.warc.gz"
            ]
        );
        for r in &refs {
            let bytes = std::fs::read(dir.path().join(&r.file)).unwrap();
            let mut text = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
                &mut text,
            )
            .unwrap();
            let text = String::from_utf8(text).unwrap();
            let types: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("WARC-Type: "))
                .collect();
            assert_eq!(types, ["warcinfo", "response", "request"]);
            assert!(r.offset > 0 && r.offset + r.length < bytes.len() as u64);
        }
        let index = std::fs::read_to_string(dir.path().join("archive/index.cdxj")).unwrap();
        assert_eq!(index.lines().count(), 3);
    }

    #[test]
    fn no_rollover_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::create(dir.path(), "one", WarcInfo::default()).unwrap();
        let a = w.write_exchange(&exchange("/a", b"a")).unwrap();
        let b = w.write_exchange(&exchange("/b", b"b")).unwrap();
        w.finish().unwrap();
        assert_eq!(a.file, b.file);
        assert!(
            b.offset > a.offset + a.length,
            "request record sits between"
        );
        assert_eq!(
            std::fs::read_dir(dir.path().join("archive"))
                .unwrap()
                .count(),
            2
        );
    }
}
