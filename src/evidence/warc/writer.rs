//! The synchronous writer: owns the open WARC file, appends one gzip
//! member per record, rolls over to the next file at the size limit, and
//! keeps the CDXJ index of what it wrote.

use super::record::{
    http_request_block, http_request_block_with_method, http_response_block, http_response_head,
    new_record_id, sha256_hex, warc_date, warc_fields, MemberEncoder, Record,
};
use super::{
    Exchange, Metadata, RecordRef, Resource, RevisitExchange, WarcError, WarcInfo, ARCHIVE_DIR,
    DEFAULT_MAX_FILE_BYTES, INDEX_FILE, REFERS_TO_FILE, REFERS_TO_LENGTH, REFERS_TO_OFFSET,
    REFERS_TO_PAYLOAD_DIGEST, RENDERED_FIELD, SERVER_NOT_MODIFIED,
};
use crate::evidence::cdxj::{mime_of, CdxjEntry, CdxjIndex};
use chrono::Utc;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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
    encoder: MemberEncoder,
}

impl WarcWriter {
    /// Creates `run_dir/archive/` and its first WARC file (which must not
    /// exist yet), headed by a `warcinfo` record. `run_id` goes into file
    /// names, so it is limited to ASCII letters, digits, `-`, `_` and `.`.
    pub fn create(run_dir: &Path, run_id: &str, info: WarcInfo) -> Result<Self, WarcError> {
        let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if run_id.is_empty() || !run_id.chars().all(safe) {
            return Err(WarcError::BadRunId(run_id.to_string()));
        }
        let archive_dir = run_dir.join(ARCHIVE_DIR);
        crate::util::nofollow::create_dir(&archive_dir)
            .map_err(WarcError::io("creating", archive_dir.display()))?;
        let mut encoder = MemberEncoder::new();
        let current = open_file(&archive_dir, run_id, 0, &info, &mut encoder)?;
        Ok(WarcWriter {
            archive_dir,
            run_id: run_id.to_string(),
            info,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            next_seq: 1,
            current,
            index: CdxjIndex::new(),
            encoder,
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
    pub fn write_exchange(&mut self, ex: &Exchange) -> Result<RecordRef, WarcError> {
        self.roll_if_full()?;
        if let Some(note) = &ex.rendered {
            return self.write_rendered(ex, note);
        }
        let response_id = new_record_id();
        let request_id = new_record_id();
        let payload_sha256 = sha256_hex(&ex.body);
        let payload_digest = format!("sha256:{payload_sha256}");
        let ip = ex.ip_address.map(|ip| ip.to_string());

        let head = http_response_head(ex.status, &ex.response_headers, ex.body.len());
        let response = Record::new(
            "response",
            &response_id,
            ex.fetched_at,
            "application/http;msgtype=response",
            &head,
        )
        .then(&ex.body)
        .header("WARC-Target-URI", ex.url.as_str())
        .header_opt("WARC-IP-Address", ip.clone())
        .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
        .header_opt("WARC-Truncated", ex.truncated.then_some("length"))
        .header("WARC-Payload-Digest", payload_digest.clone());
        let (offset, length) = self.append(&response)?;

        let mut block = match &ex.posted {
            None => http_request_block(&ex.url, &ex.request_headers),
            Some(post) => {
                let mut headers = ex.request_headers.clone();
                if let Some(content_type) = &post.content_type {
                    headers.push(("Content-Type".into(), content_type.clone()));
                }
                headers.push(("Content-Length".into(), post.body.len().to_string()));
                http_request_block_with_method(&ex.url, "POST", &headers)
            }
        };
        if let Some(post) = &ex.posted {
            block.extend_from_slice(&post.body);
        }
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
        self.append(&request)?;

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

    /// Writes a rendered DOM as a `conversion` record: the document a
    /// browser built from the captures, not an answer any server sent,
    /// marked with [`RENDERED_FIELD`] and not indexed for replay.
    fn write_rendered(&mut self, ex: &Exchange, note: &str) -> Result<RecordRef, WarcError> {
        let id = new_record_id();
        let payload_sha256 = sha256_hex(&ex.body);
        let content_type = ex
            .response_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map_or("text/html; charset=utf-8", |(_, v)| v.as_str());
        let record = Record::new("conversion", &id, ex.fetched_at, content_type, &ex.body)
            .header("WARC-Target-URI", ex.url.as_str())
            .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
            .header(RENDERED_FIELD, note.to_string())
            .header("WARC-Payload-Digest", format!("sha256:{payload_sha256}"));
        let (offset, length) = self.append(&record)?;
        Ok(self.record_ref(offset, length, id, payload_sha256))
    }

    /// Writes a 304 answer as a `revisit` record (profile
    /// server-not-modified, block the 304's headers) pointing at the
    /// earlier capture, followed by its `request` record, and indexes it.
    /// The reference's payload digest is the earlier capture's: that is the
    /// content the evidence rests on.
    pub fn write_revisit(&mut self, rv: &RevisitExchange) -> Result<RecordRef, WarcError> {
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
        let (offset, length) = self.append(&revisit)?;

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
        self.append(&request)?;

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
    pub fn write_resource(&mut self, res: &Resource) -> Result<RecordRef, WarcError> {
        self.roll_if_full()?;
        let id = new_record_id();
        let sha = sha256_hex(&res.body);
        let record = Record::new("resource", &id, res.date, &res.content_type, &res.body)
            .header("WARC-Target-URI", res.target_uri.as_str())
            .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
            .header_opt("WARC-Refers-To", res.refers_to.clone())
            .header("WARC-Payload-Digest", format!("sha256:{sha}"));
        let (offset, length) = self.append(&record)?;
        Ok(self.record_ref(offset, length, id, sha))
    }

    /// Writes a `metadata` record of `application/warc-fields`.
    pub fn write_metadata(&mut self, meta: &Metadata) -> Result<RecordRef, WarcError> {
        self.roll_if_full()?;
        let id = new_record_id();
        let body = warc_fields(&meta.fields);
        let sha = sha256_hex(&body);
        let record = Record::new("metadata", &id, meta.date, "application/warc-fields", &body)
            .header("WARC-Target-URI", meta.target_uri.as_str())
            .header("WARC-Warcinfo-ID", self.current.warcinfo_id.clone())
            .header_opt("WARC-Refers-To", meta.refers_to.clone());
        let (offset, length) = self.append(&record)?;
        Ok(self.record_ref(offset, length, id, sha))
    }

    /// Syncs the open file and writes `index.cdxj` atomically. The writer
    /// also does this at every rollover, so after a crash the index covers
    /// every file but the last (`warcio index` rebuilds the rest).
    pub fn checkpoint(&mut self) -> Result<(), WarcError> {
        self.current
            .file
            .sync_all()
            .map_err(WarcError::io("syncing", &self.current.name))?;
        self.index.write_atomic(&self.index_path())
    }

    /// Syncs the last file, writes the index and syncs the directory.
    pub fn finish(mut self) -> Result<(), WarcError> {
        self.checkpoint()?;
        File::open(&self.archive_dir)
            .and_then(|dir| dir.sync_all())
            .map_err(WarcError::io("syncing", self.archive_dir.display()))
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
    fn roll_if_full(&mut self) -> Result<(), WarcError> {
        if self.current.len < self.max_file_bytes || self.current.records == 0 {
            return Ok(());
        }
        let next = open_file(
            &self.archive_dir,
            &self.run_id,
            self.next_seq,
            &self.info,
            &mut self.encoder,
        )?;
        self.next_seq += 1;
        let full = std::mem::replace(&mut self.current, next);
        full.file
            .sync_all()
            .map_err(WarcError::io("syncing", &full.name))?;
        self.index.write_atomic(&self.index_path())
    }

    /// Appends one record as a gzip member; returns its offset and length.
    fn append(&mut self, record: &Record) -> Result<(u64, u64), WarcError> {
        let (offset, length) = append_member(&mut self.current, record, &mut self.encoder)?;
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
fn append_member(
    out: &mut OpenFile,
    record: &Record,
    encoder: &mut MemberEncoder,
) -> Result<(u64, u64), WarcError> {
    let member = encoder.member(record)?;
    let offset = out.len;
    if let Err(e) = out.file.write_all(&member) {
        let _ = out.file.set_len(offset);
        let _ = out.file.seek(SeekFrom::Start(offset));
        return Err(WarcError::io("writing to", &out.name)(e));
    }
    out.len += member.len() as u64;
    Ok((offset, member.len() as u64))
}

/// Creates file number `seq` and writes its warcinfo record.
fn open_file(
    archive_dir: &Path,
    run_id: &str,
    seq: u32,
    info: &WarcInfo,
    encoder: &mut MemberEncoder,
) -> Result<OpenFile, WarcError> {
    let name = format!("govcheck-{run_id}-{seq:05}.warc.gz");
    let path = archive_dir.join(&name);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(WarcError::io("creating", path.display()))?;
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
    append_member(&mut open, &record, encoder)?;
    Ok(open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use chrono::TimeZone;
    use url::Url;

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
            response_headers: vec![("content-type".into(), "text/html".into())],
            body: Bytes::from_static(body),
            truncated: false,
            posted: None,
            rendered: None,
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
