//! A small pool of engines. `Engine` owns a SQLite connection and is not `Sync`, so each
//! call takes one engine out of the pool while it runs: a read on the calling async
//! thread within a step budget (else on a blocking thread), a write on a blocking thread.
//! Readers run in parallel (WAL). On SQLite writes queue for the pool's writer thread,
//! which runs whatever is queued as one group commit, then the next (group commit); on
//! PostgreSQL a write takes a permit as a read does and runs beside the others, as far as
//! the database lets it.

use desk_engine::model::Actor;
use desk_engine::{Clock, Engine};
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::ServeError;
use crate::store_at::StoreAt;

pub struct Pool {
    free: Mutex<Vec<Engine>>,
    permits: Arc<Semaphore>,
    /// On SQLite, the thread that runs the writes (`run_write`); `None` on PostgreSQL.
    writer: Option<Writer>,
    at: StoreAt,
    clock: Clock,
    /// The budget of a read on an async thread (`INLINE_STEPS`; tests set less).
    inline_steps: u32,
    /// Reads that ran over it and were run again on a blocking thread.
    over_budget: AtomicU64,
    /// Writes (a group counts as one) begun and ended: one is under way while they
    /// differ. The store watch tells the server's own commits from others' with them.
    counts: Arc<Counts>,
}

/// `Pool::writes`: how many writes had begun and ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writes {
    pub started: u64,
    pub ended: u64,
}

impl Writes {
    /// Whether a write was under way (or began and ended between the two counts).
    pub fn under_way(self) -> bool {
        self.started != self.ended
    }
}

#[derive(Default)]
struct Counts {
    started: AtomicU64,
    ended: AtomicU64,
}

impl Counts {
    /// Counts a write as begun; the guard counts it as ended when dropped (after its
    /// commit, or in the unwinding of a panic), wherever it is dropped.
    fn begin(self: &Arc<Self>) -> WriteEnded {
        self.started.fetch_add(1, Ordering::SeqCst);
        WriteEnded(self.clone())
    }
}

impl Pool {
    pub fn open(at: impl Into<StoreAt>, clock: Clock, size: usize) -> Result<Pool, ServeError> {
        let at = at.into();
        let engines = (0..size)
            .map(|_| at.open_anywhere(clock))
            .collect::<Result<Vec<_>, _>>()?;
        let counts = Arc::new(Counts::default());
        let groups = match engines.first() {
            Some(e) => e.groups_writes(),
            None => at.open_anywhere(clock)?.groups_writes(),
        };
        // The writer has an engine of its own: no read waits for it, nor it for a read.
        let writer = if groups {
            let engine = at.open_anywhere(clock)?;
            Some(Writer::start(engine, at.clone(), clock, counts.clone())?)
        } else {
            None
        };
        Ok(Pool {
            free: Mutex::new(engines),
            permits: Arc::new(Semaphore::new(size)),
            writer,
            at,
            clock,
            inline_steps: INLINE_STEPS,
            over_budget: AtomicU64::new(0),
            counts,
        })
    }

    /// The same pool with another budget for reads on async threads.
    #[cfg(test)]
    pub fn with_inline_steps(self, steps: u32) -> Pool {
        Pool {
            inline_steps: steps,
            ..self
        }
    }

