//! The one closed set of things that can happen to the app: terminal input, backend
//! replies (tagged with the request id that asked), and clock ticks.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use desk_engine::model::{Catalog, Notification, Page, Ticket};

use super::ops::{Batch, OpResult};
use crate::backend::BResult;

pub type RequestId = u64;

/// The app ticks this often: the spinner moves and refreshes are counted in ticks.
pub const TICKS_PER_SECOND: u64 = 4;

#[derive(Debug, Clone)]
pub enum AppEvent {
    Key(KeyEvent),
    /// The terminal changed size (now this many rows); the next draw lays out anew.
    Resize(u16),
    /// Periodic: move the clock on, maybe refresh.
    Tick(DateTime<Utc>),
    Reply(RequestId, Reply),
    /// Someone else changed the desk (the server's change feed): refresh soon.
    Changed,
    /// The text written in `$EDITOR` for the open form's focused field.
    Edited(Result<String, String>),
    /// The connection to `desk serve` was lost (`false`) or is back (`true`).
    Connection(bool),
}

#[derive(Debug, Clone)]
pub enum Reply {
    // Boxed: a catalog or a ticket is large next to the other variants.
    Catalog(Box<BResult<Catalog>>),
    Tickets(BResult<Page<Ticket>>),
    Count(BResult<u64>),
    Seen(BResult<()>),
    Ticket(Box<BResult<Ticket>>),
    Ops(Batch, Vec<OpResult>),
    Notifications(BResult<Vec<Notification>>),
}
