//! The accept loop. `axum::serve` sets no timer on hyper, so a client that sends its
//! headers slowly (or never) holds a connection forever; this loop serves each
//! connection with hyper's HTTP/1 builder, a timer and a header-read timeout, and shuts
//! down gracefully: stop accepting, let every connection finish its request in flight.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower_service::Service;

/// A client has this long to send a request's headers, on a new or a kept-alive connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at most; the next client waits in the listen backlog until one
/// closes, so a flood of idle connections cannot exhaust the file descriptors.
pub const MAX_CONNECTIONS: usize = 1024;
/// After a failed accept (out of file descriptors, say), wait before the next one rather
/// than spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `stop` turns true; returns once every connection
/// has finished.
pub async fn run(listener: TcpListener, app: Router, stop: watch::Receiver<bool>) {
    run_with(listener, app, stop, HEADER_TIMEOUT).await;
}

/// `run` with another header-read timeout (tests use less than `HEADER_TIMEOUT`).
pub async fn run_with(
    listener: TcpListener,
    app: Router,
    stop: watch::Receiver<bool>,
    header_timeout: Duration,
) {
    let mut conns = JoinSet::new();
    let mut stopping = stop.clone();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let (accepted, slot) = tokio::select! {
            a = async {
                // The semaphore is never closed, so acquiring only waits.
                let slot = slots.clone().acquire_owned().await.ok();
                (listener.accept().await, slot)
            } => a,
            _ = stopping.wait_for(|s| *s) => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("desk serve: cannot accept a connection: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        // Small JSON answers: send them now rather than wait for more to fill a packet.
        let _ = stream.set_nodelay(true);
        // Each request carries the client's address (the portal's sign-in limits count
        // failures per address), as axum's `ConnectInfo` would under `axum::serve`.
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut app = app.clone();
            async move { app.call(req).await }
        });
        let mut stop = stop.clone();
        conns.spawn(async move {
            let _slot = slot;
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = stop.wait_for(|s| *s) => conn.as_mut().graceful_shutdown(),
            }
            // A dropped or broken connection is the client's business, not the server's.
            let _ = conn.await;
        });
        // Forget connections that ended, so the set does not grow with every client.
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    while conns.join_next().await.is_some() {}
}
