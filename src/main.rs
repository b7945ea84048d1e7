//! desk: parse the command line, pick a backend, run the CLI command, the TUI or the server.

mod api;
mod backend;
mod cli;
mod mail;
mod server;
mod store_at;
mod tui;

use clap::Parser;
use desk_engine::{Clock, Setup};
use std::path::PathBuf;
use std::process::ExitCode;

use backend::{Backend, BackendError, ErrorKind, LocalBackend, RemoteBackend};
use cli::{Cli, Command, Out};
use store_at::StoreAt;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The demo setup, shipped inside the binary.
const DEMO_SETUP: &str = include_str!("../assets/demo.toml");

fn main() -> ExitCode {
    tui::start_trace();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.json;
    match real_main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // An error may quote what was typed or stored: shown, never obeyed.
            eprintln!(
                "error: {}",
                desk_engine::domain::text::one_line(&e.to_string())
            );
            if json {
                // Scripts get the same error as one JSON document with a stable code.
                json_error(e.kind.code(), &e.message);
            }
            ExitCode::FAILURE
        }
    }
}

/// `{"error": {"code", "message"}}` on stdout: with `--json`, even a failure is one
/// JSON document there.
fn json_error(code: &str, message: &str) {
    println!(
        "{}",
        serde_json::json!({ "error": { "code": code, "message": message } })
    );
}

/// A command line clap cannot read: its own message on stderr (exit 2), and with
/// `--json` also the error as JSON on stdout. `--help` and `--version` print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion)
        || !std::env::args_os().any(|a| a == "--json")
    {
        e.exit();
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid command line");
    json_error("invalid", first.strip_prefix("error: ").unwrap_or(first));
    eprint!("{rendered}");
    ExitCode::from(2)
}

fn fail(message: impl Into<String>) -> BackendError {
    BackendError::new(ErrorKind::Invalid, message)
}

/// `DESK_NOW` freezes the clock (tests, demos).
fn clock() -> Result<Clock, BackendError> {
    match std::env::var("DESK_NOW") {
        Ok(v) if !v.trim().is_empty() => {
            let t = chrono::DateTime::parse_from_rfc3339(v.trim())
                .map_err(|e| fail(format!("DESK_NOW=\"{v}\" is not an RFC 3339 time ({e})")))?;
            // The clock's instants are stored: they must be ones desk accepts as input.
            desk_engine::domain::time::check_instant("DESK_NOW", t.to_utc())?;
            Ok(Clock::Fixed(t.to_utc()))
        }
        _ => Ok(Clock::System),
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf, BackendError> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    directories::ProjectDirs::from("", "", "desk")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| fail("no home folder to keep the store in; pass --data DIR"))
}

/// The store the command works on: `--database-url` (PostgreSQL), else the store file
/// in the data folder.
fn store_at(cli: &Cli) -> Result<StoreAt, BackendError> {
    match (&cli.database_url, &cli.data) {
        (Some(_), Some(_)) => Err(fail(
            "--data DIR and --database-url URL both name a store (DESK_DATA and DESK_DATABASE_URL count too); give one",
        )),
        (Some(url), None) => Ok(StoreAt::Postgres(url.clone())),
        (None, _) => Ok(StoreAt::data_dir(&data_dir(cli)?)),
    }
}

