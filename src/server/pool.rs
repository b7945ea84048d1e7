//! A small pool of engines. `Engine` owns a SQLite connection and is not `Sync`, so each
//! call takes one engine out of the pool for the length of a blocking task. Readers run
//! in parallel (WAL); writers also take an async write lock first, so that they queue
//! in order here instead of spinning in SQLite's busy handler.

use desk_engine::model::Actor;
use desk_engine::{Clock, Engine};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

use super::ApiError;
use crate::backend::{BackendError, ErrorKind};

pub struct Pool {
    free: Mutex<Vec<Engine>>,
    permits: Arc<Semaphore>,
    writer: tokio::sync::Mutex<()>,
    path: PathBuf,
    clock: Clock,
}

impl Pool {
    pub fn open(path: &Path, clock: Clock, size: usize) -> Result<Pool, BackendError> {
        let engines = (0..size)
            .map(|_| Engine::open(path, clock))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            free: Mutex::new(engines),
            permits: Arc::new(Semaphore::new(size)),
            writer: tokio::sync::Mutex::new(()),
            path: path.to_path_buf(),
            clock,
        })
    }

    /// The server's clock (`DESK_NOW` in tests), for change events.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    fn take(&self) -> Result<Engine, ApiError> {
        // The lock guards only a push or a pop; a poisoned one still holds a valid Vec.
        let popped = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match popped {
            Some(e) => Ok(e),
            // An engine is lost only if a task panicked; replace it rather than shrink.
            None => Ok(Engine::open(&self.path, self.clock).map_err(BackendError::from)?),
        }
    }

    fn give_back(&self, engine: Engine) {
        self.free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(engine);
    }

    /// Authenticates `token` and runs `f` as that actor on a blocking thread.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        token: String,
        f: impl FnOnce(&mut Engine, &Actor) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<(Actor, T), ApiError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| {
            ApiError::from(BackendError::new(
                ErrorKind::Unavailable,
                "the server is stopping",
            ))
        })?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut engine = pool.take()?;
            let out = engine
                .authenticate(&token)
                .and_then(|actor| f(&mut engine, &actor).map(|v| (actor, v)));
            pool.give_back(engine);
            Ok(out?)
        })
        .await
        .map_err(|e| {
            ApiError::from(BackendError::new(
                ErrorKind::Internal,
                format!("engine task failed: {e}"),
            ))
        })?
    }

    /// Like `read`, for calls that write: one writer at a time from this process.
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        token: String,
        f: impl FnOnce(&mut Engine, &Actor) -> Result<T, desk_engine::Error> + Send + 'static,
    ) -> Result<(Actor, T), ApiError> {
        let _turn = self.writer.lock().await;
        self.read(token, f).await
    }
}
