//! Documents served under more than one URL.
//!
//! The URL rules of `scope` catch the duplicates a link shows (a fragment,
//! a print view, a directory beside its `index.html`) before anything is
//! fetched. The rest only the answer shows: a column reachable under two
//! paths, the same "no entries yet" list under every empty column. The
//! first 2xx document of its kind is followed and audited; a later one
//! that is the same document is archived and logged as a duplicate of the
//! first, but not followed or audited again.
//!
//! The same document is the same bytes *read the same way*: equal SHA-256
//! and, once parsed, the same links. Bytes alone are not enough: a page
//! means what its URL makes of it. The Heilongjiang disclosure template
//! (`zfxxgk.shtml?tab=gfxwj`, `?tab=zfyjs`, …) is one file whose script
//! loads the list its `?tab=` names, and relative links resolve against
//! the page's own directory. So a copy is parsed (what the URL makes of
//! the bytes), and only the audit and the following of its links are
//! saved.
//!
//! The audit also reads some documents through the link that led to them:
//! an attachment or a data endpoint takes its title, date and column from
//! the linking page, a frame sits in its parent, a page without a title is
//! called what its link says. For those the link (its page, text, date and
//! kind) is part of the document: the same 401 JSON answer under two
//! columns' endpoints says that each column's list could not be read.
//! A titled page is judged partly by its link too (a section is the page
//! the link 政务公开 opens), so a copy whose link points at something
//! undecided more strongly than the first copy's link did is audited
//! again; its links, the same as the first copy's, are still not
//! followed.
//!
//! Never a duplicate: non-2xx answers, cut bodies, a recheck's earlier
//! evidence (it is what the recheck is about) and soft-404 answers (each
//! catch-all page speaks for the link that led to it).

use super::Site;
use crate::crawl::frontier::Queued;
use crate::crawl::scope::dedup_key;
use crate::crawl::Flow;
use crate::types::{Fetched, LinkOrigin, Page, PageKind, Visit};
use sha2::{Digest, Sha256};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use url::Url;

/// The first document of each kind read on one site, by body digest and
/// how it was read ([`reading`]).
#[derive(Default)]
pub(super) struct Bodies {
    first: HashMap<([u8; 32], u64), FirstCopy>,
}

struct FirstCopy {
    /// The URL it answered at.
    url: Url,
    /// The strongest priority of a link it was audited for.
    priority: f32,
}

/// What a response is to the crawl so far.
pub(super) enum Body {
    /// Not compared, or the first of its kind: followed and audited.
    New,
    /// Seen before, reached by a stronger link: audited again, not
    /// followed.
    Again,
    /// Seen before at this URL: archived and logged only.
    Duplicate(Url),
}

impl Body {
    /// Its links are to be followed (a first copy, or one not compared).
    pub(super) fn is_new(&self) -> bool {
        matches!(self, Body::New)
    }
}

/// What the page's URL made of its bytes: its links (by dedup key, so a
/// twin host reads the same) and the script requests it could not make;
/// and, for a document read through its link, that link.
fn reading(page: &Page, via: Option<&Queued>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    let untitled = page.title.trim().is_empty();
    let borrows = untitled || !matches!(page.kind, PageKind::Html | PageKind::Other);
    if let Some(q) = via.filter(|q| borrows || q.link.origin == LinkOrigin::Frame) {
        dedup_key(&q.parent).hash(&mut h);
        q.link.text.hash(&mut h);
        q.link.date.hash(&mut h);
        (q.link.origin as u8).hash(&mut h);
    }
    for link in &page.links {
        match link.url.scheme() {
            "http" | "https" => dedup_key(&link.url).hash(&mut h),
            _ => link.url.as_str().hash(&mut h),
        }
        (link.origin as u8).hash(&mut h);
    }
    page.script_gaps.hash(&mut h);
    page.unfollowable_pages.hash(&mut h);
    for script in &page.app_scripts {
        script.as_str().hash(&mut h);
    }
    h.finish()
}

impl Site<'_> {
    /// Compare a judged response with the documents read so far and
    /// remember it. A 2xx document that is not a soft 404 also stands for
    /// the URLs naming it (its directory, its index file). `via` is the
    /// queued link it answered (`None` for the homepage).
    pub(super) fn compare_body(
        &mut self,
        f: &Fetched,
        page: &Page,
        soft_404: bool,
        via: Option<&Queued>,
    ) -> Body {
        if !(200..300).contains(&f.status) || soft_404 {
            return Body::New;
        }
        self.frontier.mark_document(&f.final_url);
        if f.truncated {
            return Body::New;
        }
        let key = (Sha256::digest(&f.body).into(), reading(page, via));
        let priority = via.map_or(f32::MAX, |q| q.priority);
        let evidence = via.is_some_and(|q| q.link.origin == LinkOrigin::Evidence);
        let first = match self.bodies.first.entry(key) {
            Entry::Vacant(v) => {
                v.insert(FirstCopy {
                    url: f.final_url.clone(),
                    priority,
                });
                return Body::New;
            }
            Entry::Occupied(o) => o.into_mut(),
        };
        if evidence || priority > first.priority {
            first.priority = first.priority.max(priority);
            Body::Again
        } else {
            Body::Duplicate(first.url.clone())
        }
    }

    /// A response that is the document at `first` again: handed on to be
    /// archived and logged, not audited or followed.
    pub(super) fn duplicate(
        &mut self,
        item: Queued,
        fetched: Fetched,
        page: Page,
        first: &Url,
    ) -> Flow {
        tracing::debug!(url = %fetched.final_url, %first, "the same document as an earlier page");
        self.outcome.pages_fetched += 1;
        self.outcome.duplicates += 1;
        let visit = Visit {
            fetched,
            page,
            depth: item.depth,
            found_via: Some(item.link),
            parent: Some(item.parent),
            soft_404: false,
        };
        self.observer.on_duplicate(&visit, first);
        Flow::Continue
    }
}
