//! The crawler's observer for one site: scores links with the audit's
//! vocabulary, archives every response, feeds each visit to the audit and
//! logs what was fetched and what was not.

use super::error::RunError;
use crate::audit::SiteAudit;
use crate::crawl::{Flow, SiteObserver};
use crate::evidence::{EarlierRecord, Exchange, RecordRef, RevisitExchange, WarcHandle};
use crate::types::{FetchError, Fetched, Rendered, SkipReason, Visit};
use crate::types::{Link, Page};
use indicatif::ProgressBar;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;
use url::Url;

/// `pages.jsonl` and `skipped.jsonl`: every URL fetched (with its WARC
/// record), and every URL not fetched with the reason. Shared by the site
/// tasks; one line per lock.
pub struct CrawlLog {
    pages: Mutex<BufWriter<File>>,
    skipped: Mutex<BufWriter<File>>,
}

impl CrawlLog {
    /// Create both logs in the run directory `dir` (appending on a resume).
    pub fn create(dir: &Path) -> Result<CrawlLog, RunError> {
        let open = |name: &str| -> Result<Mutex<BufWriter<File>>, RunError> {
            let path = dir.join(name);
            let file =
                crate::util::nofollow::create_file(&path).map_err(|source| RunError::CrawlLog {
                    path: path.clone(),
                    source,
                })?;
            Ok(Mutex::new(BufWriter::new(file)))
        };
        Ok(CrawlLog {
            pages: open("pages.jsonl")?,
            skipped: open("skipped.jsonl")?,
        })
    }

    fn append(target: &Mutex<BufWriter<File>>, value: serde_json::Value) {
        let mut writer = target
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(e) = writeln!(writer, "{value}") {
            tracing::warn!("cannot append to the crawl log: {e}");
        }
    }

    /// Write out what is buffered.
    pub fn flush(&self) -> std::io::Result<()> {
        for target in [&self.pages, &self.skipped] {
            target
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .flush()?;
        }
        Ok(())
    }
}

/// What goes into the archive for one visit.
enum Capture {
    Exchange(Box<Exchange>),
    /// A 304 confirming an earlier run's capture.
    Revisit(Box<RevisitExchange>),
}

/// WARC records of a site's responses, by final URL.
pub type Records = Arc<Mutex<HashMap<String, RecordRef>>>;

/// The crawler's observer for one site: scores links for the audit, archives
/// each response and feeds it to the site's audit.
pub struct AuditObserver {
    /// The county.
    pub county: String,
    /// The site's audit, fed each visit.
    pub audit: SiteAudit,
    /// The site's progress bar.
    pub bar: ProgressBar,
    /// The run's crawl log.
    pub log: Arc<CrawlLog>,
    /// The run's web archive.
    pub warc: WarcHandle,
    /// The User-Agent the requests were sent with (recorded in the archive).
    pub user_agent: String,
    /// Where each response went in the archive.
    pub records: Records,
    /// Archive writes still in flight.
    pub pending: JoinSet<()>,
    /// Captures of the interrupted run this one resumes.
    pub replay: Option<Arc<super::replay::ArchiveReplay>>,
    /// Lines this site wrote to `skipped.jsonl`, and the skips past
    /// [`MAX_SKIP_LINES_PER_SITE`] counted by reason instead.
    pub skips: SkipCount,
    /// Pages read although their TLS certificate did not verify.
    pub tls_unverified_pages: usize,
}

/// Lines of `skipped.jsonl` one site writes at most; past that, skips are
/// counted by reason and summarised in one line each when the site ends,
/// so a site that generates links without end cannot fill the disk.
pub const MAX_SKIP_LINES_PER_SITE: usize = 10_000;

/// How many skips a site logged one by one, and how many by reason past the
/// cap.
#[derive(Debug, Default)]
pub struct SkipCount {
    written: usize,
    beyond_cap: std::collections::BTreeMap<String, u64>,
}

