//! The live change feed (`GET /api/v1/events`) on the client side, behind
//! `Backend::changes`: only a remote desk has other people's changes to report.

use reqwest::{Client, Response};
use std::time::Duration;
use tokio::sync::mpsc;

use super::{CONNECT_TIMEOUT, MAX_REPLY, RemoteBackend, chain};
use crate::api::change::ChangeDto;
use crate::backend::{BResult, BackendError, ErrorKind};

/// The feed sends a keep-alive every 15 s; silence this long means the server is gone.
const FEED_SILENCE: Duration = Duration::from_secs(45);

/// One message of the live change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEvent {
    Changed(ChangeDto),
    /// The server dropped this many changes for a slow reader: reload everything.
    Lagged(u64),
    /// The store changed outside the server: reload everything.
    Reload,
}

impl RemoteBackend {
    /// Subscribes to the live change feed (`GET /api/v1/events`). The channel closes
    /// when the connection ends; the caller reconnects when it wants to.
    pub async fn subscribe(&self) -> BResult<mpsc::Receiver<FeedEvent>> {
        let feed = Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(FEED_SILENCE)
            .build()
            .map_err(|e| {
                BackendError::new(
                    ErrorKind::Internal,
                    format!("cannot start the HTTP client: {}", chain(&e)),
                )
            })?;
        let res = feed
            .get(self.url("events")?)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        if !res.status().is_success() {
            return self.decode::<()>(res).await.and(Err(BackendError::new(
                ErrorKind::Internal,
                "the change feed answered without an event stream",
            )));
        }
        let (tx, rx) = mpsc::channel(256);
        tokio::spawn(read_feed(res, tx));
        Ok(rx)
    }
}

/// Splits the event stream into events; stops when the server or the receiver goes.
async fn read_feed(mut res: Response, tx: mpsc::Sender<FeedEvent>) {
    let mut buf = String::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if let Some(ev) = parse_event(&block)
                && tx.send(ev).await.is_err()
            {
                return;
            }
        }
        if buf.len() > MAX_REPLY {
            return;
        }
    }
}

pub(super) fn parse_event(block: &str) -> Option<FeedEvent> {
    let mut name = "message";
    let mut data = String::new();
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            name = v.trim();
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push_str(v.trim_start());
        }
    }
    match name {
        "change" => serde_json::from_str(&data).ok().map(FeedEvent::Changed),
        "lagged" => data.trim().parse().ok().map(FeedEvent::Lagged),
        "reload" => Some(FeedEvent::Reload),
        _ => None,
    }
}
