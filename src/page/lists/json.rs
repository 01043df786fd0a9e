//! Entries of a JSON list endpoint as links.
//!
//! Script-rendered lists (the disclosure template's tabs, search-backed
//! columns) come from JSON whose shape differs by vendor. Rather than
//! knowing each shape, every object that carries both a URL-like and a
//! title-like field is read as one list row, with its date if it has one.

use super::js::fold::is_page_key;
use crate::page::{charset, collapse, dates, links::resolve};
use crate::types::{Link, LinkOrigin, Page};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;
use url::Url;

const URL_KEYS: &[&str] = &[
    "url",
    "link",
    "href",
    "path",
    "docurl",
    "linkurl",
    "fileurl",
    "art_url",
    "docpuburl",
    "puburl",
];
const TITLE_KEYS: &[&str] = &[
    "title",
    "name",
    "doctitle",
    "text",
    "subject",
    "filename",
    "showtitle",
];
const DATE_KEYS: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "publishtime",
    "time",
    "docreltime",
    "releasetime",
    "createtime",
    "pubtime",
    "docpubtime",
    "fbrq",
];
const SECTION_KEYS: &[&str] = &[
    "columnname",
    "channelname",
    "chnlname",
    "chnldesc",
    "catalogname",
    "lmmc",
    "typename",
];
const MAX_LINKS: usize = 5000;

static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());
static JSONP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$").unwrap());

/// Parse a JSON (or JSONP) body into `page`: one [`LinkOrigin::Data`] link
/// per entry, `text` the entry titles.
pub(crate) fn fill(page: &mut Page, content_type: Option<&str>, body: &[u8]) {
    let (text, charset) = charset::decode(content_type, body);
    page.charset = charset;
    let value: Value = match serde_json::from_str(text.trim()) {
        Ok(v) => v,
        Err(first) => match JSONP.captures(&text).map(|c| serde_json::from_str(&c[1])) {
            Some(Ok(v)) => v,
            _ => {
                page.extract_error = Some(format!("not valid JSON: {first}"));
                return;
            }
        },
    };
    page.links = entries(&value, page);
    if page.links.is_empty() && has_titled_entries(&value) {
        page.extract_error = Some("its list entries carry no link the crawler can follow".into());
    }
    if page.links.is_empty() {
        if let Some(refusal) = refusal(&value) {
            // A signed or session-bound endpoint turned the crawler's
            // request away: the list is unread, not empty.
            page.script_gaps
                .push(format!("the data endpoint refused the request: {refusal}"));
        }
    }
    page.links.extend(more_pages(&value, &page.url));
    page.text = page
        .links
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
}

fn entries(root: &Value, page: &Page) -> Vec<Link> {
    let mut links = Vec::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(link) = entry(map, page) {
                    links.push(link);
                    if links.len() >= MAX_LINKS {
                        break;
                    }
                }
                stack.extend(map.values().rev().filter(|v| v.is_array() || v.is_object()));
            }
            _ => {}
        }
    }
    links
}

const STATUS_KEYS: &[&str] = &[
    "code",
    "errcode",
    "errorcode",
    "status",
    "resultcode",
    "retcode",
];
const MESSAGE_KEYS: &[&str] = &["msg", "message", "errmsg", "error", "errormsg", "info"];

/// The error an endpoint answered instead of a list (`{"code":401,
/// "msg":"签名校验失败"}`, `{"success":false,…}`), if it did.
fn refusal(root: &Value) -> Option<String> {
    let map = root.as_object()?;
    let status = field_value(map, STATUS_KEYS);
    let failed_status = status.is_some_and(|v| match v {
        Value::Number(n) => n.as_i64().is_some_and(|n| !(0..400).contains(&n)),
        Value::String(s) => {
            let s = s.trim().to_ascii_lowercase();
            matches!(
                s.as_str(),
                "error" | "fail" | "failed" | "failure" | "denied"
            ) || s.parse::<i64>().is_ok_and(|n| !(0..400).contains(&n))
        }
        _ => false,
    });
    let failed_flag = ["success", "ok"]
        .iter()
        .any(|k| field_value(map, &[k]) == Some(&Value::Bool(false)));
    if !failed_status && !failed_flag {
        return None;
    }
    let message = field_value(map, MESSAGE_KEYS)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let status = status
        .map(Value::to_string)
        .unwrap_or_else(|| "failure".into());
    Some(format!("{status} {message}").trim().to_string())
}

