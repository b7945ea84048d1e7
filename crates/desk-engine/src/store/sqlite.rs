//! The SQLite store: one file (WAL) and its connection, statements prepared once and
//! kept, a write transaction taken with `BEGIN IMMEDIATE` (one writer at a time, across
//! processes, waiting for the lock rather than failing); opening, creating and migrating
//! the file; and what SQLite does its own way (FTS5, a step budget for reads).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, params_from_iter};
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use super::changes::{CHANGE_COLS, change_row};
use super::search::{Query, SearchDoc};
use super::setup::load_setup;
use super::sql::{Dialect, Shifted, SqlRow, Store, Value, args};
use super::words::Words;
use super::{SCHEMA_VERSION, STORE_FILE, schema};
use crate::error::{Error, Result};
use crate::model::Change;
use crate::setup::Setup;

/// SQLite calls the progress handler after this many steps of its virtual machine.
pub(crate) const STEPS_PER_TICK: i32 = 1000;
/// The budget when none is set.
pub(crate) const UNLIMITED: i64 = -1;
/// The budget once a budgeted call ran out: the handler has interrupted it.
pub(crate) const SPENT: i64 = -2;

pub struct SqliteDb {
    pub(crate) conn: Connection,
    writing: Cell<bool>,
    budget: Arc<AtomicI64>,
}

impl SqliteDb {
    pub fn new(conn: Connection) -> SqliteDb {
        let budget = Arc::new(AtomicI64::new(UNLIMITED));
        let left = budget.clone();
        conn.progress_handler(
            STEPS_PER_TICK,
            Some(move || match left.load(Ordering::Relaxed) {
                UNLIMITED | SPENT => false,
                // The last tick of the budget: stop.
                ..=1 => {
                    left.store(SPENT, Ordering::Relaxed);
                    true
                }
                n => {
                    left.store(n - 1, Ordering::Relaxed);
                    false
                }
            }),
        );
        SqliteDb {
            conn,
            writing: Cell::new(false),
            budget,
        }
    }
}

/// Statements with their arguments, as a read ran them.
#[cfg(test)]
type Statements = Vec<(String, Vec<Value>)>;

