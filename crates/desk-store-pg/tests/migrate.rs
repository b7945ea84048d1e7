//! A desk of an older PostgreSQL schema is brought up to this one when it is opened
//! (docs/postgres.md, "Schema versions"), once: the steps of `schema::MIGRATIONS` in one
//! transaction, the version written with them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use desk_engine::store::sql::Store;
use desk_engine::{Clock, Setup};
use desk_store_pg::schema;
use desk_store_pg::testing::TestDb;

fn version(db: &dyn Store) -> String {
    db.one("SELECT value FROM meta WHERE key = 'pg_schema'", &[], |r| {
        r.text(0)
    })
    .unwrap()
}

fn has_index(db: &dyn Store, name: &str) -> bool {
    db.int(
        "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?1",
        &[name.into()],
    )
    .unwrap()
        == 1
}

#[test]
fn a_version_1_desk_gains_the_company_index_when_opened() {
    let Some(test) = TestDb::new("migrate to 2") else {
        return;
    };
    let setup = Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    desk_store_pg::create(&test.url, &setup, Clock::System, |e| {
        e.generate_demo_tickets(300, 1).map(|_| ())
    })
    .unwrap();
    assert_eq!(schema::VERSION, 3);
    {
        let db = desk_store_pg::open(&test.url).unwrap();
        let db: &dyn Store = &db;
        assert_eq!(version(db), "3", "a new desk is at this version");
        assert!(has_index(db, "tickets_company_open_by_created"));
    }
    // Back to version 1, as the desk before the step left it.
    test.execute(
        "DROP INDEX tickets_company_open_by_created; UPDATE meta SET value = '1' WHERE key = 'pg_schema';",
    );
    let db = desk_store_pg::open(&test.url).unwrap();
    let store: &dyn Store = &db;
    assert_eq!(version(store), "3");
    assert!(has_index(store, "tickets_company_open_by_created"));
    let open_fabrikam = "SELECT count(*) FROM tickets t WHERE t.side = 0 AND t.company_id = (SELECT id FROM companies WHERE name = 'Fabrikam') AND t.closed = 0";
    let n = store.int(open_fabrikam, &[]).unwrap();
    // Opening it again finds it done and changes nothing.
    drop(db);
    let again = desk_store_pg::open(&test.url).unwrap();
    let again: &dyn Store = &again;
    assert_eq!(version(again), "3");
    assert_eq!(again.int(open_fabrikam, &[]).unwrap(), n);
}

/// NOCASE as the desks of version 2 hold it.
const OLD_NOCASE: &str =
    "translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\"";

#[test]
fn a_version_2_desk_gains_the_cheaper_nocase_with_the_same_answers() {
    let Some(test) = TestDb::new("migrate to 3") else {
        return;
    };
    let setup = Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    desk_store_pg::create(&test.url, &setup, Clock::System, |e| {
        e.generate_demo_tickets(300, 1).map(|_| ())
    })
    .unwrap();
    // The desk as version 2 left it: the old function, and the title indexes built by it.
    test.execute(&format!(
        "CREATE OR REPLACE FUNCTION desk_nocase(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN {OLD_NOCASE};
         REINDEX INDEX tickets_by_title; REINDEX INDEX tickets_open_by_title;
         UPDATE meta SET value = '2' WHERE key = 'pg_schema';"
    ));
    let db = desk_store_pg::open(&test.url).unwrap();
    let store: &dyn Store = &db;
    assert_eq!(version(store), "3");
    let body = store
        .one(
            "SELECT pg_get_functiondef('desk_nocase'::regproc)",
            &[],
            |r| r.text(0),
        )
        .unwrap();
    assert!(body.contains("lower("), "{body}");
    // Titles in every case, and letters beyond ASCII that neither folds.
    let old = OLD_NOCASE.replace("(t,", "(s,");
    let samples = "(VALUES ('Printer'), ('printer'), ('PRINTER jam'), ('Éclair'), ('éclair'), ('ÄRGER'), ('İstanbul'), ('Zebra'), ('[x]'), ('_y')) v(s)";
    let folded = store
        .all(
            &format!("SELECT desk_nocase(s), {old} FROM {samples} ORDER BY desk_nocase(s), s"),
            &[],
            |r| Ok((r.text(0)?, r.text(1)?)),
        )
        .unwrap();
    let (new, was): (Vec<String>, Vec<String>) = folded.into_iter().unzip();
    assert_eq!(new, was, "the same answers as before");
    assert_eq!(
        new,
        [
            "[x]",
            "_y",
            "printer",
            "printer",
            "printer jam",
            "zebra",
            "Ärger",
            "Éclair",
            "éclair",
            "İstanbul"
        ]
        .map(String::from),
        "ASCII letters folded, every other character as it is, in byte order"
    );
    let differ = store
        .int(
            &format!(
                "SELECT count(*) FROM tickets t WHERE desk_nocase(t.title) <> {}",
                OLD_NOCASE.replace("(t,", "(t.title,")
            ),
            &[],
        )
        .unwrap();
    assert_eq!(differ, 0, "every title folds as before");
    // The index built by the old function orders as the new one sorts.
    let by_index = store
        .all(
            "SELECT id FROM tickets t WHERE t.side = 0 ORDER BY desk_nocase(t.title), t.id LIMIT 100",
            &[],
            |r| r.int(0),
        )
        .unwrap();
    let sorted = store
        .all(
            "SELECT id FROM tickets t WHERE t.side = 0 ORDER BY lower(t.title || '' COLLATE \"C\") COLLATE \"C\", t.id LIMIT 100",
            &[],
            |r| r.int(0),
        )
        .unwrap();
    assert_eq!(by_index.len(), 100);
    assert_eq!(by_index, sorted);
}

#[test]
fn a_desk_of_a_newer_schema_is_refused_as_it_is() {
    let Some(test) = TestDb::new("newer schema") else {
        return;
    };
    let setup = Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    desk_store_pg::create(&test.url, &setup, Clock::System, |_| Ok(())).unwrap();
    test.execute("UPDATE meta SET value = '99' WHERE key = 'pg_schema';");
    let err = desk_store_pg::open(&test.url).err().unwrap().to_string();
    assert!(err.contains("newer desk (schema 99"), "{err}");
}
