//! `desk ticket ...`, `desk note add`, `desk series create`.

use clap::Subcommand;
use desk_engine::model::*;

use super::Out;
pub use super::filter::{FilterArgs, ListArgs};
use crate::backend::{BResult, Backend, BackendError, ErrorKind};

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Create a ticket.
    Create {
        /// A short summary (required, not blank).
        #[arg(long)]
        title: String,
        /// The longer text.
        #[arg(long, default_value = "")]
        description: String,
        /// A queue of your desk.
        #[arg(long)]
        queue: Option<String>,
        /// Phone (default), E-mail, In Person, Monitoring, Other, ...
        #[arg(long)]
        source: Option<String>,
        /// An issue type (the provider's, or one of the ticket's company).
        #[arg(long)]
        issue_type: Option<String>,
        /// The customer company.
        #[arg(long)]
        company: Option<String>,
        /// The contact's login (e-mail).
        #[arg(long)]
        contact: Option<String>,
        /// Low, Medium (the default), High or Critical.
        #[arg(long)]
        priority: Option<String>,
        /// Assign to this resource.
        #[arg(long)]
        assign: Option<String>,
        /// RFC 3339, or YYYY-MM-DD[ HH:MM] in your time zone.
        #[arg(long)]
        due: Option<String>,
    },
    /// List tickets of your desk, newest first (or as --sort says), over the whole desk.
    List(Box<ListArgs>),
    /// Count the tickets a filter matches (the same filter as list).
    Count(Box<FilterArgs>),
    /// Mark a ticket seen: it leaves your inbox (and nobody else's).
    Seen {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
    },
    /// Show one ticket with its history.
    Show { number: String },
    /// Change fields of a ticket ("" clears work type, assignee and due).
    Update {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        #[arg(long)]
        title: Option<String>,
        /// A status: New, In Progress, Waiting Customer, Complete, or one your setup adds.
        #[arg(long)]
        status: Option<String>,
        /// A queue of your desk.
        #[arg(long)]
        queue: Option<String>,
        /// Low, Medium (the default), High or Critical.
        #[arg(long)]
        priority: Option<String>,
        /// A work type (billing category); "" clears it.
        #[arg(long)]
        work_type: Option<String>,
        /// Assign to this resource (login); "" unassigns.
        #[arg(long)]
        assign: Option<String>,
        /// RFC 3339, or YYYY-MM-DD[ HH:MM] in your time zone; "" clears it.
        #[arg(long)]
        due: Option<String>,
        /// Refuse if the ticket is no longer at this version (optimistic concurrency).
        #[arg(long, value_name = "VERSION")]
        if_version: Option<i64>,
    },
    /// Delete a ticket (and its Taskfire version, if shared).
    Delete {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
        /// Refuse if the ticket is no longer at this version (optimistic concurrency).
        #[arg(long, value_name = "VERSION")]
        if_version: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Add a note: internal, or with --publish visible in the portal.
    Add {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// The note's text (required, not blank).
        #[arg(long)]
        text: String,
        #[arg(long)]
        publish: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SeriesCommand {
    /// Create recurring tickets: `--count` instances, `--every-days` apart.
    Create {
        /// A short summary (required, not blank).
        #[arg(long)]
        title: String,
        /// The longer text.
        #[arg(long, default_value = "")]
        description: String,
        /// The customer company.
        #[arg(long)]
        company: String,
        /// The contact's login (their e-mail address).
        #[arg(long)]
        contact: Option<String>,
        /// A queue of your desk.
        #[arg(long)]
        queue: Option<String>,
        /// The first instance's due time: RFC 3339, or YYYY-MM-DD[ HH:MM] in your time zone.
        #[arg(long)]
        first_due: String,
        /// Days between instances (1 to 3650), kept at the same wall-clock time.
        #[arg(long)]
        every_days: u32,
        /// How many instances (1 to 999).
        #[arg(long)]
        count: u32,
    },
}

pub async fn run(b: &dyn Backend, cmd: TicketCommand, out: &Out) -> BResult<()> {
    match cmd {
        TicketCommand::Create {
            title,
            description,
            queue,
            source,
            issue_type,
            company,
            contact,
            priority,
            assign,
            due,
        } => {
            let t = b
                .create_ticket(NewTicket {
                    title,
                    description,
                    queue,
                    source,
                    issue_type,
                    company,
                    contact,
                    priority,
                    assign,
                    due,
                })
                .await?;
            out.ticket(t)
        }
        TicketCommand::List(args) => {
            let (filter, page) = args.into_parts(out.tz)?;
            let page = b.list_tickets(filter, page).await?;
            out.tickets(page)
        }
        TicketCommand::Count(args) => {
            let n = b.count_tickets(args.into_filter(out.tz)?).await?;
            out.done(&n.to_string(), serde_json::json!({ "count": n }))
        }
        TicketCommand::Seen { number } => {
            b.mark_seen(number.clone()).await?;
            out.done(
                &format!("{number} is out of your inbox"),
                serde_json::json!({ "seen": number }),
            )
        }
        TicketCommand::Show { number } => out.ticket(b.ticket(number).await?),
        TicketCommand::Update {
            number,
            title,
            status,
            queue,
            priority,
            work_type,
            assign,
            due,
            if_version,
        } => {
            let change = TicketChange {
                title,
                status,
                queue,
                priority,
                work_type,
                assign,
                due,
                expected_version: if_version,
            };
            out.ticket(b.update_ticket(number, change).await?)
        }
        TicketCommand::Delete {
            number,
            yes,
            if_version,
        } => {
            if !yes {
                return Err(BackendError::new(
                    ErrorKind::Invalid,
                    format!("deleting {number} cannot be undone; add --yes to confirm"),
                ));
            }
            b.delete_ticket(number.clone(), if_version).await?;
            out.done(
                &format!("deleted {number}"),
                serde_json::json!({ "deleted": number }),
            )
        }
    }
}

pub async fn run_note(b: &dyn Backend, cmd: NoteCommand, out: &Out) -> BResult<()> {
    let NoteCommand::Add {
        number,
        text,
        publish,
    } = cmd;
    out.ticket(b.add_note(number, text, publish).await?)
}

pub async fn run_series(b: &dyn Backend, cmd: SeriesCommand, out: &Out) -> BResult<()> {
    let SeriesCommand::Create {
        title,
        description,
        company,
        contact,
        queue,
        first_due,
        every_days,
        count,
    } = cmd;
    let list = b
        .create_series(NewSeries {
            title,
            description,
            company,
            contact,
            queue,
            first_due,
            every_days,
            count,
        })
        .await?;
    out.tickets(Page {
        items: list,
        next: None,
    })
}
