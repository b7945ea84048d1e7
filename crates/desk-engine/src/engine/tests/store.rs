//! The store's own refusals (a newer schema, no store, not a store; none of them
//! writes) and the migration of older stores.

use super::fixture::*;
use crate::model::{PageRequest, Sort, SortField};
use crate::{Clock, Engine, Error};

#[test]
fn a_store_with_a_newer_schema_is_refused() {
    let d = Desk::base();
    d.sql("PRAGMA user_version = 99");
    match Engine::open(&d.path, Clock::Fixed(at(NOW))) {
        Err(Error::SchemaTooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, 99);
            assert_eq!(supported, crate::store::SCHEMA_VERSION);
        }
        Err(e) => panic!("unexpected error {e:?}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

#[test]
fn refusing_a_newer_store_does_not_touch_its_file() {
    // A store straight from init is in rollback-journal mode, as a newer desk's might be.
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("desk.sqlite3");
    Engine::init(&path, &crate::Setup::parse("test.toml", BASE).unwrap()).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(matches!(
        Engine::open(&path, Clock::Fixed(at(NOW))),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    assert!(std::fs::read(&path).unwrap() == bytes, "the file changed");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["desk.sqlite3"]);
}

#[test]
fn a_missing_store_is_refused_and_not_created() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("desk.sqlite3");
    assert!(matches!(
        Engine::open(&path, Clock::Fixed(at(NOW))),
        Err(Error::NoStore(_))
    ));
    assert!(!path.exists());
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_alone() {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, content) in [
        ("notes.txt", b"not a database at all".to_vec()),
        ("empty.sqlite3", Vec::new()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        assert!(
            Engine::open(&path, Clock::Fixed(at(NOW))).is_err(),
            "{name}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), content, "{name}");
    }
    // An SQLite file that is no desk store.
    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let bytes = std::fs::read(&other).unwrap();
    assert!(matches!(
        Engine::open(&other, Clock::Fixed(at(NOW))),
        Err(Error::NoStore(_))
    ));
    assert!(std::fs::read(&other).unwrap() == bytes);
}

/// `.cargo/config.toml` builds the bundled SQLite without STAT4 (whose samples make cached
/// statements re-prepare on every run), without memory statistics (a global mutex on
/// every allocation) and with a page cache of its own per connection (no global mutex on
/// every page). A build that loses those flags still works but is several times
/// slower under `desk serve`; this catches it.
#[test]
fn the_bundled_sqlite_is_built_for_cached_statements() {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    let used = |opt: &str| -> bool {
        c.query_row("SELECT sqlite_compileoption_used(?1)", [opt], |r| r.get(0))
            .unwrap()
    };
    assert!(!used("ENABLE_STAT4"), "SQLite was built with STAT4");
    assert!(
        used("DEFAULT_MEMSTATUS=0"),
        "SQLite keeps memory statistics"
    );
    assert!(
        !used("ENABLE_MEMORY_MANAGEMENT"),
        "SQLite puts every connection's page cache in one group behind a mutex"
    );
    assert!(used("OMIT_SHARED_CACHE"), "SQLite has a shared cache");
}

/// A store of schema version 2 (before sorted lists and the inbox) opens as the current
/// version: number keys as the engine computes them, `updated_at` at the latest activity
/// (or the creation), an empty inbox, and lists sort.
#[test]
fn a_version_2_store_is_migrated_with_number_keys_and_update_times() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(300, 4).unwrap();
    d.set_now("2026-11-29T06:00:00Z");
    let n = d.ticket("anna", "Noted later").number;
    d.set_now("2026-11-29T07:30:00Z");
    let anna = d.actor("anna");
    d.engine.add_note(&anna, &n, "later", false).unwrap();
    d.sql("UPDATE number_days SET last = 9999");
    let big = d.ticket("anna", "Five digits").number;
    d.downgrade_to_v2();

    d.set_now(NOW);
    let conn = rusqlite::Connection::open(&d.path).unwrap();
    let rows: Vec<(String, i64, i64, i64, Option<i64>)> = conn
        .prepare(
            "SELECT number, number_key, updated_at, created_at, (SELECT max(at) FROM activity a WHERE a.ticket_id = t.id) FROM tickets t",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(rows.len() > 300);
    assert!(
        rows.iter().any(|r| r.0.len() > 14),
        "series instances are among them"
    );
    for (number, key, updated, created, last) in rows {
        assert_eq!(key, crate::domain::number::number_key(&number), "{number}");
        assert_eq!(updated, created.max(last.unwrap_or(created)), "{number}");
    }
    let unseen: i64 = conn
        .query_row("SELECT count(*) FROM unseen", [], |r| r.get(0))
        .unwrap();
    assert_eq!(unseen, 0, "an upgrade starts every inbox empty");
    assert_eq!(d.show(&n).updated_at, at("2026-11-29T07:30:00Z"));
    let first = d
        .engine
        .list_tickets(
            &anna,
            &filter(),
            &PageRequest {
                sort: Some(Sort::desc(SortField::Number)),
                ..PageRequest::default()
            },
        )
        .unwrap();
    assert_eq!(first.items[0].number, big);
}