impl AuditObserver {
    /// One line of `skipped.jsonl`, or a count once the site's lines reach
    /// the cap.
    fn log_skip(&mut self, line: serde_json::Value) {
        if self.skips.written < MAX_SKIP_LINES_PER_SITE {
            self.skips.written += 1;
            CrawlLog::append(&self.log.skipped, line);
        } else {
            let reason = line["reason"].as_str().unwrap_or("other").to_string();
            *self.skips.beyond_cap.entry(reason).or_default() += 1;
        }
    }

    /// When the site ends: one line per reason for the skips past the cap.
    pub fn summarise_skips(&self) {
        for (reason, count) in &self.skips.beyond_cap {
            CrawlLog::append(
                &self.log.skipped,
                serde_json::json!({"county": self.county, "reason": reason, "more_not_listed": count}),
            );
        }
    }

    /// One more page on the site's bar, and in the count of pages read
    /// without a verified certificate when it is one.
    fn count_page(&mut self, visit: &Visit) {
        self.bar.inc(1);
        if visit.fetched.tls_unverified {
            self.tls_unverified_pages += 1;
        }
    }

    /// Archive a response (or, on a resume, find where the interrupted run
    /// archived it); `duplicate_of` names the page whose bytes it repeats.
    fn keep(&mut self, visit: &Visit, sha256: String, duplicate_of: Option<&Url>) {
        let archived = self
            .replay
            .as_ref()
            .filter(|_| visit.fetched.from_archive)
            .and_then(|r| r.record_of(&visit.fetched.final_url));
        match archived {
            // Captured before the interruption: archived and logged then.
            Some(record) => {
                self.records
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(visit.fetched.final_url.to_string(), record);
            }
            None => self.archive(visit, sha256, duplicate_of),
        }
    }

    /// Hand the response to the WARC writer; when it is written, log the
    /// page with its record.
    fn archive(&mut self, visit: &Visit, sha256: String, duplicate_of: Option<&Url>) {
        let fetched = &visit.fetched;
        let mut request_headers = vec![
            ("User-Agent".into(), self.user_agent.clone()),
            ("Accept-Language".into(), "zh-CN,zh;q=0.9".into()),
            ("Accept-Encoding".into(), "gzip, deflate".into()),
        ];
        let capture = match &fetched.revisit {
            Some(revisit) => {
                request_headers.extend(revisit.conditions.iter().cloned());
                let earlier = &revisit.earlier;
                Capture::Revisit(Box::new(RevisitExchange {
                    url: fetched.final_url.clone(),
                    fetched_at: fetched.fetched_at,
                    ip_address: fetched.remote_addr,
                    request_headers,
                    response_headers: revisit.not_modified_headers.clone(),
                    content_type: fetched.header("content-type").map(str::to_string),
                    earlier: EarlierRecord {
                        path: earlier.warc_path.clone(),
                        offset: earlier.offset,
                        length: earlier.length,
                        record_id: earlier.record_id.clone(),
                        date: earlier.captured_at,
                        payload_sha256: earlier.payload_sha256.clone(),
                    },
                }))
            }
            None => Capture::Exchange(Box::new(Exchange {
                url: fetched.final_url.clone(),
                fetched_at: fetched.fetched_at,
                ip_address: fetched.remote_addr,
                request_headers,
                status: fetched.status,
                response_headers: fetched.headers.clone(),
                body: fetched.body.clone(),
                truncated: fetched.truncated,
                posted: fetched.posted.clone(),
                rendered: rendered_note(fetched),
            })),
        };
        let line = serde_json::json!({
            "county": self.county,
            "url": fetched.requested,
            "final_url": fetched.final_url,
            "status": fetched.status,
            "content_type": fetched.header("content-type"),
            "bytes": fetched.body.len(),
            "truncated": fetched.truncated,
            "sha256": sha256,
            "fetched_at": fetched.fetched_at,
            "depth": visit.depth,
            "found_via": visit.found_via.as_ref().map(|l| serde_json::json!({"parent": visit.parent, "text": l.text, "origin": l.origin})),
            "redirects": fetched.hops,
            "tls_unverified": fetched.tls_unverified,
            "soft_404": visit.soft_404,
            "method": if fetched.posted.is_some() { "POST" } else { "GET" },
            "rendered": rendered_note(fetched),
            "rendered_for": match &fetched.rendered {
                Some(Rendered::Dom { of, .. } | Rendered::Request { of }) => Some(of.as_str()),
                None => None,
            },
            "title": visit.page.title,
            "charset": visit.page.charset,
            "declared_charset": visit.page.declared_charset,
            "not_modified": fetched.revisit.as_ref().map(|r| serde_json::json!({
                "earlier_record_id": r.earlier.record_id,
                "earlier_captured_at": r.earlier.captured_at,
            })),
        });
        let mut line = line;
        if let Some(first) = duplicate_of {
            // Not read: the same bytes as `first`, which was.
            line["duplicate_of"] = serde_json::json!(first);
        }
        let (warc, log, records) = (self.warc.clone(), self.log.clone(), self.records.clone());
        let key = fetched.final_url.to_string();
        self.pending.spawn(async move {
            let mut line = line;
            let written = match capture {
                Capture::Exchange(exchange) => warc.write_exchange(*exchange).await,
                Capture::Revisit(revisit) => warc.write_revisit(*revisit).await,
            };
            match written {
                Ok(record) => {
                    line["warc"] = serde_json::json!({"file": record.file, "record_id": record.record_id, "offset": record.offset});
                    records.lock().unwrap_or_else(|p| p.into_inner()).insert(key, record);
                }
                Err(e) => tracing::error!("cannot archive {key}: {e:#}"),
            }
            CrawlLog::append(&log.pages, line);
        });
    }
}

