//! `desk portal ...`: exactly what the Client Portal shows and lets a contact do.

use clap::Subcommand;
use desk_engine::model::{PortalFilter, PortalState, PortalSubmit};

use super::{Out, PageArgs};
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
    /// The tickets the portal shows you, newest first.
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
        #[command(flatten)]
        page: PageArgs,
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
            page,
        } => {
            let state = match (open, closed) {
                (true, _) => PortalState::Open,
                (_, true) => PortalState::Closed,
                _ => PortalState::All,
            };
            let filter = PortalFilter { state, search };
            out.tickets(b.portal_list(filter, page.into()).await?)
        }
        PortalCommand::Show { number } => out.ticket(b.portal_show(number).await?),
        PortalCommand::Note { number, text } => out.ticket(b.portal_note(number, text).await?),
    }
}
