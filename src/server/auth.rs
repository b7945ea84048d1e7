//! The bearer token of a request. Only its presence is checked here; whether it is valid
//! (and who it names) is decided by the engine in the same blocking call as the work, so
//! a request costs one trip to a pool engine.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::ApiError;
use crate::backend::{BackendError, ErrorKind};

pub struct Bearer(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let missing = || {
            ApiError::from(BackendError::new(
                ErrorKind::Unauthorized,
                "missing API token: send `Authorization: Bearer <token>` (make one with `desk token create LOGIN`)",
            ))
        };
        let value = parts.headers.get(AUTHORIZATION).ok_or_else(missing)?;
        let value = value.to_str().map_err(|_| missing())?;
        let (scheme, token) = value.trim().split_once(' ').ok_or_else(missing)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(missing());
        }
        Ok(Bearer(token.trim().to_string()))
    }
}
