//! `GET /api/v1/events`: the live change feed as server-sent events. Each subscriber gets
//! the changes of the desk it works (the provider's, or its company's Taskfire desk);
//! contacts get none, since which tickets a contact may see depends on R6 per ticket and
//! an event must not leak a number they may not see.

use axum::response::sse::{Event, KeepAlive, Sse};
use desk_engine::model::ActorKind;
use futures_util::stream::{self, Stream};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

use super::auth::Bearer;
use super::{ApiError, St};
use crate::api::change::ChangeDto;
use crate::backend::{BackendError, ErrorKind};

/// Comments sent on a quiet feed so that proxies and clients see a live connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn feed(
    s: St,
    Bearer(token): Bearer,
) -> Result<Sse<impl Stream<Item = Result<Event, axum::Error>>>, ApiError> {
    let (actor, ()) = s.pool.read(token, |_, _| Ok(())).await?;
    let desk = match actor.kind {
        ActorKind::Resource { .. } => "provider".to_string(),
        ActorKind::TaskfireResource { company } => company,
        ActorKind::Contact { .. } => {
            return Err(BackendError::new(
                ErrorKind::NotAllowed,
                "not allowed: the change feed is for resources; contacts reload the portal",
            )
            .into());
        }
    };
    let rx = s.changes.subscribe();
    let stop = s.shutdown.clone();
    let events = stream::unfold((rx, stop, desk), |(mut rx, mut stop, desk)| async move {
        loop {
            if *stop.borrow() {
                return None;
            }
            let next = tokio::select! {
                _ = stop.changed() => return None,
                next = rx.recv() => next,
            };
            let event = match next {
                Ok(c) if c.desk == desk => change_event(&c),
                Ok(_) => continue,
                // The subscriber fell behind: tell it to reload instead of silently skipping.
                Err(RecvError::Lagged(n)) => {
                    Ok(Event::default().event("lagged").data(n.to_string()))
                }
                Err(RecvError::Closed) => return None,
            };
            return Some((event, (rx, stop, desk)));
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

fn change_event(c: &ChangeDto) -> Result<Event, axum::Error> {
    Event::default().event("change").json_data(c)
}