/// A top-level field of `map` by any of `keys`, case-insensitively.
fn field_value<'v>(map: &'v Map<String, Value>, keys: &[&str]) -> Option<&'v Value> {
    map.iter()
        .find(|(k, _)| keys.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(_, v)| v)
}

/// Whether some object inside an array has a title-like field: a list
/// whose rows a script links by id, not an empty one.
fn has_titled_entries(root: &Value) -> bool {
    let mut stack = vec![(root, false)];
    while let Some((value, in_array)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, true))),
            Value::Object(map) => {
                if in_array && field(map, TITLE_KEYS).is_some() {
                    return true;
                }
                stack.extend(map.values().map(|v| (v, false)));
            }
            _ => {}
        }
    }
    false
}

/// The first field of `map` whose key, lower-cased and without `_`/`-`
/// (`publish_time`, `pub-date`), is in `keys` (in the order of `keys`) and
/// whose value is a non-empty string or a number.
fn field<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| {
        map.iter()
            .find(|(key, v)| {
                key.replace(['_', '-'], "").eq_ignore_ascii_case(k)
                    && (v.as_str().is_some_and(|s| !s.trim().is_empty()) || v.is_number())
            })
            .map(|(_, v)| v)
    })
}

/// Keys that give a list's page count, and its record count and page size
/// when the page count must be worked out.
const PAGE_COUNT_KEYS: &[&str] = &[
    "totalpage",
    "totalpages",
    "pagecount",
    "pagetotal",
    "totalpagenum",
    "countpage",
    "pages",
];
const RECORD_COUNT_KEYS: &[&str] = &[
    "total",
    "totalcount",
    "totalrecord",
    "recordcount",
    "totalnum",
    "totalelements",
    "count",
];
const PAGE_SIZE_KEYS: &[&str] = &["pagesize", "size", "limit", "rows", "perpage"];
/// At most this many further pages are requested from one list response.
const MAX_DATA_PAGES: u64 = 200;

/// The other pages of a paged list response: the URL's page parameter (or,
/// when the URL has none, the one the response echoes) set to each page up
/// to the count the response gives. Only a first page asks for the rest.
fn more_pages(root: &Value, url: &Url) -> Vec<Link> {
    let Some(list) = paging_object(root, 0) else {
        return Vec::new();
    };
    let number = |keys: &[&str]| {
        field(list, keys).and_then(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    };
    let pages = number(PAGE_COUNT_KEYS).or_else(|| {
        let records = number(RECORD_COUNT_KEYS)?;
        let size = number(PAGE_SIZE_KEYS).filter(|s| *s > 0)?;
        Some(records.div_ceil(size))
    });
    let Some(pages) = pages.filter(|p| *p > 1) else {
        return Vec::new();
    };
    let from_url = url
        .query_pairs()
        .find(|(k, _)| is_page_key(k))
        .and_then(|(k, v)| Some((k.into_owned(), v.trim().parse::<u64>().ok()?)));
    let echoed = || {
        list.iter().find_map(|(k, v)| {
            let current = v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())?;
            is_page_key(k).then(|| (k.clone(), current))
        })
    };
    let Some((key, current)) = from_url.or_else(echoed) else {
        return Vec::new();
    };
    if current > 1 {
        return Vec::new();
    }
    let last = if current == 0 { pages - 1 } else { pages };
    (current + 1..=last.min(current + MAX_DATA_PAGES))
        .map(|n| {
            let mut next = url.clone();
            {
                let mut query = next.query_pairs_mut();
                query.clear();
                let mut placed = false;
                for (k, v) in url.query_pairs() {
                    if k == key.as_str() {
                        query.append_pair(&k, &n.to_string());
                        placed = true;
                    } else {
                        query.append_pair(&k, &v);
                    }
                }
                if !placed {
                    query.append_pair(&key, &n.to_string());
                }
            }
            Link {
                url: next,
                text: (n + u64::from(current == 0)).to_string(),
                context: String::new(),
                section: String::new(),
                date: None,
                origin: LinkOrigin::Pager,
            }
        })
        .collect()
}

