//! The engine in-process. Engine calls are synchronous SQLite work: they run on tokio's
//! blocking threads so that an async caller (the TUI) never stalls its event loop.

use async_trait::async_trait;
use desk_engine::model::*;
use desk_engine::{Engine, Error};
use std::sync::{Arc, Mutex};

use super::{BResult, Backend, BackendError, ErrorKind};

#[derive(Clone)]
pub struct LocalBackend {
    engine: Arc<Mutex<Engine>>,
    actor: Actor,
}

impl LocalBackend {
    /// `login`: who acts; `None` picks the desk's default resource.
    pub fn new(engine: Engine, login: Option<&str>) -> Result<Self, Error> {
        let login = match login {
            Some(l) => l.to_string(),
            None => engine.default_login().ok_or_else(|| {
                Error::not_found("resource", "(the desk has none; pass --as LOGIN)")
            })?,
        };
        let actor = engine.actor(&login)?;
        Ok(LocalBackend {
            engine: Arc::new(Mutex::new(engine)),
            actor,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine, &Actor) -> Result<T, Error> + Send + 'static,
    ) -> BResult<T> {
        let engine = self.engine.clone();
        let actor = self.actor.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = engine.lock().map_err(|_| {
                BackendError::new(
                    ErrorKind::Internal,
                    "the engine is poisoned by an earlier failure",
                )
            })?;
            f(&mut guard, &actor).map_err(BackendError::from)
        })
        .await
        .map_err(|e| BackendError::new(ErrorKind::Internal, format!("engine task failed: {e}")))?
    }
}

#[async_trait]
impl Backend for LocalBackend {
    async fn whoami(&self) -> BResult<Actor> {
        Ok(self.actor.clone())
    }
    async fn catalog(&self) -> BResult<Catalog> {
        self.run(|e, a| e.catalog(a)).await
    }
    async fn list_tickets(&self, filter: TicketFilter, page: PageRequest) -> BResult<Page<Ticket>> {
        self.run(move |e, a| e.list_tickets(a, &filter, &page))
            .await
    }
    async fn count_tickets(&self, filter: TicketFilter) -> BResult<u64> {
        self.run(move |e, a| e.count_tickets(a, &filter)).await
    }
    async fn mark_seen(&self, number: String) -> BResult<()> {
        self.run(move |e, a| e.mark_seen(a, &number)).await
    }
    async fn ticket(&self, number: String) -> BResult<Ticket> {
        self.run(move |e, a| e.ticket(a, &number)).await
    }
    async fn create_ticket(&self, new: NewTicket) -> BResult<Ticket> {
        self.run(move |e, a| e.create_ticket(a, new)).await
    }
    async fn update_ticket(&self, number: String, change: TicketChange) -> BResult<Ticket> {
        self.run(move |e, a| e.update_ticket(a, &number, change))
            .await
    }
    async fn delete_ticket(&self, number: String, expected_version: Option<i64>) -> BResult<()> {
        self.run(move |e, a| e.delete_ticket_at(a, &number, expected_version))
            .await
    }
    async fn add_note(&self, number: String, text: String, publish: bool) -> BResult<Ticket> {
        self.run(move |e, a| e.add_note(a, &number, &text, publish))
            .await
    }
    async fn create_series(&self, new: NewSeries) -> BResult<Vec<Ticket>> {
        self.run(move |e, a| e.create_series(a, new)).await
    }
    async fn taskfire_assign(&self, number: String, assign: TaskfireAssign) -> BResult<Ticket> {
        self.run(move |e, a| e.taskfire_assign(a, &number, assign))
            .await
    }
    async fn taskfire_complete(
        &self,
        number: String,
        note: Option<String>,
        expected_version: Option<i64>,
    ) -> BResult<Ticket> {
        self.run(move |e, a| e.taskfire_complete_at(a, &number, note.as_deref(), expected_version))
            .await
    }
    async fn taskfire_ask(&self, number: String, note: String) -> BResult<Ticket> {
        self.run(move |e, a| e.taskfire_ask(a, &number, &note))
            .await
    }
    async fn taskfire_escalate(
        &self,
        number: String,
        note: String,
        expected_version: Option<i64>,
    ) -> BResult<Ticket> {
        self.run(move |e, a| e.taskfire_escalate_at(a, &number, &note, expected_version))
            .await
    }
    async fn portal_submit(&self, submit: PortalSubmit) -> BResult<Ticket> {
        self.run(move |e, a| e.portal_submit(a, submit)).await
    }
    async fn portal_list(&self, filter: PortalFilter, page: PageRequest) -> BResult<Page<Ticket>> {
        self.run(move |e, a| e.portal_list(a, &filter, &page)).await
    }
    async fn portal_show(&self, number: String) -> BResult<Ticket> {
        self.run(move |e, a| e.portal_show(a, &number)).await
    }
    async fn portal_note(&self, number: String, text: String) -> BResult<Ticket> {
        self.run(move |e, a| e.portal_note(a, &number, &text)).await
    }
    async fn notifications(&self, page: PageRequest) -> BResult<Page<Notification>> {
        self.run(move |e, a| e.notifications(a, &page)).await
    }
}
