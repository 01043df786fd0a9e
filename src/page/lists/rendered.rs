//! Pages drawn in the browser by the site's own scripts.
//!
//! A single-page application ships an empty mount point (`<div
//! id="app"></div>`) and a script that fills it: without a browser the
//! crawler sees no list at all. The site's own scripts (not a well-known
//! library) are named here, so the audit can say the page was drawn by
//! script instead of failing items on an empty page.
//!
//! A page may also be drawn in part: a menu or list whose links exist only
//! as template bindings (avalon `ms-repeat` with `ms-attr-href`, Vue
//! `v-for` with `:href`, `href="/x/{{el.id}}.html"`). The static markup
//! holds the template once, never the rows it repeats.

use crate::page::dom::{section, visible_text};
use crate::page::links::resolve;
use scraper::{Html, Selector};
use std::sync::LazyLock;
use url::Url;

static ANCHORS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a").expect("static selector"));
static SCRIPT_FILES: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script[src]").expect("static selector"));
/// File-name fragments of libraries that never fetch a page's list.
const LIBRARIES: &[&str] = &[
    "jquery",
    "bootstrap",
    "vue",
    "react",
    "layui",
    "layer",
    "swiper",
    "echarts",
    "html5shiv",
    "respond",
    "polyfill",
    "jweixin",
    "hm.js",
    "cnzz",
    "analytics",
    "gtag",
    "flexible",
    "superslide",
    "slide",
    "lazyload",
    "qrcode",
    "md5",
    "base64",
    "moment",
    "dayjs",
    "lodash",
    "underscore",
    "axios.min",
    "zepto",
    "require",
    "sea.js",
    "pinyin",
    "font",
    "wza",
    "aria",
    "accessib",
    "share",
    "baidu",
    "xxgkweb",
    "kaipu",
];

/// `script[src]` files that are not a well-known library.
pub(super) fn app_scripts(doc: &Html, page_url: &Url) -> Vec<Url> {
    doc.select(&SCRIPT_FILES)
        .filter_map(|s| resolve(page_url, s.value().attr("src")?))
        .filter(|url| {
            let name = url
                .path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or_default()
                .to_ascii_lowercase();
            !name.is_empty() && !LIBRARIES.iter().any(|l| name.contains(l))
        })
        .collect()
}

/// Where single-page applications mount (Vue `#app`, React `#root`, Nuxt,
/// Next, Angular).
static MOUNT_POINTS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("#app, #root, #__nuxt, #__next, [data-v-app], app-root")
        .expect("static selector")
});

/// An empty application mount point: the page's content is drawn by script.
pub(crate) fn has_empty_mount_point(doc: &Html) -> bool {
    doc.select(&MOUNT_POINTS)
        .any(|el| visible_text(el).is_empty() && el.children().all(|c| !c.value().is_element()))
}

/// Attributes a template library binds a link's address through.
const BOUND_HREFS: &[&str] = &["ms-attr-href", "ms-href", ":href", "v-bind:href", "ng-href"];

/// A link list drawn from a template: the heading it stands under (empty
/// when none) and the address template, for a person.
#[derive(Debug, PartialEq)]
pub(crate) struct TemplateList {
    pub heading: String,
    pub template: String,
}

/// The page's links whose address only a script fills in (a bound
/// attribute, or `{{ }}` in `href`), one per heading.
pub(crate) fn template_lists(doc: &Html) -> Vec<TemplateList> {
    let mut lists: Vec<TemplateList> = Vec::new();
    for a in doc.select(&ANCHORS) {
        let e = a.value();
        let bound = BOUND_HREFS.iter().find_map(|name| e.attr(name));
        let template = bound.or_else(|| e.attr("href").filter(|h| h.contains("{{")));
        let Some(template) = template else {
            continue;
        };
        let heading = section(a);
        if !lists.iter().any(|l| l.heading == heading) {
            lists.push(TemplateList {
                heading,
                template: template.to_string(),
            });
        }
    }
    lists
}
