//! Data requests a list script makes, reproduced as plain GET URLs.
//!
//! Many county CMSs render their lists in the browser:
//! `$.ajax({url: '/api/list.json', data: {channelId: 123, page: 1}})`,
//! `$.getJSON(url, {page: 1})`, or `data: params` with the object declared
//! elsewhere in the script. jQuery sends `data` as a query string in the
//! object's order, so the crawler can make the same request. A request it
//! cannot reproduce (a value known only at run time, a JSON body) is
//! reported as a gap, so the audit knows that list was never read and no
//! item is failed on its account.

use super::candidates;
use super::js::fold::{is_page_counter, is_page_key, Folder, Piece};
use super::js::{Call, Expr, Function};
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use std::collections::HashSet;
use url::Url;

/// What the page's data requests come to.
#[derive(Debug, Default)]
struct Requests {
    /// GET URLs with their query built from the request's data, each with
    /// the label of the element whose click makes it (empty when none).
    pub urls: Vec<(Url, String)>,
    /// Requests that could not be reproduced, described for a person.
    pub gaps: Vec<String>,
    /// URL literals used by requests that carry data: fetched bare they
    /// return some default list, not this page's, so nobody should.
    pub with_data: HashSet<String>,
}

/// The calls that make a request: jQuery's, axios's and `fetch`.
const REQUEST_CALLS: &[&str] = &[
    "$.ajax",
    "$.get",
    "$.getJSON",
    "$.post",
    "jQuery.ajax",
    "jQuery.get",
    "jQuery.getJSON",
    "jQuery.post",
    "axios.get",
    "axios.post",
];

/// The script's data requests, as script links; the ones it cannot
/// reproduce as gaps.
pub(super) fn read(script: &Script, found: &mut Found) {
    let requests = requests(script);
    for (url, label) in requests.urls {
        found.link(url, LinkOrigin::Script, label);
    }
    found.gaps.extend(requests.gaps);
    found.with_data.extend(requests.with_data);
}

/// What one request comes to.
enum Outcome {
    /// GET URLs, each with the URL literal it was built on and the name of
    /// the category it lists (empty when nothing names it).
    Urls(Vec<(Url, String, String)>),
    /// It cannot be reproduced; why, for a person.
    Gap(String),
    /// Not a request of this page (another host, a helper's parameter).
    Skip,
}

/// At most this many calls of one function are tried for its requests.
const MAX_CALL_SITES: usize = 40;

/// The script's data requests. A request inside a function whose URL or
/// data are the function's parameters is reproduced once per call of the
/// function the page makes (`getList('1205')` in the script or in an
/// `onclick`), named by the label a visitor clicks.
fn requests(script: &Script) -> Requests {
    let (code, folder) = (script.code, &script.folder);
    let mut found = Requests::default();
    for call in &code.calls {
        // Inside a function, its parameters hide the script's variables.
        let function = code.function_of(call);
        let inside = function.map(|f| folder.with_arguments(f, &[]));
        let scoped = inside.as_ref().unwrap_or(folder);
        let Some(request) = request(&call.callee, &call.args, scoped) else {
            continue;
        };
        if request.data.is_some() {
            // Fetched bare, its URL answers some default list.
            found.with_data.extend(url_text(request.url, scoped));
        }
        let mut outcome = reproduce(&request, scoped, script);
        let unread = !matches!(outcome, Outcome::Urls(_));
        if let Some(function) = function.filter(|f| unread && !f.name.is_empty()) {
            if per_call(script, call, function, &mut found) {
                outcome = Outcome::Skip;
            }
        }
        match outcome {
            Outcome::Urls(urls) => {
                for (url, literal, name) in urls {
                    record(&mut found, &request, url, literal, name);
                }
            }
            Outcome::Gap(why) => found.gaps.push(why),
            Outcome::Skip => {}
        }
    }
    found
}

/// Reproduces the request `call` makes inside `function` once per call
/// of the function the page makes, its script's own and its handlers'
/// (named by the label a visitor clicks); whether any was.
fn per_call(script: &Script, call: &Call, function: &Function, found: &mut Requests) -> bool {
    let handler_calls = script.page.handler_calls(&function.name);
    let sites = script
        .code
        .calls_named(&function.name)
        .map(|site| (site.args.as_slice(), ""))
        .chain(
            handler_calls
                .iter()
                .map(|h| (h.call.args.as_slice(), h.label.as_str())),
        )
        .take(MAX_CALL_SITES);
    let mut reproduced = false;
    for (args, label) in sites {
        let inside = script.folder.with_arguments(function, args);
        let Some(request) = request(&call.callee, &call.args, &inside) else {
            continue;
        };
        if let Outcome::Urls(urls) = reproduce(&request, &inside, script) {
            for (url, literal, name) in urls {
                let name = if label.is_empty() {
                    name
                } else {
                    label.to_string()
                };
                record(found, &request, url, literal, name);
            }
            reproduced = true;
        }
    }
    reproduced
}

/// Adds a reproduced request.
fn record(found: &mut Requests, request: &Request, url: Url, literal: String, name: String) {
    if request.post {
        found
            .gaps
            .push(format!("{literal}: a POST request, tried as a GET"));
    }
    if request.data.is_some() {
        found.with_data.insert(literal);
    }
    found.urls.push((url, name));
}

