//! A form: intro lines, then each field with its label, its input and its error.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::popups::{centered, frame};
use crate::tui::state::form::{FormState, Input};
use crate::tui::theme::Theme;

/// The popup's width; its text wraps to the inside of it.
const WIDTH: u16 = 72;

/// The intro text wrapped to `width` columns.
fn intro_lines(f: &FormState, width: u16) -> Vec<String> {
    let width = usize::from(width.max(10));
    f.intro
        .iter()
        .flat_map(|l| textwrap::wrap(l, width).into_iter().map(|c| c.into_owned()))
        .collect()
}

fn height(f: &FormState, intro: usize) -> u16 {
    let fields: u16 = f
        .fields
        .iter()
        .map(|x| if x.is_multiline() { 1 + 6 } else { 2 })
        .sum();
    intro as u16 + fields + 4
}

/// `hint` says the form's keys, as the keymap has them.
pub fn render(f: &FormState, th: &Theme, hint: &str, area: Rect, buf: &mut Buffer) {
    // A tall form on a short screen: text boxes give up lines first, down to two.
    let intro = intro_lines(f, WIDTH.min(area.width).saturating_sub(2));
    let over = height(f, intro.len()).saturating_sub(area.height);
    let multi = f.fields.iter().filter(|x| x.is_multiline()).count().max(1) as u16;
    let text_h = 6u16.saturating_sub(over.div_ceil(multi)).max(2);
    let r = centered(area, WIDTH, height(f, intro.len()).min(area.height));
    Clear.render(r, buf);
    let block = frame(f.title.clone(), th);
    let inner = block.inner(r);
    block.render(r, buf);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    let line_at = |y: u16, line: Line, buf: &mut Buffer| {
        if y < bottom {
            Paragraph::new(line).render(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
    };
    for l in intro {
        line_at(y, Line::styled(l, th.dim), buf);
        y += 1;
    }
    for (i, field) in f.fields.iter().enumerate() {
        let focus = i == f.focus;
        let mut label = vec![Span::styled(
            format!(
                "{}{}{}",
                if focus { "▶ " } else { "  " },
                field.label,
                if field.required { " *" } else { "" }
            ),
            if focus { th.focus } else { th.header },
        )];
        if let Some(e) = &field.error {
            label.push(Span::styled(format!("  ✗ {e}"), th.error));
        }
        line_at(y, Line::from(label), buf);
        y += 1;
        match &field.input {
            Input::Text {
                area: ta,
                multiline,
            } => {
                let h = if *multiline { text_h } else { 1 };
                let rect = Rect {
                    x: inner.x + 2,
                    y,
                    width: inner.width.saturating_sub(2),
                    height: h.min(bottom.saturating_sub(y)),
                };
                let mut ta = ta.clone();
                if !focus {
                    ta.set_cursor_style(Style::default());
                }
                ta.set_cursor_line_style(Style::default());
                if *multiline {
                    ta.set_block(
                        Block::default()
                            .borders(Borders::ALL)
                            .border_style(if focus { th.focus } else { th.border }),
                    );
                }
                if rect.height > 0 {
                    ta.render(rect, buf);
                }
                y += h;
            }
            Input::Choice { options, selected } => {
                let text = match options.get(*selected) {
                    Some(o) => format!("  ‹ {o} ›  ({}/{}, ←/→)", selected + 1, options.len()),
                    None => "  (nothing to choose from)".into(),
                };
                line_at(
                    y,
                    Line::styled(text, if focus { th.key } else { th.text }),
                    buf,
                );
                y += 1;
            }
            Input::Toggle {
                on,
                off_label,
                on_label,
            } => {
                let (mark, text, st) = if *on {
                    ("[x]", on_label, th.error)
                } else {
                    ("[ ]", off_label, th.text)
                };
                line_at(
                    y,
                    Line::styled(format!("  {mark} {text}  (space toggles)"), st),
                    buf,
                );
                y += 1;
            }
        }
    }
    let status = if f.saving.is_some() {
        Line::styled("saving…", th.key)
    } else if let Some(e) = &f.error {
        Line::styled(e.clone(), th.error)
    } else {
        Line::styled(hint.to_string(), th.dim)
    };
    if y < bottom {
        Paragraph::new(status).wrap(Wrap { trim: true }).render(
            Rect {
                y,
                height: bottom - y,
                ..inner
            },
            buf,
        );
    }
}