    /// Holds the writer (SQLite) after the group it runs, as a long write would: writes
    /// queue until the guard is dropped (tests of what waits behind one).
    #[cfg(test)]
    #[allow(clippy::expect_used)] // a test that holds the writer of a PostgreSQL pool is wrong
    pub fn hold_writes(&self) -> Held<'_> {
        let writer = self.writer.as_ref().expect("a SQLite pool");
        writer.shared.state().held = true;
        Held(writer)
    }

    /// How many writes wait for the writer (tests of group commit).
    #[cfg(test)]
    pub fn queued(&self) -> usize {
        self.writer
            .as_ref()
            .map_or(0, |w| w.shared.state().queue.len())
    }

    /// How many writes had begun and ended (a group counts as one). `ended` is read
    /// first: a write that begins and ends between the two reads shows as under way.
    pub fn writes(&self) -> Writes {
        let ended = self.counts.ended.load(Ordering::SeqCst);
        let started = self.counts.started.load(Ordering::SeqCst);
        Writes { started, ended }
    }

    /// How many reads so far needed more than the inline budget.
    pub fn reads_over_budget(&self) -> u64 {
        self.over_budget.load(Ordering::Relaxed)
    }

    /// The server's clock (`DESK_NOW` in tests), for change events.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    fn take(&self) -> Result<Engine, ServeError> {
        // The lock guards only a push or a pop; a poisoned one still holds a valid Vec.
        let popped = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match popped {
            Some(e) => Ok(e),
            // An engine is lost only if a task panicked; replace it rather than shrink.
            None => Ok(self.at.open_anywhere(self.clock)?),
        }
    }

    fn give_back(&self, engine: Engine) {
        self.free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(engine);
    }

    /// Authenticates `token` and runs the read `f` as that actor. It runs first on the
    /// calling async thread within `INLINE_STEPS`, which a page or a ticket fits in
    /// (no hand-off to another thread: a third more requests per second); a read that
    /// needs more (a rare filter over a big queue) is stopped by the engine and run again
    /// on a blocking thread. Reads change nothing, so running one twice is safe.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        token: String,
        f: impl Fn(&mut Engine, &Actor) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<(Actor, T), ServeError> {
        self.run_read(move |e| as_actor(e, &token, &f)).await
    }

    /// Runs the read `f` as `read` does, for callers that are not a token's (the portal's
    /// pages, signed in by a session).
    pub async fn run_read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl Fn(&mut Engine) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<T, ServeError> {
        let permit = self.permit().await?;
        let mut engine = self.take()?;
        if !engine.reads_inline() {
            // PostgreSQL: no step budget, and a read blocks on the network.
            return self.blocking(permit, engine, f).await;
        }
        let tried = std::panic::catch_unwind(AssertUnwindSafe(|| {
            engine.within_budget(self.inline_steps, &f)
        }));
        match tried {
            Ok(Err(desk_engine::Error::OverBudget { .. })) => {
                self.over_budget.fetch_add(1, Ordering::Relaxed);
            }
            Ok(out) => {
                self.give_back(engine);
                return Ok(out?);
            }
            // The engine may be in any state: drop it; `take` opens a new one.
            Err(_) => return Err(task_failed("the read panicked")),
        }
        self.blocking(permit, engine, f).await
    }

    /// Like `read`, straight on a blocking thread: for reads whose time the step budget
    /// cannot bound. A full-text search does its merging inside single SQLite steps (a
    /// prefix of one letter took 55 ms before the first check on a 200k store).
    pub async fn read_blocking<T: Send + 'static>(
        self: &Arc<Self>,
        token: String,
        f: impl FnOnce(&mut Engine, &Actor) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<(Actor, T), ServeError> {
        self.run_read_blocking(move |e| as_actor(e, &token, f))
            .await
    }

    /// `run_read` straight on a blocking thread (see `read_blocking`).
    pub async fn run_read_blocking<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Engine) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<T, ServeError> {
        let permit = self.permit().await?;
        let engine = self.take()?;
        self.blocking(permit, engine, f).await
    }

    /// Like `read`, for calls that write, always on a blocking thread (a commit waits for
    /// the disk or the database).
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        token: String,
        f: impl FnOnce(&mut Engine, &Actor) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<(Actor, T), ServeError> {
        self.run_write(move |e| as_actor(e, &token, f)).await
    }

    /// Runs `f`, which writes, as `write` does, for callers that are not a token's.
    ///
    /// On SQLite the write is queued for the pool's writer thread. The writer takes every
    /// write queued when it is free (up to `MAX_GROUP`) and runs them on its engine as
    /// one group commit (`Engine::group`, docs/architecture.md "Group commit"): one wait
    /// for the disk for all of them. Each caller is answered after that commit, with its
    /// own write's result. Then it takes what queued meanwhile: there is no hand-over
    /// between groups, which under load had to wait for a busy async thread each time.
    ///
    /// On PostgreSQL a write takes a permit and an engine as a read does and runs in its
    /// own transaction beside the others: the database takes writers side by side, and
    /// one turn for all of them was the mixed load's tail (a create is a dozen round
    /// trips; under load the turn could not keep up, BENCHMARKS.md).
    pub async fn run_write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Engine) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<T, ServeError> {
        let Some(writer) = &self.writer else {
            // A write whose request ends while it waits for the permit never runs.
            let permit = self.permit().await?;
            let engine = self.take()?;
            let ended = self.counts.begin();
            return self
                .blocking(permit, engine, move |e| {
                    let _ended = ended;
                    f(e)
                })
                .await;
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        writer.queue(Box::new(Queued { f, tx }));
        // The sender is dropped unanswered only if the writer stopped or its group
        // panicked.
        rx.await
            .unwrap_or_else(|_| Err(task_failed("the write's group failed")))
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, ServeError> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ServeError::unavailable("the server is stopping"))
    }

    /// Runs `f` on `engine` on a blocking thread, then gives the engine back.
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        permit: OwnedSemaphorePermit,
        mut engine: Engine,
        f: impl FnOnce(&mut Engine) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<T, ServeError> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let out = f(&mut engine);
            pool.give_back(engine);
            Ok(out?)
        })
        .await
        .map_err(|e| task_failed(&format!("engine task failed: {e}")))?
    }
}

