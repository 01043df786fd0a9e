//! What a snapshot must be: readable, stamped, and inert whatever the
//! captured page holds (security review, issue 10: every vector found there
//! has a test here).

use super::*;

fn stamp(url: &Url) -> Stamp<'_> {
    Stamp {
        county: "北安市",
        item: "9",
        item_name: "政务公开年度报告",
        status: "pass",
        reason: "found: 「2022年北安市政府信息公开工作年度报告」",
        url,
        fetched_at: DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        http_status: 200,
        sha256: "abc123",
        warc: Some(("archive/govcheck-1-00000.warc.gz", "<urn:uuid:1>")),
        not_modified_since: None,
        rendered: None,
        tls_unverified: false,
    }
}

fn snapshot(html: &str, highlight: &str) -> String {
    let url = Url::parse("http://live.example.gov.cn/bas/c100/202301/c1_2.shtml").unwrap();
    html_snapshot(&stamp(&url), html, highlight)
}

/// Every tag the snapshot holds, with its attributes: a small scanner that
/// relies on what the serialiser guarantees (text escaped, `<` only in
/// markup, attribute values double-quoted).
fn tags(out: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = out;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("a tag is closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            assert_eq!(tag, "!DOCTYPE html");
            continue;
        }
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut list) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attributes = Vec::new();
        loop {
            list = list.trim_start();
            if list.is_empty() {
                break;
            }
            let (attribute, value) = list.split_once("=\"").expect("name=\"value\"");
            let (value, after) = value.split_once('"').expect("a closing quote");
            attributes.push((attribute.to_string(), value.to_string()));
            list = after;
        }
        found.push((name.to_string(), attributes));
    }
    found
}

/// What any snapshot is, whatever the page: the policy first, then only
/// allowed elements and attributes, links and images that load nothing.
fn assert_allowed(out: &str) {
    assert!(out.starts_with(PREAMBLE), "the policy is not first: {out}");
    assert_eq!(out.matches("<meta").count(), 2, "{out}");
    assert_eq!(out.matches("id=\"govcheck-banner\"").count(), 1, "{out}");
    assert!(out.matches("id=\"govcheck-match\"").count() <= 1, "{out}");
    let ours = [
        "html", "head", "meta", "title", "style", "body", "img", "mark",
    ];
    let attributes = [
        "href",
        "name",
        "src",
        "alt",
        "http-equiv",
        "content",
        "charset",
        "lang",
    ];
    for (name, list) in tags(out) {
        assert!(
            allow::KEPT.contains(&name.as_str()) || ours.contains(&name.as_str()),
            "<{name}> in {out}"
        );
        for (attribute, value) in list {
            assert!(
                allow::ATTRIBUTES.contains(&attribute.as_str())
                    || attributes.contains(&attribute.as_str()),
                "{attribute}= on <{name}> in {out}"
            );
            let lower = value.to_ascii_lowercase();
            match attribute.as_str() {
                "href" => assert!(
                    name == "a"
                        && (lower.starts_with("http://")
                            || lower.starts_with("https://")
                            || lower.starts_with('#')),
                    "{value}"
                ),
                "src" => assert!(
                    name == "img" && lower.starts_with("data:image/") && !lower.contains("svg"),
                    "{value}"
                ),
                "style" => assert!(
                    !lower.contains("url(") && !lower.contains('\\') && !lower.contains("@import"),
                    "{value}"
                ),
                _ => {}
            }
        }
    }
    if let Some(at) = out.find("<style>") {
        let css = &out[at + 7..out.find("</style>").unwrap()];
        assert!(allow::css_is_inert(css), "{css}");
    }
}

/// The assertions of issue 10 on a hostile page's snapshot: besides
/// [`assert_allowed`], none of the found vectors' strings are left.
fn assert_inert(out: &str) {
    assert_allowed(out);
    let lower = out.to_ascii_lowercase();
    for bad in [
        "<script",
        "srcdoc",
        "javascript:",
        "<iframe",
        "<frame",
        "<embed",
        "<object",
        "<svg",
        "<math",
        "<link",
        "<base",
        "<form",
        "<input",
        "<button",
        "<animate",
        "<meta http-equiv=\"refresh\"",
        "url(",
        "@import",
        "formaction",
        "xlink:href",
        "src=\"http",
        "src=http",
        "action=",
        "background=",
        "srcset",
        "ping=",
        "target=",
        "poster=",
    ] {
        assert!(!lower.contains(bad), "{bad:?} in the snapshot: {out}");
    }
}

