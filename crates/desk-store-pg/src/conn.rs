//! The PostgreSQL driver of the store layer: one connection, statements prepared once per
//! connection and kept, arguments converted to the types the statement asks for, and a
//! connection that reconnects by itself after the database restarted — within a connect
//! timeout, answering "unavailable" (HTTP 503) while it cannot.

use bytes::BytesMut;
use desk_engine::model::Change;
use desk_engine::store::search::{Query, SearchDoc};
use desk_engine::store::sql::{Dialect, SqlRow, Store, Value, numbered};
use desk_engine::store::words::Words;
use desk_engine::{Error, Result};
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Config, NoTls, Statement};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use crate::dialect;

/// How long a connection attempt may take before the store answers "unavailable".
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct PgDb {
    config: Config,
    /// Where the database is, for messages (never the password).
    pub(crate) place: String,
    client: RefCell<Option<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    /// 0: no transaction; 1: a read transaction; 2: a write transaction.
    tx: Cell<u8>,
}

/// `host:port/dbname` of a configuration, for messages.
pub fn place(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{}",
        config
            .get_dbname()
            .unwrap_or(config.get_user().unwrap_or("postgres"))
    )
}

/// Reads a `postgres://` URL (or a `key=value` string), naming what is wrong with it.
pub fn config(url: &str) -> Result<Config> {
    let mut config: Config = url.parse().map_err(|e| {
        Error::invalid(
            "database-url",
            format!("not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE): {e}"),
        )
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(30));
    // What pg_stat_activity calls desk's connections; several servers on one database
    // may each be named in their URL (`?application_name=desk-a`).
    if config.get_application_name().is_none() {
        config.application_name("desk");
    }
    Ok(config)
}

/// A driver error as the engine's: unreachable or broken connections are `Unavailable`.
pub fn error(place: &str, e: &postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            // 57P01..03: the server is shutting down or restarting; 08*: connection.
            if code == "40P01" || code == "40001" {
                // A deadlock or serialization failure: the transaction may run again.
                Error::Retry(format!("{} ({code})", db.message()))
            } else if code.starts_with("57P") || code.starts_with("08") || code == "53300" {
                Error::Unavailable(format!("{place}: {}", db.message()))
            } else {
                Error::Database(format!("{} ({code})", db.message()))
            }
        }
        None if e.is_closed() || e.to_string().contains("connect") || is_io(e) => {
            Error::Unavailable(format!("{place}: {e}"))
        }
        None => Error::Database(e.to_string()),
    }
}

fn is_io(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

impl PgDb {
    /// Connects to the database of `config` (and fails if it cannot, naming where).
    pub fn connect(config: Config) -> Result<PgDb> {
        let db = PgDb {
            place: place(&config),
            config,
            client: RefCell::new(None),
            statements: RefCell::new(HashMap::new()),
            tx: Cell::new(0),
        };
        db.with(|_| Ok(()))?;
        Ok(db)
    }

    /// Runs `f` on a live client: a closed one is replaced first, unless a transaction
    /// was open on it (that transaction is gone with it: the caller is told).
    fn with<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let mut slot = self
            .client
            .try_borrow_mut()
            .map_err(|_| Error::Database("the connection is in use".into()))?;
        if slot.as_ref().is_none_or(Client::is_closed) {
            if self.tx.get() != 0 {
                self.tx.set(0);
                *slot = None;
                return Err(Error::Unavailable(format!(
                    "{}: the connection was lost during a transaction; nothing of it was kept",
                    self.place
                )));
            }
            self.statements.borrow_mut().clear();
            let client = self
                .config
                .connect(NoTls)
                .map_err(|e| error(&self.place, &e))?;
            *slot = Some(client);
        }
        let client = slot
            .as_mut()
            .ok_or_else(|| Error::Database("no connection".into()))?;
        f(client)
    }

    fn prepared(&self, client: &mut Client, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = client
            .prepare(&numbered(sql))
            .map_err(|e| error(&self.place, &e))?;
        let mut cache = self.statements.borrow_mut();
        // Lists build their SQL from the filters given: keep the cache bounded.
        if cache.len() >= 512 {
            cache.clear();
        }
        cache.insert(sql.to_string(), st.clone());
        Ok(st)
    }

    /// The client itself, for what the store layer cannot say in statements (COPY,
    /// LISTEN).
    pub fn client<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        self.with(f)
    }
}

impl Drop for PgDb {
    /// The client says goodbye to the server by running its own small runtime, which
    /// panics on a thread that already runs one (an engine dropped by `desk serve`): it
    /// is dropped on a thread of its own.
    fn drop(&mut self) {
        if let Some(client) = self.client.get_mut().take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}

/// A statement's argument, converted to the type the statement declared for it.
#[derive(Debug)]
struct Arg<'a>(&'a Value);

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

struct Row<'a>(&'a postgres::Row);

