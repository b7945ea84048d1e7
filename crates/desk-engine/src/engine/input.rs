//! The text a person types, checked once where it enters the engine, so that every
//! caller (CLI, HTTP, portal, TUI) gets the same answer (docs/rules.md, "Text").

use crate::domain::text::{check_line, check_text};
use crate::error::{Error, Result};

pub(crate) const MAX_TITLE: usize = 500;
pub(crate) const MAX_TEXT: usize = 100_000;

/// A title: one line without control characters, not blank, at most `MAX_TITLE`
/// characters. Checked before trimming: a line break at the end is still a line break.
pub(crate) fn title(text: &str) -> Result<String> {
    check_line("title", text)?;
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid("title", "must not be blank"));
    }
    if t.chars().count() > MAX_TITLE {
        return Err(Error::invalid(
            "title",
            format!("is longer than {MAX_TITLE} characters"),
        ));
    }
    Ok(t.to_string())
}

/// A note's text (the field is named as the caller calls it): line breaks and tabs,
/// no other control character, not blank, at most `MAX_TEXT` bytes.
pub(crate) fn note_text(field: &str, text: &str) -> Result<String> {
    let t = check_text(field, text)?;
    let t = t.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, "must not be blank"));
    }
    too_long(field, t)?;
    Ok(t.to_string())
}

/// A ticket's description: like a note, but it may be empty.
pub(crate) fn description(text: &str) -> Result<String> {
    let t = check_text("description", text)?;
    let t = t.trim_end();
    too_long("description", t)?;
    Ok(t.to_string())
}

fn too_long(field: &str, t: &str) -> Result<()> {
    if t.len() > MAX_TEXT {
        return Err(Error::invalid(
            field,
            format!("is longer than {MAX_TEXT} bytes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn a_title_with_a_trailing_line_break_is_refused_not_trimmed() {
        assert!(title("Printer\n").is_err());
        assert_eq!(title("  Printer  ").unwrap(), "Printer");
    }

    #[test]
    fn a_description_may_be_empty_but_not_hold_escapes() {
        assert_eq!(description("").unwrap(), "");
        assert_eq!(description("a\r\n\tb\n").unwrap(), "a\n\tb");
        let e = description("x\u{1b}[2J").unwrap_err().to_string();
        assert!(e.starts_with("description: "), "{e}");
        assert!(description(&"x".repeat(MAX_TEXT + 1)).is_err());
    }
}