/// The most writes one group commit takes. A group's writes run one after another, so
/// its last caller waits for all of them: at about half a millisecond a create, 32 keep
/// that wait near one disk flush, and a burst of more is two groups.
pub const MAX_GROUP: usize = 32;

/// A write waiting in the queue, its result type hidden.
trait Write: Send {
    /// Whether its caller stopped waiting.
    fn abandoned(&self) -> bool;
    /// Runs it; the answer is sent once the group's commit is known.
    fn run(self: Box<Self>, engine: &mut Engine) -> Box<dyn Answer>;
    /// Answers it with `e` without running it.
    fn refuse(self: Box<Self>, e: ServeError);
}

/// A write's result, held until its group's commit.
trait Answer: Send {
    fn send(self: Box<Self>, committed: &Result<(), ServeError>);
}

struct Queued<T, F> {
    f: F,
    tx: tokio::sync::oneshot::Sender<Result<T, ServeError>>,
}

impl<T, F> Write for Queued<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut Engine) -> Result<T, desk_engine::Error> + Send + 'static,
{
    fn abandoned(&self) -> bool {
        self.tx.is_closed()
    }

    fn run(self: Box<Self>, engine: &mut Engine) -> Box<dyn Answer> {
        let out = (self.f)(engine);
        Box::new(Ran { out, tx: self.tx })
    }

    fn refuse(self: Box<Self>, e: ServeError) {
        let _ = self.tx.send(Err(e));
    }
}

struct Ran<T> {
    out: Result<T, desk_engine::Error>,
    tx: tokio::sync::oneshot::Sender<Result<T, ServeError>>,
}

impl<T: Send> Answer for Ran<T> {
    fn send(self: Box<Self>, committed: &Result<(), ServeError>) {
        let answer = match (self.out, committed) {
            // Refused or failed: undone alone, whatever became of the group.
            (Err(e), _) => Err(ServeError::from(e)),
            (Ok(v), Ok(())) => Ok(v),
            // Done in the group, but the group's commit failed: nothing was kept.
            (Ok(_), Err(e)) => Err(e.clone()),
        };
        // A caller that stopped waiting is not there to hear it.
        let _ = self.tx.send(answer);
    }
}

/// Counts a write as ended when dropped (`Pool::writes`).
struct WriteEnded(Arc<Counts>);

impl Drop for WriteEnded {
    fn drop(&mut self) {
        self.0.ended.fetch_add(1, Ordering::SeqCst);
    }
}

/// The writer thread of a SQLite pool and what it shares with the callers. It stops
/// when the pool is dropped (no caller is waiting then: each holds the pool).
struct Writer {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a write is queued, the hold ends or the pool goes.
    wake: Condvar,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Box<dyn Write>>,
    /// Tests: writes queue and wait (`Pool::hold_writes`).
    held: bool,
    stopping: bool,
}

impl Shared {
    /// The lock guards only the queue and two flags; a poisoned one still holds them.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Writer {
    fn start(
        engine: Engine,
        at: StoreAt,
        clock: Clock,
        counts: Arc<Counts>,
    ) -> Result<Writer, ServeError> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let theirs = shared.clone();
        std::thread::Builder::new()
            .name("desk-writer".into())
            .spawn(move || write_loop(&theirs, Some(engine), &at, clock, &counts))
            .map_err(|e| task_failed(&format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { shared })
    }

    /// Queues a write. (The writer stops only with the pool, which every caller holds.)
    fn queue(&self, write: Box<dyn Write>) {
        self.shared.state().queue.push_back(write);
        self.shared.wake.notify_one();
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.shared.state().stopping = true;
        self.shared.wake.notify_all();
    }
}

/// `Pool::hold_writes`: the writer waits while this lives.
#[cfg(test)]
pub struct Held<'a>(&'a Writer);

#[cfg(test)]
impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.shared.state().held = false;
        self.0.shared.wake.notify_all();
    }
}