fn real_main(mut cli: Cli) -> Result<(), BackendError> {
    let clock = clock()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            BackendError::new(
                ErrorKind::Internal,
                format!("cannot start the runtime: {e}"),
            )
        })?;
    // Every command answers `--json` with one document; these two are not commands
    // that answer, and saying so beats a TUI drawn over a script's pipe.
    if cli.json
        && matches!(
            cli.command,
            None | Some(Command::Demo { .. } | Command::Serve { .. })
        )
    {
        return Err(fail(
            "--json is for commands that answer once; the TUI (desk, desk demo) and desk serve (whose API speaks JSON) run until stopped",
        ));
    }
    if cli.json
        && matches!(
            cli.command,
            Some(Command::Completions { .. } | Command::Man { .. })
        )
    {
        return Err(fail(
            "--json does not apply: completions and man print a shell script or a man page",
        ));
    }
    let Some(command) = cli.command.take() else {
        return open_ui(&cli, &store_at(&cli)?, clock, &runtime);
    };
    match command {
        Command::Init(args) => {
            if cli.remote.is_some() {
                return Err(fail(
                    "init makes a local store; it does not work with --remote",
                ));
            }
            let setup = match &args.source.setup {
                Some(file) => Setup::load(file)?,
                None => Setup::parse("assets/demo.toml", DEMO_SETUP)?,
            };
            let at = store_at(&cli)?;
            at.init(&setup, args.tickets, clock)?;
            let place = if matches!(at, StoreAt::Postgres(_)) {
                "database"
            } else {
                "data"
            };
            Out::answer(
                cli.json,
                &format!(
                    "created the desk \"{}\" in {}",
                    setup.desk_name,
                    at.describe()
                ),
                serde_json::json!({ "created": { "desk": setup.desk_name, place: at.describe() } }),
            )
        }
        Command::Demo { tickets } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "demo makes and opens a local demo store; it does not work with --remote",
                ));
            }
            let at = match (&cli.database_url, &cli.data) {
                (None, None) => StoreAt::data_dir(&data_dir(&cli)?.join("demo")),
                _ => store_at(&cli)?,
            };
            if !at.exists() {
                let setup = Setup::parse("assets/demo.toml", DEMO_SETUP)?;
                at.init(&setup, Some(tickets), clock)?;
                let option = match &at {
                    StoreAt::Sqlite(_) => format!("--data {}", at.describe()),
                    StoreAt::Postgres(_) => "--database-url URL".to_string(),
                };
                eprintln!(
                    "created the demo desk in {}; for CLI commands on it: desk {option} ...",
                    at.describe()
                );
            }
            open_ui(&cli, &at, clock, &runtime)
        }
        Command::Token { command } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "tokens are kept in the server's own store; run this where `desk serve` keeps its --data",
                ));
            }
            let mut engine = store_at(&cli)?.open(clock)?;
            cli::token::run(&mut engine, command, cli.json)
        }
        Command::Store {
            command: cli::StoreCommand::Copy { to },
        } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "store copy reads a local store (--data DIR or --database-url); it does not work with --remote",
                ));
            }
            let from = store_at(&cli)?;
            let engine = from.open(clock)?;
            let copied = desk_store_pg::copy::copy_into(engine.store(), &to)?;
            let into = StoreAt::Postgres(to).describe();
            let rows: u64 = copied.tables.iter().map(|(_, n)| n).sum();
            Out::answer(
                cli.json,
                &format!(
                    "copied the desk from {} into {into}: {} tickets, {} history entries, {} tokens, {} outbox messages ({rows} rows in {} tables)",
                    from.describe(),
                    copied.rows("tickets"),
                    copied.rows("activity"),
                    copied.rows("tokens"),
                    copied.rows("outbox"),
                    copied.tables.len()
                ),
                serde_json::json!({
                    "copied": copied.tables.iter().map(|(t, n)| (t.clone(), (*n).into())).collect::<serde_json::Map<_, _>>(),
                    "from": from.describe(),
                    "to": into,
                }),
            )
        }
        Command::Contact { command } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "portal passwords are kept in the server's own store; run this where `desk serve` keeps its --data or --database-url",
                ));
            }
            let mut engine = store_at(&cli)?.open(clock)?;
            cli::contact::run(&mut engine, command, cli.json)
        }
        Command::Deliver { to_dir } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "deliver works on a local store; the server delivers its own outbox",
                ));
            }
            let mut engine = store_at(&cli)?.open(clock)?;
            let mut sender = mail::PickupDir::new(&to_dir)?;
            let sent = engine.deliver(&mut sender)?;
            Out::answer(
                cli.json,
                &format!("delivered {sent} message(s) to {}", to_dir.display()),
                serde_json::json!({ "delivered": sent, "to": to_dir.display().to_string() }),
            )
        }
        Command::Completions { shell } => cli::shell::completions(shell),
        Command::Man { dir } => cli::shell::man(dir.as_deref()),
        Command::Serve {
            listen,
            public_url,
            limits,
        } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "serve works on a local store (--data DIR); it does not work with --remote",
                ));
            }
            let at = store_at(&cli)?;
            if let Some(url) = public_url {
                at.open(clock)?.set_public_url(&url)?;
            }
            runtime
                .block_on(server::serve(&listen, &at, clock, limits.into()))
                .map_err(|e| BackendError::new(ErrorKind::from(e.code()), e.message()))
        }
        command => {
            let backend = pick_backend(&cli, clock)?;
            runtime.block_on(async {
                let me = backend.whoami().await?;
                let out = Out {
                    json: cli.json,
                    tz: me.time_zone.parse().unwrap_or(chrono_tz::UTC),
                };
                cli::run(backend.as_ref(), command, &out).await
            })
        }
    }
}

/// `--remote URL` (with `--token`) talks to `desk serve`; otherwise the local store.
fn pick_backend(cli: &Cli, clock: Clock) -> Result<Box<dyn Backend>, BackendError> {
    if let Some(url) = &cli.remote {
        if cli.as_login.is_some() {
            return Err(fail(
                "--as works on local stores only; with --remote the token says who acts",
            ));
        }
        let token = cli.token.as_deref().ok_or_else(|| {
            fail("--remote needs --token T (or DESK_TOKEN); make one on the server with `desk token create LOGIN`")
        })?;
        return Ok(Box::new(RemoteBackend::new(url, token)?));
    }
    let engine = store_at(cli)?.open(clock)?;
    Ok(Box::new(LocalBackend::new(
        engine,
        cli.as_login.as_deref(),
    )?))
}

/// The interactive entry point: the TUI over a local backend.
fn open_ui(
    cli: &Cli,
    at: &StoreAt,
    clock: Clock,
    runtime: &tokio::runtime::Runtime,
) -> Result<(), BackendError> {
    let backend: Box<dyn Backend> = if cli.remote.is_some() {
        pick_backend(cli, clock)?
    } else {
        let engine = at.open(clock)?;
        Box::new(LocalBackend::new(engine, cli.as_login.as_deref())?)
    };
    // A local store keeps the TUI's drafts beside it; a remote desk's, and a desk in
    // PostgreSQL, go in the user's own data folder, under the server's address or the
    // database's place.
    let own_folder = || data_dir(cli).unwrap_or_else(|_| PathBuf::from("."));
    let keep = match (&cli.remote, at) {
        (Some(url), _) => tui::Keep {
            data: own_folder(),
            desk: url.clone(),
        },
        (None, StoreAt::Sqlite(path)) => tui::Keep {
            data: path
                .parent()
                .map_or_else(|| PathBuf::from("."), |p| p.to_path_buf()),
            desk: "local".into(),
        },
        (None, StoreAt::Postgres(_)) => tui::Keep {
            data: own_folder(),
            desk: at.describe(),
        },
    };
    runtime.block_on(tui::run(std::sync::Arc::from(backend), clock, keep))
}
