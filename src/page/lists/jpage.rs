//! Hanweb (大汉) jpage lists.
//!
//! Hanweb's CMS, behind many county portals, ships a list's first records
//! inside the page as `<script type="text/xml"><datastore><recordset>
//! <record><![CDATA[<li>…</li>]]></record>…` and lets `jpage.js` fetch the
//! rest from `/module/web/jpage/dataproxy.jsp` group by group
//! (`startrecord`, `endrecord`, `perpage`, plus the call's `ajaxParam`).
//! A browser shows the records as list rows; here they become part of the
//! document (dates and row context included), and the further groups
//! become pager links the crawler can GET.

use super::js::{Code, Expr};
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;
use url::Url;

/// Where jpage asks for further groups unless told otherwise.
const DEFAULT_PROXY: &str = "/module/web/jpage/dataproxy.jsp";

/// At most this many further groups are requested for one list.
const MAX_GROUPS: u64 = 60;

static XML_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script\b[^>]*\btype\s*=\s*["']?text/xml["']?[^>]*>(.*?)</script\s*>"#)
        .unwrap()
});
static CDATA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<!\[CDATA\[|\]\]>").unwrap());
static NEXT_GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<nextgroup>(.*?)</nextgroup>").unwrap());
static EMPTY_ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)(<a\b[^>]*>)\s*(</a>)").unwrap());

/// The page with its embedded jpage datastores turned into markup, and a
/// datastore response (a `dataproxy.jsp` answer) made readable as HTML.
/// Unchanged when there is none.
pub(crate) fn unwrap_records(html: &str) -> Cow<'_, str> {
    let head = html.trim_start_matches('\u{feff}').trim_start();
    let whole_datastore = head.starts_with("<datastore")
        || (head.starts_with("<?xml") && head.get(..300).unwrap_or(head).contains("<datastore"));
    if !whole_datastore && !XML_SCRIPT.is_match(html) {
        return Cow::Borrowed(html);
    }
    let unwrapped = if whole_datastore {
        readable(html)
    } else {
        XML_SCRIPT
            .replace_all(html, |c: &Captures| {
                format!("<div class=\"jpage-datastore\">{}</div>", readable(&c[1]))
            })
            .into_owned()
    };
    Cow::Owned(unwrapped)
}

/// A datastore's records as plain markup: CDATA wrappers gone, the
/// next-group link a "下一页" pager link.
fn readable(datastore: &str) -> String {
    let next = NEXT_GROUP.replace_all(datastore, |c: &Captures| {
        let link = EMPTY_ANCHOR.replace_all(&c[1], "${1}下一页${2}");
        format!("<div class=\"page\">{link}</div>")
    });
    CDATA.replace_all(&next, "").into_owned()
}

/// What a `$('#id').jpage({...})` call says about the records not in
/// the page: the group URLs, or why they could not be built.
pub(super) struct Groups {
    /// GET addresses of the further groups.
    pub urls: Vec<Url>,
    /// Calls whose groups could not be built, and why.
    pub gaps: Vec<String>,
    /// The proxy URL literals: fetched bare they answer nothing useful.
    pub proxies: Vec<String>,
}

/// The script's further record groups as pager links (`第2组`, …); the
/// groups it cannot build as gaps.
pub(super) fn read(script: &Script, found: &mut Found) {
    let groups = groups(script.code, script.page_url);
    for (n, url) in groups.urls.into_iter().enumerate() {
        found.link(url, LinkOrigin::Pager, format!("第{}组", n + 2));
    }
    found.gaps.extend(groups.gaps);
    found.with_data.extend(groups.proxies);
}

/// The further record groups of every jpage call in `code`.
pub(super) fn groups(code: &Code, page_url: &Url) -> Groups {
    let mut found = Groups {
        urls: Vec::new(),
        gaps: Vec::new(),
        proxies: vec![DEFAULT_PROXY.to_string()],
    };
    for call in code.calls_named("jpage") {
        let config = call.args.first().unwrap_or(&Expr::Null);
        if let Some(Expr::Str(proxy)) = setting(config, "proxyUrl") {
            found.proxies.push(proxy.clone());
        }
        match group_urls(config, page_url) {
            Ok(urls) => found.urls.extend(urls),
            Err(why) => found.gaps.push(format!("jpage list: {why}")),
        }
    }
    found
}

