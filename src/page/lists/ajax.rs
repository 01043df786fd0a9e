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

use super::js::{
    enclosed, object_fields, scalar_literal, split_top, string_literal, without_comments, IDENT,
};
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// What the page's data requests come to.
#[derive(Debug, Default)]
struct Requests {
    /// GET URLs with their query built from the request's data.
    pub urls: Vec<Url>,
    /// Requests that could not be reproduced, described for a person.
    pub gaps: Vec<String>,
    /// URL literals used by requests that carry data: fetched bare they
    /// return some default list, not this page's, so nobody should.
    pub with_data: HashSet<String>,
}

static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\$|\bjQuery)\s*\.\s*(ajax|get|getJSON|post)\s*\(|\baxios\s*\.\s*(get|post)\s*\(|\b(fetch)\s*\(",
    )
    .unwrap()
});
static GETTER_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(?:[\w$]+\.)?\w+\s*\(\s*["']([\w-]+)["']\s*\)$"#).unwrap());
static ENCODER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:encodeURIComponent|encodeURI|escape|String|Number|parseInt)\s*\(([\s\S]*)\)$")
        .unwrap()
});

/// Request parameters that select a page of a list; when their value is
/// computed, the first page is what a visitor sees.
pub(super) fn is_page_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "page",
        "pageno",
        "pagenum",
        "pagenumber",
        "pageindex",
        "curpage",
        "currentpage",
        "current",
        "nowpage",
        "cpage",
        "pn",
        "p",
    ]
    .contains(&key.as_str())
}

/// The script's data requests, as script links; the ones it cannot
/// reproduce as gaps.
pub(super) fn read(script: &Script, found: &mut Found) {
    let requests = requests(
        script.code,
        script.page_url,
        script.params,
        &script.query_vars,
    );
    for url in requests.urls {
        found.link(url, LinkOrigin::Script, String::new());
    }
    found.gaps.extend(requests.gaps);
    found.with_data.extend(requests.with_data);
}

/// The page's data requests. `params` are the page URL's own query values
/// and `query_vars` the script variables read from them (`var tab =
/// getQueryString('tab')` → `tab` → `tab`).
fn requests(
    code: &str,
    page_url: &Url,
    params: &HashMap<String, String>,
    query_vars: &HashMap<String, String>,
) -> Requests {
    let code = &without_comments(code);
    let scope = Scope {
        code,
        params,
        query_vars,
    };
    let mut found = Requests::default();
    for call in CALL.captures_iter(code) {
        let whole = call.get(0).expect("match");
        let Some(args) = enclosed(code, whole.end() - 1) else {
            continue;
        };
        let args = split_top(args, b',');
        let method = call
            .get(1)
            .or(call.get(2))
            .or(call.get(3))
            .map_or("", |m| m.as_str());
        let Some(request) = scope.request(method, call.get(2).is_some(), &args) else {
            continue;
        };
        let Some(literal) = scope.url_literal(request.url) else {
            if scope.unreadable_url(request.url) {
                found.gaps.push(format!(
                    "{}: its URL is built at run time",
                    shorten(request.url)
                ));
            }
            continue;
        };
        let Some(mut url) = resolve(page_url, &literal).filter(|u| same_host(u, page_url)) else {
            continue;
        };
        let data = request.data.map(|d| scope.data(d));
        if request.data.is_some() {
            found.with_data.insert(literal.clone());
        }
        match data {
            Some(Err(why)) => {
                found.gaps.push(format!("{literal}: {why}"));
                continue;
            }
            Some(Ok(pairs)) if !pairs.is_empty() => {
                let mut query = url.query_pairs_mut();
                for (k, v) in &pairs {
                    query.append_pair(k, v);
                }
            }
            _ => {}
        }
        if request.post {
            found
                .gaps
                .push(format!("{literal}: a POST request, tried as a GET"));
        }
        found.urls.push(url);
    }
    found
}

struct Request<'a> {
    url: &'a str,
    data: Option<&'a str>,
    post: bool,
}

