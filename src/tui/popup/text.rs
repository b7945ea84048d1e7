//! Typing into a text input (the filter bar, the palette, a form's fields).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

/// The editing keys of every text input, as help shows them.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    ("ctrl-u", "delete to the start of the line"),
    ("ctrl-k", "delete to the end of the line"),
    ("ctrl-w", "delete the word before the cursor"),
    ("ctrl-z", "undo"),
    ("ctrl-r", "redo"),
];

/// A key typed into a text input. ratatui-textarea's keys, but with a shell's ctrl-u
/// (delete to the start of the line; the crate makes it undo, which in a one-line input
/// looked like deleting a single character), and undo on ctrl-z instead.
pub fn type_into(area: &mut TextArea<'static>, k: &KeyEvent) {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char('u') if ctrl => {
            area.delete_line_by_head();
        }
        KeyCode::Char('z') if ctrl => {
            area.undo();
        }
        _ => {
            area.input(*k);
        }
    }
}

/// A one-line input holding `text`, the cursor at its end.
pub fn line(text: &str) -> TextArea<'static> {
    let mut a = TextArea::new(vec![text.to_string()]);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a
}

/// A character typed as text (not a control combination).
pub fn typed_char(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c)
            if !c.is_control()
                && !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}