impl Row<'_> {
    fn get_int(&self, i: usize) -> Result<Option<i64>> {
        let col = self
            .0
            .columns()
            .get(i)
            .ok_or_else(|| Error::Database(format!("no column {i}")))?;
        let bad = |e: postgres::Error| Error::Database(format!("column {}: {e}", col.name()));
        Ok(match *col.type_() {
            Type::INT8 => self.0.try_get::<_, Option<i64>>(i).map_err(bad)?,
            Type::INT4 => self
                .0
                .try_get::<_, Option<i32>>(i)
                .map_err(bad)?
                .map(i64::from),
            Type::INT2 => self
                .0
                .try_get::<_, Option<i16>>(i)
                .map_err(bad)?
                .map(i64::from),
            Type::BOOL => self
                .0
                .try_get::<_, Option<bool>>(i)
                .map_err(bad)?
                .map(i64::from),
            _ => self
                .0
                .try_get::<_, Option<String>>(i)
                .map_err(bad)?
                .map(|s| s.parse::<i64>())
                .transpose()
                .map_err(|e| Error::Database(format!("column {}: {e}", col.name())))?,
        })
    }
}

impl SqlRow for Row<'_> {
    fn int(&self, i: usize) -> Result<i64> {
        self.get_int(i)?
            .ok_or_else(|| Error::Database(format!("column {i} is NULL")))
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.get_int(i)
    }
    fn text(&self, i: usize) -> Result<String> {
        self.opt_text(i)?
            .ok_or_else(|| Error::Database(format!("column {i} is NULL")))
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.0
            .try_get::<_, Option<String>>(i)
            .map_err(|e| Error::Database(format!("column {i}: {e}")))
    }
}

impl Store for PgDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64> {
        self.with(|c| {
            let st = self.prepared(c, sql)?;
            let args: Vec<Arg> = args.iter().map(Arg).collect();
            let refs: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            c.execute(&st, &refs).map_err(|e| error(&self.place, &e))
        })
    }

    fn query(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(&dyn SqlRow) -> Result<()>,
    ) -> Result<()> {
        let rows = self.with(|c| {
            let st = self.prepared(c, sql)?;
            let args: Vec<Arg> = args.iter().map(Arg).collect();
            let refs: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            c.query(&st, &refs).map_err(|e| error(&self.place, &e))
        })?;
        for r in &rows {
            each(&Row(r))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        self.with(|c| c.batch_execute(sql).map_err(|e| error(&self.place, &e)))
    }

    fn begin(&self, write: bool) -> Result<()> {
        if self.tx.get() != 0 {
            return Err(Error::Database("a transaction is already open".into()));
        }
        // A read sees one state of the database throughout (a page and its history);
        // a write sees each statement's latest and locks the rows it reads.
        self.batch(if write {
            "BEGIN ISOLATION LEVEL READ COMMITTED"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        })?;
        self.tx.set(if write { 2 } else { 1 });
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        let out = self.batch("COMMIT");
        self.tx.set(0);
        out
    }

    fn rollback(&self) -> Result<()> {
        if self.tx.get() == 0 {
            return Ok(());
        }
        self.tx.set(0);
        // A lost connection took its transaction with it.
        match self.client.try_borrow_mut() {
            Ok(mut slot) => match slot.as_mut() {
                Some(c) if !c.is_closed() => c
                    .batch_execute("ROLLBACK")
                    .map_err(|e| error(&self.place, &e)),
                _ => Ok(()),
            },
            Err(_) => Err(Error::Database("the connection is in use".into())),
        }
    }

    fn in_write(&self) -> bool {
        self.tx.get() == 2
    }

    fn lock_rows(&self) -> &'static str {
        if self.in_write() { " FOR UPDATE" } else { "" }
    }

    fn lock_unsent(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }

    fn nocase_title(&self) -> &'static str {
        "desk_nocase(t.title)"
    }

    fn nocase(&self) -> (&'static str, String) {
        ("", "desk_nocase(?)".into())
    }

    fn search_condition(&self, q: &Query, ids: Option<(i64, i64)>) -> (String, Vec<Value>) {
        dialect::search_condition(q, ids)
    }

    fn gather_sql(&self, cols: &str, row: &str, wh: &str, by: &str, need: usize) -> String {
        dialect::gather_sql(cols, row, wh, by, need)
    }

    fn write_search_document(&self, id: i64, doc: &SearchDoc, words: &Words) -> Result<()> {
        dialect::write_search_document(self, id, doc, words)
    }

    fn data_version(&self) -> Result<i64> {
        // Moves whenever a transaction of the database ends.
        dialect::change_horizon(self)
    }

    fn change_horizon(&self) -> Result<i64> {
        dialect::change_horizon(self)
    }

    fn changes_since(&self, after: i64, limit: i64) -> Result<(Vec<Change>, i64)> {
        dialect::changes_since(self, after, limit)
    }

    fn announce_changes(&self) -> Result<()> {
        // Delivered at commit, to every server's listening connection.
        self.batch("NOTIFY desk_changes")
    }

    fn bulk_begin(&self) -> Result<()> {
        dialect::bulk_begin(self)
    }

    fn bulk_insert(&self, table: &str, cols: &[&str], rows: &[Vec<Value>]) -> Result<()> {
        dialect::bulk_insert(self, table, cols, rows)
    }

    fn bulk_end(&self, words: &Words) -> Result<()> {
        dialect::bulk_end(self, words)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_may_name_the_connections_for_pg_stat_activity() {
        let name = |url: &str| {
            super::config(url)
                .ok()
                .and_then(|c| c.get_application_name().map(str::to_string))
        };
        assert_eq!(name("postgres://u@h/db").as_deref(), Some("desk"));
        assert_eq!(
            name("postgres://u@h/db?application_name=desk-a").as_deref(),
            Some("desk-a")
        );
    }
}
