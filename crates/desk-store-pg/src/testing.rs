//! Databases for tests: each test gets its own empty database on the server that
//! `DESK_TEST_DATABASE_URL` names (`.ci/postgres.sh` starts one), dropped when the test
//! ends, so that tests run in parallel. Without that variable a test skips, saying so;
//! under `CI=true` it fails instead (docs/postgres.md, "Tests").
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicU32, Ordering};

/// The admin URL of the test server, or `None` (having said why) when there is none.
pub fn server_url(test: &str) -> Option<String> {
    match std::env::var("DESK_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "{test}: CI=true but DESK_TEST_DATABASE_URL is not set; .ci/run starts PostgreSQL with .ci/postgres.sh"
        ),
        _ => {
            eprintln!(
                "{test}: skipped, no PostgreSQL (set DESK_TEST_DATABASE_URL, e.g. `. .ci/postgres.sh`)"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[authority_end..].find('/') {
        Some(i) => &base[..authority_end + i],
        None => base,
    };
    format!("{prefix}/{db}{query}")
}

/// An empty database of its own for one test; dropped with it.
pub struct TestDb {
    pub url: String,
    admin: String,
    name: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Runs `f` on a thread of its own: the sync client must not run on an async thread,
/// and tests may be async.
fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f)
        .join()
        .expect("the database thread panicked")
}

impl TestDb {
    /// A new empty database for `test`, or `None` when no server is configured.
    pub fn new(test: &str) -> Option<TestDb> {
        let admin = server_url(test)?;
        let slug: String = test
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(30)
            .collect();
        let name = format!(
            "desk_t{}_{}_{slug}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let (a, n) = (admin.clone(), name.clone());
        off_thread(move || {
            let mut c = Client::connect(&a, NoTls)
                .unwrap_or_else(|e| panic!("cannot reach the test server {a}: {e}"));
            c.batch_execute(&format!("CREATE DATABASE {n}"))
                .unwrap_or_else(|e| panic!("cannot create the test database {n}: {e}"));
        });
        Some(TestDb {
            url: with_database(&admin, &name),
            admin,
            name,
        })
    }

    /// Runs SQL on the test database (tests that look behind the store's back).
    pub fn execute(&self, sql: &str) {
        let (url, sql) = (self.url.clone(), sql.to_string());
        off_thread(move || {
            Client::connect(&url, NoTls)
                .and_then(|mut c| c.batch_execute(&sql))
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        });
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (a, n) = (self.admin.clone(), self.name.clone());
        // A database still in use (a server a failed test left running) is dropped anyway.
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = Client::connect(&a, NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"));
            }
        })
        .join();
    }
}

/// Writes every ticket's search document anew, as a bulk load does after its rows (tests
/// hold `desk store copy`, which writes them with the rows, to the same documents).
pub fn rewrite_documents(db: &dyn desk_engine::store::sql::Store) -> desk_engine::Result<()> {
    crate::dialect::write_documents(db, &desk_engine::store::words::Words::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_gets_another_name() {
        assert_eq!(
            with_database("postgres://desk@127.0.0.1:5432/postgres", "t1"),
            "postgres://desk@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?connect_timeout=2", "t2"),
            "postgres://u:p@h/t2?connect_timeout=2"
        );
        assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
    }

    #[test]
    fn each_test_gets_an_empty_database_of_its_own() {
        let (Some(a), Some(b)) = (TestDb::new("own_a"), TestDb::new("own_b")) else {
            return;
        };
        assert_ne!(a.url, b.url);
        a.execute("CREATE TABLE only_in_a (x int)");
        let url = b.url.clone();
        let tables: i64 = off_thread(move || {
            let mut c = Client::connect(&url, NoTls).unwrap();
            c.query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                &[],
            )
            .unwrap()
            .get(0)
        });
        assert_eq!(tables, 0);
    }
}
