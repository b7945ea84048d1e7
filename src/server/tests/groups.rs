//! Group commit in the server's pool (docs/architecture.md, "Group commit"): writes that
//! queue while the writer thread is busy (here: held) run together, as one transaction
//! with one commit, and each caller gets its own write's answer.

use desk_engine::Engine;
use desk_engine::model::{NewTicket, TicketFilter};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{clock, demo_store};
use crate::server::ServeError;
use crate::server::pool::Pool;

fn new(title: &str) -> NewTicket {
    NewTicket {
        title: title.into(),
        ..NewTicket::default()
    }
}

/// How many tickets `engine` finds for `word`, as anna sees them.
fn found(engine: &Engine, word: &str) -> u64 {
    let anna = engine.actor("anna").unwrap();
    let filter = TicketFilter {
        search: Some(word.into()),
        ..TicketFilter::default()
    };
    engine.count_tickets(&anna, &filter).unwrap()
}

/// Waits until `n` writes are queued in `pool` (the spawned tasks got that far).
async fn until_queued(pool: &Pool, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pool.queued() < n {
        assert!(
            Instant::now() < deadline,
            "only {} writes queued",
            pool.queued()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_queued_behind_a_held_writer_share_one_commit_and_each_gets_its_own_answer() {
    let (_dir, path) = demo_store(0);
    let pool = Arc::new(Pool::open(&path, clock(), 4).unwrap());
    let held = pool.hold_writes();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let title = if i == 4 {
            "grouped \u{7} bell".to_string() // refused: a control character
        } else {
            format!("grouped {i}")
        };
        let p = pool.clone();
        tasks.push(tokio::spawn(async move {
            p.run_write(move |e| {
                let anna = e.actor("anna")?;
                e.create_ticket(&anna, new(&title))
            })
            .await
        }));
    }
    until_queued(&pool, 10).await;
    let before = pool.writes();
    drop(held);
    let mut answers: Vec<Result<_, ServeError>> = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }

    // One group: one write counted, not ten.
    let after = pool.writes();
    assert_eq!(
        (after.started, after.ended),
        (before.started + 1, before.ended + 1)
    );
    let refused: Vec<_> = answers.iter().filter(|a| a.is_err()).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    assert!(
        refused[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("title"),
        "{refused:?}"
    );
    let mut numbers: Vec<String> = answers
        .into_iter()
        .filter_map(|a| a.ok())
        .map(|t| t.number)
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 9, "{numbers:?}");

    // All nine are in the store, for every other connection; the refused one is not.
    let engine = Engine::open(&path, clock()).unwrap();
    assert_eq!(found(&engine, "grouped"), 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_caller_stopped_waiting_before_its_group_never_runs() {
    let (_dir, path) = demo_store(0);
    let pool = Arc::new(Pool::open(&path, clock(), 4).unwrap());
    let held = pool.hold_writes();
    let p = pool.clone();
    let gone = tokio::spawn(async move {
        p.run_write(|e| {
            let anna = e.actor("anna")?;
            e.create_ticket(&anna, new("abandoned write"))
        })
        .await
    });
    until_queued(&pool, 1).await;
    gone.abort();
    assert!(gone.await.unwrap_err().is_cancelled());
    drop(held);

    // The writer runs the next write; the abandoned one is dropped from the queue.
    let kept = pool
        .run_write(|e| {
            let anna = e.actor("anna")?;
            e.create_ticket(&anna, new("kept write"))
        })
        .await
        .unwrap();
    assert_eq!(kept.title, "kept write");
    assert_eq!(pool.queued(), 0);
    let engine = Engine::open(&path, clock()).unwrap();
    assert_eq!(found(&engine, "abandoned"), 0);
}

/// A write that panics on the writer thread is answered (500) with its group, nothing of
/// the group is kept, and the writer goes on with the next writes on a new engine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_panics_fails_its_group_and_the_writer_goes_on() {
    let (_dir, path) = demo_store(0);
    let pool = Arc::new(Pool::open(&path, clock(), 4).unwrap());
    let held = pool.hold_writes();
    let write = |title: &'static str, panics: bool| {
        let p = pool.clone();
        tokio::spawn(async move {
            p.run_write(move |e| {
                let anna = e.actor("anna")?;
                let t = e.create_ticket(&anna, new(title))?;
                assert!(!panics, "a write that panics");
                Ok(t)
            })
            .await
        })
    };
    let before = write("first of the group", false);
    until_queued(&pool, 1).await;
    let panics = write("boom", true);
    until_queued(&pool, 2).await;
    drop(held);
    let (before, panics) = (before.await.unwrap(), panics.await.unwrap());
    for answer in [&before, &panics] {
        let e = answer.as_ref().unwrap_err();
        assert!(e.to_string().contains("group failed"), "{e}");
    }
    // Counted as ended (in the unwinding, which may be after the callers hear of it):
    // else the store watch would take every later commit for someone else's.
    let deadline = Instant::now() + Duration::from_secs(10);
    while pool.writes().under_way() {
        assert!(
            Instant::now() < deadline,
            "the group that panicked never ended"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let after = pool
        .run_write(|e| {
            let anna = e.actor("anna")?;
            e.create_ticket(&anna, new("later write"))
        })
        .await
        .unwrap();
    assert_eq!(after.title, "later write");
    let engine = Engine::open(&path, clock()).unwrap();
    // The group of the panic was rolled back whole; the write after it is kept.
    let counts = ["first", "boom", "later"].map(|w| found(&engine, w));
    assert_eq!(counts, [0, 0, 1]);
}

/// The writer has an engine of its own: while a write waits for the store's lock (held
/// by another process), every engine of the pool still answers reads, and the write
/// commits once the lock is free.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_on_while_the_writer_waits_for_the_store() {
    let (_dir, path) = demo_store(20);
    let pool = Arc::new(Pool::open(&path, clock(), 1).unwrap());
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let p = pool.clone();
    let write = tokio::spawn(async move {
        p.run_write(|e| {
            let anna = e.actor("anna")?;
            e.create_ticket(&anna, new("written after the lock"))
        })
        .await
    });
    // The writer is inside its write, waiting for the lock.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pool.writes().under_way() {
        assert!(Instant::now() < deadline, "the write never began");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for _ in 0..3 {
        let listed = tokio::time::timeout(
            Duration::from_secs(5),
            pool.run_read(|e| {
                let anna = e.actor("anna")?;
                e.count_tickets(&anna, &TicketFilter::default())
            }),
        )
        .await
        .expect("a read waited for the writer")
        .unwrap();
        assert!(listed >= 20, "{listed}");
    }
    assert!(!write.is_finished());
    other.execute_batch("ROLLBACK").unwrap();
    let written = write.await.unwrap().unwrap();
    assert_eq!(written.title, "written after the lock");
}

/// On PostgreSQL writes do not queue for one turn: two writes of one server run at the
/// same time. Each waits inside until the other has begun, which one write at a time
/// would never reach (the first would give up waiting and fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_writes_of_one_server_run_side_by_side() {
    let Some(db) = desk_store_pg::testing::TestDb::new("writes side by side") else {
        return;
    };
    let at = crate::store_at::StoreAt::Postgres(db.url.clone());
    let setup = desk_engine::Setup::parse("assets/demo.toml", crate::DEMO_SETUP).unwrap();
    let pool = {
        let at = at.clone();
        tokio::task::spawn_blocking(move || {
            at.init(&setup, None, clock()).unwrap();
            Arc::new(Pool::open(&at, clock(), 4).unwrap())
        })
        .await
        .unwrap()
    };
    let (a_began, a_seen) = std::sync::mpsc::channel::<()>();
    let (b_began, b_seen) = std::sync::mpsc::channel::<()>();
    let write = |title: &'static str,
                 began: std::sync::mpsc::Sender<()>,
                 other: std::sync::mpsc::Receiver<()>| {
        let p = pool.clone();
        tokio::spawn(async move {
            p.run_write(move |e| {
                let _ = began.send(());
                other.recv_timeout(Duration::from_secs(5)).map_err(|_| {
                    desk_engine::Error::Database("the other write never began".into())
                })?;
                let anna = e.actor("anna")?;
                e.create_ticket(&anna, new(title))
            })
            .await
        })
    };
    let a = write("side a", a_began, b_seen);
    let b = write("side b", b_began, a_seen);
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    let w = pool.writes();
    assert_eq!((w.started, w.ended), (2, 2));
    let found = tokio::task::spawn_blocking(move || found(&at.open(clock()).unwrap(), "side"))
        .await
        .unwrap();
    assert_eq!(found, 2);
    drop(pool);
}