#[test]
fn scripts_handlers_and_js_urls_are_gone_and_urls_absolute() {
    let url = Url::parse("http://127.0.0.1:8080/bas/c100/202301/c1_2.shtml").unwrap();
    let html = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><script>alert(1)</script><link rel="stylesheet" href="../css/a.css"></head>
<body onload="location='http://evil/'"><h1>2022年北安市政府信息公开工作年度报告</h1>
<a href="javascript:alert(2)">x</a><img src="/img/a.png" onerror="alert(3)"><a href="list.shtml">列表</a></body></html>"#;
    let out = html_snapshot(&stamp(&url), html, "2022年北安市政府信息公开工作年度报告");
    assert_inert(&out);
    assert!(!out.contains("alert("), "{out}");
    assert!(!out.contains("gb2312"));
    assert!(!out.contains("a.css"), "{out}");
    // The image is a note linking to where it was, never loaded.
    assert!(
        out.contains("<a href=\"http://127.0.0.1:8080/img/a.png\">[图片]</a>"),
        "{out}"
    );
    assert!(out.contains("<a href=\"http://127.0.0.1:8080/bas/c100/202301/list.shtml\">列表</a>"));
    assert!(out.contains("<a>x</a>"), "{out}");
    assert!(out.contains("<mark id=\"govcheck-match\""));
    assert!(out.contains("10:00:00 北京时间"), "{out}");
    assert!(out.contains("sha256 abc123"));
    assert!(out.contains("govcheck-banner"));
}

#[test]
fn every_vector_of_the_review_is_inert() {
    let vectors = [
        r#"<iframe srcdoc="<script>alert(1)</script>"></iframe>"#,
        r#"<p>no head, body content first</p><script>alert(1)</script>"#,
        r#"<button formaction="&#106;avascript:alert(1)">发送</button>"#,
        r#"<svg><a xlink:href="javascript:alert(1)"><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>"#,
        r#"<embed src="x.svg">"#,
        r#"<object data="http://live/x.svg"><param name=src value=x></object>"#,
        r#"<iframe src="http://live/"></iframe>"#,
        r#"<link rel=stylesheet href="http://live/a.css">"#,
        r#"<style>@import url(http://live/a.css); p{color:red}</style>"#,
        r#"<style>@IMPORT "http://live/a.css";</style>"#,
        r#"<style>p{background:\75rl(http://live/x.png)}</style>"#,
        r#"<div style="background:url(http://live/x.png)">x</div>"#,
        r#"<div style="background:URL (http://live/x.png)">x</div>"#,
        r#"<div background="http://live/x.png">x</div>"#,
        r#"<meta http-equiv=refresh content="0;url=http://live/">"#,
        r#"<base href=http://evil/><a href="a.html">a</a>"#,
        r#"<img src=http://live/x.png>"#,
        r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
        r#"<a href=" java&#x09;script:alert(1)">x</a>"#,
        r#"<a href="&#x6A;avascript&colon;alert(1)">x</a>"#,
        r#"<a href="vbscript:x">x</a><a href="data:text/html,<script>alert(1)</script>">y</a>"#,
        r#"<form action=http://live/><input formaction="javascript:alert(1)" type=submit value=提交><input type=image src=http://live/i.png></form>"#,
        r#"<style>#govcheck-banner{display:none}</style><p style="display:none" id="govcheck-match">x</p>"#,
        r#"<noscript><p>seen</p></noscript><template><script>alert(1)</script></template>"#,
        r#"<video src=http://live/v.mp4 poster=http://live/p.png></video><audio src=x></audio>"#,
        r#"<frameset><frame src="http://live/top.html"><frame src="javascript:alert(1)"></frameset>"#,
        r#"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#,
        r#"<a href="http://live/" ping="http://live/ping" target="_blank" onclick="alert(1)">ok</a>"#,
        r#"<img srcset="http://live/x.png 1x"><picture><source srcset="http://live/y.png"></picture>"#,
        r#"<table background="http://live/bg.png"><tr><td background="http://live/c.png">x</td></tr></table>"#,
        r#"<!-- a comment first --><html><body>x</body></html>"#,
        "\u{feff}<body>BOM first</body>",
        r#"<div style="behavior:url(x.htc);-moz-binding:url(x.xml#a);width:expression(alert(1))">x</div>"#,
        r#"<p style="background-image:image-set('http://live/x.png' 1x)">x</p>"#,
        r#"</html><script>alert(1)</script>"#,
        r#"<xmp><script>alert(1)</script></xmp><plaintext><script>alert(1)</script>"#,
    ];
    for vector in vectors {
        let out = snapshot(vector, "");
        assert_inert(&out);
    }
    // Every vector in one page, and with a head that comes first.
    let all = vectors.concat();
    assert_inert(&snapshot(&all, ""));
    assert_inert(&snapshot(
        &format!("<html><head><title>t</title></head><body>{all}</body></html>"),
        "x",
    ));
}

