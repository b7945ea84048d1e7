//! `update`: the state machine. No IO: it changes the state and returns effects for the
//! app to run. Keys go to the top popup if there is one (a modal takes every key), else
//! through the keymap to an action.

mod forms;
mod popup;
mod reply;
mod ticket;

pub use popup::palette_entries;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use desk_engine::model::{ActorKind, MAX_PAGE, PageRequest, PortalLevel};

use super::action::{Action, Layer};
use super::effect::{Call, Effect};
use super::event::AppEvent;
use super::query::Query;
use super::state::popup::{FilterState, PaletteState};
use super::state::{EntryKind, Mode, Pane, Popup, Slot, State};

pub fn handle(s: &mut State, ev: AppEvent) -> Vec<Effect> {
    match ev {
        AppEvent::Key(k) if k.kind == KeyEventKind::Release => Vec::new(),
        AppEvent::Key(k) => key(s, k),
        AppEvent::Resize => Vec::new(),
        AppEvent::Tick(now) => tick(s, now),
        // Refresh on the next tick (at most a quarter second away): a burst of changes
        // becomes one refresh, and the slow-backend guard in `tick` still holds.
        AppEvent::Changed => {
            s.ticks_since_refresh = s.refresh_ticks;
            Vec::new()
        }
        AppEvent::Reply(id, r) => reply::apply(s, id, r),
        AppEvent::Edited(r) => popup::edited(s, r),
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
    if s.ticks_since_refresh >= s.refresh_ticks && !waiting {
        return refresh(s);
    }
    Vec::new()
}

/// Reloads counts and the list in the background; the selection and any open form stay.
pub fn refresh(s: &mut State) -> Vec<Effect> {
    s.ticks_since_refresh = 0;
    let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
    // A found ticket stays found; a list grown page by page is reloaded whole, not cut
    // back to one page under the user's cursor, up to the most one call may ask for
    // (past that only the counts refresh).
    let shown = u32::try_from(s.list.tickets.len()).unwrap_or(u32::MAX);
    let whole = shown.div_ceil(s.list_limit.max(1)) * s.list_limit.max(1);
    if !s.pending.iter().any(|(sl, _)| *sl == Slot::Find) && whole <= MAX_PAGE {
        fx.extend(load_list_of(s, whole.max(s.list_limit)));
    }
    fx.extend(view_counts(s));
    fx
}

/// Asks for the list that the queue pane and the query select, one page of it.
pub fn load_list(s: &mut State) -> Vec<Effect> {
    load_list_of(s, s.list_limit)
}

/// `load_list` with its first page `limit` tickets long.
fn load_list_of(s: &mut State, limit: u32) -> Vec<Effect> {
    if s.mode == Mode::Portal {
        s.list.title = if s.query.is_empty() {
            "My tickets (as the portal shows them)".into()
        } else {
            format!("My tickets / {}", s.query)
        };
        if matches!(
            s.me.kind,
            ActorKind::Contact {
                portal: PortalLevel::None,
                ..
            }
        ) {
            // The portal shows such a contact nothing (R6); say why rather than "no tickets".
            s.list.title = "Your portal access is off: ask your service provider".into();
        }
        if let Ok(q) = Query::parse(&s.query)
            && let Some(n) = q.number
        {
            s.list.title = format!("Ticket {n}");
            s.pending.retain(|(sl, _)| *sl != Slot::List);
            return vec![s.request(Slot::Find, Call::PortalShow(n))];
        }
        return list_call(s, Call::PortalList(first_page(limit)));
    }
    let entry = s.queues.current().cloned();
    let (queue, base) = match entry.as_ref().map(|e| &e.kind) {
        Some(EntryKind::Queue(q)) => (Some(q.clone()), String::new()),
        Some(EntryKind::View(i)) => (
            None,
            s.views.get(*i).map(|v| v.query.clone()).unwrap_or_default(),
        ),
        _ => (None, String::new()),
    };
    let text = format!("{base} {}", s.query);
    let q = match Query::parse(&text) {
        Ok(q) => q,
        Err(e) => {
            s.error(format!("filter: {e}"));
            return Vec::new();
        }
    };
    if let Some(n) = q.number.clone() {
        s.list.title = format!("Ticket {n}");
        let call = if s.mode == Mode::Portal {
            Call::PortalShow(n)
        } else {
            Call::Ticket(n)
        };
        s.pending.retain(|(sl, _)| *sl != Slot::List);
        return vec![s.request(Slot::Find, call)];
    }
    match q.to_filter(s.catalog.as_ref(), queue.as_deref(), s.now, s.tz) {
        Ok(f) => {
            let label = entry.map(|e| e.label).unwrap_or_default();
            s.list.title = if s.query.is_empty() {
                label
            } else {
                format!("{label} / {}", s.query.trim())
            };
            s.pending.retain(|(sl, _)| *sl != Slot::Find);
            let page = first_page(limit);
            list_call(s, Call::List(Box::new(f), page))
        }
        Err(e) => {
            s.error(format!("filter: {e}"));
            Vec::new()
        }
    }
}

fn first_page(limit: u32) -> PageRequest {
    PageRequest {
        after: None,
        limit,
        sort: None,
    }
}

/// Asks for the first page of a list, remembering the call so that later pages can
/// follow it; a page still coming for the old list is no longer wanted.
fn list_call(s: &mut State, call: Call) -> Vec<Effect> {
    s.pending.retain(|(sl, _)| *sl != Slot::More);
    s.list.call = Some(call.clone());
    vec![s.request(Slot::List, call)]
}

/// The next page of the shown list, appended when the cursor reaches its end.
fn load_more(s: &mut State) -> Vec<Effect> {
    let busy = s.pending.iter().any(|(sl, _)| *sl == Slot::More);
    let (Some(after), Some(call), false) = (s.list.next.clone(), s.list.call.clone(), busy) else {
        return Vec::new();
    };
    let page = |p: &PageRequest| PageRequest {
        after: Some(after.clone()),
        ..p.clone()
    };
    let call = match call {
        Call::List(f, p) => Call::List(f, page(&p)),
        Call::PortalList(p) => Call::PortalList(page(&p)),
        _ => return Vec::new(),
    };
    vec![s.request(Slot::More, call)]
}

/// Counts for the saved views in the queue pane (one list call each).
pub fn view_counts(s: &mut State) -> Vec<Effect> {
    if s.mode == Mode::Portal {
        return Vec::new();
    }
    let mut fx = Vec::new();
    for i in 0..s.views.len() {
        let Ok(q) = Query::parse(&s.views[i].query) else {
            continue;
        };
        if let Ok(f) = q.to_filter(s.catalog.as_ref(), None, s.now, s.tz) {
            // Counted up to a page: a bigger view shows as "200+".
            let page = first_page(s.list_limit);
            fx.push(s.request(Slot::ViewCount(i), Call::List(Box::new(f), page)));
        }
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
    match a {
        Action::Quit => {
            s.quit = true;
            vec![Effect::Quit]
        }
        Action::Help => {
            s.popups.push(Popup::Help { scroll: 0 });
            Vec::new()
        }
        Action::Palette => {
            s.popups.push(Popup::Palette(PaletteState {
                input: ratatui_textarea::TextArea::default(),
                selected: 0,
            }));
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
            Vec::new()
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
            s.popups.push(Popup::Filter(FilterState::new(&s.query)));
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
        Action::SortNext => {
            s.list.sort = s.list.sort.next();
            s.list.descending = false;
            s.list.sort_now();
            select_row(s);
            Vec::new()
        }
        Action::SortReverse => {
            s.list.descending = !s.list.descending;
            s.list.sort_now();
            select_row(s);
            Vec::new()
        }
        Action::Status
        | Action::Queue
        | Action::Assign
        | Action::WorkType
        | Action::Priority
        | Action::Due => ticket::change(s, a),
        Action::Title => ticket::title_form(s),
        Action::Note => ticket::note_form(s),
        Action::Taskfire => ticket::taskfire_menu(s),
        Action::Escalate => ticket::escalate_form(s),
        Action::NewTicket => forms::submit_form(s),
        Action::Outbox => {
            if !available(s, a) {
                s.error("only the provider's staff read the outbox");
                return Vec::new();
            }
            s.info("loading the outbox…");
            vec![s.request(Slot::Outbox, Call::Notifications(OUTBOX_LIMIT))]
        }
        // Keys of the popup layer: they mean something only inside a form or a confirm.
        Action::SaveForm
        | Action::NextField
        | Action::PrevField
        | Action::Editor
        | Action::Confirm => Vec::new(),
    }
}

/// Whether an action makes sense now: the palette lists only these.
pub fn available(s: &State, a: Action) -> bool {
    let has_ticket = s.ticket().is_some();
    let staff = s.mode != Mode::Portal;
    match a {
        Action::Status
        | Action::Queue
        | Action::Assign
        | Action::Due
        | Action::Title
        | Action::WorkType
        | Action::Priority => has_ticket && staff,
        Action::Note => has_ticket,
        Action::Taskfire => has_ticket && staff,
        Action::Escalate => has_ticket && matches!(s.mode, Mode::Taskfire { .. }),
        Action::NewTicket => true,
        Action::Outbox => s.mode == Mode::Staff,
        Action::SaveView => staff && !s.query.trim().is_empty(),
        Action::DeleteView => matches!(
            s.queues.current().map(|e| &e.kind),
            Some(EntryKind::View(_))
        ),
        Action::Filter | Action::ClearFilter => true,
        Action::Palette => false,
        a if a.layer() == Layer::Popup => false,
        _ => true,
    }
}
