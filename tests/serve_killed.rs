//! A `desk serve` killed (SIGKILL) while creates are in flight (docs/rules.md R4,
//! docs/postgres.md "Several servers"): no number is given twice, every create it
//! answered is in the store with the number it answered, no number is left out, every
//! ticket there is whole (its rule's note, its mail, its search document and its entry
//! in the changes table, all written in the transaction of the create), and a server
//! started again goes on after the highest number. On PostgreSQL a second server keeps
//! creating throughout, its feed tells of the killed server's committed creates, and the
//! create killed halfway (its ticket written, held at its changes entry by a lock the
//! test takes) keeps nothing, its number given to the next create instead.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[path = "common/pg_lock.rs"]
mod pg_lock;

use desk::{Server, Store};
use pg_lock::ChangesLock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Creates the doomed server answers before it is killed.
const KILL_AFTER: usize = 30;
/// Creates the surviving (or restarted) server answers after the kill.
const AFTER_KILL: usize = 30;
/// Clients creating at once on each server.
const WRITERS: usize = 6;
/// The desk day of every ticket (`desk::NOW`).
const DAY: &str = "T20261129";
/// A word only in the note the demo's rule "Outages are urgent" adds to each create.
const NOTE_WORD: &str = "minutes";

/// What one server's creating clients share with the test.
#[derive(Default)]
struct Shared {
    /// What they were answered, title to number.
    answered: Mutex<BTreeMap<String, String>>,
    count: AtomicUsize,
    in_flight: AtomicUsize,
    paused: AtomicBool,
    stop: AtomicBool,
    /// Told of every answer, and of every create that ended or held back.
    progress: tokio::sync::Notify,
}

