//! Reading captures back: the bytes a snapshot is built from and the
//! records `govcheck verify` re-hashes.
//!
//! Snapshots are never refetched: they come from the archived response,
//! found by the record's file and offset. Verification walks every record
//! of every archive file and recomputes its digests.

use super::warc::{
    sha256_hex, RecordRef, REFERS_TO_FILE, REFERS_TO_LENGTH, REFERS_TO_OFFSET,
    REFERS_TO_PAYLOAD_DIGEST,
};
use anyhow::{anyhow, bail, Context, Result};
use flate2::read::{GzDecoder, MultiGzDecoder};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// An HTTP response as archived: status, headers, payload.
pub type HttpResponse<'a> = (u16, Vec<(String, String)>, &'a [u8]);

/// One WARC record: its header fields and its block.
pub struct WarcRecord {
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecord {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// For a response record: the HTTP status, headers and payload.
    pub fn http_response(&self) -> Result<HttpResponse<'_>> {
        let end =
            find(&self.block, b"\r\n\r\n").ok_or_else(|| anyhow!("no end of HTTP headers"))?;
        let head = String::from_utf8_lossy(&self.block[..end]);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("bad HTTP status line `{status_line}`"))?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Ok((status, headers, &self.block[end + 4..]))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parse one record from a decompressed stream; `None` at the clean end.
pub(super) fn next_record<R: Read>(reader: &mut R) -> Result<Option<WarcRecord>> {
    let mut head: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match reader.read(&mut byte)? {
            0 if head.iter().all(|b| b.is_ascii_whitespace()) => return Ok(None),
            0 => bail!("the archive ends inside a record header"),
            _ => head.push(byte[0]),
        }
        if head.ends_with(b"\r\n\r\n") {
            if head.iter().all(|b| b.is_ascii_whitespace()) {
                head.clear();
                continue;
            }
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let version = lines.next().unwrap_or_default().trim();
    if !version.starts_with("WARC/") {
        bail!("not a WARC record (starts with `{version}`)");
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| anyhow!("record without Content-Length"))?;
    let mut block = vec![0u8; length];
    reader
        .read_exact(&mut block)
        .context("the archive ends inside a record")?;
    let mut trailer = [0u8; 4];
    reader
        .read_exact(&mut trailer)
        .context("record without its CRLFCRLF end")?;
    Ok(Some(WarcRecord { headers, block }))
}

/// The record a [`RecordRef`] points at (one gzip member).
pub fn read_record(run_dir: &Path, record: &RecordRef) -> Result<WarcRecord> {
    let path = run_dir.join(super::ARCHIVE_DIR).join(&record.file);
    let path = if path.exists() {
        path
    } else {
        run_dir.join(&record.file)
    };
    let mut file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    file.seek(SeekFrom::Start(record.offset))?;
    let member = file.take(record.length);
    let mut reader = GzDecoder::new(member);
    next_record(&mut reader)?
        .ok_or_else(|| anyhow!("no record at {}:{}", path.display(), record.offset))
}

/// The capture a record stands for: the record itself, or for a
/// revisit (a 304 answer) the earlier run's response it points at.
pub struct Capture {
    /// A `response` record.
    pub response: WarcRecord,
    /// Set when `response` came from an earlier run by way of a revisit.
    pub revisited: Option<Revisited>,
}

/// How a revisit record led to its earlier capture.
pub struct Revisited {
    /// The earlier WARC file as found.
    pub file: PathBuf,
    pub record_id: String,
    /// `WARC-Date` of the earlier capture.
    pub captured_at: String,
}

/// The response a record stands for (see [`Capture`]). A revisit's
/// earlier capture must be the record it names, with the payload digest
/// it names, intact.
pub fn read_capture(run_dir: &Path, record: &RecordRef) -> Result<Capture> {
    let found = read_record(run_dir, record)?;
    if found.header("WARC-Type") != Some("revisit") {
        return Ok(Capture {
            response: found,
            revisited: None,
        });
    }
    let (response, revisited) = follow_revisit(run_dir, &found)?;
    Ok(Capture {
        response,
        revisited: Some(revisited),
    })
}

/// The earlier response a revisit record of `run_dir` points at, checked.
pub fn follow_revisit(run_dir: &Path, revisit: &WarcRecord) -> Result<(WarcRecord, Revisited)> {
    let id = revisit.header("WARC-Record-ID").unwrap_or("?");
    let field = |name: &str| {
        revisit
            .header(name)
            .ok_or_else(|| anyhow!("revisit {id} has no {name}"))
    };
    let file = run_dir.join(field(REFERS_TO_FILE)?);
    let number = |name: &str| -> Result<u64> {
        field(name)?
            .parse()
            .map_err(|_| anyhow!("revisit {id}: {name} is not a number"))
    };
    let wanted_id = field("WARC-Refers-To")?;
    let wanted_digest = field(REFERS_TO_PAYLOAD_DIGEST)?;
    let earlier = read_record(
        Path::new(""),
        &RecordRef {
            file: file.to_string_lossy().into_owned(),
            offset: number(REFERS_TO_OFFSET)?,
            length: number(REFERS_TO_LENGTH)?,
            record_id: wanted_id.to_string(),
            payload_sha256: String::new(),
        },
    )
    .with_context(|| format!("revisit {id}: the earlier capture is not readable"))?;
    if earlier.header("WARC-Record-ID") != Some(wanted_id) {
        bail!(
            "revisit {id}: {} holds {} where {wanted_id} was expected",
            file.display(),
            earlier.header("WARC-Record-ID").unwrap_or("no record")
        );
    }
    if earlier.header("WARC-Payload-Digest") != Some(wanted_digest) {
        bail!("revisit {id}: the earlier capture's payload digest is not {wanted_digest}");
    }
    if let Some(problem) = check_digests(&earlier).into_iter().next() {
        bail!(
            "revisit {id}: earlier capture in {}: {problem}",
            file.display()
        );
    }
    let revisited = Revisited {
        file,
        record_id: wanted_id.to_string(),
        captured_at: earlier.header("WARC-Date").unwrap_or_default().to_string(),
    };
    Ok((earlier, revisited))
}

/// Every record of one `.warc.gz` file, in order.
pub fn read_all(path: &Path) -> Result<Vec<WarcRecord>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = MultiGzDecoder::new(BufReader::new(file));
    let mut records = Vec::new();
    while let Some(record) =
        next_record(&mut reader).with_context(|| format!("reading {}", path.display()))?
    {
        records.push(record);
    }
    Ok(records)
}

/// Recompute a record's block digest and, for responses, its payload
/// digest; the problems found, if any.
pub fn check_digests(record: &WarcRecord) -> Vec<String> {
    let mut problems = Vec::new();
    let id = record.header("WARC-Record-ID").unwrap_or("?").to_string();
    let strip = |d: &str| {
        d.trim()
            .strip_prefix("sha256:")
            .map(|h| h.to_ascii_lowercase())
    };
    if let Some(expected) = record.header("WARC-Block-Digest").and_then(strip) {
        if sha256_hex(&record.block) != expected {
            problems.push(format!("{id}: block digest does not match"));
        }
    }
    if let Some(expected) = record.header("WARC-Payload-Digest").and_then(strip) {
        let payload = match record.header("WARC-Type") {
            Some("response") | Some("request") => record
                .http_response()
                .map(|(_, _, body)| body.to_vec())
                .unwrap_or_else(|_| record.block.clone()),
            _ => record.block.clone(),
        };
        if sha256_hex(&payload) != expected {
            problems.push(format!("{id}: payload digest does not match"));
        }
    }
    problems
}
