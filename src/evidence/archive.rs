//! An existing run's archive, member by member: what a resumed run replays
//! instead of refetching, the repair of a file cut off by a killed process,
//! and the CDXJ index rebuilt over every file.

use super::cdxj::{mime_of, CdxjEntry, CdxjIndex};
use super::read::{next_record, open, ReadError, WarcRecord};
use super::warc::{RecordRef, WarcError};
use super::{ARCHIVE_DIR, INDEX_FILE};
use chrono::{DateTime, Utc};
use flate2::bufread::GzDecoder;
use std::io::{BufRead, BufReader, Seek};
use std::path::{Path, PathBuf};
use url::Url;

/// An existing archive could not be read, repaired or indexed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file could not be opened.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Listing, reading or cutting back a file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The rebuilt index could not be written.
    #[error(transparent)]
    Index(#[from] WarcError),
}

type Result<T> = std::result::Result<T, ArchiveError>;

/// One complete record and where its gzip member lies.
pub struct Member {
    /// Where the member starts in the file.
    pub offset: u64,
    /// The member's length in bytes.
    pub length: u64,
    /// The record it holds.
    pub record: WarcRecord,
}

/// The complete members of one `.warc.gz` file, and the length up to the
/// end of the last complete one (a killed writer may leave a cut member
/// after it).
pub fn members(path: &Path) -> Result<(Vec<Member>, u64)> {
    let mut reader = BufReader::new(open(path)?);
    let mut out = Vec::new();
    let mut offset = 0u64;
    loop {
        if reader.fill_buf()?.is_empty() {
            break;
        }
        let mut decoder = GzDecoder::new(&mut reader);
        let record = match next_record(&mut decoder) {
            Ok(Some(record)) => record,
            Ok(None) | Err(_) => break,
        };
        // Drain the member's trailer so the reader stands at the next one.
        if std::io::copy(&mut decoder, &mut std::io::sink()).is_err() {
            break;
        }
        drop(decoder);
        let end = reader.stream_position()?;
        out.push(Member {
            offset,
            length: end - offset,
            record,
        });
        offset = end;
    }
    Ok((out, offset))
}

/// The archive files of a run directory, in name order.
pub fn warc_files(run_dir: &Path) -> Result<Vec<PathBuf>> {
    let dir = run_dir.join(ARCHIVE_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    Ok(files)
}

/// Cut every file back to its last complete record; returns how many bytes
/// were dropped.
pub fn repair(run_dir: &Path) -> Result<u64> {
    let mut dropped = 0;
    for path in warc_files(run_dir)? {
        let (_, good) = members(&path)?;
        let size = std::fs::metadata(&path)?.len();
        if good < size {
            let file = crate::util::nofollow::open_for_writing(&path)?;
            file.set_len(good)?;
            file.sync_all()?;
            dropped += size - good;
        }
    }
    Ok(dropped)
}

/// A captured response, as a resumed run replays it.
pub struct Captured {
    /// `WARC-Target-URI`.
    pub url: Url,
    /// `WARC-Date` (now, if unreadable).
    pub date: DateTime<Utc>,
    /// The HTTP status.
    pub status: u16,
    /// The HTTP headers as archived.
    pub headers: Vec<(String, String)>,
    /// The payload.
    pub body: Vec<u8>,
    /// `WARC-IP-Address`, if recorded.
    pub ip: Option<std::net::IpAddr>,
    /// Where the record lies.
    pub record: RecordRef,
}

/// Every response record of a run directory.
pub fn captured(run_dir: &Path) -> Result<Vec<Captured>> {
    let mut out = Vec::new();
    for path in warc_files(run_dir)? {
        let (members, _) = members(&path)?;
        let file = format!(
            "{ARCHIVE_DIR}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        for m in members {
            if m.record.header("WARC-Type") != Some("response") {
                continue;
            }
            let Some(url) = m
                .record
                .header("WARC-Target-URI")
                .and_then(|u| Url::parse(u).ok())
            else {
                continue;
            };
            let Ok((status, headers, body)) = m.record.http_response() else {
                continue;
            };
            let date = m
                .record
                .header("WARC-Date")
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_else(Utc::now);
            out.push(Captured {
                url,
                date,
                status,
                headers,
                body: body.to_vec(),
                ip: m
                    .record
                    .header("WARC-IP-Address")
                    .and_then(|a| a.parse().ok()),
                record: RecordRef {
                    file: file.clone(),
                    offset: m.offset,
                    length: m.length,
                    record_id: m
                        .record
                        .header("WARC-Record-ID")
                        .unwrap_or_default()
                        .to_string(),
                    payload_sha256: m
                        .record
                        .header("WARC-Payload-Digest")
                        .and_then(|d| d.strip_prefix("sha256:"))
                        .unwrap_or_default()
                        .to_string(),
                },
            });
        }
    }
    Ok(out)
}

/// Rewrite `archive/index.cdxj` over every file of the run (a resumed run
/// spans several writers).
pub fn reindex(run_dir: &Path) -> Result<usize> {
    let mut index = CdxjIndex::new();
    for c in captured(run_dir)? {
        let content_type = c
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        index.insert(&CdxjEntry {
            url: c.url,
            date: c.date,
            mime: mime_of(content_type),
            status: c.status,
            digest: format!("sha256:{}", c.record.payload_sha256),
            length: c.record.length,
            offset: c.record.offset,
            filename: c
                .record
                .file
                .trim_start_matches(&format!("{ARCHIVE_DIR}/"))
                .to_string(),
        });
    }
    index.write_atomic(&run_dir.join(ARCHIVE_DIR).join(INDEX_FILE))?;
    Ok(index.len())
}
