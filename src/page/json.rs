//! Entries of a JSON list endpoint as links.
//!
//! Script-rendered lists (the disclosure template's tabs, search-backed
//! columns) come from JSON whose shape differs by vendor. Rather than
//! knowing each shape, every object that carries both a URL-like and a
//! title-like field is read as one list row, with its date if it has one.

use super::{charset, collapse, dates, links::resolve, Link, LinkOrigin, Page};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

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
pub fn fill(page: &mut Page, content_type: Option<&str>, body: &[u8]) {
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
    use super::super::{parse, PageKind};
    use super::*;
    use chrono::NaiveDate;
    use url::Url;

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
}
