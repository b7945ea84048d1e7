//! The same operations over HTTP against `desk serve` (docs/architecture.md). Every answer is decoded
//! from the wire types of `api` and checked; an error from the server keeps its code, so
//! a caller cannot tell this backend from the local one except by speed.
//!
//! Only idempotent GETs are retried, and only when the server could not be reached (or a
//! proxy in front of it answered 502/504): a write that may have been applied is never
//! sent twice.

use async_trait::async_trait;
use desk_engine::model::*;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

mod feed;

pub use feed::FeedEvent;

use super::{BResult, Backend, BackendError, ErrorKind};
use crate::api::catalog::{ActorDto, CatalogDto};
use crate::api::error::ErrorBody;
use crate::api::request::*;
use crate::api::{CountDto, NotificationDto, PageDto, TicketDto};

pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A little above the server's own 30 s limit, so that its answer arrives first.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(35);
/// Retries of a GET after the first try; waits double from `FIRST_BACKOFF`.
const GET_RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// A reply larger than this is refused rather than held in memory (docs/serve.md).
pub(super) const MAX_REPLY: usize = 32 * 1024 * 1024;
pub struct RemoteBackend {
    client: Client,
    /// `URL/api/v1/`, ready to join relative paths onto.
    api: Url,
    /// The URL as the user typed it, for error messages.
    shown: String,
    token: String,
}

fn tls_provider() {
    // reqwest is built without a default crypto provider (no aws-lc); ring is the one.
    // An error only says that one is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn invalid(m: String) -> BackendError {
    BackendError::new(ErrorKind::Invalid, m)
}

