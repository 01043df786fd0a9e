//! Stamped snapshots for a site's findings, built from the archived
//! responses (never refetched), one file per matrix row with evidence.

use super::error::Chain;
use crate::evidence::screenshot::{Caption, ScreenshotError};
use crate::evidence::snapshot::{html_snapshot, text_snapshot, Stamp};
use crate::evidence::{read_capture, ReadError, RecordRef, StoredEvidence};
use crate::page::{self};
use crate::types::Finding;
use crate::types::PageKind;
use crate::util::atomic::WriteError;
use crate::util::write_atomic;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Why a finding has no snapshot or no picture: the row keeps its WARC
/// record, so this is only logged.
#[derive(Debug, thiserror::Error)]
enum SnapshotError {
    /// The archived response could not be read back.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A file or directory could not be made or read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The snapshot or the captured file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Chromium made no picture.
    #[error(transparent)]
    Screenshot(#[from] ScreenshotError),
}

type Result<T, E = SnapshotError> = std::result::Result<T, E>;

/// The snapshots' directory inside the run directory.
pub const SNAPSHOT_DIR: &str = "snapshots";

/// Snapshot names come from a hash of county, item and URL, never from
/// URL text.
fn snapshot_name(county: &str, item: &str, url: &str) -> String {
    let digest = hex::encode(Sha256::digest(
        format!("{county}\n{item}\n{url}").as_bytes(),
    ));
    format!("{SNAPSHOT_DIR}/{}.html", &digest[..24])
}

/// The banner of each snapshot's picture, by snapshot name: made from the
/// same stamp as the snapshot, kept in memory so that [`picture`] never
/// reads it back from a file a page could have shaped.
pub type Captions = HashMap<String, Caption>;

/// Evidence per item id: the WARC record of each finding's page and, where
/// it could be built, its snapshot; and the captions for their pictures.
pub fn store(
    out: &Path,
    county: &str,
    findings: &[Finding],
    records: &HashMap<String, RecordRef>,
) -> (HashMap<String, StoredEvidence>, Captions) {
    let mut stored = HashMap::new();
    let mut captions = Captions::new();
    for finding in findings {
        let Some(evidence) = &finding.evidence else {
            continue;
        };
        let Some(record) = records.get(evidence.url.as_str()) else {
            continue;
        };
        let snapshot = match build(out, county, finding, record) {
            Ok((path, caption)) => {
                captions.insert(path.clone(), caption);
                Some(path)
            }
            Err(e) => {
                tracing::warn!("no snapshot for {county} {}: {}", finding.item, Chain(&e));
                None
            }
        };
        stored.insert(
            finding.item.clone(),
            StoredEvidence {
                snapshot,
                record: record.clone(),
                screenshot: None,
            },
        );
    }
    (stored, captions)
}

fn build(
    out: &Path,
    county: &str,
    finding: &Finding,
    record: &RecordRef,
) -> Result<(String, Caption)> {
    let evidence = finding.evidence.as_ref().expect("caller checked");
    let capture = read_capture(out, record)?;
    let (status, headers, body) = capture.response.http_response()?;
    let not_modified_since = capture
        .revisited
        .as_ref()
        .map(|r| (r.captured_at.as_str(), r.record_id.as_str()));
    let content_type = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str());
    let stamp = Stamp {
        county,
        item: &finding.item,
        item_name: &finding.item_name,
        status: finding.status.as_str(),
        reason: &finding.reason,
        url: &evidence.url,
        fetched_at: evidence.fetched_at,
        http_status: status,
        sha256: &evidence.sha256,
        warc: Some((&record.file, &record.record_id)),
        tls_unverified: evidence.tls_unverified,
        not_modified_since,
        rendered: capture
            .response
            .header(crate::evidence::warc::RENDERED_FIELD),
    };
    let caption = Caption::new(&stamp);
    let highlight = if evidence.title.is_empty() {
        &evidence.excerpt
    } else {
        &evidence.title
    };
    let name = snapshot_name(county, &finding.item, evidence.url.as_str());
    crate::util::nofollow::create_dir(&out.join(SNAPSHOT_DIR))?;
    let parsed = page::parse(&evidence.url, status, content_type, body);
    let html = match parsed.kind {
        PageKind::Html => {
            let (text, _charset) = page::decode(content_type, body);
            html_snapshot(&stamp, &text, highlight)
        }
        _ => {
            let text = if parsed.text.is_empty() {
                format!(
                    "({})",
                    parsed
                        .extract_error
                        .as_deref()
                        .unwrap_or("no text could be extracted from this file")
                )
            } else {
                parsed.text.clone()
            };
            let captured = save_captured(out, &name, body)?;
            text_snapshot(&stamp, &text, highlight, Some(&captured))
        }
    };
    write_atomic(&out.join(&name), html.as_bytes())?;
    Ok((name, caption))
}