#[cfg(test)]
thread_local! {
    /// The statements (with their arguments) that reads on this thread run while a test
    /// listens: the plan tests ask SQLite about exactly those (`heard`).
    static HEARD: std::cell::RefCell<Option<Statements>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f`, returning the statements its reads ran on this thread.
#[cfg(test)]
pub(crate) fn heard<T>(f: impl FnOnce() -> T) -> Statements {
    HEARD.with(|h| *h.borrow_mut() = Some(Vec::new()));
    f();
    HEARD.with(|h| h.borrow_mut().take().unwrap_or_default())
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

/// Opens an existing store for reading and writing.
pub fn open(path: &Path) -> Result<SqliteDb> {
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
    // The journal of a savepoint (each write of a group commit, docs/architecture.md)
    // and temporary sorts in memory, not in temporary files: a group's savepoints wrote
    // every page they touched to a file first (a sixth of a create's time).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    if found < SCHEMA_VERSION {
        migrate(&mut conn, path)?;
    }
    // Lists build their SQL from the filters given; keep every shape prepared.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(SqliteDb::new(conn))
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
    for step in super::schema::MIGRATIONS
        .iter()
        .skip(usize::try_from(found - 1).unwrap_or(0))
    {
        tx.execute_batch(step)?;
    }
    if found < schema::TITLE_WORDS_SINCE {
        super::titles::fill(&tx, &Words::new())?;
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
        let conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let db = SqliteDb::new(conn);
        let store: &dyn Store = &db;
        store.begin(true)?;
        schema::create(store)?;
        load_setup(store, setup)?;
        db.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)?;
        store.commit()?;
        db.conn.close().map_err(|(_, e)| e)?;
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

impl Store for SqliteDb {
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
        #[cfg(test)]
        HEARD.with(|h| {
            if let Some(v) = h.borrow_mut().as_mut() {
                v.push((sql.to_string(), args.to_vec()));
            }
        });
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
        // Prepared once per connection (execute_batch parses BEGIN every time).
        self.conn
            .prepare_cached(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?
            .execute([])?;
        self.writing.set(write);
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        self.writing.set(false);
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        Ok(())
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

    fn nocase_title(&self) -> &'static str {
        "t.title"
    }

    fn nocase(&self) -> (&'static str, String) {
        (" COLLATE NOCASE", "?".into())
    }

    fn keeps_title_words(&self) -> bool {
        true
    }

    fn indexed_by(&self, index: &'static str) -> String {
        format!(" INDEXED BY {index}")
    }

    fn search_condition(&self, q: &Query, ids: Option<(i64, i64)>) -> (String, Vec<Value>) {
        let mut args = vec![Value::Text(fts5(q))];
        let range = match ids {
            // FTS5 reads only that stretch of each term's list of tickets.
            Some((lo, hi)) => {
                args.extend([Value::Int(lo), Value::Int(hi)]);
                " AND rowid BETWEEN ? AND ?"
            }
            None => "",
        };
        (
            format!("t.id IN (SELECT rowid FROM search WHERE search MATCH ?{range})"),
            args,
        )
    }

    fn expand_prefix(&self, q: &mut Query) -> Result<()> {
        // The terms sort by their bytes: those that begin with the prefix follow it.
        let store: &dyn Store = self;
        let most = MAX_PREFIX_TERMS + 1;
        let found = store.all(
            &format!("SELECT term FROM search_terms WHERE term >= ?1 ORDER BY term LIMIT {most}"),
            &args![&q.prefix],
            |r| r.text(0),
        )?;
        let terms: Vec<String> = found
            .into_iter()
            .take_while(|t| t.starts_with(q.prefix.as_str()))
            .collect();
        // Too many (a short prefix): FTS5's own prefix search (its prefix indexes hold
        // the one- and two-letter ones). None: the prefix finds nothing either way.
        q.prefix_terms = (!terms.is_empty() && terms.len() <= MAX_PREFIX_TERMS).then_some(terms);
        Ok(())
    }

    fn search_matches_upto(&self, q: &Query, most: u64) -> Result<Option<u64>> {
        let store: &dyn Store = self;
        let n = store.int(
            &format!(
                "SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ?1 LIMIT {most})"
            ),
            &args![fts5(q)],
        )?;
        Ok(Some(u64::try_from(n).unwrap_or(0)))
    }

    fn search_ids(&self, q: &Query, most: usize) -> Result<Option<Vec<i64>>> {
        // Reads each term's list of tickets and nothing of the tickets themselves.
        let store: &dyn Store = self;
        let limit = i64::try_from(most.saturating_add(1)).unwrap_or(i64::MAX);
        let mut ids = store.all(
            &format!("SELECT rowid FROM search WHERE search MATCH ?1 LIMIT {limit}"),
            &args![fts5(q)],
            |r| r.int(0),
        )?;
        if ids.len() > most {
            return Ok(None);
        }
        ids.sort_unstable();
        Ok(Some(ids))
    }

    fn write_search_document(&self, id: i64, doc: &SearchDoc, words: &Words) -> Result<()> {
        self.execute("DELETE FROM search WHERE rowid = ?1", &args![id])?;
        self.execute(
            "INSERT INTO search (rowid, title, description, notes, internal) VALUES (?1, ?2, ?3, ?4, ?5)",
            &args![
                id,
                &doc.title,
                &doc.description,
                doc.notes.join("\n"),
                doc.internal.join("\n")
            ],
        )?;
        let (public, internal) = doc.terms(words)?;
        for t in public.union(&internal) {
            self.execute(
                "INSERT OR IGNORE INTO search_terms (term) VALUES (?1)",
                &args![t],
            )?;
        }
        super::titles::write(self, words, id, &doc.title)
    }

    fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    fn change_horizon(&self) -> Result<i64> {
        let store: &dyn Store = self;
        store.int("SELECT coalesce(max(id), 0) FROM changes", &[])
    }

    fn changes_since(&self, after: i64, limit: i64) -> Result<(Vec<Change>, i64)> {
        // One writer at a time: ids are given, and committed, in order.
        let store: &dyn Store = self;
        let sql =
            format!("SELECT id, {CHANGE_COLS} FROM changes WHERE id > ?1 ORDER BY id LIMIT ?2");
        let rows = store.all(&sql, &args![after, limit], |r| {
            Ok((r.int(0)?, change_row(&Shifted(r, 1))?))
        })?;
        let next = rows.last().map_or(after, |(id, _)| *id);
        Ok((rows.into_iter().map(|(_, c)| c).collect(), next))
    }

    fn budget(&self) -> Option<&AtomicI64> {
        Some(&self.budget)
    }

    fn bulk_begin(&self) -> Result<()> {
        self.batch(schema::DROP_INSERT_TRIGGERS)?;
        self.batch(schema::DROP_LIST_INDEXES)
    }

    fn bulk_end(&self, words: &Words) -> Result<()> {
        self.batch(schema::INSERT_TRIGGERS)?;
        self.batch(schema::LIST_INDEXES)?;
        // FTS5 reads the text itself: the same terms as `Words`.
        self.batch(schema::FILL_SEARCH)?;
        super::titles::fill(&self.conn, words)?;
        // Statistics for the planner from a sample of each index (a full ANALYZE read
        // every index of a million tickets whole: seconds, for the same plans).
        self.batch("PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA analysis_limit = 0;")?;
        self.batch(schema::COMPANY_INDEX_STATS)
    }
}

/// A prefix that begins more terms than this is searched as a prefix (FTS5 then gathers
/// every matching term's tickets before the first answer), fewer as those terms (read
/// lazily, in id order, as far as a page needs).
const MAX_PREFIX_TERMS: usize = 32;

/// A search as an FTS5 query: quoted terms, so that nothing typed is read as an operator;
/// the last as the terms it begins, or a prefix; the portal's only in the columns it shows.
fn fts5(q: &Query) -> String {
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let mut parts: Vec<String> = q.whole.iter().map(|t| quote(t)).collect();
    parts.push(match &q.prefix_terms {
        Some(terms) => {
            let any: Vec<String> = terms.iter().map(|t| quote(t)).collect();
            format!("({})", any.join(" OR "))
        }
        None => format!("{}*", quote(&q.prefix)),
    });
    let all = parts.join(" AND ");
    let all = if q.portal {
        format!("{{title description notes}} : ({all})")
    } else {
        all
    };
    if q.not_in_title.is_empty() {
        return all;
    }
    let any: Vec<String> = q.not_in_title.iter().map(|t| quote(t)).collect();
    format!("({all}) NOT {{title}} : ({})", any.join(" OR "))
}
