//! The SQLite driver of the store layer: one connection to the store file, statements
//! prepared once and kept, a write transaction taken with `BEGIN IMMEDIATE` (one writer
//! at a time, across processes, waiting for the lock rather than failing).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params_from_iter};
use std::cell::Cell;

use super::sql::{Db, Dialect, SqlRow, Value};
use crate::error::{Error, Result};

pub struct SqliteDb {
    pub(crate) conn: Connection,
    writing: Cell<bool>,
}

impl SqliteDb {
    pub fn new(conn: Connection) -> SqliteDb {
        SqliteDb {
            conn,
            writing: Cell::new(false),
        }
    }
}

fn arg(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

struct Row<'a, 'b>(&'a rusqlite::Row<'b>);

impl SqlRow for Row<'_, '_> {
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.0.get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.0.get(i)?)
    }
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.0.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.0.get_ref(i)? {
            ValueRef::Null => Ok(None),
            _ => Ok(Some(self.0.get(i)?)),
        }
    }
}

impl Db for SqliteDb {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64> {
        let n = self
            .conn
            .prepare_cached(sql)?
            .execute(params_from_iter(args.iter().map(arg)))?;
        Ok(n as u64)
    }

    fn query(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(&dyn SqlRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(sql)?;
        let mut rows = st.query(params_from_iter(args.iter().map(arg)))?;
        while let Some(r) = rows.next()? {
            each(&Row(r))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn begin(&self, write: bool) -> Result<()> {
        if self.writing.get() || !self.conn.is_autocommit() {
            return Err(Error::Database("a transaction is already open".into()));
        }
        self.conn
            .execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
        self.writing.set(write);
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        self.writing.set(false);
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    fn rollback(&self) -> Result<()> {
        self.writing.set(false);
        if self.conn.is_autocommit() {
            return Ok(());
        }
        Ok(self.conn.execute_batch("ROLLBACK")?)
    }

    fn in_write(&self) -> bool {
        self.writing.get()
    }
}
