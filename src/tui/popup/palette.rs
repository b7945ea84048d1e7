//! `:`: every action valid for the current ticket (and marks), with its keys, narrowed by
//! typing; enter runs it. The entries are taken from the action table when it opens.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
use ratatui_textarea::TextArea;

use super::text::type_into;
use super::{Flow, Outcome, centered, frame, offset};
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use crate::tui::ui::clip;

/// A palette entry: an action valid now, its keys and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    pub action: Action,
    pub keys: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct PaletteState {
    pub input: TextArea<'static>,
    pub selected: usize,
    pub entries: Vec<PaletteEntry>,
}

/// Fuzzy match: every character of `needle` in order within `hay`, case aside.
pub fn fuzzy(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars().flat_map(char::to_lowercase);
    needle
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .all(|c| h.any(|x| x == c))
}

impl PaletteState {
    pub fn new(entries: Vec<PaletteEntry>) -> PaletteState {
        PaletteState {
            input: TextArea::default(),
            selected: 0,
            entries,
        }
    }

    pub fn filter(&self) -> String {
        self.input.lines().join("")
    }

    pub fn visible(&self) -> Vec<&PaletteEntry> {
        let f = self.filter();
        self.entries
            .iter()
            .filter(|e| fuzzy(&f, &e.text) || fuzzy(&f, &e.action.name()))
            .collect()
    }

    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>) -> Flow {
        match action {
            Some(Action::Cancel) => Flow::Close,
            Some(Action::Choose) => match self.visible().get(self.selected) {
                Some(e) => Flow::CloseThen(Outcome::Run(e.action)),
                None => Flow::Stay,
            },
            Some(Action::MoveDown) => {
                self.selected = (self.selected + 1).min(self.visible().len().saturating_sub(1));
                Flow::Stay
            }
            Some(Action::MoveUp) => {
                self.selected = self.selected.saturating_sub(1);
                Flow::Stay
            }
            _ => {
                type_into(&mut self.input, k);
                self.selected = 0;
                Flow::Stay
            }
        }
    }

    pub fn render(&self, th: &Theme, area: Rect, buf: &mut Buffer) {
        let r = centered(area, 64, 16);
        Clear.render(r, buf);
        let block = frame("Commands (type to filter)".into(), th);
        let inner = block.inner(r);
        block.render(r, buf);
        Paragraph::new(Line::from(vec![
            Span::styled("> ", th.key),
            Span::raw(desk_engine::domain::text::one_line(&self.filter()).into_owned()),
        ]))
        .render(Rect { height: 1, ..inner }, buf);
        let entries = self.visible();
        let sel = self.selected.min(entries.len().saturating_sub(1));
        let lines: Vec<Line> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let st = if i == sel { th.selected } else { th.text };
                Line::from(vec![
                    Span::styled(
                        format!("{:<10}", e.keys),
                        if i == sel { st } else { th.key },
                    ),
                    Span::styled(clip(&e.text, inner.width.saturating_sub(10) as usize), st),
                ])
            })
            .collect();
        let body = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        };
        let off = offset(sel, body.height as usize);
        Paragraph::new(lines)
            .scroll((off as u16, 0))
            .render(body, buf);
    }
}
