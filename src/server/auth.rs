//! The bearer token of a request. Only its form is checked here; whether it is valid (and
//! who it names) is decided by the engine in the same blocking call as the work, so a
//! request costs one trip to a pool engine (a request with a body is the exception: its
//! token is checked before the body is read, docs/serve.md "Request bodies").

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::error::ServeError;

pub struct Bearer(pub String);

impl Bearer {
    /// The token of `Authorization: Bearer <token>`: 401 without one, 400 for two
    /// `Authorization` headers (which of them would count is anybody's guess).
    pub fn from_headers(headers: &HeaderMap) -> Result<Bearer, ServeError> {
        let missing = || {
            ServeError::unauthorized(
                "missing API token: send `Authorization: Bearer <token>` (make one with `desk token create LOGIN`)",
            )
        };
        let mut all = headers.get_all(AUTHORIZATION).iter();
        let value = all.next().ok_or_else(missing)?;
        let more = all.count();
        if more > 0 {
            return Err(ServeError::bad_request(format!(
                "authorization: the request has {} Authorization headers; send exactly one",
                more + 1
            ))
            .field("authorization"));
        }
        let value = value.to_str().map_err(|_| missing())?;
        let (scheme, token) = value.trim().split_once(' ').ok_or_else(missing)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(missing());
        }
        Ok(Bearer(token.trim().to_string()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ServeError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ServeError> {
        Bearer::from_headers(&parts.headers)
    }
}