#[test]
fn frames_images_and_buttons_leave_readable_notes() {
    let out = snapshot(
        r#"<frameset><frame src="top.html"><frame src="/main.html"></frameset>"#,
        "",
    );
    assert!(
        out.contains("<a href=\"http://live.example.gov.cn/bas/c100/202301/top.html\">"),
        "{out}"
    );
    assert!(out.contains("[框架 frame: http://live.example.gov.cn/main.html]"));
    let out = snapshot(
        r#"<p><a href="/a.html"><img src="/a.png" alt="年度报告"></a><img alt=" 徽标 "></p>
<input type=submit value="查 询"><input type=text value="请输入"><img src="data:image/png;base64,iVBORw0KGgo=" width=3>"#,
        "",
    );
    assert!(
        out.contains("<a href=\"http://live.example.gov.cn/a.html\">[图片: 年度报告]</a>"),
        "{out}"
    );
    assert!(out.contains("[图片: 徽标]"));
    assert!(out.contains("[查 询]") && !out.contains("请输入"));
    assert!(out.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\" width=\"3\">"));
}

#[test]
fn safe_styles_stay_and_the_banner_cannot_be_restyled() {
    let out = snapshot(
        r#"<html><head><style>td { border: 1px solid #ccc } .t > b { color: red }</style>
<style>#GovCheck-banner{display:none}</style><style><!--
h1 { font-size: 20px }
--></style><style><!-- p{} --><<!--!--script></style></head><body>
<table style="width:100%"><tr><td class="t" id="main" colspan=2><b>x</b></td></tr></table>
<div id="govcheck-banner">fake</div><a name="govcheck-match">y</a></body></html>"#,
        "",
    );
    assert!(
        out.contains("<style>td { border: 1px solid #ccc } .t > b { color: red }\n"),
        "{out}"
    );
    assert!(out.contains("h1 { font-size: 20px }"), "{out}");
    assert!(!out.contains("p{}"), "{out}");
    assert!(!out.to_ascii_lowercase().contains("#govcheck-banner"));
    assert!(out.contains("<table style=\"width:100%\">"));
    assert!(
        out.contains("<td class=\"t\" colspan=\"2\" id=\"main\">"),
        "{out}"
    );
    assert_eq!(out.matches("id=\"govcheck-banner\"").count(), 1);
    assert!(!out.contains("name=\"govcheck-match\""));
    assert!(out.contains("<div>fake</div>"));
}

#[test]
fn a_county_page_keeps_its_text_links_tables_and_mark() {
    // As the crawler stores it: GBK bytes, decoded before the snapshot.
    let gbk = encoding_rs::GBK
        .encode(
            r#"<html><head><meta charset="gbk"><title>2022年北安市政府信息公开工作年度报告_北安市人民政府</title></head>
<body><div class="wrap"><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="../">政务公开</a></div>
<h1>2022年北安市政府信息公开工作年度报告</h1><p class="date">发布日期：2023-01-18&nbsp;&nbsp;来源：北安市政府办</p>
<table border="1" cellspacing="0"><tr><th>指标</th><th>数量</th></tr><tr><td align="center">主动公开文件</td><td>126</td></tr></table>
<ul><li><a href="P020230118.pdf">附件：年度报告.pdf</a></li></ul>
<pre>

一、总体情况</pre></div></body></html>"#,
        )
        .0;
    let (text, _) = crate::page::decode(Some("text/html; charset=gbk"), &gbk);
    let out = snapshot(&text, "2022年北安市政府信息公开工作年度报告");
    assert_inert(&out);
    assert!(out.contains(
        "<title>2022年北安市政府信息公开工作年度报告_北安市人民政府</title></head><body><div id=\"govcheck-banner\""
    ));
    assert!(out.contains("<h1><mark id=\"govcheck-match\""), "{out}");
    assert!(out.contains("2022年北安市政府信息公开工作年度报告</mark></h1>"));
    assert!(out.contains("当前位置：<a href=\"http://live.example.gov.cn/\">首页</a> &gt; "));
    assert!(out.contains("<a href=\"http://live.example.gov.cn/bas/c100/\">政务公开</a>"));
    assert!(out.contains("发布日期：2023-01-18\u{a0}\u{a0}来源：北安市政府办"));
    assert!(out.contains("<table border=\"1\" cellspacing=\"0\"><tbody><tr><th>指标</th>"));
    assert!(out.contains("<td align=\"center\">主动公开文件</td><td>126</td>"));
    assert!(out.contains(
        "<a href=\"http://live.example.gov.cn/bas/c100/202301/P020230118.pdf\">附件：年度报告.pdf</a>"
    ));
    // The blank line after `<pre>` survives the parser dropping the first.
    assert!(out.contains("<pre>\n\n一、总体情况</pre>"), "{out}");
    assert!(!out.contains("matched:"));
}

