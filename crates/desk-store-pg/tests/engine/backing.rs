//! The store under the engine's tests in this run: a PostgreSQL database of its own per
//! test, on the server `DESK_TEST_DATABASE_URL` names (docs/postgres.md, "Tests").

use desk_engine::store::sql::Store;
use desk_store_pg::testing::TestDb;

use crate::{Clock, Engine, Setup};

pub struct Backing {
    db: TestDb,
}

impl Backing {
    /// A new desk made from `setup` in an empty database. Without a server every test
    /// of this binary would skip: the binary says so once and ends (passed); under
    /// `CI=true` it fails instead (`testing::server_url`).
    pub fn new(setup: &Setup) -> Backing {
        let Some(db) = TestDb::new("engine contract") else {
            // Past the test harness's capture, so that the run shows it.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                b"engine contract suite on PostgreSQL: skipped, no DESK_TEST_DATABASE_URL\n",
            );
            std::process::exit(0);
        };
        desk_store_pg::create(&db.url, setup, Clock::System, |_| Ok(())).unwrap();
        Backing { db }
    }

    /// An engine on the desk, on a connection of its own (as another server has).
    pub fn open(&self, clock: Clock) -> crate::Result<Engine> {
        Engine::with_store(Box::new(desk_store_pg::open(&self.db.url)?), clock)
    }

    /// Every row of every table, as text, each table's rows sorted.
    pub fn dump(&self) -> String {
        let db = desk_store_pg::open(&self.db.url).unwrap();
        let store: &dyn Store = &db;
        let tables = store
            .all(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                &[],
                |r| r.text(0),
            )
            .unwrap();
        let mut out = String::new();
        for t in tables {
            let rows = store
                .all(
                    &format!("SELECT CAST(x AS TEXT) FROM \"{t}\" x"),
                    &[],
                    |r| r.text(0),
                )
                .unwrap();
            crate::fixture::dump_table(&mut out, &t, rows);
        }
        out
    }
}
