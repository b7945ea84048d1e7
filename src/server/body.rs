//! Request bodies (docs/serve.md, "Request bodies"). A body that says it is too large is
//! refused before a byte of it is read (413); every body has its own short deadline from
//! the end of its headers (408: nothing was applied, since nothing ran); and under
//! `/api/v1` the token is checked before the body is read, so a client without a valid
//! token cannot hold a connection open by sending a body slowly.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::AppState;
use super::auth::Bearer;
use super::error::ServeError;
use super::limits::Limits;
use crate::api::error::ErrorCode;

/// Requests carry small JSON documents (a ticket's description, a note); a body larger
/// than this is refused.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The largest body a request to `path` may have: the API's JSON documents, or a
/// portal form (which may carry a long note, percent-encoded).
pub fn limit_for(path: &str) -> usize {
    if super::portal_web::is_portal(path) {
        super::portal_web::FORM_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// 413, and the connection closes: the rest of the body is not read.
pub fn too_large(limit: usize) -> ServeError {
    ServeError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Invalid,
        format!(
            "the request body is over {} KiB; nothing was applied",
            limit / 1024
        ),
    )
    .closing()
}

/// 408, and the connection closes: the body never arrived whole, so nothing ran.
fn too_slow(limit: Duration) -> ServeError {
    ServeError::new(
        StatusCode::REQUEST_TIMEOUT,
        ErrorCode::Timeout,
        format!(
            "the request body did not arrive within {} s; nothing was applied",
            limit.as_secs_f64()
        ),
    )
    .closing()
}

/// Whether the request has a body to read at all.
fn has_body(req: &Request) -> bool {
    !req.body().is_end_stream()
}

/// App-wide, outside the routes: a declared `Content-Length` over the limit is refused
/// at once; any other body gets the deadline.
pub fn limit(limits: &Limits, req: Request) -> Result<Request, ServeError> {
    if !has_body(&req) {
        return Ok(req);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let limit = limit_for(req.uri().path());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(Watched::new(body, ()).within(limits.body_time));
    Ok(Request::from_parts(parts, body))
}

/// Under `/api/v1`: a request with a body shows a valid token first (401 without reading
/// the body), then its body is read whole, within the deadline and the size limit, before
/// the handler runs. The handler's own call checks the token again, with the work.
pub async fn authenticate_then_read(
    State(s): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    match read_after_auth(&s, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn read_after_auth(s: &AppState, req: Request) -> Result<Request, ServeError> {
    if !has_body(&req) {
        return Ok(req);
    }
    let Bearer(token) = Bearer::from_headers(req.headers())?;
    s.pool.read(token, |_, _| Ok(())).await?;
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|e| unreadable(&e, &s.limits, BODY_LIMIT))?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A body that could not be read whole (`e`, or one of its causes, says why): too slow
/// (408), over `limit` (413) or broken (400). The connection closes after each.
pub fn unreadable(
    e: &(dyn std::error::Error + 'static),
    limits: &Limits,
    limit: usize,
) -> ServeError {
    if find::<TimedOut>(e).is_some() {
        return too_slow(limits.body_time);
    }
    if find::<http_body_util::LengthLimitError>(e).is_some() {
        return too_large(limit);
    }
    ServeError::bad_request(format!(
        "the request body could not be read: {e}; nothing was applied"
    ))
    .closing()
}

/// The first error of type `E` in the chain of causes.
fn find<'a, E: std::error::Error + 'static>(
    mut e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a E> {
    loop {
        if let Some(found) = e.downcast_ref::<E>() {
            return Some(found);
        }
        e = e.source()?;
    }
}

/// The body did not arrive within its deadline.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub struct TimedOut(Duration);

/// A body passed on as it comes, that fails with `TimedOut` once its deadline (if it has
/// one) has passed, and holds `guard` until it is dropped: the deadline of a request
/// body, and the "busy" mark of an answer (listen.rs) until it has been sent.
pub struct Watched<G> {
    inner: Body,
    deadline: Option<(Pin<Box<tokio::time::Sleep>>, Duration)>,
    _guard: G,
}

impl<G> Watched<G> {
    pub fn new(inner: Body, guard: G) -> Self {
        Watched {
            inner,
            deadline: None,
            _guard: guard,
        }
    }

    pub fn within(mut self, limit: Duration) -> Self {
        self.deadline = Some((Box::pin(tokio::time::sleep(limit)), limit));
        self
    }
}

impl<G: Send + Unpin + 'static> HttpBody for Watched<G> {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if let Some((sleep, limit)) = &mut this.deadline
            && sleep.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Some(Err(axum::Error::new(TimedOut(*limit)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
