//! The extractors of `/api/v1` handlers: JSON bodies, query strings and path parameters,
//! each refused as a `ServeError` that names the input to blame (axum's own extractors
//! answer in plain text and often name nothing). Bodies and queries are read with
//! `serde_path_to_error`, so a wrong value deep in a document is named by its path.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ServeError;
use crate::api::error::ErrorCode;

/// A JSON request body (`Content-Type: application/json`).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ServeError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ServeError> {
        if !is_json(req.headers()) {
            return Err(ServeError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::Invalid,
                "the request body must be JSON, sent with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(ctype) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ctype.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence
            .rsplit_once('+')
            .is_some_and(|(_, suffix)| suffix.eq_ignore_ascii_case("json"))
}

fn body_rejection(r: BytesRejection) -> ServeError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return super::body::too_large(super::body::BODY_LIMIT);
    }
    ServeError::bad_request(format!(
        "the request body could not be read: {}",
        r.body_text()
    ))
    .closing()
}

/// Parses a JSON document: 400 if it is not JSON, 422 naming the field if it is JSON of
/// the wrong shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ServeError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let refusal =
                ServeError::invalid(format!("request body: {}", with_path(&path, &inner)));
            match field_named(&path, &inner.to_string()) {
                Some(f) => refusal.field(f),
                None => refusal,
            }
        } else {
            ServeError::bad_request(format!("the request body is not JSON: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| ServeError::bad_request(format!("the request body is not JSON: {e}")))?;
    Ok(value)
}

/// `title: invalid type...`, or the message alone when the document as a whole is wrong.
fn with_path(path: &str, e: &dyn std::fmt::Display) -> String {
    if path == "." {
        e.to_string()
    } else {
        format!("{path}: {e}")
    }
}

/// The input to blame: the path of the value that failed, or for an error about the
/// document as a whole, the field it names (`missing field `title``, `unknown field
/// `stauts``, `duplicate field `title``). Nothing for a wrong type of the whole.
fn field_named(path: &str, message: &str) -> Option<String> {
    for what in ["missing field `", "unknown field `", "duplicate field `"] {
        if let Some(rest) = message.split_once(what) {
            let name = rest.1.split('`').next()?;
            // An unknown field's path is already the field; a missing one's is the
            // object it is missing from.
            let already = path == name || path.ends_with(&format!(".{name}"));
            return Some(match path {
                "." => name.to_string(),
                p if already => p.to_string(),
                p => format!("{p}.{name}"),
            });
        }
    }
    (path != "." && !path.starts_with('[')).then(|| path.to_string())
}

/// A query string, every parameter known to `T`; values must be UTF-8 once decoded.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ServeError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ServeError> {
        let raw = parts.uri.query().unwrap_or("");
        check_utf8(raw)?;
        // serde_html_form: repeated keys (`status=a&status=b`) fill a list.
        let de = serde_html_form::Deserializer::from_bytes(raw.as_bytes());
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let refusal =
                    ServeError::bad_request(format!("query string: {}", with_path(&path, &inner)));
                match field_named(&path, &inner.to_string()) {
                    Some(f) => refusal.field(f),
                    None => refusal,
                }
            })
    }
}

/// Form decoding replaces bytes that are not UTF-8 with U+FFFD without a word; desk
/// refuses them instead, naming the parameter.
fn check_utf8(raw: &str) -> Result<(), ServeError> {
    for pair in raw.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded_key = percent_encoding::percent_decode_str(key).decode_utf8();
        let name = decoded_key.as_deref().unwrap_or("?").to_string();
        let value_ok = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .is_ok();
        if decoded_key.is_err() || !value_ok {
            return Err(ServeError::bad_request(format!(
                "query string: {name}: the value is not UTF-8 text once percent-decoded"
            ))
            .field(name));
        }
    }
    Ok(())
}

/// The parameters of a route's path (`{number}`), which must be UTF-8 once decoded.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ServeError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ServeError> {
        use axum::extract::path::ErrorKind as K;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let text = e.body_text();
                Err(match e.into_kind() {
                    K::InvalidUtf8InPathParam { key } => ServeError::bad_request(format!(
                        "path: {key}: the value is not UTF-8 text once percent-decoded"
                    ))
                    .field(key),
                    K::ParseErrorAtKey { key, .. } | K::DeserializeError { key, .. } => {
                        ServeError::bad_request(format!("path: {key}: {text}")).field(key)
                    }
                    _ => ServeError::bad_request(format!("path: {text}")),
                })
            }
            Err(other) => Err(ServeError::internal(format!("path: {}", other.body_text()))),
        }
    }
}

/// A page size from a query: 1 to `MAX_PAGE`, the bounds of the CLI's `--limit`.
pub fn check_limit(limit: Option<u32>) -> Result<(), ServeError> {
    use desk_engine::model::MAX_PAGE;
    match limit {
        Some(n) if !(1..=MAX_PAGE).contains(&n) => Err(ServeError::invalid(format!(
            "limit: {n} is out of bounds; a page holds 1 to {MAX_PAGE}"
        ))
        .field("limit")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::field_named;

    #[test]
    fn the_field_to_blame_is_the_path_or_the_one_the_message_names() {
        assert_eq!(
            field_named("title", "invalid type").as_deref(),
            Some("title")
        );
        assert_eq!(
            field_named(".", "missing field `title`").as_deref(),
            Some("title")
        );
        assert_eq!(
            field_named(".", "unknown field `stauts`, expected one of ...").as_deref(),
            Some("stauts")
        );
        assert_eq!(
            field_named("taskfire", "missing field `queue`").as_deref(),
            Some("taskfire.queue")
        );
        assert_eq!(
            field_named("stauts", "unknown field `stauts`, expected ...").as_deref(),
            Some("stauts")
        );
        assert_eq!(
            field_named(".", "invalid type: string, expected struct"),
            None
        );
        assert_eq!(field_named("[0]", "invalid type"), None);
    }
}
