//! `update`: the state machine. No IO: it changes the state and returns effects for the
//! app to run. Keys go to the top popup if there is one (a modal takes every key), else
//! through the keymap to an action.

mod forms;
mod list;
mod marks;
mod popup;
mod reply;
mod taskfire;
mod ticket;

pub use list::{load_list, refresh};
use list::{load_more, view_counts};
pub use popup::palette_entries;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, When};
use super::effect::{Call, Effect};
use super::event::AppEvent;
use super::popup::{FilterState, HelpState, PaletteState};
use super::state::{EntryKind, Mode, Pane, Popup, Slot, State};

pub fn handle(s: &mut State, ev: AppEvent) -> Vec<Effect> {
    match ev {
        AppEvent::Key(k) if k.kind == KeyEventKind::Release => Vec::new(),
        AppEvent::Key(k) => key(s, k),
        AppEvent::Resize(rows) => {
            s.list_limit = super::state::page_for(rows);
            Vec::new()
        }
        AppEvent::Tick(now) => tick(s, now),
        // Refresh on the next tick (at most a quarter second away): a burst of changes
        // becomes one refresh, and the slow-backend guard in `tick` still holds.
        AppEvent::Changed => {
            s.ticks_since_refresh = s.refresh_ticks;
            Vec::new()
        }
        AppEvent::Reply(id, r) => reply::apply(s, id, r),
        AppEvent::Edited(r) => popup::edited(s, r),
        AppEvent::Connection(up) => {
            let was = s.offline;
            s.offline = !up;
            // Back: what changed meanwhile was not seen; refresh on the next tick.
            if was && up {
                s.ticks_since_refresh = s.refresh_ticks;
            }
            Vec::new()
        }
    }
}

fn key(s: &mut State, k: KeyEvent) -> Vec<Effect> {
    // Ctrl-C leaves from anywhere, even a modal: the way out must always work.
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return update(s, Action::Quit);
    }
    if !s.popups.is_empty() {
        return popup::key(s, k);
    }
    match s.keymap.action_for(&k) {
        Some(a) => update(s, a),
        None => Vec::new(),
    }
}

/// Starts the app: who am I, the catalog, the first list.
pub fn start(s: &mut State) -> Vec<Effect> {
    let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
    fx.extend(load_list(s));
    fx
}

fn tick(s: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    s.now = now;
    if s.busy() {
        s.spinner = s.spinner.wrapping_add(1);
    }
    s.ticks_since_refresh += 1;
    if let Some(m) = &mut s.message
        && let Some(left) = &mut m.ticks_left
    {
        *left = left.saturating_sub(1);
        if *left == 0 {
            s.message = None;
        }
    }
    // A slow backend still answering the last refresh is not sent another one: requests
    // must not pile up behind it.
    let waiting = s
        .pending
        .iter()
        .any(|(sl, _)| matches!(sl, Slot::Catalog | Slot::List | Slot::More));
    let mut fx = popup::save_draft(s);
    if s.ticks_since_refresh >= s.refresh_ticks && !waiting {
        fx.extend(refresh(s));
    }
    fx
}

/// Outbox messages the TUI shows: the newest.
const OUTBOX_LIMIT: u32 = 200;

/// Rows a page key moves: about a list pane's height at 80×24, fine on larger screens too.
const PAGE: isize = 10;

fn select_row(s: &mut State) {
    let t = s.list.selected_ticket().cloned();
    s.detail.show(t);
}

fn step(s: &mut State, delta: isize) -> Vec<Effect> {
    match s.focus {
        Pane::Queues => {
            let n = s.queues.entries.len();
            let before = s.queues.selected;
            s.queues.selected = s
                .queues
                .selected
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
            if s.queues.selected != before {
                s.list.selected = 0;
                return load_list(s);
            }
        }
        Pane::List => {
            s.list.step(delta);
            select_row(s);
            if delta > 0 && s.list.selected + 1 >= s.list.tickets.len() {
                return load_more(s);
            }
        }
        Pane::Detail => {
            // Scrolling stops a little past the last line rather than into emptiness.
            let max = s.ticket().map_or(0, |t| {
                t.notes.len() + t.events.len() + t.description.lines().count() + 24
            });
            let next = (s.detail.scroll as isize).saturating_add(delta);
            s.detail.scroll = next.clamp(0, max as isize) as u16;
        }
    }
    Vec::new()
}

