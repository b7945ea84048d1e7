//! `ServeError`: every failure of `desk serve`, and every refusal of `/api/` as the one
//! JSON shape (`api::error::ErrorBody`). The status follows what went wrong (docs/serve.md
//! has the table): 404 what the caller may not see, 403 what they may see but not do,
//! 401 without a valid token, 400 a path, query, header or body that does not parse, 422
//! a value that breaks a rule, 409 a stale version, 413/408 a body too large or too slow,
//! 429 over one of the server's limits, 503 the server cannot answer in time, 507 a full
//! disk. Engine errors map here directly; the server does not borrow the client's error.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::error::{ErrorBody, ErrorCode, ErrorDto};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ServeError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    field: Option<String>,
    /// 409 only: the ticket as it is now (docs/lists.md, "Conflicts").
    current: Option<Box<crate::api::TicketDto>>,
    /// Close the connection after the answer: the rest of the request was not read.
    close: bool,
}

impl ServeError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ServeError {
            status,
            code,
            message: message.into(),
            field: None,
            current: None,
            close: false,
        }
    }

    /// Names the input to blame (a body field, a query parameter, a header).
    pub fn field(mut self, name: impl Into<String>) -> Self {
        self.field = Some(name.into());
        self
    }

    /// The connection closes after this answer.
    pub fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    /// 400: a path, query, header or body that does not parse.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::Invalid, message)
    }

    /// 422: a value that parses but breaks a rule or a bound.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Invalid,
            message,
        )
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::NotAllowed, message)
    }

    /// 429: over one of the server's limits (docs/serve.md, "Limits").
    pub fn too_many(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::TooManyRequests,
            message,
        )
    }

    /// 503: the server cannot answer this now (stopping, or out of time).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            message,
        )
    }

    /// 507: the store's disk is full; the transaction was rolled back.
    pub fn disk_full() -> Self {
        Self::new(
            StatusCode::INSUFFICIENT_STORAGE,
            ErrorCode::DiskFull,
            "the server's disk is full; nothing was written (the operator must free space)",
        )
    }

    /// 500, with a message for clients; the details go to the operator's log.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            message,
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the connection closes after this answer.
    pub fn closes(&self) -> bool {
        self.close
    }

    /// The body of the answer.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDto {
                code: self.code,
                message: self.message.clone(),
                field: self.field.clone(),
                current: self.current.clone(),
            },
        }
    }
}

impl From<desk_engine::Error> for ServeError {
    fn from(e: desk_engine::Error) -> Self {
        use desk_engine::Error as E;
        if e.is_disk_full() {
            eprintln!("desk serve: the disk is full: {e}");
            return ServeError::disk_full();
        }
        // The engine's own text, as the local backend shows it: both report the same.
        let text = e.to_string();
        match e {
            E::NotFound { .. } => ServeError::not_found(text),
            E::Invalid { field, .. } => ServeError::invalid(text).field(field),
            E::NotAllowed(_) => ServeError::not_allowed(text),
            E::Conflict { current, .. } => {
                let mut e = ServeError::new(StatusCode::CONFLICT, ErrorCode::Conflict, text);
                e.current = Some(Box::new(crate::api::TicketDto::from(*current)));
                e
            }
            E::BadToken | E::TokenExpired { .. } | E::SignInFailed => {
                ServeError::unauthorized(text)
            }
            // A store that is missing, in the way or too new (when the server starts).
            E::Setup { .. } | E::NoStore(_) | E::StoreExists(_) | E::SchemaTooNew { .. } => {
                ServeError::invalid(text)
            }
            // The database cannot be reached now (PostgreSQL restarting, the network):
            // nothing was done; the client may try again (docs/postgres.md).
            E::Unavailable(_) => {
                eprintln!("desk serve: {text}");
                ServeError::unavailable(
                    "the database is unavailable; nothing was done, try again shortly",
                )
            }
            E::OverBudget { .. } | E::Store(_) | E::Database(_) | E::Retry(_) | E::Io { .. } => {
                // The details (SQL, paths) are for the operator, not for every client.
                eprintln!("desk serve: internal error: {text}");
                ServeError::internal(
                    "internal error in desk serve; the operator's log has the details",
                )
            }
        }
    }
}

impl IntoResponse for ServeError {
    fn into_response(self) -> Response {
        let (status, close) = (self.status, self.close);
        let mut res = (status, axum::Json(self.body())).into_response();
        // For the portal's pages, which say the same as a web page (docs/portal.md).
        res.extensions_mut().insert(self);
        let headers = res.headers_mut();
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"desk\""),
            );
        }
        if close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_text_and_field() {
        let e = ServeError::from(desk_engine::Error::invalid("title", "must not be blank"));
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body().error.field.as_deref(), Some("title"));
        assert_eq!(e.message(), "title: must not be blank");
        let e = ServeError::from(desk_engine::Error::BadToken);
        assert_eq!(
            (e.status(), e.code()),
            (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
        );
    }

    #[test]
    fn a_full_disk_is_507_saying_nothing_was_written() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full".into()),
        );
        let e = ServeError::from(desk_engine::Error::Store(full));
        assert_eq!(
            (e.status(), e.code()),
            (StatusCode::INSUFFICIENT_STORAGE, ErrorCode::DiskFull)
        );
        assert!(e.message().contains("nothing was written"), "{e}");
        let other = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            None,
        );
        let e = ServeError::from(desk_engine::Error::Store(other));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message().contains("SQLITE"), "{e}");
    }
}
