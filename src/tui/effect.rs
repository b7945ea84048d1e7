//! Effects: what `update` asks the world to do. Backend calls run as tokio tasks and
//! answer with an `AppEvent::Reply` carrying their request id; the state decides whether
//! the answer is still wanted (stale ones are dropped there).

use desk_engine::model::*;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

use super::config::SavedView;
use super::event::{AppEvent, Reply, RequestId};
use super::ops::{self, Batch};
use crate::backend::Backend;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Catalog,
    List(TicketFilter, PageRequest),
    /// How many tickets the filter matches, for "200 of 12,345".
    Count(TicketFilter),
    /// The technician opened the ticket: out of their inbox.
    MarkSeen(String),
    Ticket(String),
    Create(Box<NewTicket>),
    /// Edits of one or many tickets, each conditional on the version seen.
    Ops(Batch),
    TaskfireAsk(String, String),
    PortalList(PageRequest),
    PortalShow(String),
    PortalSubmit(PortalSubmit),
    PortalNote(String, String),
    Notifications(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    // Boxed: a call (a filter, a batch) is large next to the other effects.
    Call(RequestId, Box<Call>),
    /// Hand the terminal to `$EDITOR` with this text.
    Edit(String),
    SaveViews(Vec<SavedView>),
    /// Keep an unsent note of a ticket in the data folder, or forget it.
    SaveDraft(String, String),
    DropDraft(String),
    /// The filter bar's history, kept in the data folder.
    SaveHistory(Vec<String>),
    /// Give the terminal back to the shell until resumed (ctrl-z).
    Suspend,
    Quit,
}

pub async fn call(backend: &dyn Backend, call: Call) -> Reply {
    match call {
        Call::Catalog => Reply::Catalog(Box::new(backend.catalog().await)),
        Call::List(f, page) => Reply::Tickets(backend.list_tickets(f, page).await),
        Call::Count(f) => Reply::Count(backend.count_tickets(f).await),
        Call::MarkSeen(n) => Reply::Seen(backend.mark_seen(n).await),
        Call::Ticket(n) => Reply::Ticket(Box::new(backend.ticket(n).await)),
        Call::Create(t) => Reply::Ticket(Box::new(backend.create_ticket(*t).await)),
        Call::Ops(batch) => {
            let results = ops::run(backend, batch.ops.clone()).await;
            Reply::Ops(batch, results)
        }
        Call::TaskfireAsk(n, t) => Reply::Ticket(Box::new(backend.taskfire_ask(n, t).await)),
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