#[test]
fn the_policy_comes_first_whatever_the_page_shape() {
    for page in [
        "",
        "plain text, no markup",
        "<body><p>x</p></body><head><meta http-equiv=refresh content=0></head>",
        "<frameset></frameset>",
        "<!DOCTYPE html><!-- c --><html><head><meta charset=gbk>",
        "\u{feff}\u{0}\u{1b}[31m<p>x",
        "<td>fragment</td></tr>",
        "<title>a</title><title>b</title>",
    ] {
        let out = snapshot(page, "不在页面里");
        assert_inert(&out);
        assert!(
            out.contains("matched: <mark id=\"govcheck-match\""),
            "{out}"
        );
        let body = out.find("<body>").unwrap();
        assert!(out[body..].starts_with("<body><div id=\"govcheck-banner\""));
        assert!(!out.contains('\u{0}') && !out.contains('\u{1b}'));
    }
    assert!(snapshot("<title>a&lt;b</title>", "").contains("<title>a&lt;b</title>"));
}

#[test]
fn four_thousand_nested_divs_and_long_pages_are_bounded() {
    // Run on a thread with the default 2 MiB stack: the walk must not
    // recurse with the nesting.
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let nested = format!("{}标题{}", "<div>".repeat(4_000), "</div>".repeat(4_000));
            let out = snapshot(&nested, "标题");
            let deeper = snapshot(&"<div>".repeat(10_000), "");
            (out, deeper)
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(out.0.contains("<mark id=\"govcheck-match\""));
    assert!(!out.0.contains("only its beginning"));
    assert!(out.1.contains("nests deeper than govcheck reads"));
    let long = format!(
        "<p>{}</p><p>尾部</p>",
        "长".repeat(crate::page::MAX_PARSED_HTML / 3 + 10)
    );
    let out = snapshot(&long, "尾部");
    assert!(out.contains("is longer than govcheck reads"));
    assert!(out.contains("matched: <mark"));
}

#[test]
fn garbage_never_panics() {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fragments: &[&str] = &[
        "<a href=\"",
        "\">",
        "</a>",
        "<table><tr><td>",
        "</td>",
        "<svg>",
        "<math>",
        "<template>",
        "<iframe srcdoc=\"",
        "<style>",
        "</style>",
        "<script>",
        "<img src=",
        "<pre>\n",
        "<select><option>",
        "<frameset>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&#106;",
        "&#x0;",
        "javascript:",
        "url(",
        "\u{feff}",
        "\u{0}",
        "</",
        "<",
        ">",
        "'",
        "政务公开",
        "<div style=\"",
        "<input type=submit value=",
        "<p>",
        "<form>",
        "<head>",
        "<body>",
    ];
    for _ in 0..400 {
        let mut page = String::new();
        for _ in 0..(next() % 60) {
            page.push_str(fragments[(next() % fragments.len() as u64) as usize]);
            if next() % 4 == 0 {
                page.extend(
                    (0..next() % 8).filter_map(|_| char::from_u32((next() % 0x3000) as u32)),
                );
            }
        }
        let out = snapshot(&page, "政务公开");
        assert_allowed(&out);
        assert!(out.contains("id=\"govcheck-match\""), "{page:?}");
    }
}

#[test]
fn pdf_text_gets_a_banner_page() {
    let url = Url::parse("http://127.0.0.1/a.pdf").unwrap();
    let out = text_snapshot(
        &stamp(&url),
        "一、总体情况 <b>",
        "总体情况",
        Some("ab.captured.pdf"),
    );
    assert!(out.starts_with(PREAMBLE), "{out}");
    assert!(out.contains("<mark id=\"govcheck-match\">总体情况</mark>"));
    assert!(out.contains("&lt;b&gt;"));
    assert!(out.contains("href=\"ab.captured.pdf\""));
}
