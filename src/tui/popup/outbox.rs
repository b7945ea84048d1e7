//! `N`: the provider's outbox, newest first: when (with its zone), the event, the ticket,
//! to whom, the subject; the selected message's body previewed below. Enter opens the
//! message's ticket.

use crossterm::event::KeyEvent;
use desk_engine::domain::text::{multi_line, one_line};
use desk_engine::model::Notification;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::{Ctx, Flow, Outcome, centered, frame, offset};
use crate::tui::action::Action;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::ui::{clip, expand_tabs};

#[derive(Debug, Clone)]
pub struct OutboxState {
    pub items: Vec<Notification>,
    pub selected: usize,
}

impl OutboxState {
    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>, cx: &Ctx) -> Flow {
        match (action, cx.keymap.action_for(k)) {
            (Some(Action::Cancel), _) | (_, Some(Action::Quit | Action::Back)) => Flow::Close,
            (Some(Action::MoveDown), _) | (_, Some(Action::Down)) => {
                self.selected = (self.selected + 1).min(self.items.len().saturating_sub(1));
                Flow::Stay
            }
            (Some(Action::MoveUp), _) | (_, Some(Action::Up)) => {
                self.selected = self.selected.saturating_sub(1);
                Flow::Stay
            }
            (Some(Action::Choose), _) | (_, Some(Action::Open)) => {
                match self.items.get(self.selected).and_then(|n| n.ticket.clone()) {
                    Some(number) => Flow::CloseThen(Outcome::Open(number)),
                    None => Flow::Stay,
                }
            }
            _ => Flow::Stay,
        }
    }

    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let r = centered(area, area.width.saturating_sub(4).min(120), area.height);
        Clear.render(r, buf);
        let block = frame(
            format!(
                "Outbox · {} newest · times in {} · enter opens the ticket",
                self.items.len(),
                s.tz.name()
            ),
            th,
        );
        let inner = block.inner(r);
        block.render(r, buf);
        if self.items.is_empty() {
            Paragraph::new(Line::styled(" nothing was sent yet", th.dim)).render(inner, buf);
            return;
        }
        let width = inner.width as usize;
        // The list takes what the preview leaves: at least a third, at most 60 %.
        let preview_rows = (inner.height as usize * 2 / 5).clamp(3, 12);
        let rows = (inner.height as usize)
            .saturating_sub(preview_rows + 1)
            .max(1);
        let off = offset(self.selected, rows);
        let mut shown: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .skip(off)
            .take(rows)
            .map(|(i, n)| {
                let at = n.at.with_timezone(&s.tz).format("%Y-%m-%d %H:%M %Z");
                let event = n.kind().map_or_else(
                    || one_line(&n.event).into_owned(),
                    |e| e.label().to_string(),
                );
                let row = format!(
                    " {at}  {:<16} {:<15} {:<28} {}",
                    clip(&event, 16),
                    one_line(n.ticket.as_deref().unwrap_or("-")),
                    clip(&one_line(&n.to), 28),
                    one_line(&n.subject)
                );
                let st = if i == self.selected {
                    th.selected
                } else {
                    th.text
                };
                Line::styled(clip(&row, width), st)
            })
            .collect();
        if let Some(n) = self.items.get(self.selected) {
            shown.push(Line::styled("─".repeat(width), th.border));
            shown.push(Line::styled(
                clip(&format!(" {}", one_line(&n.subject)), width),
                th.header,
            ));
            let body = expand_tabs(&multi_line(&n.body));
            for l in body.lines().take(preview_rows.saturating_sub(1)) {
                shown.push(Line::styled(clip(&format!(" {l}"), width), th.text));
            }
        }
        Paragraph::new(shown).render(inner, buf);
    }
}
