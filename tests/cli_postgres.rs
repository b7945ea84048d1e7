//! The command line on a PostgreSQL desk (docs/postgres.md): `--database-url` picks it
//! wherever `--data` picks a folder; `init` wants an empty database and refuses one that
//! holds anything, changing nothing; an unreachable database is named, not waited on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;

use desk::desk;
use desk_engine::store::sql::Store;
use desk_store_pg::testing::TestDb;

fn run(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = desk()
        .args(["--database-url", url])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The tables of the test database, by name.
fn tables(url: &str) -> Vec<String> {
    let db = desk_store_pg::PgDb::connect(desk_store_pg::conn::config(url).unwrap()).unwrap();
    let store: &dyn Store = &db;
    store
        .all(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
            |r| r.text(0),
        )
        .unwrap()
}

#[test]
fn init_wants_an_empty_database_and_every_command_then_works_on_it() {
    let Some(db) = TestDb::new("cli init") else {
        return;
    };
    db.execute("CREATE TABLE their_table (x int)");
    let (ok, _, err) = run(&db.url, &["init", "--demo"]);
    assert!(!ok);
    assert!(
        err.contains("is not empty (1 tables of something else)"),
        "{err}"
    );
    assert_eq!(tables(&db.url), ["their_table"], "a refused init wrote");

    db.execute("DROP TABLE their_table");
    let (ok, out, err) = run(&db.url, &["--json", "init", "--demo", "--tickets", "30"]);
    assert!(ok, "{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        created["created"]["database"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert!(
        !created.to_string().contains("postgres://"),
        "the URL is not repeated"
    );
    let (ok, _, err) = run(&db.url, &["init", "--demo"]);
    assert!(!ok);
    assert!(err.contains("already holds a desk"), "{err}");

    let (ok, out, err) = run(
        &db.url,
        &[
            "--json",
            "--as",
            "anna",
            "ticket",
            "create",
            "--title",
            "On PostgreSQL",
        ],
    );
    assert!(ok, "{err}");
    let t: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["number"], "T20261129.0001");
    let (ok, out, err) = run(
        &db.url,
        &[
            "--json",
            "--as",
            "anna",
            "ticket",
            "list",
            "--search",
            "postgresql",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("T20261129.0001"), "{out}");
    let (ok, out, _) = run(&db.url, &["token", "create", "anna"]);
    assert!(ok && out.starts_with("desk_"), "{out}");
}

#[test]
fn a_database_that_cannot_be_reached_or_holds_no_desk_is_named() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (ok, _, err) = run(
        &format!("postgres://desk@127.0.0.1:{port}/desk"),
        &["queues"],
    );
    assert!(!ok);
    assert!(err.contains("the database is unavailable"), "{err}");
    let (ok, _, err) = run("mysql://nowhere", &["queues"]);
    assert!(!ok);
    assert!(err.contains("not a PostgreSQL URL"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let out = desk()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "--database-url",
            "postgres://x/y",
            "queues",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("both name a store"));
    let Some(db) = TestDb::new("cli no desk") else {
        return;
    };
    let (ok, _, err) = run(&db.url, &["queues"]);
    assert!(!ok);
    assert!(err.contains("holds no desk"), "{err}");
}

/// `desk contact set-password` and `desk contact invite` work on a PostgreSQL desk as on
/// a folder (docs/portal.md, "Passwords and invites"): the hash and the invite are in the
/// database, the public URL is remembered there, and a refusal changes nothing.
#[test]
fn contact_passwords_and_invites_are_kept_in_the_database() {
    let Some(db) = TestDb::new("cli contact") else {
        return;
    };
    let (ok, _, err) = run(&db.url, &["init", "--demo", "--tickets", "5"]);
    assert!(ok, "{err}");
    let mut command = desk();
    command.args([
        "--database-url",
        &db.url,
        "contact",
        "set-password",
        "kim@contoso.example",
    ]);
    let out = desk::with_stdin(command, "correct horse battery\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pg = desk_store_pg::PgDb::connect(desk_store_pg::conn::config(&db.url).unwrap()).unwrap();
    let store: &dyn Store = &pg;
    let hashes = store
        .all("SELECT hash FROM passwords", &[], |r| r.text(0))
        .unwrap();
    assert_eq!(hashes.len(), 1);
    assert!(hashes[0].starts_with("$argon2id$"), "{}", hashes[0]);

    let (ok, _, err) = run(&db.url, &["contact", "invite", "lisa@contoso.example"]);
    assert!(!ok);
    assert!(err.contains("--public-url"), "{err}");
    let (ok, out, err) = run(
        &db.url,
        &[
            "contact",
            "invite",
            "lisa@contoso.example",
            "--public-url",
            "https://desk.example.com",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.trim()
            .starts_with("https://desk.example.com/portal/invite/"),
        "{out}"
    );
    let count = |sql: &str| store.int(sql, &[]).unwrap();
    assert_eq!(count("SELECT count(*) FROM invites"), 1);
    assert_eq!(
        count(
            "SELECT count(*) FROM meta WHERE key = 'public_url' AND value = 'https://desk.example.com'"
        ),
        1
    );
    // Remembered in the database: the next invite needs no URL.
    let (ok, out, err) = run(&db.url, &["contact", "invite", "kim@contoso.example"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("https://desk.example.com/portal/invite/"));
    let (ok, _, err) = run(&db.url, &["contact", "invite", "ben"]);
    assert!(!ok);
    assert!(err.contains("not a contact"), "{err}");
    assert_eq!(count("SELECT count(*) FROM invites"), 2);
}
