//! The pool that checks and makes password hashes (argon2id: ~20 MiB and tens of
//! milliseconds of one core each). A few threads at most do it at once, so a flood of
//! sign-ins queues here while every other request keeps its cores; a queue past
//! `MAX_WAITING` is answered "busy" at once rather than held.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Sign-ins waiting for a hashing thread at most; the next is told to try again.
pub const MAX_WAITING: usize = 256;

pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// The hashing pool is full; nothing was checked.
#[derive(Debug)]
pub struct Busy;

impl Hasher {
    /// Half the cores, at least one: the other half serve pages while a flood hashes.
    pub fn new() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hasher::with_threads((cores / 2).max(1))
    }

    pub fn with_threads(n: usize) -> Hasher {
        Hasher {
            permits: Arc::new(Semaphore::new(n)),
            waiting: AtomicUsize::new(0),
        }
    }

    /// Runs `f` (a hash or a check) on a blocking thread once one of the pool's turns
    /// is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        let permit = self.permits.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| Busy)?;
        tokio::task::spawn_blocking(move || {
            let _turn = permit;
            f()
        })
        .await
        .map_err(|_| Busy)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// With one thread, a second job waits for the first; past MAX_WAITING, the next
    /// is refused at once.
    #[tokio::test]
    async fn jobs_take_turns_and_a_full_queue_says_busy() {
        let h = Arc::new(Hasher::with_threads(1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let h = h.clone();
            tokio::spawn(async move { h.run(move || hold.recv().is_ok()).await })
        };
        // Fill the queue behind the running job.
        let mut queued = Vec::new();
        while h.waiting.load(Ordering::SeqCst) < MAX_WAITING {
            let h2 = h.clone();
            queued.push(tokio::spawn(async move { h2.run(|| 7).await }));
            tokio::task::yield_now().await;
        }
        assert!(matches!(h.run(|| 8).await, Err(Busy)));
        release.send(()).unwrap();
        assert!(first.await.unwrap().unwrap());
        for q in queued {
            assert_eq!(q.await.unwrap().unwrap(), 7);
        }
        assert_eq!(h.run(|| 9).await.unwrap(), 9);
    }
}
