//! What the fixture server was asked, in order: tests check from it what a
//! crawler requested and when (the rate it kept, the methods it used).

use hyper::Request;
use std::sync::Mutex;
use std::time::Instant;

/// One request the fixture server received, for tests that check what a
/// crawler asked for and when.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// When it arrived.
    pub at: Instant,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query.
    pub target: String,
}

/// Requests remembered per site at most.
const MAX_SEEN: usize = 100_000;

/// Note `req` in `seen`, up to [`MAX_SEEN`].
pub(super) fn record<B>(seen: &Mutex<Vec<SeenRequest>>, req: &Request<B>) {
    let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
    if seen.len() < MAX_SEEN {
        seen.push(SeenRequest {
            at: Instant::now(),
            method: req.method().to_string(),
            target: req
                .uri()
                .path_and_query()
                .map_or_else(|| req.uri().path().to_string(), |p| p.to_string()),
        });
    }
}
