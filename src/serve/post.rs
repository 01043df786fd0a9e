//! `POST` endpoints of a fixture site (`[[post]]` in `_site.toml`).
//!
//! TRS "动静结合" lists and other script pagers write only their first pages
//! as HTML and fetch the rest with a `POST` whose body names a channel and a
//! page; the same URL refuses `GET` with 405. A fixture stands in for such an
//! endpoint with one static file per answer: the body's fields fill the
//! `{field}` placeholders of a file name under the site directory.

use super::{content_type, html_response, not_found, resolve, Site};
use bytes::Bytes;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One `[[post]]` table: `path` answers `POST` with the file `file`, its
/// `{name}` placeholders filled from the request body's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PostConfig {
    pub(super) path: String,
    pub(super) file: String,
}

/// The answer of a `[[post]]` endpoint: 405 unless `POST`, else the file
/// its body's fields name.
pub(super) async fn answer<B>(
    site: &Site,
    endpoint: &PostConfig,
    req: Request<B>,
) -> Response<Bytes>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    use http_body_util::BodyExt;
    let status_page = |code: StatusCode| {
        let body =
            format!("<html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>");
        html_response(code, body.into(), Some("utf-8"))
    };
    if req.method() != hyper::Method::POST {
        let mut resp = status_page(StatusCode::METHOD_NOT_ALLOWED);
        resp.headers_mut()
            .insert(hyper::header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    let declared = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let limited = http_body_util::Limited::new(req.into_body(), MAX_BODY);
    let Ok(body) = limited.collect().await.map(|b| b.to_bytes()) else {
        return status_page(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let fields = body_fields(declared.as_deref(), &body);
    let Some(file) = fill(&endpoint.file, &fields) else {
        return status_page(StatusCode::BAD_REQUEST);
    };
    match resolve(&site.dir, &format!("/{file}"), None) {
        Some(path) => match std::fs::read(&path) {
            Ok(bytes) => {
                let mut resp = Response::new(Bytes::from(bytes));
                let ct = content_type(&path, site.config.html_charset.as_deref());
                if let Ok(v) = HeaderValue::from_str(&ct) {
                    resp.headers_mut().insert(CONTENT_TYPE, v);
                }
                resp
            }
            Err(_) => not_found(site),
        },
        None => not_found(site),
    }
}

/// The largest request body read; longer bodies answer 413.
pub(super) const MAX_BODY: usize = 64 * 1024;

/// The fields of a request body: a JSON object (strings, numbers and
/// booleans kept as text) when the content type says JSON or the body starts
/// with `{`, else `application/x-www-form-urlencoded` pairs.
pub(super) fn body_fields(content_type: Option<&str>, body: &[u8]) -> BTreeMap<String, String> {
    let json = content_type.is_some_and(|t| t.contains("json"))
        || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if json {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else {
            return BTreeMap::new();
        };
        return map
            .into_iter()
            .filter_map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some((k, text))
            })
            .collect();
    }
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `template` with each `{name}` replaced by that field; `None` when a
/// field is missing or a value could name another directory (empty, `.`,
/// `..`, or holding a path separator, NUL or a brace).
pub(super) fn fill(template: &str, fields: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let value = fields.get(&rest[open + 1..close])?;
        let unsafe_value = value.is_empty()
            || value == "."
            || value == ".."
            || value.contains(['/', '\\', '\0', '{', '}']);
        if unsafe_value {
            return None;
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_json_bodies() {
        let form = body_fields(
            Some("application/x-www-form-urlencoded"),
            b"channelId=4812&page=3&q=%E5%B9%B4%E6%8A%A5",
        );
        assert_eq!(form["channelId"], "4812");
        assert_eq!(form["q"], "年报");
        let json = body_fields(None, br#" {"channelId": 4812, "page": "2", "x": [1]}"#);
        assert_eq!(json["channelId"], "4812");
        assert_eq!(json["page"], "2");
        assert!(!json.contains_key("x"));
        assert!(body_fields(Some("application/json"), b"[1]").is_empty());
    }

    #[test]
    fn placeholders_are_filled_and_never_escape() {
        let f: BTreeMap<String, String> = [("c", "4812"), ("p", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            fill("search/{c}/{p}.json", &f).as_deref(),
            Some("search/4812/3.json")
        );
        assert_eq!(fill("search/{c}/{missing}.json", &f), None);
        for bad in ["..", "", "a/b", "a\\b", "{p}"] {
            let mut g = f.clone();
            g.insert("p".into(), bad.into());
            assert_eq!(fill("s/{c}/{p}.json", &g), None, "{bad}");
        }
    }
}
