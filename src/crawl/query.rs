//! Which query parameters select a document.
//!
//! County sites link one document under many queries: a print view
//! (`?print=1`), another sort order (`?sort=date`), share and tracking tags
//! (`?from=singlemessage`, `utm_*`), cache busters (`?_=1690000000000`).
//! Fetching each would spend the page budget on copies. The query part of
//! a dedup key keeps every parameter that may select content, in a fixed
//! order, and drops the few known to be cosmetic.

/// Query parameters that change how a document is shown or who is
/// counted as having sent the visitor, never which document it is. Matched
/// by name, ASCII case ignored. Everything else is kept: a parameter
/// govcheck does not know (Hanweb's `uid`, VSB's `wbtreeid`, a JSP's `cid`,
/// `pageIndex`, `pageNum`, `startrecord`, `tab`, `channelId`, `date`, …)
/// may select content, and dropping one wrongly would lose documents,
/// where keeping one wrongly costs one fetch (and the body digest keeps
/// that copy from being read twice).
const COSMETIC_PARAMS: &[&str] = &[
    // The printable view of the page (【打印本页】 links: `?print=1`).
    "print",
    // Another order of the same list: every item is still reached through
    // the default order's pages.
    "sort",
    "sortby",
    "order",
    "orderby",
    // Tracking tags (Alibaba `spm`, ad click ids; `utm_*` by prefix below).
    "spm",
    "fbclid",
    "gclid",
    // WeChat and app shares (`?from=singlemessage&isappinstalled=0`).
    "isappinstalled",
];

/// Parameters that, with a time-stamp or random value, only defeat caches
/// (jQuery's `_=1690000000000`, `?t=1690000000`, `?v=0.8123`). With a
/// short value they may be content (`?t=2` a type, `?v=3` a version of a
/// document), so the value decides: see [`is_cache_buster_value`].
const CACHE_BUSTER_PARAMS: &[&str] = &[
    "_",
    "t",
    "v",
    "ts",
    "timestamp",
    "time",
    "r",
    "rnd",
    "rand",
    "random",
    "nocache",
];

/// Whether the query parameter `name=value` never selects a document:
/// one of [`COSMETIC_PARAMS`], a `utm_*` tag, `from` naming a referrer
/// (`from=singlemessage`, not a date or number: `from=2023-01-01` may start
/// a date range), or a cache buster with a time-stamp or random value.
fn is_cosmetic(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if COSMETIC_PARAMS.contains(&name.as_str()) || name.starts_with("utm_") {
        return true;
    }
    if name == "from" {
        return !value.is_empty() && !value.starts_with(|c: char| c.is_ascii_digit());
    }
    CACHE_BUSTER_PARAMS.contains(&name.as_str()) && is_cache_buster_value(value)
}

/// A Unix time in seconds or milliseconds (10 to 13 digits), or a
/// `Math.random()` fraction (`0.` and at least 4 digits).
fn is_cache_buster_value(value: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(value) && (10..=13).contains(&value.len()))
        || value
            .strip_prefix("0.")
            .is_some_and(|f| digits(f) && f.len() >= 4)
}

/// The query as a dedup key: cosmetic parameters dropped ([`is_cosmetic`],
/// judged with percent-escapes undone), empty pairs dropped, the rest kept
/// as written, in order of name (a stable sort: repeated names keep their
/// order, which may matter). `b=2&print=1&a=1` → `a=1&b=2`.
pub(super) fn query_key(query: &str) -> String {
    let mut kept: Vec<(String, &str)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (name, value) = url::form_urlencoded::parse(pair.as_bytes()).next()?;
            (!is_cosmetic(&name, &value)).then(|| (name.into_owned(), pair))
        })
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let pairs: Vec<&str> = kept.into_iter().map(|(_, pair)| pair).collect();
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosmetic_query_parameters_are_dropped_and_the_rest_sorted() {
        let key = |s: &str| query_key(s.trim_start_matches('?'));
        let bare = key("");
        for dropped in [
            "?print=1",
            "?Print=true",
            "?print",
            "?sort=date",
            "?order=desc&orderby=time",
            "?sortby=title",
            "?utm_source=wx&utm_medium=share",
            "?spm=a2c4g.11186623",
            "?from=singlemessage&isappinstalled=0",
            "?_=1690000000000",
            "?t=1690000000",
            "?v=0.51237",
            "?timestamp=1690000000123",
            "?fbclid=x&gclid=y",
            "?&&",
        ] {
            assert_eq!(key(dropped), bare, "{dropped}");
        }
        for kept in [
            "?page=2",
            "?pageIndex=2",
            "?pageNo=3",
            "?pageNum=2",
            "?id=5",
            "?cid=100",
            "?tab=gfxwj",
            "?channelId=7",
            "?columnId=8",
            "?startrecord=46",
            "?date=2023-06-01",
            "?uid=4551&pageNum=2",
            "?wbtreeid=1001",
            // Short values: a type, a version of a document, not a cache buster.
            "?t=2",
            "?v=3",
            "?_=1",
            "?time=2023",
            // A date range starts with `from`.
            "?from=2023-01-01&to=2023-06-30",
            "?keyword=print",
        ] {
            assert_ne!(key(kept), bare, "{kept}");
        }
        assert_eq!(key("?b=2&print=1&a=1"), key("?a=1&b=2"));
        assert_eq!(key("?b=2&print=1&a=1"), "a=1&b=2");
        assert_eq!(
            key("?cid=1&pageIndex=2&sort=date"),
            key("?pageIndex=2&cid=1")
        );
        // Repeated names keep their order; the values differ.
        assert_ne!(key("?a=1&a=2"), key("?a=2&a=1"));
        assert_ne!(key("?page=2"), key("?page=3"));
        // Escapes are undone before matching, not in the key.
        assert_eq!(key("?%70rint=1&x=%E6%94%BF"), "x=%E6%94%BF");
    }
}
