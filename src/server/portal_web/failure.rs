//! The portal's failures as pages: a handler (or an extractor) answers a `PageError`;
//! the portal's middleware renders it with the desk's layout (it holds the state that an
//! extractor's rejection has not). A `ServeError` (the pool's, or one of desk serve's
//! limits outside the portal's routes) becomes the page that says the same.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::Web;
use super::pages::{MessagePage, html};
use super::session::sign_in_path;
use crate::server::ServeError;

#[derive(Debug)]
pub enum PageError {
    /// Not signed in, or the session ended: to the sign-in page, back to `then`.
    SignIn { then: Option<String>, expired: bool },
    /// What the contact may not see is as missing as what does not exist (R6).
    NotFound,
    Refused {
        status: StatusCode,
        heading: String,
        text: String,
    },
    /// Too many sign-ins at once are being checked.
    Busy,
    /// One of desk serve's refusals (a limit, a full disk, the engine's error).
    Serve(ServeError),
}

/// A failure on its way to the middleware.
#[derive(Debug, Clone)]
pub struct Failure {
    status: StatusCode,
    heading: String,
    text: String,
    /// The connection closes after the page (the rest of a body was not read).
    close: bool,
}

impl Failure {
    pub fn render(self, web: &Web) -> Response {
        let page = MessagePage {
            page: web.layout(None, ""),
            heading: self.heading,
            text: self.text,
            link_href: "/portal/tickets",
            link_text: "Go to my tickets",
        };
        let mut res = html(self.status, &page);
        let h = res.headers_mut();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            h.insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        }
        if self.close {
            h.insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
        }
        res
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut close = false;
        let (status, heading, text) = match self {
            PageError::SignIn { then, expired } => {
                return Redirect::to(&sign_in_path(then.as_deref(), expired)).into_response();
            }
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found".to_string(),
                "There is no such page or ticket here, or it is not one of yours.".to_string(),
            ),
            PageError::Refused {
                status,
                heading,
                text,
            } => (status, heading, text),
            PageError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy".to_string(),
                "The portal is checking many sign-ins at once. Wait a few seconds and try again."
                    .to_string(),
            ),
            PageError::Serve(e) => {
                close = e.closes();
                serve_page(&e)
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(Failure {
            status,
            heading,
            text,
            close,
        });
        res
    }
}

fn internal() -> (StatusCode, String, String) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong".to_string(),
        "The portal could not do this; the service provider's log has the details. Try again later."
            .to_string(),
    )
}

/// A `ServeError` as a page: its status, a heading for it, and its message as a
/// sentence (500s say no more than that something went wrong).
fn serve_page(e: &ServeError) -> (StatusCode, String, String) {
    let status = e.status();
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "Changed meanwhile",
        StatusCode::REQUEST_TIMEOUT => "The form did not arrive in time",
        StatusCode::PAYLOAD_TOO_LARGE => "Too much to send",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        StatusCode::INSUFFICIENT_STORAGE => "Nothing was saved",
        s if s.is_client_error() => "Not possible",
        _ => return internal(),
    };
    // desk serve's words for a body are an API's; these are a person's.
    let text = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "The form holds more than the portal takes ({} KiB), so nothing was saved. Go back (what you typed is still there), shorten it and send it again.",
            super::FORM_LIMIT / 1024
        ),
        StatusCode::REQUEST_TIMEOUT => "The form did not arrive whole in time, so nothing was saved. Go back (what you typed is still there) and send it again.".to_string(),
        _ => capitalize(e.message()),
    };
    (status, heading.to_string(), text)
}

impl From<ServeError> for PageError {
    fn from(e: ServeError) -> Self {
        if e.status() == StatusCode::NOT_FOUND {
            // Whatever the engine said: a page of its own, the same for every kind.
            return PageError::NotFound;
        }
        PageError::Serve(e)
    }
}

/// An engine error that a page has no form field for, as desk serve answers it (a full
/// disk is a 507, the details of a store error go to the log).
impl From<desk_engine::Error> for PageError {
    fn from(e: desk_engine::Error) -> Self {
        PageError::from(ServeError::from(e))
    }
}

/// An engine message as a sentence.
pub fn capitalize(m: &str) -> String {
    let mut c = m.chars();
    let mut out: String = c
        .next()
        .map(|f| f.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(c.as_str());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}
