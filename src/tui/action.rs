//! User intents and the one table they are drawn from. Each row says which action, its
//! default keys, the layers (the panes, or a popup) it works in, what it does, its short
//! footer label, its group in the help overlay and when it is valid. Dispatch (through
//! the keymap), `?` help, the footer and the palette all read this table; nothing else
//! matches keys (docs/tui.md, "Keys").
//!
//! The serde names are what the config file's `[keys]` table uses, so renaming a variant
//! is a breaking change for users' config files.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Suspend,
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
    Take,
    Due,
    Title,
    WorkType,
    Priority,
    Triage,
    Note,
    Undo,
    Mark,
    MarkAll,
    ClearMarks,
    Taskfire,
    TaskfireAssign,
    TaskfireComplete,
    TaskfireAsk,
    Delete,
    Escalate,
    NewTicket,
    Outbox,
    Results,
    // Popup layers.
    Cancel,
    Choose,
    MoveUp,
    MoveDown,
    SaveForm,
    NextField,
    PrevField,
    Editor,
    Confirm,
    Deny,
    KeepDraft,
    KeepTheirs,
    ApplyMine,
    Retry,
    HelpPage,
    HistoryBack,
    HistoryForward,
}

/// Where a key is looked up: the panes, or the popup on top. A key may mean one thing on
/// the panes and another in a form (tab: next pane / next field); conflicts are only
/// within one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Main,
    Form,
    Picker,
    Confirm,
    Filter,
    Palette,
    Help,
    Outbox,
    Conflict,
    Results,
}

impl Layer {
    pub fn title(self) -> &'static str {
        match self {
            Layer::Main => "Panes",
            Layer::Form => "In forms",
            Layer::Picker => "In pickers",
            Layer::Confirm => "In confirmations",
            Layer::Filter => "In the filter bar",
            Layer::Palette => "In the palette",
            Layer::Help => "In help",
            Layer::Outbox => "In the outbox",
            Layer::Conflict => "When an edit conflicts",
            Layer::Results => "In the results of a bulk change",
        }
    }
}

/// The help overlay lays the panes' keys out in these columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    Move,
    Ticket,
    Marks,
    Taskfire,
    List,
    App,
    /// Keys of a popup layer (help shows them on the layer's own lines).
    Popup,
}

impl Group {
    pub const MAIN: [Group; 6] = [
        Group::Move,
        Group::List,
        Group::Ticket,
        Group::Marks,
        Group::Taskfire,
        Group::App,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Move => "Moving",
            Group::Ticket => "The ticket (or the marked)",
            Group::Marks => "Marks and undo",
            Group::Taskfire => "Taskfire",
            Group::List => "List and views",
            Group::App => "desk",
            Group::Popup => "Popup",
        }
    }
}

/// When an action is valid; the palette and the footer offer only what is valid now,
/// and a key pressed when its action is not valid says why instead of doing nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// Moving and popup keys: valid, but not offered in the palette.
    Moving,
    /// A ticket is selected (in any mode).
    Ticket,
    /// Staff (provider or Taskfire) with a selected ticket.
    StaffTicket,
    /// Staff, and rows in the list.
    StaffRows,
    /// Staff (provider or Taskfire) with a selected ticket or marks: field changes.
    Edit,
    /// The provider's staff with a selected ticket or marks.
    ProviderEdit,
    /// The provider's staff.
    Provider,
    /// Not in the portal.
    Staff,
    Marks,
    /// A filter is applied.
    Query,
    /// A saved view is selected.
    View,
    /// There is something to undo.
    Undo,
    /// There are results of a bulk change to see again.
    Results,
    /// T1: provider staff, a ticket of a company with Taskfire that is not shared yet or
    /// that the provider holds again after T5 (docs/rules.md, T1); never one the
    /// customer's desk holds. With marks, every marked ticket so, all of one company.
    T1,
    /// T2/T3: provider staff, a shared ticket, and no other ticket marked (they act on
    /// one ticket).
    Shared,
    /// T4: provider staff, a ticket selected and no other ticket marked.
    Delete,
    /// T5: Taskfire staff, a ticket the customer's desk still holds, no other marked.
    T5,
    /// The Taskfire menu has at least one entry for the ticket.
    TaskfireMenu,
}

pub struct Def {
    pub action: Action,
    pub keys: &'static [&'static str],
    pub layers: &'static [Layer],
    pub text: &'static str,
    /// The footer's label; `None`: not in the footer.
    pub short: Option<&'static str>,
    pub group: Group,
    pub when: When,
}

use Layer as L;

