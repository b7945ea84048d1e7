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

/// The query string of `GET /tickets` (and `/tickets/count`): the filter, the sort and the
/// page in one flat struct. A field given several times (`status=New&status=In%20Progress`)
/// matches any of its values; `not_FIELD` excludes values; `assigned=none` is unassigned.
/// Read and written with serde_html_form, which knows repeated keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketQuery {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queue: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_queue: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_source: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_status: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_assigned: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub company: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_company: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_priority: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_before: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_after: Option<DateTime<Utc>>,
    /// Only the caller's inbox.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unseen: bool,
    /// `FIELD` or `-FIELD` (docs/lists.md); checked by the engine's `Sort::parse`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

fn strings<T>(m: Match<T>, name: impl Fn(T) -> String) -> (Vec<String>, Vec<String>) {
    (
        m.any_of.into_iter().map(&name).collect(),
        m.none_of.into_iter().map(&name).collect(),
    )
}

fn matching(any: Vec<String>, none: Vec<String>) -> Match {
    Match {
        any_of: any,
        none_of: none,
    }
}

impl TicketQuery {
    pub fn new(f: TicketFilter, p: PageRequest) -> Self {
        let mut q = TicketQuery::filter(f);
        q.sort = p.sort.map(|s| s.to_string());
        q.after = p.after;
        q.limit = Some(p.limit);
        q
    }

    /// The query of a filter alone (a count).
    pub fn filter(f: TicketFilter) -> Self {
        let same = |s: String| s;
        let (queue, not_queue) = strings(f.queue, same);
        let (source, not_source) = strings(f.source, same);
        let (status, not_status) = strings(f.status, same);
        let (company, not_company) = strings(f.company, same);
        let (priority, not_priority) = strings(f.priority, same);
        let (assigned, not_assigned) = strings(f.assigned, |a| a.as_str().to_string());
        TicketQuery {
            queue,
            not_queue,
            source,
            not_source,
            status,
            not_status,
            assigned,
            not_assigned,
            company,
            not_company,
            priority,
            not_priority,
            search: f.search,
            open: f.open_only,
            due_before: f.due_before,
            due_after: f.due_after,
            unseen: f.unseen_only,
            sort: None,
            after: None,
            limit: None,
        }
    }

    /// The filter and the page; an unknown sort is the engine's error naming `sort`.
    pub fn into_parts(self) -> Result<(TicketFilter, PageRequest), desk_engine::Error> {
        let sort = self.sort.as_deref().map(Sort::parse).transpose()?;
        let page = PageRequest {
            after: self.after,
            limit: self.limit.unwrap_or(PageRequest::default().limit),
            sort,
        };
        let who = |v: Vec<String>| v.iter().map(|s| Assignee::parse(s)).collect();
        let filter = TicketFilter {
            queue: matching(self.queue, self.not_queue),
            source: matching(self.source, self.not_source),
            status: matching(self.status, self.not_status),
            assigned: Match {
                any_of: who(self.assigned),
                none_of: who(self.not_assigned),
            },
            company: matching(self.company, self.not_company),
            priority: matching(self.priority, self.not_priority),
            search: self.search,
            open_only: self.open,
            due_before: self.due_before,
            due_after: self.due_after,
            unseen_only: self.unseen,
        };
        Ok((filter, page))
    }

    /// The query string, repeated keys for lists.
    pub fn to_query_string(&self) -> Result<String, String> {
        serde_html_form::to_string(self).map_err(|e| e.to_string())
    }
}

/// The query string of `DELETE /tickets/{number}`: `expected_version` gives 409 (nothing
/// deleted) when the ticket is at another version, as in a `PATCH`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
}

/// The query string of a list without filters (the portal's): the sort and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl PageQuery {
    /// The page; an unknown sort is the engine's error naming `sort`.
    pub fn into_page(self) -> Result<PageRequest, desk_engine::Error> {
        Ok(PageRequest {
            after: self.after,
            limit: self.limit.unwrap_or(PageRequest::default().limit),
            sort: self.sort.as_deref().map(Sort::parse).transpose()?,
        })
    }
}

impl From<PageRequest> for PageQuery {
    fn from(p: PageRequest) -> Self {
        PageQuery {
            sort: p.sort.map(|s| s.to_string()),
            after: p.after,
            limit: Some(p.limit),
        }
    }
}

/// The portal's list: `state` open | closed | all (the default), `search` words, and
/// the sort and page as `PageQuery`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    // The page's fields spelled out: serde's `flatten` hands a query string's numbers
    // over as text, and `limit` would then be refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
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
            sort: p.sort.map(|s| s.to_string()),
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
        let filter = PortalFilter {
            state,
            search: self.search,
        };
        let page = PageQuery {
            sort: self.sort,
            after: self.after,
            limit: self.limit,
        };
        Ok((filter, page.into_page()?))
    }
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

/// T2 and T5: the note, and the version seen (409, nothing written, when stale).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskfireActionRequest {
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
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
    /// Optimistic concurrency: 409 if the provider's ticket is no longer at this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
}

impl From<TaskfireAssignDto> for TaskfireAssign {
    fn from(d: TaskfireAssignDto) -> Self {
        TaskfireAssign {
            queue: d.queue,
            resource: d.resource,
            due: d.due,
            note: d.note,
            expected_version: d.expected_version,
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
            expected_version: d.expected_version,
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
