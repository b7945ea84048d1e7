//! The change feed's order on PostgreSQL (docs/postgres.md, "The changes table"): ids
//! are handed out before commit, so a transaction that started first may commit last;
//! the feed never skips its change and never repeats one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use desk_engine::store::sql::{Store, args};
use desk_engine::{Clock, Setup};
use desk_store_pg::testing::TestDb;

fn change(db: &dyn Store, number: &str) {
    db.execute(
        "INSERT INTO changes (kind, number, desk, version, actor, at) VALUES ('updated', ?1, 'provider', 1, 'anna', 0)",
        &args![number],
    )
    .unwrap();
}

#[test]
fn a_transaction_that_commits_late_is_never_skipped_nor_repeated() {
    let Some(test) = TestDb::new("feed order") else {
        return;
    };
    let setup = Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    desk_store_pg::create(&test.url, &setup, Clock::System, |_| Ok(())).unwrap();
    let (early, late, reader) = (
        desk_store_pg::open(&test.url).unwrap(),
        desk_store_pg::open(&test.url).unwrap(),
        desk_store_pg::open(&test.url).unwrap(),
    );
    let (early, late, reader): (&dyn Store, &dyn Store, &dyn Store) = (&early, &late, &reader);
    let start = reader.change_horizon().unwrap();

    early.begin(true).unwrap();
    change(early, "T1");
    late.begin(true).unwrap();
    change(late, "T2");
    late.commit().unwrap();
    // T2 is committed, but T1's transaction (an older id) still runs: the feed waits.
    let (seen, cursor) = reader.changes_since(start, 100).unwrap();
    assert!(seen.is_empty(), "{seen:?}");
    early.commit().unwrap();
    let (seen, cursor) = reader.changes_since(cursor, 100).unwrap();
    let numbers: Vec<&str> = seen.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["T1", "T2"]);
    let (again, _) = reader.changes_since(cursor, 100).unwrap();
    assert!(again.is_empty(), "repeated: {again:?}");

    // A transaction's changes are never split by the limit.
    early.begin(true).unwrap();
    for n in ["T3", "T4", "T5"] {
        change(early, n);
    }
    early.commit().unwrap();
    let (seen, cursor) = reader.changes_since(cursor, 2).unwrap();
    assert_eq!(seen.len(), 3);
    assert!(reader.changes_since(cursor, 2).unwrap().0.is_empty());
}
