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
use flate2::read::{GzDecoder, MultiGzDecoder};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// A record could not be read back, or is not what it should be. Each
/// error carries its cause in its message, as [`super::WarcError`] does.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file could not be opened.
    #[error("cannot open {path}: {cause}")]
    Open {
        /// The file.
        path: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// Reading or seeking failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A problem inside the named archive file.
    #[error("reading {path}: {cause}")]
    InFile {
        /// The archive file.
        path: String,
        /// What was wrong.
        cause: Box<ReadError>,
    },
    /// The bytes are not a well-formed record or HTTP message.
    #[error("{0}")]
    Malformed(&'static str),
    /// The stream ended early.
    #[error("{what}: {cause}")]
    Cut {
        /// Where it ended.
        what: &'static str,
        /// What the reader said.
        cause: std::io::Error,
    },
    /// A record does not start with `WARC/`.
    #[error("not a WARC record (starts with `{0}`)")]
    NotWarc(String),
    /// A response block's first line has no status code.
    #[error("bad HTTP status line `{0}`")]
    BadStatusLine(String),
    /// Nothing at the offset a reference names.
    #[error("no record at {path}:{offset}")]
    NoRecord {
        /// The archive file.
        path: String,
        /// The offset named.
        offset: u64,
    },
    /// A revisit record lacks a field that locates its earlier capture.
    #[error("revisit {id} has no {field}")]
    RevisitField {
        /// The revisit's record id.
        id: String,
        /// The missing field.
        field: String,
    },
    /// A revisit record's offset or length field is not a number.
    #[error("revisit {id}: {field} is not a number")]
    RevisitNumber {
        /// The revisit's record id.
        id: String,
        /// The field.
        field: String,
    },
    /// The earlier capture a revisit names cannot be read.
    #[error("revisit {id}: the earlier capture is not readable: {cause}")]
    EarlierUnreadable {
        /// The revisit's record id.
        id: String,
        /// Why.
        cause: Box<ReadError>,
    },
    /// Another record sits where the earlier capture should be.
    #[error("revisit {id}: {file} holds {found} where {wanted} was expected")]
    EarlierMoved {
        /// The revisit's record id.
        id: String,
        /// The earlier archive file.
        file: String,
        /// The record id found there.
        found: String,
        /// The record id the revisit names.
        wanted: String,
    },
    /// The earlier capture's payload digest is not the one the revisit names.
    #[error("revisit {id}: the earlier capture's payload digest is not {wanted}")]
    EarlierDigest {
        /// The revisit's record id.
        id: String,
        /// The digest the revisit names.
        wanted: String,
    },
    /// The earlier capture's own digests do not match its bytes.
    #[error("revisit {id}: earlier capture in {file}: {problem}")]
    EarlierDamaged {
        /// The revisit's record id.
        id: String,
        /// The earlier archive file.
        file: String,
        /// The first digest problem.
        problem: String,
    },
}

type Result<T> = std::result::Result<T, ReadError>;

/// An HTTP response as archived: status, headers, payload.
pub type HttpResponse<'a> = (u16, Vec<(String, String)>, &'a [u8]);

/// One WARC record: its header fields and its block.
pub struct WarcRecord {
    /// The header fields in order, as written.
    pub headers: Vec<(String, String)>,
    /// The record's block (for a response: the HTTP message).
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// The first header field of that name, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// For a response record: the HTTP status, headers and payload (for a
    /// `conversion` record, a rendered DOM: 200, its type, its block).
    pub fn http_response(&self) -> Result<HttpResponse<'_>> {
        if self.header("WARC-Type") == Some("conversion") {
            // A rendered DOM: the block is the document itself, its type
            // the record's; it stands for a page that answered 200.
            let content_type = self
                .header("Content-Type")
                .unwrap_or("text/html")
                .to_string();
            return Ok((
                200,
                vec![("Content-Type".to_string(), content_type)],
                &self.block,
            ));
        }
        let end =
            find(&self.block, b"\r\n\r\n").ok_or(ReadError::Malformed("no end of HTTP headers"))?;
        let head = String::from_utf8_lossy(&self.block[..end]);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| ReadError::BadStatusLine(status_line.to_string()))?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Ok((status, headers, &self.block[end + 4..]))
    }
}

/// Opens an archive file, naming it in the error.
pub(super) fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|cause| ReadError::Open {
        path: path.display().to_string(),
        cause,
    })
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
            0 => {
                return Err(ReadError::Malformed(
                    "the archive ends inside a record header",
                ))
            }
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
        return Err(ReadError::NotWarc(version.to_string()));
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or(ReadError::Malformed("record without Content-Length"))?;
    let mut block = vec![0u8; length];
    reader
        .read_exact(&mut block)
        .map_err(|cause| ReadError::Cut {
            what: "the archive ends inside a record",
            cause,
        })?;
    let mut trailer = [0u8; 4];
    reader
        .read_exact(&mut trailer)
        .map_err(|cause| ReadError::Cut {
            what: "record without its CRLFCRLF end",
            cause,
        })?;
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
    let mut file = open(&path)?;
    file.seek(SeekFrom::Start(record.offset))?;
    let member = file.take(record.length);
    let mut reader = GzDecoder::new(member);
    next_record(&mut reader)?.ok_or_else(|| ReadError::NoRecord {
        path: path.display().to_string(),
        offset: record.offset,
    })
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
    /// The earlier capture's record id.
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
        revisit.header(name).ok_or_else(|| ReadError::RevisitField {
            id: id.to_string(),
            field: name.to_string(),
        })
    };
    let file = run_dir.join(field(REFERS_TO_FILE)?);
    let number = |name: &str| -> Result<u64> {
        field(name)?.parse().map_err(|_| ReadError::RevisitNumber {
            id: id.to_string(),
            field: name.to_string(),
        })
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
    .map_err(|cause| ReadError::EarlierUnreadable {
        id: id.to_string(),
        cause: Box::new(cause),
    })?;
    if earlier.header("WARC-Record-ID") != Some(wanted_id) {
        return Err(ReadError::EarlierMoved {
            id: id.to_string(),
            file: file.display().to_string(),
            found: earlier
                .header("WARC-Record-ID")
                .unwrap_or("no record")
                .to_string(),
            wanted: wanted_id.to_string(),
        });
    }
    if earlier.header("WARC-Payload-Digest") != Some(wanted_digest) {
        return Err(ReadError::EarlierDigest {
            id: id.to_string(),
            wanted: wanted_digest.to_string(),
        });
    }
    if let Some(problem) = check_digests(&earlier).into_iter().next() {
        return Err(ReadError::EarlierDamaged {
            id: id.to_string(),
            file: file.display().to_string(),
            problem,
        });
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
    let mut records = Vec::new();
    each_record(path, |record| records.push(record))?;
    Ok(records)
}

/// Hands every record of a WARC file to `visit` in order, one at a time, so
/// a 1 GB archive file is never held whole; an unreadable record ends the
/// walk with an error after the ones before it were visited.
pub fn each_record(path: &Path, mut visit: impl FnMut(WarcRecord)) -> Result<()> {
    let file = open(path)?;
    let mut reader = MultiGzDecoder::new(BufReader::new(file));
    while let Some(record) = next_record(&mut reader).map_err(|cause| ReadError::InFile {
        path: path.display().to_string(),
        cause: Box::new(cause),
    })? {
        visit(record);
    }
    Ok(())
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
