//! Soft-404 detection: hosts that answer unknown paths with 2xx. A probe
//! for a path that cannot exist gives the host's "not found" signature;
//! later pages that match it are flagged, not trusted as content.

use super::{parse_page, Site};
use crate::crawl::scope::dedup_key;
use crate::types::{Fetched, Page};
use sha2::{Digest, Sha256};
use url::Url;

/// A page this close in length to the probe, with its title, is soft 404.
const SOFT_404_LENGTH_TOLERANCE: f64 = 0.05;

/// What marks a soft-404 answer on this host.
pub(super) struct SoftSignature {
    /// sha256 of the probe's body, when the host answered it with 2xx.
    probe: Option<ProbeAnswer>,
    home_hash: [u8; 32],
    home_key: String,
}

struct ProbeAnswer {
    hash: [u8; 32],
    title: String,
    len: usize,
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

impl Site<'_> {
    /// Ask for a path that cannot exist; a 2xx answer makes this a soft-404
    /// host and the answer its signature.
    pub(super) async fn probe_soft_404(&mut self, home: &Fetched) {
        let name = format!("/{:016x}-govcheck-probe.html", rand::random::<u64>());
        let mut soft = SoftSignature {
            probe: None,
            home_hash: sha256(&home.body),
            home_key: dedup_key(&home.final_url),
        };
        if let Ok(probe_url) = home.final_url.join(&name) {
            let scope = self.scope.clone();
            let allow = move |u: &Url| scope.contains(u);
            let retries = self.config.retries.min(1);
            match self.transport.fetch(&probe_url, &allow, retries).await {
                Ok(p) if (200..300).contains(&p.status) => {
                    let page = parse_page(self.parse, &p).await;
                    tracing::info!(url = %probe_url, "unknown paths answer 2xx: soft-404 host");
                    soft.probe = Some(ProbeAnswer {
                        hash: sha256(&p.body),
                        title: page.html_title.trim().to_string(),
                        len: p.body.len(),
                    });
                    self.outcome.soft_404_host = true;
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "soft-404 probe failed"),
            }
        }
        self.soft = Some(soft);
    }

    /// Whether a 2xx answer is the host's "not found" page in disguise.
    pub(super) fn is_soft_404(&self, f: &Fetched, page: &Page) -> bool {
        let Some(SoftSignature {
            probe: Some(probe),
            home_hash,
            home_key,
        }) = &self.soft
        else {
            return false;
        };
        if !(200..300).contains(&f.status) {
            return false;
        }
        let hash = sha256(&f.body);
        if hash == probe.hash {
            return true;
        }
        if hash == *home_hash && dedup_key(&f.final_url) != *home_key {
            return true;
        }
        let title = page.html_title.trim();
        let tolerance = probe.len as f64 * SOFT_404_LENGTH_TOLERANCE;
        !probe.title.is_empty()
            && title == probe.title
            && (f.body.len() as f64 - probe.len as f64).abs() <= tolerance
    }
}
