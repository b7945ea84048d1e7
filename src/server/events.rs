//! `GET /api/v1/events`: the live change feed as server-sent events. Each subscriber gets
//! the changes of the desk it works: the provider's, or its company's Taskfire desk. A
//! contact gets only changes of tickets the portal shows them (R6), checked per event
//! with the same engine call as `GET /portal/tickets/{number}`, so a feed never leaks a
//! number; deletions are not sent to contacts, since a deleted ticket can no longer be
//! checked. Changes made to the store outside the server come as `reload` (staff only).

use axum::response::sse::{Event, KeepAlive, Sse};
use desk_engine::model::ActorKind;
use futures_util::stream::{self, Stream};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

use super::auth::Bearer;
use super::pool::Pool;
use super::{ApiError, FeedItem, St};

/// Comments sent on a quiet feed so that proxies and clients see a live connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Who a feed is for, and so which changes it passes on.
#[derive(Clone)]
enum Audience {
    Desk(String),
    /// A contact: provider-desk changes the portal shows them, checked with their token.
    Portal {
        pool: Arc<Pool>,
        token: String,
    },
}

impl Audience {
    async fn sees(&self, item: &FeedItem) -> bool {
        let c = match (item, self) {
            (FeedItem::Change(c), _) => c,
            // Staff reload; a contact learns nothing of the provider's store (R6) and
            // has the periodic refresh.
            (FeedItem::Reload, Audience::Desk(_)) => return true,
            (FeedItem::Reload, Audience::Portal { .. }) => return false,
        };
        match self {
            Audience::Desk(desk) => &c.desk == desk,
            Audience::Portal { pool, token } => {
                if c.desk != "provider" || c.version.is_none() {
                    return false;
                }
                let number = c.number.clone();
                pool.read(token.clone(), move |e, a| e.portal_show(a, &number))
                    .await
                    .is_ok()
            }
        }
    }
}

pub async fn feed(
    s: St,
    Bearer(token): Bearer,
) -> Result<Sse<impl Stream<Item = Result<Event, axum::Error>>>, ApiError> {
    let (actor, ()) = s.pool.read(token.clone(), |_, _| Ok(())).await?;
    let audience = match actor.kind {
        ActorKind::Resource { .. } => Audience::Desk("provider".to_string()),
        ActorKind::TaskfireResource { company } => Audience::Desk(company),
        ActorKind::Contact { .. } => Audience::Portal {
            pool: s.pool.clone(),
            token,
        },
    };
    let rx = s.changes.subscribe();
    let stop = s.shutdown.clone();
    let events = stream::unfold((rx, stop, audience), |(mut rx, mut stop, who)| async move {
        loop {
            if *stop.borrow() {
                return None;
            }
            let next = tokio::select! {
                _ = stop.changed() => return None,
                next = rx.recv() => next,
            };
            let event = match next {
                Ok(item) if who.sees(&item).await => feed_event(&item),
                Ok(_) => continue,
                // The subscriber fell behind: tell it to reload instead of silently skipping.
                Err(RecvError::Lagged(n)) => {
                    Ok(Event::default().event("lagged").data(n.to_string()))
                }
                Err(RecvError::Closed) => return None,
            };
            return Some((event, (rx, stop, who)));
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

fn feed_event(item: &FeedItem) -> Result<Event, axum::Error> {
    match item {
        FeedItem::Change(c) => Event::default().event("change").json_data(c),
        FeedItem::Reload => Ok(Event::default()
            .event("reload")
            .data("the store changed outside the server")),
    }
}
