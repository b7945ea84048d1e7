//! Several `desk serve` on one PostgreSQL database behave as one (docs/postgres.md):
//! concurrent creates on both never give a number twice (R4), an edit on one server
//! never overwrites one made on the other that its author did not see, and a change made
//! through one server reaches the change feed of the other. Each test has a database of
//! its own on the server `DESK_TEST_DATABASE_URL` names (skipped without one, failing
//! under `CI=true`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/cluster.rs"]
mod cluster;
#[path = "common/desk.rs"]
mod desk;
#[path = "common/pg_lock.rs"]
mod pg_lock;

use cluster::Cluster;
use desk::{Server, Store};
use pg_lock::ChangesLock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

struct Two {
    a: Server,
    b: Server,
    token: String,
    http: reqwest::Client,
    _store: Store,
}

impl Two {
    fn start(test: &str) -> Option<Two> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = Store::demo_pg(test, 0)?;
        let token = store.token("anna");
        Some(Two {
            a: Server::start_on(&store),
            b: Server::start_on(&store),
            token,
            http: reqwest::Client::new(),
            _store: store,
        })
    }

    async fn call(
        &self,
        on: &Server,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let res = self
            .http
            .request(method, format!("{}/api/v1{path}", on.url))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap())
    }

    async fn create(&self, on: &Server, title: &str) -> Value {
        let (status, t) = self
            .call(
                on,
                reqwest::Method::POST,
                "/tickets",
                json!({ "title": title }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
        t
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_on_two_servers_never_give_a_number_twice() {
    let Some(two) = Two::start("two servers create") else {
        return;
    };
    let two = std::sync::Arc::new(two);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let two = two.clone();
        tasks.push(tokio::spawn(async move {
            let on = if i % 2 == 0 { &two.a } else { &two.b };
            two.create(on, &format!("Concurrent {i}")).await["number"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut numbers = BTreeSet::new();
    for t in tasks {
        assert!(numbers.insert(t.await.unwrap()), "a number was given twice");
    }
    // The day's sequence, without gaps: every create took the next one.
    let expected: BTreeSet<String> = (1..=40).map(|i| format!("T20261129.{i:04}")).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_edit_on_one_server_never_overwrites_one_made_on_the_other_unseen() {
    let Some(two) = Two::start("two servers lost update") else {
        return;
    };
    let t = two.create(&two.a, "Printer jams").await;
    let number = t["number"].as_str().unwrap();
    let version = t["version"].as_i64().unwrap();
    let path = format!("/tickets/{number}");
    let patch = |title: &str| json!({ "title": title, "expected_version": version });
    let (status, _) = two
        .call(
            &two.b,
            reqwest::Method::PATCH,
            &path,
            patch("Printer jams on floor 2"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Server A's client still has the old version: refused, with the ticket as it is now.
    let (status, body) = two
        .call(
            &two.a,
            reqwest::Method::PATCH,
            &path,
            patch("Printer jams (A)"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, now) = two
        .call(&two.a, reqwest::Method::GET, &path, Value::Null)
        .await;
    assert_eq!(now["title"], "Printer jams on floor 2");

    // Two edits of one version at once, one on each server: exactly one lands.
    let version = now["version"].as_i64().unwrap();
    let body = |title: &str| json!({ "title": title, "expected_version": version });
    let (ra, rb) = tokio::join!(
        two.call(&two.a, reqwest::Method::PATCH, &path, body("From A")),
        two.call(&two.b, reqwest::Method::PATCH, &path, body("From B")),
    );
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let winner = if ra.0 == StatusCode::OK {
        "From A"
    } else {
        "From B"
    };
    let (_, now) = two
        .call(&two.b, reqwest::Method::GET, &path, Value::Null)
        .await;
    assert_eq!(now["title"], winner);
    assert_eq!(now["version"].as_i64().unwrap(), version + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_through_one_server_reaches_the_feed_of_the_other() {
    let Some(two) = Two::start("two servers feed") else {
        return;
    };
    let mut feed = two
        .http
        .get(format!("{}/api/v1/events", two.a.url))
        .bearer_auth(&two.token)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    let t = two.create(&two.b, "Made on B").await;
    let number = t["number"].as_str().unwrap().to_string();
    let note = two
        .call(
            &two.b,
            reqwest::Method::POST,
            &format!("/tickets/{number}/notes"),
            json!({ "text": "and noted on B" }),
        )
        .await;
    assert!(note.0.is_success(), "{}", note.1);
    // The stream of server A, until both changes made on B came by (a generous bound
    // only so that a broken feed fails instead of hanging).
    let mut seen = String::new();
    let read = async {
        while !(seen.contains("\"created\"") && seen.contains("\"note\"")) {
            let chunk = feed.chunk().await.unwrap().expect("the feed ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .expect("server A's feed never told of the changes made on B");
    let events: Vec<Value> = seen
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str(d.trim()).ok())
        .filter(|v: &Value| v["number"] == number.as_str())
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "note"], "{seen}");
    assert_eq!(events[0]["actor"], "anna");
    assert_eq!(events[1]["version"], t["version"].as_i64().unwrap() + 1);
}

/// A demo desk with `tickets` tickets in the database at `url`, anna's token, and a
/// `desk serve` on it.
fn desk_on(url: &str, tickets: u64) -> (String, Server) {
    let init = desk::desk()
        .args(["--database-url", url, "init", "--demo", "--tickets"])
        .arg(tickets.to_string())
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let token = desk::desk()
        .args(["--database-url", url, "token", "create", "anna"])
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let mut serve = desk::desk();
    serve.args(["--database-url", url, "serve", "--listen", "127.0.0.1:0"]);
    (token, Server::spawn(serve))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_is_503_meanwhile_and_served_again_after() {
    let Some(cluster) = Cluster::new() else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = cluster.url();
    let (token, server) = desk_on(&url, 10);
    let http = reqwest::Client::new();
    let get = || {
        http.get(format!("{}/api/v1/tickets?limit=1", server.url))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);

    cluster.stop();
    for _ in 0..3 {
        let res = get().await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
    }
    let create = http
        .post(format!("{}/api/v1/tickets", server.url))
        .bearer_auth(&token)
        .json(&json!({ "title": "While the database is away" }))
        .send()
        .await
        .unwrap();
    assert_eq!(create.status(), StatusCode::SERVICE_UNAVAILABLE);

    cluster.start();
    // Each engine connects again on its next call: every request is served again.
    for _ in 0..8 {
        assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    }
    let list: Value = get().await.unwrap().json().await.unwrap();
    assert!(
        !list.to_string().contains("While the database is away"),
        "a refused write was kept"
    );
}

/// Every row the create of a ticket writes, counted: the ticket, its history, its mail,
/// its changes entry, and the day's last number.
fn written(url: &str) -> [i64; 5] {
    let url = url.to_string();
    std::thread::spawn(move || {
        let db = desk_store_pg::open(&url).unwrap();
        let db: &dyn desk_engine::store::sql::Store = &db;
        [
            "SELECT count(*) FROM tickets",
            "SELECT count(*) FROM activity",
            "SELECT count(*) FROM outbox",
            "SELECT count(*) FROM changes",
            "SELECT coalesce(max(last), 0) FROM number_days",
        ]
        .map(|sql| db.int(sql, &[]).unwrap())
    })
    .join()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_under_way_when_the_database_stops_is_503_and_keeps_nothing() {
    let Some(cluster) = Cluster::new() else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = cluster.url();
    let (token, server) = desk_on(&url, 0);
    let http = reqwest::Client::new();
    let create = |title: &str| {
        http.post(format!("{}/api/v1/tickets", server.url))
            .bearer_auth(&token)
            .json(&json!({
                "title": title,
                "issue_type": "Network outage",
                "contact": "lisa@contoso.example",
            }))
            .send()
    };
    let first: Value = create("Before").await.unwrap().json().await.unwrap();
    assert_eq!(first["number"], "T20261129.0001", "{first}");
    let before = written(&url);

    // A create held at its last statement, its ticket, note and mail written...
    let lock = ChangesLock::take(&url);
    let held = tokio::spawn(create("Caught halfway"));
    assert_eq!(tokio::task::block_in_place(|| lock.waiting("desk")), 1);
    // ...when the database stops under it: answered 503 with a clear error, at once (a
    // generous bound only so that a hang fails instead of blocking the run).
    cluster.stop();
    let res = tokio::time::timeout(std::time::Duration::from_secs(30), held)
        .await
        .expect("the write under way hung when the database stopped")
        .unwrap()
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("database is unavailable"), "{message}");
    assert!(lock.release().is_err(), "the lock outlived the database");

    cluster.start();
    assert_eq!(written(&url), before, "the write caught halfway left rows");
    // Its number was never given: the next create takes it.
    let next: Value = create("After").await.unwrap().json().await.unwrap();
    assert_eq!(next["number"], "T20261129.0002", "{next}");
}
