//! The rubric's steering words, compiled once per site audit.
//!
//! Steering asks how strongly every link of every page points at each of
//! the 17 items, and coverage asks it again of every link not fetched. As
//! one substring search per word, per item, per link (with the leads
//! lower-cased and the URL decoded anew each time) that was nearly half the
//! CPU of a crawl. Here every word the relevance rules read (topic,
//! exclude and leads of each item, the leads lower-cased for URLs, the
//! generic leads, the unlikely sections, the service platforms) is one
//! pattern of one Aho–Corasick automaton: one pass over a text gives the
//! set of words it contains ([`Found`]), and each "the text contains one
//! of these words" of the rules becomes a set test ([`Found::any`]). A
//! link's text, column and URL are searched once ([`LinkWords`]), however
//! many items ask.
//!
//! The meaning is that of `text::contains_any`: substring matches, byte
//! for byte, empty words matching nothing; lower-casing only where the
//! rules lower-case (a URL and the leads looked for in it).

use super::text::{ends_with_any, normalise_title, title_core};
use crate::rubric::{Item, ItemKind, Rubric};
use crate::types::Link;
use aho_corasick::AhoCorasick;
use std::collections::HashMap;

/// The compiled words of one rubric.
pub(super) struct Vocab {
    matcher: AhoCorasick,
    /// `u64` blocks in a [`Found`] or [`WordSet`].
    blocks: usize,
    /// Per item, in rubric order.
    pub items: Vec<ItemWords>,
    /// The generic 政务公开 leads, as written (link text, column).
    pub generic: WordSet,
    /// The generic leads lower-cased, as looked for in a URL.
    pub generic_in_urls: WordSet,
    /// Words of sections that never hold rubric items.
    pub unlikely: WordSet,
    /// Names of service platforms (12345, 政务服务网).
    pub platforms: WordSet,
    /// Every item's topic words that are not generic leads: a document
    /// link whose text has one is about the items it names.
    pub own_topics: WordSet,
    /// The generic leads, longest first: what [`Vocab::list`] strips from a
    /// list's name.
    generic_longest_first: Vec<String>,
}

/// One item's word lists.
pub(super) struct ItemWords {
    /// Which detector judges it: what kind of title its entries need.
    pub kind: ItemKind,
    /// A report's or guide's title ends with one of these.
    pub title_ends: Vec<String>,
    /// Its topic words.
    pub topic: WordSet,
    /// Words that disqualify a title naming the topic.
    pub exclude: WordSet,
    /// Link words that lead towards it.
    pub leads: WordSet,
    /// The leads lower-cased, as looked for in a URL.
    pub url_leads: WordSet,
    /// The ASCII leads lower-cased that are not generic leads (`zfyjs`, not
    /// `zwgk`): a URL carrying one names this item's list.
    pub own_url_leads: WordSet,
}

/// A set of the vocabulary's words.
pub(super) struct WordSet(Box<[u64]>);

/// The vocabulary's words one text contains.
pub(super) struct Found(Box<[u64]>);

impl Found {
    /// The text contains one of the words of `set`.
    pub fn any(&self, set: &WordSet) -> bool {
        self.0.iter().zip(set.0.iter()).any(|(a, b)| a & b != 0)
    }
}

/// A link's text, column and URL (path and query, percent-decoded and
/// lower-cased), each searched once.
pub(super) struct LinkWords<'a> {
    /// The link itself.
    pub link: &'a Link,
    /// Words of its anchor text.
    pub text: Found,
    /// Words of the column it stands in.
    pub section: Found,
    /// Words of its URL.
    pub url: Found,
    /// A dated link's title, read as a list entry's; `None` for a link
    /// without a date.
    pub entry: Option<EntryWords>,
}

/// A dated list entry's title, normalised as titles are compared
/// (`text::normalise_title`).
pub(super) struct EntryWords {
    /// Neither cut short (「…」) nor too short to read as a title.
    pub readable: bool,
    /// Words of the title (empty when not readable).
    pub title: Found,
    /// Words of the title without its bracketed notes (`text::title_core`).
    pub core: Found,
    core_text: String,
}

impl EntryWords {
    /// The title's core ends with one of `words`.
    pub fn core_ends_with_any(&self, words: &[String]) -> bool {
        ends_with_any(&self.core_text, words)
    }
}

/// A list's name as the link that led to it, the generic 政务公开 words
/// taken out of its text and column.
pub(super) struct ListWords<'a> {
    /// Words of its text, generic words removed.
    pub text: Found,
    /// Words of its column, generic words removed.
    pub section: Found,
    /// Words of its URL.
    pub url: &'a Found,
}

