//! The one error shape of `/api/v1`: a stable code (`ErrorKind::code`), a message that
//! names the bad value, and the input field when one is to blame.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDto {
    /// not_found | invalid | not_allowed | conflict | unauthorized | unavailable | internal
    pub code: String,
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
