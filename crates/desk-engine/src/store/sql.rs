//! What a store's driver gives the store layer: statements with arguments, rows read by
//! column, transactions. The statements both databases understand are written once, with
//! numbered placeholders (`?1`, or `?` counted in order); a driver translates them for
//! its database (docs/postgres.md, "One engine, two stores").

use crate::error::{Error, Result};

/// An argument of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    /// Flags are 0/1 integers in both stores.
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// `[a.into(), b.into(), ...]`: the arguments of a statement.
#[macro_export]
#[doc(hidden)]
macro_rules! args {
    ($($v:expr),* $(,)?) => { [$($crate::store::sql::Value::from($v)),*] };
}
pub use args;

/// One row of an answer, read by column (from 0).
pub trait SqlRow {
    fn int(&self, i: usize) -> Result<i64>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.int(i)? != 0)
    }
}

/// Which database a driver speaks, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to a store's database. Methods take `&self`: a driver keeps what it must
/// change (its statement cache, its client) inside, so that readers and writers of the
/// engine can hold it as they held a SQLite connection.
pub trait Store: Send {
    fn dialect(&self) -> Dialect;
    /// Runs one statement; returns how many rows it changed.
    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64>;
    /// Runs one statement and hands each row of its answer to `each`, in order.
    fn query(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(&dyn SqlRow) -> Result<()>,
    ) -> Result<()>;
    /// Runs several statements without arguments (schema, bulk work).
    fn batch(&self, sql: &str) -> Result<()>;
    /// Starts a transaction; `write`: one that changes the store (SQLite takes the write
    /// lock at once; PostgreSQL locks the ticket rows it reads).
    fn begin(&self, write: bool) -> Result<()>;
    fn commit(&self) -> Result<()>;
    fn rollback(&self) -> Result<()>;
    /// Whether a write transaction is open (row reads then lock on PostgreSQL).
    fn in_write(&self) -> bool;

    // What each store does its own way (docs/postgres.md, "One engine, two stores").

    /// Appended to a read of ticket rows: in a write transaction on PostgreSQL they are
    /// locked (`FOR UPDATE`), so that writers of one ticket take turns; SQLite has one
    /// writer at a time already.
    fn lock_rows(&self) -> &'static str {
        ""
    }
    /// Appended to the read of the unsent outbox: rows another delivery holds are skipped.
    fn lock_unsent(&self) -> &'static str {
        ""
    }
    /// The title ordered as SQLite's NOCASE orders it, for sorting by title.
    fn nocase_title(&self) -> &'static str;
    /// How a title value compares in that order: (collation suffix, value expression).
    fn nocase(&self) -> (&'static str, String);
    /// What names `index` for the tickets `t` of a count or a page, where the store must
    /// be told (SQLite's planner guesses those costs poorly from sampled statistics);
    /// nothing where it chooses well.
    fn indexed_by(&self, index: &'static str) -> String {
        let _ = index;
        String::new()
    }
    /// The condition on tickets `t` of a search, with its arguments; `ids`: only tickets
    /// with an id in that range are asked about (a store may read just that stretch of
    /// its index: a search page's window, `store/list/walk.rs`).
    fn search_condition(
        &self,
        q: &crate::store::search::Query,
        ids: Option<(i64, i64)>,
    ) -> (String, Vec<Value>);
    /// Fills in `q.prefix_terms` where the store keeps the terms that exist: a search for
    /// those is the search for the prefix, and reads its index lazily.
    fn expand_prefix(&self, _q: &mut crate::store::search::Query) -> Result<()> {
        Ok(())
    }
    /// Whether a search page walks its sort order in windows checked against the search
    /// index by id range (docs/lists.md, "Searching"); otherwise the store's planner
    /// chooses how to meet the search and the order.
    fn search_in_windows(&self) -> bool {
        true
    }
    /// How many tickets of any desk `q` finds, counting no further than `most`; `None`
    /// where the store cannot tell cheaply (then the walk itself finds out).
    fn search_matches_upto(
        &self,
        _q: &crate::store::search::Query,
        _most: u64,
    ) -> Result<Option<u64>> {
        Ok(None)
    }
    /// The ids of every ticket of any desk `q` finds, in ascending order, if they are
    /// no more than `most`; `None` when they are more, or where the store cannot list
    /// them cheaply. A search page whose order is unrelated to ids (titles) checks its
    /// windows against them (`store/list/walk.rs`).
    fn search_ids(
        &self,
        _q: &crate::store::search::Query,
        _most: usize,
    ) -> Result<Option<Vec<i64>>> {
        Ok(None)
    }
    /// Whether the store keeps each ticket's title words in title order (the table
    /// `title_words`, `store/titles.rs`): then a title-sorted search reads the tickets
    /// whose titles hold a word from there (`store/list/titles.rs`).
    fn keeps_title_words(&self) -> bool {
        false
    }
    /// The statement of a page that gathers every match of its search (`wh`, which
    /// holds it) before ordering them: `cols` of `tickets t`, ordered `by`, `need` rows;
    /// `row`: every column of `tickets` that `cols` and `by` read.
    fn gather_sql(&self, cols: &str, row: &str, wh: &str, by: &str, need: usize) -> String {
        let _ = row;
        format!("SELECT {cols} FROM tickets t WHERE {wh} ORDER BY {by} LIMIT {need}")
    }
    /// Writes a ticket's search document (a new one, or anew).
    fn write_search_document(
        &self,
        id: i64,
        doc: &crate::store::search::SearchDoc,
        words: &crate::store::words::Words,
    ) -> Result<()>;
    /// A number that moves when another connection commits a change to the store
    /// (SQLite's `data_version`).
    fn data_version(&self) -> Result<i64>;
    /// Where a change feed that starts now begins (`changes_since`).
    fn change_horizon(&self) -> Result<i64>;
    /// Up to `limit` changes committed after cursor `after`, in order, and the cursor to
    /// ask from next. A change whose transaction commits later than one after it is
    /// never skipped.
    fn changes_since(&self, after: i64, limit: i64) -> Result<(Vec<crate::model::Change>, i64)>;
    /// Called in a transaction that wrote changes: wakes other servers' feeds at commit.
    fn announce_changes(&self) -> Result<()> {
        Ok(())
    }
    /// Before a bulk load (a demo desk, `desk store copy`): drops what per-row triggers
    /// and the list indexes would maintain, to be built once at the end.
    fn bulk_begin(&self) -> Result<()>;
    /// Writes rows of one table (`cols` in order) in one go.
    fn bulk_insert(&self, table: &str, cols: &[&str], rows: &[Vec<Value>]) -> Result<()> {
        let sql = crate::store::tickets::insert_sql(table, cols, true);
        for r in rows {
            self.execute(&sql, r)?;
        }
        Ok(())
    }
    /// After a bulk load: the list indexes and triggers back, every ticket's search
    /// document, ids that go on after the loaded ones, the planner's statistics.
    fn bulk_end(&self, words: &crate::store::words::Words) -> Result<()>;
    /// The step budget of reads (`Engine::within_budget`), where the store has one.
    fn budget(&self) -> Option<&std::sync::atomic::AtomicI64> {
        None
    }
}

