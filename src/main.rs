//! desk: parse the command line, pick a backend, run the CLI command, the TUI or the server.

mod api;
mod backend;
mod cli;
mod mail;
mod server;
mod tui;

use clap::Parser;
use desk_engine::{Clock, Engine, Setup};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use backend::{Backend, BackendError, ErrorKind, LocalBackend, RemoteBackend};
use cli::{Cli, Command, Out};

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

fn init_store(
    dir: &Path,
    setup: &Setup,
    tickets: Option<u64>,
    clock: Clock,
) -> Result<(), BackendError> {
    let path = desk_engine::store::store_path(dir);
    Engine::init_with(&path, setup, clock, |engine| match tickets {
        Some(n) if n > 0 => engine.generate_demo_tickets(n, 42).map(|_| ()),
        _ => Ok(()),
    })?;
    Ok(())
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
        let dir = data_dir(&cli)?;
        return open_ui(&cli, &dir, clock, &runtime);
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
            let dir = data_dir(&cli)?;
            init_store(&dir, &setup, args.tickets, clock)?;
            Out::answer(
                cli.json,
                &format!(
                    "created the desk \"{}\" in {}",
                    setup.desk_name,
                    dir.display()
                ),
                serde_json::json!({ "created": { "desk": setup.desk_name, "data": dir.display().to_string() } }),
            )
        }
        Command::Demo { tickets } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "demo makes and opens a local demo store; it does not work with --remote",
                ));
            }
            let dir = match &cli.data {
                Some(d) => d.clone(),
                None => data_dir(&cli)?.join("demo"),
            };
            if !desk_engine::store::store_path(&dir).exists() {
                let setup = Setup::parse("assets/demo.toml", DEMO_SETUP)?;
                init_store(&dir, &setup, Some(tickets), clock)?;
                eprintln!(
                    "created the demo desk in {0}; for CLI commands on it: desk --data {0} ...",
                    dir.display()
                );
            }
            open_ui(&cli, &dir, clock, &runtime)
        }
        Command::Token { command } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "tokens are kept in the server's own store; run this where `desk serve` keeps its --data",
                ));
            }
            let mut engine =
                Engine::open(&desk_engine::store::store_path(&data_dir(&cli)?), clock)?;
            cli::token::run(&mut engine, command, cli.json)
        }
        Command::Contact { command } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "portal passwords are kept in the server's own store; run this where `desk serve` keeps its --data",
                ));
            }
            let mut engine =
                Engine::open(&desk_engine::store::store_path(&data_dir(&cli)?), clock)?;
            cli::contact::run(&mut engine, command, cli.json)
        }
        Command::Deliver { to_dir } => {
            if cli.remote.is_some() {
                return Err(fail(
                    "deliver works on a local store; the server delivers its own outbox",
                ));
            }
            let mut engine =
                Engine::open(&desk_engine::store::store_path(&data_dir(&cli)?), clock)?;
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
            let path = desk_engine::store::store_path(&data_dir(&cli)?);
            if let Some(url) = public_url {
                Engine::open(&path, clock)?.set_public_url(&url)?;
            }
            runtime
                .block_on(server::serve(&listen, &path, clock, limits.into()))
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
    let dir = data_dir(cli)?;
    let engine = Engine::open(&desk_engine::store::store_path(&dir), clock)?;
    Ok(Box::new(LocalBackend::new(
        engine,
        cli.as_login.as_deref(),
    )?))
}

/// The interactive entry point: the TUI over a local backend.
fn open_ui(
    cli: &Cli,
    dir: &Path,
    clock: Clock,
    runtime: &tokio::runtime::Runtime,
) -> Result<(), BackendError> {
    let backend: Box<dyn Backend> = if cli.remote.is_some() {
        pick_backend(cli, clock)?
    } else {
        let engine = Engine::open(&desk_engine::store::store_path(dir), clock)?;
        Box::new(LocalBackend::new(engine, cli.as_login.as_deref())?)
    };
    // A local store keeps the TUI's drafts beside it; a remote desk's go in the user's
    // own data folder, under the server's address.
    let keep = match &cli.remote {
        Some(url) => tui::Keep {
            data: data_dir(cli).unwrap_or_else(|_| dir.to_path_buf()),
            desk: url.clone(),
        },
        None => tui::Keep {
            data: dir.to_path_buf(),
            desk: "local".into(),
        },
    };
    runtime.block_on(tui::run(std::sync::Arc::from(backend), clock, keep))
}
