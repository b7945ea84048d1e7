//! The accept loop (docs/serve.md, "Limits"). `axum::serve` sets no timer on hyper and
//! counts nothing, so this loop serves each connection with hyper's HTTP/1 builder itself:
//! - a connection is admitted by `Conns` (per-address and global caps; when full, an idle
//!   connection of the busiest address makes room), or refused with a 429 at the door;
//! - a new connection must send a whole request head within `first_request_time`, and a
//!   kept-alive one its next within `idle_time` (hyper's header-read timer, which starts
//!   when the connection goes idle);
//! - each request marks its connection busy until its answer has been sent, and finds
//!   the connection (`ConnRef`) in its extensions, for the change feed's own counts;
//! - the HTTP parser's refusals are rewritten into the JSON error shape (rewrite.rs);
//! - on stop: no more accepting, every connection finishes the request in flight.

pub mod conns;
mod rewrite;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service;

use super::body::Watched;
use super::limits::Limits;
use conns::{Admission, ConnGuard, Conns};

/// After a failed accept (out of file descriptors, say), wait before the next one rather
/// than spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// The read buffer of a connection, and so the most its request head may take: it bounds
/// the memory an idle flood can hold (hyper's default is about 400 KiB).
const MAX_HEAD: usize = 64 * 1024;

/// Serves `app` on `listener` until `stop` turns true; returns once every connection
/// has finished.
pub async fn run(
    listener: TcpListener,
    app: Router,
    conns: Arc<Conns>,
    stop: watch::Receiver<bool>,
) {
    let limits = conns.limits().clone();
    let mut tasks = JoinSet::new();
    let mut stopping = stop.clone();
    loop {
        let accepted = tokio::select! {
            a = async {
                conns.room().await;
                listener.accept().await
            } => a,
            _ = stopping.wait_for(|s| *s) => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                eprintln!("desk serve: cannot accept a connection: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        match conns.admit(peer.ip()) {
            Admission::Admitted(guard) => {
                let (app, limits, stop) = (app.clone(), limits.clone(), stop.clone());
                tasks.spawn(serve_connection(stream, peer, guard, app, limits, stop));
            }
            Admission::Refused(e) => refuse(stream, &rewrite::answer(&e)),
        }
        // Forget connections that ended, so the set does not grow with every client.
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    while tasks.join_next().await.is_some() {}
}

/// Answers a connection refused at the door and closes it, without a task or a wait: a
/// refused flood must cost as little as can be. Whatever the client sent already is read
/// first, so that closing does not reset the connection before the answer is read; the
/// answer fits the new connection's empty send buffer.
fn refuse(stream: TcpStream, answer: &[u8]) {
    let mut sink = [0u8; 4096];
    let _ = stream.try_read(&mut sink);
    let _ = stream.try_write(answer);
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    guard: ConnGuard,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    // Small JSON answers: send them now rather than wait for more to fill a packet.
    let _ = stream.set_nodelay(true);
    let conn_ref = guard.conn.clone();
    let shared = guard.shared.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let busy = conn_ref.begin(&shared);
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(conn_ref.clone());
        req.extensions_mut().insert(peer);
        let answer = app.clone().call(req);
        async move {
            let res: Response<Body> = match answer.await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            // The request counts as in progress until its answer has been sent.
            Ok::<_, Infallible>(res.map(|b| Body::new(Watched::new(b, busy))))
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_time)
        .max_buf_size(MAX_HEAD);
    let io = TokioIo::new(rewrite::Rewrite::new(stream));
    let mut conn = pin!(builder.serve_connection(io, service));
    let first = tokio::time::sleep(limits.first_request_time);
    let mut first = pin!(first);
    let mut first_checked = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = first.as_mut(), if !first_checked => {
                first_checked = true;
                // No request head in time: closed (no request was answered, so nothing
                // is cut short).
                if !guard.shared.served.load(Ordering::Relaxed) {
                    return;
                }
            }
            _ = guard.shared.shed.notified() => break,
            _ = stop.wait_for(|s| *s) => break,
        }
    }
    // Idle connections close at once; one with a request in flight finishes it first.
    conn.as_mut().graceful_shutdown();
    // A dropped or broken connection is the client's business, not the server's.
    let _ = conn.await;
}
