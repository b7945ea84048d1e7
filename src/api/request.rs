//! Request bodies and query strings of `/api/v1`, version 1. Unknown fields are refused
//! so that a typo in a client ("stauts") is an error naming the field, not a silent no-op.

use chrono::{DateTime, Utc};
use desk_engine::model::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTicketDto {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub queue: Option<String>,
    pub source: Option<String>,
    pub issue_type: Option<String>,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub priority: Option<String>,
    pub assign: Option<String>,
    /// RFC 3339, or `YYYY-MM-DD[ HH:MM]` in the acting identity's time zone.
    pub due: Option<String>,
}

impl From<NewTicketDto> for NewTicket {
    fn from(d: NewTicketDto) -> Self {
        NewTicket {
            title: d.title,
            description: d.description,
            queue: d.queue,
            source: d.source,
            issue_type: d.issue_type,
            company: d.company,
            contact: d.contact,
            priority: d.priority,
            assign: d.assign,
            due: d.due,
        }
    }
}

impl From<NewTicket> for NewTicketDto {
    fn from(d: NewTicket) -> Self {
        NewTicketDto {
            title: d.title,
            description: d.description,
            queue: d.queue,
            source: d.source,
            issue_type: d.issue_type,
            company: d.company,
            contact: d.contact,
            priority: d.priority,
            assign: d.assign,
            due: d.due,
        }
    }
}

/// A partial update: absent fields stay; `""` clears work type, assignee and due.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketChangeDto {
    pub title: Option<String>,
    pub status: Option<String>,
    pub queue: Option<String>,
    pub priority: Option<String>,
    pub work_type: Option<String>,
    pub assign: Option<String>,
    pub due: Option<String>,
    /// Optimistic concurrency: 409 if the ticket is no longer at this version.
    pub expected_version: Option<i64>,
}

impl From<TicketChangeDto> for TicketChange {
    fn from(d: TicketChangeDto) -> Self {
        TicketChange {
            title: d.title,
            status: d.status,
            queue: d.queue,
            priority: d.priority,
            work_type: d.work_type,
            assign: d.assign,
            due: d.due,
            expected_version: d.expected_version,
        }
    }
}

impl From<TicketChange> for TicketChangeDto {
    fn from(d: TicketChange) -> Self {
        TicketChangeDto {
            title: d.title,
            status: d.status,
            queue: d.queue,
            priority: d.priority,
            work_type: d.work_type,
            assign: d.assign,
            due: d.due,
            expected_version: d.expected_version,
        }
    }
}

/// The query string of `GET /tickets`: the filter and the page in one flat struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_before: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl TicketQuery {
    pub fn new(f: TicketFilter, p: PageRequest) -> Self {
        TicketQuery {
            queue: f.queue,
            source: f.source,
            status: f.status,
            assigned: f.assigned,
            company: f.company,
            priority: f.priority,
            search: f.search,
            open: f.open_only,
            due_before: f.due_before,
            after: p.after,
            limit: Some(p.limit),
        }
    }

    pub fn into_parts(self) -> (TicketFilter, PageRequest) {
        let page = PageQuery {
            after: self.after,
            limit: self.limit,
        };
        let filter = TicketFilter {
            queue: self.queue,
            source: self.source,
            status: self.status,
            assigned: self.assigned,
            company: self.company,
            priority: self.priority,
            search: self.search,
            open_only: self.open,
            due_before: self.due_before,
        };
        (filter, page.into())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl From<PageQuery> for PageRequest {
    fn from(q: PageQuery) -> Self {
        PageRequest {
            after: q.after,
            limit: q.limit.unwrap_or(PageRequest::default().limit),
        }
    }
}

impl From<PageRequest> for PageQuery {
    fn from(p: PageRequest) -> Self {
        PageQuery {
            after: p.after,
            limit: Some(p.limit),
        }
    }
}

/// The portal's list: `state` open | closed | all (the default), `search` words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl PortalQuery {
    pub fn new(f: PortalFilter, p: PageRequest) -> Self {
        PortalQuery {
            state: Some(f.state.as_str().to_string()),
            search: f.search,
            after: p.after,
            limit: Some(p.limit),
        }
    }

    /// The filter and page asked for; a `state` that is none of the three is refused.
    pub fn into_parts(self) -> Result<(PortalFilter, PageRequest), desk_engine::Error> {
        let state = match self.state.as_deref() {
            None => PortalState::default(),
            Some(s) => PortalState::parse(s).ok_or_else(|| {
                desk_engine::Error::invalid(
                    "state",
                    format!("\"{s}\" is not a state; use open, closed or all"),
                )
            })?,
        };
        let page = PageQuery {
            after: self.after,
            limit: self.limit,
        };
        let filter = PortalFilter {
            state,
            search: self.search,
        };
        Ok((filter, page.into()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitQuery {
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
    /// Staff notes only: visible in the portal when true.
    #[serde(default)]
    pub publish: bool,
}

/// A contact's note in the portal: always of kind `portal`, so there is nothing to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalNoteRequest {
    pub text: String,
}

/// The note of a Taskfire action; required except for `complete`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskfireNoteRequest {
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSeriesDto {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub company: String,
    pub contact: Option<String>,
    pub queue: Option<String>,
    pub first_due: String,
    pub every_days: u32,
    pub count: u32,
}

impl From<NewSeriesDto> for NewSeries {
    fn from(d: NewSeriesDto) -> Self {
        NewSeries {
            title: d.title,
            description: d.description,
            company: d.company,
            contact: d.contact,
            queue: d.queue,
            first_due: d.first_due,
            every_days: d.every_days,
            count: d.count,
        }
    }
}

impl From<NewSeries> for NewSeriesDto {
    fn from(d: NewSeries) -> Self {
        NewSeriesDto {
            title: d.title,
            description: d.description,
            company: d.company,
            contact: d.contact,
            queue: d.queue,
            first_due: d.first_due,
            every_days: d.every_days,
            count: d.count,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskfireAssignDto {
    pub queue: String,
    pub resource: Option<String>,
    pub due: Option<String>,
    pub note: String,
}

impl From<TaskfireAssignDto> for TaskfireAssign {
    fn from(d: TaskfireAssignDto) -> Self {
        TaskfireAssign {
            queue: d.queue,
            resource: d.resource,
            due: d.due,
            note: d.note,
        }
    }
}

impl From<TaskfireAssign> for TaskfireAssignDto {
    fn from(d: TaskfireAssign) -> Self {
        TaskfireAssignDto {
            queue: d.queue,
            resource: d.resource,
            due: d.due,
            note: d.note,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalSubmitDto {
    pub title: String,
    pub issue_type: String,
    #[serde(default)]
    pub description: String,
}

impl From<PortalSubmitDto> for PortalSubmit {
    fn from(d: PortalSubmitDto) -> Self {
        PortalSubmit {
            title: d.title,
            issue_type: d.issue_type,
            description: d.description,
        }
    }
}

impl From<PortalSubmit> for PortalSubmitDto {
    fn from(d: PortalSubmit) -> Self {
        PortalSubmitDto {
            title: d.title,
            issue_type: d.issue_type,
            description: d.description,
        }
    }
}
