//! A question before something that cannot be taken back or that touches many tickets.
//! It holds what it will do as data, so that nothing happens until yes.

use desk_engine::domain::text::one_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::{Flow, Outcome, centered, frame};
use crate::tui::action::Action;
use crate::tui::ops::Batch;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Send these edits (one ticket or many).
    Ops(Batch),
    /// T4: delete this ticket, conditional on the version the confirmation named.
    Delete(Box<desk_engine::model::Ticket>),
    /// Send the form underneath, whose review this was.
    Form,
}

#[derive(Debug, Clone)]
pub struct ConfirmState {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: Pending,
    /// Said when the answer is no.
    pub on_no: String,
}

impl ConfirmState {
    pub fn key(&mut self, action: Option<Action>) -> Flow {
        match action {
            Some(Action::Confirm) => {
                let pending = std::mem::replace(&mut self.on_yes, Pending::Form);
                Flow::CloseThen(Outcome::Confirmed(pending))
            }
            Some(Action::Deny | Action::Cancel) => {
                Flow::CloseThen(Outcome::Say(std::mem::take(&mut self.on_no)))
            }
            _ => Flow::Stay,
        }
    }

    pub fn render(&self, th: &Theme, area: Rect, buf: &mut Buffer) {
        let width = 70u16;
        let inner_w = usize::from(width.min(area.width).saturating_sub(2)).max(10);
        let wrapped: Vec<String> = self
            .lines
            .iter()
            .flat_map(|l| {
                textwrap::wrap(&one_line(l), inner_w)
                    .into_iter()
                    .map(|c| c.into_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        let h = u16::try_from(wrapped.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let r = centered(area, width, h);
        Clear.render(r, buf);
        let block = frame(one_line(&self.title).into_owned(), th);
        let inner = block.inner(r);
        block.render(r, buf);
        let lines: Vec<Line> = wrapped
            .into_iter()
            .map(|l| Line::styled(l, th.text))
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
