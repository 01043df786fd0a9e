//! Reading JavaScript literals without running any JavaScript.
//!
//! List scripts on county sites keep what the crawler needs in literals:
//! request URLs, `data` objects, pager settings. These helpers find a
//! bracket's partner, split argument lists and object literals at their
//! top level, and read string, number and boolean literals; anything
//! computed is left for the caller to call a gap.

use regex::Regex;
use std::sync::LazyLock;

/// An identifier or a dotted path (`params`, `SITE_CONFIG.channels.zdjc`).
pub(super) static IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$").unwrap());

/// A whole-expression string literal's content (no concatenation).
pub(super) fn string_literal(expr: &str) -> Option<String> {
    let expr = expr.trim();
    let quote = expr
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = expr.strip_prefix(quote)?.strip_suffix(quote)?;
    let escaped_quote = inner.contains(quote) && !inner.contains(&format!("\\{quote}"));
    if inner.contains(['\n', '\\']) || escaped_quote || (quote == '`' && inner.contains("${")) {
        return None;
    }
    Some(inner.to_string())
}

/// A string, number or boolean literal as a query value.
pub(super) fn scalar_literal(expr: &str) -> Option<String> {
    string_literal(expr).or_else(|| {
        let expr = expr.trim();
        (expr == "true"
            || expr == "false"
            || (!expr.is_empty() && expr.trim_start_matches('-').parse::<f64>().is_ok()))
        .then(|| expr.to_string())
    })
}

/// The text between the bracket at `open` and its partner, skipping
/// brackets inside string literals.
pub(super) fn enclosed(code: &str, open: usize) -> Option<&str> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return code.get(open + 1..i);
                }
            }
            quote @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' && quote != b'`' {
                        break;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `code` with its `//` and `/* */` comments blanked out (string
/// literals kept as they are).
pub(super) fn without_comments(code: &str) -> String {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && (quote == b'`' || bytes[i] != b'\n') {
                    i += usize::from(bytes[i] == b'\\') + 1;
                }
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {
                let end = if bytes[i + 1] == b'/' {
                    code[i..].find('\n').map_or(bytes.len(), |n| i + n)
                } else {
                    code[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |n| i + 2 + n + 2)
                };
                out.push_str(&code[copied..i]);
                out.push(' ');
                copied = end;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(code.get(copied..).unwrap_or_default());
    out
}

/// `s` cut at top-level occurrences of `sep`, each part trimmed.
pub(super) fn split_top(s: &str, sep: u8) -> Vec<&str> {
    let bytes = s.as_bytes();
    let (mut parts, mut depth, mut start, mut i) = (Vec::new(), 0i32, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => depth -= 1,
            quote @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += usize::from(bytes[i] == b'\\') + 1;
                }
            }
            c if c == sep && depth == 0 => {
                parts.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = s.get(start..).unwrap_or_default().trim();
    if !last.is_empty() {
        parts.push(last);
    }
    parts
}

/// `key: value` pairs of an object literal `{…}`, keys unquoted, values
/// as written. `None` when it is not a plain object literal.
pub(super) fn object_fields(object: &str) -> Option<Vec<(String, &str)>> {
    let inner = object.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut fields = Vec::new();
    for part in split_top(inner, b',') {
        let colon = split_top(part, b':');
        let (key, value) = match colon.as_slice() {
            [key, ..] if colon.len() >= 2 => {
                let value_start = part.find(':')? + 1;
                (key.trim(), part[value_start..].trim())
            }
            // `{channelId, page}` shorthand
            [name] if IDENT.is_match(name) => (*name, *name),
            _ => return None,
        };
        let key = string_literal(key).unwrap_or_else(|| key.to_string());
        if !key
            .chars()
            .all(|c| c.is_alphanumeric() || "_$-.[]".contains(c))
        {
            return None;
        }
        fields.push((key, value));
    }
    Some(fields)
}
