//! The durable store: one SQLite file (WAL). Opening, creating and the schema; the
//! directory of names that the setup fixed, cached once per connection.

pub(crate) mod dir;
pub(crate) mod schema;
pub mod sql;
pub(crate) mod sqlite;
pub mod words;

pub(crate) use dir::Dir;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::setup::Setup;

pub const SCHEMA_VERSION: i64 = 1 + schema::MIGRATIONS.len() as i64;
pub const STORE_FILE: &str = "desk.sqlite3";

/// The store file inside a data folder.
pub fn store_path(data_dir: &Path) -> PathBuf {
    data_dir.join(STORE_FILE)
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

/// Opens an existing store for reading and writing.
pub fn open(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::NoStore(path.to_path_buf()));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Several processes may write at once (R4): wait for the lock rather than fail.
    conn.busy_timeout(Duration::from_secs(30))?;
    // Before anything writes (switching to WAL does): a store this desk cannot read is
    // refused as it was found.
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| {
            Error::invalid(
                "store",
                format!("{} is not a desk store ({e})", path.display()),
            )
        })?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 1 {
        return Err(Error::NoStore(path.to_path_buf()));
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed change survives a power cut, not only a crash of desk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -16000)?;
    if found < SCHEMA_VERSION {
        migrate(&mut conn, path)?;
    }
    // Lists build their SQL from the filters given; keep every shape prepared.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

/// Brings an older store to `SCHEMA_VERSION`, all steps in one transaction. The version
/// is read again under the write lock: another process may have migrated it meanwhile,
/// to this version (nothing left to do) or past it (a newer desk: refused, and never
/// written back down).
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    for step in schema::MIGRATIONS
        .iter()
        .skip(usize::try_from(found - 1).unwrap_or(0))
    {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Creates a new store from a validated setup. It is built in a temporary file beside
/// `path`, handed to `fill` (which may add to it), and renamed into place only when all
/// of that succeeded, so a failure (or a kill) never leaves a half-made store at `path`.
pub fn create(path: &Path, setup: &Setup, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if path.exists() {
        return Err(Error::StoreExists(path.to_path_buf()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(io(format!("cannot create data folder {}", dir.display())))?;
    let name = path
        .file_name()
        .map_or_else(|| STORE_FILE.into(), |n| n.to_string_lossy());
    remove_abandoned_inits(dir, &name);
    let tmp = dir.join(format!(".{name}.init-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let mut conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let tx = conn.transaction()?;
        schema::create(&tx)?;
        schema::load_setup(&tx, setup)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)?;
        fill(&tmp)
    })();
    match result {
        Ok(()) => {
            if path.exists() {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::StoreExists(path.to_path_buf()));
            }
            std::fs::rename(&tmp, path).map_err(io(format!(
                "cannot move the new store to {}",
                path.display()
            )))
        }
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
            Err(e)
        }
    }
}

/// Removes what an `init` that was killed left beside the store: `.NAME.init-PID` files
/// (and their journals) of processes that no longer run, which for a big demo desk are
/// hundreds of megabytes. Where this system cannot say whether a process runs (no
/// `/proc`), nothing is removed: a live init's file is never touched.
fn remove_abandoned_inits(dir: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let prefix = format!(".{name}.init-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && !proc.join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Milliseconds since the epoch: how instants are stored.
pub fn to_ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
