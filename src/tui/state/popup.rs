//! The popups of the layer stack. A confirm holds the call it will make as data.

use ratatui_textarea::TextArea;

use super::form::FormState;
use crate::tui::action::Action;
use crate::tui::effect::Call;

#[derive(Debug, Clone)]
pub enum Popup {
    Help { scroll: u16 },
    Palette(PaletteState),
    Filter(FilterState),
    Picker(PickerState),
    Form(Box<FormState>),
    Confirm(ConfirmState),
    Outbox(OutboxState),
}

/// The provider's outbox as the TUI shows it: newest first; enter opens the ticket.
#[derive(Debug, Clone)]
pub struct OutboxState {
    pub items: Vec<desk_engine::model::Notification>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub struct FilterState {
    pub input: TextArea<'static>,
    pub error: Option<String>,
}

impl FilterState {
    pub fn new(query: &str) -> FilterState {
        let mut input = TextArea::new(vec![query.to_string()]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        FilterState { input, error: None }
    }

    pub fn text(&self) -> String {
        self.input.lines().join(" ")
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
}

/// What a picked entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Status,
    Queue,
    Assign,
    WorkType,
    Priority,
    Taskfire(Vec<TaskfireItem>),
}

#[derive(Debug, Clone)]
pub struct PickerState {
    pub title: String,
    pub items: Vec<String>,
    /// An index into `visible()`.
    pub selected: usize,
    pub pick: Pick,
    /// Said under the list: why an entry is missing, what is current.
    pub note: Option<String>,
    /// What was typed to narrow the list.
    pub typed: String,
}

impl PickerState {
    pub fn new(title: String, items: Vec<String>, selected: usize, pick: Pick) -> Self {
        PickerState {
            title,
            items,
            selected,
            pick,
            note: None,
            typed: String::new(),
        }
    }

    /// The entries shown: all, or those with a word starting with what was typed
    /// ("ok" finds "ben Ben Okafor", "nov" finds "kim@contoso.example Kim Novak").
    pub fn visible(&self) -> Vec<&String> {
        let typed = self.typed.to_lowercase();
        self.items
            .iter()
            .filter(|i| {
                typed.is_empty()
                    || i.to_lowercase()
                        .split(|c: char| c.is_whitespace() || "@.-_(".contains(c))
                        .any(|w| w.starts_with(&typed))
            })
            .collect()
    }

    /// The entry under the cursor, if any is shown.
    pub fn chosen(&self) -> Option<String> {
        self.visible().get(self.selected).map(|s| (*s).clone())
    }
}

#[derive(Debug, Clone)]
pub struct ConfirmState {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: Call,
}

#[derive(Debug, Clone)]
pub struct PaletteState {
    pub input: TextArea<'static>,
    pub selected: usize,
}

/// A palette entry: an action valid now, its keys and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    pub action: Action,
    pub keys: String,
    pub text: String,
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
