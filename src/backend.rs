//! `Backend`: the only port the CLI and the TUI see. `LocalBackend` runs the engine
//! in-process; the remote implementation speaks HTTP to `desk serve`. Both behave the
//! same, which one contract suite checks (tests/backend_contract.rs).

pub mod local;
pub mod remote;

use async_trait::async_trait;
use desk_engine::model::*;

use crate::api::error::ErrorCode;

pub use local::LocalBackend;
pub use remote::{FeedEvent, RemoteBackend};

/// Why a backend call failed. Carries no storage or transport type, only what a person
/// or script needs: a stable kind and a message that names the bad value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    pub kind: ErrorKind,
    pub message: String,
    /// `ErrorKind::Conflict`: the ticket as it is now. Its fields are the other side's
    /// values; its notes and events with a version above the caller's are what changed
    /// since, and who changed it (docs/lists.md, "Conflicts").
    pub current: Option<Box<Ticket>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Invalid,
    NotAllowed,
    Conflict,
    Unauthorized,
    /// The backend could not be reached or did not answer in time.
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotAllowed => "not_allowed",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    pub fn from_code(code: &str) -> ErrorKind {
        match code {
            "not_found" => ErrorKind::NotFound,
            "invalid" => ErrorKind::Invalid,
            "not_allowed" => ErrorKind::NotAllowed,
            "conflict" => ErrorKind::Conflict,
            "unauthorized" => ErrorKind::Unauthorized,
            "unavailable" => ErrorKind::Unavailable,
            _ => ErrorKind::Internal,
        }
    }
}

/// What a server's error code means to a client: over a limit, a body too slow or a
/// full disk are all "the server cannot take this now"; a code from a newer server is
/// reported as it came, as internal.
impl From<ErrorCode> for ErrorKind {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::NotFound => ErrorKind::NotFound,
            ErrorCode::Invalid => ErrorKind::Invalid,
            ErrorCode::NotAllowed => ErrorKind::NotAllowed,
            ErrorCode::Conflict => ErrorKind::Conflict,
            ErrorCode::Unauthorized => ErrorKind::Unauthorized,
            ErrorCode::TooManyRequests
            | ErrorCode::Timeout
            | ErrorCode::Unavailable
            | ErrorCode::DiskFull => ErrorKind::Unavailable,
            ErrorCode::Internal | ErrorCode::Unknown => ErrorKind::Internal,
        }
    }
}

impl BackendError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        BackendError {
            kind,
            message: message.into(),
            current: None,
        }
    }
}

impl From<desk_engine::Error> for BackendError {
    fn from(e: desk_engine::Error) -> Self {
        let kind = ErrorKind::from_code(e.code());
        let message = e.to_string();
        let current = match e {
            desk_engine::Error::Conflict { current, .. } => Some(current),
            _ => None,
        };
        BackendError {
            kind,
            message,
            current,
        }
    }
}

pub type BResult<T> = Result<T, BackendError>;

#[async_trait]
pub trait Backend: Send + Sync {
    /// Who acts through this backend.
    async fn whoami(&self) -> BResult<Actor>;
    /// Names for forms and the queue pane, as the acting identity sees them.
    async fn catalog(&self) -> BResult<Catalog>;
    /// One page of the tickets `filter` matches, sorted by `page.sort` over the whole
    /// query (docs/lists.md); `page.after` is the previous page's `next`.
    async fn list_tickets(&self, filter: TicketFilter, page: PageRequest) -> BResult<Page<Ticket>>;
    /// How many tickets `filter` matches, for "37 of 12,345". Its own call so that a
    /// caller can ask it beside the page and show the page first: open tickets of
    /// queues and the inbox are kept counts, other filters count an index (tens of ms on
    /// a million tickets).
    async fn count_tickets(&self, filter: TicketFilter) -> BResult<u64>;
    /// The acting technician opened `number`: it leaves their inbox (nobody else's), and
    /// the ticket does not change (same version).
    async fn mark_seen(&self, number: String) -> BResult<()>;
    async fn ticket(&self, number: String) -> BResult<Ticket>;
    async fn create_ticket(&self, new: NewTicket) -> BResult<Ticket>;
    async fn update_ticket(&self, number: String, change: TicketChange) -> BResult<Ticket>;
    /// With `expected_version`, refused with a conflict (nothing deleted) when the ticket
    /// is at another version, as `update_ticket`.
    async fn delete_ticket(&self, number: String, expected_version: Option<i64>) -> BResult<()>;
    async fn add_note(&self, number: String, text: String, publish: bool) -> BResult<Ticket>;
    async fn create_series(&self, new: NewSeries) -> BResult<Vec<Ticket>>;
    async fn taskfire_assign(&self, number: String, assign: TaskfireAssign) -> BResult<Ticket>;
    /// T2; with `expected_version`, a conflict (nothing written) when stale.
    async fn taskfire_complete(
        &self,
        number: String,
        note: Option<String>,
        expected_version: Option<i64>,
    ) -> BResult<Ticket>;
    async fn taskfire_ask(&self, number: String, note: String) -> BResult<Ticket>;
    /// T5; with `expected_version`, a conflict (nothing written) when stale.
    async fn taskfire_escalate(
        &self,
        number: String,
        note: String,
        expected_version: Option<i64>,
    ) -> BResult<Ticket>;
    async fn portal_submit(&self, submit: PortalSubmit) -> BResult<Ticket>;
    async fn portal_list(&self, filter: PortalFilter, page: PageRequest) -> BResult<Page<Ticket>>;
    async fn portal_show(&self, number: String) -> BResult<Ticket>;
    async fn portal_note(&self, number: String, text: String) -> BResult<Ticket>;
    /// The outbox, newest first, a page at a time.
    async fn notifications(&self, page: PageRequest) -> BResult<Page<Notification>>;
    /// The live feed of changes made by others, where the backend has one (`desk serve`);
    /// `None` for the local store. The channel closes when the feed ends: call again to
    /// reconnect, then reload what is on screen.
    // The TUI (another branch) consumes it; until it lands only tests do.
    #[cfg_attr(not(test), allow(dead_code))]
    async fn changes(&self) -> BResult<Option<tokio::sync::mpsc::Receiver<FeedEvent>>> {
        Ok(None)
    }
}
