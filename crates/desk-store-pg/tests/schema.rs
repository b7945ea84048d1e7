//! Both stores have one schema (docs/postgres.md, "The schema on PostgreSQL"): the same
//! tables with the same columns, of the same kind and nullability, read from each
//! store's own catalog, so that a column added to one store only fails here; the few
//! differences each store has by design are named below, and each must still be there.
//! And `desk store copy` copies every table of the schema, or says why not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use desk_engine::store::sql::Store;
use desk_engine::{Clock, Setup};
use desk_store_pg::testing::TestDb;
use std::collections::{BTreeMap, BTreeSet};

/// A column as both stores can say it: its kind and whether it may be NULL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    kind: &'static str,
    nullable: bool,
}

type Schema = BTreeMap<String, BTreeMap<String, Column>>;

/// Tables only SQLite has: full-text search by FTS5 (a virtual table, its shadow
/// tables, and the terms that exist, for expanding a prefix). PostgreSQL keeps the
/// search document in `tickets.search` instead.
const ONLY_SQLITE: &[&str] = &[
    "search",
    "search_config",
    "search_data",
    "search_docsize",
    "search_idx",
    "search_terms",
    // The title words of title-sorted searches (docs/lists.md, "Searching by title"):
    // PostgreSQL's title-sorted searches still gather.
    "title_indexed",
    "title_words",
];

/// Columns only PostgreSQL has: the search document, and the transaction id of a
/// change (its feed reads up to the oldest running transaction; SQLite commits one
/// writer at a time and follows ids).
const ONLY_POSTGRES: &[(&str, &str)] = &[("tickets", "search"), ("changes", "xid")];

fn setup() -> Setup {
    Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap()
}

/// A kind of column by SQLite's declared type (its type affinity rules).
fn sqlite_kind(declared: &str) -> &'static str {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") {
        "text"
    } else if t == "BLOB" {
        // FTS5's shadow tables (SQLite's own).
        "blob"
    } else if t.is_empty() {
        // FTS5 columns: text, typed by nothing.
        "text"
    } else {
        panic!("a SQLite column of type {declared}: say what kind it is here")
    }
}

fn postgres_kind(data_type: &str) -> &'static str {
    match data_type {
        "bigint" | "integer" | "smallint" => "integer",
        "text" | "character varying" => "text",
        "tsvector" => "tsvector",
        "xid8" => "xid8",
        other => panic!("a PostgreSQL column of type {other}: say what kind it is here"),
    }
}

fn sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let path = desk_engine::store::store_path(dir.path());
    desk_engine::store::create(&path, &setup(), |_| Ok(())).unwrap();
    let db = desk_engine::store::open(&path).unwrap();
    let db: &dyn Store = &db;
    let tables = db
        .all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            &[],
            |r| r.text(0),
        )
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let cols = db
                .all(
                    "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)",
                    &[t.as_str().into()],
                    |r| {
                        Ok((
                            r.text(0)?,
                            Column {
                                kind: sqlite_kind(&r.text(1)?),
                                // A primary key is never NULL on either store.
                                nullable: r.int(2)? == 0 && r.int(3)? == 0,
                            },
                        ))
                    },
                )
                .unwrap();
            (t, cols.into_iter().collect())
        })
        .collect()
}

fn postgres_schema(db: &TestDb) -> Schema {
    desk_store_pg::create(&db.url, &setup(), Clock::System, |_| Ok(())).unwrap();
    let pg = desk_store_pg::open(&db.url).unwrap();
    let pg: &dyn Store = &pg;
    let mut schema = Schema::new();
    for (table, column, kind, nullable) in pg
        .all(
            "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
             FROM information_schema.columns c JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'",
            &[],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)? == "YES")),
        )
        .unwrap()
    {
        schema.entry(table).or_default().insert(
            column,
            Column {
                kind: postgres_kind(&kind),
                nullable,
            },
        );
    }
    schema
}

#[test]
fn both_stores_have_the_same_tables_and_columns() {
    let Some(db) = TestDb::new("same schema") else {
        return;
    };
    let mut sqlite = sqlite_schema();
    let mut postgres = postgres_schema(&db);
    for t in ONLY_SQLITE {
        assert!(
            sqlite.remove(*t).is_some(),
            "SQLite has no table {t} any more: take it off ONLY_SQLITE"
        );
    }
    for (t, c) in ONLY_POSTGRES {
        let gone = postgres.get_mut(*t).and_then(|cols| cols.remove(*c));
        assert!(
            gone.is_some(),
            "PostgreSQL has no column {t}.{c} any more: take it off ONLY_POSTGRES"
        );
    }
    let names = |s: &Schema| s.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        names(&sqlite),
        names(&postgres),
        "the stores have different tables"
    );
    for (table, cols) in &sqlite {
        assert_eq!(
            cols, &postgres[table],
            "table {table} differs between SQLite (left) and PostgreSQL (right)"
        );
    }
}

#[test]
fn store_copy_copies_every_table_or_says_why_not() {
    let Some(db) = TestDb::new("copy tables") else {
        return;
    };
    let schema = postgres_schema(&db);
    let copied: BTreeSet<&str> = desk_store_pg::copy::TABLES.iter().copied().collect();
    let rebuilt: BTreeSet<&str> = desk_store_pg::copy::NOT_COPIED.iter().copied().collect();
    assert_eq!(
        copied.len(),
        desk_store_pg::copy::TABLES.len(),
        "a table twice"
    );
    assert!(copied.is_disjoint(&rebuilt), "copied and not copied");
    let both: BTreeSet<&str> = copied.union(&rebuilt).copied().collect();
    let tables: BTreeSet<&str> = schema.keys().map(String::as_str).collect();
    assert_eq!(
        both, tables,
        "copy::TABLES (and NOT_COPIED) must name every table of the schema"
    );
    // Parents before children: each row's references are there when it is written.
    let pg = desk_store_pg::open(&db.url).unwrap();
    let pg: &dyn Store = &pg;
    let references = pg
        .all(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
             WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            &[],
            |r| Ok((r.text(0)?, r.text(1)?)),
        )
        .unwrap();
    assert!(!references.is_empty());
    let at = |t: &str| desk_store_pg::copy::TABLES.iter().position(|c| *c == t);
    for (child, parent) in references {
        if let (Some(c), Some(p)) = (at(&child), at(&parent)) {
            assert!(
                p <= c,
                "copy::TABLES copies {child} before {parent}, which it refers to"
            );
        }
    }
}
