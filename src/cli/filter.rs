//! The filter, sort and page options of `ticket list` and `ticket count`: every field
//! takes several values (repeat the option, or separate values with commas) and its
//! `--not-FIELD` excludes values (docs/lists.md).

use clap::Args;
use desk_engine::model::*;

use super::PageArgs;
use crate::backend::{BResult, BackendError};

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Queues of your desk.
    #[arg(long, value_delimiter = ',', value_name = "QUEUE")]
    queue: Vec<String>,
    /// Not in these queues.
    #[arg(long, value_delimiter = ',', value_name = "QUEUE")]
    not_queue: Vec<String>,
    /// Sources: Phone, E-mail, In Person, Monitoring, Other, Client Portal, Insourced.
    #[arg(long, value_delimiter = ',', value_name = "SOURCE")]
    source: Vec<String>,
    #[arg(long, value_delimiter = ',', value_name = "SOURCE")]
    not_source: Vec<String>,
    /// Statuses: New, In Progress, Waiting Customer, Complete, or ones your setup adds.
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    status: Vec<String>,
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    not_status: Vec<String>,
    /// Assigned to these logins; "none" is unassigned.
    #[arg(long, value_delimiter = ',', value_name = "LOGIN")]
    assigned: Vec<String>,
    /// Not assigned to these logins ("none": assigned to someone).
    #[arg(long, value_delimiter = ',', value_name = "LOGIN")]
    not_assigned: Vec<String>,
    /// Only unassigned tickets (as --assigned none).
    #[arg(long)]
    unassigned: bool,
    /// Customer companies.
    #[arg(long, value_delimiter = ',', value_name = "COMPANY")]
    company: Vec<String>,
    #[arg(long, value_delimiter = ',', value_name = "COMPANY")]
    not_company: Vec<String>,
    /// Priorities: Low, Medium, High, Critical.
    #[arg(long, value_delimiter = ',', value_name = "PRIORITY")]
    priority: Vec<String>,
    #[arg(long, value_delimiter = ',', value_name = "PRIORITY")]
    not_priority: Vec<String>,
    /// Words in titles, descriptions and notes.
    #[arg(long)]
    search: Option<String>,
    /// Only tickets that are not Complete.
    #[arg(long)]
    open: bool,
    /// Only tickets in your inbox: customer or Taskfire activity since you last opened them.
    #[arg(long)]
    unseen: bool,
    /// Due before this time: RFC 3339, or YYYY-MM-DD[ HH:MM] in your time zone.
    #[arg(long, value_name = "TIME")]
    due_before: Option<String>,
    /// Due at or after this time.
    #[arg(long, value_name = "TIME")]
    due_after: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// Sort by number, due, priority, status, created, updated, company or title;
    /// -FIELD sorts descending (default -created: newest first).
    #[arg(long, value_name = "FIELD|-FIELD", allow_hyphen_values = true)]
    sort: Option<String>,
    /// The page (a cursor keeps its sort: --after alone goes on in the same order).
    #[command(flatten)]
    page: PageArgs,
}

fn matching(any: Vec<String>, none: Vec<String>) -> Match {
    Match {
        any_of: any,
        none_of: none,
    }
}

/// A time typed on the command line, in the acting identity's zone unless it names one
/// (as `--due` of create and update).
fn instant(
    field: &str,
    v: Option<String>,
    tz: chrono_tz::Tz,
) -> BResult<Option<chrono::DateTime<chrono::Utc>>> {
    v.map(|v| desk_engine::domain::time::parse_time(field, &v, tz).map_err(BackendError::from))
        .transpose()
}

impl FilterArgs {
    /// The filter; times without an offset are read in `tz`.
    pub fn into_filter(self, tz: chrono_tz::Tz) -> BResult<TicketFilter> {
        let who = |v: Vec<String>| v.iter().map(|s| Assignee::parse(s)).collect::<Vec<_>>();
        let mut assigned = who(self.assigned);
        if self.unassigned && !assigned.contains(&Assignee::Nobody) {
            assigned.push(Assignee::Nobody);
        }
        Ok(TicketFilter {
            queue: matching(self.queue, self.not_queue),
            source: matching(self.source, self.not_source),
            status: matching(self.status, self.not_status),
            assigned: Match {
                any_of: assigned,
                none_of: who(self.not_assigned),
            },
            company: matching(self.company, self.not_company),
            priority: matching(self.priority, self.not_priority),
            search: self.search,
            open_only: self.open,
            due_before: instant("due-before", self.due_before, tz)?,
            due_after: instant("due-after", self.due_after, tz)?,
            unseen_only: self.unseen,
        })
    }
}

impl ListArgs {
    pub fn into_parts(self, tz: chrono_tz::Tz) -> BResult<(TicketFilter, PageRequest)> {
        let sort = self.sort.as_deref().map(Sort::parse).transpose()?;
        Ok((
            self.filter.into_filter(tz)?,
            PageRequest {
                sort,
                ..self.page.into()
            },
        ))
    }
}
