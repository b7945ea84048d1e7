//! Text that people type and that desk shows on terminals (docs/rules.md, "Text").
//!
//! Input: a one-line value (a title) holds no control character at all; a text (a note,
//! a description) may hold line breaks and tabs, and no other control character. Line
//! breaks typed in a browser (`\r\n`, a lone `\r`) become `\n`.
//!
//! Output: whatever a store holds anyway (an older store, mail intake later) never
//! reaches a terminal raw. Every control character is shown as a visible escape
//! (`ESC` as `^[`, `BEL` as `^G`, `DEL` as `^?`, C1 characters as `\u{9b}`), so no
//! sequence in a ticket can move a technician's cursor, retitle the window or clear
//! the screen.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Characters that end a line on some terminals or editors besides the C0/C1 controls.
fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

fn describe(c: char) -> String {
    match c {
        // A browser sends a line break as CR LF: name it as what the person typed.
        '\n' | '\r' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        '\u{1b}' => "an escape character (ESC)".to_string(),
        _ => format!("the control character U+{:04X}", u32::from(c)),
    }
}

/// A one-line value (a title): refused, naming `field`, if it holds any control
/// character or line separator.
pub fn check_line(field: &str, value: &str) -> Result<()> {
    match value
        .chars()
        .find(|&c| c.is_control() || is_line_separator(c))
    {
        None => Ok(()),
        Some(c) => Err(Error::invalid(
            field,
            format!(
                "must be one line without control characters; it holds {}",
                describe(c)
            ),
        )),
    }
}

/// A multi-line text (a note, a description), with `\r\n` and lone `\r` made `\n`:
/// refused, naming `field`, if it holds a control character other than a line break or
/// a tab.
pub fn check_text(field: &str, value: &str) -> Result<String> {
    let text = if value.contains('\r') {
        value.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        value.to_string()
    };
    match text
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        None => Ok(text),
        Some(c) => Err(Error::invalid(
            field,
            format!(
                "may hold line breaks and tabs but no other control character; it holds {}",
                describe(c)
            ),
        )),
    }
}

fn escape(c: char, out: &mut String) {
    match u32::from(c) {
        // C0: caret notation, as terminals and `cat -v` show them.
        n @ 0..=0x1f => {
            out.push('^');
            out.push(char::from(b'@' + n as u8));
        }
        0x7f => out.push_str("^?"),
        n => out.push_str(&format!("\\u{{{n:x}}}")),
    }
}

fn escaped(value: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() || is_line_separator(c)) && !keep(c);
    if !value.chars().any(bad) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if bad(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `value` safe for one line of a terminal (a table cell, a title): every control
/// character, line breaks and tabs included, as a visible escape.
pub fn one_line(value: &str) -> Cow<'_, str> {
    escaped(value, |_| false)
}

/// `value` safe for a terminal as several lines (a note's text): line breaks and tabs
/// stay, every other control character becomes a visible escape.
pub fn multi_line(value: &str) -> Cow<'_, str> {
    escaped(value, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn a_plain_title_passes_and_a_control_character_is_named() {
        assert!(check_line("title", "Printer jam on floor 3 – Zürich").is_ok());
        let e = check_line("title", "Printer \u{1b}[2J jam").unwrap_err();
        assert_eq!(
            e.to_string(),
            "title: must be one line without control characters; it holds an escape character (ESC)"
        );
        for two in ["two\nlines", "two\r\nlines", "two\rlines"] {
            assert!(
                check_line("title", two)
                    .unwrap_err()
                    .to_string()
                    .contains("a line break"),
                "{two:?}"
            );
        }
        assert!(check_line("title", "a\ttab").is_err());
        assert!(
            check_line("title", "bell\u{7}")
                .unwrap_err()
                .to_string()
                .contains("U+0007")
        );
        assert!(check_line("title", "csi\u{9b}2J").is_err());
        assert!(check_line("title", "sep\u{2028}x").is_err());
    }

    #[test]
    fn a_text_keeps_line_breaks_and_tabs_and_makes_browser_breaks_plain() {
        assert_eq!(check_text("text", "a\n\tb").unwrap(), "a\n\tb");
        assert_eq!(check_text("text", "a\r\nb\rc").unwrap(), "a\nb\nc");
        let e = check_text("text", "see \u{1b}]0;owned\u{7}").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("text: may hold line breaks and tabs")
        );
        assert!(
            check_text("description", "nul\0")
                .unwrap_err()
                .to_string()
                .contains("U+0000")
        );
    }

    #[test]
    fn output_shows_every_control_character_visibly() {
        assert_eq!(
            one_line("Printer \u{1b}[2J\u{1b}]0;owned\u{7} jam"),
            "Printer ^[[2J^[]0;owned^G jam"
        );
        assert_eq!(one_line("a\nb\tc\u{7f}"), "a^Jb^Ic^?");
        assert_eq!(one_line("csi \u{9b}2J"), "csi \\u{9b}2J");
        assert_eq!(multi_line("a\n\tb\u{1b}c"), "a\n\tb^[c");
        assert!(matches!(one_line("plain – ü"), Cow::Borrowed(_)));
    }
}
