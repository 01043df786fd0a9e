//! The priority frontier of one site.
//!
//! A focused crawl visits the links that most point at undecided items
//! first: highest priority, then shallowest, then first found. A link found
//! again with a higher priority is queued again; the visited set drops the
//! stale copy when it comes up.
//!
//! A priority says what was undecided when the link was found. Items are
//! decided as the crawl goes, so [`Frontier::pop_current`] asks again when
//! a link comes up and puts it back in its place when the answer changed:
//! links towards an item that has passed since no longer go before the
//! ones towards an item still open.
//!
//! URLs are told apart by their dedup key (see `scope`): a link whose key
//! was visited is not queued again. A directory and its index file have
//! keys of their own until one of them answers with a document
//! ([`Frontier::mark_document`]); then the other counts as visited too.

use super::scope::{dedup_key, same_document_keys};
use crate::types::Link;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use url::Url;

/// A link waiting to be fetched.
#[derive(Debug, Clone)]
pub struct Queued {
    /// The link, its URL normalised.
    pub link: Link,
    /// The page the link was found on.
    pub parent: Url,
    /// Links followed from the homepage to reach it, a list's later pages
    /// counting as the list itself (see `list_pages`).
    pub depth: u32,
    /// Pager hops from the list's first page: a list's pages are one hop
    /// from the list however deep their pager buries them.
    pub list_pages: u32,
    /// How strongly it points at something undecided; highest first.
    pub priority: f32,
}

struct Entry {
    item: Queued,
    key: String,
    seq: u64,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap pops the greatest: higher priority, then lower depth,
        // then earlier discovery.
        self.item
            .priority
            .total_cmp(&other.item.priority)
            .then_with(|| other.item.depth.cmp(&self.item.depth))
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The links waiting to be fetched, best first, and the URLs already seen.
#[derive(Default)]
pub struct Frontier {
    heap: BinaryHeap<Entry>,
    /// Best priority each queued key was pushed with.
    queued: HashMap<String, f32>,
    visited: HashSet<String>,
    seq: u64,
}

impl Frontier {
    /// Queue a link. Negative priorities are not queued; a link already
    /// visited, or queued with at least this priority, is not queued again.
    /// Returns whether it was queued.
    pub fn push(&mut self, item: Queued) -> bool {
        if item.priority < 0.0 || item.priority.is_nan() {
            return false;
        }
        let key = dedup_key(&item.link.url);
        if self.visited.contains(&key) {
            return false;
        }
        if let Some(best) = self.queued.get(&key) {
            if *best >= item.priority {
                return false;
            }
        }
        self.queued.insert(key.clone(), item.priority);
        self.seq += 1;
        self.heap.push(Entry {
            item,
            key,
            seq: self.seq,
        });
        true
    }

    /// The next link not yet visited; it is marked visited.
    pub fn pop(&mut self) -> Option<Queued> {
        while let Some(entry) = self.heap.pop() {
            if self.visited.insert(entry.key.clone()) {
                self.queued.remove(&entry.key);
                return Some(entry.item);
            }
        }
        None
    }

    /// The next link not yet visited whose priority is still what
    /// `rescore` says now (`None`: it cannot tell, keep it); a link whose
    /// priority changed goes back in its new place first. The state behind
    /// `rescore` does not change during the call, so each link is put back
    /// at most once per call. The link returned is marked visited.
    pub fn pop_current(
        &mut self,
        mut rescore: impl FnMut(&Queued) -> Option<f32>,
    ) -> Option<Queued> {
        while let Some(mut entry) = self.heap.pop() {
            if self.visited.contains(&entry.key) {
                continue;
            }
            match rescore(&entry.item) {
                Some(now) if now != entry.item.priority && !now.is_nan() => {
                    entry.item.priority = now;
                    self.queued.insert(entry.key.clone(), now);
                    self.heap.push(entry);
                }
                _ => {
                    self.visited.insert(entry.key.clone());
                    self.queued.remove(&entry.key);
                    return Some(entry.item);
                }
            }
        }
        None
    }

