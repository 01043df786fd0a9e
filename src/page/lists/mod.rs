//! List readers: the rows and pages of lists that only exist once a page's
//! scripts run.
//!
//! County CMSs rarely print a whole list in the markup. TRS prints its
//! pager with `createPageHTML(count, current, "index", "html")`; Hanweb
//! ships the first records as a datastore and fetches the rest through
//! `dataproxy.jsp`; the Heilongjiang platform's disclosure template fetches
//! its list from a URL the script builds out of the `tab` query parameter;
//! others load JSON with `$.ajax`, set a frame's address, print rows with
//! `document.write`, or pack the whole script. Without a browser, the
//! crawler reads those scripts here, one file per mechanism:
//!
//! - [`create_page_html`]: TRS pagers;
//! - [`jpage`]: Hanweb datastores and record groups;
//! - [`ajax`]: `$.ajax`/`$.get`/`fetch`/`axios` requests rebuilt as GETs;
//! - [`endpoints`]: data URLs in string literals and concatenations;
//! - [`json`]: the rows and further pages of a JSON list response;
//! - [`frames`]: frames whose address a script sets;
//! - [`docwrite`]: rows printed with `document.write`;
//! - [`navfns`]: navigation functions behind `onclick` links;
//! - [`packed`]: scripts packed with Dean Edwards' packer;
//! - [`rendered`]: pages drawn in the browser by the site's own scripts;
//! - [`postback`]: pagers no link reaches.
//!
//! Scripts are parsed, not pattern-matched: [`js`] reads each one with a
//! JavaScript parser into the calls, assignments and strings the readers
//! ask about, and folds constant expressions (`var base = '/x/'; base +
//! 'list.json'`). [`PageScripts`] parses a page's inline scripts once
//! (unpacking packed ones) for every reader; [`read_scripts`] is the hub:
//! it runs every reader of [`SCRIPT_READERS`] over each script, then looks
//! for frames the scripts address, and merges what they find in that
//! order. `html` calls the readers that work on the markup before it is
//! parsed (`jpage`, `docwrite`) or on the links (`navfns`, `postback`,
//! `rendered`) itself.
//!
//! To add a CMS's list mechanism: add one file with a function
//! `pub(super) fn read(script: &Script, found: &mut Found)` that adds the
//! links ([`Found::link`]) and gaps it finds, declare the module below, and
//! add one line to [`SCRIPT_READERS`].
//!
//! Readers use [`script`] (the script and the findings), [`js`] (the
//! parsed script and its folding), a few helpers of each other (`ajax::same_host`,
//! `candidates`) and the leaves of `page` (`links::resolve`, `dom`);
//! none imports the hub, `html` or `links::extract`.

mod ajax;
mod candidates;
mod create_page_html;
pub(super) mod docwrite;
mod endpoints;
mod frames;
pub(super) mod jpage;
pub(super) mod js;
pub(super) mod json;
pub(super) mod navfns;
mod packed;
mod page_scripts;
pub(super) mod postback;
pub(super) mod rendered;
mod script;

use crate::types::{Link, LinkOrigin};
use js::fold::Folder;
pub(crate) use page_scripts::PageScripts;
use scraper::Html;
use script::{Found, Script};
use std::collections::HashMap;
use url::Url;

/// A reader of one inline script: adds the links and gaps it finds.
type ScriptReader = fn(&Script, &mut Found);

/// The per-script readers, in the order their links are listed. Readers
/// that mark the requests which send data (jpage, ajax) come before the
/// endpoint reader, which leaves those URLs alone.
const SCRIPT_READERS: &[ScriptReader] = &[
    create_page_html::read,
    jpage::read,
    ajax::read,
    endpoints::read,
];

/// What a page's inline scripts would load.
#[derive(Debug, Default)]
pub(crate) struct Scripted {
    /// Pager pages and data endpoints, not repeating the page's own links.
    pub links: Vec<Link>,
    /// Lists that could not be read (a request not reproducible, a frame's
    /// computed address), described for a person.
    pub gaps: Vec<String>,
    /// The headings under which such a request's script stands (`教育` on
    /// a page with one section per domain): the lists it names were never
    /// read.
    pub gap_sections: Vec<String>,
    /// External scripts of the site's own (not a well-known library): they
    /// may build content the crawler never sees.
    pub app_scripts: Vec<Url>,
    /// More links than the readers list for one page were found: the rest
    /// were dropped.
    pub dropped_links: bool,
}

/// Pager and script links of the page's inline scripts; URLs already in
/// `known` are not repeated.
pub(crate) fn read_scripts(
    doc: &Html,
    scripts: &PageScripts,
    page_url: &Url,
    known: &[Link],
) -> Scripted {
    let params: HashMap<String, String> = page_url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let tree_ids = script::tree_ids(doc);
    let mut found = Found::new(known);
    let mut gap_sections = Vec::new();
    let mut read_scripts = Vec::new();
    for page_script in &scripts.scripts {
        let code = &page_script.code;
        found.with_data.clear();
        let gaps_before = found.gaps.len();
        if page_script.unread_loader {
            let why = code.unreadable.as_deref().unwrap_or_default();
            found
                .gaps
                .push(format!("a script could not be read: {why}"));
        }
        let folder = Folder::new(code, &params);
        let script = Script::new(code, folder, scripts, page_url, &tree_ids);
        for read in SCRIPT_READERS {
            read(&script, &mut found);
        }
        if found.gaps.len() > gaps_before && !page_script.heading.is_empty() {
            gap_sections.push(page_script.heading.clone());
        }
        read_scripts.push(script);
    }
    let frames = frames::scripted(doc, page_url, &read_scripts);
    for url in frames.urls {
        found.link(url, LinkOrigin::Frame, String::new());
    }
    found.gaps.extend(frames.gaps);
    Scripted {
        dropped_links: found.dropped,
        links: found.links,
        gaps: found.gaps,
        gap_sections,
        app_scripts: rendered::app_scripts(doc, page_url),
    }
}

#[cfg(test)]
mod tests;
