//! `desk portal ...`: exactly what the Client Portal shows and lets a contact do.

use clap::Subcommand;
use desk_engine::model::{PageRequest, PortalFilter, PortalState, PortalSubmit};

use super::Out;
use crate::backend::{BResult, Backend};

#[derive(Debug, Subcommand)]
pub enum PortalCommand {
    /// Submit a ticket (as a contact).
    Submit {
        /// A short summary (required, not blank).
        #[arg(long)]
        title: String,
        /// An issue type offered to your company (see `desk portal submit --help`).
        #[arg(long)]
        issue_type: String,
        /// The longer text.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// The tickets the portal shows you.
    List {
        /// Only open tickets (not Complete).
        #[arg(long, conflicts_with = "closed")]
        open: bool,
        /// Only closed tickets (Complete).
        #[arg(long)]
        closed: bool,
        /// Only tickets with these words in the title, the description or a note you see.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many tickets (1 to 1000).
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        /// Continue after this cursor (printed by the previous page).
        #[arg(long)]
        after: Option<String>,
    },
    /// One ticket as the portal shows it.
    Show { number: String },
    /// Add a note to a ticket (as a contact).
    Note {
        /// The ticket number, e.g. T20261129.0001.
        number: String,
        /// The note's text (required, not blank).
        #[arg(long)]
        text: String,
    },
}

pub async fn run(b: &dyn Backend, cmd: PortalCommand, out: &Out) -> BResult<()> {
    match cmd {
        PortalCommand::Submit {
            title,
            issue_type,
            description,
        } => out.ticket(
            b.portal_submit(PortalSubmit {
                title,
                issue_type,
                description,
            })
            .await?,
        ),
        PortalCommand::List {
            open,
            closed,
            search,
            limit,
            after,
        } => {
            let state = match (open, closed) {
                (true, _) => PortalState::Open,
                (_, true) => PortalState::Closed,
                _ => PortalState::All,
            };
            let filter = PortalFilter { state, search };
            out.tickets(b.portal_list(filter, PageRequest { after, limit }).await?)
        }
        PortalCommand::Show { number } => out.ticket(b.portal_show(number).await?),
        PortalCommand::Note { number, text } => out.ticket(b.portal_note(number, text).await?),
    }
}