/// The object (the root or one level or two down) that states the page
/// count or the record count.
fn paging_object(value: &Value, depth: u8) -> Option<&Map<String, Value>> {
    let map = value.as_object()?;
    let states = |keys: &[&str]| field(map, keys).is_some_and(|v| !v.is_object() && !v.is_array());
    if states(PAGE_COUNT_KEYS) || states(RECORD_COUNT_KEYS) {
        return Some(map);
    }
    if depth >= 2 {
        return None;
    }
    map.values().find_map(|v| paging_object(v, depth + 1))
}

fn entry(map: &Map<String, Value>, page: &Page) -> Option<Link> {
    let raw = field(map, URL_KEYS)?.as_str()?;
    let url = resolve(&page.url, raw)?;
    let text = collapse(&TAGS.replace_all(field(map, TITLE_KEYS)?.as_str()?, ""));
    if text.is_empty() {
        return None;
    }
    let date = field(map, DATE_KEYS).and_then(|v| match v {
        Value::String(s) => dates::value_date(s),
        Value::Number(n) => n.as_i64().and_then(dates::epoch_date),
        _ => None,
    });
    let section = field(map, SECTION_KEYS)
        .and_then(Value::as_str)
        .map(collapse)
        .unwrap_or_default();
    let context = date.map(|d| d.to_string()).unwrap_or_default();
    Some(Link {
        url,
        text,
        context,
        section,
        date,
        origin: LinkOrigin::Data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse;
    use crate::types::PageKind;
    use chrono::NaiveDate;

    #[test]
    fn list_endpoint_entries() {
        let body = r#"{"code":200,"data":{"total":3,"list":[
{"DOCTITLE":"北安市2022年政府信息公开工作年度报告","DOCPUBURL":"/bas/c100784/202301/c12_345.shtml","DOCRELTIME":"2023-01-18 09:30:00","CHNLNAME":"政府信息公开年报"},
{"title":"关于印发<em>北安市</em>行政规范性文件管理办法的通知","url":"https://www.hljba.gov.cn/bas/c100760/202212/c12_77.shtml","publishTime":1670947200000},
{"title":"呼玛县政府信息公开保密审查制度","url":"/gkmlpt/content/0/508/post_1.html","publish_time":"2022-09-01 10:00:00"},
{"title":"无链接的条目"},
{"name":"附件","fileUrl":"javascript:void(0)"}
]}}"#;
        let url = Url::parse("https://www.hljba.gov.cn/bas/zfxxgk/gfxwj/list.json").unwrap();
        let page = parse(&url, 200, Some("text/html"), body.as_bytes());
        assert_eq!(page.kind, PageKind::Json);
        assert_eq!(page.title, "");
        assert_eq!(page.links.len(), 3);
        // Snake-case keys (gkmlpt's publish_time) are read too.
        assert_eq!(page.links[2].date, NaiveDate::from_ymd_opt(2022, 9, 1));
        let first = &page.links[0];
        assert_eq!(
            first.url.as_str(),
            "https://www.hljba.gov.cn/bas/c100784/202301/c12_345.shtml"
        );
        assert_eq!(first.text, "北安市2022年政府信息公开工作年度报告");
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2023, 1, 18));
        assert_eq!(first.section, "政府信息公开年报");
        assert_eq!(first.origin, LinkOrigin::Data);
        let second = &page.links[1];
        assert_eq!(second.text, "关于印发北安市行政规范性文件管理办法的通知");
        assert_eq!(second.date, NaiveDate::from_ymd_opt(2022, 12, 14));
        assert_eq!(
            page.text,
            "北安市2022年政府信息公开工作年度报告 关于印发北安市行政规范性文件管理办法的通知 呼玛县政府信息公开保密审查制度"
        );
    }

    #[test]
    fn jsonp_and_invalid() {
        let url = Url::parse("http://www.xunke.gov.cn/api/list").unwrap();
        let jsonp = r#"callback([{"title":"逊克县政府信息公开指南","link":"/xkx/c100770/zn.shtml","date":"2023/02/01"}]);"#;
        let page = parse(
            &url,
            200,
            Some("application/javascript; charset=utf-8"),
            jsonp.as_bytes(),
        );
        assert_eq!(
            page.kind,
            PageKind::Other,
            "javascript is not a list endpoint by header alone"
        );
        let page = parse(&url, 200, Some("application/json"), jsonp.as_bytes());
        assert_eq!(page.links.len(), 1);
        assert_eq!(page.links[0].date, NaiveDate::from_ymd_opt(2023, 2, 1));
        let broken = parse(&url, 200, Some("application/json"), b"{\"title\": ");
        assert!(broken.extract_error.is_some());
        assert!(broken.links.is_empty());
    }

    #[test]
    fn a_refused_request_is_a_gap_not_an_empty_list() {
        let url = Url::parse("http://x.gov.cn/api/articles.json?columnId=49").unwrap();
        let read = |body: &str| parse(&url, 200, Some("application/json"), body.as_bytes());
        for refused in [
            r#"{"code":401,"msg":"签名校验失败","data":null}"#,
            r#"{"success":false,"message":"会话已过期"}"#,
            r#"{"status":"error","errmsg":"非法请求"}"#,
            r#"{"errcode":"-1"}"#,
        ] {
            let page = read(refused);
            assert_eq!(page.script_gaps.len(), 1, "{refused}");
        }
        assert!(read(r#"{"code":401,"msg":"签名校验失败"}"#).script_gaps[0]
            .contains("401 签名校验失败"));
        for fine in [
            r#"{"code":200,"msg":"success","data":{"list":[],"total":0}}"#,
            r#"{"code":0,"data":[]}"#,
            r#"{"success":true,"rows":[]}"#,
            r#"[]"#,
        ] {
            assert!(read(fine).script_gaps.is_empty(), "{fine}");
        }
    }

    fn pager_urls(url: &str, body: &str) -> Vec<String> {
        let page = parse(
            &Url::parse(url).unwrap(),
            200,
            Some("application/json"),
            body.as_bytes(),
        );
        page.links
            .iter()
            .filter(|l| l.origin == LinkOrigin::Pager)
            .map(|l| l.url.to_string())
            .collect()
    }

    #[test]
    fn paged_list_asks_for_its_other_pages() {
        let first = r#"{"code":200,"data":{"channelId":123,"page":1,"size":12,"total":14,"totalPage":2,"list":[]}}"#;
        assert_eq!(
            pager_urls(
                "http://www.ningan.gov.cn/api/list.json?channelId=123&page=1",
                first
            ),
            ["http://www.ningan.gov.cn/api/list.json?channelId=123&page=2"]
        );
        // A later page does not ask again.
        let second = first.replace(r#""page":1"#, r#""page":2"#);
        assert!(pager_urls(
            "http://www.ningan.gov.cn/api/list.json?channelId=123&page=2",
            &second
        )
        .is_empty());
        // No page parameter in the URL: the echoed one is used; the page
        // count is worked out from records and size; zero-based pages.
        let echoed = r#"{"pageNo":0,"pageSize":10,"totalCount":25,"rows":[]}"#;
        assert_eq!(
            pager_urls("http://x.gov.cn/gk/list.do?cat=7", echoed),
            [
                "http://x.gov.cn/gk/list.do?cat=7&pageNo=1",
                "http://x.gov.cn/gk/list.do?cat=7&pageNo=2"
            ]
        );
        // One page, or no way to say which parameter pages: nothing.
        assert!(pager_urls(
            "http://x.gov.cn/a.json?page=1",
            r#"{"totalPage":1,"list":[]}"#
        )
        .is_empty());
        assert!(pager_urls("http://x.gov.cn/a.json", r#"{"totalPage":5,"list":[]}"#).is_empty());
        let huge = r#"{"page":1,"totalPage":100000}"#;
        assert_eq!(pager_urls("http://x.gov.cn/a.json?page=1", huge).len(), 200);
    }
}
