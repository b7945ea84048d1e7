//! The store under the engine's tests here: a SQLite file in a temp folder. desk-store-pg
//! runs the same tests (`super::fixture` and the rule modules) on a backing of its own, a
//! PostgreSQL database per test: one contract suite for both stores.

use rusqlite::{Connection, OpenFlags, types::Value};
use std::path::PathBuf;
use tempfile::TempDir;

use crate::{Clock, Engine, Setup};

pub struct Backing {
    _dir: TempDir,
    pub path: PathBuf,
}

impl Backing {
    /// A new store made from `setup`.
    pub fn new(setup: &Setup) -> Backing {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("desk.sqlite3");
        Engine::init(&path, setup).unwrap();
        Backing { _dir: dir, path }
    }

    /// An engine on the store (each one its own connection, as another process has).
    pub fn open(&self, clock: Clock) -> crate::Result<Engine> {
        Engine::open(&self.path, clock)
    }

    /// Every row of every table, as text: equal dumps mean an unchanged store.
    pub fn dump(&self) -> String {
        let conn =
            Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        let mut out = format!("user_version {version}\n");
        for t in std::iter::once("sqlite_master".to_string()).chain(tables) {
            let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = st.column_count();
            let rows: Vec<String> = st
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get::<_, Value>(i).map(|v| format!("{v:?}")))
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .map(|v| v.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            super::fixture::dump_table(&mut out, &t, rows);
        }
        out
    }

    /// The store as version 6 left it: no title words.
    pub fn downgrade_to_v6(&self) {
        Connection::open(&self.path)
            .unwrap()
            .execute_batch(
                "DROP TRIGGER title_words_ad; DROP TABLE title_words; DROP TABLE title_indexed;
PRAGMA user_version = 6;",
            )
            .unwrap();
    }

    /// The store as version 5 left it: no index of a company's open tickets.
    pub fn downgrade_to_v5(&self) {
        self.downgrade_to_v6();
        Connection::open(&self.path)
            .unwrap()
            .execute_batch("DROP INDEX tickets_company_open_by_created; PRAGMA user_version = 5;")
            .unwrap();
    }

    /// The store as version 4 (main's binary before the PostgreSQL store) left it: two
    /// full-text indexes (tickets, notes) kept by triggers, no search documents, no
    /// changes table.
    pub fn downgrade_to_v4(&self) {
        self.downgrade_to_v5();
        let conn = Connection::open(&self.path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER search_ad; DROP TABLE search; DROP TABLE search_terms; DROP TABLE changes;
CREATE VIRTUAL TABLE tickets_fts USING fts5(title, description, content='tickets', content_rowid='id');
CREATE VIRTUAL TABLE notes_fts USING fts5(text, content='activity', content_rowid='id');
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF title, description ON tickets BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO tickets_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TRIGGER notes_fts_ad AFTER DELETE ON activity WHEN old.kind <> 'event' BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TRIGGER notes_fts_ai AFTER INSERT ON activity WHEN new.kind <> 'event' BEGIN
  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text); END;
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild'); INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
PRAGMA user_version = 4;",
        )
        .unwrap();
    }

    /// The store as version 3 left it: version 4 without the portal's accounts.
    pub fn downgrade_to_v3(&self) {
        self.downgrade_to_v4();
        Connection::open(&self.path)
            .unwrap()
            .execute_batch(
                "DROP TABLE sessions; DROP TABLE invites; DROP TABLE passwords; PRAGMA user_version = 3;",
            )
            .unwrap();
    }

    /// Takes the store back to schema version 2, as a desk before sorted lists and the
    /// inbox left it (its tickets and history stay).
    pub fn downgrade_to_v2(&self) {
        self.downgrade_to_v3();
        let conn = Connection::open(&self.path).unwrap();
        let names = |kind: &str, like: &str| -> Vec<String> {
            conn.prepare(&format!(
                "SELECT name FROM sqlite_master WHERE type = '{kind}' AND name LIKE '{like}'"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        let mut sql = String::new();
        for t in names("trigger", "unseen%") {
            sql.push_str(&format!("DROP TRIGGER {t};"));
        }
        for i in names("index", "tickets_%by_%")
            .into_iter()
            .chain(["tickets_count".to_string()])
        {
            sql.push_str(&format!("DROP INDEX {i};"));
        }
        sql.push_str(
            "DROP TABLE unseen; DROP TABLE unseen_counts; ALTER TABLE tickets DROP COLUMN number_key;
             ALTER TABLE tickets DROP COLUMN updated_at; ALTER TABLE activity DROP COLUMN version;
             PRAGMA user_version = 2;",
        );
        conn.execute_batch(&sql).unwrap();
    }
}
