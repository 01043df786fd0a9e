//! Sitemaps named in robots.txt: their URLs are queued at depth 1, within
//! a bound on files and URLs.

use super::Site;
use crate::crawl::robots::sitemap_locs;
use crate::types::{Link, LinkOrigin};
use url::Url;

/// Sitemap files fetched per site (indexes included).
const MAX_SITEMAP_FILES: usize = 5;
/// Sitemap URLs queued per site.
const MAX_SITEMAP_URLS: usize = 500;

impl Site<'_> {
    /// Queue the sitemaps' URLs at depth 1.
    pub(super) async fn read_sitemaps(&mut self) {
        let mut pending: Vec<String> = self.robots.sitemaps().to_vec();
        pending.reverse();
        let (mut files, mut queued) = (0, 0);
        let scope = self.scope.clone();
        let allow = move |u: &Url| scope.contains(u);
        while let Some(raw) = pending.pop() {
            if files >= MAX_SITEMAP_FILES || queued >= MAX_SITEMAP_URLS {
                break;
            }
            let Ok(url) = Url::parse(raw.trim()) else {
                continue;
            };
            if !self.scope.contains(&url) || !self.robots.allowed(&url) {
                continue;
            }
            files += 1;
            let fetched = match self.transport.fetch(&url, &allow, 1).await {
                Ok(f) if (200..300).contains(&f.status) => f,
                Ok(f) => {
                    tracing::debug!(%url, status = f.status, "sitemap not read");
                    continue;
                }
                Err(e) => {
                    tracing::debug!(%url, error = %e, "sitemap not read");
                    continue;
                }
            };
            let (locs, index) = sitemap_locs(&fetched.body);
            if index {
                pending.extend(locs.into_iter().rev());
                continue;
            }
            let parent = (self.parse)(&fetched.final_url, fetched.status, None, &[]);
            for loc in locs {
                if queued >= MAX_SITEMAP_URLS {
                    break;
                }
                let Ok(loc) = fetched.final_url.join(loc.trim()) else {
                    continue;
                };
                queued += 1;
                let link = Link {
                    url: loc,
                    text: String::new(),
                    context: String::new(),
                    section: String::new(),
                    date: None,
                    origin: LinkOrigin::Sitemap,
                };
                self.consider(&link, &parent, 1, 0);
            }
        }
    }
}
