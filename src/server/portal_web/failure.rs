//! The portal's failures as pages: a handler (or an extractor) answers a `PageError`;
//! the portal's middleware renders it with the desk's layout (it holds the state that an
//! extractor's rejection has not).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::Web;
use super::pages::{MessagePage, html};
use super::session::sign_in_path;
use crate::server::pool::PoolError;

#[derive(Debug)]
pub enum PageError {
    /// Not signed in, or the session ended: to the sign-in page, back to `then`.
    SignIn {
        then: Option<String>,
        expired: bool,
    },
    /// What the contact may not see is as missing as what does not exist (R6).
    NotFound,
    Refused {
        status: StatusCode,
        heading: String,
        text: String,
    },
    /// Too many sign-ins at once are being checked.
    Busy,
    Internal,
}

/// A failure on its way to the middleware.
#[derive(Debug, Clone)]
pub struct Failure {
    status: StatusCode,
    heading: String,
    text: String,
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
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        }
        res
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
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
            PageError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong".to_string(),
                "The portal could not do this; the service provider's log has the details. Try again later."
                    .to_string(),
            ),
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(Failure {
            status,
            heading,
            text,
        });
        res
    }
}

impl From<PoolError> for PageError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Engine(e) => PageError::from(e),
            PoolError::Stopping => PageError::Refused {
                status: StatusCode::SERVICE_UNAVAILABLE,
                heading: "Restarting".into(),
                text: "The portal is restarting. Try again in a moment.".into(),
            },
            PoolError::Failed(what) => {
                eprintln!("desk serve: portal: {what}");
                PageError::Internal
            }
        }
    }
}

/// An engine error that a page has no form field for.
impl From<desk_engine::Error> for PageError {
    fn from(e: desk_engine::Error) -> Self {
        use desk_engine::Error as E;
        match e {
            E::NotFound { .. } => PageError::NotFound,
            E::NotAllowed(m) => PageError::Refused {
                status: StatusCode::FORBIDDEN,
                heading: "Not allowed".into(),
                text: capitalize(&m),
            },
            E::Invalid { .. } | E::Conflict { .. } => PageError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                heading: "Not possible".into(),
                text: capitalize(&e.to_string()),
            },
            other => {
                eprintln!("desk serve: portal: {other}");
                PageError::Internal
            }
        }
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