/// One request as GET URLs, its values worked out by `folder`: one URL,
/// or one per id the page offers for a value it leaves open
/// (`"/gkmlpt/api/all/" + cid + ".json"`).
fn reproduce(request: &Request, folder: &Folder, script: &Script) -> Outcome {
    let literals = match url_text(request.url, folder) {
        Some(literal) => vec![(literal, String::new())],
        None => folder
            .pieces(request.url)
            .map(|pieces| candidates::filled_in(&pieces, script))
            .unwrap_or_default(),
    };
    if literals.is_empty() {
        return if unreadable_url(request.url, folder) {
            Outcome::Gap(format!(
                "{}: its URL is built at run time",
                request.url.describe()
            ))
        } else {
            Outcome::Skip
        };
    }
    let page_url = script.page_url;
    let mut urls = Vec::new();
    for (literal, name) in literals {
        let Some(mut url) = resolve(page_url, &literal).filter(|u| same_host(u, page_url)) else {
            continue;
        };
        match request.data.map(|d| data(d, folder)) {
            Some(Err(why)) => return Outcome::Gap(format!("{literal}: {why}")),
            Some(Ok(pairs)) if !pairs.is_empty() => {
                let mut query = url.query_pairs_mut();
                for (k, v) in &pairs {
                    query.append_pair(k, v);
                }
            }
            _ => {}
        }
        urls.push((url, literal, name));
    }
    if urls.is_empty() {
        Outcome::Skip
    } else {
        Outcome::Urls(urls)
    }
}

struct Request<'a> {
    url: &'a Expr,
    data: Option<&'a Expr>,
    post: bool,
}

/// URL, data and method of a call, when it makes a request.
fn request<'a>(callee: &Expr, args: &'a [Expr], folder: &Folder<'a>) -> Option<Request<'a>> {
    let path = callee.path().unwrap_or_default();
    let method = path.rsplit('.').next().unwrap_or_default();
    if !REQUEST_CALLS.contains(&path) && method != "fetch" {
        return None;
    }
    let first = args.first()?;
    let second = args.get(1);
    let verb = |settings: Option<&Expr>, key: &str| {
        settings
            .and_then(|s| s.field(key))
            .and_then(|v| folder.text(v))
            .is_some_and(|v| v.eq_ignore_ascii_case("post"))
    };
    let request = match method {
        "ajax" => {
            let (settings, url) = match first {
                Expr::Object(_) => (Some(first), first.field("url")?),
                url => (second.filter(|s| matches!(s, Expr::Object(_))), url),
            };
            Request {
                url,
                data: settings.and_then(|s| s.field("data")),
                post: verb(settings, "type") || verb(settings, "method"),
            }
        }
        // fetch(url, {method: 'POST', body: …}): the query is in the URL.
        "fetch" => Request {
            url: first,
            data: None,
            post: verb(second, "method"),
        },
        _ if path.starts_with("axios.") => Request {
            url: first,
            // axios.get(url, {params: {...}}); axios.post(url, body)
            data: if method == "get" {
                second.and_then(|config| config.field("params"))
            } else {
                second
            },
            post: method == "post",
        },
        _ => Request {
            url: first,
            data: second.filter(|d| folder.object(d).is_some()),
            post: method == "post",
        },
    };
    Some(request)
}

/// The request URL as text: literals, variables holding them, the page's
/// own query values, the default of a value the page does not set, and
/// the first page for a page counter (`loadPage(n)`, `'&pageNo=' + p`).
fn url_text(expr: &Expr, folder: &Folder) -> Option<String> {
    let mut url = String::new();
    for piece in folder.pieces(expr)? {
        match piece {
            Piece::Text(text) => url.push_str(&text),
            Piece::Hole(hole) => {
                let value = folder
                    .params()
                    .get(&hole.name)
                    .cloned()
                    .or_else(|| hole.default.clone())
                    .or_else(|| is_page_counter(&hole, &url).then(|| "1".to_string()))?;
                url.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
            }
        }
    }
    (!url.is_empty()).then_some(url)
}

/// Whether a request URL the page builds at run time cannot be
/// reproduced: pieces that are not literals, or a variable assigned
/// something computed. A bare parameter of a helper function is not a
/// request of this page.
fn unreadable_url(expr: &Expr, folder: &Folder) -> bool {
    match expr {
        Expr::Concat(_) => true,
        Expr::Path(name) => folder.is_assigned(name),
        _ => false,
    }
}

/// The query pairs of a request's `data`.
fn data(expr: &Expr, folder: &Folder) -> Result<Vec<(String, String)>, String> {
    if let Expr::Str(text) = expr {
        return Ok(
            url::form_urlencoded::parse(text.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect(),
        );
    }
    let Some(Expr::Object(fields)) = folder.object(expr) else {
        return Err(match expr {
            Expr::Path(name) => format!("its data `{name}` is not declared in the page"),
            _ => format!("its data is built at run time (`{}`)", expr.describe()),
        });
    };
    fields
        .iter()
        .map(|(key, value)| {
            data_value(key, value, folder)
                .map(|v| (key.clone(), v))
                .ok_or_else(|| {
                    format!(
                        "the value of `{key}` is known only at run time ({})",
                        value.describe()
                    )
                })
        })
        .collect()
}

/// One data value: a literal, a variable holding one, the page's own query
/// value or its default, or the first page for a computed page number.
fn data_value(key: &str, expr: &Expr, folder: &Folder) -> Option<String> {
    let pieces = folder.pieces(expr).unwrap_or_default();
    let known = match pieces.as_slice() {
        [Piece::Text(text)] => Some(text.clone()),
        [Piece::Hole(hole)] => folder
            .params()
            .get(&hole.name)
            .cloned()
            .or_else(|| hole.default.clone()),
        _ => None,
    };
    known.or_else(|| is_page_key(key).then(|| "1".to_string()))
}

/// Whether `url` is on the page's host, `www.` or not.
pub(super) fn same_host(url: &Url, page_url: &Url) -> bool {
    let bare = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    bare(url) == bare(page_url)
}

#[cfg(test)]
mod tests;
