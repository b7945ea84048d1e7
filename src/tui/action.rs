//! User intents. The serde names are what the config file's `[keys]` table uses, so
//! renaming a variant is a breaking change for users' config files.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Palette,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    Open,
    Back,
    Filter,
    ClearFilter,
    SaveView,
    DeleteView,
    Refresh,
    SortNext,
    SortReverse,
    Status,
    Queue,
    Assign,
    Due,
    Title,
    WorkType,
    Priority,
    Note,
    Taskfire,
    Escalate,
    NewTicket,
    Outbox,
    // The popup layer: keys inside forms and confirmations.
    SaveForm,
    NextField,
    PrevField,
    Editor,
    Confirm,
}

/// Which table a binding is in. A key may mean one thing on the panes and another in a
/// form (tab: next pane / next field); conflicts are only within one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Main,
    Popup,
}

/// Where an action makes sense; the palette and the footer offer only what applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere.
    Global,
    /// Needs a selected ticket.
    Ticket,
}

impl Action {
    pub const ALL: [Action; 37] = [
        Action::Quit,
        Action::Help,
        Action::Palette,
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::NextPane,
        Action::PrevPane,
        Action::Open,
        Action::Back,
        Action::Filter,
        Action::ClearFilter,
        Action::SaveView,
        Action::DeleteView,
        Action::Refresh,
        Action::SortNext,
        Action::SortReverse,
        Action::Status,
        Action::Queue,
        Action::Assign,
        Action::Due,
        Action::Title,
        Action::WorkType,
        Action::Priority,
        Action::Note,
        Action::Taskfire,
        Action::Escalate,
        Action::NewTicket,
        Action::Outbox,
        Action::SaveForm,
        Action::NextField,
        Action::PrevField,
        Action::Editor,
        Action::Confirm,
    ];

    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit desk",
            Action::Help => "show every key",
            Action::Palette => "command palette",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Top => "go to the first row",
            Action::Bottom => "go to the last row",
            Action::PageUp => "a page up",
            Action::PageDown => "a page down",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Open => "open the selection",
            Action::Back => "back / close",
            Action::Filter => "filter the list (query)",
            Action::ClearFilter => "clear the filter",
            Action::SaveView => "save the filter as a named view",
            Action::DeleteView => "delete the selected saved view",
            Action::Refresh => "reload from the backend",
            Action::SortNext => "sort by the next column",
            Action::SortReverse => "reverse the sort order",
            Action::Status => "set the status",
            Action::Queue => "move to another queue",
            Action::Assign => "assign a resource",
            Action::Due => "set the due date",
            Action::Title => "rename the ticket (its title)",
            Action::WorkType => "set the work type",
            Action::Priority => "set the priority",
            Action::Note => "add a note",
            Action::Taskfire => "Taskfire menu",
            Action::Escalate => "escalate to the provider",
            Action::NewTicket => "new ticket",
            Action::Outbox => "the outbox: notifications sent, newest first",
            Action::SaveForm => "save the form",
            Action::NextField => "next field",
            Action::PrevField => "previous field",
            Action::Editor => "write the field in $EDITOR",
            Action::Confirm => "yes, do it (in a confirmation)",
        }
    }

    pub fn layer(self) -> Layer {
        match self {
            Action::SaveForm
            | Action::NextField
            | Action::PrevField
            | Action::Editor
            | Action::Confirm => Layer::Popup,
            _ => Layer::Main,
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Action::Status
            | Action::Queue
            | Action::Assign
            | Action::Due
            | Action::Title
            | Action::WorkType
            | Action::Priority
            | Action::Note
            | Action::Taskfire
            | Action::Escalate => Scope::Ticket,
            _ => Scope::Global,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(&a.name()), Some(a), "{a:?}");
        }
        assert_eq!(Action::WorkType.name(), "work_type");
    }
}
