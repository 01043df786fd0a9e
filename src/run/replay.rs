//! `crawl --resume`: the responses an interrupted run already archived,
//! served back to the crawler so nothing captured is fetched (or archived)
//! twice.

use crate::crawl::Replay;
use crate::evidence::archive::ArchiveError;
use crate::evidence::archive::{captured, repair};
use crate::evidence::RecordRef;
use crate::types::Fetched;
use std::collections::HashMap;
use std::path::Path;
use url::Url;

/// The responses an interrupted run archived, by URL, to replay on resume.
#[derive(Debug, Default)]
pub struct ArchiveReplay {
    by_url: HashMap<String, (Fetched, RecordRef)>,
}

impl ArchiveReplay {
    /// Cut a file the killed writer left half-written back to its last
    /// complete record, then load every captured response.
    pub fn load(run_dir: &Path) -> Result<ArchiveReplay, ArchiveError> {
        let dropped = repair(run_dir)?;
        if dropped > 0 {
            tracing::warn!(
                "dropped {dropped} bytes of a record cut off when the run was interrupted"
            );
        }
        let mut by_url = HashMap::new();
        for c in captured(run_dir)? {
            let fetched = Fetched {
                requested: c.url.clone(),
                final_url: c.url.clone(),
                status: c.status,
                headers: c
                    .headers
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect(),
                body: c.body.into(),
                truncated: false,
                hops: vec![],
                fetched_at: c.date,
                tls_unverified: false,
                remote_addr: c.ip,
                from_archive: true,
                revisit: None,
                posted: None,
                rendered: None,
            };
            by_url.insert(c.url.to_string(), (fetched, c.record));
        }
        Ok(ArchiveReplay { by_url })
    }

    /// How many responses can be replayed.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// The archived record of a replayed response.
    pub fn record_of(&self, url: &Url) -> Option<RecordRef> {
        self.by_url.get(url.as_str()).map(|(_, r)| r.clone())
    }
}

impl Replay for ArchiveReplay {
    fn lookup(&self, url: &Url) -> Option<Fetched> {
        self.by_url.get(url.as_str()).map(|(f, _)| f.clone())
    }
}
