//! `desk store copy` (docs/postgres.md, "Copying a desk") writes each ticket with its
//! search document, made from the source's text and notes: the documents must be exactly
//! those the bulk load's pass over the written tickets makes, so that a copied desk finds
//! what the original found.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use desk_engine::store::sql::Store;
use desk_engine::{Clock, Engine, Setup};
use desk_store_pg::testing::{TestDb, rewrite_documents};

fn documents(db: &dyn Store) -> Vec<(i64, Option<String>)> {
    db.all(
        "SELECT id, CAST(search AS TEXT) FROM tickets ORDER BY id",
        &[],
        |r| Ok((r.int(0)?, r.opt_text(1)?)),
    )
    .unwrap()
}

#[test]
fn a_copied_desk_has_the_search_documents_a_bulk_load_writes() {
    let Some(test) = TestDb::new("copy documents") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = desk_engine::store::store_path(dir.path());
    let setup = Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    // Demo tickets carry internal, published and portal notes.
    Engine::init_with(&path, &setup, Clock::System, |e| {
        e.generate_demo_tickets(400, 7).map(|_| ())
    })
    .unwrap();
    let source = Engine::open(&path, Clock::System).unwrap();
    let notes = source
        .store()
        .int(
            "SELECT count(DISTINCT kind) FROM activity WHERE kind IN ('internal', 'published', 'portal')",
            &[],
        )
        .unwrap();
    assert_eq!(notes, 3, "the source holds notes of every kind");

    let copied = desk_store_pg::copy::copy_into(source.store(), &test.url).unwrap();
    assert!(copied.rows("tickets") >= 400, "{copied:?}");
    let db = desk_store_pg::open(&test.url).unwrap();
    let written = documents(&db);
    assert_eq!(written.len() as u64, copied.rows("tickets"));
    assert!(
        written
            .iter()
            .all(|(_, d)| d.as_deref().is_some_and(|d| !d.is_empty())),
        "every ticket has a document"
    );

    db.begin(true).unwrap();
    rewrite_documents(&db).unwrap();
    let rewritten = documents(&db);
    db.rollback().unwrap();
    let differ: Vec<_> = written
        .iter()
        .zip(&rewritten)
        .filter(|(a, b)| a != b)
        .take(3)
        .collect();
    assert!(differ.is_empty(), "documents differ: {differ:?}");
}
