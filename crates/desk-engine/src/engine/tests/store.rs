//! The store's own refusals: a newer schema, no store, not a store; none of them writes.

use super::fixture::*;
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
