//! The values the engine hands out and takes in. They carry names, never store ids, and
//! no serde: the wire formats live with the binary (docs/architecture.md).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

mod kinds;
mod list;

pub use kinds::{Creator, DeskSide, NotificationEvent, TicketField};
pub use list::*;

pub const CLIENT_PORTAL: &str = "Client Portal";
pub const INSOURCED: &str = "Insourced";
pub const PROVIDER_WORK_COMPLETE: &str = "Provider Work Complete";
pub const CLOSED_STATUS: &str = "Complete";
pub const NEW_STATUS: &str = "New";
/// Sources every desk has; the first and the sixth are system sources.
pub const BUILTIN_SOURCES: [&str; 7] = [
    CLIENT_PORTAL,
    "Phone",
    "E-mail",
    "In Person",
    "Monitoring",
    INSOURCED,
    "Other",
];
pub const SYSTEM_SOURCES: [&str; 2] = [CLIENT_PORTAL, INSOURCED];
pub const BUILTIN_STATUSES: [&str; 5] = [
    NEW_STATUS,
    "In Progress",
    "Waiting Customer",
    CLOSED_STATUS,
    PROVIDER_WORK_COMPLETE,
];
pub const PRIORITIES: [&str; 4] = ["Low", "Medium", "High", "Critical"];
pub const DEFAULT_PRIORITY: &str = "Medium";
/// R3: how many levels of rules one change may set off.
pub const MAX_RULE_CASCADE: usize = 5;
/// R6: a series ticket shows in the portal once it is due within this many days.
pub const SERIES_PORTAL_WINDOW_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Internal,
    Published,
    Portal,
    Taskfire,
}

impl NoteKind {
    pub const ALL: [NoteKind; 4] = [
        NoteKind::Internal,
        NoteKind::Published,
        NoteKind::Portal,
        NoteKind::Taskfire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Internal => "internal",
            NoteKind::Published => "published",
            NoteKind::Portal => "portal",
            NoteKind::Taskfire => "taskfire",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "internal" => NoteKind::Internal,
            "published" => NoteKind::Published,
            "portal" => NoteKind::Portal,
            "taskfire" => NoteKind::Taskfire,
            _ => return None,
        })
    }

    /// R6: internal notes never reach the portal.
    pub fn in_portal(self) -> bool {
        self != NoteKind::Internal
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PortalLevel {
    None,
    Basic,
    Manager,
}

impl PortalLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PortalLevel::None => "none",
            PortalLevel::Basic => "basic",
            PortalLevel::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => PortalLevel::None,
            "basic" => PortalLevel::Basic,
            "manager" => PortalLevel::Manager,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBy {
    Customer,
    Provider,
}

impl HeldBy {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldBy::Customer => "customer",
            HeldBy::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(HeldBy::Customer),
            "provider" => Some(HeldBy::Provider),
            _ => None,
        }
    }
}

/// Who acts. Resolved from a login (local) or a token (remote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub login: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub kind: ActorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorKind {
    /// Provider staff.
    Resource { service_desk: bool },
    /// IT staff of a customer with Taskfire; works that company's Taskfire desk.
    TaskfireResource { company: String },
    /// An end user of a customer, in the Client Portal.
    Contact {
        company: String,
        portal: PortalLevel,
    },
}

impl Actor {
    pub fn role(&self) -> &'static str {
        match self.kind {
            ActorKind::Resource { .. } => "resource",
            ActorKind::TaskfireResource { .. } => "taskfire_resource",
            ActorKind::Contact { .. } => "contact",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub author: String,
    pub kind: NoteKind,
    pub text: String,
    pub at: DateTime<Utc>,
    /// The ticket's version once the note was added (`None`: from before desk kept it).
    pub version: Option<i64>,
}

/// A status, queue or assignment change in a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub actor: String,
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub at: DateTime<Utc>,
    /// The ticket's version after this change (`None`: from before desk kept it). The
    /// events of a version newer than one a caller holds are what changed since.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskfireState {
    /// The Taskfire queue (on the customer's desk).
    pub queue: String,
    pub resource: Option<String>,
    /// The Taskfire version's status ("Taskfire status"; "service provider status" to the
    /// customer is `provider_status`).
    pub status: String,
    pub due_at: Option<DateTime<Utc>>,
    pub held_by: HeldBy,
    pub provider_status: String,
    pub provider_due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub number: String,
    /// `provider`, or the company whose Taskfire desk holds this version.
    pub desk: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub queue: String,
    pub source: String,
    pub issue_type: Option<String>,
    pub work_type: Option<String>,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub assigned: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// R5: the created instant in the creator's time zone.
    pub created_local: DateTime<FixedOffset>,
    pub created_tz: String,
    /// R4: the desk date inside the number.
    pub number_date: NaiveDate,
    pub due_at: Option<DateTime<Utc>>,
    pub series: Option<String>,
    pub version: i64,
    /// The last change of any kind: a field, a note, a Taskfire action.
    pub updated_at: DateTime<Utc>,
    /// In the acting technician's inbox: customer or Taskfire activity since they last
    /// opened it (docs/lists.md). Always false for contacts and in the portal.
    pub unseen: bool,
    pub taskfire: Option<TaskfireState>,
    pub notes: Vec<Note>,
    pub events: Vec<Event>,
}

impl Ticket {
    /// R5: the created date (creator's zone) and the number date (desk zone) differ.
    pub fn dates_differ(&self) -> bool {
        self.created_local.date_naive() != self.number_date
    }

