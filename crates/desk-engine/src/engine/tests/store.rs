//! The store's own refusals (a newer schema, no store, not a store; none of them
//! writes), the migration of older stores, and a group commit whose transaction cannot
//! begin (SQLite's lock, held by another connection).

use super::fixture::*;
use crate::model::{PageRequest, PortalFilter, Sort, SortField, TicketFilter};
use crate::store::SCHEMA_VERSION;
use crate::{Clock, Engine, Error};

#[test]
fn a_store_with_a_newer_schema_is_refused() {
    let d = Desk::base();
    d.sql("PRAGMA user_version = 99");
    match Engine::open(&d.backing.path, Clock::Fixed(at(NOW))) {
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
    d.backing.downgrade_to_v2();

    d.set_now(NOW);
    let conn = rusqlite::Connection::open(&d.backing.path).unwrap();
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

/// A store of schema version 1 (tokens without an end) opens as the current version,
/// in one step, and the tokens it had keep working without an end.
#[test]
fn a_version_1_store_is_migrated_and_its_tokens_never_expire() {
    let mut d = Desk::base();
    let old = d.engine.create_token("anna", None).unwrap();
    // Back to version 1 as an older desk left it.
    d.backing.downgrade_to_v2();
    d.sql("ALTER TABLE tokens DROP COLUMN expires_at; PRAGMA user_version = 1;");
    let engine = d.open("2030-01-01T00:00:00Z");
    assert_eq!(engine.authenticate(&old).unwrap().login, "anna");
    assert!(
        d.dump()
            .starts_with(&format!("user_version {SCHEMA_VERSION}\n"))
    );
    // Opening it again changes nothing more.
    let before = d.dump();
    drop(d.open(NOW));
    assert_eq!(before, d.dump());
    // New tokens there can expire.
    d.set_now(NOW);
    let new = d
        .engine
        .create_token("ben", Some(at("2026-11-30T00:00:00Z")))
        .unwrap();
    assert!(matches!(
        d.open("2026-12-01T00:00:00Z").authenticate(&new),
        Err(Error::TokenExpired { .. })
    ));
}

/// A store of schema version 3 gains the portal's accounts and keeps its tokens.
#[test]
fn a_version_3_store_gains_portal_accounts() {
    let mut d = Desk::base();
    let old = d.engine.create_token("anna", None).unwrap();
    d.backing.downgrade_to_v3();
    d.set_now(NOW);
    assert_eq!(d.engine.authenticate(&old).unwrap().login, "anna");
    let id = d.engine.start_session("kim@contoso.example").unwrap().id;
    assert!(matches!(
        d.engine.session(&id).unwrap(),
        crate::model::SessionCheck::Active(_)
    ));
    assert!(
        d.dump()
            .starts_with(&format!("user_version {SCHEMA_VERSION}\n"))
    );
}

/// A store of schema version 4 (as main's binary made it before the PostgreSQL store:
/// the portal's accounts, two full-text indexes) opens as version 5: its tickets and
/// notes are found by the search documents the step writes, the changes table is there,
/// and the portal's passwords, sessions and invites it had keep working.
#[test]
fn a_version_4_store_gets_search_documents_and_keeps_portal_accounts() {
    let mut d = Desk::base();
    let kim = d.actor("kim@contoso.example");
    let n = d
        .submit(&kim.login, "Printer jammed on floor three", "Printer")
        .number;
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &n, "replaced the toner cartridge", true)
        .unwrap();
    d.engine
        .add_note(&anna, &n, "vendor contract expires", false)
        .unwrap();
    let hash = crate::domain::password::PasswordHash::new("a long passphrase").unwrap();
    d.engine.set_password(&kim.login, &hash).unwrap();
    let session = d.engine.start_session(&kim.login).unwrap().id;
    let invite = d
        .engine
        .create_invite("lisa@contoso.example")
        .unwrap()
        .token;
    d.backing.downgrade_to_v4();
    let v4 = rusqlite::Connection::open(&d.backing.path).unwrap();
    let version: i64 = v4
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    drop(v4);

    d.set_now(NOW);
    assert!(
        d.dump()
            .starts_with(&format!("user_version {SCHEMA_VERSION}\n"))
    );
    assert_eq!(SCHEMA_VERSION, 7);
    let found = |who: &crate::model::Actor, text: &str| -> Vec<String> {
        d.engine
            .list_tickets(
                who,
                &TicketFilter {
                    search: Some(text.into()),
                    ..filter()
                },
                &PageRequest::default(),
            )
            .unwrap()
            .items
            .into_iter()
            .map(|t| t.number)
            .collect()
    };
    assert_eq!(found(&anna, "jammed"), vec![n.clone()]);
    assert_eq!(found(&anna, "toner"), vec![n.clone()]);
    assert_eq!(
        found(&anna, "vendor"),
        vec![n.clone()],
        "internal notes too"
    );
    let portal = |text: &str| -> Vec<String> {
        d.portal_numbers_where(
            &kim,
            &PortalFilter {
                search: Some(text.into()),
                ..PortalFilter::default()
            },
        )
    };
    assert_eq!(portal("toner"), vec![n.clone()]);
    assert!(
        portal("vendor").is_empty(),
        "the portal never finds a word of an internal note"
    );
    // The changes table is there (the step made it empty; the note below writes one).
    assert_eq!(
        d.engine
            .store()
            .int("SELECT count(*) FROM changes", &[])
            .unwrap(),
        0
    );
    // The portal's accounts survived the step.
    assert!(
        d.engine
            .credentials(&kim.login)
            .unwrap()
            .check("a long passphrase")
            .is_ok()
    );
    assert!(matches!(
        d.engine.session(&session).unwrap(),
        crate::model::SessionCheck::Active(_)
    ));
    assert_eq!(
        d.engine.invite(&invite).unwrap().login,
        "lisa@contoso.example"
    );
    d.engine.add_note(&anna, &n, "later", true).unwrap();
    assert!(
        d.engine
            .store()
            .int("SELECT count(*) FROM changes", &[])
            .unwrap()
            > 0,
        "changes are written down after the step"
    );
}

/// The migration reads the version again under the lock and never writes it down: a
/// store another (newer) desk moved on meanwhile is refused as it is; one already at
/// this version is left alone.
#[test]
fn a_migration_never_lowers_the_version_another_process_set() {
    let d = Desk::base();
    let mut conn = rusqlite::Connection::open(&d.backing.path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    let before = d.dump();
    assert!(matches!(
        crate::store::sqlite::migrate(&mut conn, &d.backing.path),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    assert_eq!(before, d.dump());
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
        .unwrap();
    let before = d.dump();
    crate::store::sqlite::migrate(&mut conn, &d.backing.path).unwrap();
    assert_eq!(before, d.dump());
}

/// A group whose transaction cannot begin (here: SQLite's write lock held by another
/// connection past a short busy timeout) refuses every write in it, even when the lock
/// is free again by the time a write would begin its own transaction: the group answers
/// that nothing was kept, so nothing may be (docs/architecture.md, "Group commit").
#[test]
fn a_group_that_cannot_begin_refuses_its_writes_and_keeps_nothing() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let before = d.dump();
    d.engine.store().batch("PRAGMA busy_timeout = 50").unwrap();
    let other = rusqlite::Connection::open(&d.backing.path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (out, committed) = d.engine.group(|e| {
        // The lock is free before the first write: on its own it could commit.
        other.execute_batch("ROLLBACK").unwrap();
        let new = crate::model::NewTicket {
            title: "Printer jam".into(),
            company: Some("Contoso".into()),
            ..Default::default()
        };
        [
            e.create_ticket(&anna, new.clone()),
            e.create_ticket(&anna, new),
        ]
    });
    let e = committed.unwrap_err();
    assert!(e.to_string().contains("lock"), "{e}");
    assert!(out.iter().all(Result::is_err), "{out:?}");
    assert_eq!(d.dump(), before, "nothing of the group was kept");
    // The engine goes on writing once it can.
    assert!(
        d.engine
            .create_ticket(
                &anna,
                crate::model::NewTicket {
                    title: "Scanner offline".into(),
                    company: Some("Contoso".into()),
                    ..Default::default()
                }
            )
            .is_ok()
    );
}
