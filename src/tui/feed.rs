//! Following the server's change feed for as long as the app runs. The feed may end (the
//! server restarts, the network drops, a proxy times the stream out); the TUI then
//! connects again with a bounded backoff, and asks for a refresh once it is back, since
//! changes made while it was away were not seen.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::backend::{Backend, ErrorKind};

/// The first wait before connecting again, doubled after each failure up to `RETRY_MAX`.
pub const RETRY_MIN: Duration = Duration::from_millis(250);
pub const RETRY_MAX: Duration = Duration::from_secs(10);

/// A connection that lasted this long (or brought a change) was a working one: the next
/// failure starts the backoff from `RETRY_MIN` again. One that ends at once (a proxy that
/// does not pass event streams on) keeps backing off, so it cannot make the TUI reconnect
/// and reload four times a second.
pub const STEADY: Duration = Duration::from_secs(30);

/// Calls `changed` for every change the feed reports and once after each reconnection;
/// returns when `changed` says nobody listens any more, at once where there is no feed
/// (a local store: the periodic refresh is all there is), or when the server refuses the
/// token (revoked or expired: every other request says so too) or the feed itself (a
/// contact whose portal is off): retrying cannot help.
// The TUI follows with a status; the server's tests follow without.
#[cfg_attr(not(test), allow(dead_code))]
pub async fn follow(backend: Arc<dyn Backend>, changed: impl FnMut() -> bool) {
    follow_with_status(backend, changed, |_| true).await
}

/// `follow`, also telling `status` when the connection is lost (`false`, after a failed
/// attempt) and when it is back (`true`): the TUI shows an indicator meanwhile.
pub async fn follow_with_status(
    backend: Arc<dyn Backend>,
    mut changed: impl FnMut() -> bool,
    mut status: impl FnMut(bool) -> bool,
) {
    let mut wait = RETRY_MIN;
    let mut missed = false;
    loop {
        match backend.changes().await {
            Ok(None) => return,
            Ok(Some(mut changes)) => {
                let opened = Instant::now();
                if missed && (!status(true) || !changed()) {
                    return;
                }
                let mut heard = false;
                while changes.recv().await.is_some() {
                    heard = true;
                    if !changed() {
                        return;
                    }
                }
                if heard || opened.elapsed() >= STEADY {
                    wait = RETRY_MIN;
                }
                // The feed ended: lost until a connection works again.
                if !status(false) {
                    return;
                }
            }
            Err(e) if matches!(e.kind, ErrorKind::Unauthorized | ErrorKind::NotAllowed) => return,
            Err(_) => {
                if !status(false) {
                    return;
                }
            }
        }
        missed = true;
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RETRY_MAX);
    }
}
