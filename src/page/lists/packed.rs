//! Scripts packed with Dean Edwards' packer.
//!
//! `eval(function(p,a,c,k,e,d){…}('0 1=\'/2/3/\';…',36,13,'var|base|…'.split('|'),0,{}))`
//! hides a list script's request from anyone reading the page, the crawler
//! included. The packing is a fixed word substitution: every word of the
//! payload is a number in base `a` indexing the dictionary `k`. Undoing it
//! needs no JavaScript, and the list readers then see the plain script.

use super::js;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static PACKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)\s*\{",
    )
    .unwrap()
});
/// A word as JavaScript's `\b\w+\b` sees it: ASCII only.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[0-9A-Za-z_]+(?-u:\b)").unwrap());
/// Dictionaries larger than this are not a page script.
const MAX_WORDS: usize = 20_000;

/// `code` with every packed part unpacked; `None` when nothing was packed
/// or the packing could not be read.
pub(super) fn unpack(code: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for packed in PACKER.find_iter(code) {
        if packed.start() < copied {
            continue;
        }
        let body_open = packed.end() - 1;
        let body = js::enclosed(code, body_open)?;
        let args_open = body_open + body.len() + 2;
        if code.as_bytes().get(args_open) != Some(&b'(') {
            return None;
        }
        let args = js::enclosed(code, args_open)?;
        let plain = unpack_call(args)?;
        // Past the `eval(` call's closing parenthesis.
        let eval_open = packed.start() + code[packed.start()..].find('(')?;
        let end = eval_open + js::enclosed(code, eval_open)?.len() + 2;
        out.push_str(&code[copied..packed.start()]);
        out.push_str(&plain);
        copied = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&code[copied..]);
    Some(out)
}

/// The packer's arguments: payload, radix, count, dictionary.
fn unpack_call(args: &str) -> Option<String> {
    let parts = js::split_top(args, b',');
    let payload = unescaped_literal(parts.first()?)?;
    let radix: u32 = parts.get(1)?.trim().parse().ok()?;
    let count: usize = parts.get(2)?.trim().parse().ok()?;
    let dictionary = parts.get(3)?.trim();
    let words_literal = dictionary
        .strip_suffix(".split('|')")
        .or_else(|| dictionary.strip_suffix(".split(\"|\")"))?;
    let words_text = unescaped_literal(words_literal)?;
    let words: Vec<&str> = words_text.split('|').collect();
    if !(2..=62).contains(&radix) || count > MAX_WORDS || words.len() > MAX_WORDS {
        return None;
    }
    let table: HashMap<String, &str> = (0..count.min(words.len()))
        .filter(|&i| !words[i].is_empty())
        .map(|i| (encode(i, radix), words[i]))
        .collect();
    Some(
        WORD.replace_all(&payload, |m: &regex::Captures| {
            table
                .get(&m[0])
                .map_or_else(|| m[0].to_string(), |w| w.to_string())
        })
        .into_owned(),
    )
}

/// The packer's `e(c)`: base `radix` with digits 0-9, a-z, then A-Z.
fn encode(n: usize, radix: u32) -> String {
    let radix = radix as usize;
    let digit = |d: usize| match d {
        0..=9 => (b'0' + d as u8) as char,
        10..=35 => (b'a' + (d - 10) as u8) as char,
        _ => (d as u8 + 29) as char,
    };
    let head = if n < radix {
        String::new()
    } else {
        encode(n / radix, radix as u32)
    };
    format!("{head}{}", digit(n % radix))
}

/// A single- or double-quoted literal with its escapes undone.
fn unescaped_literal(expr: &str) -> Option<String> {
    let expr = expr.trim();
    let quote = expr.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = expr.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKED: &str = r#"eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0 1 = \'/2/3/4/\';\n0 5 = \'6\' + \'7\' + \'8\' + \'.9\';\n$.a(1 + 5, b (9) { $(\'#c\').9(9); });\n',36,13,'var|base|zwgk|jyxx|data|file|jy|_|list|html|get|function|infoList'.split('|'),0,{}))"#;

    #[test]
    fn a_packed_list_script_reads_as_written() {
        let plain = unpack(&format!("var x = 1;\n{PACKED}\nvar y = 2;")).unwrap();
        assert!(
            plain.starts_with("var x = 1;\nvar base = '/zwgk/jyxx/data/';"),
            "{plain}"
        );
        assert!(
            plain.contains("var file = 'jy' + '_' + 'list' + '.html';"),
            "{plain}"
        );
        assert!(
            plain.contains("$.get(base + file, function (html)"),
            "{plain}"
        );
        assert!(plain.ends_with("\nvar y = 2;"), "{plain}");
    }

    #[test]
    fn base_62_words_and_plain_scripts() {
        assert_eq!(encode(61, 62), "Z");
        assert_eq!(encode(62, 62), "10");
        assert_eq!(encode(35, 36), "z");
        assert!(unpack("$.get('/a.json', render);").is_none());
        // A cut packer is left alone, never a panic.
        assert!(unpack(&PACKED[..PACKED.len() - 40]).is_none());
    }
}