pub fn update(s: &mut State, a: Action) -> Vec<Effect> {
    if !valid(s, a.when()) {
        let why = why_not(s, a);
        s.error(why);
        return Vec::new();
    }
    match a {
        Action::Quit => {
            s.quit = true;
            let mut fx = popup::draft_on_quit(s);
            fx.push(Effect::Quit);
            fx
        }
        Action::Suspend => vec![Effect::Suspend],
        Action::Help => {
            s.popups.push(Popup::Help(HelpState::default()));
            Vec::new()
        }
        Action::Palette => {
            let entries = palette_entries(s);
            s.popups.push(Popup::Palette(PaletteState::new(entries)));
            Vec::new()
        }
        Action::Up => step(s, -1),
        Action::Down => step(s, 1),
        Action::Top => step(s, -1_000_000),
        Action::Bottom => step(s, 1_000_000),
        Action::PageUp => step(s, -PAGE),
        Action::PageDown => step(s, PAGE),
        Action::NextPane | Action::PrevPane => {
            let order = [Pane::Queues, Pane::List, Pane::Detail];
            let i = order.iter().position(|p| *p == s.focus).unwrap_or(1);
            let d = if a == Action::NextPane { 1 } else { 2 };
            s.focus = order[(i + d) % 3];
            Vec::new()
        }
        Action::Open => {
            s.focus = match s.focus {
                Pane::Queues => Pane::List,
                _ => Pane::Detail,
            };
            match s.ticket().cloned() {
                Some(t) if s.focus == Pane::Detail => list::opened(s, &t),
                _ => Vec::new(),
            }
        }
        Action::Back => {
            s.message = None;
            s.focus = match s.focus {
                Pane::Detail => Pane::List,
                _ => Pane::Queues,
            };
            Vec::new()
        }
        Action::Filter => {
            let f = FilterState::new(&s.query, s.history.clone());
            s.popups.push(Popup::Filter(f));
            Vec::new()
        }
        Action::ClearFilter => {
            s.query.clear();
            load_list(s)
        }
        Action::SaveView => forms::save_view_form(s),
        Action::DeleteView => forms::delete_view(s),
        Action::Refresh => {
            s.info("refreshing…");
            refresh(s)
        }
        Action::SortNext => list::sort(s, true),
        Action::SortReverse => list::sort(s, false),
        Action::Status | Action::Queue | Action::Assign | Action::WorkType | Action::Priority => {
            ticket::picker(s, a)
        }
        Action::Due => ticket::due_form(s),
        Action::Title => ticket::title_form(s),
        Action::Triage => ticket::triage_form(s),
        Action::Take => marks::take(s),
        Action::Note => ticket::note_form(s),
        Action::Taskfire => taskfire::taskfire_menu(s),
        Action::TaskfireAssign => taskfire::taskfire_assign_form(s),
        Action::TaskfireComplete => taskfire::taskfire_complete_form(s),
        Action::TaskfireAsk => taskfire::taskfire_ask_form(s),
        Action::Delete => taskfire::delete_confirm(s),
        Action::Escalate => taskfire::escalate_form(s),
        Action::NewTicket => forms::submit_form(s),
        Action::Mark => marks::toggle(s),
        Action::MarkAll => marks::mark_all(s),
        Action::ClearMarks => {
            let n = s.marks.len();
            s.marks.clear();
            s.info(format!("cleared {n} marks"));
            Vec::new()
        }
        Action::Undo => marks::undo(s),
        Action::Results => {
            if let Some(r) = s.results.clone() {
                s.popups.push(Popup::Results(r));
            }
            Vec::new()
        }
        Action::Outbox => {
            s.info("loading the outbox…");
            vec![s.request(Slot::Outbox, Call::Notifications(OUTBOX_LIMIT))]
        }
        // Keys of the popup layers mean nothing on the panes.
        Action::Cancel
        | Action::Choose
        | Action::MoveUp
        | Action::MoveDown
        | Action::SaveForm
        | Action::NextField
        | Action::PrevField
        | Action::Editor
        | Action::Confirm
        | Action::Deny
        | Action::KeepDraft
        | Action::KeepTheirs
        | Action::ApplyMine
        | Action::Retry
        | Action::HelpPage
        | Action::HistoryBack
        | Action::HistoryForward => Vec::new(),
    }
}

fn staff(s: &State) -> bool {
    s.mode != Mode::Portal
}

/// The ticket an action on one ticket (T2–T5) acts on: the selected one, as long as no
/// other ticket is marked. With marks, only what acts on every marked ticket is offered.
fn single(s: &State) -> Option<&desk_engine::model::Ticket> {
    let t = s.ticket()?;
    let only = s.marks.is_empty() || (s.marks.len() == 1 && s.marks.contains(&t.number));
    only.then_some(t)
}

/// Marks beyond the selected ticket: an action on one ticket would not act on them.
fn marked_others(s: &State) -> bool {
    s.ticket().is_some() && single(s).is_none()
}

