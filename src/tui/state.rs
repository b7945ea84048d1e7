//! Everything the app knows, as plain data: rendering and `update` read and write only
//! this. One file per pane or popup under `state/`.

pub mod columns;
pub mod detail;
pub mod list;
pub mod queues;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use desk_engine::domain::text::one_line;
use desk_engine::model::{Actor, ActorKind, Catalog, Ticket};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use super::config::{Config, SavedView};
use super::effect::{Call, Effect};
use super::event::{RequestId, TICKS_PER_SECOND};
use super::keymap::Keymap;
use super::ops::Batch;
pub use super::popup::Popup;
use super::popup::ResultsState;
pub use detail::DetailState;
pub use list::ListState;
pub use queues::{EntryKind, QueuesState};

/// Whom the app serves: provider staff, a customer's Taskfire staff, or a portal contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Staff,
    Taskfire { company: String },
    Portal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queues,
    List,
    Detail,
}

/// What a pending request will fill in. One request per slot is wanted at a time: a newer
/// one makes the older stale, and its reply is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Catalog,
    List,
    Find,
    /// The next page of the shown list.
    More,
    Save,
    /// Every ticket of the query, to mark them all.
    MarkAll,
    /// The count of the whole list.
    Count,
    /// A ticket opened: out of the inbox.
    Seen,
    ViewCount(usize),
    Outbox,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
    /// Ticks until an information goes away; an error stays until something replaces it.
    pub ticks_left: Option<u64>,
}

/// How long an information ("saved T...") stays on the status line.
pub const INFO_SECONDS: u64 = 8;

/// Tickets a list asks for at a time; the next page comes when the cursor reaches the
/// end. Every refresh (each change on a remote desk's feed) reloads what is shown, so a
/// page is kept to what a screen or two can use: on the 1M demo desk a page of 1,000
/// was 1 MB of JSON per refresh and per technician, and a filter that matches few
/// tickets costs the backend in proportion to the page (a 160×48 list shows 44 rows).
pub const LIST_PAGE: u32 = 100;

/// The page for a terminal this many rows tall: what the list can show and a little more
/// (the next page comes as the cursor reaches the end). A filter that matches few
/// tickets costs the backend in proportion to the page, so a page is not made bigger
/// than the screen needs.
pub fn page_for(rows: u16) -> u32 {
    (u32::from(rows) + 12).clamp(30, 200)
}

#[derive(Debug, Clone)]
pub struct State {
    /// The app's clock: rendering measures ages against this, never the system clock.
    pub now: DateTime<Utc>,
    pub me: Actor,
    pub mode: Mode,
    /// The viewer's zone: every time shown is in it and names it.
    pub tz: Tz,
    pub catalog: Option<Catalog>,
    pub queues: QueuesState,
    pub list: ListState,
    pub detail: DetailState,
    pub focus: Pane,
    /// The layer stack; the top one takes every key.
    pub popups: Vec<Popup>,
    /// The applied filter query.
    pub query: String,
    pub message: Option<Message>,
    pub pending: Vec<(Slot, RequestId)>,
    pub next_id: RequestId,
    pub views: Vec<SavedView>,
    pub config_path: Option<PathBuf>,
    pub keymap: Keymap,
    /// What was wrong in the config file (bad keys, conflicts): shown at start and kept
    /// at the top of the help overlay.
    pub problems: Vec<String>,
    pub quit: bool,
    /// Moves on every tick while something is pending: the non-blocking busy mark.
    pub spinner: usize,
    pub list_limit: u32,
    /// Ticks between live refreshes. Counted in ticks, not read off `now`: under a frozen
    /// clock (`DESK_NOW`) the list must still refresh.
    pub refresh_ticks: u64,
    pub ticks_since_refresh: u64,
    /// Marked tickets, by number: the field keys act on all of them.
    pub marks: BTreeSet<String>,
    /// What puts back the last change made here (a bulk change as a whole).
    pub undo: Option<Batch>,
    /// The results of the last change of many tickets, to see again.
    pub results: Option<ResultsState>,
    /// Unsent notes, by ticket number, as kept in the data folder.
    pub drafts: BTreeMap<String, String>,
    /// Queries applied, oldest first, for ↑ in the filter bar.
    pub history: Vec<String>,
    /// The connection to `desk serve` is lost (its feed or a call said so).
    pub offline: bool,
    /// The list's columns, in order (`[list] columns` in the config).
    pub columns: Vec<columns::Column>,
}

