//! An API token as `desk token list --json` prints it, version 1: never the token itself.

use chrono::{DateTime, Utc};
use desk_engine::model::TokenInfo;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDto {
    pub login: String,
    #[serde(serialize_with = "crate::api::time::instant")]
    pub created_at: DateTime<Utc>,
    /// null: until revoked.
    #[serde(serialize_with = "crate::api::time::instant_opt")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether it has expired at the time of listing.
    pub expired: bool,
}

impl TokenDto {
    pub fn new(t: TokenInfo, now: DateTime<Utc>) -> Self {
        TokenDto {
            expired: t.expires_at.is_some_and(|e| e <= now),
            login: t.login,
            created_at: t.created_at,
            expires_at: t.expires_at,
        }
    }
}
