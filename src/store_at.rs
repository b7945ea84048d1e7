//! Where the desk is (docs/postgres.md): a SQLite file in a data folder (`--data DIR`),
//! or a PostgreSQL database (`--database-url URL`, `DESK_DATABASE_URL`). Every command
//! that works on a local store opens it through here.

use desk_engine::{Clock, Engine, Setup};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreAt {
    /// The store file (`desk.sqlite3` in the data folder).
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl StoreAt {
    /// The store file in data folder `dir`.
    pub fn data_dir(dir: &Path) -> StoreAt {
        StoreAt::Sqlite(desk_engine::store::store_path(dir))
    }

    /// An engine on the store. On PostgreSQL it blocks on the network: call it where a
    /// blocking call may run (never on an async thread).
    pub fn open(&self, clock: Clock) -> desk_engine::Result<Engine> {
        Ok(match self {
            StoreAt::Sqlite(path) => Engine::open(path, clock)?,
            StoreAt::Postgres(url) => {
                Engine::with_store(Box::new(desk_store_pg::open(url)?), clock)?
            }
        })
    }

    /// `open` where it may block: on PostgreSQL on a thread of its own (the sync client
    /// must not run on an async thread), so that async code may call it.
    pub fn open_anywhere(&self, clock: Clock) -> desk_engine::Result<Engine> {
        match self {
            StoreAt::Sqlite(_) => self.open(clock),
            StoreAt::Postgres(_) => std::thread::scope(|s| {
                s.spawn(|| self.open(clock)).join().unwrap_or_else(|_| {
                    Err(desk_engine::Error::Database(
                        "opening the database panicked".into(),
                    ))
                })
            }),
        }
    }

    /// Creates the desk from `setup` (with `tickets` demo tickets), all or nothing; a
    /// PostgreSQL database must be empty.
    pub fn init(
        &self,
        setup: &Setup,
        tickets: Option<u64>,
        clock: Clock,
    ) -> desk_engine::Result<()> {
        let fill = |engine: &mut Engine| match tickets {
            Some(n) if n > 0 => engine.generate_demo_tickets(n, 42).map(|_| ()),
            _ => Ok(()),
        };
        match self {
            StoreAt::Sqlite(path) => Engine::init_with(path, setup, clock, fill)?,
            StoreAt::Postgres(url) => desk_store_pg::create(url, setup, clock, fill)?,
        }
        Ok(())
    }

    /// Whether a desk is there already (SQLite: the file exists).
    pub fn exists(&self) -> bool {
        match self {
            StoreAt::Sqlite(path) => path.exists(),
            StoreAt::Postgres(url) => desk_store_pg::open(url).is_ok(),
        }
    }

    /// Where, for messages: the folder, or `host:port/database` (never a password).
    pub fn describe(&self) -> String {
        match self {
            StoreAt::Sqlite(path) => path
                .parent()
                .unwrap_or(Path::new("."))
                .display()
                .to_string(),
            StoreAt::Postgres(url) => desk_store_pg::conn::config(url)
                .map(|c| desk_store_pg::conn::place(&c))
                .unwrap_or_else(|_| "PostgreSQL".into()),
        }
    }
}

impl From<&Path> for StoreAt {
    /// A store file.
    fn from(path: &Path) -> StoreAt {
        StoreAt::Sqlite(path.to_path_buf())
    }
}

impl From<&PathBuf> for StoreAt {
    fn from(path: &PathBuf) -> StoreAt {
        StoreAt::Sqlite(path.clone())
    }
}

impl From<&StoreAt> for StoreAt {
    fn from(at: &StoreAt) -> StoreAt {
        at.clone()
    }
}