/// The error and its causes on one line: reqwest's own text alone hides the reason.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl RemoteBackend {
    pub fn new(url: &str, token: &str) -> BResult<Self> {
        tls_provider();
        let mut base = Url::parse(url.trim())
            .map_err(|e| invalid(format!("--remote \"{url}\" is not a URL ({e})")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "--remote \"{url}\" must start with http:// or https://"
            )));
        }
        if token.trim().is_empty() {
            return Err(invalid(
                "--token is empty; make one with `desk token create LOGIN` on the server".into(),
            ));
        }
        let path = format!("{}/api/v1/", base.path().trim_end_matches('/'));
        base.set_path(&path);
        let client = Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| {
                BackendError::new(
                    ErrorKind::Internal,
                    format!("cannot start the HTTP client: {}", chain(&e)),
                )
            })?;
        Ok(RemoteBackend {
            client,
            api: base,
            shown: url.trim().to_string(),
            token: token.trim().to_string(),
        })
    }

    pub(super) fn url(&self, path: &str) -> BResult<Url> {
        self.api
            .join(path)
            .map_err(|e| invalid(format!("bad request path \"{path}\": {e}")))
    }

    /// A ticket number as one path segment (numbers contain dots, never slashes, but a
    /// typed one could).
    fn ticket_path(&self, prefix: &str, number: &str, suffix: &str) -> BResult<Url> {
        let mut url = self.url(prefix)?;
        url.path_segments_mut()
            .map_err(|_| invalid(format!("--remote \"{}\" cannot take a path", self.shown)))?
            .pop_if_empty()
            .push(number.trim())
            .extend(suffix.split('/').filter(|s| !s.is_empty()));
        Ok(url)
    }

    /// `url` with a ticket query (repeated keys for lists, which reqwest's own `query`
    /// cannot write).
    fn with_query(&self, mut url: Url, q: &TicketQuery) -> BResult<Url> {
        let text = q.to_query_string().map_err(|e| {
            BackendError::new(ErrorKind::Internal, format!("cannot write the query: {e}"))
        })?;
        url.set_query((!text.is_empty()).then_some(text.as_str()));
        Ok(url)
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.client.request(method, url).bearer_auth(&self.token)
    }

    pub(super) fn unreachable(&self, e: &reqwest::Error) -> BackendError {
        BackendError::new(
            ErrorKind::Unavailable,
            format!("cannot reach desk serve at {}: {}", self.shown, chain(e)),
        )
    }

    /// A GET, retried with a bounded backoff (0.2 + 0.4 + 0.8 s) while the server is
    /// unreachable.
    async fn get<T: DeserializeOwned>(&self, url: Url, query: &impl Serialize) -> BResult<T> {
        let mut wait = FIRST_BACKOFF;
        let mut tries = 0;
        loop {
            let sent = self
                .request(Method::GET, url.clone())
                .query(query)
                .send()
                .await;
            let retry = match &sent {
                Err(e) => e.is_connect(),
                // A proxy in front of a restarting server. desk serve's own 503 means the
                // request ran out of time: asking again would only wait as long again.
                Ok(r) => matches!(
                    r.status(),
                    StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT
                ),
            };
            if retry && tries < GET_RETRIES {
                tries += 1;
                tokio::time::sleep(wait).await;
                wait *= 2;
                continue;
            }
            let res = sent.map_err(|e| self.unreachable(&e))?;
            return self.decode(res).await;
        }
    }

    /// A write: sent once, never retried.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: &impl Serialize,
    ) -> BResult<T> {
        let res = self
            .request(method, url)
            .json(body)
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        self.decode(res).await
    }

    async fn read_body(&self, mut res: Response) -> BResult<Vec<u8>> {
        let mut buf = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| self.unreachable(&e))? {
            if buf.len() + chunk.len() > MAX_REPLY {
                return Err(BackendError::new(
                    ErrorKind::Internal,
                    format!(
                        "desk serve at {} sent a reply over {MAX_REPLY} bytes",
                        self.shown
                    ),
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf)
    }

    pub(super) async fn decode<T: DeserializeOwned>(&self, res: Response) -> BResult<T> {
        let status = res.status();
        let bytes = self.read_body(res).await?;
        if status.is_success() {
            let bytes = if bytes.is_empty() {
                &b"null"[..]
            } else {
                &bytes[..]
            };
            return serde_json::from_slice(bytes).map_err(|e| {
                BackendError::new(
                    ErrorKind::Internal,
                    format!("desk serve at {} sent a reply this desk cannot read ({e}); are both the same version?", self.shown),
                )
            });
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(b) => Err(BackendError {
                kind: ErrorKind::from(b.error.code),
                message: b.error.message,
                current: b.error.current.map(|t| Box::new(Ticket::from(*t))),
            }),
            Err(_) => {
                let kind = if status.is_server_error() {
                    ErrorKind::Unavailable
                } else {
                    ErrorKind::Internal
                };
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
                Err(BackendError::new(
                    kind,
                    format!(
                        "{} answered HTTP {status}, not as desk serve would: {text}",
                        self.shown
                    ),
                ))
            }
        }
    }
}

fn ticket(t: TicketDto) -> Ticket {
    t.into()
}

fn page(p: PageDto<TicketDto>) -> Page<Ticket> {
    Page {
        items: p.items.into_iter().map(ticket).collect(),
        next: p.next,
    }
}

/// No query string.
const NONE: &[(&str, &str)] = &[];

#[async_trait]
impl Backend for RemoteBackend {
    async fn whoami(&self) -> BResult<Actor> {
        let a: ActorDto = self.get(self.url("me")?, &NONE).await?;
        Actor::try_from(a).map_err(|m| BackendError::new(ErrorKind::Internal, m))
    }
    async fn catalog(&self) -> BResult<Catalog> {
        let c: CatalogDto = self.get(self.url("catalog")?, &NONE).await?;
        Catalog::try_from(c).map_err(|m| BackendError::new(ErrorKind::Internal, m))
    }
    async fn list_tickets(&self, filter: TicketFilter, p: PageRequest) -> BResult<Page<Ticket>> {
        let url = self.with_query(self.url("tickets")?, &TicketQuery::new(filter, p))?;
        Ok(page(self.get(url, &NONE).await?))
    }
    async fn count_tickets(&self, filter: TicketFilter) -> BResult<u64> {
        let url = self.with_query(self.url("tickets/count")?, &TicketQuery::filter(filter))?;
        let c: CountDto = self.get(url, &NONE).await?;
        Ok(c.count)
    }
    async fn mark_seen(&self, number: String) -> BResult<()> {
        let url = self.ticket_path("tickets", &number, "seen")?;
        self.send::<Option<()>>(Method::POST, url, &NONE)
            .await
            .map(|_| ())
    }
    async fn ticket(&self, number: String) -> BResult<Ticket> {
        Ok(ticket(
            self.get(self.ticket_path("tickets", &number, "")?, &NONE)
                .await?,
        ))
    }
    async fn create_ticket(&self, new: NewTicket) -> BResult<Ticket> {
        let body = NewTicketDto::from(new);
        Ok(ticket(
            self.send(Method::POST, self.url("tickets")?, &body).await?,
        ))
    }
    async fn update_ticket(&self, number: String, change: TicketChange) -> BResult<Ticket> {
        let body = TicketChangeDto::from(change);
        let url = self.ticket_path("tickets", &number, "")?;
        Ok(ticket(self.send(Method::PATCH, url, &body).await?))
    }
    async fn delete_ticket(&self, number: String, expected_version: Option<i64>) -> BResult<()> {
        let mut url = self.ticket_path("tickets", &number, "")?;
        if let Some(v) = expected_version {
            url.query_pairs_mut()
                .append_pair("expected_version", &v.to_string());
        }
        let res = self
            .request(Method::DELETE, url)
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        self.decode::<Option<()>>(res).await.map(|_| ())
    }
    async fn add_note(&self, number: String, text: String, publish: bool) -> BResult<Ticket> {
        let url = self.ticket_path("tickets", &number, "notes")?;
        Ok(ticket(
            self.send(Method::POST, url, &NoteRequest { text, publish })
                .await?,
        ))
    }
    async fn create_series(&self, new: NewSeries) -> BResult<Vec<Ticket>> {
        let body = NewSeriesDto::from(new);
        let list: Vec<TicketDto> = self.send(Method::POST, self.url("series")?, &body).await?;
        Ok(list.into_iter().map(ticket).collect())
    }
    async fn taskfire_assign(&self, number: String, assign: TaskfireAssign) -> BResult<Ticket> {
        let url = self.ticket_path("tickets", &number, "taskfire/assign")?;
        Ok(ticket(
            self.send(Method::POST, url, &TaskfireAssignDto::from(assign))
                .await?,
        ))
    }
    async fn taskfire_complete(
        &self,
        number: String,
        note: Option<String>,
        expected_version: Option<i64>,
    ) -> BResult<Ticket> {
        let url = self.ticket_path("tickets", &number, "taskfire/complete")?;
        let body = TaskfireActionRequest {
            note,
            expected_version,
        };
        Ok(ticket(self.send(Method::POST, url, &body).await?))
    }
    async fn taskfire_ask(&self, number: String, note: String) -> BResult<Ticket> {
        let url = self.ticket_path("tickets", &number, "taskfire/ask")?;
        let body = TaskfireNoteRequest { note: Some(note) };
        Ok(ticket(self.send(Method::POST, url, &body).await?))
    }
    async fn taskfire_escalate(
        &self,
        number: String,
        note: String,
        expected_version: Option<i64>,
    ) -> BResult<Ticket> {
        let url = self.ticket_path("tickets", &number, "taskfire/escalate")?;
        let body = TaskfireActionRequest {
            note: Some(note),
            expected_version,
        };
        Ok(ticket(self.send(Method::POST, url, &body).await?))
    }
    async fn portal_submit(&self, submit: PortalSubmit) -> BResult<Ticket> {
        let body = PortalSubmitDto::from(submit);
        Ok(ticket(
            self.send(Method::POST, self.url("portal/tickets")?, &body)
                .await?,
        ))
    }
    async fn portal_list(&self, f: PortalFilter, p: PageRequest) -> BResult<Page<Ticket>> {
        let q = PortalQuery::new(f, p);
        Ok(page(self.get(self.url("portal/tickets")?, &q).await?))
    }
    async fn portal_show(&self, number: String) -> BResult<Ticket> {
        let url = self.ticket_path("portal/tickets", &number, "")?;
        Ok(ticket(self.get(url, &NONE).await?))
    }
    async fn portal_note(&self, number: String, text: String) -> BResult<Ticket> {
        let url = self.ticket_path("portal/tickets", &number, "notes")?;
        let body = PortalNoteRequest { text };
        Ok(ticket(self.send(Method::POST, url, &body).await?))
    }
    async fn notifications(&self, p: PageRequest) -> BResult<Page<Notification>> {
        let q = PageQuery::from(p);
        let p: PageDto<NotificationDto> = self.get(self.url("notifications")?, &q).await?;
        Ok(Page {
            items: p.items.into_iter().map(Notification::from).collect(),
            next: p.next,
        })
    }
    async fn changes(&self) -> BResult<Option<tokio::sync::mpsc::Receiver<FeedEvent>>> {
        self.subscribe().await.map(Some)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests;