/// One server's creating clients.
struct Writers {
    shared: Arc<Shared>,
    resume: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// One create on `url`: the title and the number answered, or `None` when no answer
/// came (the server was killed).
async fn create(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    title: String,
) -> Option<(String, String)> {
    let body = json!({
        "title": title,
        "issue_type": "Network outage",
        "contact": "lisa@contoso.example",
    });
    let res = http
        .post(format!("{url}/api/v1/tickets"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    let status = res.status();
    let t = res.json::<Value>().await.ok()?;
    assert_eq!(status, StatusCode::CREATED, "{title}: {t}");
    let number = t["number"].as_str().unwrap().to_string();
    Some((title, number))
}

impl Writers {
    /// `WRITERS` clients creating on `url` as `token` until told to stop or the server
    /// goes away.
    fn start(url: &str, token: &str, name: &str) -> Writers {
        let shared = Arc::new(Shared::default());
        let (resume, paused) = tokio::sync::watch::channel(false);
        let http = reqwest::Client::new();
        let tasks = (0..WRITERS)
            .map(|i| {
                let (http, url, token) = (http.clone(), url.to_string(), token.to_string());
                let (shared, mut paused) = (shared.clone(), paused.clone());
                let name = name.to_string();
                tokio::spawn(async move {
                    // Bounded: a server that never stops answering ends the test anyway.
                    for j in 0..2000 {
                        // In flight before looking at the pause: the test, which pauses
                        // and then waits for none in flight, never misses one.
                        loop {
                            shared.in_flight.fetch_add(1, Ordering::SeqCst);
                            if !shared.paused.load(Ordering::SeqCst) {
                                break;
                            }
                            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                            shared.progress.notify_one();
                            if paused.wait_for(|p| !p).await.is_err() {
                                return;
                            }
                        }
                        if shared.stop.load(Ordering::SeqCst) {
                            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                            return;
                        }
                        let title = format!("{name} writer {i} ticket {j}");
                        let answer = create(&http, &url, &token, title).await;
                        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                        let Some((title, number)) = answer else {
                            shared.progress.notify_one();
                            return;
                        };
                        shared.answered.lock().unwrap().insert(title, number);
                        shared.count.fetch_add(1, Ordering::SeqCst);
                        shared.progress.notify_one();
                    }
                })
            })
            .collect();
        Writers {
            shared,
            resume,
            tasks,
        }
    }

    fn count(&self) -> usize {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// Waits (on the clients, not on a clock) until `done` holds; a generous bound
    /// only so that a server that stopped answering fails the test.
    async fn until(&self, what: &str, done: impl Fn(&Shared) -> bool) {
        let wait = async {
            while !done(&self.shared) {
                self.shared.progress.notified().await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(60), wait)
            .await
            .unwrap_or_else(|_| panic!("{what}: still not so after a minute"));
    }

    /// Waits until `n` creates were answered.
    async fn answered(&self, n: usize) {
        self.until(&format!("{n} creates answered"), |s| {
            s.count.load(Ordering::SeqCst) >= n
        })
        .await;
    }

    /// Holds every client back before its next create, and waits until none is in
    /// flight.
    async fn pause(&self) {
        self.shared.paused.store(true, Ordering::SeqCst);
        self.resume.send_replace(true);
        self.until("no create in flight", |s| {
            s.in_flight.load(Ordering::SeqCst) == 0
        })
        .await;
    }

    fn resume(&self) {
        self.shared.paused.store(false, Ordering::SeqCst);
        self.resume.send_replace(false);
    }

    /// Waits until every client stopped; what they were answered.
    async fn finish(self) -> BTreeMap<String, String> {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.resume();
        for t in self.tasks {
            t.await.unwrap();
        }
        self.shared.answered.lock().unwrap().clone()
    }
}

/// `kill -KILL` on the server, and waits until it is gone.
async fn sigkill(mut server: Server) {
    let kill = std::process::Command::new("kill")
        .args(["-KILL", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    tokio::task::spawn_blocking(move || {
        let status = server.wait();
        assert!(!status.success(), "desk serve was not killed: {status}");
    })
    .await
    .unwrap();
}

/// A ticket as the store holds it, and what the create wrote beside it.
#[derive(Debug)]
struct Stored {
    title: String,
    priority: i64,
    /// Notes that the demo's rule added (internal, with `NOTE_WORD`).
    notes: i64,
    /// Mail to the contact about the new ticket.
    mails: i64,
    /// `created` entries in the changes table.
    created: i64,
}

/// Every ticket in the store by number, with what its create wrote beside it.
fn stored(store: &Store) -> BTreeMap<String, Stored> {
    store.sql(|db| {
        db.all(
            "SELECT t.number, t.title, t.priority,
               (SELECT count(*) FROM activity a WHERE a.ticket_id = t.id AND a.kind = 'internal'
                  AND a.text LIKE '%minutes%'),
               (SELECT count(*) FROM outbox o WHERE o.ticket = t.number
                  AND o.recipient = 'lisa@contoso.example' AND o.event = 'ticket_created'),
               (SELECT count(*) FROM changes c WHERE c.number = t.number AND c.kind = 'created')
             FROM tickets t",
            &[],
            |r| {
                Ok((
                    r.text(0)?,
                    Stored {
                        title: r.text(1)?,
                        priority: r.int(2)?,
                        notes: r.int(3)?,
                        mails: r.int(4)?,
                        created: r.int(5)?,
                    },
                ))
            },
        )
        .unwrap()
        .into_iter()
        .collect()
    })
}

/// The numbers a staff search for `NOTE_WORD` finds on `url`: the tickets whose search
/// document was written with the note.
async fn found_by_note(url: &str, token: &str) -> BTreeSet<String> {
    let page: Value = reqwest::Client::new()
        .get(format!(
            "{url}/api/v1/tickets?search={NOTE_WORD}&limit=1000"
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page["next"].is_null(), "more than one page: {page}");
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|t| t["number"].as_str().unwrap().to_string())
        .collect()
}

fn number(seq: usize) -> String {
    format!("{DAY}.{seq:04}")
}

/// What holds after the kill, on either store: the answers (title to number, of every
/// server) against the store, and the tickets' wholeness. Returns the tickets.
async fn check_after_kill(
    store: &Store,
    answered: &BTreeMap<String, String>,
    url: &str,
    token: &str,
) -> BTreeMap<String, Stored> {
    let numbers: BTreeSet<&String> = answered.values().collect();
    assert_eq!(numbers.len(), answered.len(), "a number was answered twice");
    let tickets = stored(store);
    for (title, n) in answered {
        let t = tickets
            .get(n)
            .unwrap_or_else(|| panic!("{n} was answered ({title}) but is not in the store"));
        assert_eq!(&t.title, title, "{n} holds another create than answered");
    }
    // No gap: the numbers of the day from the first on, each once (a create that was
    // killed before it committed gave none).
    let expected: BTreeSet<String> = (1..=tickets.len()).map(number).collect();
    assert_eq!(
        tickets.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "the store's numbers have a gap"
    );
    for (n, t) in &tickets {
        assert_eq!(
            (t.priority, t.notes, t.mails, t.created),
            (4, 1, 1, 1),
            "{n} is not whole (priority Critical, the rule's note, the mail, the changes entry): {t:?}"
        );
    }
    assert_eq!(
        found_by_note(url, token).await,
        tickets.keys().cloned().collect(),
        "a ticket's search document is missing its note"
    );
    tickets
}

/// A create on a server started again on the store takes the number after the highest.
async fn check_numbering_goes_on(store: &Store, token: &str, highest: usize) {
    let server = Server::start_on(store);
    let http = reqwest::Client::new();
    let (_, n) = create(&http, &server.url, token, "After the restart".into())
        .await
        .expect("the restarted server answered no create");
    assert_eq!(n, number(highest + 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_write_loses_no_answered_create_on_sqlite() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let store = Store::demo(0);
    let token = store.token("anna");
    let server = Server::start_on(&store);
    let url = server.url.clone();
    let w = Writers::start(&url, &token, "only");
    w.answered(KILL_AFTER).await;
    // The other clients' creates are under way as it dies.
    sigkill(server).await;
    let answered = w.finish().await;
    assert!(answered.len() >= KILL_AFTER);

    let server = Server::start_on(&store);
    let tickets = check_after_kill(&store, &answered, &server.url, &token).await;
    drop(server);
    check_numbering_goes_on(&store, &token, tickets.len()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_write_beside_another_loses_nothing_on_postgres() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(store) = Store::demo_pg("server killed mid-write", 0) else {
        return;
    };
    let token = store.token("anna");
    let db_url = store.db.as_ref().unwrap().url.clone();
    // The doomed server names its connections, so that the test sees its creates wait.
    let app = "desk-killed";
    let mut command = desk::desk();
    command
        .args([
            "--database-url",
            &format!("{db_url}?application_name={app}"),
        ])
        .args(["serve", "--listen", "127.0.0.1:0"]);
    let doomed = Server::spawn(command);
    let survivor = Server::start_on(&store);
    let http = reqwest::Client::new();
    let mut feed = http
        .get(format!("{}/api/v1/events", survivor.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);

    let a = Writers::start(&doomed.url, &token, "killed");
    let b = Writers::start(&survivor.url, &token, "survivor");
    a.answered(KILL_AFTER).await;
    // Caught halfway: with the survivor held back a moment (else its create could be
    // the one holding the day's number, at the lock), a create of the doomed server
    // waits at its changes entry, its ticket written.
    b.pause().await;
    let lock = ChangesLock::take(&db_url);
    let last = tokio::task::block_in_place(|| lock.waiting(app));
    let killed_number = number(usize::try_from(last).unwrap() + 1);
    // The survivor's creates are under way, waiting for the day's number, as the other
    // server dies.
    b.resume();
    sigkill(doomed).await;
    let survivor_before = b.count();
    lock.release().unwrap();
    // The survivor goes on creating.
    b.answered(survivor_before + AFTER_KILL).await;
    let mut answered = a.finish().await;
    let killed_answered = answered.len();
    assert!(killed_answered >= KILL_AFTER);
    answered.extend(b.finish().await);

    let tickets = check_after_kill(&store, &answered, &survivor.url, &token).await;
    // The create killed halfway kept nothing: its number went to another create.
    let t = &tickets[&killed_number];
    assert!(
        t.title.starts_with("survivor "),
        "{killed_number} is {}: the create killed mid-write was kept",
        t.title
    );
    // The survivor's feed told of every create the killed server committed (a generous
    // bound only so that a broken feed fails instead of hanging).
    let from_killed: BTreeSet<&String> = tickets
        .iter()
        .filter(|(_, t)| t.title.starts_with("killed "))
        .map(|(n, _)| n)
        .collect();
    assert!(from_killed.len() >= killed_answered);
    let mut seen = String::new();
    let mut told = BTreeSet::new();
    let read = async {
        while !from_killed.iter().all(|n| told.contains(*n)) {
            let chunk = feed.chunk().await.unwrap().expect("the feed ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = seen.find("\n\n") {
                let event: String = seen.drain(..end + 2).collect();
                for data in event.lines().filter_map(|l| l.strip_prefix("data:")) {
                    if let Ok(v) = serde_json::from_str::<Value>(data.trim())
                        && v["kind"] == "created"
                    {
                        told.insert(v["number"].as_str().unwrap_or("").to_string());
                    }
                }
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .expect("the survivor's feed never told of the killed server's creates");
    check_numbering_goes_on(&store, &token, tickets.len()).await;
}
