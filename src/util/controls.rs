//! Control characters out of captured text. A page title may carry ESC
//! sequences (set the window title, clear the screen) or NUL; shown on a
//! terminal or written into a CSV or HTML file they would act instead of
//! being read. Every place that shows or writes captured text passes it
//! through [`without_controls`].

use std::borrow::Cow;

/// `text` without C0 and C1 control characters; tab, line feed and
/// carriage return (text layout, not commands) are kept.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    let is_control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if text.chars().any(is_control) {
        Cow::Owned(text.chars().filter(|c| !is_control(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_nul_are_removed() {
        assert_eq!(
            without_controls("\u{1b}]0;owned\u{7}标题\u{1b}[2J\0\u{9b}31m"),
            "]0;owned标题[2J31m"
        );
        assert!(matches!(without_controls("普通\t标题\n"), Cow::Borrowed(_)));
    }
}