/// Keep an attachment's bytes beside its snapshot so the banner page can
/// link the very file that was judged; returns its name relative to the
/// snapshot.
///
/// The name is the snapshot's stem, `.captured.`, and the extension of what
/// the bytes are ([`page::sniff`]: `pdf`, `docx`, `xlsx`, `pptx`, `ofd`,
/// `zip`, `doc`, `xls`, `ppt`, `ole` for another OLE2 file, `rtf`, `bin` for
/// anything else), never the URL's: a PDF/HTML polyglot served as `x.htm`
/// is stored as a `.pdf` that a browser does not run as a page, and the
/// file can never take the snapshot's own name.
fn save_captured(out: &Path, snapshot: &str, body: &[u8]) -> Result<String> {
    let path = captured_name(snapshot, body);
    write_atomic(&out.join(&path), body)?;
    Ok(Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(path))
}

/// `snapshots/<hash>.html` → `snapshots/<hash>.captured.<sniffed extension>`.
fn captured_name(snapshot: &str, body: &[u8]) -> String {
    format!(
        "{}.captured.{}",
        snapshot.trim_end_matches(".html"),
        page::sniff(body).extension()
    )
}

/// Picture every snapshot with Chromium under its caption's banner, keep
/// the PNG beside the snapshot and archive it as a WARC `resource` record
/// that refers to the response it depicts. A picture that fails is logged;
/// the row keeps its snapshot and WARC record.
pub async fn picture(
    out: &Path,
    chromium: &Path,
    warc: &crate::evidence::WarcHandle,
    stored: &mut HashMap<String, StoredEvidence>,
    captions: &Captions,
) {
    for evidence in stored.values_mut() {
        let Some(snapshot) = evidence.snapshot.clone() else {
            continue;
        };
        let Some(caption) = captions.get(&snapshot).cloned() else {
            tracing::warn!("no screenshot of {snapshot}: no banner was made for it");
            continue;
        };
        let png = format!("{}.png", snapshot.trim_end_matches(".html"));
        let (html_path, png_path, browser) =
            (out.join(&snapshot), out.join(&png), chromium.to_path_buf());
        let rendered = tokio::task::spawn_blocking(move || {
            let bytes = crate::evidence::screenshot::render(&browser, &html_path, &caption)?;
            write_atomic(&png_path, &bytes)?;
            Ok::<_, SnapshotError>(bytes)
        })
        .await;
        let bytes = match rendered {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => {
                tracing::warn!("no screenshot of {snapshot}: {}", Chain(&e));
                continue;
            }
            Err(e) => {
                tracing::warn!("no screenshot of {snapshot}: {e}");
                continue;
            }
        };
        let resource = crate::evidence::Resource {
            target_uri: format!("urn:govcheck:screenshot:{png}"),
            date: chrono::Utc::now(),
            content_type: "image/png".into(),
            body: bytes.into(),
            refers_to: Some(evidence.record.record_id.clone()),
        };
        if let Err(e) = warc.write_resource(resource).await {
            tracing::warn!("cannot archive the screenshot {png}: {e:#}");
        }
        evidence.screenshot = Some(png);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_captured_file_is_named_by_its_bytes_never_by_its_url() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = snapshot_name("北安市", "9", "http://x.gov.cn/x.htm");
        std::fs::create_dir_all(dir.path().join(SNAPSHOT_DIR)).unwrap();
        // A PDF/HTML polyglot served as x.htm is stored as a PDF.
        let polyglot = b"<html><script>alert(1)</script>%PDF-1.4\n";
        let name = save_captured(dir.path(), &snapshot, polyglot).unwrap();
        assert!(name.ends_with(".captured.pdf"), "{name}");
        assert_eq!(
            std::fs::read(dir.path().join(SNAPSHOT_DIR).join(&name)).unwrap(),
            polyglot
        );
        // Random bytes at a.html are bytes, and never the snapshot's name.
        let snapshot = snapshot_name("北安市", "9", "http://x.gov.cn/a.html");
        let name = save_captured(dir.path(), &snapshot, b"\x01\x02<html>").unwrap();
        assert!(name.ends_with(".captured.bin"), "{name}");
        assert_ne!(format!("{SNAPSHOT_DIR}/{name}"), snapshot);
        assert!(!dir.path().join(&snapshot).exists());
        for body in [
            &b"<svg onload=alert(1)>"[..],
            b"<?xml version=\"1.0\"?>",
            b"",
        ] {
            let name = captured_name(&snapshot, body);
            for page in [".html", ".htm", ".svg", ".xml", ".xhtml"] {
                assert!(!name.ends_with(page), "{name}");
            }
        }
        assert!(captured_name(&snapshot, b"\xD0\xCF\x11\xE0").ends_with(".captured.ole"));
    }
}
