//! A page's inline scripts, parsed once for every list reader.
//!
//! The hub's per-script readers, the frame reader and the navigation
//! functions behind `onclick` links all read the same scripts; each is
//! parsed once here, a packed one as its unpacked text, with the heading
//! it stands under and whether it could not be read though it may load a
//! list.

use super::js::{self, Code};
use super::packed;
use crate::page::dom;
use scraper::Html;

/// Words of a script that loads or addresses something a list reader
/// follows: a script with one of them that could not be parsed may hold
/// a list nobody read.
const LOADING_WORDS: &[&str] = &[
    "ajax",
    "getJSON",
    "$.get",
    "$.post",
    "fetch",
    "axios",
    "XMLHttpRequest",
    "createPageHTML",
    "jpage",
    ".src",
    "location",
];

/// A page's inline scripts, each parsed once for every reader.
#[derive(Default)]
pub(crate) struct PageScripts {
    pub(super) scripts: Vec<PageScript>,
}

pub(super) struct PageScript {
    pub code: Code,
    /// The heading the script stands under (`教育`), empty when none.
    pub heading: String,
    /// It could not be read and may have loaded a list.
    pub unread_loader: bool,
}

impl PageScripts {
    /// The inline scripts of `doc`, packed ones read as their unpacked text.
    pub fn of(doc: &Html) -> PageScripts {
        let found: Vec<(String, String)> = doc
            .select(&dom::INLINE_SCRIPTS)
            .map(|s| (s.text().collect(), dom::section(s)))
            .collect();
        let texts: Vec<&str> = found.iter().map(|(text, _)| text.as_str()).collect();
        let codes = js::read_all(&texts);
        let scripts = codes
            .into_iter()
            .zip(found)
            .map(|(code, (text, heading))| {
                let code = match packed::unpack(&text, &code) {
                    Some(plain) => js::read(&plain),
                    None => code,
                };
                let unread_loader =
                    code.unreadable.is_some() && LOADING_WORDS.iter().any(|w| text.contains(w));
                PageScript {
                    code,
                    heading,
                    unread_loader,
                }
            })
            .collect();
        PageScripts { scripts }
    }

    /// The parsed scripts.
    pub(super) fn codes(&self) -> impl Iterator<Item = &Code> {
        self.scripts.iter().map(|s| &s.code)
    }
}