const MAIN: &[Layer] = &[L::Main];
const LISTS: &[Layer] = &[L::Picker, L::Palette, L::Outbox, L::Results, L::Help];
const ALL_POPUPS: &[Layer] = &[
    L::Form,
    L::Picker,
    L::Confirm,
    L::Filter,
    L::Palette,
    L::Help,
    L::Outbox,
    L::Conflict,
    L::Results,
];

const fn def(
    action: Action,
    keys: &'static [&'static str],
    layers: &'static [Layer],
    text: &'static str,
    short: Option<&'static str>,
    group: Group,
    when: When,
) -> Def {
    Def {
        action,
        keys,
        layers,
        text,
        short,
        group,
        when,
    }
}

use Action as A;
use Group as G;
use When as W;

/// The table. Its order is the order of the footer, the palette and each help column.
#[rustfmt::skip]
pub const TABLE: &[Def] = &[
    def(A::Help, &["?"], MAIN, "every key, the query syntax", Some("help"), G::App, W::Always),
    def(A::Filter, &["/"], MAIN, "filter the list (query)", Some("filter"), G::List, W::Always),
    def(A::Note, &["n"], MAIN, "add a note", Some("note"), G::Ticket, W::Ticket),
    def(A::Triage, &["R"], MAIN, "triage: six fields at once", Some("triage"), G::Ticket, W::ProviderEdit),
    def(A::Take, &["A"], MAIN, "take: assign to me", Some("take"), G::Ticket, W::ProviderEdit),
    def(A::Status, &["s"], MAIN, "set the status", Some("status"), G::Ticket, W::Edit),
    def(A::Assign, &["a"], MAIN, "assign a resource", None, G::Ticket, W::Edit),
    def(A::Queue, &["m"], MAIN, "move to another queue", None, G::Ticket, W::Edit),
    def(A::Priority, &["p"], MAIN, "set the priority", None, G::Ticket, W::Edit),
    def(A::WorkType, &["w"], MAIN, "set the work type", None, G::Ticket, W::Edit),
    def(A::Due, &["d"], MAIN, "set the due date (+2d, fri)", None, G::Ticket, W::Edit),
    def(A::Title, &["T"], MAIN, "rename (the title)", None, G::Ticket, W::StaffTicket),
    def(A::Mark, &["space"], MAIN, "mark/unmark, move down", None, G::Marks, W::StaffRows),
    def(A::MarkAll, &["*"], MAIN, "mark every row (query)", None, G::Marks, W::StaffRows),
    def(A::ClearMarks, &["X"], MAIN, "clear the marks", Some("clear marks"), G::Marks, W::Marks),
    def(A::Undo, &["u"], MAIN, "undo your last change", Some("undo"), G::Marks, W::Undo),
    def(A::Results, &["ctrl-r"], MAIN, "results of the last bulk", None, G::Marks, W::Results),
    def(A::Taskfire, &["t"], MAIN, "Taskfire menu", Some("taskfire"), G::Taskfire, W::TaskfireMenu),
    def(A::TaskfireAssign, &[], MAIN, "T1 assign to Taskfire", None, G::Taskfire, W::T1),
    def(A::TaskfireComplete, &[], MAIN, "T2 my work is complete", None, G::Taskfire, W::Shared),
    def(A::TaskfireAsk, &[], MAIN, "T3 I have a question", None, G::Taskfire, W::Shared),
    def(A::Delete, &["delete"], MAIN, "T4 delete (asks first)", None, G::Taskfire, W::Delete),
    def(A::Escalate, &["e"], MAIN, "T5 escalate to provider", Some("escalate"), G::Taskfire, W::T5),
    def(A::NewTicket, &["c"], MAIN, "new ticket", Some("new"), G::App, W::Always),
    def(A::Palette, &[":"], MAIN, "command palette", Some("commands"), G::App, W::Moving),
    def(A::Quit, &["q", "ctrl-c"], MAIN, "quit desk", Some("quit"), G::App, W::Always),
    def(A::Suspend, &["ctrl-z"], MAIN, "suspend (fg resumes)", None, G::App, W::Always),
    def(A::Outbox, &["N"], MAIN, "outbox: mail sent", None, G::App, W::Provider),
    def(A::Refresh, &["r"], MAIN, "reload now", None, G::App, W::Always),
    def(A::Up, &["k", "up"], MAIN, "move up", None, G::Move, W::Moving),
    def(A::Down, &["j", "down"], MAIN, "move down", None, G::Move, W::Moving),
    def(A::Top, &["g", "home"], MAIN, "first row", None, G::Move, W::Moving),
    def(A::Bottom, &["G", "end"], MAIN, "last row", None, G::Move, W::Moving),
    def(A::PageUp, &["pgup", "ctrl-u"], MAIN, "a page up", None, G::Move, W::Moving),
    def(A::PageDown, &["pgdn", "ctrl-d"], MAIN, "a page down", None, G::Move, W::Moving),
    def(A::NextPane, &["tab"], MAIN, "next pane", None, G::Move, W::Moving),
    def(A::PrevPane, &["backtab"], MAIN, "previous pane", None, G::Move, W::Moving),
    def(A::Open, &["enter"], MAIN, "open the selection", None, G::Move, W::Moving),
    def(A::Back, &["esc"], MAIN, "back", None, G::Move, W::Moving),
    def(A::ClearFilter, &["x"], MAIN, "clear the filter", None, G::List, W::Query),
    def(A::SortNext, &["o"], MAIN, "sort by the next field", None, G::List, W::Staff),
    def(A::SortReverse, &["O"], MAIN, "reverse the sort", None, G::List, W::Staff),
    def(A::SaveView, &["V"], MAIN, "save filter as a view", None, G::List, W::Query),
    def(A::DeleteView, &["D"], MAIN, "delete the saved view", None, G::List, W::View),
    // Popup layers: esc always closes (a form with text asks first).
    def(A::SaveForm, &["ctrl-s"], &[L::Form], "save the form", Some("save"), G::Popup, W::Moving),
    def(A::NextField, &["tab"], &[L::Form], "next field", Some("next field"), G::Popup, W::Moving),
    def(A::PrevField, &["backtab"], &[L::Form], "previous field", None, G::Popup, W::Moving),
    def(A::Editor, &["ctrl-e"], &[L::Form], "write the field in $EDITOR", Some("$EDITOR"), G::Popup, W::Moving),
    def(A::Choose, &["enter"], &[L::Picker, L::Palette, L::Outbox, L::Results, L::Filter], "choose / apply", Some("choose"), G::Popup, W::Moving),
    def(A::MoveUp, &["up", "ctrl-p"], LISTS, "move up (j/k too, in a picker until you type)", None, G::Popup, W::Moving),
    def(A::MoveDown, &["down", "ctrl-n"], LISTS, "move down", Some("move"), G::Popup, W::Moving),
    def(A::HistoryBack, &["up"], &[L::Filter], "an earlier query", Some("history"), G::Popup, W::Moving),
    def(A::HistoryForward, &["down"], &[L::Filter], "a later query", None, G::Popup, W::Moving),
    def(A::HelpPage, &["tab"], &[L::Help], "the other page (keys / query syntax)", Some("next page"), G::Popup, W::Moving),
    def(A::Confirm, &["y"], &[L::Confirm], "yes, do it", Some("yes"), G::Popup, W::Moving),
    def(A::KeepDraft, &["k"], &[L::Confirm], "keep the text as a draft and close", None, G::Popup, W::Moving),
    def(A::Deny, &["n"], &[L::Confirm], "no, go back", Some("no"), G::Popup, W::Moving),
    def(A::KeepTheirs, &["t"], &[L::Conflict], "keep theirs: save nothing", Some("keep theirs"), G::Popup, W::Moving),
    def(A::ApplyMine, &["m"], &[L::Conflict], "apply mine on top of theirs", Some("apply mine"), G::Popup, W::Moving),
    def(A::Retry, &["r"], &[L::Results], "retry the failed ones", Some("retry failed"), G::Popup, W::Moving),
    def(A::Cancel, &["esc"], ALL_POPUPS, "close (a form with text asks first)", Some("close"), G::Popup, W::Moving),
];

impl Action {
    pub fn def(self) -> Option<&'static Def> {
        TABLE.iter().find(|d| d.action == self)
    }

    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn parse(name: &str) -> Option<Action> {
        TABLE.iter().map(|d| d.action).find(|a| a.name() == name)
    }

    pub fn description(self) -> &'static str {
        self.def().map_or("", |d| d.text)
    }

    pub fn when(self) -> When {
        self.def().map_or(When::Moving, |d| d.when)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_action_has_one_row() {
        for d in TABLE {
            assert_eq!(
                Action::parse(&d.action.name()),
                Some(d.action),
                "{:?}",
                d.action
            );
            assert_eq!(
                TABLE.iter().filter(|x| x.action == d.action).count(),
                1,
                "{:?} has two rows",
                d.action
            );
        }
        assert_eq!(Action::WorkType.name(), "work_type");
    }
}