impl State {
    pub fn new(me: Actor, now: DateTime<Utc>, config: &Config, keymap: Keymap) -> State {
        let mode = match &me.kind {
            ActorKind::Resource { .. } => Mode::Staff,
            ActorKind::TaskfireResource { company } => Mode::Taskfire {
                company: company.clone(),
            },
            ActorKind::Contact { .. } => Mode::Portal,
        };
        let tz = me.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let mut s = State {
            now,
            tz,
            queues: QueuesState::default(),
            list: ListState::default(),
            detail: DetailState::default(),
            focus: Pane::List,
            popups: Vec::new(),
            query: String::new(),
            message: None,
            pending: Vec::new(),
            next_id: 1,
            views: config.views.clone(),
            config_path: config.path.clone(),
            keymap,
            problems: Vec::new(),
            quit: false,
            spinner: 0,
            list_limit: LIST_PAGE,
            refresh_ticks: config
                .refresh_seconds
                .max(1)
                .saturating_mul(TICKS_PER_SECOND),
            ticks_since_refresh: 0,
            marks: BTreeSet::new(),
            undo: None,
            results: None,
            drafts: BTreeMap::new(),
            history: Vec::new(),
            offline: false,
            columns: columns::Column::from_config(&config.columns).0,
            catalog: None,
            me,
            mode,
        };
        s.queues.rebuild(None, &s.views, s.mode == Mode::Portal);
        s
    }

    /// Asks for `call` to fill `slot`, making any earlier request for the slot stale.
    pub fn request(&mut self, slot: Slot, call: Call) -> Effect {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.retain(|(s, _)| *s != slot);
        self.pending.push((slot, id));
        Effect::Call(id, Box::new(call))
    }

    /// The slot a reply is for, or `None` when it is stale.
    pub fn take_reply(&mut self, id: RequestId) -> Option<Slot> {
        let i = self.pending.iter().position(|(_, r)| *r == id)?;
        Some(self.pending.remove(i).0)
    }

    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn saving(&self) -> bool {
        self.pending.iter().any(|(s, _)| *s == Slot::Save)
    }

    pub fn ticket(&self) -> Option<&Ticket> {
        self.detail.ticket.as_ref()
    }

    /// What a ticket action works on, as the technician saw it (its edits are
    /// conditional on this): the selected ticket as the detail and the popup show it now;
    /// or the marked tickets as their rows were when loaded. A marked row that a refresh
    /// has since brought at another version (Δ) is taken as it was before, so that an
    /// edit of it comes back as a conflict naming what changed rather than overwriting
    /// it; one that left the list is still acted on, as it was seen.
    pub fn targets(&self) -> Vec<Ticket> {
        self.target_refs().into_iter().cloned().collect()
    }

    /// `targets` without copying them: the footer and the palette ask on every frame
    /// whether an action fits the marked tickets.
    pub fn target_refs(&self) -> Vec<&Ticket> {
        if self.marks.is_empty() {
            return self.ticket().into_iter().collect();
        }
        let shown: HashSet<&str> = self
            .list
            .tickets
            .iter()
            .map(|t| t.number.as_str())
            .collect();
        let rows = self
            .list
            .tickets
            .iter()
            .filter(|t| self.marks.contains(&t.number))
            .map(|t| self.list.as_seen(t));
        let gone = self
            .marks
            .iter()
            .filter(|n| !shown.contains(n.as_str()))
            .filter_map(|n| self.list.kept.get(n));
        rows.chain(gone).collect()
    }

    /// "T20261129.0001" or "12 marked tickets", for titles and confirmations.
    pub fn targets_label(targets: &[Ticket]) -> String {
        match targets {
            [one] => one.number.clone(),
            many => format!("{} marked tickets", many.len()),
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            ticks_left: Some(INFO_SECONDS * TICKS_PER_SECOND),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            ticks_left: None,
        });
    }

    /// A person's name for a login, when the catalog knows it, safe for the terminal.
    pub fn person(&self, login: &str) -> String {
        let Some(c) = &self.catalog else {
            return one_line(login).into_owned();
        };
        c.resources
            .iter()
            .chain(c.contacts.iter())
            .chain(
                c.companies
                    .iter()
                    .filter_map(|co| co.taskfire.as_ref())
                    .flat_map(|t| t.resources.iter()),
            )
            .find(|p| p.login == login)
            .map(|p| one_line(&format!("{} ({login})", p.name)).into_owned())
            .unwrap_or_else(|| one_line(login).into_owned())
    }

    /// `2026-11-29 09:30 CET`: an instant in the viewer's zone, naming the zone.
    pub fn when(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }
}