struct Scope<'a> {
    code: &'a str,
    params: &'a HashMap<String, String>,
    query_vars: &'a HashMap<String, String>,
}

impl<'a> Scope<'a> {
    /// URL, data and method of one call, from its argument list.
    fn request(&self, method: &str, axios: bool, args: &[&'a str]) -> Option<Request<'a>> {
        let first = *args.first()?;
        if method == "ajax" {
            let (settings, url) = if first.starts_with('{') {
                let fields = object_fields(first)?;
                (fields.clone(), lookup(&fields, "url")?)
            } else {
                let fields = args
                    .get(1)
                    .filter(|a| a.starts_with('{'))
                    .and_then(|a| object_fields(a))
                    .unwrap_or_default();
                (fields, first)
            };
            let verb = lookup(&settings, "type")
                .or_else(|| lookup(&settings, "method"))
                .and_then(string_literal)
                .unwrap_or_default();
            return Some(Request {
                url,
                data: lookup(&settings, "data"),
                post: verb.eq_ignore_ascii_case("post"),
            });
        }
        let second = args.get(1).copied();
        if method == "fetch" {
            // fetch(url, {method: 'POST', body: …}): the query is in the URL.
            let verb = second
                .and_then(object_fields)
                .and_then(|fields| lookup(&fields, "method").and_then(string_literal))
                .unwrap_or_default();
            return Some(Request {
                url: first,
                data: None,
                post: verb.eq_ignore_ascii_case("post"),
            });
        }
        let data = if axios {
            // axios.get(url, {params: {...}}); axios.post(url, body)
            match (method, second) {
                ("get", Some(config)) => {
                    object_fields(config).and_then(|fields| lookup(&fields, "params"))
                }
                (_, body) => body,
            }
        } else {
            second.filter(|d| d.starts_with('{') || self.object_of(d).is_some())
        };
        Some(Request {
            url: first,
            data,
            post: method == "post",
        })
    }

    /// The URL when it is string literals and variables holding them,
    /// joined by `+` (`base + file`, `var file = 'jy' + '_list.html'`).
    fn url_literal(&self, expr: &str) -> Option<String> {
        self.url_expression(expr, 0)
    }

    fn url_expression(&self, expr: &str, depth: u8) -> Option<String> {
        let mut url = String::new();
        for piece in split_top(expr, b'+') {
            let value = match string_literal(piece) {
                Some(text) => text,
                // `'?tab=' + tab`: the value of a query key, as for `data`.
                None if url.ends_with('=') => {
                    let key = url[..url.len() - 1]
                        .rsplit(['?', '&'])
                        .next()
                        .unwrap_or_default();
                    let value = self.value(key, piece)?;
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
                }
                None if depth < 3 && IDENT.is_match(piece) => self.variable(piece, depth)?,
                None => return None,
            };
            url.push_str(&value);
        }
        (!url.is_empty()).then_some(url)
    }

    /// A variable in a request URL: the page's own query value it reads
    /// (`var tab = getParam('tab') || 'fdzdgknr'`, its default when the
    /// page has none), what it is assigned, or 1 for a page counter.
    fn variable(&self, name: &str, depth: u8) -> Option<String> {
        let from_query = self
            .query_vars
            .get(name)
            .and_then(|key| self.params.get(key))
            .cloned();
        from_query
            .or_else(|| {
                let assigned = self.assigned_expression(name)?;
                let fallback = assigned.rsplit("||").next().unwrap_or(&assigned);
                self.url_expression(&assigned, depth + 1)
                    .or_else(|| string_literal(fallback))
            })
            // `loadPage(n)`: a page number, as in a query key.
            .or_else(|| (name == "n" || is_page_key(name)).then(|| "1".to_string()))
    }

    /// Whether a request URL the page builds at run time cannot be
    /// reproduced: pieces that are not literals, or a variable assigned
    /// something computed. A bare parameter of a helper function is not
    /// a request of this page.
    fn unreadable_url(&self, expr: &str) -> bool {
        let expr = expr.trim();
        if string_literal(split_top(expr, b'+').first().copied().unwrap_or_default()).is_some() {
            return false; // `'/api/' + tab + '.json'`: the concatenation reader's
        }
        expr.contains('+') || self.assigned_expression(expr).is_some()
    }

    /// The expression first assigned to variable `name`, up to the end of
    /// its statement.
    fn assigned_expression(&self, name: &str) -> Option<String> {
        let pattern = Regex::new(&format!(
            r#"(?:^|[^\w$.]){}\s*=\s*([^=;\n][^;\n]*)"#,
            regex::escape(name)
        ))
        .ok()?;
        pattern.captures(self.code).map(|c| c[1].trim().to_string())
    }

    /// The query pairs of a request's `data`.
    fn data(&self, expr: &str) -> Result<Vec<(String, String)>, String> {
        let expr = expr.trim();
        if let Some(text) = string_literal(expr) {
            return Ok(
                url::form_urlencoded::parse(text.trim_start_matches('?').as_bytes())
                    .into_owned()
                    .collect(),
            );
        }
        let object = if expr.starts_with('{') {
            expr
        } else if IDENT.is_match(expr) {
            self.object_of(expr)
                .ok_or_else(|| format!("its data `{expr}` is not declared in the page"))?
        } else {
            return Err(format!(
                "its data is built at run time (`{}`)",
                shorten(expr)
            ));
        };
        let fields = object_fields(object)
            .ok_or_else(|| format!("its data object could not be read (`{}`)", shorten(object)))?;
        fields
            .iter()
            .map(|(key, value)| {
                self.value(key, value)
                    .map(|v| (key.clone(), v))
                    .ok_or_else(|| {
                        format!(
                            "the value of `{key}` is known only at run time ({})",
                            shorten(value)
                        )
                    })
            })
            .collect()
    }

    /// One data value: a literal, a variable holding one, the page's own
    /// query value, or the first page for a computed page number.
    fn value(&self, key: &str, expr: &str) -> Option<String> {
        let expr = expr.trim();
        if let Some(inner) = ENCODER.captures(expr) {
            return self.value(key, &inner[1]);
        }
        let direct = scalar_literal(expr)
            .or_else(|| {
                let name = self.query_vars.get(expr).map(String::as_str).or_else(|| {
                    GETTER_CALL
                        .captures(expr)
                        .map(|c| c.get(1).expect("group").as_str())
                })?;
                self.params.get(name).cloned()
            })
            .or_else(|| {
                IDENT
                    .is_match(expr)
                    .then(|| self.assigned(expr))
                    .flatten()
                    .and_then(|v| scalar_literal(&v))
            });
        direct.or_else(|| is_page_key(key).then(|| "1".to_string()))
    }

    /// The object literal assigned to `name` (`var params = {…}`).
    fn object_of(&self, name: &str) -> Option<&'a str> {
        let pattern =
            Regex::new(&format!(r"(?:^|[^\w$.]){}\s*=\s*\{{", regex::escape(name))).ok()?;
        let m = pattern.find(self.code)?;
        let open = m.end() - 1;
        enclosed(self.code, open).map(|inner| &self.code[open..open + inner.len() + 2])
    }

    /// The first value assigned to variable `name`, as written.
    fn assigned(&self, name: &str) -> Option<String> {
        let pattern = Regex::new(&format!(
            r#"(?:^|[^\w$.]){}\s*=\s*("[^"\n]*"|'[^'\n]*'|-?\d+(?:\.\d+)?|true|false)"#,
            regex::escape(name)
        ))
        .ok()?;
        pattern.captures(self.code).map(|c| c[1].to_string())
    }
}

fn lookup<'a>(fields: &[(String, &'a str)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// Whether `url` is on the page's host, `www.` or not.
pub(super) fn same_host(url: &Url, page_url: &Url) -> bool {
    let bare = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    bare(url) == bare(page_url)
}

fn shorten(expr: &str) -> String {
    let flat: String = expr.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        flat.chars().take(57).chain("...".chars()).collect()
    } else {
        flat
    }
}

#[cfg(test)]
mod tests;
