//! The real loop over a TestBackend terminal and a backend that does not answer lists
//! until told: keys are handled, and the screen drawn, while the backend is stuck.

use async_trait::async_trait;
use desk_engine::model::*;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::sync::mpsc::unbounded_channel;

use super::*;
use crate::backend::BResult;
use crate::tui::app::{Io, run_loop};
use crate::tui::state::Popup;

/// Passes everything through, except that lists wait for the gate to open.
struct Gated {
    inner: Arc<dyn Backend>,
    gate: Arc<Notify>,
}

#[async_trait]
impl Backend for Gated {
    async fn whoami(&self) -> BResult<Actor> {
        self.inner.whoami().await
    }
    async fn catalog(&self) -> BResult<Catalog> {
        self.inner.catalog().await
    }
    async fn list_tickets(&self, f: TicketFilter, p: PageRequest) -> BResult<Page<Ticket>> {
        self.gate.notified().await;
        self.inner.list_tickets(f, p).await
    }
    async fn count_tickets(&self, f: TicketFilter) -> BResult<u64> {
        self.inner.count_tickets(f).await
    }
    async fn mark_seen(&self, n: String) -> BResult<()> {
        self.inner.mark_seen(n).await
    }
    async fn ticket(&self, n: String) -> BResult<Ticket> {
        self.inner.ticket(n).await
    }
    async fn create_ticket(&self, new: NewTicket) -> BResult<Ticket> {
        self.inner.create_ticket(new).await
    }
    async fn update_ticket(&self, n: String, c: TicketChange) -> BResult<Ticket> {
        self.inner.update_ticket(n, c).await
    }
    async fn delete_ticket(&self, n: String, v: Option<i64>) -> BResult<()> {
        self.inner.delete_ticket(n, v).await
    }
    async fn add_note(&self, n: String, t: String, p: bool) -> BResult<Ticket> {
        self.inner.add_note(n, t, p).await
    }
    async fn create_series(&self, new: NewSeries) -> BResult<Vec<Ticket>> {
        self.inner.create_series(new).await
    }
    async fn taskfire_assign(&self, n: String, a: TaskfireAssign) -> BResult<Ticket> {
        self.inner.taskfire_assign(n, a).await
    }
    async fn taskfire_complete(
        &self,
        n: String,
        t: Option<String>,
        v: Option<i64>,
    ) -> BResult<Ticket> {
        self.inner.taskfire_complete(n, t, v).await
    }
    async fn taskfire_ask(&self, n: String, t: String) -> BResult<Ticket> {
        self.inner.taskfire_ask(n, t).await
    }
    async fn taskfire_escalate(&self, n: String, t: String, v: Option<i64>) -> BResult<Ticket> {
        self.inner.taskfire_escalate(n, t, v).await
    }
    async fn portal_submit(&self, s: PortalSubmit) -> BResult<Ticket> {
        self.inner.portal_submit(s).await
    }
    async fn portal_list(&self, f: PortalFilter, p: PageRequest) -> BResult<Page<Ticket>> {
        self.inner.portal_list(f, p).await
    }
    async fn portal_show(&self, n: String) -> BResult<Ticket> {
        self.inner.portal_show(n).await
    }
    async fn portal_note(&self, n: String, t: String) -> BResult<Ticket> {
        self.inner.portal_note(n, t).await
    }
    async fn notifications(&self, p: PageRequest) -> BResult<Page<Notification>> {
        self.inner.notifications(p).await
    }
}

#[tokio::test]
async fn keys_are_handled_while_the_backend_is_stuck() {
    let dir = store(10);
    let gate = Arc::new(Notify::new());
    let gated: Arc<dyn Backend> = Arc::new(Gated {
        inner: backend(&dir, "anna"),
        gate: gate.clone(),
    });
    let me = gated.whoami().await.unwrap();
    let mut state = State::new(me, now(), &Config::default(), Keymap::default());
    let (tx, rx) = unbounded_channel();
    // Typed ahead: open the filter, type into it, then leave; the list never answers.
    for k in ["/", "a", "b", "c", "ctrl-c"] {
        tx.send(AppEvent::Key(key(k))).unwrap();
    }
    let mut io = Io {
        backend: gated,
        tx,
        rx,
        theme: Theme::mono(),
        editor: Box::new(|t: &str| Ok(t.to_string())),
        suspend: Box::new(|| {}),
        store: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(&mut terminal, &mut state, &mut io).await.unwrap();
    assert!(state.quit);
    assert!(!state.list.loaded, "the list never came");
    let Some(Popup::Filter(f)) = state.popups.last() else {
        panic!("{:?}", state.popups)
    };
    assert_eq!(f.text(), "abc");
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("loading"),
        "the busy mark was drawn: {screen}"
    );
    gate.notify_waiters();
}
