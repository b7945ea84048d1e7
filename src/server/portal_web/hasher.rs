//! The pool that checks and makes password hashes (argon2id: ~20 MiB and tens of
//! milliseconds of one core each). Its own few threads do it, at a lower scheduling
//! priority than the rest of the server: a flood of sign-ins queues here and takes the
//! CPU that pages leave over, so every other request keeps its cores. A queue past
//! `MAX_WAITING` is answered "busy" at once rather than held.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use thread_priority::{ThreadPriority, ThreadPriorityValue, set_current_thread_priority};
use tokio::sync::oneshot;

/// Sign-ins waiting for a hashing thread at most; the next is told to try again.
pub const MAX_WAITING: usize = 256;
/// The hashing threads' priority on the portable 0..99 scale, which on Linux is nice 10:
/// about a tenth of a normal thread's share when both want the CPU, all of it otherwise.
const PRIORITY: u8 = 22;

type Job = Box<dyn FnOnce() + Send>;

pub struct Hasher {
    jobs: SyncSender<Job>,
}

/// The hashing pool is full (or gone); nothing was checked.
#[derive(Debug)]
pub struct Busy;

impl Hasher {
    /// Half the cores, at least one: the other half serve pages while a flood hashes.
    pub fn new() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hasher::with_threads((cores / 2).max(1))
    }

    /// `n` threads; they end when the hasher is dropped.
    pub fn with_threads(n: usize) -> Hasher {
        let (jobs, queue) = sync_channel::<Job>(MAX_WAITING);
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..n {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("desk-hash-{i}"))
                .spawn(move || work(&queue));
            if let Err(e) = spawned {
                eprintln!("desk serve: cannot start a password hashing thread: {e}");
            }
        }
        Hasher { jobs }
    }

    /// Runs `f` (a hash or a check) on a hashing thread once one is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (done, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The sign-in may have given up waiting; then nobody needs the answer.
            let _ = done.send(f());
        });
        match self.jobs.try_send(job) {
            Ok(()) => answer.await.map_err(|_| Busy),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    if let Err(e) = ThreadPriorityValue::try_from(PRIORITY)
        .map_err(|e| e.to_string())
        .and_then(|p| {
            set_current_thread_priority(ThreadPriority::Crossplatform(p))
                .map_err(|e| format!("{e:?}"))
        })
    {
        eprintln!("desk serve: password hashing runs at normal priority ({e})");
    }
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(job) => job(),
            // The hasher was dropped: no more jobs will come.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    /// With one thread, the jobs behind a running one wait their turn; past
    /// MAX_WAITING, the next is refused at once.
    #[tokio::test]
    async fn jobs_take_turns_and_a_full_queue_says_busy() {
        let h = Arc::new(Hasher::with_threads(1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, running) = oneshot::channel::<()>();
        let first = {
            let h = h.clone();
            tokio::spawn(async move {
                h.run(move || {
                    let _ = started.send(());
                    hold.recv().is_ok()
                })
                .await
            })
        };
        // The one thread is busy with the first job; fill the queue behind it (each
        // call queues its job when first polled; its answer is not waited for here).
        running.await.unwrap();
        let mut queued = Vec::new();
        for i in 0..MAX_WAITING {
            let mut job = Box::pin(h.run(move || i));
            assert!((&mut job).now_or_never().is_none(), "job {i} ran early");
            queued.push(job);
        }
        assert!(matches!(h.run(|| 0).now_or_never(), Some(Err(Busy))));
        release.send(()).unwrap();
        assert!(first.await.unwrap().unwrap());
        // The queued jobs run in turn, each with its own answer; then there is room.
        for (i, job) in queued.into_iter().enumerate() {
            assert_eq!(job.await.unwrap(), i);
        }
        assert_eq!(h.run(|| 9).await.unwrap(), 9);
    }
}