impl dyn Store + '_ {
    /// Every row of the answer, each read by `f`.
    pub fn all<T>(
        &self,
        sql: &str,
        args: &[Value],
        mut f: impl FnMut(&dyn SqlRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query(sql, args, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of the answer, if any.
    pub fn opt<T>(
        &self,
        sql: &str,
        args: &[Value],
        mut f: impl FnMut(&dyn SqlRow) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut out = None;
        self.query(sql, args, &mut |r| {
            if out.is_none() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of an answer that must have one.
    pub fn one<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl FnMut(&dyn SqlRow) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, args, f)?
            .ok_or_else(|| Error::Database(format!("no row for: {}", first_line(sql))))
    }

    /// The integer in the first column of the first row.
    pub fn int(&self, sql: &str, args: &[Value]) -> Result<i64> {
        self.one(sql, args, |r| r.int(0))
    }
}

/// A row read from column `.1` on: what follows the columns a statement put first.
pub struct Shifted<'a>(pub &'a dyn SqlRow, pub usize);

impl SqlRow for Shifted<'_> {
    fn int(&self, i: usize) -> Result<i64> {
        self.0.int(i + self.1)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.0.opt_int(i + self.1)
    }
    fn text(&self, i: usize) -> Result<String> {
        self.0.text(i + self.1)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.0.opt_text(i + self.1)
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or_default()
}

/// `?, ?, ?` for an IN list of `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `sql` with SQLite's placeholders (`?N`, or `?` counted in order) written as
/// PostgreSQL's (`$N`). Placeholders never stand inside the store's string literals.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1u32;
    let mut chars = sql.chars().peekable();
    let mut in_literal = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_literal = !in_literal;
            out.push(c);
            continue;
        }
        if c != '?' || in_literal {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        out.push('$');
        if digits.is_empty() {
            out.push_str(&next.to_string());
            next += 1;
        } else {
            out.push_str(&digits);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ?1 AND c = ?2 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1"
        );
        assert_eq!(
            numbered("x IN (?, ?, ?) AND y = '?'"),
            "x IN ($1, $2, $3) AND y = '?'"
        );
        assert_eq!(numbered("?12"), "$12");
    }
}
