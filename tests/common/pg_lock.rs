//! A lock on the changes table, held from a connection of the test's own, so that a
//! create through `desk serve` on PostgreSQL waits at its last statement with its ticket,
//! notes and mail written: a write caught halfway, for tests that kill its server or
//! stop its database then. Used through `#[path = "common/pg_lock.rs"] mod pg_lock;`.
#![allow(dead_code)]

use desk_engine::store::sql::Store;
use std::sync::mpsc::{Receiver, Sender, channel};

/// The desk day of `desk::NOW`, as `number_days` keys it.
const DAY: &str = "2026-11-29";

/// What the lock's thread is asked to do.
enum Ask {
    /// Wait until a create on a connection named this (`application_name`) waits for
    /// the lock; answer the last number of the day committed then.
    Waiting(String),
    Release,
}

pub struct ChangesLock {
    ask: Sender<Ask>,
    answer: Receiver<i64>,
    thread: std::thread::JoinHandle<Result<(), String>>,
}

impl ChangesLock {
    /// Takes the lock on the database at `url` (and holds it until `release`).
    pub fn take(url: &str) -> ChangesLock {
        let url = url.to_string();
        let (ask, asked) = channel();
        let (answer, answers) = channel();
        let thread = std::thread::spawn(move || {
            let db = desk_store_pg::open(&url).unwrap();
            let db: &dyn Store = &db;
            db.batch("BEGIN; LOCK TABLE changes IN EXCLUSIVE MODE")
                .unwrap();
            answer.send(0).unwrap();
            while let Ok(Ask::Waiting(app)) = asked.recv() {
                answer.send(wait_for(db, &app)).unwrap();
            }
            db.batch("COMMIT").map_err(|e| e.to_string())
        });
        answers.recv().expect("the lock's thread failed");
        ChangesLock {
            ask,
            answer: answers,
            thread,
        }
    }

    /// Waits (bounded; it polls the catalog) until a create on a connection named `app`
    /// (`application_name`) waits for the lock. Answers the last number of the day
    /// committed then: the waiting create, which holds the day's row, took the one
    /// after it. It blocks: call it where a blocking call may run.
    pub fn waiting(&self, app: &str) -> i64 {
        self.ask.send(Ask::Waiting(app.to_string())).unwrap();
        self.answer.recv().expect("the lock's thread failed")
    }

    /// Lets go of the lock: whether its transaction could commit (not when the
    /// database went away meanwhile).
    pub fn release(self) -> Result<(), String> {
        let _ = self.ask.send(Ask::Release);
        self.thread.join().expect("the lock's thread panicked")
    }
}

fn wait_for(db: &dyn Store, app: &str) -> i64 {
    let waiting = || {
        db.int(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND l.relation = 'changes'::regclass
             AND a.application_name = ?1",
            &[app.into()],
        )
        .unwrap()
    };
    let mut tries = 0;
    while waiting() == 0 {
        tries += 1;
        assert!(tries < 3000, "no create of {app} came to wait for the lock");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    db.int("SELECT last FROM number_days WHERE day = ?1", &[DAY.into()])
        .unwrap()
}
