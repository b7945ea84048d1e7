//! The store layer (docs/postgres.md, "One engine, two stores"): everything the engine
//! asks of a store, with the statements both databases understand written once
//! (`tickets`, `history`, `desk`, `accounts`, `list`, `search`, `changes`, `setup`,
//! `dir`); the driver interface `sql::Store`; and the SQLite store (`sqlite`, `schema`):
//! one file (WAL). The PostgreSQL store is the crate desk-store-pg.

pub(crate) mod accounts;
pub mod changes;
pub(crate) mod desk;
pub(crate) mod dir;
pub(crate) mod history;
pub(crate) mod list;
pub(crate) mod schema;
pub mod search;
pub(crate) mod setup;
pub mod sql;
pub(crate) mod sqlite;
pub(crate) mod tickets;
pub(crate) mod titles;
pub mod words;

pub(crate) use dir::Dir;

use std::path::{Path, PathBuf};

pub use setup::load_setup;
pub use sqlite::{create, open};

pub const SCHEMA_VERSION: i64 = 1 + schema::MIGRATIONS.len() as i64;
pub const STORE_FILE: &str = "desk.sqlite3";

/// The store file inside a data folder.
pub fn store_path(data_dir: &Path) -> PathBuf {
    data_dir.join(STORE_FILE)
}

/// Milliseconds since the epoch: how instants are stored.
pub fn to_ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
