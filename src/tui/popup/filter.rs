//! `/`: the one-line query. Enter checks it (syntax, and names against the desk's) and
//! applies it; an error stays in the bar, naming what is wrong. ↑/↓ go through the
//! queries applied before.

use crossterm::event::KeyEvent;
use desk_engine::domain::text::one_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
use ratatui_textarea::TextArea;

use super::text::{line, type_into};
use super::{Ctx, Flow, Outcome, centered, frame};
use crate::tui::action::Action;
use crate::tui::query::Query;
use crate::tui::theme::Theme;

/// The example under the input: a query the demo desk takes (a test parses it against
/// the demo's names, as every example of the `?` query page).
pub const EXAMPLE: &str =
    "source:\"Client Portal\" status:new,\"in progress\" due<7d -assigned:none sort:-due printer";

#[derive(Debug, Clone)]
pub struct FilterState {
    pub input: TextArea<'static>,
    pub error: Option<String>,
    /// Queries applied before, oldest first.
    pub history: Vec<String>,
    /// Where ↑/↓ are in the history; `None`: the text being typed.
    pub pos: Option<usize>,
    /// What was typed before going into the history.
    pub typed: String,
}

impl FilterState {
    pub fn new(query: &str, history: Vec<String>) -> FilterState {
        FilterState {
            input: line(query),
            error: None,
            history,
            pos: None,
            typed: query.to_string(),
        }
    }

    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }

    fn show(&mut self, text: &str) {
        self.input = line(text);
        self.error = None;
    }

    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>, cx: &Ctx) -> Flow {
        match action {
            Some(Action::Cancel) => Flow::Close,
            Some(Action::Choose) => {
                let text = self.text();
                let checked = Query::parse(&text).and_then(|q| {
                    q.to_filter(cx.catalog, None, cx.me, cx.now, cx.tz)
                        .map(|_| ())
                });
                match checked {
                    Ok(()) => Flow::CloseThen(Outcome::ApplyQuery(text.trim().to_string())),
                    Err(e) => {
                        self.error = Some(e);
                        Flow::Stay
                    }
                }
            }
            Some(Action::HistoryBack) if !self.history.is_empty() => {
                let i = match self.pos {
                    None => {
                        self.typed = self.text();
                        self.history.len() - 1
                    }
                    Some(i) => i.saturating_sub(1),
                };
                self.pos = Some(i);
                let text = self.history[i].clone();
                self.show(&text);
                Flow::Stay
            }
            Some(Action::HistoryForward) => {
                match self.pos {
                    Some(i) if i + 1 < self.history.len() => {
                        self.pos = Some(i + 1);
                        let text = self.history[i + 1].clone();
                        self.show(&text);
                    }
                    Some(_) => {
                        self.pos = None;
                        let text = self.typed.clone();
                        self.show(&text);
                    }
                    None => {}
                }
                Flow::Stay
            }
            _ => {
                type_into(&mut self.input, k);
                self.error = None;
                self.pos = None;
                Flow::Stay
            }
        }
    }

    pub fn render(&self, th: &Theme, area: Rect, buf: &mut Buffer) {
        let r = centered(area, 76, 6);
        Clear.render(r, buf);
        let block = frame(
            "Filter · ↑ earlier queries · the syntax: ? then tab tab".into(),
            th,
        );
        let inner = block.inner(r);
        block.render(r, buf);
        let input = Rect {
            x: inner.x + 2,
            width: inner.width.saturating_sub(2),
            height: 1,
            ..inner
        };
        Paragraph::new(Span::styled("> ", th.key)).render(Rect { height: 1, ..inner }, buf);
        self.input.render(input, buf);
        let help = match &self.error {
            Some(e) => Line::styled(one_line(e).into_owned(), th.error),
            None => Line::styled(
                format!("e.g. {EXAMPLE} · words, or a ticket number, find tickets"),
                th.dim,
            ),
        };
        Paragraph::new(help).wrap(Wrap { trim: true }).render(
            Rect {
                y: inner.y + 1,
                height: inner.height.saturating_sub(1),
                ..inner
            },
            buf,
        );
    }
}