/// How a rendered DOM was made, for its archive record and log line.
fn rendered_note(fetched: &Fetched) -> Option<String> {
    match &fetched.rendered {
        Some(Rendered::Dom { waited, requests, .. }) => Some(format!(
            "rendered in headless Chromium; waited {:.1} s; {requests} requests made through the crawler",
            waited.as_secs_f64()
        )),
        _ => None,
    }
}

impl SiteObserver for AuditObserver {
    fn priority(&self, link: &Link, parent: &Page) -> f32 {
        self.audit.link_priority(link, parent)
    }

    fn on_visit(&mut self, visit: &Visit) -> Flow {
        let sha256 = hex::encode(Sha256::digest(&visit.fetched.body));
        self.count_page(visit);
        self.bar.set_message(visit.page.url.to_string());
        let decided = self.audit.observe(visit, &sha256);
        self.keep(visit, sha256, None);
        if decided {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn on_rendering_request(&mut self, fetched: &Fetched) {
        // Archived and logged like a page; nothing in it is audited.
        let visit = Visit {
            fetched: fetched.clone(),
            page: crate::types::Page::empty(
                &fetched.final_url,
                fetched.status,
                crate::types::PageKind::Other,
            ),
            depth: 0,
            found_via: None,
            parent: None,
            soft_404: false,
        };
        let sha256 = hex::encode(Sha256::digest(&fetched.body));
        self.keep(&visit, sha256, None);
    }

    fn on_duplicate(&mut self, visit: &Visit, first: &Url) {
        let sha256 = hex::encode(Sha256::digest(&visit.fetched.body));
        self.count_page(visit);
        self.keep(visit, sha256, Some(first));
    }

    fn priority_now(&self, link: &Link, parent: &Url) -> Option<f32> {
        self.audit.priority_now(link, parent)
    }

    fn still_wanted(&self, link: &Link) -> bool {
        self.audit.still_wanted(link)
    }

    fn on_skip(&mut self, link: &Link, parent: &Url, reason: SkipReason) {
        let line = serde_json::json!({"county": self.county, "url": link.url, "reason": reason, "parent": parent, "text": link.text});
        self.log_skip(line);
        self.audit.note_skip(link, parent, reason);
    }

    fn on_fetch_error(&mut self, link: &Link, parent: &Url, error: &FetchError) {
        let line = serde_json::json!({"county": self.county, "url": link.url, "reason": "error", "error": error.class, "message": error.message, "parent": parent, "text": link.text});
        self.log_skip(line);
        self.audit.note_error(link, parent, error);
    }
}
