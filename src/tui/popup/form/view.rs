//! A form on screen: intro lines, then each field with its label, its input, its error,
//! and for a time the instant it resolves to, with its zone.

use desk_engine::domain::text::one_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::super::{centered, frame};
use super::{FieldId, FormState, Input};
use crate::tui::action::Action;
use crate::tui::state::State;
use crate::tui::theme::Theme;

/// The popup's width; its text wraps to the inside of it.
const WIDTH: u16 = 72;

fn wrap(lines: &[String], width: u16) -> Vec<String> {
    let width = usize::from(width.max(10));
    lines
        .iter()
        .flat_map(|l| {
            textwrap::wrap(&one_line(l), width)
                .into_iter()
                .map(|c| c.into_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn rows(f: &FormState, intro: usize) -> u16 {
    let fields: u16 = f
        .fields
        .iter()
        .map(|x| match () {
            _ if x.is_multiline() => 1 + 6,
            _ if x.id.is_time() => 3,
            _ => 2,
        })
        .sum();
    intro as u16 + fields + 4
}

impl FormState {
    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        if self.ask {
            return self.render_ask(s, th, area, buf);
        }
        let k = |a| s.keymap.key(a);
        let hint = format!(
            "{} save · {} next field · {} $EDITOR · esc cancel",
            k(Action::SaveForm),
            k(Action::NextField),
            k(Action::Editor)
        );
        // A tall form on a short screen: text boxes give up lines first, down to two.
        let intro = wrap(&self.intro, WIDTH.min(area.width).saturating_sub(2));
        let over = rows(self, intro.len()).saturating_sub(area.height);
        let multi = self
            .fields
            .iter()
            .filter(|x| x.is_multiline())
            .count()
            .max(1) as u16;
        let text_h = 6u16.saturating_sub(over.div_ceil(multi)).max(2);
        let r = centered(area, WIDTH, rows(self, intro.len()).min(area.height));
        Clear.render(r, buf);
        let block = frame(one_line(&self.title).into_owned(), th);
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
        for (i, field) in self.fields.iter().enumerate() {
            let focus = i == self.focus;
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
                label.push(Span::styled(format!("  ✗ {}", one_line(e)), th.error));
            }
            line_at(y, Line::from(label), buf);
            y += 1;
            match &field.input {
                Input::Text {
                    area: ta,
                    multiline,
                    ..
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
                    if field.id.is_time() {
                        line_at(y, self.resolved(field.id, s, th), buf);
                        y += 1;
                    }
                }
                Input::Choice {
                    options, selected, ..
                } => {
                    let text = match options.get(*selected) {
                        Some(o) => format!(
                            "  ‹ {} ›  ({}/{}, ←/→ or type)",
                            one_line(&o.label),
                            selected + 1,
                            options.len()
                        ),
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
                    let (now, other, st) = if *on {
                        (on_label, off_label, th.published)
                    } else {
                        (off_label, on_label, th.internal)
                    };
                    line_at(
                        y,
                        Line::from(vec![
                            Span::styled(format!("  {now}"), st.add_modifier(Modifier::BOLD)),
                            Span::styled(format!("   (space: {other})"), th.dim),
                        ]),
                        buf,
                    );
                    y += 1;
                }
            }
        }
        let status = if self.saving.is_some() {
            Line::styled("saving…", th.key)
        } else if let Some(e) = &self.error {
            Line::styled(one_line(e).into_owned(), th.error)
        } else {
            Line::styled(hint, th.dim)
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

    /// `→ Tue 2026-12-01 17:00 CET`: what a time field means, before it is saved.
    fn resolved<'a>(&self, id: FieldId, s: &State, th: &Theme) -> Line<'a> {
        match self.time(id, s.now, s.tz) {
            Ok(Some(t)) => Line::styled(
                format!(
                    "  → {}",
                    t.with_timezone(&s.tz).format("%a %Y-%m-%d %H:%M %Z")
                ),
                th.info,
            ),
            Ok(None) if super::is_clear(&self.text(id)) => {
                Line::styled("  → none: the date is cleared", th.info)
            }
            Ok(None) => {
                let empty = if self.kind == super::FormKind::Triage {
                    "empty keeps it, - clears it"
                } else {
                    "empty: none"
                };
                Line::styled(
                    format!(
                        "  {empty} · +2d, tomorrow 17:00, fri, 2026-12-24 10:00 ({})",
                        s.tz.name()
                    ),
                    th.dim,
                )
            }
            Err(e) => Line::styled(format!("  ✗ {}", one_line(&e)), th.error),
        }
    }

    fn render_ask(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let r = centered(area, 60, 7);
        Clear.render(r, buf);
        let block = frame(format!("{} — close?", one_line(&self.title)), th);
        let inner = block.inner(r);
        block.render(r, buf);
        let k = |a| s.keymap.key(a);
        let mut lines = vec![
            Line::styled("You typed text here that is not saved.", th.text),
            Line::raw(""),
            Line::styled(format!("{} throw it away", k(Action::Confirm)), th.text),
        ];
        if self.draft_number().is_some() {
            lines.push(Line::styled(
                format!("{} keep it as this ticket's draft", k(Action::KeepDraft)),
                th.text,
            ));
        }
        lines.push(Line::styled(
            format!("{} back to the form", k(Action::Deny)),
            th.text,
        ));
        Paragraph::new(lines).render(inner, buf);
    }
}
