//! The popups of the layer stack. Each is one module that owns its state, its keys (a
//! layer of the action table), its footer hints and its view, and answers every key with
//! one [`Flow`]: stay, close, or an [`Outcome`] for `update` to carry out. The top popup
//! takes every key; nothing underneath sees it (docs/tui.md, "Layers").

pub mod confirm;
pub mod conflict;
pub mod filter;
pub mod form;
pub mod help;
pub mod outbox;
pub mod palette;
pub mod picker;
pub mod results;
pub mod text;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use crossterm::event::KeyEvent;
use desk_engine::model::Catalog;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

use super::action::{Action, Layer, TABLE};
use super::keymap::Keymap;
use super::ops::{Batch, Op};
use super::state::State;
use super::theme::Theme;
pub use confirm::{ConfirmState, Pending};
pub use conflict::ConflictState;
pub use filter::FilterState;
pub use form::FormState;
pub use help::HelpState;
pub use outbox::OutboxState;
pub use palette::PaletteState;
pub use picker::{Choice, Picked, PickerState};
pub use results::ResultsState;

#[derive(Debug, Clone)]
pub enum Popup {
    Help(HelpState),
    Palette(PaletteState),
    Filter(FilterState),
    Picker(PickerState),
    Form(Box<FormState>),
    Confirm(ConfirmState),
    Outbox(OutboxState),
    Conflict(Box<ConflictState>),
    Results(ResultsState),
}

/// What a popup's key handler may read besides its own state.
pub struct Ctx<'a> {
    pub keymap: &'a Keymap,
    pub catalog: Option<&'a Catalog>,
    /// Who `assigned:me` is.
    pub me: &'a str,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

/// A popup's answer to a key.
#[derive(Debug)]
pub enum Flow {
    /// Stay open (the popup may have changed itself).
    Stay,
    /// Close; nothing else.
    Close,
    /// Stay open, and have `update` do this.
    Do(Outcome),
    /// Close, then have `update` do this.
    CloseThen(Outcome),
}

/// What a popup asks of the rest of the app, as data.
#[derive(Debug)]
pub enum Outcome {
    /// The palette chose an action.
    Run(Action),
    /// The filter bar's query, parsed and checked.
    ApplyQuery(String),
    /// A picker's entry, with the tickets it acts on as they were when it opened.
    Picked(Picked),
    /// The form on top is valid: send it (it stays open, saving).
    SubmitForm,
    /// Hand the focused field's text to `$EDITOR`.
    Edit(String),
    /// A form was closed with text in it, kept as a draft for that ticket.
    KeepDraft {
        number: String,
        text: String,
    },
    /// A form was closed and its text thrown away on purpose (its draft goes too).
    Discard {
        number: Option<String>,
    },
    Confirmed(Pending),
    /// Find and show this ticket.
    Open(String),
    /// A conflict resolved: save nothing and show theirs, or send mine on top of theirs.
    KeepTheirs(Box<ConflictState>),
    ApplyMine(Op),
    /// The results panel: send the failed ones again.
    Retry(Batch),
    /// The results panel: look at one conflict in full.
    ShowConflict(Box<ConflictState>),
    /// An information for the status line ("nothing deleted").
    Say(String),
}

impl Popup {
    pub fn layer(&self) -> Layer {
        match self {
            Popup::Help(_) => Layer::Help,
            Popup::Palette(_) => Layer::Palette,
            Popup::Filter(_) => Layer::Filter,
            Popup::Picker(_) => Layer::Picker,
            Popup::Form(f) if f.asking() => Layer::Confirm,
            Popup::Form(_) => Layer::Form,
            Popup::Confirm(_) => Layer::Confirm,
            Popup::Outbox(_) => Layer::Outbox,
            Popup::Conflict(_) => Layer::Conflict,
            Popup::Results(_) => Layer::Results,
        }
    }

    pub fn key(&mut self, k: &KeyEvent, cx: &Ctx) -> Flow {
        let action = cx.keymap.action_in(self.layer(), k);
        match self {
            Popup::Help(p) => p.key(k, action),
            Popup::Palette(p) => p.key(k, action),
            Popup::Filter(p) => p.key(k, action, cx),
            Popup::Picker(p) => p.key(k, action, cx),
            Popup::Form(p) => p.key(k, action, cx),
            Popup::Confirm(p) => p.key(action),
            Popup::Outbox(p) => p.key(k, action, cx),
            Popup::Conflict(p) => p.key(action),
            Popup::Results(p) => p.key(k, action, cx),
        }
    }

    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        match self {
            Popup::Help(p) => p.render(s, th, area, buf),
            Popup::Palette(p) => p.render(th, area, buf),
            Popup::Filter(p) => p.render(th, area, buf),
            Popup::Picker(p) => p.render(th, area, buf),
            Popup::Form(p) => p.render(s, th, area, buf),
            Popup::Confirm(p) => p.render(th, area, buf),
            Popup::Outbox(p) => p.render(s, th, area, buf),
            Popup::Conflict(p) => p.render(s, th, area, buf),
            Popup::Results(p) => p.render(s, th, area, buf),
        }
    }

    /// The footer while this popup is on top: its layer's keys that have a short label,
    /// from the table, and what the popup adds (a picker narrows as you type).
    pub fn hints(&self, keymap: &Keymap) -> Vec<(String, String)> {
        let layer = self.layer();
        let mut v = layer_hints(layer, keymap);
        match self {
            Popup::Picker(_) | Popup::Palette(_) | Popup::Help(_) => {
                v.insert(
                    v.len().saturating_sub(1),
                    ("type".into(), "to narrow".into()),
                );
            }
            Popup::Form(f) if f.asking() => {
                v = vec![
                    (keymap.key(Action::Confirm), "discard the text".into()),
                    (keymap.key(Action::Deny), "back to it".into()),
                ];
                if f.draft_number().is_some() {
                    v.insert(1, (keymap.key(Action::KeepDraft), "keep as draft".into()));
                }
            }
            Popup::Conflict(c) if c.has_form_below => {
                v.retain(|(_, d)| d != "close");
                v.push((keymap.key(Action::Cancel), "back to the form".into()));
            }
            _ => {}
        }
        v
    }
}

/// The keys of a layer that the table gives a footer label, as (key, label).
pub fn layer_hints(layer: Layer, keymap: &Keymap) -> Vec<(String, String)> {
    TABLE
        .iter()
        .filter(|d| d.layers.contains(&layer))
        .filter_map(|d| Some((keymap.first_key(d.action)?, d.short?.to_string())))
        .collect()
}

/// A box of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn frame<'a>(title: String, th: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus)
        .title(Span::styled(title, th.focus))
}

/// The row to scroll to so that `selected` is visible in `rows` lines.
pub fn offset(selected: usize, rows: usize) -> usize {
    (selected + 1).saturating_sub(rows.max(1))
}
