//! `GET /api/v1/events`: the live change feed as server-sent events. Each subscriber gets
//! the changes of the desk it works: the provider's, or its company's Taskfire desk. A
//! contact gets only changes of tickets the portal shows them (R6), checked per event
//! with the same engine call as `GET /portal/tickets/{number}`, so a feed never leaks a
//! number; deletions are not sent to contacts, since a deleted ticket can no longer be
//! checked. Changes made to the store outside the server come as `reload` (provider staff
//! only). A feed ends when its token stops working (revoked, expired): it is checked
//! before each event, and every 15 s on a quiet feed.

use axum::Extension;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use desk_engine::model::{ActorKind, PortalLevel};
use futures_util::stream;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

use super::auth::Bearer;
use super::listen::conns::{ConnRef, FeedPermit};
use super::pool::Pool;
use super::{FeedItem, ServeError, St};

/// Comments sent on a quiet feed so that proxies and clients see a live connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Who a feed is for, and so which changes it passes on.
#[derive(Clone, PartialEq, Eq)]
enum Audience {
    /// Staff: the changes of this desk (`provider` or a company's Taskfire desk).
    Desk(String),
    /// A contact: provider-desk changes of tickets the portal shows them.
    Portal,
}

/// How often an idle feed checks that its token still works (revoked, expired): a feed
/// with events checks before each one.
const TOKEN_RECHECK: Duration = Duration::from_secs(15);

/// Opens a feed: refused (403) to a contact whose portal is off, since they may see
/// nothing; over a feed limit (per login, per address, in all) refused with 429
/// (docs/serve.md, "Limits"). The connection then counts as a feed, not as one that
/// requests need, and closes when the feed ends.
pub async fn feed(
    s: St,
    conn: Option<Extension<ConnRef>>,
    Bearer(token): Bearer,
) -> Result<Response, ServeError> {
    let (actor, ()) = s.pool.read(token.clone(), |_, _| Ok(())).await?;
    let audience = match actor.kind {
        ActorKind::Resource { .. } => Audience::Desk("provider".to_string()),
        ActorKind::TaskfireResource { company } => Audience::Desk(company),
        ActorKind::Contact {
            portal: PortalLevel::None,
            ..
        } => {
            return Err(ServeError::not_allowed(format!(
                "not allowed: the portal is off for {} (portal level none), so there is no change feed to follow",
                actor.login
            )));
        }
        ActorKind::Contact { .. } => Audience::Portal,
    };
    let Some(Extension(conn)) = conn else {
        return Err(ServeError::internal(
            "the change feed needs the server's own listener",
        ));
    };
    let permit = conn.become_feed(&actor.login)?;
    let feed = Feed {
        _permit: permit,
        rx: s.changes.subscribe(),
        stop: s.shutdown.clone(),
        who: audience,
        pool: s.pool.clone(),
        token,
        recheck: tokio::time::interval_at(
            tokio::time::Instant::now() + TOKEN_RECHECK,
            TOKEN_RECHECK,
        ),
    };
    let events = stream::unfold(feed, |mut f| async move {
        loop {
            if *f.stop.borrow() {
                return None;
            }
            let next = tokio::select! {
                _ = f.stop.changed() => return None,
                _ = f.recheck.tick() => {
                    f.passes(None).await?;
                    continue;
                }
                next = f.rx.recv() => next,
            };
            // A token revoked or expired since the feed opened hears nothing more.
            let item = next.as_ref().ok();
            if !f.passes(item).await? {
                continue;
            }
            let event = match next {
                Ok(item) => feed_event(&item),
                // The subscriber fell behind: tell it to reload instead of silently skipping.
                Err(RecvError::Lagged(n)) => {
                    Ok(Event::default().event("lagged").data(n.to_string()))
                }
                Err(RecvError::Closed) => return None,
            };
            return Some((event, f));
        }
    });
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // The connection left the request connections' counts: it is not used again.
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    Ok(res)
}

/// One subscriber's feed.
struct Feed {
    /// Its place in the feed counts, given back when the stream ends.
    _permit: FeedPermit,
    rx: broadcast::Receiver<FeedItem>,
    stop: watch::Receiver<bool>,
    who: Audience,
    pool: Arc<Pool>,
    token: String,
    recheck: tokio::time::Interval,
}

impl Feed {
    /// Whether `item` goes to this subscriber (`None`: a token check alone); `None` once
    /// the token no longer works (revoked, expired). One engine call checks the token
    /// and, for a contact, that the portal shows the changed ticket (R6); a deletion can
    /// no longer be checked, so it is not sent to contacts.
    async fn passes(&self, item: Option<&FeedItem>) -> Option<bool> {
        let portal_number = match (item, &self.who) {
            (Some(FeedItem::Change(c)), Audience::Portal)
                if c.desk == "provider" && c.kind != "deleted" =>
            {
                Some(c.number.clone())
            }
            _ => None,
        };
        let (_, shown) = self
            .pool
            .read(self.token.clone(), move |e, a| {
                Ok(portal_number
                    .as_deref()
                    .is_some_and(|n| e.portal_show(a, n).is_ok()))
            })
            .await
            .ok()?;
        Some(match (item, &self.who) {
            (None, _) => true,
            (Some(FeedItem::Change(c)), Audience::Desk(desk)) => &c.desk == desk,
            (Some(FeedItem::Change(_)), Audience::Portal) => shown,
            // The provider's staff reload. Customers' Taskfire staff and contacts are not
            // told when the provider's store changed (nor made to reload); they have the
            // periodic refresh.
            (Some(FeedItem::Reload), Audience::Desk(desk)) => desk == "provider",
            (Some(FeedItem::Reload), Audience::Portal) => false,
        })
    }
}

fn feed_event(item: &FeedItem) -> Result<Event, axum::Error> {
    match item {
        FeedItem::Change(c) => Event::default().event("change").json_data(c),
        FeedItem::Reload => Ok(Event::default()
            .event("reload")
            .data("the store changed outside the server")),
    }
}
