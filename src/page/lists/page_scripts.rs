//! A page's inline scripts, parsed once for every list reader, and its
//! event handlers.
//!
//! The hub's per-script readers, the frame reader and the navigation
//! functions behind `onclick` links all read the same scripts; each is
//! parsed once here, a packed one as its unpacked text, with the heading
//! it stands under and whether it could not be read though it may load a
//! list. The handlers (`onclick="getList('1205')"`, `href="javascript:…"`)
//! are the calls a visitor makes: they are kept as text, with the label
//! the visitor clicks, and parsed only when a reader asks for the calls of
//! one function.

use super::js::fold::Folder;
use super::js::{self, Call, Code};
use super::packed;
use crate::page::{collapse, dom};
use scraper::{Html, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;

static HANDLERS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("[onclick], a[href^='javascript:'], a[href^='JavaScript:']")
        .expect("static selector")
});
/// Handlers kept per page, and the longest kept.
const MAX_HANDLERS: usize = 2_000;
const MAX_HANDLER_BYTES: usize = 2_048;
/// A label longer than this names no list.
const MAX_LABEL_CHARS: usize = 30;

/// Words of a script that loads a list: one with any of them that could
/// not be parsed may hold a list nobody read. (Not `location`: a broken
/// share button on every page must not keep every list open.)
const LOADING_WORDS: &[&str] = &[
    "ajax",
    "getJSON",
    "$.get",
    "$.post",
    "fetch(",
    "axios",
    "XMLHttpRequest",
    "createPageHTML",
    "jpage",
];

/// What a `<script>` element holds, by its `type`.
enum Language {
    JavaScript,
    Json,
    /// A template, a datastore or anything else no browser runs.
    Other,
}

impl Language {
    fn of(script_type: Option<&str>) -> Language {
        let Some(script_type) = script_type else {
            return Language::JavaScript;
        };
        let media = script_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            ""
            | "module"
            | "text/javascript"
            | "application/javascript"
            | "application/x-javascript"
            | "text/ecmascript"
            | "application/ecmascript"
            | "text/jscript"
            | "text/livescript" => Language::JavaScript,
            "application/json" | "application/ld+json" | "text/json" => Language::Json,
            _ => Language::Other,
        }
    }
}

/// A page's inline scripts, each parsed once for every reader.
#[derive(Default)]
pub(crate) struct PageScripts {
    pub(super) scripts: Vec<PageScript>,
    handlers: Vec<Handler>,
}

/// An event handler's code and the label of the element it is on.
struct Handler {
    code: String,
    label: String,
}

/// One call a visitor's click makes, parsed.
pub(super) struct HandlerCall {
    pub call: Call,
    /// What the visitor clicks (`规范性文件`), empty when it is long.
    pub label: String,
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
            .filter_map(|s| {
                let text: String = s.text().collect();
                let code = match Language::of(s.value().attr("type")) {
                    Language::JavaScript => text,
                    // A JSON data block read as the expression it is.
                    Language::Json => format!("({text})"),
                    Language::Other => return None,
                };
                Some((code, dom::section(s)))
            })
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
        let handlers = doc
            .select(&HANDLERS)
            .filter_map(|el| {
                let value = el.value();
                let code = value.attr("onclick").or_else(|| {
                    let href = value.attr("href")?;
                    let scheme = href.get(..11)?;
                    scheme
                        .eq_ignore_ascii_case("javascript:")
                        .then(|| &href[11..])
                })?;
                let label = collapse(&el.text().collect::<String>());
                let label = if label.chars().count() <= MAX_LABEL_CHARS {
                    label
                } else {
                    String::new()
                };
                (code.len() <= MAX_HANDLER_BYTES).then(|| Handler {
                    code: code.to_string(),
                    label,
                })
            })
            .take(MAX_HANDLERS)
            .collect();
        PageScripts { scripts, handlers }
    }

    /// The constant addresses the page's scripts send the browser to
    /// (`window.location.href = "/bas/index.shtml"`), in order: a stub
    /// homepage's way on.
    pub fn location_targets(&self) -> Vec<String> {
        let no_query = HashMap::new();
        let mut targets = Vec::new();
        for code in self.codes() {
            let folder = Folder::new(code, &no_query);
            for address in &code.location_changes {
                let target = folder.text(address).map(|t| t.trim().to_string());
                targets.extend(target.filter(|t| !t.is_empty()));
            }
        }
        targets
    }

    /// The calls of function `name` the page's handlers make.
    pub(super) fn handler_calls(&self, name: &str) -> Vec<HandlerCall> {
        let handlers: Vec<&Handler> = self
            .handlers
            .iter()
            .filter(|h| h.code.contains(name))
            .collect();
        let codes: Vec<&str> = handlers.iter().map(|h| h.code.as_str()).collect();
        js::read_all(&codes)
            .into_iter()
            .zip(handlers)
            .flat_map(|(code, handler)| {
                code.calls
                    .into_iter()
                    .filter(|call| call.callee.last_name() == Some(name))
                    .map(|call| HandlerCall {
                        call,
                        label: handler.label.clone(),
                    })
            })
            .collect()
    }

    /// The parsed scripts.
    pub(super) fn codes(&self) -> impl Iterator<Item = &Code> {
        self.scripts.iter().map(|s| &s.code)
    }
}