    /// Mark a URL visited (the homepage, a redirect target) so it is not
    /// fetched again.
    pub fn mark_visited(&mut self, url: &Url) {
        self.visited.insert(dedup_key(url));
    }

    /// `url` answered with a document (2xx, not a soft 404): the URLs
    /// naming the same document (`/a/` for `/a/index.html`, and the other
    /// way round) are not fetched; a queued one is dropped when it comes up.
    pub fn mark_document(&mut self, url: &Url) {
        for key in same_document_keys(url) {
            self.queued.remove(&key);
            self.visited.insert(key);
        }
    }

    /// How many distinct URLs wait in the queue.
    pub fn queued_count(&self) -> usize {
        self.queued.len()
    }

    /// The URL was visited or is queued.
    pub fn is_known(&self, url: &Url) -> bool {
        let key = dedup_key(url);
        self.visited.contains(&key) || self.queued.contains_key(&key)
    }

    /// Everything still queued, once per URL, best first; the frontier is
    /// left empty.
    pub fn drain(&mut self) -> Vec<Queued> {
        let mut out = Vec::new();
        while let Some(item) = self.pop() {
            out.push(item);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::LinkOrigin;

    fn q(url: &str, priority: f32, depth: u32) -> Queued {
        Queued {
            link: Link {
                url: Url::parse(url).unwrap(),
                text: String::new(),
                context: String::new(),
                section: String::new(),
                date: None,
                origin: LinkOrigin::Anchor,
            },
            parent: Url::parse("http://a.cn/").unwrap(),
            depth,
            list_pages: 0,
            priority,
        }
    }

    fn order(f: &mut Frontier) -> Vec<String> {
        f.drain()
            .into_iter()
            .map(|i| i.link.url.path().to_string())
            .collect()
    }

    #[test]
    fn priority_then_depth_then_discovery() {
        let mut f = Frontier::default();
        assert!(f.push(q("http://a.cn/low", 0.0, 1)));
        assert!(f.push(q("http://a.cn/deep", 5.0, 3)));
        assert!(f.push(q("http://a.cn/shallow", 5.0, 1)));
        assert!(f.push(q("http://a.cn/shallow2", 5.0, 1)));
        assert!(f.push(q("http://a.cn/top", 9.0, 4)));
        assert!(!f.push(q("http://a.cn/never", -1.0, 1)));
        assert_eq!(
            order(&mut f),
            ["/top", "/shallow", "/shallow2", "/deep", "/low"]
        );
    }

    #[test]
    fn a_link_whose_priority_changed_goes_back_in_its_new_place() {
        let mut f = Frontier::default();
        f.push(q("http://a.gov.cn/passed-item", 5.0, 1));
        f.push(q("http://a.gov.cn/open-item", 3.0, 1));
        f.push(q("http://a.gov.cn/unknown-parent", 4.0, 1));
        let now = |item: &Queued| match item.link.url.path() {
            "/passed-item" => Some(0.0),
            "/open-item" => Some(3.0),
            _ => None,
        };
        let order: Vec<String> = std::iter::from_fn(|| f.pop_current(now))
            .map(|item| format!("{} {}", item.link.url.path(), item.priority))
            .collect();
        assert_eq!(
            order,
            ["/unknown-parent 4", "/open-item 3", "/passed-item 0"],
            "a link is asked again when it comes up"
        );
    }

    #[test]
    fn requeue_on_higher_priority_and_dedup() {
        let mut f = Frontier::default();
        f.mark_visited(&Url::parse("https://www.a.cn/").unwrap());
        assert!(f.is_known(&Url::parse("http://a.cn/").unwrap()));
        assert!(!f.push(q("http://a.cn/", 1.0, 1)));
        assert!(f.push(q("http://a.cn/x", 0.0, 1)));
        assert!(f.push(q("http://a.cn/y", 1.0, 1)));
        assert!(!f.push(q("https://www.a.cn/x#frag", 0.0, 2)));
        assert!(f.push(q("https://www.a.cn/x", 2.0, 2)));
        assert_eq!(order(&mut f), ["/x", "/y"]);
        assert!(f.pop().is_none());
        assert!(!f.push(q("http://a.cn/x", 7.0, 1)));
    }
}
