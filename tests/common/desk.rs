//! Test harness: demo stores, tokens, and a real `desk serve` (the binary under test)
//! on a loopback port. Shared by the contract suite and the server tests through
//! `#[path = "common/desk.rs"] mod desk;`.
#![allow(dead_code)]

#[path = "process.rs"]
mod process;
#[allow(unused_imports)]
pub use process::with_stdin;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Every test runs at this instant, on both sides of the wire.
pub const NOW: &str = "2026-11-29T09:30:00Z";
pub const LOGINS: [&str; 7] = [
    "anna",
    "ben",
    "tom",
    "lisa@contoso.example",
    "kim@contoso.example",
    "pat@tailspin.example",
    "ravi@fabrikam.example",
];

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_desk")
}

pub fn desk() -> Command {
    let mut c = Command::new(bin());
    c.env("DESK_NOW", NOW)
        .env_remove("DESK_DATA")
        .env_remove("DESK_DATABASE_URL")
        .env_remove("DESK_REMOTE")
        .env_remove("DESK_TOKEN")
        .env_remove("DESK_AS");
    c
}

/// A demo store in a temporary folder (deleted on drop), or in a PostgreSQL database of
/// its own (dropped with it).
pub struct Store {
    pub dir: tempfile::TempDir,
    pub db: Option<desk_store_pg::testing::TestDb>,
}

impl Store {
    pub fn demo(tickets: u64) -> Store {
        let store = Store {
            dir: tempfile::tempdir().unwrap(),
            db: None,
        };
        store.init_demo(tickets);
        store
    }

    /// The demo desk in an empty PostgreSQL database; `None` (having said so) when no
    /// server is configured (`DESK_TEST_DATABASE_URL`; under `CI=true` a failure).
    pub fn demo_pg(test: &str, tickets: u64) -> Option<Store> {
        let store = Store {
            dir: tempfile::tempdir().unwrap(),
            db: Some(desk_store_pg::testing::TestDb::new(test)?),
        };
        store.init_demo(tickets);
        Some(store)
    }

    fn init_demo(&self, tickets: u64) {
        let out = desk()
            .args(self.args())
            .args(["init", "--demo", "--tickets", &tickets.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The options that pick this store: `--data DIR` or `--database-url URL`.
    pub fn args(&self) -> Vec<std::ffi::OsString> {
        match &self.db {
            Some(db) => vec!["--database-url".into(), db.url.clone().into()],
            None => vec!["--data".into(), self.dir.path().into()],
        }
    }

    /// The data folder (of a SQLite store).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn token(&self, login: &str) -> String {
        let out = desk()
            .args(self.args())
            .args(["token", "create", login])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "token: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Runs `f` on the store itself, behind desk's back, through the engine's store
    /// interface (the same SQL on both stores), on a thread of its own: the PostgreSQL
    /// client must not run on an async thread.
    pub fn sql<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn desk_engine::store::sql::Store) -> T + Send + 'static,
    ) -> T {
        let at = match &self.db {
            Some(db) => Err(db.url.clone()),
            None => Ok(desk_engine::store::store_path(self.path())),
        };
        std::thread::spawn(move || match at {
            Ok(path) => f(&desk_engine::store::open(&path).unwrap()),
            Err(url) => f(&desk_store_pg::open(&url).unwrap()),
        })
        .join()
        .unwrap()
    }

    pub fn tokens(&self) -> HashMap<String, String> {
        LOGINS
            .iter()
            .map(|l| (l.to_string(), self.token(l)))
            .collect()
    }
}

/// `desk serve` on 127.0.0.1, port chosen by the system; killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        Server::start_with(data, &[])
    }

    /// `desk serve` with more arguments (limits, say).
    pub fn start_with(data: &Path, args: &[&str]) -> Server {
        Server::start_at(data, NOW, args)
    }

    /// `desk serve` with its clock at `now` and more arguments (`--public-url ...`).
    pub fn start_at(data: &Path, now: &str, args: &[&str]) -> Server {
        let mut command = desk();
        command
            .env("DESK_NOW", now)
            .arg("--data")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args);
        Server::spawn(command)
    }

    /// `desk serve` on `store` (a data folder or a database).
    pub fn start_on(store: &Store) -> Server {
        Server::start_on_at(store, NOW, &[])
    }

    /// `desk serve` on `store` with its clock at `now` and more arguments.
    pub fn start_on_at(store: &Store, now: &str, args: &[&str]) -> Server {
        let mut command = desk();
        command
            .env("DESK_NOW", now)
            .args(store.args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args);
        Server::spawn(command)
    }

    /// Starts `command` (a `desk serve`) and waits for the line that names its address.
    pub fn spawn(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The server prints its address once it is bound: no polling, no sleeping. If it
        // fails to start, the pipe closes and this read ends with nothing.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("desk serve: listening on ")
            .unwrap_or_else(|| panic!("desk serve did not start: {line:?}"))
            .to_string();
        Server { child, url }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit (after a signal sent by the test).
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where CLI commands go: a local store (`--data --as`) or a server (`--remote --token`).
pub enum Target {
    Local(PathBuf),
    Remote {
        url: String,
        tokens: HashMap<String, String>,
    },
    /// A local store in a PostgreSQL database (`--database-url --as`).
    Database(String),
    /// Several servers on one desk, a command to each in turn.
    Turns {
        urls: Vec<String>,
        tokens: HashMap<String, String>,
        next: std::sync::atomic::AtomicUsize,
    },
}

/// What a command did: its JSON (or text) on success, its `error:` line on failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ok(serde_json::Value),
    Err(String),
}

impl Outcome {
    pub fn json(&self) -> &serde_json::Value {
        match self {
            Outcome::Ok(v) => v,
            Outcome::Err(e) => panic!("expected success, got error: {e}"),
        }
    }

    pub fn err(&self) -> &str {
        match self {
            Outcome::Err(e) => e,
            Outcome::Ok(v) => panic!("expected an error, got {v}"),
        }
    }
}

impl Target {
    pub fn command(&self, login: &str) -> Command {
        let mut c = desk();
        match self {
            Target::Local(dir) => {
                c.arg("--data").arg(dir).args(["--as", login]);
            }
            Target::Remote { url, tokens } => {
                let token = tokens
                    .get(login)
                    .unwrap_or_else(|| panic!("no token for {login}"));
                c.args(["--remote", url, "--token", token]);
            }
            Target::Database(url) => {
                c.args(["--database-url", url, "--as", login]);
            }
            Target::Turns { urls, tokens, next } => {
                let token = tokens
                    .get(login)
                    .unwrap_or_else(|| panic!("no token for {login}"));
                let turn = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                c.args(["--remote", &urls[turn % urls.len()], "--token", token]);
            }
        }
        c
    }

    /// Runs `desk --json ARGS` as `login`.
    pub fn run(&self, login: &str, args: &[&str]) -> Outcome {
        self.run_paged(login, args).0
    }

    /// Like `run`, with the cursor of the next page that a list names on stderr.
    pub fn run_paged(&self, login: &str, args: &[&str]) -> (Outcome, Option<String>) {
        let out: Output = self
            .command(login)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let next = process::cursor(&String::from_utf8_lossy(&out.stderr));
        (self.outcome(out), next)
    }

    fn outcome(&self, out: Output) -> Outcome {
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.success() {
            let v = serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
            Outcome::Ok(v)
        } else {
            let line = stderr
                .lines()
                .find(|l| l.starts_with("error:"))
                .unwrap_or_else(|| panic!("no error line: {stderr}"));
            Outcome::Err(line.to_string())
        }
    }
}
