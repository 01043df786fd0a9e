//! Evidence that holds up: every fetched response, byte for byte, in a
//! standard web archive an evaluator (or a county) can replay and verify
//! with tools govcheck does not control.
//!
//! A verdict is only as good as what it can point at. Pages on county sites
//! change or vanish, so a finding names a WARC record (file, offset,
//! length, record id, payload sha256) rather than a URL. The archive is
//! WARC 1.1 with one gzip member per record (`warc`), written by a single
//! task per run so concurrent site crawls never interleave records, and a
//! sorted CDXJ index (`cdxj`) lets replay tools find a capture by URL.
//!
//! Around the archive: `read` gets records back (and follows a revisit to
//! the earlier run's capture), `archive` replays, repairs and reindexes a
//! whole run's files, `snapshot` builds the stamped HTML copy of a capture,
//! `screenshot` pictures it with Chromium, and `verify` re-hashes a run
//! directory against its manifest.
//!
//! Errors are `thiserror` enums per job (`WarcError`, `ReadError`,
//! `ArchiveError`, `ScreenshotError`, `VerifyError`). Each carries its
//! cause in its own message, because callers log these errors as they are.

pub mod archive;
pub mod cdxj;
pub mod read;
pub mod screenshot;
pub mod snapshot;
pub mod verify;
pub mod warc;
mod warc_error;

pub use cdxj::{surt, CdxjEntry, CdxjIndex};
pub use read::{
    check_digests, each_record, follow_revisit, read_all, read_capture, read_record, Capture,
    ReadError, Revisited, WarcRecord,
};
pub use warc::{
    http_request_block, http_response_block, EarlierRecord, Exchange, Metadata, RecordRef,
    Resource, RevisitExchange, WarcError, WarcHandle, WarcInfo, WarcWriter, ARCHIVE_DIR,
    DEFAULT_MAX_FILE_BYTES, INDEX_FILE,
};

/// Where one matrix row's evidence is stored in the run directory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredEvidence {
    /// The stamped snapshot, relative to the run directory.
    pub snapshot: Option<String>,
    /// The archived response the verdict rests on.
    pub record: RecordRef,
    /// A PNG of the snapshot (`--screenshots`), relative to the run
    /// directory, also archived as a WARC `resource` record.
    pub screenshot: Option<String>,
}

#[cfg(test)]
mod tests;
