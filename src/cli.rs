//! The command line: every operation as a non-interactive command. Commands
//! talk to a `Backend` only; `--json` prints one JSON document.

pub mod contact;
mod filter;
mod output;
mod portal;
pub mod shell;
mod taskfire;
mod ticket;
pub mod token;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::backend::{BResult, Backend};
pub use output::Out;

#[derive(Debug, Parser)]
#[command(
    name = "desk",
    version,
    about = "A keyboard-driven terminal service desk",
    propagate_version = true
)]
pub struct Cli {
    /// Data folder of the local store (default: the user's data folder).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "DESK_DATA",
        value_name = "DIR"
    )]
    pub data: Option<PathBuf>,
    /// The desk in a PostgreSQL database instead of a data folder
    /// (postgres://USER@HOST:PORT/DATABASE; docs/postgres.md).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "DESK_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,
    /// Work against `desk serve` at URL instead of a local store.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "DESK_REMOTE",
        value_name = "URL"
    )]
    pub remote: Option<String>,
    /// API token for --remote.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "DESK_TOKEN",
        hide_env_values = true,
        value_name = "T"
    )]
    pub token: Option<String>,
    /// Who acts (a resource, Taskfire resource or contact login); local stores only.
    #[arg(
        long = "as",
        global = true,
        help_heading = "Global options",
        env = "DESK_AS",
        value_name = "LOGIN"
    )]
    pub as_login: Option<String>,
    /// Print one JSON document instead of a table.
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store from a setup file or the demo setup.
    Init(InitArgs),
    /// Open the TUI on the demo desk, creating it (with generated tickets) if needed.
    Demo {
        /// How many generated tickets a new demo desk gets (up to 10,000,000).
        #[arg(long, default_value_t = 2000, value_parser = tickets())]
        tickets: u64,
    },
    /// API tokens for `desk serve`.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The store itself: copy a whole desk into another store.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Portal passwords of contacts (in the server's own store).
    Contact {
        #[command(subcommand)]
        command: contact::ContactCommand,
    },
    /// Work tickets.
    Ticket {
        #[command(subcommand)]
        command: ticket::TicketCommand,
    },
    /// Add a note to a ticket (internal unless --publish).
    Note {
        #[command(subcommand)]
        command: ticket::NoteCommand,
    },
    /// Recurring tickets.
    Series {
        #[command(subcommand)]
        command: ticket::SeriesCommand,
    },
    /// The Taskfire menu: share work with a customer's own IT desk.
    Taskfire {
        #[command(subcommand)]
        command: taskfire::TaskfireCommand,
    },
    /// The Client Portal, as a contact sees it.
    Portal {
        #[command(subcommand)]
        command: portal::PortalCommand,
    },
    /// The queues of your desk with their open counts.
    Queues,
    /// The notification outbox, newest first.
    Notifications {
        #[command(flatten)]
        page: PageArgs,
    },
    /// Deliver the unsent messages of the outbox as .eml files into a pickup folder.
    Deliver {
        /// The pickup folder of your mail server (created if missing).
        #[arg(long, value_name = "DIR")]
        to_dir: std::path::PathBuf,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell) for desk.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print desk's man page (roff), or write a page per command into a folder.
    Man {
        /// Write desk.1, desk-ticket.1, desk-ticket-list.1, ... into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Serve the engine over HTTP and the Client Portal (web pages under /portal/).
    ///
    /// The API is under /api/v1; its limits are in docs/serve.md, the portal's in
    /// docs/portal.md.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8765")]
        listen: String,
        /// Where contacts reach the portal, e.g. https://desk.example.com (behind your
        /// TLS proxy): links in invites and mail start with it, and with https the
        /// session cookie is Secure. Remembered in the store.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        #[command(flatten)]
        limits: crate::server::LimitArgs,
    },
}

/// How every list command pages (docs/lists.md): `--limit` entries from `--after`, and
/// a line on stderr with the cursor when there are more. No list is cut silently.
#[derive(Debug, Clone, Args)]
pub struct PageArgs {
    /// At most this many (1 to 1000; as the HTTP API).
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=i64::from(desk_engine::model::MAX_PAGE)))]
    pub limit: u32,
    /// Continue after this cursor (the previous page says it on stderr).
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
}

impl From<PageArgs> for desk_engine::model::PageRequest {
    fn from(p: PageArgs) -> Self {
        desk_engine::model::PageRequest {
            after: p.after,
            limit: p.limit,
            sort: None,
        }
    }
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "source_of_setup")]
pub struct InitSource {
    /// Use the demo setup (assets/demo.toml).
    #[arg(long)]
    pub demo: bool,
    /// Use this setup file.
    #[arg(long, value_name = "FILE")]
    pub setup: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub source: InitSource,
    /// Also generate this many realistic tickets (demos, benchmarks; up to 10,000,000).
    #[arg(long, value_name = "N", value_parser = tickets())]
    pub tickets: Option<u64>,
}

/// `--tickets`: the engine's bound, said at the command line (naming the argument).
fn tickets() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(..=desk_engine::MAX_DEMO_TICKETS)
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a new API token for LOGIN (printed once; stored hashed).
    Create {
        /// The login of a resource, Taskfire resource or contact.
        login: String,
        /// When it stops working: a span (90d, 12h, 2w), a time in the desk's zone
        /// (2027-03-01, 2027-03-01 17:00) or never.
        #[arg(long, value_name = "WHEN", default_value = token::DEFAULT_EXPIRY)]
        expires: String,
    },
    /// List the API tokens: whose, made when, valid until when (never the tokens).
    List,
    /// Revoke every API token of LOGIN, at once.
    Revoke {
        /// The login whose tokens stop working.
        login: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy this whole desk into an empty PostgreSQL database
    ///
    /// From --data DIR (or --database-url) into --to URL: numbers, history, tokens and
    /// the outbox are kept (docs/postgres.md, "Running a desk on PostgreSQL").
    Copy {
        /// The empty database: postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

/// Runs a command that works through a backend.
pub async fn run(backend: &dyn Backend, command: Command, out: &Out) -> BResult<()> {
    match command {
        Command::Ticket { command } => ticket::run(backend, command, out).await,
        Command::Note { command } => ticket::run_note(backend, command, out).await,
        Command::Series { command } => ticket::run_series(backend, command, out).await,
        Command::Taskfire { command } => taskfire::run(backend, command, out).await,
        Command::Portal { command } => portal::run(backend, command, out).await,
        Command::Queues => {
            let c = backend.catalog().await?;
            out.queues(&c)
        }
        Command::Notifications { page } => {
            let page = backend.notifications(page.into()).await?;
            out.notifications(page)
        }
        Command::Init(_)
        | Command::Demo { .. }
        | Command::Token { .. }
        | Command::Store { .. }
        | Command::Contact { .. }
        | Command::Deliver { .. }
        | Command::Completions { .. }
        | Command::Man { .. }
        | Command::Serve { .. } => Err(crate::backend::BackendError::new(
            crate::backend::ErrorKind::Internal,
            "this command does not run through a backend",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
