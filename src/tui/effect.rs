//! Effects: what `update` asks the world to do. Backend calls run as tokio tasks and
//! answer with an `AppEvent::Reply` carrying their request id; the state decides whether
//! the answer is still wanted (stale ones are dropped there).

use desk_engine::model::*;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

use super::config::SavedView;
use super::event::{AppEvent, Reply, RequestId};
use crate::backend::Backend;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Catalog,
    List(Box<TicketFilter>, PageRequest),
    Ticket(String),
    Create(Box<NewTicket>),
    Update(String, TicketChange),
    Delete(String),
    Note(String, String, bool),
    TaskfireAssign(String, TaskfireAssign),
    TaskfireComplete(String, Option<String>),
    TaskfireAsk(String, String),
    TaskfireEscalate(String, String),
    PortalList(PageRequest),
    PortalShow(String),
    PortalSubmit(PortalSubmit),
    PortalNote(String, String),
    Notifications(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Call(RequestId, Call),
    /// Hand the terminal to `$EDITOR` with this text.
    Edit(String),
    SaveViews(Vec<SavedView>),
    Quit,
}

pub async fn call(backend: &dyn Backend, call: Call) -> Reply {
    match call {
        Call::Catalog => Reply::Catalog(Box::new(backend.catalog().await)),
        Call::List(f, page) => Reply::Tickets(backend.list_tickets(*f, page).await),
        Call::Ticket(n) => Reply::Ticket(Box::new(backend.ticket(n).await)),
        Call::Create(t) => Reply::Ticket(Box::new(backend.create_ticket(*t).await)),
        Call::Update(n, c) => Reply::Ticket(Box::new(backend.update_ticket(n, c).await)),
        Call::Delete(n) => Reply::Deleted(backend.delete_ticket(n).await),
        Call::Note(n, t, p) => Reply::Ticket(Box::new(backend.add_note(n, t, p).await)),
        Call::TaskfireAssign(n, a) => Reply::Ticket(Box::new(backend.taskfire_assign(n, a).await)),
        Call::TaskfireComplete(n, t) => {
            Reply::Ticket(Box::new(backend.taskfire_complete(n, t).await))
        }
        Call::TaskfireAsk(n, t) => Reply::Ticket(Box::new(backend.taskfire_ask(n, t).await)),
        Call::TaskfireEscalate(n, t) => {
            Reply::Ticket(Box::new(backend.taskfire_escalate(n, t).await))
        }
        Call::PortalList(page) => {
            Reply::Tickets(backend.portal_list(Default::default(), page).await)
        }
        Call::PortalShow(n) => Reply::Ticket(Box::new(backend.portal_show(n).await)),
        Call::PortalSubmit(s) => Reply::Ticket(Box::new(backend.portal_submit(s).await)),
        Call::PortalNote(n, t) => Reply::Ticket(Box::new(backend.portal_note(n, t).await)),
        Call::Notifications(limit) => Reply::Notifications(
            backend
                .notifications(PageRequest {
                    after: None,
                    limit,
                    sort: None,
                })
                .await
                .map(|p| p.items),
        ),
    }
}

/// Starts a backend call as a task; its reply comes back on `tx`. A send after the app has
/// gone away is not an error anyone can act on, so it is ignored.
pub fn spawn(backend: Arc<dyn Backend>, id: RequestId, c: Call, tx: UnboundedSender<AppEvent>) {
    tokio::spawn(async move {
        let reply = call(backend.as_ref(), c).await;
        let _ = tx.send(AppEvent::Reply(id, reply));
    });
}
