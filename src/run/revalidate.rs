//! A recheck's conditional GETs: the earlier run's evidence, with the
//! validators its responses carried, and its archived response ready to
//! stand for a 304 Not Modified.
//!
//! A county site that says "unchanged" sends no body, so the recheck costs
//! the site almost nothing; the verdict is then re-derived from the earlier
//! bytes, read back from the earlier run's WARC and checked against the
//! digest the history recorded, never trusted blindly.

use super::error::Chain;
use crate::crawl::Revalidate;
use crate::evidence::{read_record, ReadError, RecordRef};
use crate::history::{FindingRow, RunRow};
use crate::types::{EarlierCapture, Fetched, Revisit};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use url::Url;

/// Headers a 304 may update on the stored response (RFC 9111, 4.3.4).
const UPDATED_BY_304: &[&str] = &["etag", "last-modified", "date", "expires", "cache-control"];

/// Why an earlier capture cannot stand for a 304: the recheck then
/// fetches the page in full, so this is only logged.
#[derive(Debug, thiserror::Error)]
enum StaleCapture {
    /// The record could not be read back.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The file holds another record at that offset.
    #[error("{file} no longer holds record {record_id}")]
    OtherRecord { file: String, record_id: String },
    /// The record is not a response.
    #[error("record {0} is not a response")]
    NotResponse(String),
    /// The body is not the one the history recorded.
    #[error("the archived body hashes to {found}, the history recorded {recorded}")]
    Digest { found: String, recorded: String },
}

/// One piece of earlier evidence.
#[derive(Debug, Clone)]
struct Earlier {
    etag: Option<String>,
    last_modified: Option<String>,
    run_dir: PathBuf,
    record: RecordRef,
    captured_at: DateTime<Utc>,
}

/// The evidence of an earlier run, by URL.
#[derive(Debug, Default)]
pub struct EarlierEvidence {
    by_url: HashMap<String, Earlier>,
}

impl EarlierEvidence {
    /// Every finding of `run` whose evidence record can be located and
    /// whose response carried a validator.
    pub fn from_history(run: &RunRow, findings: &[FindingRow]) -> EarlierEvidence {
        let mut by_url = HashMap::new();
        for f in findings {
            let (Some(url), Some(file), Some(record_id), Some(offset), Some(length), Some(sha)) = (
                f.evidence_url.as_deref().and_then(|u| Url::parse(u).ok()),
                &f.warc_file,
                &f.warc_record_id,
                f.warc_offset,
                f.warc_length,
                &f.evidence_sha256,
            ) else {
                continue;
            };
            if f.etag.is_none() && f.last_modified.is_none() {
                continue;
            }
            by_url.entry(url.to_string()).or_insert(Earlier {
                etag: f.etag.clone(),
                last_modified: f.last_modified.clone(),
                run_dir: PathBuf::from(&run.run_dir),
                record: RecordRef {
                    file: file.clone(),
                    offset,
                    length,
                    record_id: record_id.clone(),
                    payload_sha256: sha.clone(),
                },
                captured_at: f.fetched_at.unwrap_or(run.started),
            });
        }
        EarlierEvidence { by_url }
    }

    /// How many earlier captures there are.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// No earlier capture to revalidate.
    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }
}

impl Revalidate for EarlierEvidence {
    fn conditions(&self, url: &Url) -> Vec<(String, String)> {
        let Some(earlier) = self.by_url.get(url.as_str()) else {
            return Vec::new();
        };
        let mut headers = Vec::new();
        if let Some(etag) = &earlier.etag {
            headers.push(("If-None-Match".to_string(), etag.clone()));
        }
        if let Some(date) = &earlier.last_modified {
            headers.push(("If-Modified-Since".to_string(), date.clone()));
        }
        headers
    }

    fn unchanged(&self, url: &Url, not_modified: &Fetched) -> Option<Fetched> {
        let earlier = self.by_url.get(url.as_str())?;
        match read_back(earlier, url, not_modified, self.conditions(url)) {
            Ok(fetched) => Some(fetched),
            Err(e) => {
                tracing::warn!(
                    %url,
                    "the earlier capture cannot stand for the 304: {}",
                    Chain(&e)
                );
                None
            }
        }
    }
}

/// The earlier response, checked against its recorded digest, with the
/// headers the 304 updates, fetched now.
fn read_back(
    earlier: &Earlier,
    url: &Url,
    not_modified: &Fetched,
    conditions: Vec<(String, String)>,
) -> Result<Fetched, StaleCapture> {
    let record = read_record(&earlier.run_dir, &earlier.record)?;
    if record.header("WARC-Record-ID") != Some(earlier.record.record_id.as_str()) {
        return Err(StaleCapture::OtherRecord {
            file: earlier.record.file.clone(),
            record_id: earlier.record.record_id.clone(),
        });
    }
    if record.header("WARC-Type") != Some("response") {
        return Err(StaleCapture::NotResponse(earlier.record.record_id.clone()));
    }
    let (status, mut headers, body) = record.http_response()?;
    let sha = crate::evidence::warc::sha256_hex(body);
    if sha != earlier.record.payload_sha256 {
        return Err(StaleCapture::Digest {
            found: sha,
            recorded: earlier.record.payload_sha256.clone(),
        });
    }
    for (name, value) in &not_modified.headers {
        if UPDATED_BY_304.contains(&name.as_str()) {
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            headers.push((name.clone(), value.clone()));
        }
    }
    let warc_path = archive_path(&earlier.run_dir, &earlier.record.file);
    let captured_at = record
        .header("WARC-Date")
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map_or(earlier.captured_at, |d| d.with_timezone(&Utc));
    Ok(Fetched {
        requested: not_modified.requested.clone(),
        final_url: url.clone(),
        status,
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect(),
        body: bytes::Bytes::copy_from_slice(body),
        truncated: record.header("WARC-Truncated").is_some(),
        hops: not_modified.hops.clone(),
        fetched_at: not_modified.fetched_at,
        tls_unverified: not_modified.tls_unverified,
        remote_addr: not_modified.remote_addr,
        from_archive: false,
        posted: None,
        rendered: None,
        revisit: Some(Revisit {
            not_modified_headers: not_modified.headers.clone(),
            conditions,
            earlier: EarlierCapture {
                warc_path,
                offset: earlier.record.offset,
                length: earlier.record.length,
                record_id: earlier.record.record_id.clone(),
                captured_at,
                payload_sha256: earlier.record.payload_sha256.clone(),
            },
        }),
    })
}

/// A record's file as [`read_record`] finds it: under `archive/`, or as
/// named relative to the run directory.
fn archive_path(run_dir: &Path, file: &str) -> PathBuf {
    let under_archive = run_dir.join(crate::evidence::ARCHIVE_DIR).join(file);
    if under_archive.exists() {
        under_archive
    } else {
        run_dir.join(file)
    }
}
