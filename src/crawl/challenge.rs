//! Recognising anti-bot challenge pages.
//!
//! County sites sit behind 瑞数 (`$_ts`, HTTP 412), 加速乐
//! (`__jsl_clearance`, often HTTP 521), Tencent EdgeOne and home-made
//! `document.cookie` + reload pages. Such an answer is not the site's
//! content: treating it as a page would make every item look missing. A
//! challenge is mostly script with almost no visible text.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Markers that name a challenge outright (ASCII).
const MARKERS: &[&str] = &[
    "$_ts",
    "__jsl_clearance",
    "_jsl",
    "EdgeOne",
    "TencentEdge",
    "challenge",
];

/// Challenge pages are small; a large body is a real page.
const MAX_CHALLENGE_BYTES: usize = 512 * 1024;
/// Visible characters (whitespace excluded) a challenge page may show.
const MAX_VISIBLE_CHARS: usize = 200;

/// If `status` and `body` look like an anti-bot challenge, say why.
pub fn detect_challenge(status: u16, body: &[u8]) -> Option<String> {
    if body.len() > MAX_CHALLENGE_BYTES {
        return None;
    }
    // Every body fetched passes here: an ordinary page (no vendor code,
    // no marker, no `document.cookie` in any case, so neither test below
    // can hold) is told apart in one pass over its bytes, without decoding
    // or lower-casing it. ASCII words are found alike in the bytes and in
    // their lossy decoding.
    static MAY_BE_CHALLENGE: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(MARKERS.iter().chain(&["document.cookie"]))
            .expect("a few ASCII words compile")
    });
    let vendor_code = matches!(status, 412 | 521);
    if !vendor_code && !MAY_BE_CHALLENGE.is_match(body) {
        return None;
    }
    let html = String::from_utf8_lossy(body);
    let lower = html.to_ascii_lowercase();
    let marker = MARKERS
        .iter()
        .find(|m| html.contains(*m))
        .map(|m| m.to_string())
        .or_else(|| {
            let reload = [
                "location.reload",
                "location.href",
                "location.replace",
                "location=",
            ]
            .iter()
            .any(|l| lower.contains(l));
            (lower.contains("document.cookie") && reload)
                .then(|| "document.cookie + location".to_string())
        });
    let has_script = lower.contains("<script");
    let visible = visible_chars(&lower);
    let scripty = has_script && visible < MAX_VISIBLE_CHARS;
    let found = match status {
        // These codes are the challenge vendors' own; no body text needed.
        412 | 521 => marker.is_some() || scripty || html.trim().is_empty(),
        200 | 202 | 403 | 429 | 503 => marker.is_some() && scripty,
        _ => false,
    };
    found.then(|| {
        format!(
            "HTTP {status} challenge page ({}; {visible} visible characters)",
            marker.as_deref().unwrap_or("script only")
        )
    })
}

/// Non-whitespace characters outside tags, scripts and styles.
fn visible_chars(lower: &str) -> usize {
    let mut count = 0;
    let mut rest = lower;
    while let Some(lt) = rest.find('<') {
        count += rest[..lt].chars().filter(|c| !c.is_whitespace()).count();
        rest = &rest[lt..];
        let skip_to = if rest.starts_with("<script") {
            "</script>"
        } else if rest.starts_with("<style") {
            "</style>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else {
            ">"
        };
        match rest.find(skip_to) {
            Some(end) => rest = &rest[end + skip_to.len()..],
            None => return count,
        }
    }
    count + rest.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUISHU: &str = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;$_ts.cd="qqqq";</script>
<script type="text/javascript" charset="utf-8" src="/abc/def.js" r='m'></script></head><body></body></html>"#;

    const JSL: &str = "<script>document.cookie=('_')+('_')+('j')+('sl')+('_clearance')+('=')+(1700000000)+'.1|0|abc';location.href=location.pathname+location.search</script>";

    const ARTICLE: &str = r#"<html><head><title>关于2022年政府信息公开工作年度报告</title>
<script>var _hmt = _hmt || []; document.cookie = "a=b"; location.href;</script></head>
<body><div id="zoom">根据《中华人民共和国政府信息公开条例》规定，现公布本机关2022年度政府信息公开工作年度报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等部分组成。本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。如对本报告有疑问，请与本机关政务公开办公室联系。联系电话：0456-1234567。本报告电子版可在政府门户网站政府信息公开专栏下载。</div></body></html>"#;

    #[test]
    fn ruishu_412() {
        let why = detect_challenge(412, RUISHU.as_bytes()).unwrap();
        assert!(why.contains("$_ts"), "{why}");
    }

    #[test]
    fn jiasule_521_and_even_200() {
        assert!(detect_challenge(521, JSL.as_bytes()).is_some());
        assert!(detect_challenge(200, JSL.as_bytes()).is_some());
    }

    #[test]
    fn markers_are_found_in_bodies_that_are_not_utf8() {
        let gbk = b"<script>\xc7\xeb$_ts=1;</script><p>\xb5\xc8\xb4\xfd</p>";
        assert!(detect_challenge(200, gbk).is_some());
        let cookie = b"<SCRIPT>\xc7\xeb Document.Cookie='a';location.reload()</SCRIPT>";
        assert!(detect_challenge(503, cookie).is_some());
    }

    #[test]
    fn bare_412_is_a_challenge() {
        assert!(detect_challenge(412, b"").is_some());
    }

    #[test]
    fn edgeone_403() {
        let body = "<html><body><script src=/eo.js></script><!-- EdgeOne --></body></html>";
        assert!(detect_challenge(403, body.as_bytes()).is_some());
    }

    #[test]
    fn real_pages_are_not_challenges() {
        assert!(detect_challenge(200, ARTICLE.as_bytes()).is_none());
        assert!(
            detect_challenge(403, b"<html><body><h1>403 Forbidden</h1></body></html>").is_none()
        );
        assert!(detect_challenge(404, JSL.as_bytes()).is_none());
        assert!(detect_challenge(200, b"<html><body>hello</body></html>").is_none());
    }

    #[test]
    fn visible_text_skips_scripts_styles_comments() {
        assert_eq!(
            visible_chars("<p>a b</p><script>xxxx</script><style>yy</style><!-- zz -->c"),
            3
        );
    }
}
