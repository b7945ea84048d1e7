//! `desk taskfire ...`: T1–T3 and T5 (T4 is `desk ticket delete`).

use clap::Subcommand;
use desk_engine::model::TaskfireAssign;

use super::Out;
use crate::backend::{BResult, Backend};

#[derive(Debug, Subcommand)]
pub enum TaskfireCommand {
    /// T1: hand the ticket to the customer's Taskfire desk.
    Assign {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// A Taskfire queue of the ticket's company.
        #[arg(long)]
        queue: String,
        /// A Taskfire resource (login) of the ticket's company.
        #[arg(long)]
        resource: Option<String>,
        /// RFC 3339, or YYYY-MM-DD[ HH:MM] in your time zone; "" clears it.
        #[arg(long)]
        due: Option<String>,
        /// Why (required).
        #[arg(long)]
        note: String,
        /// Refuse if the ticket is no longer at this version (optimistic concurrency).
        #[arg(long, value_name = "VERSION")]
        if_version: Option<i64>,
    },
    /// T2: my work on this ticket is complete.
    Complete {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// A note for the Taskfire side (a default text if left out).
        #[arg(long)]
        note: Option<String>,
        /// Refuse if the ticket is no longer at this version (optimistic concurrency).
        #[arg(long, value_name = "VERSION")]
        if_version: Option<i64>,
    },
    /// T3: ask the Taskfire side a question.
    Ask {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// The note that explains it (required, not blank).
        #[arg(long)]
        note: String,
    },
    /// T5 (as a Taskfire resource): hand the ticket to the provider.
    Escalate {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// The note that explains it (required, not blank).
        #[arg(long)]
        note: String,
        /// Refuse if the ticket is no longer at this version (optimistic concurrency).
        #[arg(long, value_name = "VERSION")]
        if_version: Option<i64>,
    },
}

pub async fn run(b: &dyn Backend, cmd: TaskfireCommand, out: &Out) -> BResult<()> {
    let t = match cmd {
        TaskfireCommand::Assign {
            number,
            queue,
            resource,
            due,
            note,
            if_version,
        } => {
            b.taskfire_assign(
                number,
                TaskfireAssign {
                    queue,
                    resource,
                    due,
                    note,
                    expected_version: if_version,
                },
            )
            .await?
        }
        TaskfireCommand::Complete {
            number,
            note,
            if_version,
        } => b.taskfire_complete(number, note, if_version).await?,
        TaskfireCommand::Ask { number, note } => b.taskfire_ask(number, note).await?,
        TaskfireCommand::Escalate {
            number,
            note,
            if_version,
        } => b.taskfire_escalate(number, note, if_version).await?,
    };
    out.ticket(t)
}
