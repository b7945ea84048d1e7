//! A picker: a list of typed entries (a status, a person by login, a Taskfire action) for
//! one field of the tickets it acts on, kept as they were when it opened. Letters narrow
//! the list; until something is typed, the panes' moving keys (j, k) move too.

use crossterm::event::{KeyCode, KeyEvent};
use desk_engine::domain::text::one_line;
use desk_engine::model::{Ticket, TicketField};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::text::typed_char;
use super::{Ctx, Flow, Outcome, centered, frame};
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use crate::tui::ui::clip;

/// A value for a field: leave it, clear it, or set it to a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Keep,
    Clear,
    Set(String),
}

impl Choice {
    /// The value a `TicketChange` carries: `None` leaves the field, "" clears it.
    pub fn change(&self) -> Option<String> {
        match self {
            Choice::Keep => None,
            Choice::Clear => Some(String::new()),
            Choice::Set(v) => Some(v.clone()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskfireItem {
    Assign,
    Complete,
    Ask,
    Delete,
    Escalate,
}

impl TaskfireItem {
    pub fn label(self) -> &'static str {
        match self {
            TaskfireItem::Assign => "T1  Assign to Taskfire",
            TaskfireItem::Complete => "T2  My work on this ticket is complete",
            TaskfireItem::Ask => "T3  I have a question",
            TaskfireItem::Delete => "T4  Delete (and its Taskfire version)",
            TaskfireItem::Escalate => "T5  Escalate to the provider",
        }
    }

    pub fn action(self) -> Action {
        match self {
            TaskfireItem::Assign => Action::TaskfireAssign,
            TaskfireItem::Complete => Action::TaskfireComplete,
            TaskfireItem::Ask => Action::TaskfireAsk,
            TaskfireItem::Delete => Action::Delete,
            TaskfireItem::Escalate => Action::Escalate,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Field(TicketField, Choice),
    Taskfire(TaskfireItem),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What is shown (and matched when typing): never read back as a value.
    pub label: String,
    pub value: Value,
}

impl Item {
    pub fn new(label: impl Into<String>, value: Value) -> Item {
        Item {
            label: label.into(),
            value,
        }
    }
}

/// What a picker chose, and for which tickets (as they were when it opened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub item: Item,
    pub targets: Vec<Ticket>,
}

#[derive(Debug, Clone)]
pub struct PickerState {
    pub title: String,
    pub items: Vec<Item>,
    /// An index into `visible()`.
    pub selected: usize,
    /// Said under the list: why an entry is missing, what is current.
    pub note: Option<String>,
    /// What was typed to narrow the list.
    pub typed: String,
    pub targets: Vec<Ticket>,
}

/// Whether `label` has a word starting with `typed` ("ok" finds "ben Ben Okafor").
pub fn word_starts(label: &str, typed: &str) -> bool {
    let typed = typed.to_lowercase();
    typed.is_empty()
        || label
            .to_lowercase()
            .split(|c: char| c.is_whitespace() || "@.-_(".contains(c))
            .any(|w| w.starts_with(&typed))
}

impl PickerState {
    pub fn new(title: String, items: Vec<Item>, targets: Vec<Ticket>) -> Self {
        PickerState {
            title,
            items,
            selected: 0,
            note: None,
            typed: String::new(),
            targets,
        }
    }

    /// Starts on the entry whose value is `current`.
    pub fn on(mut self, current: &Value) -> Self {
        self.selected = self
            .items
            .iter()
            .position(|i| &i.value == current)
            .unwrap_or(0);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The entries shown: all, or those with a word starting with what was typed.
    pub fn visible(&self) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| word_starts(&i.label, &self.typed))
            .collect()
    }

    /// The entry under the cursor, if any is shown.
    pub fn chosen(&self) -> Option<Item> {
        self.visible().get(self.selected).map(|i| (*i).clone())
    }

    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>, cx: &Ctx) -> Flow {
        let moving = cx.keymap.action_for(k).filter(|_| self.typed.is_empty());
        match (action, moving) {
            (Some(Action::Cancel), _) => Flow::Close,
            (Some(Action::Choose), _) | (_, Some(Action::Open)) => match self.chosen() {
                Some(item) => Flow::CloseThen(Outcome::Picked(Picked {
                    item,
                    targets: std::mem::take(&mut self.targets),
                })),
                None => Flow::Stay,
            },
            (Some(Action::MoveDown), _) | (_, Some(Action::Down)) => {
                self.selected = (self.selected + 1).min(self.visible().len().saturating_sub(1));
                Flow::Stay
            }
            (Some(Action::MoveUp), _) | (_, Some(Action::Up)) => {
                self.selected = self.selected.saturating_sub(1);
                Flow::Stay
            }
            _ => {
                if let Some(c) = typed_char(k) {
                    self.typed.push(c);
                    self.selected = 0;
                } else if k.code == KeyCode::Backspace {
                    self.typed.pop();
                    self.selected = 0;
                }
                Flow::Stay
            }
        }
    }

    pub fn render(&self, th: &Theme, area: Rect, buf: &mut Buffer) {
        let h = (self.items.len() as u16 + 4).min(20);
        let r = centered(area, 50, h);
        Clear.render(r, buf);
        let title = if self.typed.is_empty() {
            self.title.clone()
        } else {
            format!("{} · {}▏", self.title, one_line(&self.typed))
        };
        let block = frame(title, th);
        let inner = block.inner(r);
        block.render(r, buf);
        let visible = self.visible();
        if visible.is_empty() {
            Paragraph::new(vec![
                Line::styled(
                    format!(" nothing starts with \"{}\"", one_line(&self.typed)),
                    th.dim,
                ),
                Line::styled(" backspace to widen, esc to close", th.dim),
            ])
            .render(inner, buf);
            return;
        }
        let mut lines: Vec<Line> = visible
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let st = if i == self.selected {
                    th.selected
                } else {
                    th.text
                };
                let label = format!(" {}", one_line(&it.label));
                Line::styled(clip(&label, inner.width as usize), st)
            })
            .collect();
        let off = (self.selected + 2).saturating_sub(inner.height as usize);
        if let Some(n) = &self.note {
            lines.push(Line::styled(one_line(n).into_owned(), th.dim));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((off as u16, 0))
            .render(inner, buf);
    }
}
