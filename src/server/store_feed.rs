//! The change feed from the store's changes table (docs/postgres.md, "The changes
//! table"), for several `desk serve` on one PostgreSQL database: every change, made
//! through any server (or a `desk` command), is read from the table in the order the
//! store promises (no change skipped when transactions commit out of order) and passed
//! to this server's subscribers. A thread of its own waits for `NOTIFY desk_changes`, or
//! a second, then reads what is new.

use desk_engine::Engine;
use desk_store_pg::listen::Listener;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

use super::{FeedItem, ServeError};
use crate::api::change::ChangeDto;

/// The longest a change waits when its wake-up was lost (a reconnect).
const POLL: Duration = Duration::from_secs(1);
/// Changes read at a time.
const BATCH: i64 = 500;

pub fn start(
    url: &str,
    engine: Engine,
    changes: broadcast::Sender<FeedItem>,
    stop: watch::Receiver<bool>,
) -> Result<(), ServeError> {
    let url = url.to_string();
    std::thread::Builder::new()
        .name("desk-store-feed".into())
        .spawn(move || follow(&url, engine, &changes, &stop))
        .map_err(|e| ServeError::internal(format!("cannot start the change feed: {e}")))?;
    Ok(())
}

fn follow(
    url: &str,
    engine: Engine,
    changes: &broadcast::Sender<FeedItem>,
    stop: &watch::Receiver<bool>,
) {
    let mut listener = Listener::new(url);
    // Listening before the horizon is read: nothing committed after it goes unheard.
    let _ = listener.wait(Duration::ZERO);
    let mut cursor = loop {
        match engine.change_horizon() {
            Ok(c) => break c,
            Err(e) if *stop.borrow() => return drop(e),
            Err(e) => {
                eprintln!("desk serve: change feed: {e}");
                std::thread::sleep(POLL);
            }
        }
    };
    while !*stop.borrow() {
        loop {
            match engine.changes_since(cursor, BATCH) {
                Ok((batch, next)) => {
                    let more = batch.len() as i64 >= BATCH;
                    for c in batch {
                        // No subscribers is the normal case for a CLI-only team.
                        let _ = changes.send(FeedItem::Change(ChangeDto {
                            kind: c.kind,
                            number: c.number,
                            desk: c.desk,
                            version: c.version,
                            actor: c.actor,
                            at: c.at,
                        }));
                    }
                    cursor = next;
                    if !more {
                        break;
                    }
                }
                Err(e) => {
                    eprintln!("desk serve: change feed: {e}");
                    break;
                }
            }
        }
        if let Err(e) = listener.wait(POLL) {
            // The database is away: read again once it may be back.
            eprintln!("desk serve: change feed: {e}");
            std::thread::sleep(POLL);
        }
    }
}
