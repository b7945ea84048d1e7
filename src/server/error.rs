//! Every failure of `/api/v1` as one JSON shape (`api::error::ErrorBody`) with a status
//! that follows the code: 404 what the caller may not see, 403 what they may see but not
//! do, 401 without a valid token, 422 a value that breaks a rule, 400 a body or query
//! that does not parse, 409 a stale version.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::error::{ErrorBody, ErrorDto};
use crate::backend::{BackendError, ErrorKind};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorDto,
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotAllowed => StatusCode::FORBIDDEN,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ApiError {
    fn new(status: StatusCode, kind: ErrorKind, message: String, field: Option<String>) -> Self {
        ApiError {
            status,
            body: ErrorDto {
                code: kind.code().to_string(),
                message,
                field,
                current: None,
            },
        }
    }

    /// A query string that does not parse (400), as axum's own query rejections.
    pub fn bad_query(message: impl std::fmt::Display) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorKind::Invalid,
            format!("query string: {message}"),
            None,
        )
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        let mut a = ApiError::new(status_of(e.kind), e.kind, e.message, None);
        a.body.current = e.current.map(|t| Box::new(crate::api::TicketDto::from(*t)));
        a
    }
}

impl From<desk_engine::Error> for ApiError {
    fn from(e: desk_engine::Error) -> Self {
        let field = match &e {
            desk_engine::Error::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        if matches!(
            e,
            desk_engine::Error::Store(_) | desk_engine::Error::Io { .. }
        ) {
            // The details (SQL, paths) are for the operator, not for every client.
            eprintln!("desk serve: internal error: {e}");
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorKind::Internal,
                "internal error in desk serve; the operator's log has the details".into(),
                None,
            );
        }
        // The same mapping as the local backend, so both report the same kind and text.
        let mut a = ApiError::from(BackendError::from(e));
        a.body.field = field;
        a
    }
}

/// A body that is not JSON is 400; JSON of the wrong shape is 422 and axum's text names
/// the field (it uses serde_path_to_error); too large is 413.
impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let text = r.body_text();
        ApiError::new(
            r.status(),
            ErrorKind::Invalid,
            format!("request body: {text}"),
            field_of(&text),
        )
    }
}

/// The field that axum's text blames: `...target type: due: invalid type...`, or the
/// name in backticks of a missing field (which has no path of its own).
fn field_of(text: &str) -> Option<String> {
    let rest = text.split_once("target type: ")?.1;
    if let Some(missing) = rest.strip_prefix("missing field `") {
        return missing.split('`').next().map(str::to_string);
    }
    let (path, _) = rest.split_once(": ")?;
    (!path.contains(' ')).then(|| path.to_string())
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorKind::Invalid,
            format!("query string: {}", r.body_text()),
            None,
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorKind::Invalid,
            format!("path: {}", r.body_text()),
            None,
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut res = (self.status, axum::Json(ErrorBody { error: self.body })).into_response();
        if unauthorized {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"desk\""),
            );
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn body_errors_name_the_field() {
        let t = "Failed to deserialize the JSON body into the target type: ";
        assert_eq!(
            field_of(&format!("{t}title: invalid type: integer `7`")).as_deref(),
            Some("title")
        );
        assert_eq!(
            field_of(&format!("{t}missing field `title` at line 1")).as_deref(),
            Some("title")
        );
        assert_eq!(
            field_of("Failed to parse the request body as JSON: EOF"),
            None
        );
    }
}
