//! Following the server's change feed for as long as the app runs. The feed may end (the
//! server restarts, the network drops, a proxy times the stream out); the TUI then
//! connects again with a bounded backoff, and asks for a refresh once it is back, since
//! changes made while it was away were not seen.

use std::sync::Arc;
use std::time::Duration;

use crate::backend::Backend;

/// The first wait before connecting again, doubled after each failure up to `RETRY_MAX`.
pub const RETRY_MIN: Duration = Duration::from_millis(250);
pub const RETRY_MAX: Duration = Duration::from_secs(10);

/// Calls `changed` for every change the feed reports and once after each reconnection;
/// returns when `changed` says nobody listens any more, or at once where there is no
/// feed (a local store: the periodic refresh is all there is).
pub async fn follow(backend: Arc<dyn Backend>, mut changed: impl FnMut() -> bool) {
    let mut wait = RETRY_MIN;
    let mut missed = false;
    loop {
        match backend.changes().await {
            Ok(None) => return,
            Ok(Some(mut changes)) => {
                wait = RETRY_MIN;
                if missed && !changed() {
                    return;
                }
                while changes.recv().await.is_some() {
                    if !changed() {
                        return;
                    }
                }
            }
            Err(_) => {}
        }
        missed = true;
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RETRY_MAX);
    }
}
