//! The one error shape of `/api/v1`: a stable code, a message that names the bad value,
//! and the input field when one is to blame.

use serde::{Deserialize, Serialize};

/// The code of an error answer: what a script branches on. docs/serve.md lists which
/// status goes with which code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    Invalid,
    NotAllowed,
    Conflict,
    Unauthorized,
    /// Over a limit of the server (open feeds, connections from one address): 429.
    TooManyRequests,
    /// The request's body did not arrive in time: 408; nothing was applied.
    Timeout,
    Unavailable,
    /// The server's disk is full: 507; nothing was written.
    DiskFull,
    Internal,
    /// A code this desk does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code a server sends, for the OpenAPI document.
    pub const SENT: [ErrorCode; 10] = [
        ErrorCode::NotFound,
        ErrorCode::Invalid,
        ErrorCode::NotAllowed,
        ErrorCode::Conflict,
        ErrorCode::Unauthorized,
        ErrorCode::TooManyRequests,
        ErrorCode::Timeout,
        ErrorCode::Unavailable,
        ErrorCode::DiskFull,
        ErrorCode::Internal,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDto {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A conflict (409): the ticket as it is now, so that the client can show what
    /// changed since its version, by whom, and their value beside its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<crate::api::TicketDto>>,
}

/// The body of every error response: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDto,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_wire_names_and_unknown_ones_are_read() {
        let v = serde_json::to_value(ErrorCode::SENT).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!([
                "not_found",
                "invalid",
                "not_allowed",
                "conflict",
                "unauthorized",
                "too_many_requests",
                "timeout",
                "unavailable",
                "disk_full",
                "internal"
            ])
        );
        let later: ErrorCode = serde_json::from_str("\"teapot\"").unwrap_or(ErrorCode::Internal);
        assert_eq!(later, ErrorCode::Unknown);
    }
}
