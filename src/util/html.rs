//! HTML escaping for every page govcheck writes (the report and the
//! stamped snapshots): captured text is never markup.

/// Escape text for HTML element content and quoted attributes; control
/// characters are dropped ([`super::without_controls`]).
pub fn escape(text: &str) -> String {
    let text = super::without_controls(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