/// Whether T1 can hand every target to its customer's desk at once: not shared yet or
/// held by the provider again, of one company, which has a Taskfire desk.
fn t1_fits(s: &State) -> Result<(), String> {
    let targets = s.target_refs();
    let Some(first) = targets.first() else {
        return Err("select a ticket first".into());
    };
    if targets.iter().any(|t| t.company != first.company) {
        return Err(format!(
            "T1 on the {} marked tickets: they must all be of one company",
            targets.len()
        ));
    }
    if let Some(t) = targets.iter().find(|t| !taskfire::assignable(t)) {
        return Err(format!("{} is shared already (T1 was done)", t.number));
    }
    if taskfire::company_taskfire(s, first).is_none() {
        return Err(format!(
            "T1: {} has no Taskfire desk; nothing to assign to",
            first
                .company
                .as_deref()
                .map_or("this ticket has no company and".into(), |c| {
                    desk_engine::domain::text::one_line(c).into_owned()
                })
        ));
    }
    Ok(())
}

/// Whether the action table's condition holds now: the palette and the footer offer
/// only these, and a key whose condition does not hold says why.
pub fn valid(s: &State, w: When) -> bool {
    let one = s.ticket();
    let some = one.is_some() || !s.marks.is_empty();
    let provider = s.mode == Mode::Staff;
    match w {
        When::Always | When::Moving => true,
        When::Ticket => one.is_some(),
        When::StaffTicket => one.is_some() && staff(s),
        When::StaffRows => !s.list.tickets.is_empty() && staff(s),
        When::Edit => some && staff(s),
        When::ProviderEdit => some && provider,
        When::Provider => provider,
        When::Staff => staff(s),
        When::Marks => !s.marks.is_empty(),
        When::Query => !s.query.trim().is_empty(),
        When::View => matches!(
            s.queues.current().map(|e| &e.kind),
            Some(EntryKind::View(_))
        ),
        When::Undo => s.undo.is_some(),
        When::Results => s.results.is_some(),
        When::T1 => provider && some && t1_fits(s).is_ok(),
        When::Shared => provider && single(s).is_some_and(|t| t.taskfire.is_some()),
        When::Delete => provider && single(s).is_some(),
        When::T5 => {
            matches!(s.mode, Mode::Taskfire { .. })
                && single(s).is_some_and(|t| {
                    !t.taskfire
                        .as_ref()
                        .is_some_and(|f| f.held_by == desk_engine::model::HeldBy::Provider)
                })
        }
        When::TaskfireMenu => [When::T1, When::Shared, When::Delete, When::T5]
            .into_iter()
            .any(|w| valid(s, w)),
    }
}

/// Why an action cannot run now, said instead of doing nothing.
fn why_not(s: &State, a: Action) -> String {
    let what = a.description();
    match a.when() {
        When::Ticket
        | When::StaffTicket
        | When::Edit
        | When::ProviderEdit
        | When::Delete
        | When::Shared
            if s.ticket().is_none() && s.marks.is_empty() =>
        {
            "select a ticket first".into()
        }
        When::Provider
        | When::ProviderEdit
        | When::Staff
        | When::Edit
        | When::StaffTicket
        | When::StaffRows
            if s.mode == Mode::Portal =>
        {
            format!("{what}: not in the portal")
        }
        When::Provider | When::ProviderEdit => format!("{what}: for the provider's staff"),
        When::Shared | When::Delete | When::T5 if marked_others(s) => format!(
            "{what}: acts on one ticket, not on the {} marked (X clears the marks)",
            s.marks.len()
        ),
        When::TaskfireMenu if marked_others(s) => match s.mode {
            Mode::Staff => format!(
                "no Taskfire action fits the {} marked tickets: {}; T2–T4 act on one ticket (X clears the marks)",
                s.marks.len(),
                t1_fits(s).err().unwrap_or_default()
            ),
            _ => format!(
                "T5 acts on one ticket, not on the {} marked (X clears the marks)",
                s.marks.len()
            ),
        },
        When::Marks => "no marks (space marks a row)".into(),
        When::Query => "filter first (/)".into(),
        When::View => "select a saved view in the queue pane first".into(),
        When::Undo => "nothing to undo".into(),
        When::Results => "no bulk change yet".into(),
        When::T1 => t1_fits(s)
            .err()
            .unwrap_or_else(|| format!("{what}: for the provider's staff")),
        When::Shared => "T2/T3 need a shared ticket: assign it to Taskfire (T1) first".into(),
        When::T5 | When::TaskfireMenu if matches!(s.mode, Mode::Taskfire { .. }) => {
            match s.ticket() {
                Some(t) => format!("{} is already held by the provider", t.number),
                None => "select a ticket first".into(),
            }
        }
        When::T5 => "escalating is for a customer's Taskfire desk".into(),
        When::TaskfireMenu => "no Taskfire action fits this ticket".into(),
        _ => format!("{what} is not available here"),
    }
}
