//! The HTTP parser's own refusals in the one JSON error shape. hyper answers a request it
//! cannot parse (a bad request line or header, headers too large, a URI too long) itself,
//! with a bare status and no body, and offers no hook to say more. Its answer is the only
//! 4xx/5xx on a connection without a `content-type` (every answer of desk's routes has
//! one), so this stream recognises it as it is written and sends the JSON answer instead;
//! hyper closes the connection right after.

use axum::http::StatusCode;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::api::error::ErrorCode;
use crate::server::error::ServeError;

pub struct Rewrite {
    inner: TcpStream,
    /// hyper's own answer was replaced: what is left of ours to send, then nothing more.
    replaced: Option<(Vec<u8>, usize)>,
}

impl Rewrite {
    pub fn new(inner: TcpStream) -> Rewrite {
        Rewrite {
            inner,
            replaced: None,
        }
    }

    /// Writes what is left of the replacement; `Ready` once all of it is out.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some((bytes, sent)) = &mut self.replaced {
            while *sent < bytes.len() {
                let n =
                    std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*sent..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *sent += n;
            }
        }
        Poll::Ready(Ok(()))
    }

    /// `buf` is claimed written: either replaced (hyper's own refusal) or passed on.
    fn intercept(&mut self, buf: &[u8]) -> bool {
        if self.replaced.is_none()
            && let Some(status) = parser_refusal(buf)
        {
            self.replaced = Some((answer(&refusal(status)), 0));
        }
        self.replaced.is_some()
    }
}

/// The status of hyper's own error answer, if `head` is one.
fn parser_refusal(head: &[u8]) -> Option<StatusCode> {
    let rest = head.strip_prefix(b"HTTP/1.1 ")?;
    let code = std::str::from_utf8(rest.get(..3)?)
        .ok()?
        .parse::<u16>()
        .ok()?;
    let status = StatusCode::from_u16(code).ok()?;
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    let lower = head[..end].to_ascii_lowercase();
    let typed = lower.windows(14).any(|w| w == b"\ncontent-type:");
    (!typed).then_some(status)
}

/// What each of hyper's refusals means to the client.
fn refusal(status: StatusCode) -> ServeError {
    let message = match status {
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "the request's headers are too large (64 KiB at most, all together)".to_string()
        }
        StatusCode::URI_TOO_LONG => "the request's path and query are too long".to_string(),
        StatusCode::BAD_REQUEST => {
            "the request is not HTTP/1.1 that desk serve can read: its request line or a header is malformed (a path must be ASCII, percent-encoded)".to_string()
        }
        other => format!("the request could not be read as HTTP/1.1 ({other})"),
    };
    ServeError::new(status, ErrorCode::Invalid, message)
}

/// A whole HTTP/1.1 answer carrying `e`, for places where no router runs: this stream,
/// and a connection refused at the door. It closes the connection.
pub fn answer(e: &ServeError) -> Vec<u8> {
    let body = serde_json::to_vec(&e.body()).unwrap_or_default();
    let status = e.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

impl AsyncRead for Rewrite {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewrite {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.intercept(buf) {
            std::task::ready!(this.drain(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // hyper writes a head as one slice, so the first slice tells.
        if bufs.first().is_some_and(|b| this.intercept(b)) {
            std::task::ready!(this.drain(cx))?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::parser_refusal;

    #[test]
    fn only_untyped_error_heads_are_the_parsers() {
        let hyper_400 = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(parser_refusal(hyper_400).map(|s| s.as_u16()), Some(400));
        let ours = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\ncontent-length: 9\r\n\r\n{\"a\": 1}";
        assert_eq!(parser_refusal(ours), None);
        let deleted = b"HTTP/1.1 204 No Content\r\ndate: x\r\n\r\n";
        assert_eq!(parser_refusal(deleted), None);
        assert_eq!(parser_refusal(b"HTTP/1.1 100 Continue\r\n\r\n"), None);
        assert_eq!(parser_refusal(b"{\"HTTP/1.1 400\": 1}"), None);
    }
}