/// A jpage setting, its name in any case.
fn setting<'e>(config: &'e Expr, key: &str) -> Option<&'e Expr> {
    match config {
        Expr::Object(fields) => fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn group_urls(config: &Expr, page_url: &Url) -> Result<Vec<Url>, String> {
    if !matches!(config, Expr::Object(_)) {
        return Err("its settings are not an object literal".into());
    }
    let number = |key: &str, default: Option<u64>| -> Result<u64, String> {
        match setting(config, key) {
            Some(v) => v
                .scalar()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("`{key}` is computed at run time")),
            None => default.ok_or_else(|| format!("no `{key}`")),
        }
    };
    let total = number("totalRecord", None)?;
    let per_page = number("perPage", Some(15))?.max(1);
    let group = per_page * number("groupSize", Some(3))?.max(1);
    let proxy = match setting(config, "proxyUrl") {
        Some(Expr::Str(proxy)) => proxy.clone(),
        Some(_) => return Err("`proxyUrl` is computed at run time".into()),
        None => DEFAULT_PROXY.to_string(),
    };
    let params = match setting(config, "ajaxParam") {
        Some(Expr::Object(fields)) => fields
            .iter()
            .map(|(k, v)| {
                v.scalar()
                    .map(|v| (k.clone(), v))
                    .ok_or_else(|| format!("`ajaxParam.{k}` is computed at run time"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err("`ajaxParam` is not an object literal".into()),
        None => Vec::new(),
    };
    let base = resolve(page_url, &proxy).ok_or("`proxyUrl` is not a URL")?;
    let mut urls = Vec::new();
    // The first group is embedded in the page unless `dataStore` is null:
    // then it too comes from the proxy.
    let embedded = setting(config, "dataStore").is_none_or(|v| *v != Expr::Null);
    let mut start = if embedded { group + 1 } else { 1 };
    while start <= total && urls.len() < MAX_GROUPS as usize {
        let end = (start + group - 1).min(total);
        let mut url = base.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("startrecord", &start.to_string());
            query.append_pair("endrecord", &end.to_string());
            query.append_pair("perpage", &per_page.to_string());
            for (k, v) in &params {
                query.append_pair(k, v);
            }
        }
        urls.push(url);
        start += group;
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_records_become_rows() {
        let page = r#"<html><body><div id="1004"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=1004"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2023/1/28/art_1004_3121.html" title="五大连池市2022年政府信息公开工作年度报告">五大连池市2022年政府信息公开工作年度报告</a><span>2023-01-28</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2022/1/25/art_1004_2987.html">五大连池市2021年政府信息公开工作年度报告</a><span>2022-01-25</span></li>]]></record>
</recordset></datastore></script></div></body></html>"#;
        let out = unwrap_records(page);
        assert!(!out.contains("CDATA") && !out.contains("<script"));
        assert!(out.contains(r#"<li><a href="/art/2023/1/28/art_1004_3121.html""#));
        assert!(out.contains(">下一页</a>"));
        let plain = "<html><body><script>var a = 1;</script></body></html>";
        assert!(matches!(unwrap_records(plain), Cow::Borrowed(_)));
        let response = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><recordset><record><![CDATA[<li><a href=\"/art/1.html\">一</a></li>]]></record></recordset></datastore>";
        assert!(unwrap_records(response).contains("<li><a href=\"/art/1.html\">一</a></li>"));
    }

    #[test]
    fn further_groups_from_the_jpage_call() {
        let code = r#"$(document).ready(function(){
  $('#4037').jpage({
    dataStore: dataStore, containerTag: 'div', // the list
    proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15, totalRecord: 100, groupSize: 3,
    ajaxParam: { col: 1, appid: 1, webid: 1, path: '/', columnid: 1004, sourceContentType: 1, unitid: '4037', webname: '五大连池市人民政府', permissiontype: 0 }
  });
});"#;
        let page = Url::parse("http://www.wdlc.gov.cn/col/col1004/index.html").unwrap();
        let found = groups(&crate::page::lists::js::read(code), &page);
        assert!(found.gaps.is_empty(), "{:?}", found.gaps);
        let urls: Vec<String> = found.urls.iter().map(Url::to_string).collect();
        assert_eq!(urls.len(), 2);
        assert!(urls[0].starts_with("http://www.wdlc.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&col=1&appid=1&webid=1&path=%2F&columnid=1004"));
        assert!(urls[1].contains("startrecord=91&endrecord=100&"));
        let computed = "$('#1').jpage({perPage: 15, totalRecord: window.total});";
        let found = groups(&crate::page::lists::js::read(computed), &page);
        assert!(found.urls.is_empty());
        assert!(found.gaps[0].contains("totalRecord"), "{:?}", found.gaps);
        // One group only: nothing further to fetch.
        assert!(groups(
            &crate::page::lists::js::read("$('#1').jpage({perPage: 15, totalRecord: 40});"),
            &page
        )
        .urls
        .is_empty());
        // No embedded records (`dataStore: null`): the first group too.
        let bare = "$('#8123').jpage({dataStore: null, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15, totalRecord: 1, ajaxParam: {columnid: 3123}});";
        let urls: Vec<String> = groups(&crate::page::lists::js::read(bare), &page)
            .urls
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(urls.len(), 1);
        assert!(urls[0].contains("startrecord=1&endrecord=1&"), "{urls:?}");
    }
}