impl Vocab {
    /// Compile `rubric`'s steering words.
    pub fn new(rubric: &Rubric) -> Vocab {
        let mut ids = Ids::default();
        let crawl = &rubric.crawl;
        let generic_lower = lower(&crawl.generic_leads);
        let mut items = Vec::with_capacity(rubric.items.len());
        for item in &rubric.items {
            items.push(ItemLists::of(item, &generic_lower, &mut ids));
        }
        let generic = ids.list(&crawl.generic_leads);
        let generic_in_urls = ids.list(&generic_lower);
        let unlikely = ids.list(&crawl.unlikely);
        let platforms = ids.list(&rubric.document.service_platforms);
        let own_topics: Vec<String> = rubric
            .items
            .iter()
            .flat_map(|i| i.topic.iter())
            .filter(|w| !crawl.generic_leads.contains(w))
            .cloned()
            .collect();
        let own_topics = ids.list(&own_topics);
        let blocks = ids.words.len().div_ceil(64).max(1);
        let set = |list: &[u32]| {
            let mut bits = vec![0u64; blocks];
            for &id in list {
                bits[id as usize / 64] |= 1 << (id % 64);
            }
            WordSet(bits.into_boxed_slice())
        };
        let mut generic_longest_first = crawl.generic_leads.clone();
        // Longest first, so 政府信息公开 goes before its 信息公开.
        generic_longest_first.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        Vocab {
            matcher: AhoCorasick::new(&ids.words).expect("a few hundred words compile"),
            blocks,
            items: items
                .iter()
                .zip(&rubric.items)
                .map(|(i, item)| ItemWords {
                    kind: item.kind,
                    title_ends: item.title_ends.clone(),
                    topic: set(&i.topic),
                    exclude: set(&i.exclude),
                    leads: set(&i.leads),
                    url_leads: set(&i.url_leads),
                    own_url_leads: set(&i.own_url_leads),
                })
                .collect(),
            generic: set(&generic),
            generic_in_urls: set(&generic_in_urls),
            unlikely: set(&unlikely),
            platforms: set(&platforms),
            own_topics: set(&own_topics),
            generic_longest_first,
        }
    }

    /// The vocabulary's words `text` contains.
    pub fn find(&self, text: &str) -> Found {
        let mut bits = vec![0u64; self.blocks];
        for m in self.matcher.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            bits[id / 64] |= 1 << (id % 64);
        }
        Found(bits.into_boxed_slice())
    }

    /// `link`'s words: its text, its column and its URL, each searched once.
    pub fn link<'a>(&self, link: &'a Link) -> LinkWords<'a> {
        LinkWords {
            link,
            text: self.find(&link.text),
            section: self.find(&link.section),
            url: self.find(&url_words(link)),
            entry: link.date.map(|_| self.entry(&link.text)),
        }
    }

    /// A list entry's title `text`, searched as a title.
    fn entry(&self, text: &str) -> EntryWords {
        let title = normalise_title(text);
        let cut = title.ends_with("...") || title.ends_with('…');
        if cut || title.chars().count() < 6 {
            return EntryWords {
                readable: false,
                title: self.find(""),
                core: self.find(""),
                core_text: String::new(),
            };
        }
        let core_text = title_core(&title);
        EntryWords {
            readable: true,
            title: self.find(&title),
            core: self.find(&core_text),
            core_text,
        }
    }

    /// The words naming the list `link` leads to, once the generic
    /// 政务公开 words are taken out of its text and column.
    pub fn list<'w>(&self, link: &'w LinkWords<'_>) -> ListWords<'w> {
        let strip = |text: &str| {
            self.generic_longest_first
                .iter()
                .fold(text.to_string(), |t, w| t.replace(w.as_str(), " "))
        };
        ListWords {
            text: self.find(&strip(&link.link.text)),
            section: self.find(&strip(&link.link.section)),
            url: &link.url,
        }
    }
}

/// Path and query, percent-decoded and lower-cased.
fn url_words(link: &Link) -> String {
    let raw = format!("{}?{}", link.url.path(), link.url.query().unwrap_or(""));
    if decoding_changes(&raw) {
        percent_decode(&raw).to_lowercase()
    } else {
        raw.to_lowercase()
    }
}

/// Whether [`percent_decode`] would change `s`: it has an escape or a
/// `+`, an empty `&`-separated piece (dropped), or a piece whose first `=`
/// ends it (`a=` becomes `a`). Most URLs have none and skip the decoding.
fn decoding_changes(s: &str) -> bool {
    s.contains(['%', '+'])
        || s.split('&')
            .any(|piece| piece.is_empty() || piece.find('=') == Some(piece.len() - 1))
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(s.replace('+', "%2B").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn lower(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

/// Word ids: one per distinct non-empty word, in order of first use.
#[derive(Default)]
struct Ids {
    words: Vec<String>,
    index: HashMap<String, u32>,
}

impl Ids {
    /// The ids of `words`, empty words left out (they match nothing).
    fn list(&mut self, words: &[String]) -> Vec<u32> {
        words
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| match self.index.get(w) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.words.len()).expect("fewer than 2^32 words");
                    self.words.push(w.clone());
                    self.index.insert(w.clone(), id);
                    id
                }
            })
            .collect()
    }
}

/// One item's word lists as ids, before the vocabulary's size is known.
struct ItemLists {
    topic: Vec<u32>,
    exclude: Vec<u32>,
    leads: Vec<u32>,
    url_leads: Vec<u32>,
    own_url_leads: Vec<u32>,
}

impl ItemLists {
    fn of(item: &Item, generic_lower: &[String], ids: &mut Ids) -> ItemLists {
        let url_leads = lower(&item.leads);
        let own_url_leads: Vec<String> = url_leads
            .iter()
            .filter(|l| l.is_ascii() && !generic_lower.contains(l))
            .cloned()
            .collect();
        ItemLists {
            topic: ids.list(&item.topic),
            exclude: ids.list(&item.exclude),
            leads: ids.list(&item.leads),
            url_leads: ids.list(&url_leads),
            own_url_leads: ids.list(&own_url_leads),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_left_undecoded_are_the_ones_decoding_keeps() {
        // Every string of up to six of these characters.
        let alphabet = ['a', '=', '&', '?', '/', '%', '+'];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            for raw in &longer {
                if !decoding_changes(raw) {
                    assert_eq!(&percent_decode(raw), raw);
                }
            }
            strings = longer;
        }
        assert!(!decoding_changes("/zwgk/ndbg/index.html?a=1&b=2"));
        assert!(decoding_changes("/%E5%B9%B4%E6%8A%A5/?"));
    }
}