/// The writer thread: runs the writes queued so far as one group, answers them, and
/// goes on with what queued meanwhile, until the pool is dropped.
fn write_loop(
    shared: &Shared,
    mut engine: Option<Engine>,
    at: &StoreAt,
    clock: Clock,
    counts: &Arc<Counts>,
) {
    loop {
        let writes: Vec<Box<dyn Write>> = {
            let mut state = shared.state();
            loop {
                if state.stopping {
                    return;
                }
                if !state.held {
                    // A caller that stopped waiting (its request timed out) is not
                    // written for: a write not yet begun when its request ended never runs.
                    state.queue.retain(|w| !w.abandoned());
                    if !state.queue.is_empty() {
                        break;
                    }
                }
                state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            let n = state.queue.len().min(MAX_GROUP);
            state.queue.drain(..n).collect()
        };
        let mut e = match engine.take() {
            Some(e) => e,
            // The last group failed or panicked: its engine was dropped.
            None => match at.open(clock) {
                Ok(e) => e,
                Err(err) => {
                    let err = ServeError::from(err);
                    for w in writes {
                        w.refuse(err.clone());
                    }
                    continue;
                }
            },
        };
        // Counted done right after the commit, before any caller hears of it (a request
        // that times out stops waiting, but its write still ends and must be counted);
        // in a panic, in the unwinding.
        let ended = counts.begin();
        let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let (answers, committed) = if writes.len() == 1 {
                // One write: its own transaction, without a savepoint to keep.
                let answers: Vec<_> = writes.into_iter().map(|w| w.run(&mut e)).collect();
                (answers, Ok(()))
            } else {
                e.group(|e| writes.into_iter().map(|w| w.run(e)).collect::<Vec<_>>())
            };
            drop(ended);
            let committed = committed.map_err(ServeError::from);
            for answer in answers {
                answer.send(&committed);
            }
            committed.is_ok()
        }));
        // After a failed commit the engine's view of the store (its directory) may hold
        // what the rollback undid, and after a panic it may be in any state: it is
        // dropped, and the next group opens a new one. A panic's callers were dropped
        // unanswered in the unwinding: they hear that the group failed.
        if let Ok(true) = ran {
            engine = Some(e);
        }
    }
}

/// A read runs inline within this many SQLite steps: about 2 ms of ordinary page reads,
/// a time an async thread may be held. Steps are not time: one step that reads a page
/// from a cold disk, or merges a full-text index, can take longer, which is why
/// searches use `read_blocking`. On the 1M demo store (BENCHMARKS.md, "desk serve") a 50-ticket page of
/// a queue takes about 4,000 steps (0.17 ms) and a 200-ticket page 16,000; a status
/// filter that matches one ticket in a thousand, 200,000 (7 ms): that goes to a blocking
/// thread.
pub const INLINE_STEPS: u32 = 50_000;

fn as_actor<T>(
    e: &mut Engine,
    token: &str,
    f: impl FnOnce(&mut Engine, &Actor) -> Result<T, desk_engine::Error>,
) -> Result<(Actor, T), desk_engine::Error> {
    let actor = e.authenticate(token)?;
    f(e, &actor).map(|v| (actor, v))
}

fn task_failed(what: &str) -> ServeError {
    ServeError::internal(what.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::server::tests::{clock, demo_store};
    use desk_engine::model::{PageRequest, TicketFilter};

    /// A read over the inline budget runs again on a blocking thread and answers exactly
    /// what it answers within budget; a read that fits stays inline.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_over_the_inline_budget_run_again_with_the_same_answer() {
        let (_dir, path) = demo_store(400);
        let token = Engine::open(&path, clock())
            .unwrap()
            .create_token("anna", None)
            .unwrap();
        // A long page: some 16,000 steps.
        let long_page = |e: &mut Engine, a: &Actor| {
            let page = PageRequest {
                sort: None,
                after: None,
                limit: 200,
            };
            e.list_tickets(a, &TicketFilter::default(), &page)
        };
        let roomy = Arc::new(Pool::open(&path, clock(), 2).unwrap());
        let tight = Arc::new(
            Pool::open(&path, clock(), 2)
                .unwrap()
                .with_inline_steps(1000),
        );

        let (_, inline) = roomy.read(token.clone(), long_page).await.unwrap();
        assert_eq!(roomy.reads_over_budget(), 0);
        let (who, moved) = tight.read(token.clone(), long_page).await.unwrap();
        assert_eq!(tight.reads_over_budget(), 1);
        assert_eq!(who.login, "anna");
        assert_eq!(inline.items.len(), 200);
        assert_eq!(moved, inline);

        // Refusals are the read's own, wherever it ran: a bad token is still a bad token.
        let bad = tight.read("forged".into(), long_page).await.unwrap_err();
        use axum::response::IntoResponse;
        assert_eq!(bad.into_response().status(), 401);
    }
}
