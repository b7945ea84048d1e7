//! The ticket, its notes and Taskfire state, notifications, the catalog: version 1.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use desk_engine::model::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDto {
    pub author: String,
    /// internal | published | portal | taskfire
    pub kind: String,
    pub text: String,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub at: DateTime<Utc>,
    /// The ticket's version once the note was added (null: before versions were kept).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDto {
    pub actor: String,
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub at: DateTime<Utc>,
    /// The ticket's version after this change (null: before versions were kept).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskfireDto {
    pub queue: String,
    pub resource: Option<String>,
    pub status: String,
    #[serde(serialize_with = "crate::api::time::instant_opt")]
    pub due_at: Option<DateTime<Utc>>,
    /// customer | provider
    pub held_by: String,
    pub provider_status: String,
    #[serde(serialize_with = "crate::api::time::instant_opt")]
    pub provider_due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDto {
    pub number: String,
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
    #[serde(serialize_with = "crate::api::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub created_local: DateTime<FixedOffset>,
    pub created_tz: String,
    #[serde(serialize_with = "crate::api::time::date")]
    pub number_date: NaiveDate,
    /// R5: the created date (creator's zone) differs from the date in the number.
    pub dates_differ: bool,
    #[serde(serialize_with = "crate::api::time::instant_opt")]
    pub due_at: Option<DateTime<Utc>>,
    pub series: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub updated_at: DateTime<Utc>,
    /// In the caller's inbox (customer or Taskfire activity since they last opened it).
    #[serde(default)]
    pub unseen: bool,
    pub taskfire: Option<TaskfireDto>,
    pub notes: Vec<NoteDto>,
    #[serde(default)]
    pub events: Vec<EventDto>,
}

impl From<Ticket> for TicketDto {
    fn from(t: Ticket) -> Self {
        TicketDto {
            dates_differ: t.dates_differ(),
            number: t.number,
            desk: t.desk,
            title: t.title,
            description: t.description,
            status: t.status,
            priority: t.priority,
            queue: t.queue,
            source: t.source,
            issue_type: t.issue_type,
            work_type: t.work_type,
            company: t.company,
            contact: t.contact,
            assigned: t.assigned,
            created_by: t.created_by,
            created_at: t.created_at,
            created_local: t.created_local,
            created_tz: t.created_tz,
            number_date: t.number_date,
            due_at: t.due_at,
            series: t.series,
            version: t.version,
            updated_at: t.updated_at,
            unseen: t.unseen,
            taskfire: t.taskfire.map(|f| TaskfireDto {
                queue: f.queue,
                resource: f.resource,
                status: f.status,
                due_at: f.due_at,
                held_by: f.held_by.as_str().to_string(),
                provider_status: f.provider_status,
                provider_due_at: f.provider_due_at,
            }),
            notes: t
                .notes
                .into_iter()
                .map(|n| NoteDto {
                    author: n.author,
                    kind: n.kind.as_str().to_string(),
                    text: n.text,
                    at: n.at,
                    version: n.version,
                })
                .collect(),
            events: t
                .events
                .into_iter()
                .map(|e| EventDto {
                    actor: e.actor,
                    field: e.field,
                    from: e.from,
                    to: e.to,
                    at: e.at,
                    version: e.version,
                })
                .collect(),
        }
    }
}

impl From<TicketDto> for Ticket {
    fn from(t: TicketDto) -> Self {
        Ticket {
            number: t.number,
            desk: t.desk,
            title: t.title,
            description: t.description,
            status: t.status,
            priority: t.priority,
            queue: t.queue,
            source: t.source,
            issue_type: t.issue_type,
            work_type: t.work_type,
            company: t.company,
            contact: t.contact,
            assigned: t.assigned,
            created_by: t.created_by,
            created_at: t.created_at,
            created_local: t.created_local,
            created_tz: t.created_tz,
            number_date: t.number_date,
            due_at: t.due_at,
            series: t.series,
            version: t.version,
            updated_at: t.updated_at,
            unseen: t.unseen,
            taskfire: t.taskfire.map(|f| TaskfireState {
                queue: f.queue,
                resource: f.resource,
                status: f.status,
                due_at: f.due_at,
                held_by: HeldBy::parse(&f.held_by).unwrap_or(HeldBy::Provider),
                provider_status: f.provider_status,
                provider_due_at: f.provider_due_at,
            }),
            notes: t
                .notes
                .into_iter()
                .map(|n| Note {
                    author: n.author,
                    kind: NoteKind::parse(&n.kind).unwrap_or(NoteKind::Internal),
                    text: n.text,
                    at: n.at,
                    version: n.version,
                })
                .collect(),
            events: t
                .events
                .into_iter()
                .map(|e| Event {
                    actor: e.actor,
                    field: e.field,
                    from: e.from,
                    to: e.to,
                    at: e.at,
                    version: e.version,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationDto {
    pub event: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub ticket: Option<String>,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub at: DateTime<Utc>,
}

impl From<Notification> for NotificationDto {
    fn from(n: Notification) -> Self {
        NotificationDto {
            event: n.event,
            to: n.to,
            subject: n.subject,
            body: n.body,
            ticket: n.ticket,
            at: n.at,
        }
    }
}

impl From<NotificationDto> for Notification {
    fn from(n: NotificationDto) -> Self {
        Notification {
            event: n.event,
            to: n.to,
            subject: n.subject,
            body: n.body,
            ticket: n.ticket,
            at: n.at,
        }
    }
}
