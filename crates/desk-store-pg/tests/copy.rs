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
    let mut source = Engine::open(&path, Clock::System).unwrap();
    // A word only in an internal note, and one only in a published note, of one ticket.
    let anna = source.actor("anna").unwrap();
    let noted = source
        .list_tickets(&anna, &Default::default(), &Default::default())
        .unwrap()
        .items[0]
        .number
        .clone();
    source
        .add_note(&anna, &noted, "zebrafinch invoice disputed", false)
        .unwrap();
    source
        .add_note(&anna, &noted, "quokkabird part ordered", true)
        .unwrap();
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

    // Internal notes are never shown in the portal (docs/rules.md, R6): their words carry the
    // staff-only weight (B), which the portal's searches never ask for; published ones
    // the portal's (A).
    let store: &dyn Store = &db;
    let matching = |query: &str| {
        store
            .all(
                "SELECT number FROM tickets WHERE search @@ CAST(CAST(?1 AS TEXT) AS tsquery)",
                &[query.into()],
                |r| r.text(0),
            )
            .unwrap()
    };
    assert_eq!(matching("zebrafinch:B"), std::slice::from_ref(&noted));
    assert!(
        matching("zebrafinch:A").is_empty(),
        "an internal word is public"
    );
    assert_eq!(matching("quokkabird:A"), std::slice::from_ref(&noted));

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
