//! The live change feed (`GET /api/v1/events`, server-sent events), version 1. An event
//! names what changed, never its content: a client that cares reloads the ticket through
//! the ordinary, permission-checked routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDto {
    /// created | updated | deleted | note
    pub kind: String,
    pub number: String,
    /// `provider` or the company whose Taskfire desk holds the changed version.
    pub desk: String,
    /// The version after the change on that desk; absent for deletions and for the other
    /// desk's copy of a change to a shared ticket (that desk has its own version).
    pub version: Option<i64>,
    /// The login of who made the change.
    pub actor: String,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub at: DateTime<Utc>,
}
