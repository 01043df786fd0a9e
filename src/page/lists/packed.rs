//! Scripts packed with Dean Edwards' packer.
//!
//! `eval(function(p,a,c,k,e,d){…}('0 1=\'/2/3/\';…',36,13,'var|base|…'.split('|'),0,{}))`
//! hides a list script's request from anyone reading the page, the crawler
//! included. The packing is a fixed word substitution: every word of the
//! payload is a number in base `a` indexing the dictionary `k`. Undoing it
//! needs no JavaScript, and the list readers then see the plain script.

use super::js::{Code, Expr};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A word as JavaScript's `\b\w+\b` sees it: ASCII only.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[0-9A-Za-z_]+(?-u:\b)").unwrap());
/// Dictionaries larger than this are not a page script.
const MAX_WORDS: usize = 20_000;

/// `text` (parsed as `code`) with every packed part unpacked; `None` when
/// nothing was packed or the packing could not be read.
pub(super) fn unpack(text: &str, code: &Code) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for call in &code.calls {
        let [Expr::Call(packer, args)] = call.args.as_slice() else {
            continue;
        };
        if call.callee.path() != Some("eval") || call.span.start < copied || !is_packer(packer) {
            continue;
        }
        let plain = unpack_call(args)?;
        out.push_str(text.get(copied..call.span.start)?);
        out.push_str(&plain);
        copied = call.span.end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(text.get(copied..)?);
    Some(out)
}

/// Whether a callee is the packer's `function(p,a,c,k,e,d){…}`.
fn is_packer(callee: &Expr) -> bool {
    let Expr::Other(source) = callee else {
        return false;
    };
    let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
    ["function(p,a,c,k,e,d)", "function(p,a,c,k,e,r)"]
        .iter()
        .any(|head| compact.starts_with(head))
}

/// The packer's arguments: payload, radix, count, dictionary
/// (`'a|b'.split('|')`).
fn unpack_call(args: &[Expr]) -> Option<String> {
    let [Expr::Str(payload), Expr::Num(radix), Expr::Num(count), Expr::Call(split, separator), ..] =
        args
    else {
        return None;
    };
    let Expr::Member(words, method) = split.as_ref() else {
        return None;
    };
    let (Expr::Str(words_text), [Expr::Str(bar)]) = (words.as_ref(), separator.as_slice()) else {
        return None;
    };
    if method != "split" || bar != "|" {
        return None;
    }
    let radix: u32 = radix.parse().ok()?;
    let count: usize = count.parse().ok()?;
    let words: Vec<&str> = words_text.split('|').collect();
    if !(2..=62).contains(&radix) || count > MAX_WORDS || words.len() > MAX_WORDS {
        return None;
    }
    let table: HashMap<String, &str> = (0..count.min(words.len()))
        .filter(|&i| !words[i].is_empty())
        .map(|i| (encode(i, radix), words[i]))
        .collect();
    Some(
        WORD.replace_all(payload, |m: &regex::Captures| {
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

#[cfg(test)]
mod tests {
    use super::super::js::read;
    use super::*;

    const PACKED: &str = r#"eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0 1 = \'/2/3/4/\';\n0 5 = \'6\' + \'7\' + \'8\' + \'.9\';\n$.a(1 + 5, b (9) { $(\'#c\').9(9); });\n',36,13,'var|base|zwgk|jyxx|data|file|jy|_|list|html|get|function|infoList'.split('|'),0,{}))"#;

    #[test]
    fn a_packed_list_script_reads_as_written() {
        let text = format!("var x = 1;\n{PACKED}\nvar y = 2;");
        let plain = unpack(&text, &read(&text)).unwrap();
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
        let plain = "$.get('/a.json', render);";
        assert!(unpack(plain, &read(plain)).is_none());
        // A cut packer is left alone, never a panic.
        let cut = &PACKED[..PACKED.len() - 40];
        assert!(unpack(cut, &read(cut)).is_none());
    }
}
