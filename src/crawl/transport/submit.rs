//! A POST a page's script makes (a pager asking for its next page), sent
//! for the rendering browser under the same rules as any fetch.

use super::{error, Transport};
use crate::crawl::scope::normalise;
use crate::types::{FetchError, FetchErrorClass, Fetched, PostBody};
use bytes::Bytes;
use url::Url;

impl Transport<'_> {
    /// POST `post` to `url` as a page's script does (a pager that asks for
    /// its next page): one request, its redirect not followed, under the
    /// same address guard, politeness and retries as a GET.
    pub async fn submit(
        &self,
        url: &Url,
        post: &PostBody,
        retries: u32,
    ) -> Result<Fetched, FetchError> {
        let url = normalise(url);
        if let Err(refused) = self.guard.check_url(&url) {
            return Err(error(
                FetchErrorClass::ForbiddenAddress,
                refused.to_string(),
                &url,
            ));
        }
        let (raw, tls_unverified) = self
            .request(&url, &[], Some(post), retries)
            .await
            .map_err(|f| f.into_error(&url))?;
        Ok(Fetched {
            from_archive: false,
            revisit: None,
            posted: Some(post.clone()),
            rendered: None,
            requested: url.clone(),
            final_url: url,
            status: raw.status,
            headers: raw.headers,
            body: Bytes::from(raw.body),
            truncated: raw.truncated,
            hops: Vec::new(),
            fetched_at: raw.fetched_at,
            tls_unverified,
            remote_addr: raw.remote_addr,
        })
    }
}