    pub fn is_open(&self) -> bool {
        self.status != CLOSED_STATUS
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTicket {
    pub title: String,
    pub description: String,
    pub queue: Option<String>,
    pub source: Option<String>,
    pub issue_type: Option<String>,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub priority: Option<String>,
    pub assign: Option<String>,
    /// A time as the user typed it (RFC 3339, or local `YYYY-MM-DD[ HH:MM]`).
    pub due: Option<String>,
}

/// What to change on a ticket; `None` leaves a field alone. An empty string clears the
/// optional fields (assignee, work type, due).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChange {
    pub title: Option<String>,
    pub status: Option<String>,
    pub queue: Option<String>,
    pub priority: Option<String>,
    pub work_type: Option<String>,
    pub assign: Option<String>,
    pub due: Option<String>,
    /// Optimistic concurrency: refuse if the ticket is no longer at this version.
    pub expected_version: Option<i64>,
}

impl TicketChange {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.status.is_none()
            && self.queue.is_none()
            && self.priority.is_none()
            && self.work_type.is_none()
            && self.assign.is_none()
            && self.due.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSeries {
    pub title: String,
    pub description: String,
    pub company: String,
    pub contact: Option<String>,
    pub queue: Option<String>,
    pub first_due: String,
    pub every_days: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskfireAssign {
    pub queue: String,
    pub resource: Option<String>,
    pub due: Option<String>,
    pub note: String,
    /// Optimistic concurrency: refuse if the provider's ticket is no longer at this version.
    pub expected_version: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalSubmit {
    pub title: String,
    pub issue_type: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub event: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub ticket: Option<String>,
    pub at: DateTime<Utc>,
}

/// One change to one ticket on one desk, as the change feed tells it (docs/postgres.md,
/// "The changes table"): what happened, never the ticket's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `created`, `updated`, `note` or `deleted`.
    pub kind: String,
    pub number: String,
    /// `provider` or the company whose Taskfire desk holds the changed version.
    pub desk: String,
    /// The ticket's version on that desk after the change (none once deleted).
    pub version: Option<i64>,
    /// The login of who made the change.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// An API token as an operator sees it: whose, made when, valid until when; never the
/// token itself (the store has only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub login: String,
    pub created_at: DateTime<Utc>,
    /// `None`: until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueInfo {
    pub name: String,
    pub open: u64,
    /// Tickets of the queue in the acting technician's inbox.
    pub unseen: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInfo {
    pub login: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyInfo {
    pub name: String,
    /// The company's Taskfire desk, if it has one.
    pub taskfire: Option<TaskfireDesk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskfireDesk {
    pub queues: Vec<String>,
    pub resources: Vec<PersonInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueTypeInfo {
    pub name: String,
    /// `provider` or the company that created it.
    pub created_by: String,
    pub queue: Option<String>,
}

/// What an actor needs to know to fill forms: the desk's names, as that actor sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub desk_name: String,
    pub time_zone: String,
    pub me: Actor,
    /// The queues of the actor's desk with their open counts.
    pub queues: Vec<QueueInfo>,
    pub statuses: Vec<String>,
    pub sources: Vec<String>,
    pub priorities: Vec<String>,
    pub work_types: Vec<String>,
    pub resources: Vec<PersonInfo>,
    pub companies: Vec<CompanyInfo>,
    pub contacts: Vec<PersonInfo>,
    pub issue_types: Vec<IssueTypeInfo>,
}

/// A portal session ends after this long without a request (docs/portal.md, "Sessions").
pub const SESSION_IDLE_MINUTES: i64 = 60;
/// And this long after sign-in, however busy.
pub const SESSION_MAX_HOURS: i64 = 12;
/// A session's last use is written down at most this often, so pages stay reads.
pub const SESSION_TOUCH_SECONDS: i64 = 60;
/// An invite link works this long, once.
pub const INVITE_DAYS: i64 = 7;

/// A portal session just opened: the id goes into the contact's cookie and nowhere
/// else (the store keeps its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id: String,
    pub actor: Actor,
}

/// A portal session found by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCheck {
    Active(Session),
    /// It was open but ended by time (idle or too old); the contact signs in again.
    Expired,
    /// Never opened, signed out, revoked, or its contact can no longer sign in.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub actor: Actor,
    /// The CSRF token of this session's forms (derived from the id, stored nowhere).
    pub csrf: String,
    /// Its last use was written down over `SESSION_TOUCH_SECONDS` ago: touch it.
    pub stale: bool,
}

impl Session {
    /// Whether `given` is this session's CSRF token (compared in constant time).
    pub fn csrf_matches(&self, given: &str) -> bool {
        let (a, b) = (self.csrf.as_bytes(), given.trim().as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// A one-time link to set a portal password: the token goes into the link only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub token: String,
    pub login: String,
    pub expires_at: DateTime<Utc>,
}

/// What `Engine::revoke_tokens` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revoked {
    pub tokens: usize,
    pub sessions: usize,
}

/// Which of a contact's tickets the portal lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PortalState {
    /// Not Complete.
    Open,
    Closed,
    /// Every ticket R6 shows (what `desk portal list` shows without a filter).
    #[default]
    All,
}

impl PortalState {
    pub fn as_str(self) -> &'static str {
        match self {
            PortalState::Open => "open",
            PortalState::Closed => "closed",
            PortalState::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "open" => PortalState::Open,
            "closed" => PortalState::Closed,
            "all" => PortalState::All,
            _ => return None,
        })
    }
}

/// The filters of the portal's list (R6 first, then these).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalFilter {
    pub state: PortalState,
    /// Words in the title, the description or a note the portal shows.
    pub search: Option<String>,
}
