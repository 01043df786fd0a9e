//! What may pass from a captured page into its snapshot: the allow-lists
//! of elements and attributes, and the checks on the values that could
//! load something (links, CSS, `data:` images).
//!
//! Kept apart from the serialiser (`clean`) so the whole policy reads in
//! one place; anything not named here is dropped or unwrapped.

use url::Url;

/// Elements written out with their tag (and allowed attributes).
pub(super) const KEPT: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "main",
    "mark",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rb",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Kept elements that have no end tag.
pub(super) const VOID: &[&str] = &["br", "col", "hr", "wbr"];

/// Elements dropped with everything inside them. `title`, `style`, `img`,
/// `iframe`, `frame` and `input` are read first (see `clean`).
pub(super) const DROPPED: &[&str] = &[
    "applet",
    "area",
    "audio",
    "base",
    "datalist",
    "embed",
    "fencedframe",
    "frame",
    "iframe",
    "img",
    "input",
    "link",
    "math",
    "meta",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "optgroup",
    "option",
    "param",
    "portal",
    "script",
    "select",
    "source",
    "style",
    "svg",
    "template",
    "title",
    "track",
    "video",
];

/// Attributes kept on a kept element: none of them names a URL or runs
/// anything. `id`s starting with `govcheck` are dropped (the banner and the
/// match own them), a `style` only when [`css_is_inert`].
pub(super) const ATTRIBUTES: &[&str] = &[
    "align",
    "bgcolor",
    "border",
    "cellpadding",
    "cellspacing",
    "class",
    "color",
    "colspan",
    "dir",
    "face",
    "height",
    "id",
    "lang",
    "nowrap",
    "rowspan",
    "scope",
    "size",
    "span",
    "start",
    "style",
    "title",
    "type",
    "valign",
    "width",
];

/// What in CSS text can load something or reach the banner. Checked on the
/// lower-cased text with control characters removed; a backslash (a CSS
/// escape that could spell any of these) or a `<` (which could end a
/// `<style>`) rejects the text as well.
const CSS_DENIED: &[&str] = &[
    "url(",
    "@import",
    "expression(",
    "image-set(",
    "image(",
    "src(",
    "-moz-binding",
    "behavior",
    "govcheck",
];

/// Raster images a `data:` URL may hold and stay an image.
const DATA_IMAGES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/avif",
];

pub(super) const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// A link target safe to write: an in-page fragment as it is, anything else
/// resolved against `base` and kept only when `http` or `https`. The URL
/// parser strips the spaces, tabs and newlines that hide a scheme, so
/// ` java\tscript:` is seen as `javascript:` and dropped.
pub(super) fn link(base: &Url, value: &str) -> Option<String> {
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.starts_with('#') {
        return Some(trimmed.to_string());
    }
    let absolute = base.join(trimmed).ok()?;
    matches!(absolute.scheme(), "http" | "https").then(|| absolute.to_string())
}

/// An `id` or anchor name only the snapshot's own elements may carry.
pub(super) fn is_ours(value: &str) -> bool {
    value.trim().to_ascii_lowercase().starts_with("govcheck")
}

/// CSS that can load nothing and cannot name the banner (see
/// [`CSS_DENIED`]). `css` has its control characters removed already.
pub(super) fn css_is_inert(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    !lower.contains(['\\', '<']) && !CSS_DENIED.iter().any(|d| lower.contains(d))
}

/// A `data:` URL of a raster image (never SVG, which can hold script).
pub(super) fn is_data_image(src: &str) -> bool {
    let lower: String = src
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("data:") else {
        return false;
    };
    let mime = rest.split([';', ',']).next().unwrap_or_default();
    DATA_IMAGES.contains(&mime) && rest.len() > mime.len()
}
