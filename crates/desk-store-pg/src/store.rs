//! Opening a desk on PostgreSQL, and creating one in an empty database
//! (docs/postgres.md): the schema and the setup in one transaction, and whatever `fill`
//! adds (a demo desk) taken back with them if it fails.

use desk_engine::store::load_setup;
use desk_engine::store::sql::{Store, args};
use desk_engine::{Clock, Engine, Error, Result, Setup};

use crate::conn::{PgDb, config};
use crate::schema;

/// The tables of a database outside PostgreSQL's own schemas.
const USER_TABLES: &str = "SELECT count(*) FROM pg_catalog.pg_tables
  WHERE schemaname NOT IN ('pg_catalog', 'information_schema')";

/// Whether the database holds a desk (its `meta` table with the schema version).
fn desk_version(db: &PgDb) -> Result<Option<i64>> {
    let store: &dyn Store = db;
    let has_meta = store.int(
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'meta'",
        &[],
    )? > 0;
    if !has_meta {
        return Ok(None);
    }
    let v = store.opt("SELECT value FROM meta WHERE key = 'pg_schema'", &[], |r| {
        r.text(0)
    })?;
    Ok(v.and_then(|v| v.parse().ok()))
}

/// Opens the desk in the database at `url`.
pub fn open(url: &str) -> Result<PgDb> {
    let db = PgDb::connect(config(url)?)?;
    match desk_version(&db)? {
        None => Err(Error::invalid(
            "database-url",
            format!(
                "{} holds no desk; create one with `desk init --database-url URL --setup FILE` (or --demo)",
                db.place
            ),
        )),
        Some(v) if v > schema::VERSION => Err(Error::invalid(
            "database-url",
            format!(
                "the desk in {} was written by a newer desk (schema {v}, this desk knows up to {}); upgrade desk",
                db.place,
                schema::VERSION
            ),
        )),
        Some(v) if v < schema::VERSION => {
            migrate(&db)?;
            Ok(db)
        }
        Some(_) => Ok(db),
    }
}

/// Brings the desk up to this schema: the steps after its version, and the version, in
/// one transaction. The version is read again under a lock on its row, so a second server
/// opening the desk meanwhile waits and then finds nothing left to do.
fn migrate(db: &PgDb) -> Result<()> {
    let store: &dyn Store = db;
    in_transaction(store, || {
        let found = store
            .opt(
                "SELECT value FROM meta WHERE key = 'pg_schema' FOR UPDATE",
                &[],
                |r| r.text(0),
            )?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(schema::VERSION);
        let done = usize::try_from(found - 1).unwrap_or(usize::MAX);
        for step in schema::MIGRATIONS.iter().skip(done) {
            store.batch(step)?;
        }
        if found < schema::VERSION {
            store.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'pg_schema'",
                &args![schema::VERSION.to_string()],
            )?;
        }
        Ok(())
    })
}

/// Runs `f` in one write transaction: committed if it succeeds, rolled back whole if not.
fn in_transaction(store: &dyn Store, f: impl FnOnce() -> Result<()>) -> Result<()> {
    store.begin(true)?;
    match f() {
        Ok(()) => store.commit(),
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}

/// Refuses a database that holds anything: a desk, or tables of something else.
pub(crate) fn check_empty(db: &PgDb) -> Result<()> {
    if desk_version(db)?.is_some() {
        return Err(Error::invalid(
            "database-url",
            format!(
                "{} already holds a desk; desk init and desk store copy need an empty database",
                db.place
            ),
        ));
    }
    let store: &dyn Store = db;
    let tables = store.int(USER_TABLES, &[])?;
    if tables > 0 {
        return Err(Error::invalid(
            "database-url",
            format!(
                "{} is not empty ({tables} tables of something else); desk init and desk store copy need an empty database (CREATE DATABASE ...)",
                db.place
            ),
        ));
    }
    Ok(())
}

/// Creates a desk from `setup` in the empty database at `url`, then lets `fill` work on
/// it (generate demo tickets, copy a desk in). All of it lands, or none: a failure drops
/// what was made, leaving the database empty as it was found.
pub fn create(
    url: &str,
    setup: &Setup,
    clock: Clock,
    fill: impl FnOnce(&mut Engine) -> Result<()>,
) -> Result<()> {
    let db = PgDb::connect(config(url)?)?;
    check_empty(&db)?;
    let store: &dyn Store = &db;
    in_transaction(store, || {
        store.batch(&schema::create_all())?;
        load_setup(store, setup)?;
        store.execute(
            "INSERT INTO meta (key, value) VALUES ('pg_schema', ?1)",
            &args![schema::VERSION.to_string()],
        )?;
        Ok(())
    })?;
    let filled = Engine::with_store(Box::new(db), clock).and_then(|mut engine| fill(&mut engine));
    if let Err(e) = filled {
        // The schema and the setup were committed: take them back.
        if let Ok(db) = PgDb::connect(config(url)?) {
            let store: &dyn Store = &db;
            let _ = store.batch(schema::DROP_ALL);
        }
        return Err(e);
    }
    Ok(())
}
